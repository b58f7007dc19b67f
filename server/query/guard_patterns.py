"""The regular expressions of the query guard's lexer (server/query/guard_lexer.py): SPARQL's terms,
strings, IRIs, comments and operators, the token patterns outside and inside parentheses, and the fast
paths that take a VALUES block or a list of terms in one match; `count_tokens` counts a text's tokens.

Only the standard library is used; nothing else of the project is imported.
"""

from __future__ import annotations

import re

# Name characters (PN_CHARS_U and VARNAME's extras); `\w` is Unicode-aware.
_NC = "\\w\u00b7\u0300-\u036f\u203f\u2040\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
_NC += "\U00010000-\U000effff"
# The loops are unrolled (`a*(?:b a*)*`, not `(?:a|b)*`) and possessive: several times faster in `re`, and
# linear whatever follows.
_PLX = r"%[0-9A-Fa-f]{2}|\\[^\r\n]"  # any escaped character: `\'` in a local name is not a quote
# A local name: dots inside, not at its end.
_LOCAL = rf"(?:[{_NC}:]|{_PLX})[{_NC}:\-]*+(?:(?:{_PLX}|\.++(?=[{_NC}:\-%\\]))[{_NC}:\-]*+)*+"
_PREFIXED = rf"(?:[^\W\d][{_NC}\-]*+)?:(?:{_LOCAL})?"  # prefixes with dots go the slow way (`_word`)
_VAR = rf"[?$][{_NC}]++"
_IRI_CHARS = r"[^<>\"{}|^`\\\x00-\x20]*+"
_IRI = rf"<{_IRI_CHARS}(?:\\(?:u[0-9A-Fa-f]{{4}}|U[0-9A-Fa-f]{{8}}){_IRI_CHARS})*+>"
_STRING = (  # an unterminated string ends at its line's end (short) or the text's (long): the engine stops
    r'"""[^"\\]*+(?:(?:\\[\s\S]|"(?!""))[^"\\]*+)*+(?:""")?'
    r"|'''[^'\\]*+(?:(?:\\[\s\S]|'(?!''))[^'\\]*+)*+(?:''')?"
    r'|"[^"\\\r\n]*+(?:\\[^\r\n][^"\\\r\n]*+)*+"?'
    r"|'[^'\\\r\n]*+(?:\\[^\r\n][^'\\\r\n]*+)*+'?"
)
_LANG = r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*+"
_LITERAL = rf"(?:{_STRING})(?:{_LANG}|\^\^(?:{_IRI}|{_PREFIXED}))?"
_EXP = r"[eE][+-]?[0-9]+"
_NUMBER = rf"[0-9]+\.[0-9]*{_EXP}|[0-9]+\.[0-9]+(?:{_EXP})?|[0-9]+(?:{_EXP})?"  # `1.` is 1 then a `.`
_SPACE = r"[ \t\r\n]*+(?:#[^\r\n]*+[ \t\r\n]*+)*+"
_KEYWORD_END = rf"(?![{_NC}.\-:\\%])"  # a bare word ends here, or it is a prefix or a dotted word
_PLAIN_WORD = rf"(?!(?i:UNION|VALUES){_KEYWORD_END})[^\W\d][{_NC}]*+{_KEYWORD_END}"
# Outside parentheses, terms and separators in a row are one match (the separators counted in C, by
# `NOT_SEPARATORS`): that is most of a large query's text.
_TERM = rf"{_VAR}|{_IRI}|{_LITERAL}|[+-]?(?:{_NUMBER})|{_PREFIXED}|{_PLAIN_WORD}"
_BLOCK = rf"(?:{_TERM}|[.;,])(?:{_SPACE}(?:{_TERM}|[.;,])){{0,1023}}+"  # at most 1024: `check` may stop soon
NOT_SEPARATORS = re.compile(rf"[ \t\r\n]++|#[^\r\n]*+|(?:{_TERM})")  # all of a block but its separators
# Characters that start no token (`\`, `~`, `%`, `€`…): a run of them is one match.
_UNKNOWN = r"[^\s\w{}()\[\]<>.;,=!|&+\-*/^?\"'#$:@]"
_OPERATOR = r"\|\||&&|!=|<=|>=|[=<>+\-*/!|^?]"
_COMMON = (
    rf"|(?P<open>[{{(\[]|<<)|(?P<close>[}})\]]++|>>)"
    rf"|(?P<word>[^\W\d][{_NC}.\-]*+)"
    rf"|(?P<op>{_OPERATOR})|(?P<other>\^\^|{_LANG}|{_UNKNOWN}++|[\s\S])"
)
# Outside parentheses: `<` with an IRI's shape is an IRI; signed numbers are numbers.
GROUP_TOKEN = re.compile(rf"{_SPACE}(?:(?P<block>{_BLOCK}){_COMMON})")
# Inside parentheses: one token at a time; `-1` is an operator and a number; `<` is decided by the caller.
_PAREN_TERM = rf"{_VAR}|{_LITERAL}|{_NUMBER}|{_PREFIXED}|{_PLAIN_WORD}"
PAREN_TOKEN = re.compile(rf"{_SPACE}(?:(?P<iri>{_IRI})|(?P<term>{_PAREN_TERM})|(?P<sep>[.;,]){_COMMON})")
# Fast paths, each one match: an IN list or an argument list of terms (no operator in it), and the rows of
# a VALUES block.
LIST = re.compile(
    rf"{_SPACE}(?:{_IRI}|{_PAREN_TERM})(?:{_SPACE},{_SPACE}(?:{_IRI}|{_PAREN_TERM}))*+{_SPACE}(?=\))"
)
_ROW = rf"\({_SPACE}(?:(?:{_TERM}){_SPACE})*+\)"
DATA = re.compile(rf"(?:{_SPACE}(?:{_TERM}|{_ROW}))*+{_SPACE}(?=}})")
IRI_AT = re.compile(_IRI)
DESCRIBE = re.compile(r"(?i)\bDESCRIBE\b")
VARS_ONLY = re.compile(rf"{_VAR}(?:{_SPACE}{_VAR})*+")
LOCAL_AT = re.compile(_LOCAL)
VALID_PREFIX = re.compile(rf"[^\W\d_](?:[{_NC}\-.]*[{_NC}\-])?|_")
WORD_PIECES = re.compile(rf"[^\W\d][{_NC}]*|[0-9]+|[.\-]")
_TOKENS = re.compile(  # for counting only, context-free: a token is a match with group 1 not empty
    rf"[ \t\r\n]++|#[^\r\n]*+|({_IRI}|{_LITERAL}|{_VAR}|{_NUMBER}|{_PREFIXED}|[^\W\d][{_NC}]*+"
    rf"|<<|>>|{_OPERATOR}|[\s\S])"
)


def count_tokens(text: str) -> int:
    found = _TOKENS.findall(text)
    return len(found) - found.count("")


OPERATOR_CHARS = str.maketrans("", "", "+-*/!=&?")
BRACKETS = re.compile(r"[()\[\]]")
LINE_END = re.compile(r"[\r\n]")
APOSTROPHE = re.compile("'")
LONG_QUOTES = re.compile("\"\"\"|'''")
LONG_APOSTROPHES = re.compile("'''")
