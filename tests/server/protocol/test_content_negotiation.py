"""Content negotiation: Accept parsing, q-values, wildcards, the format parameter."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import NotAcceptable

from nipa_kg.core.formats import RDF_FORMATS, RESULTS_FORMATS
from nipa_kg.server.protocol.negotiation import HTML, MediaRange, choose, content_type, parse_accept

RESULTS = RESULTS_FORMATS.rows
RDF = RDF_FORMATS.rows


def test_parse_accept() -> None:
    assert parse_accept("text/turtle;q=0.5, application/ld+json ; charset=utf-8, */*;q=0.1") == [
        MediaRange("text", "turtle", 0.5),
        MediaRange("application", "ld+json", 1.0),
        MediaRange("*", "*", 0.1),
    ]


@pytest.mark.parametrize("header", [None, "", "  "])
def test_no_accept_is_anything(header: str | None) -> None:
    assert parse_accept(header) == [MediaRange("*", "*", 1.0)]


def test_malformed_ranges_are_skipped() -> None:
    assert parse_accept("text, */html, text/turtle;q=abc, application/rdf+xml;q=2") == [
        MediaRange("application", "rdf+xml", 1.0)
    ]


@pytest.mark.parametrize(
    ("offers", "accept", "expected"),
    [
        (RESULTS, None, "json"),
        (RDF, "*/*", "ttl"),
        (RDF, "application/*", "nt"),
        (RDF, "text/turtle;q=0.2, application/rdf+xml;q=0.8", "xml"),
        (RDF, "application/x-turtle", "ttl"),
        (RESULTS, "application/json", "json"),
        (RESULTS, "application/json;q=0.1, application/sparql-results+xml;q=0.5", "xml"),
        (RESULTS, "text/*, text/csv;q=0", "tsv"),
        (RESULTS, "*/*;q=0.1, application/sparql-results+json;q=0", "xml"),
        ((*RDF, HTML), "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
        ((*RDF, HTML), "text/html;q=0.5, text/turtle", "ttl"),
        ((*RDF, HTML), "text/html, */*", "html"),
    ],
)
def test_accept(offers, accept: str | None, expected: str) -> None:
    assert choose(offers, accept).name == expected


@pytest.mark.parametrize(
    ("offers", "values", "expected"),
    [
        (RESULTS, ["csv"], "csv"),
        (RESULTS, ["srx"], "xml"),
        (RESULTS, ["text/tab-separated-values"], "tsv"),
        (RDF, ["rdf"], "xml"),
        (RDF, ["json"], "jsonld"),
        (RDF, ["JSONLD"], "jsonld"),
        (RDF, ["n3", "application/n-triples"], "nt"),  # a value naming no format is skipped
        (RDF, ["turtle"], "trig"),  # ... and with none left, Accept decides
    ],
)
def test_format_parameter(offers, values: list[str], expected: str) -> None:
    assert choose(offers, "application/trig, application/sparql-results+xml", values).name == expected


def test_format_parameter_overrides_accept() -> None:
    assert choose(RDF, "text/turtle", ["nt"]).name == "nt"


@pytest.mark.parametrize(
    ("offers", "accept", "values"),
    [
        (RESULTS, "text/turtle", []),
        (RDF, "application/sparql-results+json", []),
        (RDF, "*/*;q=0", []),
        (RESULTS, None, ["ttl"]),
        (RDF, None, ["csv"]),
        (RDF, None, ["html"]),
    ],
)
def test_nothing_acceptable(offers, accept: str | None, values: list[str]) -> None:
    with pytest.raises(NotAcceptable, match="available: "):
        choose(offers, accept, values)


def test_content_type_declares_utf8_for_text() -> None:
    assert content_type(RDF_FORMATS.by_name("ttl")) == "text/turtle; charset=utf-8"
    assert content_type(RESULTS_FORMATS.by_name("csv")) == "text/csv; charset=utf-8"
    assert content_type(RDF_FORMATS.by_name("jsonld")) == "application/ld+json"
