"""The protocol's `using-graph-uri` / `using-named-graph-uri` for an update (SPARQL 1.1 Protocol §2.2.3):
pyoxigraph's `update` takes no dataset, so they are written into the update as `USING` / `USING NAMED`
clauses before the `WHERE` of each `DELETE`/`INSERT ... WHERE` operation, found lexically
(`nipa_kg.server.query.lexer`: strings, IRIs and comments skipped; braces counted). An operation that names
its own dataset (`USING`, `WITH`) while the protocol gives one is an error (400), as the protocol says; so
is the `DELETE WHERE` short form, which has no place for `USING`.
"""

from __future__ import annotations

from collections.abc import Sequence

from nipa_kg.server.query.lexer import tokens


class DatasetConflict(ValueError):
    """The update and the protocol both give a dataset, or the update has no place for one."""


def with_dataset(text: str, default: Sequence[str], named: Sequence[str]) -> str:
    """`text` with the protocol's dataset written in (unchanged when none is given)."""
    if not default and not named:
        return text
    clauses = "".join(f" USING <{iri}>" for iri in default) + "".join(
        f" USING NAMED <{iri}>" for iri in named
    )
    inserts: list[int] = []
    depth, previous = 0, ""
    for token in tokens(text):
        if token.kind == "other" and token.text in "{}":
            depth += 1 if token.text == "{" else -1
        elif token.kind == "run" and depth == 0:
            word = token.text.upper()
            if word in ("USING", "WITH"):
                raise DatasetConflict(f"the update has {word} and the request using-graph-uri: give one")
            if word == "WHERE":
                if previous == "DELETE":
                    raise DatasetConflict("DELETE WHERE has no place for the request's using-graph-uri")
                inserts.append(token.start)
            previous = word
    for start in reversed(inserts):
        text = f"{text[:start]}{clauses} {text[start:]}"
    return text
