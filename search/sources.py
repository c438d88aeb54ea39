"""One report as a source: what its page and ``/api/reports/<id>`` add to
the record - the issuer's other reports by year, the comparison with one of
them, the citation, and where its archived copy is.

The permalink is the caller's (a server knows its own address); everything
else is read from the index.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govsearch.index.crawl.warcstore import Archived, ArchiveMissing, read_capture
from govsearch.search import citation, compare, issuers
from govsearch.search.query import QueryError

if TYPE_CHECKING:
    from govsearch.search.engine import Engine


class NoSuchReport(LookupError):
    """A report id the index does not hold (the message says which)."""


def archive_of(record: dict[str, Any]) -> dict[str, Any] | None:
    """Where a crawled report's captured bytes are, as answers give it (the
    WARC file's name, not the server's path), or None for a report that was
    not crawled."""
    where = record.get("archive") or {}
    if not where.get("record_id"):
        return None
    return {"warc_file": Path(where.get("warc_file") or "").name, "record_id": where["record_id"],
            "offset": where.get("offset"), "captured_at": where.get("captured_at") or None}


class NoArchive(LookupError):
    """A report with no archived copy to serve (the message says why)."""


def archived_copy(record: dict[str, Any]) -> Archived:
    """The response a crawled report was cleaned from, as captured."""
    if archive_of(record) is None:
        raise NoArchive("这篇报告不是抓取所得，没有存档副本 (this report was not crawled: no archived copy)")
    try:
        return read_capture(record["archive"])
    except ArchiveMissing as exc:
        raise NoArchive(f"存档副本已不在原处 (the archived copy cannot be read: {exc})") from None


def about(engine: Engine, record: dict[str, Any], permalink: str, today: dt.date | None = None) -> dict[str, Any]:
    """The issuer (key, name, its other reports by year, the default
    comparison), the permalink, the citations and the archive of ``record``."""
    key = record.get("issuer_key") or ""
    others = issuers.siblings(engine, record)
    before = issuers.previous(record, others)
    return {
        "permalink": permalink,
        "issuer": {"key": key, "name": issuers.label(key), "reports": others,
                   "previous": before["id"] if before else None} if key else None,
        "citations": {style: citation.cite(record, style, permalink, today) for style in citation.STYLES},
        "archive": archive_of(record),
    }


def comparison(engine: Engine, record: dict[str, Any], with_id: str | None) -> dict[str, Any]:
    """``record`` against ``with_id`` (default: the issuer's previous
    report): the two reports named, then :func:`search.compare.compare`.
    NoSuchReport for an unknown id; QueryError when there is nothing to
    compare with."""
    if with_id:
        other = engine.get(with_id)
        if other is None:
            raise NoSuchReport(f"没有这篇报告 (no report with id {with_id[:60]!r})")
    else:
        before = issuers.previous(record, issuers.siblings(engine, record))
        if before is None:
            raise QueryError("该发布机构没有更早年度的报告可比较，请用 with= 指定一篇 "
                             "(the issuer has no earlier report: name one with with=)")
        other = engine.get(before["id"])
    if other["id"] == record["id"]:
        raise QueryError("不能与自身比较 (a report cannot be compared with itself)")
    named = ("id", "title", "publisher", "report_year", "publish_date", "issuer_key")
    return {"this": {k: record.get(k) for k in named}, "other": {k: other.get(k) for k in named},
            "same_issuer": bool(record.get("issuer_key")) and record.get("issuer_key") == other.get("issuer_key"),
            **compare.compare(record, other)}
