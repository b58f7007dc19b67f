"""The query guard's lexer: one pass over a query's text, the state of its open brackets, and the
measures it finds (server/query/guard.py describes them; the patterns are in guard_patterns.py).

`scan` matches one token at a time and hands it to the handler of its kind (`_HANDLERS`); each handler
updates the open frames and returns where the next token starts. Under `Limits` it raises
`QueryTooComplex` at the first limit passed.

Only the standard library is used; nothing else of the project is imported.
"""

from __future__ import annotations

import re

from nipa_kg.server.query.guard_limits import NO_LIMITS, Limits, Measures, QueryTooComplex
from nipa_kg.server.query.guard_patterns import (
    APOSTROPHE,
    BRACKETS,
    DATA,
    DESCRIBE,
    GROUP_TOKEN,
    IRI_AT,
    LINE_END,
    LIST,
    LOCAL_AT,
    LONG_APOSTROPHES,
    LONG_QUOTES,
    NOT_SEPARATORS,
    OPERATOR_CHARS,
    PAREN_TOKEN,
    VALID_PREFIX,
    VARS_ONLY,
    WORD_PIECES,
    count_tokens,
)

# frame kinds
_GROUP, _PAREN, _BRACKET, _TRIPLE = "{", "(", "[", "<<"
_CLOSERS = {"}": _GROUP, ")": _PAREN, "]": _BRACKET, ">>": _TRIPLE}
# `last` in a frame: what came before, for items and for `<`. A name (a bare word, an IRI, a prefixed name)
# may be a function's: the `(` after it opens its arguments, not a new list item. Terms side by side in
# parentheses are a collection's items (each 2 triple patterns); terms after `,` an IN list's or a
# function's arguments, which the engine keeps in a flat list (no size of those crashes it).
_START, _OPERAND, _NAME, _OPERATOR_LAST, _COMMA = 0, 1, 2, 3, 4


class _Frame:
    __slots__ = ("child", "data", "items", "kind", "last", "ops", "run", "unions", "values")

    def __init__(self, kind: str, data: bool = False) -> None:
        self.kind = kind
        self.items = 0  # elements (see server/query/guard.py)
        self.ops = 0  # operators in all
        self.run = 0  # operators since the last separator
        self.unions = 0
        self.child = 0  # the largest tree depth of a closed child
        self.last = _START
        self.data = data  # a VALUES block: its rows are not items
        self.values = False  # VALUES seen: the next `{` here opens a data block


class _Scan:
    """The state of one pass: the open frames, the maxima so far."""

    def __init__(self, text: str, limits: Limits | None) -> None:
        self.text = text
        # stop at the first limit passed (`check`), or measure all (`measure`)
        self.limits = limits or NO_LIMITS
        self.frames = [_Frame(_GROUP)]  # the query's top level counts as a group
        self.open_kinds = dict.fromkeys(_CLOSERS.values(), 0)  # open frames of each kind
        self.depth = 0
        self.operators = 0
        self.unions = 0
        self.items = 0
        self.describes = False  # DESCRIBE seen at the top level: the IRIs after it are elements
        # cached searches forward (see `next_at`): key -> [searched from, found at]
        self.cache: dict[str, list[int]] = {}

    # ---- frames

    def open(self, kind: str, data: bool = False) -> _Frame:
        frame = self.frames[-1]
        data = data or (kind == _GROUP and frame.values)  # VALUES ?x { or VALUES (?x) {: a data block
        frame.values = frame.values and kind == _PAREN  # VALUES (: its variables
        if not frame.data and (frame.kind != _PAREN or frame.last in (_START, _OPERAND)):
            # a group's element, or a collection's (not a function's arguments, not `-(`)
            frame.items += 1
            if frame.items > self.limits.items:
                self.fail("items", frame.items)
        frame.last = _START
        child = _Frame(kind, data)
        self.frames.append(child)
        self.open_kinds[kind] += 1
        if len(self.frames) - 1 > self.depth:
            self.depth = len(self.frames) - 1
            if self.depth > self.limits.depth:
                self.fail("depth", self.depth)
        return child

    def close(self, kind: str) -> bool:
        """Close the innermost open `kind` and what is open inside it; False if none is open."""
        if not self.open_kinds[kind]:
            return False
        frames = self.frames
        while True:
            frame = frames.pop()
            self.open_kinds[frame.kind] -= 1
            self.fold(frame)
            if frame.kind == kind:
                break
        frames[-1].last = _OPERAND
        return True

    def fold(self, frame: _Frame) -> int:
        """A closed frame's tree depth, passed on to its parent (if any); its maxima recorded."""
        if frame.items > self.items:
            self.items = frame.items
        if frame.unions > self.unions:
            self.unions = frame.unions
        depth = 1 + frame.items + frame.ops + frame.child
        if depth - (not self.frames) > self.limits.tree_depth:  # the top level is no bracket
            self.fail("tree_depth", depth - (not self.frames))
        if self.frames and depth > self.frames[-1].child:
            self.frames[-1].child = depth
        return depth

    def operator(self, count: int = 1) -> None:
        frame = self.frames[-1]
        frame.ops += count
        frame.run += count
        if frame.run > self.operators:
            self.operators = frame.run
            if frame.run > self.limits.operators:
                self.fail("operators", frame.run)
        frame.last = _OPERATOR_LAST
        frame.values = False

    def separators(self, count: int, comma: bool = False) -> None:
        frame = self.frames[-1]
        frame.values = False
        if frame.kind == _PAREN:
            if comma:  # `,` or `;` (a `.` is no separator in an expression or a list)
                frame.run = 0
                frame.last = _COMMA
            return
        frame.run = 0
        frame.last = _START
        if not frame.data:
            frame.items += count
            if frame.items > self.limits.items:
                self.fail("items", frame.items)

    def term(self, last: int = _OPERAND) -> None:
        frame = self.frames[-1]
        if frame.kind == _PAREN and frame.last in (_START, _OPERAND, _NAME) and not frame.data:
            frame.items += 1
            if frame.items > self.limits.items:
                self.fail("items", frame.items)
        frame.last = last

    def fail(self, name: str, found: int) -> None:
        raise QueryTooComplex(name, getattr(self.limits, name), found, partial=True)

    def finish(self) -> int:
        """Close what is still open; the query's tree depth (the top level does not count as a bracket)."""
        depth = 0
        while self.frames:
            depth = self.fold(self.frames.pop())
        return depth - 1

    # ---- cached searches forward (each position only moves forward: linear in all)

    def next_at(self, key: str, pattern: re.Pattern[str], pos: int) -> int:
        """The position of the next match of `pattern` at or after `pos`, or the text's length."""
        cached = self.cache.get(key)
        if cached is not None and cached[0] <= pos and (cached[1] >= pos):
            return cached[1]
        found = pattern.search(self.text, pos)
        where = found.start() if found else len(self.text)
        self.cache[key] = [pos, where]
        return where


def _ambiguous_iri(scan: _Scan, start: int, end: int) -> None:
    """`<` at `start` follows an operand inside parentheses and has an IRI's shape up to `end`: it is an
    IRI (a collection, a VALUES row, a triple term) or a less-than followed by code (an expression).

    Read as code, its operators and brackets are counted (unclosed brackets stay open). A `'` in it would
    open a string for Oxigraph where the guard sees none, a `#` a comment to the end of the line: the guard
    and the engine then disagree on what is a string until the line's end (for `'`, and longer for `'''`)
    or on a long string opened on that line. Such text is refused; legitimate queries do not have it."""
    text = scan.text
    inner = text[start + 1 : end - 1]
    ops = len(inner) - len(inner.translate(OPERATOR_CHARS))
    if ops:
        scan.operator(ops)
    if BRACKETS.search(inner):
        opened: list[str] = []
        base = len(scan.frames) - 1
        for char in BRACKETS.findall(inner):
            if char in "([":
                opened.append(char)
                if base + len(opened) > scan.depth:
                    scan.depth = base + len(opened)
                    if scan.depth > scan.limits.depth:
                        scan.fail("depth", scan.depth)
            elif opened and opened[-1] == ("(" if char == ")" else "["):
                opened.pop()
        for char in opened:  # open for the engine if it reads less-than: open for the guard too
            scan.open(_PAREN if char == "(" else _BRACKET)
    line_end = scan.next_at("eol", LINE_END, end)
    if "'" in inner and (
        scan.next_at("apos", APOSTROPHE, end) < line_end
        or ("''" in inner and scan.next_at("long'", LONG_APOSTROPHES, end) < len(text))
    ):
        raise QueryTooComplex("ambiguity", 0, 1)
    if "#" in inner and scan.next_at("long", LONG_QUOTES, end) < line_end:
        raise QueryTooComplex("ambiguity", 0, 1)


def _word(scan: _Scan, word: str, pos: int) -> int:
    """A bare word, a prefixed name whose prefix has dots, or a word with `.` or `-` in it (`true.`,
    `a-b`): the end of what it takes."""
    text = scan.text
    end = pos + len(word)
    if end < len(text) and text[end] == ":" and VALID_PREFIX.fullmatch(word):  # a prefix with dots
        local = LOCAL_AT.match(text, end + 1)
        scan.term(_NAME)
        return local.end() if local else end + 1
    # else a bare word, or pieces (a prefix ending in `.` is a word, a `.`, then `:…`)
    if "." not in word and "-" not in word:
        _keyword(scan, word)
        return end
    # `true.`, `a.b`, `x-1`: the pieces, as the engine reads them
    for piece in WORD_PIECES.findall(word):
        if piece == ".":
            scan.separators(1)
        elif piece == "-":
            scan.operator()
        elif piece[0].isdigit():
            scan.term()
        else:
            _keyword(scan, piece)
    return end


def _keyword(scan: _Scan, word: str) -> None:
    upper = word.upper()
    frame = scan.frames[-1]
    if upper == "UNION":
        frame.unions += 1
        if frame.unions > scan.limits.unions:
            scan.fail("unions", frame.unions)
        frame.values = False
        frame.last = _START
    elif upper == "VALUES":
        scan.term()
        frame.values = True
    else:
        scan.term(_NAME)
        frame.values = False


def scan(text: str, limits: Limits | None) -> Measures:
    """The measures but tokens (0): all of them (`limits` None), or up to the first limit passed."""
    state = _Scan(text, limits)
    group_token = GROUP_TOKEN.match
    paren_token = PAREN_TOKEN.match
    handlers = _HANDLERS
    frames = state.frames
    pos, length = 0, len(text)
    events, most_events = 0, state.limits.tokens  # an event is one token at least
    while pos < length:
        frame = frames[-1]
        match = paren_token(text, pos) if frame.kind == _PAREN else group_token(text, pos)
        if match is None:  # only space or a comment up to the end
            break
        events += 1
        if events > most_events:
            state.fail("tokens", events)
        kind = match.lastgroup
        pos = handlers[kind](state, frame, match.group(kind), match.start(kind), match.end())
    tree_depth = state.finish()
    return Measures(state.depth, state.operators, state.unions, state.items, tree_depth, 0)


# ---- one handler per token kind: (state, innermost frame, token, its start, its end) -> where to go on


def _block(scan: _Scan, frame: _Frame, value: str, start: int, pos: int) -> int:
    """Outside parentheses: terms and separators."""
    if frame.values and not VARS_ONLY.fullmatch(value):
        frame.values = False
    count = 0
    if "." in value or ";" in value or "," in value:
        count = len(NOT_SEPARATORS.sub("", value))
        if count:
            scan.separators(count)
    if frame is scan.frames[0]:  # the IRIs DESCRIBE lists are elements (2688 crash)
        if not scan.describes:
            found = DESCRIBE.search(value)
            if found:
                scan.describes, value = True, value[found.end() :]
                count = len(NOT_SEPARATORS.sub("", value))
        if scan.describes:
            scan.separators(count_tokens(value) - count)  # its terms, the separators aside
    return pos


def _term(scan: _Scan, frame: _Frame, value: str, start: int, pos: int) -> int:
    """Inside parentheses: a variable, a literal, a number, a prefixed name or a bare word."""
    scan.term(_NAME if value[0] not in "?$\"'0123456789" else _OPERAND)
    return pos


def _iri(scan: _Scan, frame: _Frame, value: str, start: int, pos: int) -> int:
    """Inside parentheses: an IRI's shape, which after an operand may be a less-than."""
    if frame.last in (_OPERAND, _NAME):
        _ambiguous_iri(scan, start, pos)
    scan.term(_NAME)
    return pos


def _sep(scan: _Scan, frame: _Frame, value: str, start: int, pos: int) -> int:
    """Inside parentheses: `.`, `;` or `,`."""
    scan.separators(1, comma=value != ".")
    return pos


def _open(scan: _Scan, frame: _Frame, value: str, start: int, pos: int) -> int:
    """`{ ( [ <<`; a list of terms in parentheses, or a VALUES block's rows, are taken at once."""
    text = scan.text
    # after a term in parentheses, `<<` opens a triple term, or it is a less-than then `<…` if
    # that has an IRI's shape (or is `<<` again): the two readings differ too much to measure both
    after_term = frame.kind == _PAREN and frame.last in (_OPERAND, _NAME)
    if value == "<<" and after_term and (text.startswith("<", pos) or IRI_AT.match(text, pos - 1)):
        raise QueryTooComplex("ambiguity", 0, 1)
    child = scan.open(_TRIPLE if value == "<<" else value)
    if value == "(":  # a list of terms: at once
        listed = LIST.match(text, pos)
        if listed:
            pos = listed.end()
            child.items, child.last = 1, _OPERAND
    elif child.data:  # a VALUES block: at once
        rows = DATA.match(text, pos)
        if rows and rows.end() > pos:
            pos = rows.end()
            if "(" in rows.group():
                child.child = 1
                scan.depth = max(scan.depth, len(scan.frames))
                if scan.depth > scan.limits.depth:
                    scan.fail("depth", scan.depth)
    return pos


def _close(scan: _Scan, frame: _Frame, value: str, start: int, pos: int) -> int:
    """`>>`, or a run of `} ) ]`."""
    if value == ">>":
        if not scan.close(_TRIPLE):
            scan.operator(2)  # no triple term open: two greater-thans
        return pos
    frames, open_kinds = scan.frames, scan.open_kinds
    for char in value:  # `)}]…`: once all is closed, the rest closes nothing
        if len(frames) == 1:
            break
        if open_kinds[_CLOSERS[char]]:
            scan.close(_CLOSERS[char])
    return pos


def _op(scan: _Scan, frame: _Frame, value: str, start: int, pos: int) -> int:
    """An operator; a `<` here has no IRI's shape (or the `iri` group would have matched it)."""
    scan.operator()
    return pos


def _bare_word(scan: _Scan, frame: _Frame, value: str, start: int, pos: int) -> int:
    return _word(scan, value, start)


def _other(scan: _Scan, frame: _Frame, value: str, start: int, pos: int) -> int:
    """`^^` not after a literal, a language tag not after a string, a character that starts no token: the
    engine stops there (what follows it counts all the same, as a list's)."""
    frame.last = _COMMA
    return pos


_HANDLERS = {
    "block": _block,
    "term": _term,
    "iri": _iri,
    "sep": _sep,
    "open": _open,
    "close": _close,
    "op": _op,
    "word": _bare_word,
    "other": _other,
}
