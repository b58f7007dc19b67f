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

A later allowlist of SERVICE endpoints belongs in `check_query`, which sees each clause's target.
"""

from __future__ import annotations

import re

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


def _targets(text: str) -> list[str]:
    tokens = [(m.lastgroup, m.group(0)) for m in _TOKENS.finditer(text)]
    targets = []
    for index, (kind, token) in enumerate(tokens):
        head = token.split(":", 1)[0].lower()
        if kind != "run" or "service" not in head:
            continue
        rest = token[head.index("service") + len("service") :]
        following = [t for _, t in tokens[index + 1 : index + 3]]
        if following and following[0].upper() == "SILENT":
            following = following[1:]
        targets.append(rest or (following[0] if following else ""))
    return targets


def service_clauses(sparql: str) -> list[str]:
    """The target (as written, best effort) of each `SERVICE` clause pyoxigraph might read in `sparql`."""
    decoded = _decode_codepoints(sparql)
    return _targets(sparql) + (_targets(decoded) if decoded != sparql else [])


def check_query(sparql: str) -> None:
    """Raise `QueryRefused` if this server must not run `sparql`."""
    targets = service_clauses(sparql)
    if targets:
        raise QueryRefused(
            f"SERVICE is not allowed: this endpoint does not run federated queries (SERVICE {targets[0]})"
        )
