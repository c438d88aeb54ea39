"""The JSON API: every HTML page has a twin here (see DESIGN.md)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from webui.params import engine, run_search, search_params

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    return jsonify(run_search(search_params(request.args)).to_dict())


@bp.get("/reports/<report_id>")
def report(report_id: str):
    record = engine().get(report_id) if _valid_id(report_id) else None
    if record is None:
        abort(404, description=f"没有这篇报告 (no report with id {report_id!r})")
    return jsonify(record)


@bp.get("/stats")
def stats():
    return jsonify(engine().stats())


def _valid_id(report_id: str) -> bool:
    return len(report_id) == 40 and all(c in "0123456789abcdef" for c in report_id)
