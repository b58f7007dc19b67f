"""Where the SERVICE blocks of a federated query are, found with rdflib's SPARQL 1.1 parser.

pyoxigraph does not expose its parsed algebra, so the federation rewrites the query text, and rdflib's
grammar says where each SERVICE block is. rdflib's own SERVICE rule cannot be used as is: for the
`service_string` rdflib evaluates, it searches the whole text for the first SERVICE block again, which
recurses forever when one block holds another (as Wikidata's label service often does). So each SERVICE
keyword that the lexer's tokens show (never one inside a comment, string or IRI) is read as
the keyword GRAPH, whose rule is `SERVICE`'s without `SILENT`, and SILENT is blanked: the query must then
parse as a whole, and each outermost block's extent is where rdflib's `GraphGraphPattern` rule, parsed at
the keyword, ends. Positions refer to the query with its `\\u` escapes decoded, the text the federation
rewrites.

rdflib's parser is not thread-safe (rdflib issue 1282): every parse here holds `PARSER_LOCK`. It runs only
for queries that can contain SERVICE (the lexer found SERVICE), never on the common path.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from pyparsing import Located, ParseBaseException, ParserElement
from rdflib.plugins.sparql import parser as grammar
from rdflib.plugins.sparql.algebra import translatePrologue
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Prologue
from rdflib.term import Variable

from nipa_kg.server.query.lexer import Token, tokens
from nipa_kg.server.query.policy import QueryRefused

PARSER_LOCK = threading.Lock()
MAX_FEDERATED_CHARS = 100_000  # rdflib's parser is slow on long texts, and holds the lock meanwhile

_GRAPH_PATTERN = Located(grammar.GraphGraphPattern)
_FILTER = Located(grammar.Filter)
_PROLOGUE = Located(grammar.Prologue)
_KEYWORD, _AS_GRAPH = "service", "GRAPH  "  # same length: positions do not move


@dataclass(frozen=True)
class ServiceBlock:
    """One outermost `SERVICE [SILENT] target { ... }` of a query, at text[start:end]."""

    start: int
    end: int
    group_start: int  # where its group graph pattern `{ ... }` begins
    written: str  # the target as written
    endpoint: str | None  # the target IRI, resolved; None for a variable
    silent: bool


@dataclass(frozen=True)
class FederatedQuery:
    text: str  # the query with `\u` escapes decoded: what the positions refer to
    prologue: str  # its BASE and PREFIX declarations, as written
    names_dataset: bool  # it has FROM or FROM NAMED
    services: tuple[ServiceBlock, ...]


@dataclass(frozen=True)
class _Keyword:
    start: int
    silent: Token | None


def find_services(sparql: str, base_iri: str | None = None) -> FederatedQuery:
    """The SERVICE blocks of `sparql` (not those nested in another); `QueryRefused` when rdflib cannot
    read the query or its blocks. Relative endpoint IRIs resolve against the query's BASE, else `base_iri`."""
    if len(sparql) > MAX_FEDERATED_CHARS:
        raise QueryRefused(f"a query with SERVICE may be at most {MAX_FEDERATED_CHARS} characters long")
    try:
        text = grammar.expandUnicodeEscapes(sparql)
        keywords = list(_keywords(text))
        masked = _masked(text, keywords)
        with PARSER_LOCK:
            tree = grammar.parseQuery(masked)
            prologue_end = _extent(_PROLOGUE, masked, 0)
            located = list(_outermost(masked, keywords))
    except (ParseBaseException, ValueError, RecursionError) as exc:
        raise QueryRefused(f"SERVICE is not allowed here: the query could not be read ({exc})") from exc
    prologue = translatePrologue(tree[0], None)
    services = tuple(
        ServiceBlock(
            start=keyword.start,
            end=end,
            group_start=_group_start(text, keyword.start),
            written=_written(pattern["term"]),
            endpoint=_endpoint(pattern["term"], prologue, base_iri),
            silent=keyword.silent is not None,
        )
        for keyword, end, pattern in located
    )
    return FederatedQuery(text, text[: prologue_end or 0], "datasetClause" in tree[1], services)


def _keywords(text: str) -> Iterator[_Keyword]:
    """Each SERVICE keyword (glued after `.` or before `:` too, as pyoxigraph reads them) and its SILENT."""
    found = tokens(text)
    for index, token in enumerate(found):
        head = token.text.split(":", 1)[0].lower()
        at = head.find(_KEYWORD)
        if token.kind != "run" or at < 0 or head[at:] != _KEYWORD or head[at - 1 : at].isalnum():
            continue  # no keyword; if pyoxigraph might read one here, policy.check_query refuses it
        following = found[index + 1] if index + 1 < len(found) else None
        glued = len(token.text) > at + len(_KEYWORD)
        silent = following if following and not glued and following.text.upper() == "SILENT" else None
        yield _Keyword(token.start + at, silent)


def _masked(text: str, keywords: list[_Keyword]) -> str:
    """`text` with each SERVICE read as GRAPH and each SILENT blanked."""
    chars = list(text)
    for keyword in keywords:
        chars[keyword.start : keyword.start + len(_KEYWORD)] = _AS_GRAPH
        if keyword.silent:
            chars[keyword.silent.start : keyword.silent.start + len(keyword.silent.text)] = " " * len(
                keyword.silent.text
            )
    return "".join(chars)


def _outermost(masked: str, keywords: list[_Keyword]) -> Iterator[tuple[_Keyword, int, CompValue]]:
    """(keyword, end, parse) of each SERVICE block not nested in another."""
    after = 0
    for keyword in keywords:
        if keyword.start < after:
            continue
        result = _GRAPH_PATTERN.parse_string(masked[keyword.start :])
        after = keyword.start + int(result[2])
        yield keyword, after, result[1][0]


def _group_start(text: str, start: int) -> int:
    """Where the group `{` of the SERVICE block at `start` is: the first `{` token after the keyword."""
    return next(t.start for t in tokens(text[start:]) if t.text == "{") + start


def _extent(element: ParserElement, text: str, start: int) -> int | None:
    """Where `element` (a `Located` grammar rule) parsed at `start` ends; None if it does not parse there."""
    try:
        result = element.parse_string(text[start:])
    except (ParseBaseException, RecursionError):
        return None
    return start + int(result[2])


def _written(term: object) -> str:
    if isinstance(term, Variable):
        return f"?{term}"
    if isinstance(term, CompValue):  # a prefixed name
        return f"{term.get('prefix') or ''}:{term.get('localname') or ''}"
    return f"<{term}>"


def _endpoint(term: object, prologue: Prologue, base_iri: str | None) -> str | None:
    if isinstance(term, Variable):
        return None
    iri = str(prologue.absolutize(term))  # type: ignore[arg-type]
    return urljoin(base_iri, iri) if base_iri and not urlsplit(iri).scheme else iri


def group_prefix(text: str, start: int) -> str | None:
    """The patterns before position `start` in its enclosing group, without that group's own FILTERs
    (a FILTER constrains the whole group, so without them the prefix matches a superset of what it
    matches in the query). None when the group is a GRAPH pattern's (whose graph the prefix would lose)."""
    found = tokens(text)
    before = [index for index, token in enumerate(found) if token.start < start]
    depth, opening = 0, None
    for index in reversed(before):
        if found[index].text == "}":
            depth += 1
        elif found[index].text == "{":
            if depth == 0:
                opening = index
                break
            depth -= 1
    if opening is None or (opening >= 2 and found[opening - 2].text.upper() == "GRAPH"):
        return None
    return _without_filters(text, found[opening + 1 : before[-1] + 1], found[opening].start + 1, start)


def _without_filters(text: str, inside: list[Token], start: int, end: int) -> str | None:
    kept, depth, at = [], 0, start
    for token in inside:
        depth += {"{": 1, "}": -1}.get(token.text, 0)
        if depth or token.start < at or token.kind != "run" or token.text.upper() != "FILTER":
            continue
        with PARSER_LOCK:
            filter_end = _extent(_FILTER, text, token.start)
        if filter_end is None:
            return None
        kept.append(text[at : token.start])
        at = filter_end
    kept.append(text[at:end])
    return "".join(kept)


def variables(text: str) -> set[str]:
    """The names of the variables in a piece of query text."""
    return {token.text[1:] for token in tokens(text) if token.kind == "skipped" and token.text[:1] in "?$"}
