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

from govsearch.index import corrections
from govsearch.index.analysis import segmenter
from govsearch.index.clean import SUPPORTED_SUFFIXES, CleanError, NotAReport, clean_file, content_hash, require_body
from govsearch.index.decode import DecodeError
from govsearch.index.leftovers import clear_leftovers, staging_dir
from govsearch.index.limits import MAX_INPUT_MB, TooLarge, read_capped
from govsearch.index.report import Report, document_id, report_id
from govsearch.index.schema import (  # noqa: F401 (IndexOutdated: raised from here, callers catch it by this name)
    IndexOutdated,
    check_schema,
    from_stored,
    index_exists,
    open_index,
    write_meta,
)
from govsearch.index.writer import (  # noqa: F401 (IndexLocked, WRITE_LOCK_WAIT: callers catch and pass them by these names)
    WRITE_LOCK_WAIT,
    Holdings,
    IndexLocked,
    Prepared,
    ReportWriter,
    locked,
    prepare,
)

# Postings a writer sorts in memory before spilling runs to disk: a commit of
# 500 reports fits, so nothing is pickled, written and merged back.
WRITER_MB = 1024

STATUSES = ("added", "updated", "skipped", "failed")


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


def _prepare(job: tuple[str, str, str, float | None]) -> Worked:
    """Worker step: clean one file and prepare it."""
    path, source, key, max_mb = job
    worked = _clean(Path(path), source, key, max_mb)
    if isinstance(worked.result, Report):
        worked.prepared = prepare(worked.result)
    return worked


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


@dataclass
class Plan:
    """What an ingest will do, decided before any file is cleaned: the files
    to clean (path, source, key, whether the index has them), the stored
    record each re-ingested file replaces (by local key), and, with
    corrections, what every file will be known by and the stored records
    the corrections name."""

    todo: list[tuple[Path, str, str, bool]] = field(default_factory=list)
    replaced: dict[str, dict] = field(default_factory=dict)
    known: list[dict[str, str]] = field(default_factory=list)
    fixed_stored: list[dict] = field(default_factory=list)


def _plan(named: list[tuple[InputFile, str, str]], holdings: Holdings, max_size_mb: float,
          fixes: list[corrections.Correction], summary: IngestSummary) -> Plan:
    """Read each file once: unreadable ones fail, unchanged ones (same bytes,
    same pipeline, no correction naming them) are skipped; the rest are planned."""
    plan = Plan()
    for found, key, source in named:
        path = found.path
        local_key = report_id(key)
        docnum = holdings.find(local_key=local_key)
        try:
            data = read_capped(path, max_size_mb)
        except (TooLarge, OSError) as exc:
            data = None
            why = str(exc) if isinstance(exc, TooLarge) else f"cannot read: {exc.strerror or exc}"
            summary.outcomes.append(Outcome(str(path), "failed", why))
        if fixes:
            plan.known.append({"id": document_id(data, source) if data is not None else "", "url": "",
                               "source": source})
        if data is None:
            continue
        fixed = bool(fixes) and any(c.matches(plan.known[-1]) for c in fixes)
        if docnum is not None and not fixed and holdings.unchanged(docnum, content_hash(data)):  # hash held files only
            summary.outcomes.append(Outcome(str(path), "skipped", "unchanged"))
            continue
        if docnum is not None:
            plan.replaced[local_key] = holdings.record(docnum)
        plan.todo.append((path, source, key, docnum is not None))
    if fixes:  # before anything is written: a row naming no report is an error
        corrections.check_known(fixes, [*plan.known, *_identities(holdings.searcher, plan.fixed_stored, fixes)])
    return plan


def _write_cleaned(out: ReportWriter, plan: Plan, summary: IngestSummary, *, workers: int | None,
                   progress: Callable[[Iterable, int], Iterable] | None, max_size_mb: float) -> set[str]:
    """Clean and prepare the planned files in workers; write them in file
    order.  Returns the ids written."""
    written: set[str] = set()
    jobs = [(str(path), source, key, max_size_mb) for path, source, key, _ in plan.todo]
    with mapper(workers or default_workers(), len(jobs)) as map_fn:
        stream = zip(plan.todo, map_fn(_prepare, jobs), strict=True)
        for (path, _, _, existed), worked in progress(stream, len(jobs)) if progress else stream:
            if isinstance(worked.result, Outcome):
                summary.outcomes.append(worked.result)
                continue
            out.put(worked.result, worked.prepared, replaces=plan.replaced.get(worked.result.local_key))
            written.add(worked.result.id)
            summary.outcomes.append(Outcome(str(path), "updated" if existed else "added", warnings=worked.warnings))
    return written


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
    fixes = fixes or []
    if not files and not fixes:  # nothing to write: no index is created or touched
        return summary
    with ReportWriter(index_dir, lock_wait=lock_wait, on_wait=on_wait, limitmb=WRITER_MB) as out:
        named = [(found, *source_names(found, base)) for found in files]
        plan = _plan(named, out.holdings, max_size_mb, fixes, summary)
        out.active = corrections.merged(corrections.stored(index_dir), fixes)
        written = _write_cleaned(out, plan, summary, workers=workers, progress=progress, max_size_mb=max_size_mb)
        for stored in plan.fixed_stored:
            if stored["id"] not in written:
                report = stored_report(stored)
                out.put(report)
                summary.outcomes.append(Outcome(report.source or report.url, "updated", "corrected"))
    if fixes:
        corrections.store(index_dir, out.active)
    return summary


def write_reports(index_dir: Path, reports: Iterable[Report], *,
                  active: list[corrections.Correction] = ()) -> int:
    """Write Reports that are already clean (from stored records, or built by
    a test) to an index and its substring layer, in one commit, with their
    duplicate links as they are."""
    with ReportWriter(index_dir, commit_every=None, link=False, active=active) as out:
        for report in reports:
            out.put(report)
    return out.written


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
    from whoosh.util.filelock import try_for

    from govsearch.index.schema import create_index

    old = open_index(index_dir)  # FileNotFoundError when there is none
    lock = old.lock("WRITELOCK")
    if not try_for(lock.acquire, timeout=lock_wait, delay=0.25):
        raise locked(index_dir, lock_wait)
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
                count = write_reports(staging, reports, active=active)
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
