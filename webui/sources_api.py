"""One report as a source, as JSON: its citation, its comparison with
another report of its issuer, and an issuer's reports (search.sources)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, request, url_for

from govsearch.search import citation, issuers, sources
from govsearch.webui.api import lookup_report, permalink, valid_id
from govsearch.webui.params import choice, engine

bp = Blueprint("sources_api", __name__, url_prefix="/api")


def found_report(report_id: str, endpoint: str, **args):
    """The record, or a 301 to the id it has now, or a 404: every source route's first step."""
    record, current = lookup_report(report_id)
    if current:
        return None, redirect(url_for(endpoint, report_id=current, **args, **request.args), code=301)
    if record is None:
        abort(404, description=f"没有这篇报告 (no report with id {report_id[:60]!r})")
    return record, None


def with_param() -> str | None:
    """The ``with`` report id, checked (a 400 names a malformed one)."""
    from govsearch.search.query import QueryError

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
    return jsonify({"id": record["id"], "style": style, "permalink": permalink(record["id"]),
                    "citation": citation.cite(record, style, permalink(record["id"]))})


@bp.get("/reports/<report_id>/compare")
def compare(report_id: str):
    record, moved = found_report(report_id, ".compare")
    if moved:
        return moved
    return jsonify(comparison_answer(record))


@bp.get("/issuers/<path:key>")
def issuer(key: str):
    return jsonify(issuers.issuer_answer(engine(), key))
