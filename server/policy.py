"""What a query may ask of this server: the one place that refuses queries before they reach the store.

The server never fetches anything a query names. With pyoxigraph, `FROM`/`FROM NAMED` only select graphs
already in the store and `LOAD` is an update (refused by the endpoint), but `SERVICE` makes pyoxigraph send
an HTTP request, so every query naming `SERVICE` is refused. pyoxigraph does not expose its parsed algebra,
so `service_clauses` finds the keyword lexically, erring on the side of refusing:

- comments, strings, IRIs, variables and language tags are skipped;
- the rest is cut into runs of name characters (keywords, numbers, prefixed names, blank-node labels, and
  whatever pyoxigraph's parser splits without a space: it reads `1SERVICE <x> {}`, `?o.SERVICE <x> {}` and
  `SERVICE:x {}` as SERVICE clauses). "service" anywhere in a run before its first `:` counts; after the
  colon it is a local name (`sd:Service`), which pyoxigraph reads greedily too. So a prefix named
  `service:` is refused: pyoxigraph itself may read `service:x` as a SERVICE clause;
- the text is read both as written and with `\\u` escapes decoded (SPARQL 1.1 §19.2 allows either).

Federated queries (`nipa_kg.server.federation`) are the exception: their SERVICE blocks, found by a real
parser, are checked here against the allowlist (`check_services`), evaluated by our own HTTP client and
replaced by VALUES; the rewritten query must then pass `check_query` like any other before pyoxigraph
sees it, so pyoxigraph never sends a request itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import NamedTuple, Protocol

_TOKENS = re.compile(
    r"""
    (?P<skipped>
        \#[^\n\r]*                                          # comment
      | '''(?:[^'\\]|\\.|'(?!''))*'''                       # long strings
      | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '(?:[^'\\\n\r]|\\.)*'                               # short strings
      | "(?:[^"\\\n\r]|\\.)*"
      | <[^<>"{}|^`\\\x00-\x20]*>                           # IRI reference
      | [?$][\w\u00B7\u0300-\u036F\u203F\u2040]*            # variable
      | @[A-Za-z0-9\-]*                                     # language tag (and direction)
    )
  | (?P<run>(?:[\w\-.:%\u00B7\u0300-\u036F\u203F\u2040]|\\\S)+)
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class QueryRefused(Exception):
    """A query this server does not run; the message says why."""


def _decode_codepoints(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _CODEPOINT.sub(replace, text)


class Token(NamedTuple):
    kind: str  # "skipped" (comment, string, IRI, variable, language tag), "run" or "other"
    text: str
    start: int


def tokens(text: str) -> list[Token]:
    """`text` cut as this module reads it (see the module docstring), with each token's offset."""
    return [Token(m.lastgroup or "", m.group(0), m.start()) for m in _TOKENS.finditer(text)]


def _targets(text: str) -> list[str]:
    found = tokens(text)
    targets = []
    for index, (kind, token, _) in enumerate(found):
        head = token.split(":", 1)[0].lower()
        if kind != "run" or "service" not in head:
            continue
        rest = token[head.index("service") + len("service") :]
        following = [t.text for t in found[index + 1 : index + 3]]
        if following and following[0].upper() == "SILENT":
            following = following[1:]
        targets.append(rest or (following[0] if following else ""))
    return targets


def service_clauses(sparql: str) -> list[str]:
    """The target (as written, best effort) of each `SERVICE` clause pyoxigraph might read in `sparql`."""
    lowered = sparql.lower()
    if "service" not in lowered and "\\u" not in lowered:  # no token can name SERVICE: skip the scan
        return []
    decoded = _decode_codepoints(sparql)
    return _targets(sparql) + (_targets(decoded) if decoded != sparql else [])


def keywords(sparql: str) -> list[str]:
    """The words of `sparql` outside comments, strings, IRIs, variables and language tags, upper-cased and
    in order: its keywords (`SELECT`, `FROM`...), with its prefixed names and numbers."""
    return [m.group(0).upper() for m in _TOKENS.finditer(sparql) if m.lastgroup == "run"]


def check_query(sparql: str) -> None:
    """Raise `QueryRefused` if this server must not hand `sparql` to its store: if pyoxigraph might read a
    SERVICE clause in it (a federated query reaches the store only with its SERVICE blocks replaced)."""
    targets = service_clauses(sparql)
    if targets:
        raise QueryRefused(
            f"SERVICE is not allowed: this endpoint does not run federated queries (SERVICE {targets[0]})"
        )


class ServiceCall(Protocol):
    """A SERVICE block as the federation found it: its endpoint (None for a variable) as written and
    resolved against the query's prologue."""

    @property
    def written(self) -> str: ...

    @property
    def endpoint(self) -> str | None: ...


ALLOW_HOW = "start the server with --allow-service {iri} (repeatable), or list it in NIPA_KG_ALLOW_SERVICE"


def check_services(services: Iterable[ServiceCall], allowed: Callable[[str], bool]) -> None:
    """Raise `QueryRefused` unless every SERVICE names, by IRI, an endpoint `allowed` accepts."""
    for service in services:
        if service.endpoint is None:
            raise QueryRefused(
                f"SERVICE is not allowed with a variable endpoint (SERVICE {service.written}): "
                "name the endpoint by its IRI"
            )
        if not allowed(service.endpoint):
            raise QueryRefused(
                f"SERVICE is not allowed for <{service.endpoint}>: this endpoint calls only the endpoints "
                f"on its allowlist; to allow this one, {ALLOW_HOW.format(iri=service.endpoint)}"
            )
