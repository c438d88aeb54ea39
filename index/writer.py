"""The one writer of an index: the Whoosh writer, the substring layer and
the duplicate linker, committed together.

Ingest, reindex, a WARC replay and the crawl feed all write through
:class:`ReportWriter`, so each rule of writing lives here once: the lock
(taken with a wait, leftovers of killed writers cleared), a re-ingested
file superseding its earlier record, the near-duplicate link, the substring
chunk flushed before the commit that makes its reports visible, the version
record after it.  :class:`Holdings` is the one skip-unchanged test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from whoosh.index import LockError

from govsearch.index import corrections, posting_writer, segment_lengths
from govsearch.index.analysis import word_counts
from govsearch.index.dedup import DuplicateLinker
from govsearch.index.grams import FIELDS as GRAM_FIELDS
from govsearch.index.grams import LayerWriter, codes_of, new_serial
from govsearch.index.leftovers import clear_leftovers
from govsearch.index.report import Report
from govsearch.index.schema import WORD_FIELDS, from_stored, open_or_create, to_document, write_meta

# Commit (or, where one commit is wanted, flush the substring layer) this
# often, so a crash loses at most one batch and memory stays bounded.
# Commits never merge segments in a bulk write: Whoosh merges by re-adding
# every posting in Python, which cost more than writing them (10k reports:
# 8k took 278 s, the last 2k with the merges 200 s); queries read postings
# per segment as arrays, so many segments cost them little.
COMMIT_EVERY = 500
# How long a writer waits for another process's write lock.  Crawl feeds,
# ingests and reindexes take it in turns, each for one batch or one build.
WRITE_LOCK_WAIT = 600.0


class IndexLocked(RuntimeError):
    """Another process is writing to the index."""


def locked(index_dir: Path, lock_wait: float) -> IndexLocked:
    return IndexLocked(f"索引正被另一个进程写入，已等待 {lock_wait:.0f} 秒 (the index at {index_dir} is being "
                       f"written by another process; waited {lock_wait:.0f} s, try again when it finishes)")


def open_writer(ix, index_dir: Path, lock_wait: float = WRITE_LOCK_WAIT,
                on_wait: Callable[[], None] | None = None, **options):
    """A Whoosh writer, waiting up to ``lock_wait`` seconds while another
    process holds the lock (``on_wait`` is called once if it must wait).
    Every writer takes the lock here, so here what killed writers left is
    cleared (:func:`index.leftovers.clear_leftovers`) before it writes."""
    try:
        writer = ix.writer(timeout=0.0, **options)
    except LockError:
        if on_wait is not None:
            on_wait()
        try:
            writer = ix.writer(timeout=lock_wait, delay=0.25, **options)
        except LockError as exc:
            raise locked(index_dir, lock_wait) from exc
    try:
        clear_leftovers(ix, index_dir)
    except BaseException:
        writer.cancel()
        raise
    return posting_writer.install(segment_lengths.install(writer))


@dataclass
class Prepared:
    """What a worker computed for one report: word counts and substring codes."""

    counts: dict[str, dict[str, int]]
    codes: dict[str, object]


def prepare(report: Report) -> Prepared:
    """Cut a clean report's words and fold its text (the CPU-heavy part of
    indexing, done before the writer lock is taken)."""
    return Prepared({name: word_counts(getattr(report, name) or "") for name in WORD_FIELDS},
                    {name: codes_of(getattr(report, name) or "") for name in GRAM_FIELDS})


def corrected(report: Report, prepared: Prepared | None, active: list[corrections.Correction]) -> Prepared | None:
    """Apply the corrections that name ``report``; words a worker cut are
    cut again when a corrected field is one the index cuts words from."""
    before = {name: getattr(report, name) for name in WORD_FIELDS}
    changed = corrections.apply(report, active) and any(getattr(report, n) != v for n, v in before.items())
    return prepare(report) if prepared is not None and changed else prepared


class Holdings:
    """What an index already holds, read from one searcher: a record by id
    or by local key, and the content hash stored with it.  Skip-unchanged is
    :meth:`unchanged` and nothing else."""

    def __init__(self, searcher):
        self.searcher = searcher
        self._hashes = None

    def find(self, **term: str) -> int | None:
        return self.searcher.document_number(**term)

    def digest(self, docnum: int) -> str:
        if self._hashes is None:
            self._hashes = self.searcher.reader().column_reader("content_hash")
        return self._hashes[docnum] or ""

    def unchanged(self, docnum: int | None, digest: str) -> bool:
        """Whether the record at ``docnum`` holds these bytes, cleaned by this pipeline."""
        return docnum is not None and self.digest(docnum) == digest

    def record(self, docnum: int) -> dict:
        return from_stored(self.searcher.stored_fields(docnum))


class ReportWriter:
    """Holds an index's write lock from construction to :meth:`commit`
    (or :meth:`cancel`).  ``put`` queues a report in the Whoosh writer and
    the substring layer under one serial; every ``commit_every`` reports
    the batch is committed and the lock taken again (``None``: one commit,
    the layer flushed every COMMIT_EVERY).  ``link`` links each report to
    its near-duplicate group (off when a reindex writes stored links back).
    ``active`` corrections are applied to every report written, so a
    researcher's fix lasts through re-ingest, re-fetch and reindex.  As a
    context manager it commits on success and cancels on an error."""

    def __init__(self, index_dir: Path, *, lock_wait: float = WRITE_LOCK_WAIT,
                 on_wait: Callable[[], None] | None = None, commit_every: int | None = COMMIT_EVERY,
                 merge: bool = False, link: bool = True, active: list[corrections.Correction] = (),
                 ix=None, **options):
        self.index_dir = Path(index_dir)
        self.active = list(active)
        self._ix = ix if ix is not None else open_or_create(self.index_dir)
        self._lock_wait, self._options = lock_wait, options
        self._commit_every, self._merge = commit_every, merge
        self._writer = open_writer(self._ix, self.index_dir, lock_wait, on_wait, **options)
        self._layer = LayerWriter(self.index_dir)
        self._searcher = self._ix.searcher()  # opened under the lock: the latest commit
        self.holdings = Holdings(self._searcher)
        self._linker = DuplicateLinker(self._searcher) if link else None
        self._pending = 0
        self.written = 0

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.cancel()

    def put(self, report: Report, prepared: Prepared | None = None, *, replaces: dict | None = None) -> None:
        """Queue one report.  ``prepared`` words and codes are used as they
        are (an ingest worker's); without them the field analyzers cut the
        words.  ``replaces`` is the stored record a re-ingest supersedes:
        it goes, and its ids become the report's aliases (old links redirect)."""
        if replaces is not None and replaces["id"] != report.id:
            self._writer.delete_by_term("id", replaces["id"])
            report.aliases = list(dict.fromkeys([*report.aliases, replaces["id"], *replaces["aliases"]]))
        prepared = corrected(report, prepared, self.active)
        if self._linker is not None:
            report.duplicate_of = self._linker.link(report.id, report.minhash)
        fields = report.to_dict()
        if prepared is None:
            serial = self._layer.add(fields)
        else:
            serial = new_serial()
            self._layer.add_codes(prepared.codes, serial)
        self._writer.update_document(**to_document(fields, prepared.counts if prepared else None, serial))
        self._pending += 1
        self.written += 1
        if self._pending >= (self._commit_every or COMMIT_EVERY):
            if self._commit_every:
                self._commit()
                self._writer = open_writer(self._ix, self.index_dir, self._lock_wait, **self._options)
            else:
                self._layer.flush()  # bounded memory; chunks need no Whoosh commit of their own
            self._pending = 0

    def _commit(self) -> None:
        self._layer.flush()  # before the commit: a committed report always has its substrings
        self._writer.commit(merge=self._merge)
        write_meta(self.index_dir)

    def commit(self) -> None:
        """Write what is queued, release the lock and close the searcher."""
        try:
            self._commit()
        finally:
            self._searcher.close()

    def cancel(self) -> None:
        """Drop what is queued since the last commit and release the lock."""
        try:
            self._writer.cancel()
        finally:
            self._searcher.close()
