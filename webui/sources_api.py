"""One report as a source, as JSON: its citation, its comparison with
another report of its issuer, and an issuer's reports (search.sources)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from govsearch.search import citation, issuers, sources
from govsearch.search.query import QueryError
from govsearch.webui.api import found_report, permalink, valid_id
from govsearch.webui.params import choice, engine

bp = Blueprint("sources_api", __name__, url_prefix="/api")


def with_param() -> str | None:
    """The ``with`` report id, checked (a 400 names a malformed one)."""
    value = request.args.get("with")
    if value is None:
        return None
    if not valid_id(value):
        raise QueryError(f"参数 with 无效：{value[:60]!r}，应为 40 位报告编号 (with must be a report id)")
    return value


def comparison_answer(record: dict) -> dict:
    """search.sources.comparison, its unknown report a 404."""
    try:
        return sources.comparison(engine(), record, with_param())
    except sources.NoSuchReport as exc:
        abort(404, description=str(exc))


@bp.get("/reports/<report_id>/cite")
def cite(report_id: str):
    style = choice(request.args, "style", citation.STYLES, "gbt7714")
    record, moved = found_report(report_id, ".cite")
    if moved:
        return moved
    link = permalink(record["id"])
    return jsonify({"id": record["id"], "style": style, "permalink": link,
                    "citation": citation.cite(record, style, link)})


@bp.get("/reports/<report_id>/compare")
def compare(report_id: str):
    record, moved = found_report(report_id, ".compare")
    if moved:
        return moved
    return jsonify(comparison_answer(record))


@bp.get("/issuers/<path:key>")
def issuer(key: str):
    return jsonify(issuers.issuer_answer(engine(), key))
