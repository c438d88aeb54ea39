"""The research instruments' JSON twins, with CSV and Parquet for tables.

Each endpoint parses the request, asks the library (search.distribution,
search.diffusion, search.panel) and renders: JSON by default, a download
with ``format=``.  The query and filters are the search's; near-duplicates
collapse unless ``collapse=0``.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, jsonify, request

from govsearch.search import candidates as candidates_table
from govsearch.search import collocates as collocates_table
from govsearch.search import diffusion as diffusion_table
from govsearch.search import distribution as distribution_table
from govsearch.search import keyness as keyness_table
from govsearch.search import panel as panel_table
from govsearch.search.export import PARQUET_TYPE, csv_rows, jsonl_rows, parquet_chunks, table_schema
from govsearch.webui.api import download, page_links
from govsearch.webui.openapi import TABLE_FORMATS
from govsearch.webui.params import (
    by_param,
    candidates_answer,
    choice,
    collocates_answer,
    keyness_answer,
    search_params,
    selected,
    terms_param,
    unit_param,
)

bp = Blueprint("instruments_api", __name__, url_prefix="/api")

def _download(rows: Iterable[dict], kinds: dict[str, str], stem: str, fmt: str):
    """A whole table as a download (rows streamed for CSV and JSON Lines)."""
    names = tuple(kinds)
    if fmt == "parquet":
        return download(parquet_chunks(rows, schema=table_schema(kinds)), PARQUET_TYPE, stem, "parquet")
    if fmt == "jsonl":
        return download(jsonl_rows(rows, names), "application/x-ndjson; charset=utf-8", stem, "jsonl")
    return download(csv_rows(rows, names), "text/csv; charset=utf-8", stem, "csv")


@bp.get("/distribution")
def distribution():
    params = search_params(request.args, require_q=False)
    by = by_param(request.args)
    fmt = choice(request.args, "format", TABLE_FORMATS, "json")
    rows = distribution_table.distribution(selected(params), by)
    if fmt != "json":
        return _download(rows, distribution_table.columns(by), "distribution", fmt)
    return jsonify({"query": params.q, "by": by, "collapse": params.collapse, "rows": rows})


@bp.get("/diffusion")
def diffusion():
    params = search_params(request.args)
    unit, order = unit_param(request.args)
    fmt = choice(request.args, "format", TABLE_FORMATS, "json")
    chosen = selected(params, counts=False)  # places and reports: no occurrence is counted
    if fmt != "json":
        answer = diffusion_table.diffusion(chosen, unit, order=order)
        return _download(diffusion_table.table_rows(answer["places"]), diffusion_table.TABLE, "diffusion", fmt)
    per_page = params.per_page if "per_page" in request.args else diffusion_table.PLACES_PER_PAGE
    start = (params.page - 1) * per_page
    answer = diffusion_table.diffusion(chosen, unit, start, start + per_page, order)
    return jsonify({"query": params.q, **answer, "page": params.page, "per_page": per_page,
                    **page_links(params.page, per_page, answer["total"])})


@bp.get("/panel")
def panel():
    params = search_params(request.args, require_q=False)
    terms = terms_param(request.args)
    fmt = choice(request.args, "format", TABLE_FORMATS, "json")
    chosen = selected(params, counts=False)  # the panel counts its own terms
    if fmt != "json":
        return _download(panel_table.panel_rows(chosen, terms), panel_table.kinds(terms), "panel", fmt)
    start = (params.page - 1) * params.per_page
    rows = list(panel_table.panel_rows(chosen, terms, start, start + params.per_page))
    total = len(chosen.kept)
    return jsonify({"query": params.q, "terms": terms, "total": total, "page": params.page,
                    "per_page": params.per_page, "rows": rows, **page_links(params.page, params.per_page, total)})


def _listed(answer_of, rows_of, kinds: dict[str, str], stem: str):
    """A ranked list (candidates, collocates, keyness): its answer as JSON, or its rows as a download."""
    fmt = choice(request.args, "format", TABLE_FORMATS, "json")
    answer = answer_of(request.args)
    return jsonify(answer) if fmt == "json" else _download(rows_of(answer), kinds, stem, fmt)


@bp.get("/terms/candidates")
def candidates():
    return _listed(candidates_answer, lambda answer: candidates_table.table_rows(answer["candidates"]),
                   candidates_table.TABLE, "candidates")


@bp.get("/collocates")
def collocates():
    return _listed(collocates_answer, lambda answer: answer["collocates"], collocates_table.TABLE, "collocates")


@bp.get("/keyness")
def keyness():
    return _listed(keyness_answer, keyness_table.table_rows, keyness_table.TABLE, "keyness")
