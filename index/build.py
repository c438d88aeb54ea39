"""Ingest: files in, Reports added, updated or skipped, failures explained.

Re-ingesting a source replaces its document (the id is derived from the
source), and a file whose bytes and cleaning pipeline are unchanged is
skipped.  A file that cannot be read or cleaned is recorded as failed with
its reason; it never stops the batch.  Every input is accounted for: a file
over the size cap, a symbolic link that loops or leads nowhere, a file too
short to be a report each appear in the summary with the reason, and a file
read despite a few damaged bytes carries a warning.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from whoosh.index import LockError

from govsearch.index import corrections
from govsearch.index.analysis import segmenter, word_counts
from govsearch.index.clean import SUPPORTED_SUFFIXES, CleanError, NotAReport, clean_file, content_hash, require_body
from govsearch.index.decode import DecodeError
from govsearch.index.dedup import DuplicateLinker
from govsearch.index.grams import FIELDS as GRAM_FIELDS
from govsearch.index.grams import LayerWriter, codes_of, new_serial
from govsearch.index.leftovers import clear_leftovers, staging_dir
from govsearch.index.limits import MAX_INPUT_MB, TooLarge, read_capped
from govsearch.index.report import Report, document_id, report_id
from govsearch.index.schema import (  # noqa: F401 (IndexOutdated: raised from here, callers catch it by this name)
    WORD_FIELDS,
    IndexOutdated,
    check_schema,
    from_stored,
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


def _locked(index_dir: Path, lock_wait: float) -> IndexLocked:
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
            raise _locked(index_dir, lock_wait) from exc
    try:
        clear_leftovers(ix, index_dir)
    except BaseException:
        writer.cancel()
        raise
    return writer


@dataclass
class Outcome:
    path: str
    status: str  # added | updated | skipped | failed
    reason: str = ""
    warnings: list[str] = field(default_factory=list)  # indexed, but not quite as given (bytes replaced)


@dataclass
class IngestSummary:
    outcomes: list[Outcome] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        c = Counter(o.status for o in self.outcomes)
        return {s: c.get(s, 0) for s in STATUSES}

    def by_status(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    def warned(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.warnings]


@dataclass(frozen=True)
class InputFile:
    """A file to ingest and the source it is shown by: its path inside the
    folder that was given, that folder's name first (``reports/2022/a.html``),
    or its own name when the file itself was given."""

    path: Path
    shown: str


def discover(paths: Iterable[Path]) -> tuple[list[InputFile], list[Outcome]]:
    """Files to ingest under ``paths`` (folders recursively, following
    symbolic links), and what names nothing usable: arguments, links that
    loop or lead nowhere, folders that cannot be read."""
    files: list[InputFile] = []
    problems: list[Outcome] = []
    for path in paths:
        if path.is_dir():
            named = PurePosixPath(os.path.abspath(path)).name  # as given: a linked folder keeps its link's name
            _walk(path, PurePosixPath(named), (_identity(os.stat(path)),), files, problems)
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(InputFile(path, path.name))
            else:
                problems.append(Outcome(str(path), "failed",
                                        f"unsupported file type {path.suffix or '(none)'}: "
                                        "expected .txt, .html or .htm"))
        elif path.is_symlink():
            problems.append(_unreadable(path))
        else:
            problems.append(Outcome(str(path), "failed", "no such file or folder"))
    unique: dict[Path, InputFile] = {}
    for found in files:  # one file reached by two paths (a link) is read once
        unique.setdefault(found.path.resolve(), found)
    return list(unique.values()), problems


def _identity(st: os.stat_result) -> tuple[int, int]:
    return st.st_dev, st.st_ino


def _walk(folder: Path, shown: PurePosixPath, ancestors: tuple[tuple[int, int], ...],
          files: list[InputFile], problems: list[Outcome]) -> None:
    """Depth first, in name order (the order ``sorted(rglob)`` gave).  A
    link to a folder that is being read (an ancestor: the walk would never
    end) is skipped, not followed; its files are read once all the same."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        problems.append(Outcome(str(folder), "failed", f"无法读取文件夹 (cannot read folder: {exc.strerror or exc})"))
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            st = os.stat(path)
        except OSError:  # a dangling link without a suffix may have led to a folder
            if path.suffix.lower() in SUPPORTED_SUFFIXES or not path.suffix:
                problems.append(_unreadable(path))
            continue
        if stat.S_ISDIR(st.st_mode):
            if _identity(st) in ancestors:
                problems.append(Outcome(str(path), "skipped",
                                        f"符号链接循环 (symbolic link loop: {entry.name} → {os.readlink(path)} leads "
                                        "back to a folder being read; its files are read once)"))
                continue
            _walk(path, shown / entry.name, (*ancestors, _identity(st)), files, problems)
        elif stat.S_ISREG(st.st_mode) and path.suffix.lower() in SUPPORTED_SUFFIXES:
            files.append(InputFile(path, (shown / entry.name).as_posix()))


def _unreadable(path: Path) -> Outcome:
    """A name that leads to nothing readable: a dangling link, a link chain
    that loops back on itself, a file gone mid-walk."""
    try:
        os.stat(path)
        why = "gone while being listed"
    except OSError as exc:
        why = exc.strerror or str(exc)
    if path.is_symlink():
        return Outcome(str(path), "failed", f"符号链接无效 (broken symbolic link: {path.name} → "
                                            f"{os.readlink(path)}: {why})")
    return Outcome(str(path), "failed", f"cannot read: {why}")


def source_name(path: Path, base: Path | None) -> str:
    """The key a file's id is derived from: its path relative to ``base``
    when inside it (so ids of bundled files are the same on every clone),
    else its absolute path (so two folders never share ids)."""
    resolved = path.resolve()
    if base is not None:
        try:
            return resolved.relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return resolved.as_posix()


def source_names(found: InputFile, base: Path | None) -> tuple[str, str]:
    """(id key, source shown): a file inside ``base`` is shown by its key;
    any other by its path from what was ingested, never by a path of the
    machine that indexed it (it would show in report pages, the API and
    exports)."""
    key = source_name(found.path, base)
    return key, found.shown if PurePosixPath(key).is_absolute() else key


def shown_source(source: str) -> str:
    """A stored source as shown today: an absolute path (from before sources
    were relative to what was ingested) becomes its file name."""
    return PurePosixPath(source).name if PurePosixPath(source).is_absolute() else source


@dataclass
class Worked:
    """What a worker made of one input: a report and its prepared words and
    codes, or the outcome that takes its place; and what was read despite
    damage."""

    result: Report | Outcome
    prepared: Prepared | None = None
    warnings: list[str] = field(default_factory=list)


def _clean(path: Path, source: str, key: str, max_mb: float | None) -> Worked:
    warnings: list[str] = []
    try:
        report = require_body(clean_file(path, source, key=key, max_mb=max_mb, warnings=warnings))
        return Worked(report, warnings=warnings)
    except NotAReport as exc:
        return Worked(Outcome(str(path), "skipped", str(exc)))
    except (CleanError, DecodeError, TooLarge) as exc:
        return Worked(Outcome(str(path), "failed", str(exc)))
    except OSError as exc:
        return Worked(Outcome(str(path), "failed", f"cannot read: {exc.strerror or exc}"))


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


def _prepare(job: tuple[str, str, str, float | None]) -> Worked:
    """Worker step: clean one file and prepare it."""
    path, source, key, max_mb = job
    worked = _clean(Path(path), source, key, max_mb)
    if isinstance(worked.result, Report):
        worked.prepared = prepare(worked.result)
    return worked


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


def _identities(searcher, named: list[dict] | None = None,
                fixes: list[corrections.Correction] = ()) -> Iterator[dict[str, str]]:
    """id, url and source of every stored report (to check corrections
    against); the stored records ``fixes`` name are kept in ``named`` on
    the way, so one pass over the stored records serves both."""
    for stored in searcher.all_stored_fields():
        record = from_stored(stored)
        if named is not None and any(c.matches(record) for c in fixes):
            named.append(stored)
        yield {**{k: record.get(k, "") for k in corrections.KEYS}, "aliases": record["aliases"]}


def _supersede(writer, report: Report, previous: dict | None) -> None:
    """A re-ingested file replaces its earlier record even when its bytes,
    and so its id, changed: the old record goes, and its ids become the new
    one's aliases (old links redirect)."""
    if previous is None or previous["id"] == report.id:
        return
    writer.delete_by_term("id", previous["id"])
    report.aliases = list(dict.fromkeys([*report.aliases, previous["id"], *previous["aliases"]]))


def correct(report: Report, prepared: Prepared | None, active: list[corrections.Correction]) -> Prepared:
    """Apply the corrections that name ``report``; its words are cut (again)
    when none were, or a corrected field is one the index cuts words from."""
    before = {name: getattr(report, name) for name in WORD_FIELDS}
    changed = corrections.apply(report, active) and any(getattr(report, n) != v for n, v in before.items())
    return prepare(report) if prepared is None or changed else prepared


def ingest(paths: Iterable[Path], index_dir: Path, *, base: Path | None = None,
           progress: Callable[[Iterable, int], Iterable] | None = None,
           workers: int | None = None, lock_wait: float = WRITE_LOCK_WAIT,
           on_wait: Callable[[], None] | None = None, max_size_mb: float = MAX_INPUT_MB,
           fixes: list[corrections.Correction] | None = None) -> IngestSummary:
    """Clean and index every supported file under ``paths``.

    Unchanged files (same bytes, same pipeline) are skipped before any work.
    Cleaning and word segmentation run in ``workers`` processes (default: the
    cores available); this process links near-duplicates and writes, in file
    order, committing every COMMIT_EVERY reports.  ``progress(items, total)``
    wraps the stream of results (a tqdm bar in the CLI).  A file over
    ``max_size_mb`` fails unread.  Files inside ``base`` are known by their
    path from it; others by their path from the argument that named them.
    ``fixes`` (index.corrections) are checked before anything is written (a
    row naming no report here or in the index raises CorrectionError), then
    applied and kept with the index; reports they name that this run does
    not re-clean are rewritten from their stored records.
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
            todo: list[tuple[Path, str, str, bool]] = []
            reader = searcher.reader()
            hashes = reader.column_reader("content_hash") if reader.doc_count_all() else None
            named = [(found, *source_names(found, base)) for found in files]
            fixes = fixes or []
            fixed_stored: list[dict] = []  # stored reports the fixes name
            batch: list[dict[str, str]] = []  # with fixes: what each file will be known by
            replaced: dict[str, dict] = {}  # local key → the stored record a re-ingest replaces
            for found, key, source in named:
                path = found.path
                local_key = report_id(key)
                docnum = searcher.document_number(local_key=local_key)
                existing = docnum is not None
                try:
                    data = read_capped(path, max_size_mb)
                except (TooLarge, OSError) as exc:
                    data = None
                    why = str(exc) if isinstance(exc, TooLarge) else f"cannot read: {exc.strerror or exc}"
                    summary.outcomes.append(Outcome(str(path), "failed", why))
                if fixes:
                    batch.append({"id": document_id(data, source) if data is not None else "", "url": "",
                                  "source": source})
                if data is None:
                    continue
                fixed = bool(fixes) and any(c.matches(batch[-1]) for c in fixes)
                if existing and hashes is not None and hashes[docnum] == content_hash(data) and not fixed:
                    summary.outcomes.append(Outcome(str(path), "skipped", "unchanged"))
                    continue
                if existing:
                    replaced[local_key] = from_stored(searcher.stored_fields(docnum))
                todo.append((path, source, key, existing))
            if fixes:  # before anything is written: a row naming no report is an error
                corrections.check_known(fixes, [*batch, *_identities(searcher, fixed_stored, fixes)])
            active = corrections.merged(corrections.stored(index_dir), fixes)
            linker = DuplicateLinker(searcher)
            written: set[str] = set()
            with mapper(workers or default_workers(), len(todo)) as map_fn:
                results = map_fn(_prepare, [(str(path), source, key, max_size_mb) for path, source, key, _ in todo])
                stream = zip(todo, results, strict=True)
                for (path, _, _, existed), worked in progress(stream, len(todo)) if progress else stream:
                    if isinstance(worked.result, Outcome):
                        summary.outcomes.append(worked.result)
                        continue
                    _supersede(writer, worked.result, replaced.get(worked.result.local_key))
                    prepared = correct(worked.result, worked.prepared, active)
                    write_prepared(writer, layer, linker, worked.result, prepared)
                    written.add(worked.result.id)
                    summary.outcomes.append(Outcome(str(path), "updated" if existed else "added",
                                                    warnings=worked.warnings))
                    pending += 1
                    if pending >= COMMIT_EVERY:
                        layer.flush()  # before the commit: a committed report always has its substrings
                        writer.commit(merge=False)
                        writer, pending = open_writer(ix, index_dir, lock_wait, limitmb=WRITER_MB), 0
            for stored in fixed_stored:
                if stored["id"] not in written:
                    report = stored_report(stored)
                    write_prepared(writer, layer, linker, report, correct(report, None, active))
                    summary.outcomes.append(Outcome(report.source or report.url, "updated", "corrected"))
    except BaseException:
        writer.cancel()
        raise
    layer.flush()
    writer.commit(merge=False)
    if fixes:
        corrections.store(index_dir, active)
    write_meta(index_dir)
    return summary


def write_reports(index_dir: Path, reports: Iterable[Report]) -> int:
    """Add Reports that are already clean (from stored records, or built by
    a test) to an index and its substring layer, in one commit."""
    ix = open_or_create(index_dir)
    layer = LayerWriter(index_dir)
    count = 0
    with open_writer(ix, index_dir) as writer:
        for report in reports:
            fields = report.to_dict()
            writer.add_document(**to_document(fields, serial=layer.add(fields)))
            count += 1
            if count % COMMIT_EVERY == 0:
                layer.flush()  # bounded memory; chunks need no Whoosh commit of their own
        layer.flush()  # before the commit, as in ingest
    return count


def reindex(index_dir: Path, *, progress: Callable[[Iterable], Iterable] | None = None,
            lock_wait: float = WRITE_LOCK_WAIT, fixes: list[corrections.Correction] | None = None,
            base: Path | None = None) -> int:
    """Rebuild the index from its own stored Reports with the current schema,
    analyzers and dictionary, then swap it in.  Returns the report count.

    Nothing is re-crawled or re-cleaned: the stored records are the source.
    The live index's write lock is held throughout, so no commit can land in
    the old index after it was read.  The new index is built in a sibling
    folder and exchanged with the live one in one step (:mod:`index.swap`);
    running servers reopen on their next request.  The old index is kept
    as ``<name>.previous`` until the next reindex, so a request that was
    reading it when the swap landed still finds its files.  A reindex killed
    on the way leaves its staging folder; the next writer removes it.  The
    index's corrections, and ``fixes`` (checked first), are applied again.
    Records of the older id scheme (a local file's id was its path key) get
    stable ids (:func:`migrated_ids`; files inside ``base`` are read for
    theirs), keeping the old one as an alias.
    """
    from whoosh import index as whoosh_index
    from whoosh.util.filelock import try_for

    from govsearch.index.schema import INDEX_NAME, create_index

    if not index_exists(index_dir):
        raise FileNotFoundError(f"no govsearch index in {index_dir}")
    old = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    lock = old.lock("WRITELOCK")
    if not try_for(lock.acquire, timeout=lock_wait, delay=0.25):
        raise _locked(index_dir, lock_wait)
    staging = staging_dir(index_dir, os.getpid())
    try:
        clear_leftovers(old, index_dir)
        shutil.rmtree(staging, ignore_errors=True)
        new = create_index(staging)
        try:
            with old.searcher() as searcher:
                renamed = migrated_ids(searcher.all_stored_fields(), base)
                if fixes:
                    corrections.check_known(fixes, _identities(searcher))
                active = corrections.merged(corrections.stored(index_dir), fixes or [])
                records = searcher.all_stored_fields()
                reports = (_migrated(stored_report(stored), renamed)
                           for stored in (progress(records) if progress else records))
                count = write_reports(staging, corrections.applied(reports, active))
            if active:
                corrections.store(staging, active)
            write_meta(staging)
            _swap_in(new.lock("WRITELOCK"), staging, index_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    finally:
        lock.release()
    return count


def migrated_ids(records: Iterable[dict], base: Path | None) -> dict[str, str]:
    """Old id → stable id for the records of the older scheme (no
    ``local_key``) that have no URL: a file still found at its source inside
    ``base`` (the bundled seeds) gets its bytes' id; one that cannot be read
    keeps its id until a re-ingest of the file replaces it."""
    renamed = {}
    for stored in records:
        if stored.get("local_key") or stored.get("url") or base is None:
            continue
        source = stored.get("source", "")
        if not source or PurePosixPath(source).is_absolute() or not (base / source).is_file():
            continue
        try:
            new = document_id((base / source).read_bytes(), source)
        except OSError:
            continue
        if new != stored["id"]:
            renamed[stored["id"]] = new
    return renamed


def _migrated(report: Report, renamed: dict[str, str]) -> Report:
    """A stored report under the stable-id scheme: its path key kept (for a
    record of the older scheme, its old id was that key's hash), its id
    renamed with the old one as an alias, its duplicate link renamed too."""
    if not report.local_key and not report.url:
        report.local_key = report.id
    if report.id in renamed:
        report.aliases = list(dict.fromkeys([*report.aliases, report.id]))
        report.id = renamed[report.id]
    report.duplicate_of = renamed.get(report.duplicate_of, report.duplicate_of)
    return report


def stored_report(stored: dict) -> Report:
    """A stored record as a Report to write again: same id, the source as
    shown today (:func:`shown_source`)."""
    report = Report.from_dict(from_stored(stored))
    report.source = shown_source(report.source)
    return report


def _swap_in(new_lock, staging: Path, index_dir: Path) -> None:
    """Exchange the built index with the live one, and park the old one as
    ``<name>.previous``, holding the new index's lock: once exchanged, the
    live path's lock is that one, so no writer can find the staging folder
    while this process still moves it (the old index's lock, also held,
    no longer guards the live path)."""
    from govsearch.index.swap import exchange

    new_lock.acquire()  # nobody else knows the staging folder yet
    try:
        exchange(staging, index_dir)
        previous = index_dir.with_name(f"{index_dir.name}.previous")
        shutil.rmtree(previous, ignore_errors=True)
        staging.rename(previous)
    finally:
        new_lock.release()
