"""Refuse SPARQL queries nested or chained deeply enough to overflow the query engine's native stack.

Oxigraph (pyoxigraph) parses, plans and evaluates a query recursively in native code. A query nested or
chained a few thousand levels deep overflows the stack of the thread running it, and the whole process
dies of SIGSEGV: no Python exception, nothing to catch. `check(query, limits)` measures the query's text
before it reaches the engine and raises `QueryTooComplex` past any of the `Limits`. bench/crash_depths.py
finds the sizes that crash; bench/CRASH_DEPTHS.md lists them, and why the defaults are what they are.

What is measured, by a small lexer that skips strings (all four quote forms, with escapes), IRIs and
comments, so that braces or operators inside them do not count:

- `depth`: brackets `{ ( [ <<` open at once (groups, OPTIONAL, UNION branches, subqueries, EXISTS,
  expressions, function calls, collections, blank nodes, triple terms).
- `operators`: the longest chain of operators at one bracket level, between two `,` `;` `.` separators:
  `|| && = != < > <= >= + - * / !` and the path operators `| / ^ ? + *` (`?a + ?a + ?a` is 2, `!!?x` 2).
- `unions`: the most UNION keywords in one group.
- `items`: the most elements in one group (one per `.` `;` `,` separator and per nested bracket: triple
  patterns, FILTERs, BINDs, OPTIONALs, subgroups; the IRIs after DESCRIBE) or in one collection
  `( … )`. A VALUES block's rows and comma-separated lists (IN, function arguments)
  are flat for the engine: they do not count.
- `tree_depth`: how deep the engine's tree of the query may be: along the deepest path of nested brackets,
  each bracket level counts 1 plus its operators and elements (a chain of chains, or a group of 500 BINDs
  inside 60 nested groups, is deep even when each level alone is within its limit).
- `tokens`: the number of tokens (a bound on work; nothing flat was seen to crash).

`<` is less-than or the start of an IRI. An IRIREF holds no space, `<`, `>`, `"`, `{`, `}`, `|`, `^`,
backtick or backslash (bar `\\u` escapes), so `<` followed by such text up to `>` is an IRI and anything
else an operator. Oxigraph itself decides by grammar, not by shape: right after an operand in an
expression, `?a<(?b>?c` is `?a < (?b > ?c`. Such a `<` can only be less-than inside parentheses, so there
(and only there) the guard also reads the IRI-shaped text as code: its operators and brackets count. A
quote or `#` in it would open a string or a comment for Oxigraph where the guard sees none; when what
follows on the line could then be read two ways, the query is refused ("ambiguity", see `_ambiguous_iri`
in guard_lexer.py).

Speed: a query whose character counts show that no limit can be reached (no more `{ ( [ <` than `depth`,
few enough characters, spaces and quotes for the others: see `_within_by_counts`), as most are, passes
on those counts alone, in a few microseconds. Others are lexed in one linear pass with `re` doing the
character work (VALUES blocks, comma lists and runs of triple patterns a whole match at a time), and
`check` stops at the first limit passed.

Here are `check` and `measure`; `Limits`, `Measures` and `QueryTooComplex` are in guard_limits.py, the
lexer in guard_lexer.py, its regular expressions in guard_patterns.py (all re-exported or used from here).
Only the standard library is used; nothing else of the project is imported.
"""

from __future__ import annotations

from nipa_kg.server.query.guard_lexer import scan
from nipa_kg.server.query.guard_limits import DEFAULT_LIMITS, Limits, Measures, QueryTooComplex
from nipa_kg.server.query.guard_patterns import count_tokens

__all__ = ["DEFAULT_LIMITS", "Limits", "Measures", "QueryTooComplex", "check", "measure"]


def check(query: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise `QueryTooComplex` if `query` passes one of `limits`; return None otherwise.

    Linear in the query's length, and it stops at the first limit passed. A query that is not valid SPARQL
    is measured all the same, as far as its text allows: the engine will refuse it anyway.

    Most queries are short: if counting characters shows no limit can be reached (no more `{ ( [ <` than
    `depth` allows, not more characters than the other limits), the lexer does not run."""
    if _within_by_counts(query, limits):
        return
    found = scan(query, limits)  # raises at the first limit passed, as a rule
    for name in ("depth", "operators", "unions", "items", "tree_depth"):
        if getattr(found, name) > getattr(limits, name):
            raise QueryTooComplex(name, getattr(limits, name), getattr(found, name))
    if len(query) > limits.tokens:  # fewer characters, fewer tokens
        tokens = count_tokens(query)
        if tokens > limits.tokens:
            raise QueryTooComplex("tokens", limits.tokens, tokens)


def _within_by_counts(query: str, limits: Limits) -> bool:
    """Whether plain character counts bound every measure under its limit, whatever the lexing.

    Each bracket level needs an opening character; each operator, separator or element one character
    at least (a bracket counts twice: as its parent's element, and as a level in the tree depth or by
    the first term in it). An element is a separator, a bracket, a first term in parentheses, or a term
    that follows another term: after a space, a quote, one of `? $ < > ) ] }`, a `.` (`a.b`), or (once in
    a run of other characters) a number followed by a word, as in `1true`. After a character that starts
    no token, no term counts: the engine stops there."""
    openers = query.count("{") + query.count("(") + query.count("[") + query.count("<")
    if openers > limits.depth:
        return False
    space = query.count(" ") + query.count("\n") + query.count("\t") + query.count("\r")
    solid = len(query) - space
    if (
        solid + openers > min(limits.tree_depth, limits.operators, limits.tokens)
        or solid // 5 > limits.unions
    ):
        return False
    separators = query.count(".") + query.count(";") + query.count(",")
    if separators + 2 * openers + solid <= limits.items:
        return True
    boundaries = space + sum(map(query.count, "\"'?$<>)]}")) + 1
    return separators + 2 * openers + 2 * boundaries <= limits.items


def measure(query: str) -> Measures:
    """All the measures of `query` (see the module docstring). Raises `QueryTooComplex` only for the
    ambiguous `<` the module docstring describes, which cannot be measured."""
    found = scan(query, None)
    return Measures(
        found.depth, found.operators, found.unions, found.items, found.tree_depth, count_tokens(query)
    )
