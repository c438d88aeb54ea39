"""Cleaning: raw text or HTML in, a :class:`~index.report.Report` out.

The stages run in a fixed order, each testable alone: decode → extract (HTML)
→ normalize → metadata lines out → boilerplate out → title, year, level.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from index import metadata as md
from index.boilerplate import filter_lines
from index.decode import decode_bytes
from index.extract import extract
from index.normalize import normalize_text
from index.report import Report, report_id

# Bump when cleaning changes, so ingest re-cleans files whose bytes did not.
PIPELINE_VERSION = "1"

HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
TEXT_SUFFIXES = (".txt",)
SUPPORTED_SUFFIXES = HTML_SUFFIXES + TEXT_SUFFIXES


class CleanError(ValueError):
    """A page that yields no report: empty, navigation only, or not text."""


def content_hash(data: bytes) -> str:
    return hashlib.sha1(PIPELINE_VERSION.encode() + b"\0" + data).hexdigest()


def _normalize_lines(lines: list[str]) -> tuple[list[str], str]:
    text, script = normalize_text("\n".join(lines))
    return text.split("\n") if text else [], script


def _take_title(lines: list[str], meta: md.PageMetadata, heading: str) -> tuple[str, bool, list[str]]:
    """Title from the metadata block, the HTML heading, or the first line."""
    if meta.get("title"):
        return md.clean_title(meta.get("title")), False, lines
    if heading and md.looks_like_title(heading):
        title = md.clean_title(heading)
        rest = lines[1:] if lines and md.clean_title(lines[0]) == title else lines
        return title, False, rest
    if lines and md.looks_like_title(lines[0]):
        return md.clean_title(lines[0]), False, lines[1:]
    return "", True, lines


def infer_title(issuer: str, year: int | None, text: str) -> str:
    """A sensible title for a headless report: 五原县2022年度法治政府建设情况报告."""
    if issuer and year and "法治政府" in text:
        return f"{issuer}{year}年度法治政府建设情况报告"
    first = text.split("\n", 1)[0]
    return first[:30] + ("…" if len(first) > 30 else "")


def build_report(lines: list[str], source: str, *, heading: str = "", data_hash: str = "",
                 url: str = "") -> Report:
    """Run the text stages over extracted lines and fill the record."""
    lines, script = _normalize_lines(lines)
    meta, lines = md.extract_metadata_lines(lines)
    lines = filter_lines(lines)
    title, inferred, lines = _take_title(lines, meta, _normalize_lines([heading])[0][0] if heading else "")
    text = "\n".join(lines)
    if not text.strip():
        raise CleanError("no body text left after removing navigation and boilerplate")

    year = md.report_year_from(title) if title else None
    if year is None:
        year = md.report_year_from("\n".join(lines[:3]))
    issuer = meta.get("publisher") or md.issuer_from_title(title) or md.issuer_from_text(text)
    if inferred:
        title = infer_title(issuer, year, text)
    doc_type = md.doc_type_from_title(title)
    if doc_type != "annual_report":
        year = None  # report_year is the year an annual report covers

    return Report(
        id=report_id(url or source),
        source=source,
        url=url,
        text=text,
        title=title,
        title_inferred=inferred,
        publisher=meta.get("publisher") or issuer,
        publish_date=md.parse_date(meta.get("publish_date") or meta.get("written_date"))
        or md.closing_date(lines),
        doc_number=meta.get("doc_number"),
        index_number=meta.get("index_number"),
        source_name=meta.get("source_name"),
        report_year=year,
        level=md.level_from_issuer(issuer),
        doc_type=doc_type,
        script=script,
        content_hash=data_hash,
    )


def clean_bytes(data: bytes, source: str, *, is_html: bool, url: str = "",
                declared_charset: str = "") -> Report:
    """Clean one page given as bytes.  Raises DecodeError or CleanError."""
    text, _ = decode_bytes(data, declared_charset)
    digest = content_hash(data)
    if is_html:
        page = extract(text)
        return build_report(page.lines, source, heading=page.heading or page.page_title,
                            data_hash=digest, url=url)
    return build_report(text.split("\n"), source, data_hash=digest, url=url)


def clean_file(path: Path, source: str | None = None) -> Report:
    """Clean a .txt or .html file from disk."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise CleanError(f"unsupported file type {suffix or '(none)'}: expected .txt, .html or .htm")
    return clean_bytes(path.read_bytes(), source or path.as_posix(), is_html=suffix in HTML_SUFFIXES)
