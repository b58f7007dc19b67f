"""The query guard's limits, its measures and its error (the guard itself: server/query/guard.py).

Only the standard library is used; nothing else of the project is imported.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    """The most of each measure a query may have (see server/query/guard.py), all configurable.

    The defaults sit well under what crashes pyoxigraph 0.5.13 in a thread with the default stack size,
    8 MiB here (glibc takes it from `ulimit -s`); bench/CRASH_DEPTHS.md has the measurements. One shape
    at its limit takes at most 37% of the stack (a collection of 500 items, 1000 triple patterns); every
    limit at once, at most about 60% (64 EXISTS levels 7%, that collection, 436 group elements 16%).
    With smaller thread stacks lower the limits in proportion: on 1 MiB, EXISTS crashes at 108 levels."""

    # Nested FILTER EXISTS crashes at 864 levels, CONCAT(CONCAT(…)) at 928, groups at 2240, subqueries at
    # 2560, OPTIONALs at 2944, `[ ]` at 3712, parentheses at 4736: 64 is 7% of the least.
    depth: int = 64
    # Chains crash at 6912 `+` or `*`, 9472 `||`, `&&` or `!`, 11264 path `|`, about 8192 path `/`: 14%.
    operators: int = 1000
    # 6656 UNION branches in one group crash: 6%. (Under `items`: the branches are elements too.)
    unions: int = 400
    # 2688 elements of one group crash (triple patterns by `.` `;` or `,`, BINDs, OPTIONALs, subgroups;
    # also SELECT expressions, DESCRIBE IRIs): 19%; 9472 FILTERs or HAVINGs. A collection's item is two
    # triple patterns: 176 crash on a 1 MiB stack, about 1400 on 8 MiB: 37%.
    items: int = 500
    # Along one path, group elements (the costliest, 2688) and operators: 1000 elements is 37%.
    tree_depth: int = 1000
    # No flat shape crashed (2^19 VALUES rows, IN list items or CONCAT arguments): a bound on the work of
    # the guard (about 1 s a million tokens at worst) and of the parser. 1 MiB of SPARQL is 30 000 to
    # 250 000 tokens, as a rule (the server refuses longer queries anyway).
    tokens: int = 250_000

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"limit {field.name} must be a positive integer, not {value!r}")


DEFAULT_LIMITS = Limits()
NO_LIMITS = Limits(*(1 << 62 for _ in fields(Limits)))  # `measure`: count all


@dataclass(frozen=True)
class Measures:
    """What `measure` found in a query; the fields are those of `Limits`."""

    depth: int = 0
    operators: int = 0
    unions: int = 0
    items: int = 0
    tree_depth: int = 0
    tokens: int = 0


_DESCRIPTIONS = {
    "depth": "nests groups and parentheses {found} deep",
    "operators": "chains {found} operators in one expression or path",
    "unions": "joins {found} UNIONs in one group",
    "items": "has {found} triple patterns or other elements in one group or list",
    "tree_depth": "nests and chains {found} levels deep (brackets, operators and elements along one path)",
    "tokens": "has {found} tokens",
    "ambiguity": (
        "has a `<` right after a term in parentheses that reads both as less-than and as an IRI holding "
        "a quote or `#`, with more quotes after it; put a space after a less-than"
    ),
}


class QueryTooComplex(ValueError):
    """The query passes a limit: `limit_name` (a field of `Limits`, or "ambiguity", see
    server/query/guard.py), `limit_value`, and what was `found`. `check` stops counting at the first
    limit passed: `found` is then a lower bound (`partial`), and the message says "at least"."""

    def __init__(self, limit_name: str, limit_value: int, found: int, *, partial: bool = False) -> None:
        self.limit_name = limit_name
        self.limit_value = limit_value
        self.found = found
        self.partial = partial
        count = f"at least {found}" if partial else str(found)
        what = _DESCRIPTIONS.get(limit_name, limit_name + " {found}").format(found=count)
        if limit_name == "ambiguity":
            message = f"query {what}"
        else:
            message = f"query {what}; this endpoint allows at most {limit_value}"
        super().__init__(message)

    def __reduce__(self):  # pickle with the arguments, not the message
        return (_rebuild, (type(self), self.limit_name, self.limit_value, self.found, self.partial))


def _rebuild(cls: type[QueryTooComplex], name: str, limit: int, found: int, partial: bool) -> QueryTooComplex:
    return cls(name, limit, found, partial=partial)
