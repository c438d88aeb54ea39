"""Ingest: files in, Reports added, updated or skipped, failures explained.

Re-ingesting a source replaces its document (the id is derived from the
source), and a file whose bytes and cleaning pipeline are unchanged is
skipped.  A file that cannot be read or cleaned is recorded as failed with
its reason; it never stops the batch.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.index import LockError

from index.analysis import segmenter, word_counts
from index.clean import SUPPORTED_SUFFIXES, CleanError, NotAReport, clean_file, content_hash
from index.decode import DecodeError
from index.dedup import DuplicateLinker
from index.grams import FIELDS as GRAM_FIELDS
from index.grams import LayerWriter, codes_of, new_serial
from index.report import Report, report_id
from index.schema import (  # noqa: F401 (IndexOutdated: raised from here, callers catch it by this name)
    WORD_FIELDS,
    IndexOutdated,
    check_schema,
    index_exists,
    open_or_create,
    to_document,
    write_meta,
)

# Commit this often, so a crash loses at most one batch of work.  Commits
# never merge segments: Whoosh merges by re-adding every posting in Python,
# which cost more than writing them (10k reports: 8k took 278 s, the last 2k
# with the merges 200 s); queries read postings per segment as arrays, so
# many segments cost them little.
COMMIT_EVERY = 500
# Postings a writer sorts in memory before spilling runs to disk: a commit of
# 500 reports fits, so nothing is pickled, written and merged back.
WRITER_MB = 1024

STATUSES = ("added", "updated", "skipped", "failed")


class IndexLocked(RuntimeError):
    """Another process is writing to the index."""


# How long a writer waits for another process's write lock.  Crawl feeds,
# ingests and reindexes take it in turns, each for one batch or one build.
WRITE_LOCK_WAIT = 600.0


def open_writer(ix, index_dir: Path, lock_wait: float = WRITE_LOCK_WAIT,
                on_wait: Callable[[], None] | None = None, **options):
    """A Whoosh writer, waiting up to ``lock_wait`` seconds while another
    process holds the lock (``on_wait`` is called once if it must wait)."""
    try:
        return ix.writer(timeout=0.0, **options)
    except LockError:
        if on_wait is not None:
            on_wait()
    try:
        return ix.writer(timeout=lock_wait, delay=0.25, **options)
    except LockError as exc:
        raise IndexLocked(f"索引正被另一个进程写入，已等待 {lock_wait:.0f} 秒 (the index at {index_dir} is being "
                          f"written by another process; waited {lock_wait:.0f} s, try again when it finishes)") from exc


@dataclass
class Outcome:
    path: str
    status: str  # added | updated | skipped | failed
    reason: str = ""


@dataclass
class IngestSummary:
    outcomes: list[Outcome] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        c = Counter(o.status for o in self.outcomes)
        return {s: c.get(s, 0) for s in STATUSES}

    def by_status(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Outcome]]:
    """Files to ingest under ``paths`` (folders recursively), and the
    arguments that name nothing usable."""
    files: list[Path] = []
    problems: list[Outcome] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*")
                                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES))
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(path)
            else:
                problems.append(Outcome(str(path), "failed",
                                        f"unsupported file type {path.suffix or '(none)'}: "
                                        "expected .txt, .html or .htm"))
        else:
            problems.append(Outcome(str(path), "failed", "no such file or folder"))
    return list(dict.fromkeys(files)), problems


def source_name(path: Path, base: Path | None) -> str:
    """The source a file is known by: relative to ``base`` when inside it,
    so ids of bundled files are the same on every clone."""
    resolved = path.resolve()
    if base is not None:
        try:
            return resolved.relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return resolved.as_posix()


def _clean(path: Path, source: str) -> Report | Outcome:
    try:
        return clean_file(path, source)
    except NotAReport as exc:
        return Outcome(str(path), "skipped", str(exc))
    except (CleanError, DecodeError) as exc:
        return Outcome(str(path), "failed", str(exc))
    except OSError as exc:
        return Outcome(str(path), "failed", f"cannot read: {exc.strerror or exc}")


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


def _prepare(job: tuple[str, str]) -> tuple[Report | Outcome, Prepared | None]:
    """Worker step: clean one file and prepare it."""
    path, source = job
    result = _clean(Path(path), source)
    if isinstance(result, Outcome):
        return result, None
    return result, prepare(result)


def write_prepared(writer, layer: LayerWriter, linker: DuplicateLinker, report: Report, prepared: Prepared) -> None:
    """Link a report to its near-duplicate group and queue it in the Whoosh
    writer and the substring layer under one serial (both commit together)."""
    report.duplicate_of = linker.link(report.id, report.minhash)
    serial = new_serial()
    layer.add_codes(prepared.codes, serial)
    writer.update_document(**to_document(report.to_dict(), prepared.counts, serial))


# Below this many files to clean, worker start-up costs more than it saves.
PARALLEL_MIN_FILES = 16


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@contextmanager
def mapper(workers: int, jobs: int):
    """``map`` in this process, or an ordered process-pool map."""
    if workers <= 1 or jobs < PARALLEL_MIN_FILES:
        yield map
        return
    segmenter()  # loaded once here, inherited by forked workers
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with context.Pool(workers) as pool:
        yield lambda fn, items: pool.imap(fn, items, chunksize=4)


def ingest(paths: Iterable[Path], index_dir: Path, *, base: Path | None = None,
           progress: Callable[[Iterable, int], Iterable] | None = None,
           workers: int | None = None, lock_wait: float = WRITE_LOCK_WAIT,
           on_wait: Callable[[], None] | None = None) -> IngestSummary:
    """Clean and index every supported file under ``paths``.

    Unchanged files (same bytes, same pipeline) are skipped before any work.
    Cleaning and word segmentation run in ``workers`` processes (default: the
    cores available); this process links near-duplicates and writes, in file
    order, committing every COMMIT_EVERY reports.  ``progress(items, total)``
    wraps the stream of results (a tqdm bar in the CLI).
    """
    check_schema(index_dir)
    files, problems = discover(paths)
    summary = IngestSummary(list(problems))
    ix = open_or_create(index_dir)
    writer = open_writer(ix, index_dir, lock_wait, on_wait, limitmb=WRITER_MB)
    pending = 0
    layer = LayerWriter(index_dir)
    try:
        with ix.searcher() as searcher:
            todo: list[tuple[Path, str, bool]] = []
            reader = searcher.reader()
            hashes = reader.column_reader("content_hash") if reader.doc_count_all() else None
            for path in files:
                source = source_name(path, base)
                docnum = searcher.document_number(id=report_id(source))
                existing = docnum is not None
                try:
                    digest = content_hash(path.read_bytes())
                except OSError as exc:
                    summary.outcomes.append(Outcome(str(path), "failed", f"cannot read: {exc.strerror or exc}"))
                    continue
                if existing and hashes is not None and hashes[docnum] == digest:
                    summary.outcomes.append(Outcome(str(path), "skipped", "unchanged"))
                else:
                    todo.append((path, source, existing))
            linker = DuplicateLinker(searcher)
            with mapper(workers or default_workers(), len(todo)) as map_fn:
                results = map_fn(_prepare, [(str(path), source) for path, source, _ in todo])
                stream = zip(todo, results, strict=True)
                for (path, _, existed), (result, prepared) in progress(stream, len(todo)) if progress else stream:
                    if isinstance(result, Outcome):
                        summary.outcomes.append(result)
                        continue
                    write_prepared(writer, layer, linker, result, prepared)
                    summary.outcomes.append(Outcome(str(path), "updated" if existed else "added"))
                    pending += 1
                    if pending >= COMMIT_EVERY:
                        layer.flush()  # before the commit: a committed report always has its substrings
                        writer.commit(merge=False)
                        writer, pending = open_writer(ix, index_dir, lock_wait, limitmb=WRITER_MB), 0
    except BaseException:
        writer.cancel()
        raise
    layer.flush()
    writer.commit(merge=False)
    write_meta(index_dir)
    return summary


def write_reports(index_dir: Path, reports: Iterable[Report]) -> int:
    """Add Reports that are already clean (from stored records, or built by
    a test) to an index and its substring layer, in one commit."""
    ix = open_or_create(index_dir)
    layer = LayerWriter(index_dir)
    count = 0
    with ix.writer() as writer:
        for report in reports:
            fields = report.to_dict()
            writer.add_document(**to_document(fields, serial=layer.add(fields)))
            count += 1
            if count % COMMIT_EVERY == 0:
                layer.flush()  # bounded memory; chunks need no Whoosh commit of their own
        layer.flush()  # before the commit, as in ingest
    return count


def reindex(index_dir: Path, *, progress: Callable[[Iterable], Iterable] | None = None,
            lock_wait: float = WRITE_LOCK_WAIT) -> int:
    """Rebuild the index from its own stored Reports with the current schema,
    analyzers and dictionary, then swap it in.  Returns the report count.

    Nothing is re-crawled or re-cleaned: the stored records are the source.
    The live index's write lock is held throughout, so no commit can land in
    the old index after it was read.  The new index is built in a sibling
    folder and exchanged with the live one in one step (:mod:`index.swap`);
    running servers reopen on their next request.  The old index is kept
    as ``<name>.previous`` until the next reindex, so a request that was
    reading it when the swap landed still finds its files.
    """
    from whoosh import index as whoosh_index
    from whoosh.util.filelock import try_for

    from index.schema import INDEX_NAME, create_index, from_stored
    from index.swap import exchange

    if not index_exists(index_dir):
        raise FileNotFoundError(f"no govsearch index in {index_dir}")
    old = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    lock = old.lock("WRITELOCK")
    if not try_for(lock.acquire, timeout=lock_wait, delay=0.25):
        raise IndexLocked(f"the index at {index_dir} is being written by another process; "
                          f"waited {lock_wait:.0f} s, try again when it finishes")
    staging = index_dir.with_name(f"{index_dir.name}.reindex-{os.getpid()}")
    previous = index_dir.with_name(f"{index_dir.name}.previous")
    try:
        shutil.rmtree(staging, ignore_errors=True)
        create_index(staging)
        try:
            with old.searcher() as searcher:
                records = searcher.all_stored_fields()
                count = write_reports(staging, (Report.from_dict(from_stored(stored))
                                                for stored in (progress(records) if progress else records)))
            write_meta(staging)
            exchange(staging, index_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    finally:
        lock.release()
    shutil.rmtree(previous, ignore_errors=True)
    staging.rename(previous)
    return count
