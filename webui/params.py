"""Request parameters → engine arguments, with bounds; shared by API and views."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from flask import current_app
from werkzeug.datastructures import MultiDict

from search.engine import MAX_PER_PAGE, Engine
from search.kwic import DEFAULT_WIDTH, MAX_WIDTH, concordance, window
from search.kwic import SORTS as KWIC_SORTS
from search.query import Filters, QueryError, bounded_int, check_doc_type, check_level, check_sort, parse_year
from search.trend import trend

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
    collapse: bool


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


def search_params(args: MultiDict, *, require_q: bool = True, search_sort: bool = True) -> SearchParams:
    """Validate the search parameters; raises QueryError with a message.
    ``search_sort`` False leaves ``sort`` to the caller (the concordance's
    sort orders are its own)."""
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
        sort=check_sort(args["sort"]) if search_sort and args.get("sort") else None,
        exact=_flag(args, "exact"),
        expand=_flag(args, "expand"),
        collapse=_flag(args, "collapse", default=True),
    )


def _flag(args: MultiDict, name: str, default: bool = False) -> bool:
    raw = args.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in ("0", "false", "off", "no"):
        return False
    if raw in ("1", "true", "on", "yes"):
        return True
    raise QueryError(f"参数 {name} 只能是 0 或 1 ({name} must be 0 or 1, got {raw!r})")


def run_search(params: SearchParams):
    return engine().search(params.q, params.filters, page=params.page, per_page=params.per_page,
                           sort=params.sort, exact=params.exact, expand=params.expand, collapse=params.collapse)


def kwic_params(args: MultiDict, *, default_per_page: int = DEFAULT_PER_PAGE) -> tuple[SearchParams, str, int]:
    """Search parameters plus the concordance's own sort and context width."""
    params = search_params(args, search_sort=False)
    if not args.get("per_page"):
        params = dataclasses.replace(params, per_page=default_per_page)
    sort = args.get("sort") or "report"
    if sort not in KWIC_SORTS:
        raise QueryError(f"排序方式无效：{sort!r}，可选 {'、'.join(KWIC_SORTS)} (unknown sort)")
    width = bounded_int(args.get("width") or str(DEFAULT_WIDTH), "参数 width ", "width", 5, MAX_WIDTH)
    return params, sort, width


def matches(params: SearchParams, sort: str = "relevance"):
    """(parsed, matcher, records) for every match, near-duplicates collapsed
    unless the user expanded them - as in the results list."""
    return engine().iter_matches(params.q, params.filters, exact=params.exact, expand=params.expand,
                                 collapse=params.collapse, sort=sort)


def concordance_page(params: SearchParams, *, sort: str, width: int, everything: bool = False) -> dict:
    """One page of concordance lines (all of them with ``everything``).
    Sorted by report or year, only the reports on the page are read; sorted
    by context, every line must be collected first."""
    _, matcher, records = matches(params, sort="year" if sort == "year" else "relevance")
    start = 0 if everything else (params.page - 1) * params.per_page
    stop = None if everything else start + params.per_page
    if sort in ("report", "year"):
        lines = window(records, matcher, start, stop, width)
        total, reports = records.occurrences, records.reports_with_occurrences
    else:
        every = concordance(records, matcher, sort=sort, width=width)
        lines, total, reports = every[start:stop], len(every), len({line.report_id for line in every})
    return {"query": params.q, "total": total, "reports": reports,
            "page": params.page, "per_page": params.per_page, "sort": sort, "width": width, "lines": lines}


def trend_rows(params: SearchParams) -> list[dict]:
    reports, occurrences = engine().year_counts(params.q, params.filters, exact=params.exact,
                                                expand=params.expand, collapse=params.collapse)
    return trend(reports, occurrences, engine().year_totals())
