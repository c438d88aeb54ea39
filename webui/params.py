"""Request parameters → engine arguments, with bounds; shared by API and views."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from flask import current_app
from werkzeug.datastructures import MultiDict

from govsearch.search.diffusion import ORDERS
from govsearch.search.dimensions import DIMENSIONS, UNITS, checked
from govsearch.search.engine import Engine, Selected
from govsearch.search.kwic import DEFAULT_WIDTH, Near
from govsearch.search.kwic import SORTS as KWIC_SORTS
from govsearch.search.panel import panel_terms
from govsearch.search.query import (
    DOC_TYPES,
    FILTER_PARAMETERS,
    ISSUER_KINDS,
    LEVELS,
    MAX_YEAR,
    MIN_YEAR,
    SORTS,
    Filters,
    QueryError,
    filters_of,
)
from govsearch.webui import contract

DEFAULT_PER_PAGE = 10
DEFAULT_WINDOW = 5  # characters either side, as collocates count them


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


def _given(args: MultiDict, name: str) -> str | None:
    """A parameter's (first) value as sent, or None when absent.  Present but
    empty (``sort=``) is an error: a script that sends it meant something."""
    if name not in args:
        return None
    values = args.getlist(name)
    if any(not v.strip() for v in values):
        raise QueryError(f"参数 {name} 不能为空 (parameter {name} is empty; give a value or leave it out)")
    return values[0]


def _int(args: MultiDict, name: str, default: int) -> int:
    raw = _given(args, name)
    return default if raw is None else contract.check_int(name, raw)


def choice(args: MultiDict, name: str, choices: tuple[str, ...], default: str) -> str:
    """A parameter that takes exactly one of ``choices`` (format, sort, …)."""
    raw = _given(args, name)
    if raw is None:
        return default
    if raw not in choices:
        raise QueryError(f"参数 {name} 无效：{raw[:40]!r}，可选 {'、'.join(choices)} (unknown {name})")
    return raw


# What each list parameter wants, for the message when its pattern fails.
_WANTS = {"year": f"{MIN_YEAR}–{MAX_YEAR} 的四位年份、年份范围（如 2020-2022）或 none（未识别），多个用逗号分隔",
          "level": "、".join(LEVELS) + " 或 none（未识别），多个用逗号分隔",
          "issuer_kind": "、".join(ISSUER_KINDS) + " 或 none（未识别），多个用逗号分隔",
          "province": "省份名称或其开头，或 none（未识别），多个用逗号分隔",
          "city": "城市名称或其开头，或 none（未识别），多个用逗号分隔",
          "county": "区县名称或其开头，或 none（未识别），多个用逗号分隔",
          "adcode": "2–12 位行政区划代码或其开头，或 none（未识别），多个用逗号分隔",
          "doc_type": "、".join(DOC_TYPES) + "，多个用逗号分隔",
          "issuer_key": "发布机构标识（行政区划代码:类别[:名称]，如 150821:政府）或 none（未识别），多个用逗号分隔",
          "by": "、".join(DIMENSIONS) + " 中的一两个，用逗号分隔",
          "terms": "用 | 分隔的词语，如 枫桥经验|双随机一公开"}


def _values(args: MultiDict, name: str) -> list[str]:
    """Repeated (?year=2021&year=2022) or comma-separated values, de-duplicated;
    each value must fit the parameter's published pattern."""
    _given(args, name)
    out: list[str] = []
    for raw in args.getlist(name):
        contract.check_pattern(name, raw, _WANTS[name])
        out.extend(v.strip() for v in raw.split(","))
    return list(dict.fromkeys(out))


def _query(args: MultiDict, require_q: bool) -> str:
    raw = args.get("q", "")
    if not raw.strip():
        if require_q:
            raise QueryError("缺少查询参数 q (missing query parameter q)")
        _given(args, "q")  # optional, but not present and empty
        return ""
    contract.check_length("q", raw)
    return raw.strip()


def search_params(args: MultiDict, *, require_q: bool = True, search_sort: bool = True) -> SearchParams:
    """Validate the search parameters; raises QueryError with a message.
    ``search_sort`` False leaves ``sort`` to the caller (the concordance's
    sort orders are its own)."""
    q = _query(args, require_q)
    filters = filters_of({name: _values(args, name) for name in FILTER_PARAMETERS})
    return SearchParams(
        q=q,
        filters=filters,
        page=_int(args, "page", 1),
        per_page=_int(args, "per_page", DEFAULT_PER_PAGE),
        sort=choice(args, "sort", SORTS, "") or None if search_sort else None,
        exact=_flag(args, "exact"),
        expand=_flag(args, "expand"),
        collapse=_flag(args, "collapse", default=True),
    )


def _flag(args: MultiDict, name: str, default: bool = False) -> bool:
    raw = _given(args, name)
    if raw is None:
        return default
    if raw not in contract.FLAGS:
        raise QueryError(f"参数 {name} 只能是 0/1 或 false/true ({name} must be 0, 1, false or true, got {raw[:40]!r})")
    return raw in contract.TRUE


def run_search(params: SearchParams):
    return engine().search(params.q, params.filters, page=params.page, per_page=params.per_page,
                           sort=params.sort, exact=params.exact, expand=params.expand, collapse=params.collapse)


def kwic_params(args: MultiDict, *, default_per_page: int = DEFAULT_PER_PAGE) -> tuple[SearchParams, str, int]:
    """Search parameters plus the concordance's own sort and context width."""
    params = search_params(args, search_sort=False)
    if _given(args, "per_page") is None:
        params = dataclasses.replace(params, per_page=default_per_page)
    sort = choice(args, "sort", KWIC_SORTS, "report")
    width = _int(args, "width", DEFAULT_WIDTH)
    return params, sort, width


def _query_args(params: SearchParams) -> dict:
    return {"exact": params.exact, "expand": params.expand, "collapse": params.collapse}


def matches(params: SearchParams, sort: str = "relevance"):
    """(parsed, matcher, records) for every match, near-duplicates collapsed
    unless the user expanded them - as in the results list."""
    return engine().iter_matches(params.q, params.filters, sort=sort, **_query_args(params))


def concordance_page(params: SearchParams, *, sort: str, width: int, everything: bool = False,
                     near: Near | None = None) -> dict:
    """The request's page of the concordance (Engine.concordance)."""
    return engine().concordance(params.q, params.filters, sort=sort, width=width, page=params.page,
                                per_page=params.per_page, everything=everything, near=near, **_query_args(params))


def window_param(args: MultiDict) -> int:
    """Characters either side of a match that count as near it (collocates)."""
    return _int(args, "window", DEFAULT_WINDOW)


def near_param(args: MultiDict) -> Near | None:
    """``near=WORD`` (with ``window``): only the concordance lines that hold WORD nearby."""
    raw, window = _given(args, "near"), window_param(args)
    if raw is None:
        return None
    contract.check_length("near", raw)
    contract.check_pattern("near", raw, "含汉字、字母或数字的词语")
    return Near.of(raw, window)


def trend_rows(params: SearchParams) -> list[dict]:
    """The request's trend (Engine.trend)."""
    return engine().trend(params.q, params.filters, **_query_args(params))


def selected(params: SearchParams, counts: bool = True) -> Selected:
    """The reports the request's query and filters select (Engine.selected)."""
    return engine().selected(params.q, params.filters, counts=counts, **_query_args(params))


def by_param(args: MultiDict, default: tuple[str, ...] = ("province",)) -> list[str]:
    """A distribution's dimensions: ``by=province,year`` (one or two)."""
    return checked(_values(args, "by") or list(default))


def unit_param(args: MultiDict) -> tuple[str, str]:
    """A diffusion's places (province, city or county) and the order of its table."""
    return choice(args, "unit", UNITS, "province"), choice(args, "order", ORDERS, "first_year")


def terms_param(args: MultiDict) -> list[str]:
    """A panel's terms: ``terms=A|B|C`` (or the parameter repeated)."""
    _given(args, "terms")
    raws = args.getlist("terms")
    for raw in raws:
        contract.check_length("terms", raw, contract.MAX_TERMS_LENGTH)
        contract.check_pattern("terms", raw, _WANTS["terms"])
    return panel_terms("|".join(raws))


def limit_param(args: MultiDict, default: int = 100) -> int:
    """How many rows of a ranked list (candidates, collocates, keyness) to return."""
    return _int(args, "limit", default)


def min_reports_param(args: MultiDict, default: int = 2) -> int:
    """Only what occurs in at least this many reports."""
    return _int(args, "min_reports", default)


def min_freq_param(args: MultiDict, default: int) -> int:
    """Only words that occur at least this often (collocates, keyness)."""
    return _int(args, "min_freq", default)


def sides_param(args: MultiDict) -> tuple[str, str]:
    """Keyness's two sides, each a query in the query language (``a=year:2023&b=year:2020``)."""
    sides = []
    for name in ("a", "b"):
        raw = _given(args, name)
        if raw is None:
            raise QueryError(f"缺少参数 {name}：对比的两组各是一个检索式，如 a=year:2023&b=year:2020 "
                             f"(missing parameter {name}: each side is a query)")
        contract.check_length(name, raw)
        contract.check_pattern(name, raw, "检索式，如 year:2023 或 level:县级 营商环境")
        sides.append(raw.strip())
    return sides[0], sides[1]


def collocates_answer(args: MultiDict) -> dict:
    """The request's collocates (search.collocates), as the API and the page give them."""
    from govsearch.search import collocates

    return collocates.collocates(selected(search_params(args), counts=False), window=window_param(args),
                                 limit=limit_param(args, collocates.DEFAULT_LIMIT),
                                 min_freq=min_freq_param(args, collocates.DEFAULT_MIN_FREQ))


def keyness_answer(args: MultiDict) -> dict:
    """The request's keyness (search.keyness): sides a and b, the search's filters on both."""
    from govsearch.search import keyness

    params = search_params(args, require_q=False)
    sides = [selected(dataclasses.replace(params, q=side), counts=False) for side in sides_param(args)]
    return keyness.keyness(*sides, limit=limit_param(args, keyness.DEFAULT_LIMIT),
                           min_freq=min_freq_param(args, keyness.DEFAULT_MIN_FREQ))


def candidates_answer(args: MultiDict) -> dict:
    """The request's new-measure candidates (search.candidates) and how many reports were read."""
    from govsearch.search import candidates

    chosen = selected(search_params(args, require_q=False), counts=False)
    limit, min_reports = limit_param(args), min_reports_param(args)
    return {"query": args.get("q", "").strip(), "reports": len(chosen.kept), "min_reports": min_reports,
            "limit": limit, "candidates": candidates.candidates(chosen, limit=limit, min_reports=min_reports)}
