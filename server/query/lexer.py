"""The query layer's one lexing pass: a query's text cut into tokens (`tokens`), and what the layers below
need to know of it (`Lexed`, a `Query` as the store takes it: its keywords, its form, whether it names a
dataset, its SERVICE targets), each worked out at most once, from those tokens, and only when asked for
(a cheap test first where one can tell: most queries have no word "from" nor "service").

pyoxigraph does not expose its parsed algebra, so what the server must know before evaluation is read
lexically, erring on the side of refusing (`nipa_kg.server.query.policy`):

- comments, strings, IRIs, variables and language tags are skipped;
- the rest is cut into runs of name characters (keywords, numbers, prefixed names, blank-node labels, and
  whatever pyoxigraph's parser splits without a space: it reads `1SERVICE <x> {}`, `?o.SERVICE <x> {}` and
  `SERVICE:x {}` as SERVICE clauses). "service" anywhere in a run before its first `:` counts; after the
  colon it is a local name (`sd:Service`), which pyoxigraph reads greedily too. So a prefix named
  `service:` is refused: pyoxigraph itself may read `service:x` as a SERVICE clause;
- the text is read both as written and with `\\u` escapes decoded (SPARQL 1.1 §19.2 allows either).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_FROM = re.compile(r"(?<![\w:.\-])from(?![\w:.\-])", re.IGNORECASE)

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


class Token(NamedTuple):
    kind: str  # "skipped" (comment, string, IRI, variable, language tag), "run" or "other"
    text: str
    start: int


def tokens(text: str) -> list[Token]:
    """`text` cut as this module reads it (see the module docstring), with each token's offset."""
    return [Token(m.lastgroup or "", m.group(0), m.start()) for m in _TOKENS.finditer(text)]


def _decode_codepoints(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _CODEPOINT.sub(replace, text)


def _service_targets(found: list[Token]) -> list[str]:
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


@dataclass(frozen=True)
class Lexed:
    """A query's text, lexed once; each fact below is read from its tokens when first asked for."""

    text: str

    @cached_property
    def lowered(self) -> str:
        return self.text.lower()

    @cached_property
    def tokens(self) -> list[Token]:
        return tokens(self.text)

    @cached_property
    def keywords(self) -> list[str]:
        """The runs outside comments, strings, IRIs, variables and language tags, upper-cased and in
        order: the keywords (`SELECT`, `FROM`...), with the prefixed names and numbers."""
        return [token.text.upper() for token in self.tokens if token.kind == "run"]

    @cached_property
    def form(self) -> str:
        return next((word for word in self.keywords if word in FORMS), "SELECT")

    @cached_property
    def names_dataset(self) -> bool:
        """Whether the query has `FROM` or `FROM NAMED` (most have no word "from": no tokens needed)."""
        return "from" in self.lowered and bool(_FROM.search(self.text)) and "FROM" in self.keywords

    @cached_property
    def service_targets(self) -> list[str]:
        """The target (as written, best effort) of each `SERVICE` clause pyoxigraph might read."""
        if "service" not in self.lowered and "\\u" not in self.lowered:  # no token can name SERVICE
            return []
        decoded = _decode_codepoints(self.text)
        found = _service_targets(self.tokens)
        return found + (_service_targets(tokens(decoded)) if decoded != self.text else [])
