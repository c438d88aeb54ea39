"""The Whoosh schema for Report records, and index creation and versioning.

Facet fields (year, level, province, doc_type) are sortable columns, so
counting and sorting read one compact array instead of stored documents.
A small ``govsearch.json`` beside the segments records the analyzer version
and dictionary hash the index was built with.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.system import pack_uint

from govsearch.index.analysis import ANALYZER_VERSION, Precounted, dictionary_hash, precounted, word_analyzer
from govsearch.index.atomic import write_text_atomically
from govsearch.index.dedup import band_keys
from govsearch.index.issuer_identity import issuer_key
from govsearch.index.report import PRIVATE as PRIVATE_VIEW
from govsearch.index.report import fields_in
from govsearch.index.stored_codec import install as install_stored_codec

install_stored_codec()  # before any segment is written or read

SCHEMA_VERSION = "10"
META_FILE = "govsearch.json"
INDEX_NAME = "reports"

# Report fields that are stored only (shown, never searched or counted).
STORED_ONLY = ("title_inferred", "doc_number", "index_number", "source_name", "evidence",
               "sections", "script", "minhash", "archive")
# Report fields the index keeps but never shows (index.build finds a file's record by it).
PRIVATE = fields_in(PRIVATE_VIEW)
# Report fields kept as sortable keyword columns (facets, filters, sorting).
# content_hash is a column so that ingest can skip unchanged files without
# loading their stored text.
SERIAL_FIELD = "serial"
KEYWORD_COLUMNS = ("level", "province", "city", "county", "adcode", "doc_type", "issuer_kind", "issuer_key",
                   "publish_date", "content_hash")
# The publisher as one value (its stored field is cut into words): with the
# id and the URL, what a table of every report (the measure panel) reads
# from columns instead of every stored record.  One value a report, so
# read only when such a table asks (search.accel.View.row_values), never
# with the facet columns every view loads.
PUBLISHER_COLUMN = "publisher_value"
# Report fields read from a column, and the column each is read from.
ROW_COLUMNS = {"id": "id", "publisher": PUBLISHER_COLUMN, "url": "url"}


class WordField(TEXT):
    """A ranked jieba-word field that also takes precounted values: Whoosh
    indexes only (word, frequency) here, so a worker's counts are all it needs."""

    def index(self, value, **kwargs):
        if isinstance(value, Precounted):
            return ((w.encode("utf-8"), f, float(f), pack_uint(f)) for w, f in value.counts.items())
        return super().index(value, **kwargs)


def build_schema() -> Schema:
    words = word_analyzer()
    fields: dict[str, Any] = {
        "id": ID(stored=True, unique=True, sortable=True),
        "source": ID(stored=True),
        "title": WordField(analyzer=words, stored=True, phrase=False),
        "text": WordField(analyzer=words, stored=True, phrase=False),
        "publisher": WordField(analyzer=words, stored=True, phrase=False),
        # Exact lookup lives in the substring layer (index.grams); this
        # column ties each document to its entry there.
        SERIAL_FIELD: NUMERIC(int, bits=64, signed=True, sortable=True, default=0),
        # 0 means "not an annual report / unknown": Whoosh columns need a default.
        "report_year": NUMERIC(int, bits=32, stored=True, sortable=True, default=0),
    }
    for name in KEYWORD_COLUMNS:
        fields[name] = ID(stored=True, sortable=True)
    fields["url"] = ID(stored=True, sortable=True)
    fields[PUBLISHER_COLUMN] = ID(sortable=True)
    # Near-duplicates: LSH band keys to find candidates, and the link itself.
    fields["lsh"] = KEYWORD(scorable=False)
    fields["duplicate_of"] = ID(stored=True)
    # The group a report belongs to: its canonical id.  A column, so search
    # can collapse near-duplicates with Whoosh's own collapsing.
    fields["dup_group"] = ID(stored=True, sortable=True)
    # Stable ids: the record a re-ingest of a file replaces, and the ids a report had before.
    fields["local_key"] = ID(stored=True)
    fields["aliases"] = KEYWORD(stored=True, scorable=False)
    for name in STORED_ONLY:
        fields[name] = STORED()
    return Schema(**fields)


@dataclass
class IndexMeta:
    schema_version: str
    analyzer_version: str
    dictionary_hash: str
    built_at: float

    @classmethod
    def current(cls) -> IndexMeta:
        return cls(SCHEMA_VERSION, ANALYZER_VERSION, dictionary_hash(), time.time())

    def mismatches(self) -> list[str]:
        """What differs between this index and the running code."""
        now = IndexMeta.current()
        problems = []
        for name in ("schema_version", "analyzer_version", "dictionary_hash"):
            if getattr(self, name) != getattr(now, name):
                problems.append(f"{name}: index {getattr(self, name)!r}, code {getattr(now, name)!r}")
        return problems


def read_meta(index_dir: Path) -> IndexMeta | None:
    try:
        data = json.loads((index_dir / META_FILE).read_text(encoding="utf-8"))
        return IndexMeta(**data)
    except (OSError, ValueError, TypeError):
        return None


class IndexOutdated(RuntimeError):
    """The index was built with another schema: it can be neither written
    nor searched by this code until it is rebuilt (govsearch reindex)."""


def check_schema(index_dir: Path) -> None:
    """Refuse an index whose fields differ from this code's."""
    if not index_exists(index_dir):
        return
    meta = read_meta(index_dir)
    found = meta.schema_version if meta else "unknown"
    if found != SCHEMA_VERSION:
        raise IndexOutdated(f"索引结构版本为 {found}，当前程序为 {SCHEMA_VERSION}，请运行 govsearch reindex 重建 "
                            f"(the index at {index_dir} has schema version {found}, this govsearch needs "
                            f"version {SCHEMA_VERSION}; run `govsearch reindex` to rebuild it from its stored reports)")


def write_meta(index_dir: Path) -> None:
    """Record the build parameters; written after every commit, outside the
    writer lock, so each process writes its own temporary file."""
    meta = IndexMeta.current()
    write_text_atomically(index_dir / META_FILE, json.dumps(meta.__dict__, ensure_ascii=False))


def index_identity(index_dir: Path) -> tuple[int, int] | None:
    """(device, inode) of the index directory: it changes when a reindex
    swaps a new index in, which tells a running reader to reopen."""
    try:
        st = os.stat(index_dir)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


def index_exists(index_dir: Path) -> bool:
    return index_dir.is_dir() and whoosh_index.exists_in(str(index_dir), indexname=INDEX_NAME)


def create_index(index_dir: Path) -> whoosh_index.Index:
    """A new, empty index.  The version record is written before the table
    of contents, so a reader never sees an index without one."""
    index_dir.mkdir(parents=True, exist_ok=True)
    write_meta(index_dir)
    return whoosh_index.create_in(str(index_dir), build_schema(), indexname=INDEX_NAME)


# How often opening the index looks again for a table of contents that a
# concurrent commit replaced while it was being read.
TOC_RETRIES = 50


def open_index(index_dir: Path) -> whoosh_index.Index:
    """Open an existing index; raises FileNotFoundError when there is none.

    Files are read, not memory-mapped: mapped segment pages a server has
    touched count as its resident memory, and over a large index they grow
    towards its size; read pages stay in the shared page cache instead."""
    if not index_exists(index_dir):
        raise FileNotFoundError(f"no govsearch index in {index_dir}")
    storage = FileStorage(str(index_dir), supports_mmap=False)
    return _past_concurrent_commits(lambda: storage.open_index(indexname=INDEX_NAME))


def open_searcher(ix: whoosh_index.Index):
    """A searcher of the newest commit, taken without the writer lock (a
    feed between its batches) while other processes may commit."""
    return _past_concurrent_commits(ix.searcher)


def _past_concurrent_commits(read):
    """``read()``, again when it met a file a concurrent commit removed:
    Whoosh lists the tables of contents, then reads the newest, and another
    process's commit may replace it (and merge away segments) in between.
    The next listing finds what replaced them."""
    for _ in range(TOC_RETRIES - 1):
        try:
            return read()
        except FileNotFoundError:
            time.sleep(0.01)
    return read()  # the last attempt raises what it meets


def open_or_create(index_dir: Path) -> whoosh_index.Index:
    """Open the index, creating it first if there is none.

    Processes that start together on a new index (two crawlers, a crawler
    and an ingest) must not both create it: Whoosh's create deletes the
    table of contents the other has just written.  Creation happens under
    the index's writer lock, and whoever waits opens what the holder made."""
    if index_exists(index_dir):
        return open_index(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileStorage(str(index_dir)).lock(f"{INDEX_NAME}_WRITELOCK")
    while not lock.acquire():
        if index_exists(index_dir):  # created by the holder, who may now be writing to it
            return open_index(index_dir)
        time.sleep(0.02)
    try:
        return open_index(index_dir) if index_exists(index_dir) else create_index(index_dir)
    finally:
        lock.release()


# Fields cut by jieba; an ingest worker may have cut them already.
WORD_FIELDS = ("title", "text", "publisher")


def to_document(report_fields: dict[str, Any], counts: dict[str, dict[str, int]] | None = None,
                serial: int = 0) -> dict[str, Any]:
    """A Report dict as Whoosh field values (None → column default).

    ``counts`` holds word counts computed by a worker for WORD_FIELDS; the
    plain string is what gets stored.  ``serial`` is the report's entry in
    the substring layer.
    """
    doc = {k: v for k, v in report_fields.items() if v is not None}
    for name, words in (counts or {}).items():
        if doc.get(name):
            doc[f"_stored_{name}"] = doc[name]
            doc[name] = precounted(doc[name], words)
    doc["report_year"] = report_fields.get("report_year") or 0
    doc["aliases"] = " ".join(report_fields.get("aliases") or ())
    doc["dup_group"] = report_fields.get("duplicate_of") or report_fields["id"]
    doc["issuer_key"] = issuer_key(report_fields)  # derived from the fields as written (corrections included)
    doc[PUBLISHER_COLUMN] = report_fields.get("publisher") or ""
    doc[SERIAL_FIELD] = serial
    if report_fields.get("minhash"):
        doc["lsh"] = " ".join(band_keys(report_fields["minhash"]))
    return doc


def from_stored(stored: dict[str, Any]) -> dict[str, Any]:
    """Stored fields back to Report-shaped values."""
    out = dict(stored)
    out["report_year"] = stored.get("report_year") or None
    out["aliases"] = (stored.get("aliases") or "").split()
    out.pop("dup_group", None)
    return out
