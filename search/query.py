"""The user query language → a small syntax tree, with clear errors.

    营商环境 法治            plain words: AND, ranked (jieba words, or the exact text)
    "双随机、一公开"          exact lookup (punctuation and spaces ignored); “…” works too
    蒙速办 OR 蒙企通          alternatives (OR binds tighter than the implicit AND)
    -新闻                    exclusion
    year:2022  year:2020-2023  level:县级  province:山东  section:shortcomings  type:annual_report
    year:none  level:未识别  province:none   the reports whose year, level or province is unknown

Kept free of Whoosh and HTTP so that it can be tested without an index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields

from govsearch.index.analysis import dictionary_words, query_words
from govsearch.index.normalize import fold, normalize_query
from govsearch.index.report import DOC_TYPES, ISSUER_KINDS, LEVELS, MAX_YEAR, MIN_YEAR

MAX_QUERY_LENGTH = 500
SECTIONS = ("measures", "responsibility", "shortcomings", "plans", "other")
SORTS = ("relevance", "newest", "oldest", "occurrences")
# The value that selects reports whose year, level or province the cleaner
# could not read (the facets' 未识别 bucket): year=none, level:未识别.
UNKNOWN = "none"
UNKNOWN_NAMES = (UNKNOWN, "未识别")

# Chinese names accepted as field values, mapped to the canonical ones.
SECTION_ALIASES = {"举措": "measures", "成效": "measures", "主要举措": "measures", "责任": "responsibility",
                   "第一责任人": "responsibility", "不足": "shortcomings", "问题": "shortcomings",
                   "计划": "plans", "安排": "plans", "下一步": "plans", "其他": "other"}
DOC_TYPE_ALIASES = {"年度报告": "annual_report", "报告": "annual_report", "report": "annual_report",
                    "其他": "other"}
# The query language's fields: the API's filters (issuer is issuer_kind, type doc_type) and section.
FIELDS = ("year", "level", "issuer", "province", "city", "county", "adcode", "type", "section")
FIELD_ALIASES = {"doc_type": "type", "issuer_kind": "issuer", "年份": "year", "年度": "year", "层级": "level",
                 "主体": "issuer", "省份": "province", "省": "province", "城市": "city", "区县": "county",
                 "区划代码": "adcode", "章节": "section", "类型": "type"}

_OPEN_QUOTES = "\"“＂"
_CLOSE_FOR = {'"': '"', "“": "”", "＂": "＂"}
_CHINESE_FIELDS = "|".join(sorted((a for a in FIELD_ALIASES if not a.isascii()), key=len, reverse=True))
_FIELD = re.compile(rf"^([A-Za-z_]+|{_CHINESE_FIELDS})[:：](.*)$", re.DOTALL)
_SPACE = re.compile(r"[\s\u3000]+")


class QueryError(ValueError):
    """A query or parameter the user must fix; the message says how."""


@dataclass
class Filters:
    """Selected values per facet; None in a list selects the unknown bucket."""

    years: list[int | None] = field(default_factory=list)
    levels: list[str | None] = field(default_factory=list)
    issuer_kinds: list[str | None] = field(default_factory=list)
    provinces: list[str | None] = field(default_factory=list)  # names or prefixes (山东 → 山东省)
    cities: list[str | None] = field(default_factory=list)  # names or prefixes, as provinces
    counties: list[str | None] = field(default_factory=list)
    adcodes: list[str | None] = field(default_factory=list)  # division codes or their prefixes (33 → 浙江)
    issuer_keys: list[str | None] = field(default_factory=list)  # one issuer across years (index.issuer_identity)
    doc_types: list[str] = field(default_factory=list)

    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def merged(self, other: Filters) -> Filters:
        """Both sets of filters; values of one facet combine with OR."""
        return Filters(**{f.name: list(dict.fromkeys([*getattr(self, f.name), *getattr(other, f.name)]))
                          for f in fields(self)})

    def to_dict(self) -> dict[str, list]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Term:
    text: str  # normalized, as typed
    exact: bool = False

    @property
    def folded(self) -> str:
        return fold(self.text)

    def words(self) -> list[str]:
        """jieba words of a plain term (an exact term is matched as a whole)."""
        return [] if self.exact else query_words(self.text)

    @property
    def measure(self) -> bool:
        """A plain term that is a named measure of the dictionary (枫桥经验):
        shown as a whole, never as its parts (经验 alone is no 枫桥经验)."""
        return not self.exact and self.folded in dictionary_words()


@dataclass
class ParsedQuery:
    raw: str
    groups: list[list[Term]] = field(default_factory=list)  # AND of OR-groups
    excluded: list[Term] = field(default_factory=list)
    filters: Filters = field(default_factory=Filters)
    sections: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # names 包含别名 added (search.aliases)

    @property
    def terms(self) -> list[Term]:
        """The positive terms, each text once: a term typed twice (法治 法治,
        的 OR 的), or as a word and as a phrase, is one term in every count -
        occurrences, concordance lines, trend - not two."""
        unique: dict[str, Term] = {}
        for group in self.groups:
            for t in group:
                unique.setdefault(t.folded, t)
        return list(unique.values())

    @property
    def text(self) -> str:
        """The normalized query terms, for display."""
        return " ".join(t.text for t in self.terms)

    def to_dict(self) -> dict:
        return {"groups": [[{"text": t.text, "exact": t.exact} for t in g] for g in self.groups],
                "excluded": [{"text": t.text, "exact": t.exact} for t in self.excluded],
                **self.filters.to_dict(), "sections": self.sections, "aliases": self.aliases}


# ---------------------------------------------------------------- lexer
@dataclass(frozen=True)
class _Token:
    kind: str  # word | phrase | or | field
    text: str
    negated: bool = False
    name: str = ""


def _read_quoted(q: str, i: int) -> tuple[str, int]:
    """The text inside the quote that opens at q[i], and the index after it."""
    close = _CLOSE_FOR[q[i]]
    end = q.find(close, i + 1)
    if close == "”":  # a mixed pair “…" is common when typing fast
        alt = q.find('"', i + 1)
        end = alt if end == -1 or (alt != -1 and alt < end) else end
    if end == -1:
        raise QueryError(f"引号不成对：第 {i + 1} 个字符处的 {q[i]} 没有对应的结束引号 (unbalanced quote)")
    return q[i + 1 : end], end + 1


def _tokens(q: str) -> list[_Token]:
    out: list[_Token] = []
    i, n = 0, len(q)
    while i < n:
        if _SPACE.match(q[i]):
            i += 1
            continue
        negated = q[i] == "-" and i + 1 < n and not _SPACE.match(q[i + 1])
        start = i + 1 if negated else i
        if q[start] in _OPEN_QUOTES:
            text, i = _read_quoted(q, start)
            out.append(_Token("phrase", text, negated))
            continue
        j = start
        while j < n and not _SPACE.match(q[j]) and q[j] not in _OPEN_QUOTES:
            j += 1
        word = q[start:j]
        i = j
        m = _FIELD.match(word)
        if m:
            value = m.group(2)
            if not value and i < n and q[i] in _OPEN_QUOTES:  # province:"内蒙古"
                value, i = _read_quoted(q, i)
            out.append(_Token("field", value, negated, m.group(1)))
        elif word == "OR" and not negated:
            out.append(_Token("or", word))
        elif word == "-" or (negated and not word):
            raise QueryError("“-” 后面需要紧跟要排除的词，如 -新闻 (a lone '-')")
        else:
            out.append(_Token("word", word, negated))
    return out


# ---------------------------------------------------------------- fields
def bounded_int(raw: str, label: str, name: str, lo: int, hi: int) -> int:
    """An integer parameter within [lo, hi], or a QueryError naming it."""
    try:
        value = int(raw)
    except ValueError:
        raise QueryError(f"{label}无效：{raw!r} ({name} must be an integer)") from None
    if not lo <= value <= hi:
        raise QueryError(f"{label}超出范围：{value} ({name} must be between {lo} and {hi})")
    return value


def parse_year(value: str) -> int | None:
    """A report year, 1949–2100, or None for ``none`` (no year read)."""
    return None if unknown_or(value) is None else _year(value)


def _year(value: str) -> int:
    return bounded_int(value, "年份", "year", MIN_YEAR, MAX_YEAR)


def unknown_or(value: str) -> str | None:
    """None for the unknown bucket's names, else the value itself."""
    return None if value.strip() in UNKNOWN_NAMES else value


def parse_years(value: str) -> list[int | None]:
    """2022, 2020-2023 (or 2023-2020), or 2020,2022 (commas), as a list of years (None: none)."""
    years: list[int | None] = []
    for part in filter(None, (p.strip() for p in re.split(r"[,，]", value))):
        m = re.fullmatch(r"(\d+)\s*[-–~～至]\s*(\d+)", part)
        if m:
            # The span between two years, whichever is written first (a pattern,
            # as the API publishes one, cannot tell 2023-2020 from 2020-2023).
            lo, hi = sorted((_year(m.group(1)), _year(m.group(2))))
            years.extend(range(lo, hi + 1))
        else:
            years.append(parse_year(part))
    if not years:
        raise QueryError("year: 后需要年份，如 year:2022 或 year:2020-2023 (missing year)")
    return list(dict.fromkeys(years))


def _choice(value: str, choices: tuple[str, ...], name_zh: str, name: str, aliases: dict | None = None) -> str:
    value = (aliases or {}).get(value, value)
    if value not in choices:
        raise QueryError(f"{name_zh}无效：{value!r}，可选 {'、'.join(choices)} (unknown {name})")
    return value


def check_level(value: str) -> str | None:
    if unknown_or(value) is None:
        return None
    return _choice(value if value.endswith("级") else value + "级", LEVELS, "层级", "level")


def check_issuer_kind(value: str) -> str | None:
    if unknown_or(value) is None:
        return None
    return _choice(value, ISSUER_KINDS, "发布主体类型", "issuer_kind")


def check_adcode(value: str) -> str | None:
    """A division code or its leading digits (2 a province, 4 a city, 6 a county, 9 or 12 a town)."""
    if unknown_or(value) is None:
        return None
    if not re.fullmatch(r"[0-9]{2,12}", value):
        raise QueryError(f"行政区划代码无效：{value!r}，应为 2–12 位数字 (adcode must be 2-12 digits)")
    return value


# An issuer's key (index.issuer_identity): ADCODE:KIND[:NAME], the name with
# no separator, space or control character in it.  What the server takes
# and what the API publishes (webui.contract) are this one pattern.
ISSUER_KEY_TEXT = rf"[0-9]{{0,12}}:(?:{'|'.join(ISSUER_KINDS)})(?::[^\s,:/\x00-\x1f\x7f-\x9f]+)?"


def check_issuer_key(value: str) -> str | None:
    """An issuer's key (150821:政府, 150821:部门:司法局), or None for none."""
    if unknown_or(value) is None:
        return None
    if not re.fullmatch(ISSUER_KEY_TEXT, value):
        raise QueryError(f"发布机构标识无效：{value[:60]!r}，应为 行政区划代码:类别[:名称]，如 150821:政府 "
                         "(an issuer key is ADCODE:KIND[:NAME], e.g. 150821:政府)")
    return value


def check_doc_type(value: str) -> str:
    return _choice(value, DOC_TYPES, "文档类型", "doc_type", DOC_TYPE_ALIASES)


def check_section(value: str) -> str:
    return _choice(value, SECTIONS, "章节", "section", SECTION_ALIASES)


def check_sort(value: str) -> str:
    return _choice(value, SORTS, "排序方式", "sort")


def _values(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[,，、]", value) if v.strip()]


def _one(check):
    return lambda value: [check(value)]


# The API's filter parameters (the CLI's flags): the Filters list each fills, and what reads
# one of its values (into a list: a year item may be a range).
FILTER_PARAMETERS = {"year": ("years", parse_years), "level": ("levels", _one(check_level)),
                     "issuer_kind": ("issuer_kinds", _one(check_issuer_kind)),
                     "province": ("provinces", _one(unknown_or)), "city": ("cities", _one(unknown_or)),
                     "county": ("counties", _one(unknown_or)), "adcode": ("adcodes", _one(check_adcode)),
                     "doc_type": ("doc_types", _one(check_doc_type)),
                     "issuer_key": ("issuer_keys", _one(check_issuer_key))}
PLACE_PARAMETERS = ("province", "city", "county")


def filters_of(values: Mapping[str, Iterable[str]]) -> Filters:
    """Filters from filter parameters' values (each item one value, split at
    commas already); QueryError names a bad one."""
    chosen = {}
    for name, items in values.items():
        attribute, read = FILTER_PARAMETERS[name]
        found = [value for item in items for value in read(item)]
        if found:
            chosen[attribute] = list(dict.fromkeys(found))
    return Filters(**chosen)


def _place(value: str) -> list[str | None]:
    """A place typed in the query language, normalized like the query's words."""
    return [unknown_or(value) and normalize_query(value)]


# A field of the query language (year and section aside) → the filter parameter it is.
_FIELD_PARAMETERS = {"level": "level", "issuer": "issuer_kind", "province": "province", "city": "city",
                     "county": "county", "adcode": "adcode", "type": "doc_type"}


def _apply_field(parsed: ParsedQuery, token: _Token) -> None:
    name = FIELD_ALIASES.get(token.name, token.name)
    if name not in FIELDS:
        raise QueryError(f"未知字段 {token.name}:，可用的字段有 {', '.join(FIELDS)} (unknown field)")
    if token.negated:
        raise QueryError(f"字段条件不能排除：-{token.name}:{token.text} (a field filter cannot be negated)")
    if not token.text.strip():
        raise QueryError(f"字段 {token.name}: 后缺少取值 (missing value)")
    f = parsed.filters
    if name == "year":
        f.years = list(dict.fromkeys([*f.years, *parse_years(token.text)]))
    elif name == "section":
        parsed.sections = list(dict.fromkeys([*parsed.sections, *map(check_section, _values(token.text))]))
    else:
        parameter = _FIELD_PARAMETERS[name]
        attribute, read = FILTER_PARAMETERS[parameter]
        read = _place if parameter in PLACE_PARAMETERS else read
        found = [value for item in _values(token.text) for value in read(item)]
        setattr(f, attribute, list(dict.fromkeys([*getattr(f, attribute), *found])))


# ---------------------------------------------------------------- parser
def _term(token: _Token, exact_mode: bool) -> Term:
    text = normalize_query(token.text)
    if not fold(text):
        what = f"“{token.text}”" if token.text.strip() else "引号中"
        raise QueryError(f"{what}没有可检索的字或词 (nothing searchable in {token.text!r})")
    return Term(text, exact=token.kind == "phrase" or exact_mode)


def parse(q: str, *, exact: bool = False) -> ParsedQuery:
    """Parse a query; ``exact`` (measure lookup mode) makes every term exact.

    Raises QueryError with a message that says what to fix.
    """
    if len(q) > MAX_QUERY_LENGTH:
        raise QueryError(f"查询过长：最多 {MAX_QUERY_LENGTH} 个字符 (query longer than {MAX_QUERY_LENGTH} characters)")
    parsed = ParsedQuery(raw=q)
    tokens = _tokens(q)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "or":
            raise QueryError("OR 前面缺少检索词，如 蒙速办 OR 蒙企通 (OR needs a term on each side)")
        if token.kind == "field":
            _apply_field(parsed, token)
            i += 1
            continue
        group = [token]
        while i + 1 < len(tokens) and tokens[i + 1].kind == "or":
            if i + 2 >= len(tokens) or tokens[i + 2].kind in ("or", "field"):
                raise QueryError("OR 后面缺少检索词 (OR needs a term on each side)")
            group.append(tokens[i + 2])
            i += 2
        if any(t.negated for t in group) and len(group) > 1:
            raise QueryError("排除的词不能用 OR 连接 (a -term cannot be part of an OR)")
        terms = list(dict.fromkeys(_term(t, exact) for t in group))
        if token.negated:
            parsed.excluded.append(terms[0])
        elif set(terms) not in map(set, parsed.groups):  # 法治 法治 is one condition
            parsed.groups.append(terms)
        i += 1
    if not parsed.groups and not parsed.filters.active() and not parsed.sections:
        if parsed.excluded:
            raise QueryError("只有排除条件：请至少给出一个要查找的词 (only exclusions)")
        raise QueryError("查询为空：请输入至少一个汉字、字母或数字 (empty query)")
    if parsed.sections and not parsed.groups:
        raise QueryError("section: 需要和检索词一起使用，如 section:shortcomings 执法 (section needs a term)")
    return parsed
