"""Cleaning: raw text or HTML in, a :class:`~index.report.Report` out.

The stages run in a fixed order, each testable alone: decode → extract (HTML)
→ normalize → metadata lines out → boilerplate out → title → sections →
doc type, year, issuer and region → near-duplicate signature.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from govsearch.index import metadata as md
from govsearch.index.boilerplate import filter_lines
from govsearch.index.dates import closing_date, parse_date
from govsearch.index.decode import decode_bytes
from govsearch.index.dedup import signature
from govsearch.index.extract import extract
from govsearch.index.inference import infer
from govsearch.index.issuer_identity import issuer_key
from govsearch.index.labels import PageMetadata, extract_metadata_lines, fields_of
from govsearch.index.limits import read_capped
from govsearch.index.normalize import normalize_text
from govsearch.index.opening import find_title
from govsearch.index.report import Report, document_id, report_id
from govsearch.index.sections import find_sections

# Bump when cleaning changes, so ingest re-cleans files whose bytes did not.
PIPELINE_VERSION = "5"

HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
TEXT_SUFFIXES = (".txt",)
SUPPORTED_SUFFIXES = HTML_SUFFIXES + TEXT_SUFFIXES


class CleanError(ValueError):
    """A page that yields no report: empty, navigation only, or not text."""


class NotAReport(CleanError):
    """A data file among the reports (a word list such as seeds/measures.txt)."""


# Fewer characters of body text than this is not a report.  The shortest
# real documents in the seeds and the shared corpus have 232 (an NPC
# resolution) and 248 (a county statistics note); annual reports run to
# thousands.  A stub such as 现将《…》印发给你们，请认真贯彻执行。 stays under it.
MIN_BODY_CHARS = 50


class TooShort(NotAReport):
    """A file with (almost) no text: an empty or truncated file, a stub."""

    def __init__(self, chars: int):
        super().__init__(f"过短: 正文仅 {chars} 个字符 (too short: {chars} characters of body text; "
                         f"a report has at least {MIN_BODY_CHARS})")


_SPACE = re.compile(r"\s+")


def body_chars(text: str) -> int:
    """Characters of text, not counting white space."""
    return len(_SPACE.sub("", text))


def require_body(report: Report) -> Report:
    """The report, if it has enough body text to be indexed as one (else
    TooShort).  Cleaning itself keeps short texts, so ``govsearch clean``
    still shows what a stub reads as."""
    if (chars := body_chars(report.text)) < MIN_BODY_CHARS:
        raise TooShort(chars)
    return report


# A jieba user-dictionary line: word, optional frequency, optional tag.
_WORD_LIST_LINE = re.compile(r"^\S{1,30}(?:\s+\d+)?(?:\s+[a-z]{1,4})?$")


def is_word_list(text: str) -> bool:
    """True for a file of one word (and frequency) per line - no prose."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 20:
        return False
    listed = sum(1 for line in lines if _WORD_LIST_LINE.match(line) and "。" not in line)
    return listed / len(lines) > 0.95


def content_hash(data: bytes) -> str:
    return hashlib.sha1(PIPELINE_VERSION.encode() + b"\0" + data).hexdigest()


def _normalize_lines(lines: list[str]) -> tuple[list[str], str]:
    text, script = normalize_text("\n".join(lines))
    return text.split("\n") if text else [], script


def _drop_banner(lines: list[str], publisher: str) -> list[str]:
    """A first line that only repeats the publisher is the site banner."""
    return lines[1:] if publisher and lines and lines[0] == publisher else lines


def _take_title(lines: list[str], meta: PageMetadata, heading: str) -> tuple[str, bool, list[str], list[str]]:
    """Title from the metadata block, the HTML heading, or the opening lines
    (:func:`index.opening.find_title`: maybe under breadcrumbs and banners);
    returns (title, inferred, text lines, the short lines above the title).
    The text loses its opening lines when they repeat the title."""
    start, top, spans = find_title(lines)
    above, rest = lines[:start], lines[start + spans:]
    if spans == 1 and lines[start].strip().startswith(top + " "):  # the text ran on after the title
        rest = [lines[start].strip()[len(top):].strip(), *rest]
    given = meta.get("title") or (heading if heading and md.looks_like_title(heading) else "")
    if given:
        title = md.clean_title(given)
        if top == title:
            return title, False, rest, above
        for n in (1, 2):  # the text opens with the title, maybe wrapped
            if len(lines) >= n and md.clean_title("".join(lines[:n])) == title:
                return title, False, lines[n:], []
        return title, False, lines, []
    if spans:
        return top, False, rest, above
    return "", True, lines, []


def infer_title(issuer: str, year: int | None, text: str, annual: bool) -> str:
    """A sensible title for a headless page: 五原县2022年度法治政府建设情况报告
    for an annual report, else its opening words."""
    if annual and year:
        topic = "法治政府建设情况" if "法治政府" in text else "工作情况"
        return f"{issuer}{year}年度{topic}报告"
    first = text.split("\n", 1)[0]
    return first[:30] + ("…" if len(first) > 30 else "")


def build_report(lines: list[str], source: str, *, heading: str = "", data_hash: str = "",
                 url: str = "", metadata: list[tuple[str, str]] | None = None, key: str = "",
                 doc_id: str = "") -> Report:
    """Run the text stages over extracted lines and fill the record.

    The id comes from ``url``, else ``doc_id`` (a local file's bytes:
    :func:`index.report.document_id`), else ``key`` or ``source``.  ``key``,
    the file's path key, becomes ``local_key``: what a re-ingest of the same
    file finds the record by, whatever its bytes are now."""
    lines, script = _normalize_lines(lines)
    meta, lines = extract_metadata_lines(lines)
    for name, value in fields_of(metadata or []).items():  # the page's own pairs, read by the extractor
        meta.fields.setdefault(name, normalize_text(value)[0].strip())
    lines = _drop_banner(filter_lines(lines), meta.get("publisher"))
    # A heading of control characters alone normalizes to nothing.
    normalized_heading = next(iter(_normalize_lines([heading])[0]), "") if heading.strip() else ""
    title, inferred, lines, above = _take_title(lines, meta, normalized_heading)
    text = "\n".join(lines)
    if not text.strip():
        raise CleanError("no body text left after removing navigation and boilerplate")

    sections = find_sections(text)
    publish_date = parse_date(meta.get("publish_date") or meta.get("written_date")) or closing_date(lines)
    found = infer(title, inferred, lines, above=above, meta_publisher=meta.get("publisher"),
                  publish_date=publish_date, section_kinds={s.kind for s in sections},
                  index_number=meta.get("index_number"))
    region, year, doc_type = found.region, found.report_year, found.doc_type
    if inferred:
        title = infer_title(region.issuer, year, text, doc_type == "annual_report")

    report = Report(
        id=report_id(url) if url else doc_id or report_id(key or source),
        local_key=report_id(key) if key and not url else "",
        source=source,
        url=url,
        text=text,
        title=title,
        title_inferred=inferred,
        publisher=meta.get("publisher") or region.issuer,
        publish_date=publish_date,
        doc_number=meta.get("doc_number"),
        index_number=meta.get("index_number"),
        source_name=meta.get("source_name"),
        report_year=year,
        level=region.level,
        issuer_kind=region.issuer_kind,
        province=region.province,
        city=region.city,
        county=region.county,
        adcode=region.adcode,
        doc_type=doc_type,
        sections=sections,
        script=script,
        content_hash=data_hash,
        minhash=signature(text),
        evidence=found.evidence,
    )
    report.issuer_key = issuer_key(vars(report))
    return report


def replaced_warning(replaced: int) -> str:
    return (f"{replaced} 个无法解码的字节已替换为 U+FFFD ({replaced} undecodable byte(s) replaced "
            "with U+FFFD)")


def clean_bytes(data: bytes, source: str, *, is_html: bool, url: str = "", declared_charset: str = "",
                key: str = "", warnings: list[str] | None = None) -> Report:
    """Clean one page given as bytes.  Raises DecodeError or CleanError
    (TooShort for an empty file).  What was read despite damage (bytes
    replaced) is appended to ``warnings``."""
    if not data or data.isspace():
        raise TooShort(0)
    text, _, replaced = decode_bytes(data, declared_charset)
    if replaced and warnings is not None:
        warnings.append(replaced_warning(replaced))
    digest, doc_id = content_hash(data), "" if url else document_id(data, source)
    if is_html:
        page = extract(text)
        return build_report(page.lines, source, heading=page.heading, data_hash=digest, url=url,
                            metadata=page.metadata, key=key, doc_id=doc_id)
    if is_word_list(text):
        raise NotAReport("a word list (e.g. a jieba dictionary), not a report")
    return build_report(text.split("\n"), source, data_hash=digest, url=url, key=key, doc_id=doc_id)


def clean_file(path: Path, source: str | None = None, *, key: str = "", max_mb: float | None = None,
               warnings: list[str] | None = None) -> Report:
    """Clean a .txt or .html file from disk (refused unread when over
    ``max_mb``: :class:`index.limits.TooLarge`)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise CleanError(f"unsupported file type {suffix or '(none)'}: expected .txt, .html or .htm")
    return clean_bytes(read_capped(path, max_mb), source or path.as_posix(), is_html=suffix in HTML_SUFFIXES,
                       key=key, warnings=warnings)
