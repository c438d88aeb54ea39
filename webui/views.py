"""HTML pages; each renders the same data as its JSON twin under /api."""

from __future__ import annotations

import bisect
import dataclasses
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from markupsafe import Markup

from govsearch.search import sources
from govsearch.search.glance import glance
from govsearch.search.highlight import mark_paragraphs
from govsearch.search.matching import TextMatcher
from govsearch.search.query import UNKNOWN, QueryError
from govsearch.search.selection import FACETS
from govsearch.webui.api import lookup_report, permalink
from govsearch.webui.openapi import reference, spec
from govsearch.webui.params import (
    concordance_page,
    engine,
    kwic_params,
    near_param,
    run_search,
    search_params,
    trend_rows,
)

bp = Blueprint("views", __name__)

# The facets a page shows, in this order (the API also has adcode, whose codes tell a reader little).
FACET_LABELS = {"year": "报告年度", "level": "行政层级", "issuer_kind": "发布主体", "province": "省份",
                "city": "城市", "county": "区县", "doc_type": "文档类型", "issuer_key": "发布机构"}
# A page lists this many of a place facet's values (the most frequent, and any selected).
SHOWN_PLACES = 12
DOC_TYPE_LABELS = {"annual_report": "年度报告", "other": "其他"}
SORT_LABELS = {"relevance": "相关度", "occurrences": "出现次数", "newest": "最新", "oldest": "最早"}
KWIC_SORT_LABELS = {"report": "按报告", "year": "按年份", "left": "按左侧语境", "right": "按右侧语境"}
CITATION_LABELS = {"gbt7714": "GB/T 7714", "bibtex": "BibTeX", "ris": "RIS", "csl": "CSL-JSON"}
SECTION_LABELS = {"measures": "主要举措", "responsibility": "第一责任人职责", "shortcomings": "问题不足",
                  "plans": "下一步安排", "other": "其他"}
FACET_PARAMS = tuple(FACETS)
# Parameters a report link carries so the report page highlights the same query.
QUERY_PARAMS = ("q", "exact", "expand")
# The trend reads every matching report's text (about 0.3 ms a report), so
# above this many hits it waits for a click on 趋势 instead of slowing every page.
TREND_INLINE_MAX = 100
KWIC_PER_PAGE = 50
CHART_HEIGHT = 90  # SVG units for the tallest bar


@dataclasses.dataclass(frozen=True)
class Example:
    """One research instrument on the home page, with a query whose words
    occur across many of the bundled reports (tests/test_bundled_corpus.py
    checks that they still do)."""

    key: str
    name: str
    path: str
    args: tuple[tuple[str, str], ...]
    text: str
    fragment: str = ""

    @property
    def href(self) -> str:
        return self.path + ("?" + urlencode(self.args) if self.args else "") + self.fragment


INSTRUMENTS = (
    Example("distribution", "分布", "/distribution", (("q", "依法行政"), ("by", "province")),
            "提及“依法行政”的报告在各省份的数量与占比"),
    Example("diffusion", "扩散", "/diffusion", (("q", "放管服"), ("unit", "province")),
            "“放管服”逐年出现在哪些省份的报告中"),
    Example("panel", "面板", "/panel", (("terms", "依法行政|政务公开|放管服"),),
            "三个词在各年度报告中的出现，一词一列"),
    Example("collocates", "搭配词", "/collocates", (("q", "法治"),), "常与“法治”一同出现的词"),
    Example("keyness", "关键词对比", "/keyness", (("a", "year:2023"), ("b", "year:2020")),
            "2023 年度的报告比 2020 年度多用、少用哪些词"),
    Example("candidates", "候选举措", "/candidates", (), "反复出现、尚未收入举措词典的名称"),
    Example("concordance", "词语索引", "/concordance", (("q", "放管服"),), "“放管服”的每一处出现及其上下文"),
    Example("trend", "趋势", "/", (("q", "政务公开"), ("trend", "1")), "提及“政务公开”的报告逐年有多少",
            "#trend"),
)


def _toggle_url(name: str, value) -> str:
    """This page's URL with one facet value switched on or off (page reset)."""
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    values = [v for raw in args.get(name, []) for v in raw.split(",") if v]
    value = _token(value)
    args[name] = [v for v in values if v != value] if value in values else [*values, value]
    return "?" + urlencode(args, doseq=True)


def _url_with(name: str, value) -> str:
    """This page's URL with one parameter set (None removes it); any other
    change than the page resets paging."""
    args = request.args.to_dict(flat=False)
    if name != "page":
        args.pop("page", None)
    if value is None:
        args.pop(name, None)
    else:
        args[name] = [str(value)]
    return "?" + urlencode(args, doseq=True)


def _selected(name: str) -> list[str]:
    return list(dict.fromkeys(v for raw in request.args.getlist(name) for v in raw.split(",") if v))


def _is_selected(name: str, value) -> bool:
    return _token(value) in _selected(name)


def _query_args(*, keep=QUERY_PARAMS + FACET_PARAMS, **extra) -> str:
    """The query string of this page's query and filters only, plus ``extra``."""
    pairs = [(k, v) for k in keep for v in request.args.getlist(k) if v != ""]
    pairs += [(k, str(v)) for k, v in extra.items() if v is not None]
    return urlencode(pairs)


def _report_url(report_id: str, mark: int | None = None) -> str:
    """A report page that highlights this page's query (at one occurrence)."""
    query = _query_args(keep=QUERY_PARAMS)
    return (url_for("views.report", report_id=report_id) + (f"?{query}" if query else "")
            + (f"#m{mark}" if mark else ""))


@bp.app_context_processor
def helpers():
    return {"toggle_url": _toggle_url, "url_with": _url_with, "is_selected": _is_selected,
            "query_args": _query_args, "report_url": _report_url,
            # The trend counts every year: its link keeps every filter but the year.
            "trend_keep": QUERY_PARAMS + tuple(p for p in FACET_PARAMS if p != "year"),
            "facet_labels": FACET_LABELS, "doc_type_labels": DOC_TYPE_LABELS,
            "sort_labels": SORT_LABELS, "section_labels": SECTION_LABELS, "kwic_sort_labels": KWIC_SORT_LABELS}


def _facets(facets: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Facet values for display: each marked selected or not, and a selected
    value the other filters have emptied still listed (count 0), so it can be
    switched off."""
    out = {}
    for name in FACET_LABELS:
        values = facets.get(name, [])
        if FACETS[name].limit is not None:
            values = values[:SHOWN_PLACES] + [v for v in values[SHOWN_PLACES:] if v["value"] is None]
        chosen = _selected(name)
        items = [{**v, "token": _token(v["value"])} for v in values]
        shown = {item["token"] for item in items}
        items += [{"value": None if v == UNKNOWN else v, "token": v, "count": 0} for v in chosen if v not in shown]
        out[name] = [{**item, "selected": item["token"] in chosen} for item in items]
    return out


def _token(value) -> str:
    """A facet value as the URL carries it: the unknown bucket is ``none``."""
    return UNKNOWN if value is None else str(value)


def _chart(rows: list[dict]) -> dict:
    """Bar geometry (SVG units) for matching reports per year."""
    top = max([r["reports"] for r in rows] + [1])
    step = 48 if len(rows) <= 10 else max(14, 480 // len(rows))
    bars = []
    for i, row in enumerate(rows):
        height = round(CHART_HEIGHT * row["reports"] / top, 1)
        bars.append({**row, "x": i * step + step * 0.15, "width": step * 0.7, "height": height,
                     "y": 20 + CHART_HEIGHT - height, "label_x": i * step + step / 2,
                     "selected": _is_selected("year", row["year"])})
    return {"bars": bars, "width": max(len(rows) * step, 120), "height": CHART_HEIGHT + 40,
            "base": 20 + CHART_HEIGHT, "label_every": 1 if step >= 34 else -(-34 // step)}


def _trend(params, result) -> dict | None:
    """The trend section: rows and chart, or None to offer a link instead.
    Counted without the year selection, like the year facet, so the chart
    shows where the other years stand."""
    wanted = request.args.get("trend")
    if wanted == "0" or not result.total:
        return None
    # Collapsed hits hide their duplicates, which the trend reads too.
    matches = result.total + sum(hit.duplicates for hit in result.hits)
    if wanted != "1" and (matches > TREND_INLINE_MAX or result.page > 1):
        return None
    rows = trend_rows(dataclasses.replace(params, filters=dataclasses.replace(params.filters, years=[])))
    if not any(r["reports"] for r in rows if r["year"] is not None):
        return {"rows": [], "chart": None}  # no matching report has a report year
    return {"rows": rows, "chart": _chart(rows)}


@bp.get("/")
def index():
    q = request.args.get("q", "").strip()
    if not q:
        return render_template("search.html", q="", result=None, error=None, stats=engine().stats(),
                               glance=glance(engine()), instruments=INSTRUMENTS)
    try:
        params = search_params(request.args)
        result = run_search(params)
        trend = _trend(params, result)
    except QueryError as exc:
        return render_template("search.html", q=q, result=None, error=str(exc),
                               stats=None), 400
    hits = [{**h.to_dict(), "snippets": [Markup(s) for s in h.snippets]} for h in result.hits]
    return render_template("search.html", q=q, result=result, hits=hits, params=params,
                           facets=_facets(result.facets), trend=trend, error=None, stats=None)


@bp.get("/concordance")
def concordance():
    """Every occurrence, one per line, like /api/concordance."""
    q = request.args.get("q", "").strip()
    if not q:
        return render_template("concordance.html", q="", page=None, error=None)
    try:
        params, sort, width = kwic_params(request.args, default_per_page=KWIC_PER_PAGE)
        near = near_param(request.args)
        page = concordance_page(params, sort=sort, width=width, near=near)
        facets = _facets(run_search(dataclasses.replace(params, page=1, per_page=1, sort=None)).facets)
        _, _, matcher = engine().prepare(params.q, exact=params.exact, expand=params.expand)
    except QueryError as exc:
        return render_template("concordance.html", q=q, page=None, error=str(exc)), 400
    # Each line links to its mark on the report page: the nth occurrence in
    # text order, found by reading just the reports on this page.
    positions: dict[str, list[int]] = {}
    for line in page["lines"]:
        if line.report["id"] not in positions:
            record = engine().get(line.report["id"]) or {}
            positions[line.report["id"]] = [a for a, _ in matcher.spans(record.get("text", ""))]
    shown = [{"line": line, "mark": bisect.bisect_left(positions[line.report["id"]], line.position) + 1}
             for line in page["lines"]]
    pages = max(1, -(-page["total"] // params.per_page))
    nearby = {"near": near.word, "window": near.window} if near else {}
    csv_args = _query_args(sort=sort, width=width, format="csv", **nearby)
    return render_template("concordance.html", q=q, error=None, page=page, lines=shown, pages=pages,
                           current=params.page, per_page=params.per_page, facets=facets, sort=sort, width=width,
                           near=near, csv_url=url_for("api.concordance") + "?" + csv_args)


def _paragraphs(record: dict, matcher: TextMatcher | None) -> tuple[list[dict], int]:
    """The text's paragraphs as escaped HTML with every occurrence of the
    query numbered (the concordance's lines, in the same order), section
    headings with anchors; and the count of occurrences."""
    starts = {s["start"]: i for i, s in enumerate(record.get("sections") or [], 1)}
    full = record.get("text", "")
    spans = matcher.spans(full) if matcher is not None else []
    marked, marks = mark_paragraphs(full, spans)
    out, offset = [], 0
    for text, html in zip(full.split("\n"), marked, strict=True):
        section = starts.get(offset)
        out.append({"html": Markup(html), "section": section, "heading": section is not None and len(text) <= 60})
        offset += len(text) + 1
    return out, marks


@bp.get("/reports/<report_id>")
def report(report_id: str):
    record, current = lookup_report(report_id)
    if current:
        return redirect(url_for(".report", report_id=current, **request.args), code=301)  # an id it had before
    if record is None:
        abort(404, description="没有这篇报告 (no such report)")
    q = request.args.get("q", "").strip()
    matcher, error = None, None
    if q:
        try:
            params = search_params(request.args, search_sort=False)
            _, _, matcher = engine().prepare(params.q, exact=params.exact, expand=params.expand)
        except QueryError as exc:
            error = str(exc)
    paragraphs, marks = _paragraphs(record, matcher)
    anchors = {p["section"] for p in paragraphs if p["section"]}
    return render_template("report.html", r=record, q=q, paragraphs=paragraphs, marks=marks, anchors=anchors,
                           query_error=error, versions=engine().versions(report_id),
                           about=sources.about(engine(), record, permalink(record["id"])),
                           citation_labels=CITATION_LABELS)


@bp.get("/api/docs")
def api_docs():
    """The API reference for people: /api/openapi.json rendered here (no CDN, no script)."""
    return render_template("api_docs.html", ref=reference(spec(current_app.config.get("GOVSEARCH_PUBLIC_URL") or "")))


@bp.get("/help")
def query_help():
    """The query language, for people."""
    return render_template("help.html")
