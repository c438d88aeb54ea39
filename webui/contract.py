"""What each API parameter accepts, written once as a pattern.

The server checks every value against these patterns before parsing it
(webui.params), and the OpenAPI document publishes the same patterns
(webui.openapi), so a client generated from the spec and the server cannot
disagree about what is valid.  Patterns use only syntax that means the same
in Python and ECMAScript regular expressions (no ``\\d``, no ``\\w``, no
inline flags).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govsearch.search.collocates import MAX_LIMIT, MAX_WINDOW
from govsearch.search.dimensions import DIMENSIONS
from govsearch.search.engine import MAX_PER_PAGE
from govsearch.search.kwic import MAX_WIDTH
from govsearch.search.query import (
    DOC_TYPE_ALIASES,
    DOC_TYPES,
    ISSUER_KEY_TEXT,
    ISSUER_KINDS,
    LEVELS,
    MAX_QUERY_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    UNKNOWN_NAMES,
    QueryError,
    bounded_int,
)

# C0 and C1 controls and DEL (tab, newline and carriage return are whitespace):
# never typed by a user; passed on they would reach parser, logs and CSV.
CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
MAX_PAGE = 1000
# A panel's terms together (fifty measures of a dozen characters, with room).
MAX_TERMS_LENGTH = 2000
# A flag's values: 1/0 as the pages' links send them, true/false as generated clients do.
TRUE, FALSE = ("1", "true"), ("0", "false")
FLAGS = (*FALSE, *TRUE)


# White space that is not a control character (\v and \f are both).
SPACE = rf"[^\S{CONTROL}]"


def _list_of(item: str) -> str:
    """A comma-separated list of items, with spaces around each allowed."""
    return rf"^{SPACE}*(?:{item}){SPACE}*(?:,{SPACE}*(?:{item}){SPACE}*)*$"


def _at_most_two(item: str) -> str:
    """One item, or two separated by a comma."""
    return rf"^{SPACE}*(?:{item}){SPACE}*(?:,{SPACE}*(?:{item}){SPACE}*)?$"


def _one_of(values) -> str:
    return "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))


# Any text with something besides spaces in it, and no control characters.
TEXT = rf"^[^{CONTROL}]*[^\s{CONTROL}][^{CONTROL}]*$"
_YEAR = _one_of(str(y) for y in range(MIN_YEAR, MAX_YEAR + 1))
_UNKNOWN = _one_of(UNKNOWN_NAMES)
# A year, a range of years (2020-2022, as in the query language), or the unknown bucket.
YEAR_ITEM = rf"(?:{_YEAR})(?:{SPACE}*[-–~～至]{SPACE}*(?:{_YEAR}))?|{_UNKNOWN}"
LEVEL_ITEM = _one_of([*LEVELS, *(level.removesuffix("级") for level in LEVELS), *UNKNOWN_NAMES])
ISSUER_KIND_ITEM = _one_of([*ISSUER_KINDS, *UNKNOWN_NAMES])
DOC_TYPE_ITEM = _one_of([*DOC_TYPES, *DOC_TYPE_ALIASES])
# A place name or prefix: no commas (they separate names), no edge spaces.
PLACE_ITEM = rf"[^\s,{CONTROL}](?:[^,{CONTROL}]*[^\s,{CONTROL}])?"
# A division code or its leading digits (2: a province, 4: a city, 6: a county, 9 or 12: a town).
ADCODE_ITEM = rf"[0-9]{{2,12}}|{_UNKNOWN}"
# An issuer across years (index.issuer_identity): ADCODE:KIND[:NAME].
ISSUER_KEY = rf"^{ISSUER_KEY_TEXT}$"
ISSUER_KEY_ITEM = rf"{ISSUER_KEY_TEXT}|{_UNKNOWN}"

PATTERNS = {
    "q": TEXT,
    "year": _list_of(YEAR_ITEM),
    "level": _list_of(LEVEL_ITEM),
    "issuer_kind": _list_of(ISSUER_KIND_ITEM),
    "province": _list_of(PLACE_ITEM),
    "city": _list_of(PLACE_ITEM),
    "county": _list_of(PLACE_ITEM),
    "adcode": _list_of(ADCODE_ITEM),
    "doc_type": _list_of(DOC_TYPE_ITEM),
    "issuer_key": _list_of(ISSUER_KEY_ITEM),
    "by": _at_most_two(_one_of(DIMENSIONS)),  # what a distribution is keyed by
    "terms": TEXT,  # a panel's terms: A|B|C
    "near": TEXT,  # a word the concordance's lines must hold nearby
    "a": TEXT,  # keyness: the two sides, each a query (year:2023, level:县级 营商环境)
    "b": TEXT,
}
_COMPILED = {name: re.compile(pattern) for name, pattern in PATTERNS.items()}
# The parameters that take several values, repeated (?year=2021&year=2022) or comma-separated;
# any other given twice is a 400 (which one would count?).
LISTS = tuple(name for name in PATTERNS if name != "q")


@dataclass(frozen=True)
class IntRange:
    lo: int
    hi: int


INTS = {"page": IntRange(1, MAX_PAGE), "per_page": IntRange(1, MAX_PER_PAGE), "width": IntRange(5, MAX_WIDTH),
        "window": IntRange(1, MAX_WINDOW), "limit": IntRange(1, MAX_LIMIT), "min_reports": IntRange(1, 100_000),
        "min_freq": IntRange(1, 100_000)}
_INTEGER = re.compile(r"-?[0-9]{1,12}")


def check_pattern(name: str, value: str, label: str) -> None:
    """Raise QueryError unless ``value`` fits the published pattern of ``name``;
    ``label`` says, in Chinese first, what the parameter wants."""
    if not _COMPILED[name].search(value):
        raise QueryError(f"参数 {name} 无效：{value[:80]!r}，应为{label} (parameter {name} is malformed)")


def check_int(name: str, value: str) -> int:
    """An integer parameter in its published range (plain ASCII digits only)."""
    bounds = INTS[name]
    if not _INTEGER.fullmatch(value):  # int() would take ２, 1_0 and spaces too
        raise QueryError(f"参数 {name} 无效：{value[:40]!r} ({name} must be an integer)")
    return bounded_int(value, f"参数 {name} ", name, bounds.lo, bounds.hi)


def check_length(name: str, value: str, limit: int = MAX_QUERY_LENGTH) -> None:
    if len(value) > limit:
        raise QueryError(f"查询过长：最多 {limit} 个字符 (parameter {name} longer than {limit} characters)")
