"""What is wrong with a query that does not parse, said for a person: `explain(message, text)` turns the
store's message (pyoxigraph's `error at LINE:COLUMN: expected one of ...`, whose list may run to forty
alternatives) and the query's text into one short sentence, the place it points at, and the offending line
with a caret under it. The endpoint answers it (400) and the CLI's `query` prints it.

Read lexically, with the query layer's tokens (`lexer.tokens`), in this order:

1. nothing but comments and spaces: the query is empty;
2. an update keyword (INSERT, DELETE, LOAD, ...) after the prologue (PREFIX, BASE): updates go elsewhere;
3. a first keyword that is not a query form (`SELEC`): a query starts with SELECT, CONSTRUCT, ASK or
   DESCRIBE;
4. a string never closed, a `}` or `)` that closes nothing, a `{` or `(` never closed: named, at its place;
5. pyoxigraph's undeclared prefix, invalid IRI or other plain sentence, named at its place;
6. a triple pattern of plain terms with fewer or more than three of them: incomplete, or a `.` missing;
7. otherwise pyoxigraph's place and list. Its parser reports the farthest place any alternative reached,
   and a keyword it tried is reported past the keyword's length (it reads that many characters, then
   compares): when the list holds only keywords, the place is moved back by the shortest of them. The list
   is summed up (a term, an expression, a number, a few punctuation marks) rather than copied.

A message of another store (a remote store's parser) keeps its text; only checks 1 and 2 apply to it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from nipa_kg.server.query.lexer import FORMS, Token, tokens

UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
PROLOGUE = ("PREFIX", "BASE")
OXIGRAPH = re.compile(r"^error at (\d+):(\d+): expected (?:one of )?(.*)$", re.DOTALL)
ITEM = re.compile(r'"(?:[^"\\]|\\.)*"|\[(?:\'(?:[^\'\\]|\\.)*\'|[^\]\'])*\]|[^,\s][^,]*')
KEYWORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
ANY = "[_]"  # any character: what a keyword read past the end of the text reports
DIGIT = "['0'..='9']"  # the character class of a number's first digit
TERM_STARTS = {'"?"', '"$"', '"<"', '"_:"', '"\\""', '"\'"', '"true"', '"false"'}
PUNCTUATION = {'"{"', '"}"', '"("', '")"', '"."', '","', '";"', '"["', '"]"', '"*"', '"="', '"/"'}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FUNCTIONS = _words(
    """ABS AVG BNODE BOUND CEIL COALESCE CONCAT CONTAINS COUNT DATATYPE DAY ENCODE_FOR_URI EXISTS FLOOR
    GROUP_CONCAT HOURS IF IRI ISBLANK ISIRI ISLITERAL ISNUMERIC ISURI LANG LANGMATCHES LCASE MAX MD5 MIN
    MINUTES MONTH NOT NOW PREDICATE RAND REGEX REPLACE ROUND SAMETERM SAMPLE SECONDS SHA1 SHA256 SHA384
    SHA512 STR STRAFTER STRBEFORE STRDT STRENDS STRLANG STRLEN STRSTARTS STRUUID SUBJECT SUBSTR SUM
    TIMEZONE TRIPLE TZ UCASE URI UUID YEAR"""
)
# Keywords pyoxigraph tries at the start of every pattern or clause: listing them says nothing of the error.
CLAUSES = _words("BIND FILTER GRAPH GROUP HAVING LATERAL LIMIT MINUS OFFSET OPTIONAL ORDER SERVICE VALUES")
QUOTES = {'"', "'"}
OPENERS = {"{": "}", "(": ")", "[": "]"}
CLOSERS = {close: open_ for open_, close in OPENERS.items()}
INCOMPLETE = "this triple pattern is incomplete: it needs a subject, a predicate and an object"
EXCERPT = 100  # a longer line is shown as a window around the column

Problem = tuple[str, int]  # a sentence and the offset in the text it points at


@dataclass(frozen=True)
class Explained:
    """A query's problem: one short sentence, and where it is (1-based line and column of the user's
    text, None when the problem has no place, as an empty query); `line_text` is that line."""

    sentence: str
    line: int | None = None
    column: int | None = None
    line_text: str = ""

    @property
    def headline(self) -> str:
        """One line: `SPARQL syntax error at line 3, column 7: sentence`, or the sentence alone."""
        if self.line is None:
            return self.sentence
        return f"SPARQL syntax error at line {self.line}, column {self.column}: {self.sentence}"

    @property
    def in_line(self) -> str:
        """For a message that says the line itself (`FILE:LINE: ...`): `SPARQL syntax error at column 7:
        sentence`, or the sentence alone."""
        if self.column is None:
            return self.sentence
        return f"SPARQL syntax error at column {self.column}: {self.sentence}"

    @property
    def caret(self) -> str:
        """The offending line and a caret under the column (two lines), or nothing."""
        if self.column is None:
            return ""
        text, column = excerpt(self.line_text, self.column)
        pad = "".join("\t" if ch == "\t" else " " * (2 if wide(ch) else 1) for ch in text[: column - 1])
        return f"  {text}\n  {pad}^"

    def __str__(self) -> str:
        return f"{self.headline}\n{self.caret}" if self.caret else self.headline


def explain(message: str, text: str, hidden_lines: int = 0) -> Explained:
    """The problem of the query `text` whose parser said `message`. The first `hidden_lines` lines of
    `text` are not the user's (the CLI's predeclared prefixes): places are counted after them."""
    user = text.split("\n", hidden_lines)[-1] if hidden_lines else text
    found = [token for token in tokens(user) if not (token.kind == "skipped" and token.text.startswith("#"))]
    if not found:
        return Explained("the query is empty")
    first = first_keyword(found)
    if first is not None and first.text.upper() in UPDATES:
        return Explained(
            f"{first.text.upper()} is SPARQL Update, not a query: updates are sent to an update endpoint "
            "(/update), and this service is read-only"
        )
    match = OXIGRAPH.match(message)
    if match is None:
        return Explained(message)
    if first is not None and first.text.upper() not in FORMS:
        sentence = f'a query starts with SELECT, CONSTRUCT, ASK or DESCRIBE, not "{shorten(first.text)}"'
        return located((sentence, first.start), user)
    line, column, expected = int(match[1]) - hidden_lines, int(match[2]), items(match[3])
    offset = parser_offset(user, offset_of(user, line, column), expected)
    return located(
        brackets(found)
        or named(user, offset, expected, found)
        or triples(found)
        or listed(user, offset, expected, found),
        user,
    )


def first_keyword(found: list[Token]) -> Token | None:
    """The first run after the prologue (PREFIX and BASE, and the prefix names they declare)."""
    for token in found:
        prefix_name = token.text.endswith(":") and ":" not in token.text[:-1]
        if token.kind == "run" and token.text.upper() not in PROLOGUE and not prefix_name:
            return token
    return None


def items(listed: str) -> list[str]:
    """pyoxigraph's alternatives: quoted strings, character classes, keywords and plain sentences."""
    return [item.strip() for item in ITEM.findall(listed.replace("\n", " "))]


def parser_offset(text: str, offset: int, expected: list[str]) -> int:
    """pyoxigraph's place, moved back when only keywords failed there (see the module docstring)."""
    keywords = [item for item in expected if KEYWORD.fullmatch(item)]
    if keywords and all(item in keywords or item == ANY for item in expected):
        offset -= min(map(len, keywords))
    return max(0, min(offset, len(text)))


def brackets(found: list[Token]) -> Problem | None:
    """The first string never closed, or closing bracket that closes nothing or closes another kind (then
    the opening one is never closed), else the first opening bracket never closed."""
    stack: list[Token] = []
    for token in found:
        if token.kind != "other":
            continue
        if token.text in QUOTES:  # the lexer found no end to this string
            return "this string is never closed", token.start
        if token.text in OPENERS:
            stack.append(token)
        elif token.text in CLOSERS:
            if not stack:
                return f'"{token.text}" closes nothing', token.start
            if stack[-1].text != CLOSERS[token.text]:
                return f'"{stack[-1].text}" is never closed', stack[-1].start
            stack.pop()
    return (f'"{stack[0].text}" is never closed', stack[0].start) if stack else None


def named(text: str, offset: int, expected: list[str], found: list[Token]) -> Problem | None:
    """What pyoxigraph names among its alternatives: an undeclared prefix, an invalid IRI, a sentence."""
    if "Prefix not found" in expected:  # reported just past the prefixed name
        name = token_at(found, offset - 1)
        prefix = name.text.split(":", 1)[0] if name else ""
        return (
            f'the prefix "{prefix}:" is not declared (PREFIX {prefix}: <...>)',
            name.start if name else offset,
        )
    if "IRI parsing failed" in expected:  # reported just past the IRI
        start = text.rfind("<", 0, offset)
        iri = text[start : text.find(">", start) + 1 or offset] if start >= 0 else "an IRI"
        return f'"{shorten(iri)}" is not a valid IRI', max(start, 0)
    sentences = [item for item in expected if " " in item and item[0] not in "\"['"]
    return (sentences[0][0].lower() + sentences[0][1:], offset) if sentences else None


def triples(found: list[Token]) -> Problem | None:
    """A triple pattern of plain terms (no `;`, `,`, paths, lists or keywords) inside braces, with fewer or
    more than three terms (VALUES blocks, whose rows are not triples, aside)."""
    split = split_dots(found)
    segment: list[Token] = []
    depth, skip = 0, False
    for index, token in enumerate(split):
        if token.text not in ("{", "}", "."):
            segment += [token] if is_term(token) else []
            skip = skip or not is_term(token)
            continue
        terms = [term for term in segment if not term.text.startswith("@")]  # language tags
        if depth and not skip and 0 < len(terms) < 3:
            return INCOMPLETE, terms[0].start
        if depth and not skip and len(terms) > 3:
            return f'a "." is missing before "{shorten(terms[3].text)}"', terms[3].start
        depth += {"{": 1, "}": -1}.get(token.text, 0)
        segment = []
        skip = token.text == "{" and "VALUES" in (t.text.upper() for t in split[max(0, index - 3) : index])
    return None


def listed(text: str, offset: int, expected: list[str], found: list[Token]) -> Problem:
    """The sentence for pyoxigraph's place and list, when nothing more telling was found."""
    if expected == [ANY]:
        return "the query does not parse, and the parser does not say where", offset
    wanted = summary(expected)
    end = len(text.rstrip())
    if offset >= end:
        return "the query ends too early" + (f": expected {wanted}" if wanted else ""), end
    token = token_at(found, offset)
    shown = token.text if token else text[offset]
    return f'unexpected "{shorten(shown)}"' + (f": expected {wanted}" if wanted else ""), (
        token.start if token else offset
    )


def summary(expected: list[str]) -> str:
    """What pyoxigraph's list asks for, in a few words ("" when it says nothing useful)."""
    keywords = [item for item in expected if KEYWORD.fullmatch(item)]
    if TERM_STARTS & set(expected):
        return "a variable, an IRI, a prefixed name or a literal"
    if any(word.upper() in FUNCTIONS for word in keywords):
        return "an expression"
    if DIGIT in expected:
        return "a number"
    marks = [item for item in expected if item in PUNCTUATION][:5]
    words = keywords if len(keywords) <= 2 and not CLAUSES & set(keywords) else []
    wanted = [*marks, *words]
    return " or ".join(filter(None, [", ".join(wanted[:-1]), wanted[-1]])) if wanted else ""


def split_dots(found: list[Token]) -> list[Token]:
    """The tokens with a run's final `.` (`ex:c.`, which the lexer keeps in the run) as a token of its own."""
    split = []
    for token in found:
        if token.kind == "run" and len(token.text) > 1 and token.text.endswith("."):
            dot = Token("run", ".", token.start + len(token.text) - 1)
            split += [token._replace(text=token.text[:-1]), dot]
        else:
            split.append(token)
    return split


def is_term(token: Token) -> bool:
    """A variable, IRI, literal, language tag, prefixed name, blank node label, number, boolean or `a`."""
    if token.kind == "skipped":
        return not token.text.startswith("#")
    text = token.text
    return token.kind == "run" and (":" in text or text in ("a", "true", "false") or text[0].isdigit())


def token_at(found: list[Token], offset: int) -> Token | None:
    """The token covering `offset`, else the last one starting before it."""
    before = [token for token in found if token.start <= offset]
    return before[-1] if before else None


def offset_of(text: str, line: int, column: int) -> int:
    """The character offset of a 1-based line and column (past the end when they are)."""
    lines = text.split("\n")
    if line < 1:
        return 0
    if line > len(lines):
        return len(text) + 1
    return sum(len(previous) + 1 for previous in lines[: line - 1]) + column - 1


def located(problem: Problem, text: str) -> Explained:
    sentence, offset = problem
    before = text[:offset]
    line = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    return Explained(sentence, line, column, text.split("\n")[line - 1])


def excerpt(line: str, column: int) -> tuple[str, int]:
    """`line`, cut to a window around `column` when long, and the column in what is shown."""
    if len(line) <= EXCERPT:
        return line, column
    start = max(0, min(column - EXCERPT // 2, len(line) - EXCERPT))
    head, tail = ("…" if start else ""), ("…" if start + EXCERPT < len(line) else "")
    return head + line[start : start + EXCERPT] + tail, column - start + len(head)


def shorten(text: str, most: int = 30) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def wide(ch: str) -> bool:
    """Whether a character takes two columns in a terminal (Hangul and other wide characters)."""
    return unicodedata.east_asian_width(ch) in "WF"
