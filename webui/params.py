"""Request parameters → engine arguments, with bounds; shared by API and views."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from werkzeug.datastructures import MultiDict

from search.engine import MAX_PER_PAGE, Engine
from search.query import Filters, QueryError, bounded_int, check_doc_type, check_level, check_sort, parse_year

MAX_PAGE = 1000
DEFAULT_PER_PAGE = 10


@dataclass
class SearchParams:
    q: str
    filters: Filters
    page: int
    per_page: int
    sort: str | None
    exact: bool
    expand: bool


def engine() -> Engine:
    return current_app.extensions["govsearch.engine"]


def _int(args: MultiDict, name: str, default: int, lo: int, hi: int) -> int:
    raw = args.get(name, "")
    return default if raw == "" else bounded_int(raw, f"参数 {name} ", name, lo, hi)


def _values(args: MultiDict, name: str) -> list[str]:
    """Repeated (?year=2021&year=2022) or comma-separated values, de-duplicated."""
    out: list[str] = []
    for raw in args.getlist(name):
        out.extend(v.strip() for v in raw.split(",") if v.strip())
    return list(dict.fromkeys(out))


def search_params(args: MultiDict, *, require_q: bool = True) -> SearchParams:
    """Validate the search parameters; raises QueryError with a message."""
    q = args.get("q", "").strip()
    if require_q and not q:
        raise QueryError("缺少查询参数 q (missing query parameter q)")
    filters = Filters(
        years=[parse_year(v) for v in _values(args, "year")],
        levels=[check_level(v) for v in _values(args, "level")],
        provinces=_values(args, "province"),
        doc_types=[check_doc_type(v) for v in _values(args, "doc_type")],
    )
    return SearchParams(
        q=q,
        filters=filters,
        page=_int(args, "page", 1, 1, MAX_PAGE),
        per_page=_int(args, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
        sort=check_sort(args["sort"]) if args.get("sort") else None,
        exact=_flag(args, "exact"),
        expand=_flag(args, "expand"),
    )


def _flag(args: MultiDict, name: str) -> bool:
    raw = args.get(name, "").strip().lower()
    if raw in ("", "0", "false", "off", "no"):
        return False
    if raw in ("1", "true", "on", "yes"):
        return True
    raise QueryError(f"参数 {name} 只能是 0 或 1 ({name} must be 0 or 1, got {raw!r})")


def run_search(params: SearchParams):
    return engine().search(params.q, params.filters, page=params.page, per_page=params.per_page,
                           sort=params.sort, exact=params.exact, expand=params.expand)
