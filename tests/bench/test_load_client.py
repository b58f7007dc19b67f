"""The bench's HTTP client: when an answer is whole, however the server frames it."""

from __future__ import annotations

import pytest

from bench.load import complete_answer

SIZED = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
CHUNKED = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3;x=y\r\n!!!\r\n0\r\n\r\n"


@pytest.mark.parametrize("answer", [SIZED, CHUNKED])
def test_an_answer_is_whole_only_with_its_last_byte(answer: bytes) -> None:
    assert complete_answer(answer) == (200, len(answer), False)
    for cut in range(len(answer)):
        assert complete_answer(answer[:cut]) is None, cut


def test_a_chunk_that_looks_like_the_end_is_not_the_end() -> None:
    early = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n9\r\nab0\r\n\r\n"
    assert complete_answer(early) is None
    whole = early + b"xy\r\n0\r\n\r\n"
    assert complete_answer(whole) == (200, len(whole), False)


def test_bodiless_statuses_and_closing_servers() -> None:
    not_modified = b'HTTP/1.1 304 Not Modified\r\nETag: "x"\r\n\r\n'
    assert complete_answer(not_modified) == (304, len(not_modified), False)
    closing = b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 2\r\n\r\nno"
    assert complete_answer(closing) == (503, len(closing), True)
    unframed = b"HTTP/1.1 200 OK\r\n\r\nuntil the end"
    assert complete_answer(unframed) is None
    assert complete_answer(unframed, eof=True) == (200, len(unframed), True)
