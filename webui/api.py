"""The JSON API: every HTML page has a twin here (see DESIGN.md)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote

from flask import Blueprint, Response, abort, jsonify, request, stream_with_context

from search.export import FORMATS, csv_rows, jsonl_rows
from search.query import QueryError
from webui.openapi import spec
from webui.params import (
    SearchParams,
    concordance_page,
    engine,
    kwic_params,
    matches,
    run_search,
    search_params,
    trend_rows,
)

bp = Blueprint("api", __name__, url_prefix="/api")

_REPORT_ID = re.compile(r"^[0-9a-f]{40}$")


def valid_id(report_id: str) -> bool:
    return bool(_REPORT_ID.match(report_id))


@bp.get("/search")
def search():
    return jsonify(run_search(search_params(request.args)).to_dict())


@bp.get("/concordance")
def concordance():
    params, sort, width = kwic_params(request.args)
    fmt = request.args.get("format") or "json"
    page = concordance_page(params, sort=sort, width=width, everything=fmt == "csv")
    if fmt == "csv":
        columns = ("report_id", "title", "year", "level", "province", "left", "match", "right", "position")
        rows = (line.to_dict() for line in page["lines"])
        return _download(csv_rows(rows, columns), "text/csv; charset=utf-8", "concordance", "csv")
    if fmt != "json":
        raise QueryError(f"格式无效：{fmt!r}，可选 json、csv (unknown format)")
    return jsonify({**page, "lines": [line.to_dict() for line in page["lines"]]})


@bp.get("/trend")
def trend():
    params = search_params(request.args)
    return jsonify({"query": params.q, "years": trend_rows(params)})


@bp.get("/export")
def export():
    params: SearchParams = search_params(request.args)
    fmt = request.args.get("format") or "csv"
    if fmt not in FORMATS:
        raise QueryError(f"格式无效：{fmt!r}，可选 {'、'.join(FORMATS)} (unknown format)")
    _, matcher, records = matches(params)

    def rows():
        for record in records:
            yield {**record, "score": round(record["score"], 4), "occurrences": matcher.report_occurrences(record)}

    if fmt == "csv":
        return _download(csv_rows(rows()), "text/csv; charset=utf-8", "govsearch", "csv")
    return _download(jsonl_rows(rows()), "application/x-ndjson; charset=utf-8", "govsearch", "jsonl")


def _download(chunks, mimetype: str, stem: str, suffix: str) -> Response:
    """A streamed attachment named after the query and the time."""
    q = re.sub(r"[\\/:*?\"<>|\s]+", "_", request.args.get("q", ""))[:40]
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    name = f"{stem}-{q}-{stamp}.{suffix}"
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = (f"attachment; filename={stem}.{suffix}; "
                                               f"filename*=UTF-8''{quote(name)}")
    return response


@bp.get("/reports/<report_id>")
def report(report_id: str):
    record = engine().get(report_id) if valid_id(report_id) else None
    if record is None:
        abort(404, description=f"没有这篇报告 (no report with id {report_id[:60]!r})")
    return jsonify({**record, "versions": engine().versions(report_id)})


@bp.get("/stats")
def stats():
    return jsonify(engine().stats())


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec(request.host_url.rstrip("/")))

