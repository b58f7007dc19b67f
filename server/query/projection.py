"""`SELECT *` projects its variables in the order they first appear in the query, as Jena does (pyoxigraph
sorts them by name: `?o ?p ?s` for `{ ?s ?p ?o }`). `star_order(query, result)` reorders the variables of
a result's head; the solutions are objects keyed by name, so only the head changes, and every format made
from it (CSV, TSV, XML, the CLI's table) follows.

The query is read with the query layer's tokens (`lexer`): the outer SELECT is the first `SELECT`
keyword, `*` the token after it (and after DISTINCT or REDUCED); the variables are the tokens `?name` or
`$name`, in order. A variable the query text does not name (none should) keeps its place after the others.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import replace

from nipa_kg.server.query.lexer import Lexed, Token
from nipa_kg.server.store.base import QueryResult, SolutionsResult

HEAD = b'{"head":'
MODIFIERS = ("DISTINCT", "REDUCED")


def star_order(query: Lexed, result: QueryResult) -> QueryResult:
    """`result` with its variables in the order `query` names them, when `query` is a `SELECT *`."""
    if not isinstance(result, SolutionsResult) or "*" not in query.text or not is_select_star(query.tokens):
        return result
    head, rest = split_head(result.json)
    names = head.get("vars")
    if not isinstance(names, list):
        return result
    order = first_appearance(query.tokens)
    ordered = sorted(names, key=lambda name: order.get(name, len(order)))
    if ordered == names:
        return result
    new_head = json.dumps({"vars": ordered}, ensure_ascii=False, separators=(",", ":")).encode()
    return replace(result, json=HEAD + new_head + rest)


def is_select_star(found: list[Token]) -> bool:
    """Whether the query's first SELECT (the outer one) projects `*`."""
    for index, token in enumerate(found):
        if token.kind == "run" and token.text.upper() == "SELECT":
            following = [t for t in found[index + 1 : index + 3] if t.text.upper() not in MODIFIERS]
            return bool(following) and following[0].kind == "other" and following[0].text == "*"
    return False


def first_appearance(found: list[Token]) -> dict[str, int]:
    """Each variable name (without `?` or `$`) → its rank in order of first appearance."""
    order: dict[str, int] = {}
    for token in found:
        if token.kind == "skipped" and token.text[:1] in "?$" and len(token.text) > 1:
            order.setdefault(token.text[1:], len(order))
    return order


def split_head(document: bytes) -> tuple[dict, bytes]:
    """The head object of SPARQL JSON results and the bytes after it, read without parsing the rows (they
    may be many): a variable name holds no `}`, so the head ends at the first one. A document that does not
    start with its head is parsed whole."""
    if document.startswith(HEAD) and (end := document.find(b"}", len(HEAD)) + 1):
        with contextlib.suppress(ValueError):
            return json.loads(document[len(HEAD) : end]), document[end:]
    parsed = json.loads(document)
    head = parsed.pop("head", {})
    rest = json.dumps(parsed, ensure_ascii=False, separators=(",", ":")).encode()
    return head, (b"," + rest[1:] if parsed else b"}")
