"""User query → words and filters (the first, plain-words form of the syntax).

Kept free of Whoosh and HTTP so that it can be tested without an index.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from index.analysis import query_words
from index.normalize import normalize_query

MAX_QUERY_LENGTH = 500
LEVELS = ("国家级", "省级", "市级", "县级", "乡镇级")
DOC_TYPES = ("annual_report", "other")
SORTS = ("relevance", "newest", "oldest")


class QueryError(ValueError):
    """A query or parameter the user must fix; the message says how."""


@dataclass
class Filters:
    years: list[int] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    doc_types: list[str] = field(default_factory=list)

    def active(self) -> bool:
        return bool(self.years or self.levels or self.provinces or self.doc_types)


@dataclass
class ParsedQuery:
    text: str  # the normalized query
    words: list[str]  # ANDed, ranked

    def highlight_terms(self) -> list[str]:
        """Words plus the query's own runs, so 法治政府 is marked whole."""
        return [*self.text.split(), *self.words]


def parse(q: str) -> ParsedQuery:
    """Normalize like documents (script, width), then cut into words."""
    if len(q) > MAX_QUERY_LENGTH:
        raise QueryError(f"查询过长：最多 {MAX_QUERY_LENGTH} 个字符 (query longer than {MAX_QUERY_LENGTH} characters)")
    text = normalize_query(q)
    words = query_words(text)
    if not words:
        raise QueryError("查询为空：请输入至少一个汉字、字母或数字 (empty query)")
    return ParsedQuery(text, words)


def parse_year(value: str) -> int:
    """A report year, 1949–2100."""
    try:
        year = int(value)
    except ValueError:
        raise QueryError(f"年份无效：{value!r} (year must be a number such as 2022)") from None
    if not 1949 <= year <= 2100:
        raise QueryError(f"年份超出范围：{year} (year must be between 1949 and 2100)")
    return year


def _choice(value: str, choices: tuple[str, ...], name_zh: str, name: str) -> str:
    if value not in choices:
        raise QueryError(f"{name_zh}无效：{value!r}，可选 {'、'.join(choices)} (unknown {name})")
    return value


def check_level(value: str) -> str:
    return _choice(value, LEVELS, "层级", "level")


def check_doc_type(value: str) -> str:
    return _choice(value, DOC_TYPES, "文档类型", "doc_type")


def check_sort(value: str) -> str:
    return _choice(value, SORTS, "排序方式", "sort")
