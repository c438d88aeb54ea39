"""The raw store: every fetched response as a WARC record (warcio).

Cleaning improves; pages change or vanish.  Keeping the responses means a
better cleaner is a re-ingest (``govsearch ingest --warc DIR``), never a
re-crawl, and every indexed report can be traced to the bytes it came from.

Records are written as the server sent them (before decompression and
redirects), one gzip member each and flushed at once, so a killed crawler
loses at most the record it was writing.  Each file belongs to one process
(host name and pid in the name), so several crawlers can share a folder.
Two extension headers carry what the crawl knew: ``WARC-Govsearch-Role``
(report, list or attachment) and, for attachments, ``WARC-Govsearch-Link``
(the linking page's URL, link text, heading and metadata lines, as JSON).
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import socket
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from govsearch.index.crawl.documents import Fetched
from govsearch.index.leftovers import process_alive

log = logging.getLogger(__name__)

ROLE_HEADER = "WARC-Govsearch-Role"
LINK_HEADER = "WARC-Govsearch-Link"
ROTATE_BYTES = 1 << 30  # start a new file after 1 GiB
# Hop-by-hop framing already undone by the HTTP client; kept, it would make
# WARC readers de-chunk a body that is no longer chunked.
_FRAMING = {b"transfer-encoding"}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class WarcStore:
    """Appends response records to rotating ``*.warc.gz`` files in a folder."""

    def __init__(self, folder: Path, *, rotate_bytes: int = ROTATE_BYTES, software: str = "govsearch"):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.rotate_bytes = rotate_bytes
        self.software = software
        self._file: io.BufferedWriter | None = None
        self._writer: WARCWriter | None = None
        self._serial = 0
        self.records = 0
        self.paths: list[Path] = []  # the files this store wrote, oldest first

    def _open(self) -> WARCWriter:
        if self._file is not None and self._file.tell() < self.rotate_bytes:
            return self._writer
        self.close()
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        self._serial += 1
        path = self.folder / f"govsearch-{stamp}-{_host()}-{os.getpid()}-{self._serial:05d}.warc.gz"
        self._file = open(path, "ab")  # noqa: SIM115 (closed in close())
        self.paths.append(path)
        self._writer = WARCWriter(self._file, gzip=True)
        info = self._writer.create_warcinfo_record(path.name, {"software": self.software,
                                                               "format": "WARC File Format 1.1"})
        self._writer.write_record(info)
        return self._writer

    def write_response(self, url: str, status: int, reason: str, headers: Iterable[tuple[bytes, bytes]],
                       body: bytes, *, role: str = "", link: dict | None = None) -> dict[str, Any]:
        """Append one response record (fetch time: now); where it was
        written, as a report's ``archive`` keeps it (see :func:`capture`)."""
        writer = self._open()
        offset = self._file.tell()
        pairs = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers if k.lower() not in _FRAMING]
        http = StatusAndHeaders(f"{status} {reason}".strip(), pairs, protocol="HTTP/1.1")
        warc_headers = {"WARC-Date": _now()}
        if role:
            warc_headers[ROLE_HEADER] = role
        if link:
            warc_headers[LINK_HEADER] = json.dumps(link, ensure_ascii=True, separators=(",", ":"))
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                           http_headers=http, warc_headers_dict=warc_headers)
        writer.write_record(record)
        self._file.flush()
        self.records += 1
        return capture(self.paths[-1], offset, record)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file = self._writer = None


def capture(path: Path, offset: int, record) -> dict[str, Any]:
    """A record's place: the WARC file (absolute), the record's offset in
    it, its WARC-Record-ID and its capture time (WARC-Date)."""
    return {"warc_file": str(Path(path).resolve()), "offset": int(offset),
            "record_id": record.rec_headers.get_header("WARC-Record-ID") or "",
            "captured_at": record.rec_headers.get_header("WARC-Date") or ""}


class ArchiveMissing(LookupError):
    """The WARC record a report names is not where the index says."""


@dataclass
class Archived:
    """A response as captured: what ``/reports/<id>/archived`` serves."""

    url: str
    captured_at: str
    status: int
    content_type: str
    body: bytes  # the payload, its Content-Encoding undone


def read_capture(where: dict[str, Any]) -> Archived:
    """The response record a report's ``archive`` names, checked by its
    record id; ArchiveMissing says why it cannot be read."""
    path = Path(where.get("warc_file") or "")
    try:
        with open(path, "rb") as stream:
            stream.seek(int(where.get("offset") or 0))
            record = next(iter(ArchiveIterator(stream)), None)
            if record is None or record.rec_headers.get_header("WARC-Record-ID") != where.get("record_id"):
                raise ArchiveMissing(f"{path.name}: no record {where.get('record_id')} at offset {where.get('offset')}")
            fetched = _fetched(record)
    except (OSError, ArchiveLoadFailed, TornRecord, zlib.error, ValueError) as exc:
        raise ArchiveMissing(f"{path.name or 'no WARC file'}: {exc}") from None
    return Archived(fetched.url, fetched.fetched_at, fetched.status, fetched.content_type, fetched.body)


def _host() -> str:
    return socket.gethostname().split(".")[0] or "host"


_OWN_NAME = re.compile(r"govsearch-\d{14}-(?P<host>.+)-(?P<pid>\d+)-\d{5}\.warc\.gz")


def being_written(path: Path) -> bool:
    """Whether a crawler on this machine is still appending to this file
    (its name carries the writer's host and pid)."""
    match = _OWN_NAME.fullmatch(path.name)
    if match is None or match["host"] != _host() or int(match["pid"]) == os.getpid():
        return False
    return process_alive(int(match["pid"]))


# ---------------------------------------------------------------- reading
def warc_files(paths: Iterable[Path]) -> list[Path]:
    """WARC files under ``paths`` (folders recursively), oldest name first."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in path.rglob("*") if p.is_file() and p.name.endswith((".warc", ".warc.gz")))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return sorted(dict.fromkeys(found), key=lambda p: (p.name, str(p)))


class TornRecord(ValueError):
    """A record cut short (a crawler killed while writing it)."""


def _decode(raw: bytes, encoding: str) -> bytes:
    """Undo a Content-Encoding (records keep bodies as the server sent them)."""
    encoding = encoding.strip().lower()
    if not raw:
        return raw  # a 304 or HEAD answer carries the header but no body
    if encoding in ("gzip", "x-gzip", "deflate"):
        try:
            return zlib.decompress(raw, 47 if encoding != "deflate" else zlib.MAX_WBITS)
        except zlib.error:
            return zlib.decompress(raw, -zlib.MAX_WBITS)  # raw deflate, as some servers send
    if encoding == "br":
        import brotli

        return brotli.decompress(raw)
    return raw


def _fetched(record) -> Fetched:
    http = record.http_headers
    headers = {k.lower(): v for k, v in http.headers} if http else {}
    raw = record.raw_stream.read()
    if http is not None and len(raw) < record.length - http.total_len:
        raise TornRecord(f"record for {record.rec_headers.get_header('WARC-Target-URI')} is cut short")
    link_json = record.rec_headers.get_header(LINK_HEADER)
    try:
        link = json.loads(link_json) if link_json else {}
    except ValueError:
        link = {}
    return Fetched(url=record.rec_headers.get_header("WARC-Target-URI") or "",
                   status=int(http.get_statuscode() or 0) if http else 0,
                   headers=headers,
                   body=_decode(raw, headers.get("content-encoding", "")),
                   role=record.rec_headers.get_header(ROLE_HEADER) or "",
                   fetched_at=record.rec_headers.get_header("WARC-Date") or "",
                   link=link if isinstance(link, dict) else {})


def not_http(url: str) -> str:
    """Why a record of this URL is no web page (``dns:``, ``file:``,
    ``ftp:``, ``urn:``, a crawler's ``metadata:``), or ``""`` for http(s)."""
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("http", "https"):
        return ""
    return f"不是 http(s) 网址 (not an http(s) URL: {scheme + ':' if scheme else 'no scheme'})"


# Record types that carry a resource's content but no HTTP response of its
# own: another crawler's WARC may hold pages in them.  (request, metadata and
# warcinfo records never hold a page.)
CONTENT_TYPES = ("resource", "revisit", "conversion", "continuation")


def passed_reason(rec_type: str, url: str) -> str:
    """Why ``ingest --warc`` does not index a content record of this type."""
    return not_http(url) or (f"WARC {rec_type} 记录，不是 response (a WARC {rec_type} record, not a response: "
                             "govsearch indexes response records)")


def read_warc(path: Path, problems: list[str] | None = None,
              passed: list[tuple[str, str]] | None = None) -> Iterator[Fetched]:
    """The response records of one WARC file.  A truncated or corrupt file
    yields what it can; the problem is appended to ``problems``.  Other
    records that carry content (CONTENT_TYPES) are appended to ``passed``
    as (URL, reason), so none goes unmentioned."""
    try:
        with open(path, "rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                if record.rec_type != "response":
                    if passed is not None and record.rec_type in CONTENT_TYPES:
                        url = record.rec_headers.get_header("WARC-Target-URI") or ""
                        passed.append((url, passed_reason(record.rec_type, url)))
                    continue
                try:
                    fetched = _fetched(record)
                except (zlib.error, OSError, ImportError) as exc:  # a body we cannot decode: skip it alone
                    problem = f"{path}: {record.rec_headers.get_header('WARC-Target-URI')}: undecodable body ({exc})"
                    log.warning(problem)
                    if problems is not None:
                        problems.append(problem)
                    continue
                fetched.capture = capture(path, records.get_record_offset(), record)
                yield fetched
    except (ArchiveLoadFailed, TornRecord, OSError, EOFError, ValueError, zlib.error) as exc:
        message = f"{path}: unreadable after some records ({type(exc).__name__}: {exc})"
        log.warning(message)
        if problems is not None:
            problems.append(message)
