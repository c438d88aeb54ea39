"""One report as a source, as pages: the comparison with another report of
its issuer, an issuer's reports, and the archived copy as captured."""

from __future__ import annotations

import email.utils
import re
from datetime import datetime
from urllib.parse import quote, urlsplit

from flask import Blueprint, Response, abort, render_template

from govsearch.search import issuers, sources
from govsearch.webui.api import found_report
from govsearch.webui.params import engine
from govsearch.webui.sources_api import comparison_answer

bp = Blueprint("sources_views", __name__)

# The archived page is the captured bytes, never rewritten; what keeps it
# inert is the policy: a sandbox without allow-scripts (no script runs, no
# form is sent, it is an opaque origin) and no source to fetch anything
# from, so a captured page cannot call out to its site or anywhere else.
ARCHIVE_POLICY = ("sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
                  "base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
# What a browser may show inline; any other type (PDF, Word) downloads as captured.
_INLINE = re.compile(r"^(text/html|application/xhtml\+xml|text/plain)\b", re.IGNORECASE)


@bp.get("/reports/<report_id>/compare")
def compare(report_id: str):
    record, moved = found_report(report_id, ".compare")
    if moved:
        return moved
    answer = comparison_answer(record)
    return render_template("compare.html", answer=answer, r=record)


@bp.get("/issuers/<path:key>")
def issuer(key: str):
    return render_template("issuer.html", answer=issuers.issuer_answer(engine(), key))


def _memento_date(captured_at: str) -> str:
    """WARC-Date (ISO 8601) as an HTTP date, for Memento-Datetime (RFC 7089)."""
    try:
        return email.utils.format_datetime(datetime.fromisoformat(captured_at.replace("Z", "+00:00")), usegmt=True)
    except ValueError:
        return ""


@bp.get("/reports/<report_id>/archived")
def archived(report_id: str):
    record, moved = found_report(report_id, ".archived")
    if moved:
        return moved
    try:
        copy = sources.archived_copy(record)
    except sources.NoArchive as exc:
        abort(404, description=str(exc))
    content_type = copy.content_type or "application/octet-stream"
    response = Response(copy.body, content_type=content_type)
    response.headers["Content-Security-Policy"] = ARCHIVE_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Link"] = f'<{quote(copy.url, safe=":/?&=%#;,+@!$*()~")}>; rel="original"'
    if memento := _memento_date(copy.captured_at):
        response.headers["Memento-Datetime"] = memento
    response.headers["X-Govsearch-Captured-At"] = copy.captured_at
    if not _INLINE.match(content_type):
        name = urlsplit(copy.url).path.rsplit("/", 1)[-1] or "archived"
        response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
