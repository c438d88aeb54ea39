"""HTML pages; each renders the same data as its JSON twin under /api."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, render_template, request
from markupsafe import Markup

from search.query import QueryError
from webui.api import valid_id
from webui.params import engine, run_search, search_params

bp = Blueprint("views", __name__)

FACET_LABELS = {"year": "报告年度", "level": "行政层级", "province": "省份", "doc_type": "文档类型"}
DOC_TYPE_LABELS = {"annual_report": "年度报告", "other": "其他"}
SORT_LABELS = {"relevance": "相关度", "occurrences": "出现次数", "newest": "最新", "oldest": "最早"}
SECTION_LABELS = {"measures": "主要举措", "responsibility": "第一责任人职责", "shortcomings": "问题不足",
                  "plans": "下一步安排", "other": "其他"}


def _toggle_url(name: str, value) -> str:
    """This page's URL with one facet value switched on or off (page reset)."""
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    values = [v for raw in args.get(name, []) for v in raw.split(",") if v]
    value = str(value)
    args[name] = [v for v in values if v != value] if value in values else [*values, value]
    return "?" + urlencode(args, doseq=True)


def _url_with(name: str, value) -> str:
    """This page's URL with one parameter set; any other change resets paging."""
    args = request.args.to_dict(flat=False)
    if name != "page":
        args.pop("page", None)
    args[name] = [str(value)]
    return "?" + urlencode(args, doseq=True)


def _is_selected(name: str, value) -> bool:
    return str(value) in {v for raw in request.args.getlist(name) for v in raw.split(",")}


@bp.app_context_processor
def helpers():
    return {"toggle_url": _toggle_url, "url_with": _url_with, "is_selected": _is_selected,
            "facet_labels": FACET_LABELS, "doc_type_labels": DOC_TYPE_LABELS,
            "sort_labels": SORT_LABELS, "section_labels": SECTION_LABELS}


@bp.get("/")
def index():
    q = request.args.get("q", "").strip()
    if not q:
        return render_template("search.html", q="", result=None, error=None,
                               stats=engine().stats())
    try:
        params = search_params(request.args)
        result = run_search(params)
    except QueryError as exc:
        return render_template("search.html", q=q, result=None, error=str(exc),
                               stats=None), 400
    hits = [{**h.to_dict(), "snippets": [Markup(s) for s in h.snippets]} for h in result.hits]
    return render_template("search.html", q=q, result=result, hits=hits, params=params,
                           error=None, stats=None)


@bp.get("/reports/<report_id>")
def report(report_id: str):
    record = engine().get(report_id) if valid_id(report_id) else None
    if record is None:
        abort(404, description="没有这篇报告 (no such report)")
    return render_template("report.html", r=record, paragraphs=record["text"].split("\n"))
