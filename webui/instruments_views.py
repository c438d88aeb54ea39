"""The research instruments' pages: distribution map, diffusion curve, panel.

Each page parses the request as its JSON twin does (webui.params), asks the
same library function, and only arranges the answer for reading: tiles,
a pivot, a curve's geometry.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from govsearch.search import diffusion as diffusion_table
from govsearch.search import distribution as distribution_table
from govsearch.search import panel as panel_table
from govsearch.search.dimensions import NAMES, UNITS, order_key
from govsearch.search.query import FILTER_PARAMETERS, QueryError
from govsearch.webui import tilemap
from govsearch.webui.params import (
    by_param,
    candidates_answer,
    collocates_answer,
    engine,
    keyness_answer,
    search_params,
    selected,
    terms_param,
    unit_param,
)

bp = Blueprint("instruments", __name__)

PANEL_PREVIEW = 20
PLACE_ORDERS = {"first_year": "首次提及年份", "place": "地区", "mentioning": "提及报告数", "reports": "报告总数"}
CURVE_WIDTH, CURVE_HEIGHT = 560, 180


def _args() -> MultiDict:
    """The request's parameters without empty ones: a form's unset select
    (全部年份) sends ``year=``, which means no filter here."""
    return MultiDict([(k, v) for k, v in request.args.items(multi=True) if v.strip()])


def _filters_args() -> dict:
    """The request's query and filters, as a results link carries them."""
    keep = ("q", "exact", "expand", "collapse", *FILTER_PARAMETERS)
    return {k: v for k, v in _args().items(multi=True) if k in keep}


def _results_url(**extra: str) -> str:
    """The search results of this query and filters, narrowed by ``extra``."""
    args = {**_filters_args(), **extra}
    return url_for("views.index") + "?" + urlencode(args)


def _pivot(rows: list[dict], by: list[str]) -> dict:
    """Rows of a two-way distribution as a table: first dimension down, second across."""
    down = list(dict.fromkeys(row[by[0]] for row in rows))
    across = sorted({row[by[1]] for row in rows}, key=order_key)
    cells = {(row[by[0]], row[by[1]]): row for row in rows}
    return {"down": down, "across": across, "cells": cells}


def _map(chosen) -> dict:
    """Tiles per province, national bodies and reports of no known province apart."""
    rows = distribution_table.distribution(chosen, ["province", "level"])
    national = [row for row in rows if row["level"] == tilemap.NATIONAL]
    unplaced = [row for row in rows if row["province"] is None and row["level"] != tilemap.NATIONAL]
    placed = [row for row in rows if row["province"] is not None and row["level"] != tilemap.NATIONAL]
    summed = distribution_table.summed(placed, "province")
    return {"tiles": tilemap.tiles(summed),
            "national": distribution_table.summed(national, "level").get(tilemap.NATIONAL),
            "unplaced": distribution_table.summed(unplaced, "province").get(None),
            "unlisted": sorted(name for name in summed if tilemap.short_name(name) is None)}


def _page(template: str, **context):
    """An instrument's page, with the dimension names and the request's filters."""
    return render_template(template, names=NAMES, filters_args=_filters_args(), **context)


@bp.get("/distribution")
def distribution():
    q = request.args.get("q", "").strip()
    if not q:
        return _page("distribution.html", q="", answer=None, error=None)
    try:
        params = search_params(_args())
        by = by_param(_args(), default=("province", "year"))
        chosen = selected(params)
        rows = distribution_table.distribution(chosen, by)
        answer = {"by": by, "rows": rows, "map": _map(chosen),
                  "pivot": _pivot(rows, by) if len(by) == 2 else None,
                  "years": [y for y in engine().year_totals() if y is not None]}
    except QueryError as exc:
        return _page("distribution.html", q=q, answer=None, error=str(exc)), 400
    return _page("distribution.html", q=q, answer=answer, error=None, results_url=_results_url,
                 json_url=url_for("instruments_api.distribution") + "?" + urlencode(list(_args().items(multi=True))))


def _curve(points: list[dict]) -> dict | None:
    """SVG geometry of the adoption share per year (0..1 up the side)."""
    if not points:
        return None
    step = CURVE_WIDTH / max(1, len(points) - 1)
    dots = [{**p, "x": round(40 + i * step * (CURVE_WIDTH - 60) / CURVE_WIDTH, 1),
             "y": round(10 + (1 - p["share"]) * (CURVE_HEIGHT - 40), 1)} for i, p in enumerate(points)]
    return {"dots": dots, "path": " ".join(f"{d['x']},{d['y']}" for d in dots), "width": CURVE_WIDTH,
            "height": CURVE_HEIGHT, "base": CURVE_HEIGHT - 30}


@bp.get("/diffusion")
def diffusion():
    q = request.args.get("q", "").strip()
    if not q:
        return _page("diffusion.html", q="", answer=None, error=None, units=UNITS)
    try:
        params = search_params(_args())
        unit, order = unit_param(_args())
        size = diffusion_table.PLACES_PER_PAGE
        start = (params.page - 1) * size
        answer = diffusion_table.diffusion(selected(params, counts=False), unit, start, start + size, order)
    except QueryError as exc:
        return _page("diffusion.html", q=q, answer=None, error=str(exc), units=UNITS), 400
    return _page("diffusion.html", q=q, answer=answer, error=None, unit=unit, units=UNITS, order=order,
                 orders=PLACE_ORDERS, page=params.page, pages=max(1, -(-answer["total"] // size)),
                 curve=_curve(answer["curve"]), results_url=_results_url,
                 csv_url=url_for("instruments_api.diffusion") + "?" + urlencode(
                     {**_filters_args(), "unit": unit, "order": order, "format": "csv"}))


@bp.get("/panel")
def panel():
    if not request.args.get("terms", "").strip():
        return _page("panel.html", q=request.args.get("q", ""), answer=None, error=None, terms_text="")
    terms_text = request.args.get("terms", "")
    try:
        params = search_params(_args(), require_q=False)
        terms = terms_param(_args())
        chosen = selected(params, counts=False)
        counts = panel_table.term_counts(chosen, terms)
        kept = counts[:, chosen.kept]
        totals = [{"term": t, "occurrences": int(c.sum()), "reports": int((c > 0).sum())}
                  for t, c in zip(terms, kept, strict=True)]
        rows = list(panel_table.panel_rows(chosen, terms, 0, PANEL_PREVIEW, counts))
    except QueryError as exc:
        return _page("panel.html", q=request.args.get("q", ""), answer=None, error=str(exc),
                     terms_text=terms_text), 400
    base = url_for("instruments_api.panel") + "?" + urlencode({**_filters_args(), "terms": "|".join(terms)})
    return _page("panel.html", q=params.q, terms_text=terms_text, error=None,
                 answer={"terms": terms, "rows": rows, "total": len(chosen.kept), "totals": totals},
                 fields=panel_table.PANEL_FIELDS, downloads={fmt: f"{base}&format={fmt}"
                                                             for fmt in ("csv", "jsonl", "parquet")})


SHAPE_LABELS = {"quoted": "引号中的名称", "plus": "X+Y", "paired": "一X一Y", "place": "地名+经验/模式"}


@bp.get("/candidates")
def candidates():
    """Candidate new measures over the query's reports (every report without one)."""
    try:
        answer = candidates_answer(_args())
    except QueryError as exc:
        return _page("candidates.html", q=request.args.get("q", ""), answer=None, error=str(exc)), 400
    base = url_for("instruments_api.candidates") + "?" + urlencode(
        {**_filters_args(), "limit": answer["limit"], "min_reports": answer["min_reports"]})
    return _page("candidates.html", q=answer["query"], answer=answer, error=None, shapes=SHAPE_LABELS,
                 json_url=base, csv_url=base + "&format=csv")


WINDOWS = (3, 5, 10, 20)


@bp.get("/collocates")
def collocates():
    """The query's collocates, a tab beside its concordance; a word opens the lines that hold both."""
    q = request.args.get("q", "").strip()
    if not q:
        return _page("collocates.html", q="", answer=None, error=None, windows=WINDOWS)
    try:
        answer = collocates_answer(_args())
    except QueryError as exc:
        return _page("collocates.html", q=q, answer=None, error=str(exc), windows=WINDOWS), 400
    nearby = {**_filters_args(), "window": answer["window"]}
    return _page("collocates.html", q=q, answer=answer, error=None, window=answer["window"], windows=WINDOWS,
                 lines_url=url_for("views.concordance") + "?" + urlencode(nearby),
                 csv_url=url_for("instruments_api.collocates") + "?" + urlencode({**nearby, "format": "csv"}))


@bp.get("/keyness")
def keyness():
    """Words over- and under-represented in one set of reports against another."""
    a, b = request.args.get("a", "").strip(), request.args.get("b", "").strip()
    if not a and not b:
        return _page("keyness.html", a="", b="", answer=None, error=None)
    try:
        answer = keyness_answer(_args())
    except QueryError as exc:
        return _page("keyness.html", a=a, b=b, answer=None, error=str(exc)), 400
    return _page("keyness.html", a=a, b=b, answer=answer, error=None,
                 csv_url=url_for("instruments_api.keyness") + "?" + urlencode({**_filters_args(), "a": a, "b": b,
                                                                               "format": "csv"}))
