"""Cleaning: raw text or HTML in, a :class:`~index.report.Report` out.

The stages run in a fixed order, each testable alone: decode → extract (HTML)
→ normalize → metadata lines out → boilerplate out → title → sections →
doc type, year, issuer and region → near-duplicate signature.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from index import metadata as md
from index.boilerplate import filter_lines
from index.decode import decode_bytes
from index.dedup import signature
from index.extract import extract
from index.issuer import issuer_from_signature, issuer_from_text, issuer_from_title, province_from_text, resolve
from index.labels import PageMetadata, closing_date, extract_metadata_lines, parse_date
from index.normalize import normalize_text
from index.report import Report, report_id
from index.sections import find_sections

# Bump when cleaning changes, so ingest re-cleans files whose bytes did not.
PIPELINE_VERSION = "3"

HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
TEXT_SUFFIXES = (".txt",)
SUPPORTED_SUFFIXES = HTML_SUFFIXES + TEXT_SUFFIXES


class CleanError(ValueError):
    """A page that yields no report: empty, navigation only, or not text."""


class NotAReport(CleanError):
    """A data file among the reports (a word list such as seeds/measures.txt)."""


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


def _take_title(lines: list[str], meta: PageMetadata, heading: str) -> tuple[str, bool, list[str]]:
    """Title from the metadata block, the HTML heading, or the first line(s);
    the text loses its opening lines when they repeat the title."""
    top, spans = md.title_from_lines(lines)
    given = meta.get("title") or (heading if heading and md.looks_like_title(heading) else "")
    if given:
        title = md.clean_title(given)
        if top == title:
            return title, False, lines[spans:]
        for n in (1, 2):  # the text opens with the title, maybe wrapped
            if len(lines) >= n and md.clean_title("".join(lines[:n])) == title:
                return title, False, lines[n:]
        return title, False, lines
    if spans:
        return top, False, lines[spans:]
    return "", True, lines


def infer_title(issuer: str, year: int | None, text: str, annual: bool) -> str:
    """A sensible title for a headless page: 五原县2022年度法治政府建设情况报告
    for an annual report, else its opening words."""
    if annual and issuer and year:
        topic = "法治政府建设情况" if "法治政府" in text else "工作情况"
        return f"{issuer}{year}年度{topic}报告"
    first = text.split("\n", 1)[0]
    return first[:30] + ("…" if len(first) > 30 else "")


def _report_year(title: str, inferred: bool, lines: list[str], publish_date: str) -> int | None:
    """Title year first, then the opening lines, then the publication date."""
    year = None if inferred else md.report_year_from(title)
    if year is None:
        year = md.report_year_from("\n".join(lines[:3]))
    return year if year is not None else md.year_from_publish_date(publish_date)


def build_report(lines: list[str], source: str, *, heading: str = "", data_hash: str = "",
                 url: str = "", metadata_lines: list[str] | None = None) -> Report:
    """Run the text stages over extracted lines and fill the record."""
    lines, script = _normalize_lines(lines)
    page_meta, _ = extract_metadata_lines(_normalize_lines(metadata_lines or [])[0])
    meta, lines = extract_metadata_lines(lines)
    for name, value in page_meta.fields.items():
        meta.fields.setdefault(name, value)
    lines = _drop_banner(filter_lines(lines), meta.get("publisher"))
    normalized_heading = _normalize_lines([heading])[0][0] if heading.strip() else ""
    title, inferred, lines = _take_title(lines, meta, normalized_heading)
    text = "\n".join(lines)
    if not text.strip():
        raise CleanError("no body text left after removing navigation and boilerplate")

    sections = find_sections(text)
    publish_date = parse_date(meta.get("publish_date") or meta.get("written_date")) or closing_date(lines)
    doc_type = md.doc_type_for(title, title_inferred=inferred, section_kinds={s.kind for s in sections})
    annual = doc_type == "annual_report"
    candidates = [issuer_from_title(title), meta.get("publisher"), issuer_from_signature(lines)]
    if annual:
        candidates.append(issuer_from_text(text))
    region = resolve(candidates, context=f"{title}\n{text}")
    year = _report_year(title, inferred, lines, publish_date) if annual else None
    if inferred:
        title = infer_title(region.issuer, year, text, annual)

    return Report(
        id=report_id(url or source),
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
        province=region.province or province_from_text(f"{title}\n{text}"),
        city=region.city,
        county=region.county,
        adcode=region.adcode,
        doc_type=doc_type,
        sections=sections,
        script=script,
        content_hash=data_hash,
        minhash=signature(text),
    )


def clean_bytes(data: bytes, source: str, *, is_html: bool, url: str = "",
                declared_charset: str = "") -> Report:
    """Clean one page given as bytes.  Raises DecodeError or CleanError."""
    text, _ = decode_bytes(data, declared_charset)
    digest = content_hash(data)
    if is_html:
        page = extract(text)
        return build_report(page.lines, source, heading=page.heading, data_hash=digest, url=url,
                            metadata_lines=page.metadata_lines)
    if is_word_list(text):
        raise NotAReport("a word list (e.g. a jieba dictionary), not a report")
    return build_report(text.split("\n"), source, data_hash=digest, url=url)


def clean_file(path: Path, source: str | None = None) -> Report:
    """Clean a .txt or .html file from disk."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise CleanError(f"unsupported file type {suffix or '(none)'}: expected .txt, .html or .htm")
    return clean_bytes(path.read_bytes(), source or path.as_posix(), is_html=suffix in HTML_SUFFIXES)
