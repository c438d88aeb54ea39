"""Attachments: many reports are published as a PDF or Word file linked
from a short page.  PDF (pypdf) and DOCX (python-docx) become text lines;
other formats are named with the reason they are skipped.

The format is decided by the bytes first (``%PDF``, a ZIP holding
``word/document.xml``, an OLE compound file), then by the URL and the
Content-Type, because download scripts (``downfile.jsp?id=…``) rarely carry
a suffix and servers often send ``application/octet-stream``.
"""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import unquote, urlsplit

# Link suffixes that name a document rather than a page.  Each value is what
# we do with it: extract, or skip with the reason.
EXTRACTED = {"pdf": "pdf", "docx": "docx"}
SKIPPED = {
    "doc": "legacy Word (.doc) binary format: no maintained pure-Python extractor; convert with LibreOffice",
    "wps": "WPS Office (.wps) binary format: no maintained extractor; convert with LibreOffice or WPS",
    "wpt": "WPS template (.wpt): not a report",
    "ofd": "OFD (China's fixed-layout format): no maintained Python extractor",
    "xls": "spreadsheet (.xls), not a report",
    "xlsx": "spreadsheet (.xlsx), not a report",
    "et": "WPS spreadsheet (.et), not a report",
    "ppt": "presentation (.ppt), not a report",
    "pptx": "presentation (.pptx), not a report",
    "zip": "archive (.zip): its contents are not unpacked",
    "rar": "archive (.rar): its contents are not unpacked",
    "7z": "archive (.7z): its contents are not unpacked",
    "caj": "CAJ (CNKI) format: no extractor",
}
_SUFFIX = re.compile(r"\.([a-z0-9]{1,4})$", re.IGNORECASE)
_CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/msword": "doc",
    "application/vnd.ms-works": "wps",
    "application/kswps": "wps",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class AttachmentError(ValueError):
    """An attachment whose text cannot be extracted (broken, encrypted, scanned)."""


class Skipped(ValueError):
    """An attachment in a format we do not extract; the message says why."""


def link_format(url: str, link_text: str = "") -> str | None:
    """The document format a link names (``pdf``, ``docx``, ``doc`` …), from
    its path, its query (``?file=a.pdf``) or its text, or None for a page."""
    parts = urlsplit(url)
    candidates = [unquote(parts.path)]
    candidates += [unquote(v) for v in re.split(r"[&=]", parts.query) if v]
    candidates.append(link_text.strip())
    for candidate in candidates:
        m = _SUFFIX.search(candidate)
        if m and m.group(1).lower() in EXTRACTED.keys() | SKIPPED.keys():
            return m.group(1).lower()
    return None


def sniff_format(body: bytes, content_type: str = "", url: str = "") -> str | None:
    """The format of fetched bytes, or None when they look like a web page."""
    head = body[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(body)).namelist()
        except zipfile.BadZipFile:
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        return "xlsx" if "xl/workbook.xml" in names else "zip"
    if head.startswith(_OLE):
        return link_format(url) if link_format(url) in ("doc", "wps", "xls", "ppt", "et") else "doc"
    mime = content_type.split(";")[0].strip().lower()
    if mime in _CONTENT_TYPES:
        return _CONTENT_TYPES[mime]
    return None


def skip_reason(fmt: str) -> str:
    return SKIPPED.get(fmt, f"unsupported attachment format .{fmt}")


# ---------------------------------------------------------------- text
_SENTENCE_END = tuple("。！？；：…”」』）)")


def _width(text: str) -> float:
    """Display width in em: CJK characters are full-width, the rest half."""
    return sum(1.0 if ord(c) >= 0x2E80 or 0x2010 <= ord(c) <= 0x206F else 0.5 for c in text)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \u3000"))


def reflow(lines: list[str]) -> list[str]:
    """Join a PDF's visual lines (layout mode: leading spaces kept, a blank
    line for a vertical gap) back into paragraphs.

    A paragraph starts after a gap; in documents that indent first lines
    (首行缩进, the norm for official documents) at an indented line or after
    a much shorter one; in others after a line that stops short of the right
    margin or ends a sentence.
    """
    text_lines = [line.rstrip() for line in lines]
    body = [line for line in text_lines if line.strip()]
    if not body:
        return []
    margin = min(_indent(line) for line in body)
    widths = sorted(_width(line.strip()) for line in body)
    full = widths[int(len(widths) * 0.9)] if len(widths) >= 5 else widths[-1]
    indented = sum(1 for line in body if _indent(line) > margin)
    uses_indent = 0.03 <= indented / len(body) <= 0.6
    paragraphs: list[str] = []
    current, previous = "", ""
    for line in text_lines:
        stripped = line.strip()
        if not stripped:
            if current:
                paragraphs.append(current)
            current, previous = "", ""
            continue
        if uses_indent:  # kinsoku can leave a line a few characters short: trust the indent
            starts = _indent(line) > margin or _width(previous) < 0.6 * full
        else:
            starts = previous.endswith(_SENTENCE_END) or _width(previous) < 0.85 * full
        if current and starts:
            paragraphs.append(current)
            current = ""
        current += stripped
        previous = stripped
    if current:
        paragraphs.append(current)
    return paragraphs


def pdf_lines(body: bytes) -> list[str]:
    """A PDF's text as paragraphs.  Raises AttachmentError for a PDF that is
    broken, encrypted, or a scan with no text layer."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted and not reader.decrypt(""):
            raise AttachmentError("encrypted PDF")
        lines: list[str] = []
        for page in reader.pages:
            page_lines = (page.extract_text(extraction_mode="layout") or "").splitlines()
            while page_lines and not page_lines[-1].strip():  # a page break is not a paragraph break
                page_lines.pop()
            while page_lines and not page_lines[0].strip():
                page_lines.pop(0)
            lines.extend(page_lines)
    except AttachmentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise AttachmentError(f"unreadable PDF: {exc}") from None
    paragraphs = reflow(lines)
    if sum(len(p) for p in paragraphs) < 20:
        raise AttachmentError("PDF has no text layer (a scan?); OCR is not attempted")
    return paragraphs


def docx_lines(body: bytes) -> list[str]:
    """A DOCX's paragraphs, and its tables' rows as ``a | b`` lines."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(body))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise AttachmentError(f"unreadable DOCX: {exc}") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = list(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
            if cells:
                lines.append(" | ".join(cells))
    return [line for line in lines if line.strip()]


def attachment_lines(body: bytes, fmt: str) -> list[str]:
    """Text lines of an attachment in ``fmt``; raises Skipped or AttachmentError."""
    if fmt == "pdf":
        return pdf_lines(body)
    if fmt == "docx":
        return docx_lines(body)
    raise Skipped(skip_reason(fmt))
