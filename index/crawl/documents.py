"""A fetched resource (live from the crawler, or replayed from WARC) to a Report.

Both paths go through :func:`report_from_fetch`, so ``govsearch ingest
--warc`` gives exactly what the crawl indexed.  A page is cleaned as HTML; an
attachment is extracted and cleaned as text lines carrying the linking
page's heading and 索引号/发布机构/日期 block, which the attachment itself
rarely prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from govsearch.index import metadata as md
from govsearch.index.clean import CleanError, build_report, clean_bytes, content_hash, require_body
from govsearch.index.crawl.attachments import (
    EXTRACTED,
    SKIPPED,
    Skipped,
    attachment_lines,
    link_format,
    skip_reason,
    sniff_format,
)
from govsearch.index.labels import label_pairs
from govsearch.index.report import Report

# Roles a fetch plays in a crawl; WARC records carry them.
REPORT, LIST, ATTACHMENT = "report", "list", "attachment"
INDEXED_ROLES = (REPORT, ATTACHMENT)


@dataclass
class Fetched:
    url: str
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    role: str = REPORT
    fetched_at: str = ""  # ISO 8601, UTC
    link: dict[str, Any] = field(default_factory=dict)  # for attachments: page, text, heading, metadata
    capture: dict[str, Any] = field(default_factory=dict)  # its WARC record (warcstore.capture)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def charset(self) -> str:
        m = re.search(r"charset\s*=\s*[\"']?([\w-]+)", self.content_type, re.IGNORECASE)
        return m.group(1) if m else ""

    @property
    def digest(self) -> str:
        return content_hash(self.body)


def _attachment_heading(link: dict[str, Any], lines: list[str]) -> str:
    """The title an attachment is known by, best evidence first: a title
    that names its kind of document (…情况报告), from the link text
    (``附件1：2022年度法治政府建设情况报告.pdf``, less its 附件 label and
    suffix) or from the document's own opening lines; the document's own
    first line(s) when the link text merely decorates them (…（文字版）);
    any link text longer than a label (附件1, 下载, 文字版 are none); the
    document's own title; the page heading."""
    text = re.sub(r"\.[A-Za-z0-9]{1,4}$", "", link.get("text", "").strip())
    text = re.sub(r"^附件\s*\d*\s*[:：.、]?\s*", "", text)
    own, _ = md.title_from_lines(lines)
    if md.names_document(text):
        return text
    if md.names_document(own):
        return own
    for n in (2, 1):  # the document's title, maybe wrapped, inside the link text
        opening = md.clean_title("".join(lines[:n]))
        if len(lines) >= n and len(opening) > _LABEL_CHARS and md.looks_like_title(opening) and opening in text:
            return opening
    if md.looks_like_title(text) and len(text) > _LABEL_CHARS:
        return text
    return own or link.get("heading", "")


_LABEL_CHARS = 6  # 点击下载, 原文下载, 文字版 …: link labels, not titles


# An href ending in a document suffix that link_format knows (extracted or skipped).
_DOCUMENT_HREF = re.compile(rb"""href\s*=\s*["']?[^"'\s>]+\.(?:""" + b"|".join(
    sorted(re.escape(x).encode() for x in (*EXTRACTED, *SKIPPED))) + rb""")(?:[?#"'\s>])""", re.IGNORECASE)


def inherited_metadata(items: list) -> list[tuple[str, str]]:
    """The linking page's (label, value) pairs, as the spider stored them; a
    frontier written before pairs holds whole lines (发布日期：…), read here."""
    return [pair for item in items
            for pair in (label_pairs(item) if isinstance(item, str) else [(str(item[0]), str(item[1]))])]


def links_documents(fetched: Fetched) -> bool:
    """Whether a page links PDF/Word files (its report may be in them)."""
    return bool(_DOCUMENT_HREF.search(fetched.body))


def clean_fetched(fetched: Fetched, warnings: list[str] | None = None) -> Report:
    """:func:`report_from_fetch` of what has the body text of a report
    (:func:`index.clean.require_body`), except that a page with no text of
    its own that links documents is skipped, not failed: its report is the
    attachment, indexed on its own."""
    try:
        report = require_body(report_from_fetch(fetched, warnings))
    except CleanError as exc:
        if fetched.role != ATTACHMENT and links_documents(fetched):
            raise Skipped(f"page only links its attachment(s): {exc}") from None
        raise
    report.archive = dict(fetched.capture)
    return report


def report_from_fetch(fetched: Fetched, warnings: list[str] | None = None) -> Report:
    """Clean one fetched resource.  Raises Skipped (a format we do not
    extract), AttachmentError, CleanError or DecodeError.  A page read
    despite damaged bytes says so in ``warnings``."""
    fmt = sniff_format(fetched.body, fetched.content_type, fetched.url)
    if fmt is None and fetched.role == ATTACHMENT:
        fmt = link_format(fetched.url, fetched.link.get("text", ""))
    if fmt is None:
        return clean_bytes(fetched.body, fetched.url, is_html=True, url=fetched.url,
                           declared_charset=fetched.charset, warnings=warnings)
    if fmt not in EXTRACTED:
        raise Skipped(skip_reason(fmt))
    lines = attachment_lines(fetched.body, fmt)
    return build_report(lines, fetched.url, url=fetched.url, data_hash=fetched.digest,
                        heading=_attachment_heading(fetched.link, lines),
                        metadata=inherited_metadata(fetched.link.get("metadata", [])))

