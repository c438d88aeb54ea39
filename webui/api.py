"""The JSON API: every HTML page has a twin here (see DESIGN.md)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, request, stream_with_context, url_for

from govsearch.search import sources
from govsearch.search.export import FORMATS, PARQUET_TYPE, csv_rows, jsonl_rows, parquet_chunks
from govsearch.search.export import rows as export_rows
from govsearch.search.kwic import LINE_COLUMNS
from govsearch.search.records import public
from govsearch.webui.contract import MAX_PAGE
from govsearch.webui.openapi import CONCORDANCE_FORMATS, spec
from govsearch.webui.params import (
    SearchParams,
    choice,
    concordance_page,
    engine,
    kwic_params,
    matches,
    near_param,
    run_search,
    search_params,
    trend_rows,
)

bp = Blueprint("api", __name__, url_prefix="/api")

_REPORT_ID = re.compile(r"^[0-9a-f]{40}$")


def valid_id(report_id: str) -> bool:
    return bool(_REPORT_ID.match(report_id))


def lookup_report(report_id: str) -> tuple[dict | None, str | None]:
    """(the record, None), or (None, the id it has now) for an id it had
    before, or (None, None): what /reports/<id> and /api/reports/<id> answer."""
    if not valid_id(report_id):
        return None, None
    record = engine().get(report_id)
    return (record, None) if record is not None else (None, engine().renamed(report_id))


def found_report(report_id: str, endpoint: str):
    """The record, or a 301 to the id it has now, or a 404: the first step
    of every route under /reports/<id> that answers for the record."""
    record, current = lookup_report(report_id)
    if current:
        return None, redirect(url_for(endpoint, report_id=current, **request.args), code=301)
    if record is None:
        abort(404, description=f"没有这篇报告 (no report with id {report_id[:60]!r})")
    return record, None


def page_links(page: int, per_page: int, total: int) -> dict[str, str | None]:
    """``next`` and ``prev``: this request's URL (a path with its query,
    relative to the server, never built from the Host header) at the
    neighbouring pages, null past either end or past the last page allowed."""
    last = min(max(1, -(-total // per_page)), MAX_PAGE)

    def at(number: int) -> str:
        args = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
        return f"{request.path}?{urlencode([*args, ('page', str(number))])}"

    return {"next": at(page + 1) if page < last else None, "prev": at(min(page - 1, last)) if page > 1 else None}


@bp.get("/search")
def search():
    result = run_search(search_params(request.args))
    return jsonify({**result.to_dict(), **page_links(result.page, result.per_page, result.total)})


@bp.get("/concordance")
def concordance():
    params, sort, width = kwic_params(request.args)
    fmt = choice(request.args, "format", CONCORDANCE_FORMATS, "json")
    page = concordance_page(params, sort=sort, width=width, everything=fmt == "csv", near=near_param(request.args))
    if fmt == "csv":  # streamed: one report's lines in memory at a time (or the bounded context sort)
        rows = (line.to_dict() for line in page["lines"])
        return download(csv_rows(rows, LINE_COLUMNS), "text/csv; charset=utf-8", "concordance", "csv")
    return jsonify({**page, "lines": [line.to_dict() for line in page["lines"]],
                    **page_links(page["page"], page["per_page"], page["total"])})


@bp.get("/trend")
def trend():
    params = search_params(request.args)
    return jsonify({"query": params.q, "years": trend_rows(params)})


@bp.get("/export")
def export():
    params: SearchParams = search_params(request.args)
    fmt = choice(request.args, "format", FORMATS, "csv")
    _, matcher, records = matches(params)
    found = export_rows(matcher, records)
    if fmt == "csv":
        return download(csv_rows(found), "text/csv; charset=utf-8", "govsearch", "csv")
    if fmt == "parquet":
        return download(parquet_chunks(found), PARQUET_TYPE, "govsearch", "parquet")
    return download(jsonl_rows(found), "application/x-ndjson; charset=utf-8", "govsearch", "jsonl")


def download(chunks, content_type: str, stem: str, suffix: str) -> Response:
    """A streamed attachment named after the query and the time."""
    q = re.sub(r"[\\/:*?\"<>|\s]+", "_", request.args.get("q", ""))[:40]
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    name = f"{stem}-{q}-{stamp}.{suffix}"
    # content_type, not mimetype: Werkzeug appends a charset to a text/* mimetype, a second one here.
    response = Response(stream_with_context(chunks), content_type=content_type)
    response.headers["Content-Disposition"] = (f"attachment; filename={stem}.{suffix}; "
                                               f"filename*=UTF-8''{quote(name)}")
    return response


def permalink(report_id: str) -> str:
    """The report page's address that stays valid across reindexes: under
    the configured public URL when there is one, else as this request
    reached the server."""
    base = current_app.config.get("GOVSEARCH_PUBLIC_URL") or ""
    path = url_for("views.report", report_id=report_id)
    return f"{base}{path}" if base else url_for("views.report", report_id=report_id, _external=True)


@bp.get("/reports/<report_id>")
def report(report_id: str):
    record, moved = found_report(report_id, ".report")
    if moved:
        return moved  # an id it had before
    about = sources.about(engine(), record, permalink(record["id"]))
    return jsonify({**public(record), **about, "versions": [public(v) for v in engine().versions(report_id)]})


@bp.get("/stats")
def stats():
    return jsonify(engine().stats())


@bp.get("/openapi.json")
def openapi():
    # The servers entry comes from configuration (serve --public-url), never
    # from the Host header a client sent.
    return jsonify(spec(current_app.config.get("GOVSEARCH_PUBLIC_URL") or ""))

