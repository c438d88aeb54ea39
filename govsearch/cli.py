"""The ``govsearch`` command: a thin layer over the library functions.

Every failure a user can cause ends in a one-line message on stderr and a
non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from govsearch.cli_optimize import add_optimize
from govsearch.cli_panel import add_panel
from govsearch.cli_search import add_export, add_search
from govsearch.cli_terms import add_terms
from govsearch.config import SEEDS_BASE, data_dir, resolve_index_dir
from govsearch.index.limits import MAX_INPUT_MB
from govsearch.index.report import CLEAN, fields_in
from govsearch.search.budget import DEFAULT_SECONDS as DEFAULT_DEADLINE
from govsearch.terminal import EXIT_FAILED, EXIT_USAGE, closed_pipe_is_quiet, progress
from govsearch.terminal import fail as _fail


def _seconds(raw: str) -> float:
    """A positive number of seconds, for argparse."""
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是秒数 (not a number of seconds): {raw!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"须在 0–3600 秒之间 (must be more than 0 and at most 3600): {raw}")
    return value


# ---------------------------------------------------------------- ingest
def _progress(items, total: int | None = None):
    return progress(items, total, "ingest")


def _fixes(path: str | None):
    """The corrections file given with --metadata, checked (CorrectionError names the bad line)."""
    from govsearch.index.corrections import load_file

    return load_file(Path(path)) if path else None


def run_ingest(paths: list[Path], index_dir: Path, *, quiet: bool = False, workers: int | None = None,
               lock_wait: float, max_size_mb: float = MAX_INPUT_MB, metadata: str | None = None) -> int:
    from govsearch.index.build import IndexLocked, IndexOutdated, ingest
    from govsearch.index.corrections import CorrectionError

    def waiting() -> None:
        print(f"govsearch: 索引正被另一个进程写入，等待其写锁（最多 {lock_wait:.0f} 秒）… "
              f"(another process is writing the index; waiting up to {lock_wait:.0f} s for its lock)",
              file=sys.stderr)

    try:
        fixes = _fixes(metadata)
        summary = ingest(paths, index_dir, base=SEEDS_BASE, progress=None if quiet else _progress,
                         workers=workers, lock_wait=lock_wait, on_wait=waiting, max_size_mb=max_size_mb,
                         fixes=fixes)
    except CorrectionError as exc:
        return _fail(f"{exc}；未作任何更正 (nothing was applied)", EXIT_USAGE)
    except (IndexLocked, IndexOutdated) as exc:
        return _fail(str(exc))
    return _print_summary(summary, index_dir)


def cmd_ingest(args: argparse.Namespace) -> int:
    from govsearch.index.build import WRITE_LOCK_WAIT

    if args.lock_wait is not None and args.lock_wait < 0:
        return _fail(f"--lock-wait 不能为负数 (must be 0 or more seconds, not {args.lock_wait:g})", EXIT_USAGE)
    if args.max_size_mb is not None and not (args.max_size_mb > 0 and math.isfinite(args.max_size_mb)):
        return _fail(f"--max-size-mb 必须是大于 0 的数 (must be a number of MB above 0, not {args.max_size_mb:g})",
                     EXIT_USAGE)
    if args.max_size_mb is not None and args.warc:
        return _fail("--max-size-mb 只用于文件 (applies to files; WARC records were capped when the crawler "
                     "fetched them, by max_size_mb in SITES.toml)", EXIT_USAGE)
    lock_wait = WRITE_LOCK_WAIT if args.lock_wait is None else args.lock_wait
    paths, index_dir = [Path(p) for p in args.paths], resolve_index_dir(args.index)
    if not paths and not args.metadata:
        return _fail("请给出要索引的文件或文件夹 (give files or folders to ingest, or --metadata FILE)", EXIT_USAGE)
    if args.metadata and args.warc:
        return _fail("--metadata 不能与 --warc 同用；请先 ingest --warc，再 ingest --metadata FILE "
                     "(ingest the WARC first, then apply corrections)", EXIT_USAGE)
    if args.warc:
        return run_ingest_warc(paths, index_dir, quiet=args.quiet, workers=args.workers, lock_wait=lock_wait)
    return run_ingest(paths, index_dir, quiet=args.quiet, workers=args.workers, lock_wait=lock_wait,
                      max_size_mb=MAX_INPUT_MB if args.max_size_mb is None else args.max_size_mb,
                      metadata=args.metadata)


def _print_summary(summary, index_dir: Path) -> int:
    if not summary.outcomes:
        return _fail("没有可索引的文件：给出的文件夹里没有 .txt/.html/.htm 文件，未建立索引 (nothing to ingest: "
                     "no .txt, .html or .htm files; no index was created or changed)")
    counts = summary.counts()
    warned = summary.warned()
    print("完成 (done): " + ", ".join(f"{k} {v}" for k, v in counts.items())
          + (f", 警告 (warnings) {len(warned)}" if warned else "") + f" → {index_dir}")
    for status in ("updated", "skipped", "failed"):
        for outcome in summary.by_status(status):
            reason = f": {outcome.reason}" if outcome.reason else ""
            print(f"  {status:8} {outcome.path}{reason}")
    for outcome in warned:
        print(f"  {'warning':8} {outcome.path} ({outcome.status}): {'; '.join(outcome.warnings)}")
    return EXIT_FAILED if counts["failed"] else 0


def run_ingest_warc(paths: list[Path], index_dir: Path, *, quiet: bool = False, workers: int | None = None,
                    lock_wait: float) -> int:
    from govsearch.index.build import IndexLocked, IndexOutdated
    from govsearch.index.crawl.replay import ingest_warc

    try:
        summary = ingest_warc(paths, index_dir, progress=None if quiet else _progress, workers=workers,
                              lock_wait=lock_wait)
    except (IndexLocked, IndexOutdated, FileNotFoundError) as exc:
        return _fail(str(exc))
    return _print_summary(summary, index_dir)


# ---------------------------------------------------------------- crawl
def cmd_crawl(args: argparse.Namespace) -> int:
    from govsearch.index.build import IndexLocked, IndexOutdated
    from govsearch.index.crawl.peers import RedisUnreachable
    from govsearch.index.crawl.run import CrawlOptions, run_crawl
    from govsearch.index.crawl.sites import SitesError, load_sites

    try:
        sites = load_sites(Path(args.sites))
    except SitesError as exc:
        return _fail(str(exc), EXIT_USAGE)
    contact = args.contact or os.environ.get("GOVSEARCH_CONTACT") or sites.crawler.contact
    if not contact:
        return _fail("请给出联系方式，它会写进 User-Agent，站点管理员可据此联系你 (a contact is required: "
                     "--contact you@example.org, $GOVSEARCH_CONTACT, or contact in the [crawler] table)",
                     EXIT_USAGE)
    if args.max_pages is not None and args.max_pages < 1:
        return _fail(f"--max-pages 必须是正整数 (must be at least 1, not {args.max_pages})", EXIT_USAGE)
    if args.redis and not args.redis.startswith(("redis://", "rediss://", "unix://")):
        return _fail(f"--redis 需要 redis:// 地址 (not a Redis URL: {args.redis})", EXIT_USAGE)
    out = Path(args.out) if args.out else data_dir() / "crawl"
    options = CrawlOptions(out=out, contact=contact, index_dir=None if args.no_index else resolve_index_dir(args.index),
                           max_pages=args.max_pages, resume=args.resume, redis_url=args.redis, job=args.job or "",
                           progress=not args.quiet)
    try:
        summary = run_crawl(sites, options)
    except (IndexLocked, IndexOutdated, RedisUnreachable) as exc:
        return _fail(str(exc))
    except OSError as exc:  # name the file that failed, which may be in the index rather than the output
        return _fail(f"{exc.filename or out}: {exc.strerror or exc}")
    for note in summary.notes:
        print(f"govsearch: {note}", file=sys.stderr)
    if not summary.finish_reason:
        return _fail(f"爬取未能开始，见 {out / 'crawl.log'} (the crawl did not start; see the log)")
    c = summary.counts
    print(f"完成 (done, {summary.finish_reason or 'stopped'}): 抓取 {c.get('fetched', 0)} 页, "
          f"索引 {c.get('indexed', 0)} 篇, 未变 {c.get('unchanged', 0)}, 跳过 {c.get('skipped', 0)}, "
          f"错误 {c.get('errors', 0)}, robots 禁止 {c.get('robots', 0)}, 重试 {c.get('retries', 0)} → "
          f"{out} (events.jsonl lists every page and fault)")
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    from govsearch.index.build import IndexLocked, reindex
    from govsearch.index.corrections import CorrectionError

    index_dir = resolve_index_dir(args.index)
    try:
        count = reindex(index_dir, progress=None if args.quiet else _progress, fixes=_fixes(args.metadata),
                        base=SEEDS_BASE)
    except CorrectionError as exc:
        return _fail(f"{exc}；未作任何更正 (nothing was applied)", EXIT_USAGE)
    except FileNotFoundError:
        return _fail(f"索引不存在: {index_dir} (no index to rebuild)")
    except IndexLocked as exc:
        return _fail(str(exc))
    print(f"完成 (done): 重建 {count} 篇报告 (reindexed {count} reports) → {index_dir}")
    return 0


# ---------------------------------------------------------------- clean
CLEAN_FIELDS = fields_in(CLEAN)


def cmd_clean(args: argparse.Namespace) -> int:
    from govsearch.index.clean import CleanError, clean_file
    from govsearch.index.decode import DecodeError

    path = Path(args.file)
    if path.is_dir():
        return _fail(f"这是一个目录，请给出文件 (a folder, not a file): {path}")
    if not path.exists():
        return _fail(f"没有这个文件 (no such file): {path}")
    try:
        report = clean_file(path)
    except (CleanError, DecodeError) as exc:
        return _fail(f"{path}: {exc}")
    except OSError as exc:
        return _fail(f"{path}: cannot read: {exc.strerror or exc}")
    record = report.to_dict()
    record.pop("minhash")
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=2))
        return 0
    width = max(len(name) for name in CLEAN_FIELDS)
    for name in CLEAN_FIELDS:
        value = record[name]
        print(f"{name:<{width}}  {'' if value is None else value}")
    print("\nevidence (why each inferred field has its value):")
    for name, why in report.evidence.items():
        value = record.get(name if name != "issuer" else "publisher")
        where = f", line {why['line']}" if why.get("line") else ""
        quoted = f" «{why['text']}»" if why.get("text") else ""
        print(f"  {name:<{width}} {'' if value is None else value} ← {why['rule']}{quoted}{where}")
    lines = report.text.split("\n")
    print(f"\nsections ({len(report.sections)}):")
    for s in report.sections:
        print(f"  {s.kind:<14} {s.heading}  [{s.start}:{s.end}]")
    print(f"\ntext: {len(report.text)} characters, {len(lines)} lines")
    print(f"  first: {lines[0]}")
    print(f"  last:  {lines[-1]}")
    return 0


# ---------------------------------------------------------------- serve
def ready_index(index_dir: Path, *, complete: bool) -> int:
    """The index serve needs: built from the bundled corpus (the seeds and
    the real reports) when there is none, rebuilt when an older version made
    it; and with ``complete`` (the default index, which a first serve built)
    given the bundled reports it lacks - a first serve of an earlier version
    built it from the five seeds alone (govsearch.first_index)."""
    from govsearch.first_index import lacking
    from govsearch.index.build import WRITE_LOCK_WAIT, reindex
    from govsearch.index.bundled import BUNDLED_CORPUS, REPORTS_DIR
    from govsearch.index.schema import IndexOutdated, check_schema, index_exists

    if not index_exists(index_dir):
        print(f"索引不存在，正在从随附语料（种子报告与真实报告）构建 (no index at {index_dir}; building it from the "
              f"bundled corpus: {', '.join(str(p) for p in BUNDLED_CORPUS)})", file=sys.stderr)
        return run_ingest(list(BUNDLED_CORPUS), index_dir, quiet=True, lock_wait=WRITE_LOCK_WAIT)
    try:
        check_schema(index_dir)
    except IndexOutdated:
        print(f"索引由旧版本建立，正在从其存储的报告重建 (index {index_dir} predates this version; "
              "rebuilding it from its stored reports)", file=sys.stderr)
        reindex(index_dir, progress=_progress, base=SEEDS_BASE)
    missing = lacking(index_dir)
    if missing and not complete:
        print(f"提示：此索引缺少随附语料中的 {len(missing)} 篇报告，可用 govsearch ingest {REPORTS_DIR} 补入 "
              f"(note: this index lacks {len(missing)} reports of the bundled corpus: ingest {REPORTS_DIR} adds them)",
              file=sys.stderr)
    elif missing:
        print(f"索引缺少随附语料中的 {len(missing)} 篇报告，正在补入，已有报告不变 (the index holds part of the "
              f"bundled corpus; adding the {len(missing)} reports it lacks, keeping everything it holds)",
              file=sys.stderr)
        return run_ingest(missing, index_dir, quiet=True, lock_wait=WRITE_LOCK_WAIT)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    index_dir = resolve_index_dir(args.index)
    # Only the index serve keeps by itself is completed; one named by --index or $GOVSEARCH_INDEX is the user's.
    code = ready_index(index_dir, complete=index_dir == data_dir() / "index")
    if code:
        return code
    from functools import partial

    from govsearch.webui import create_app
    from govsearch.webui.ratelimit import check_rate, check_storage

    rate = args.rate_limit or os.environ.get("GOVSEARCH_RATE_LIMIT") or None
    storage = args.rate_limit_storage or os.environ.get("GOVSEARCH_RATE_LIMIT_STORAGE") or None
    if storage and not rate:
        return _fail("--rate-limit-storage 需要同时给出 --rate-limit (a store without a limit does nothing)",
                     EXIT_USAGE)
    try:
        limit = check_rate(rate) if rate else None
    except ValueError as exc:
        return _fail(str(exc), EXIT_USAGE)
    try:
        store = check_storage(storage) if storage else None
    except ValueError as exc:
        return _fail(str(exc))
    print(f"govsearch 正在服务 http://{args.host}:{args.port}/  (index: {index_dir}; "
          f"{args.workers} worker(s){'; rate limit ' + rate if rate else ''}"
          f"{' counted in ' + storage if storage else ''})", file=sys.stderr)
    build = partial(create_app, index_dir, rate_limit=limit, rate_limit_storage=store, proxies=args.proxies,
                    deadline=args.deadline, public_url=args.public_url or "")
    from govsearch.serving import serve_gunicorn, serve_waitress

    if args.workers > 1:
        serve_gunicorn(build, host=args.host, port=args.port, workers=args.workers, deadline=args.deadline)
    else:
        serve_waitress(build(), host=args.host, port=args.port, threads=args.threads)
    return 0


# ---------------------------------------------------------------- parser
def with_index(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("--index", metavar="DIR",
                   help="index directory (default: $GOVSEARCH_INDEX, else var/index in a checkout, "
                        "else index/ in the per-user data directory)")
    return p


def _add_ingest(sub) -> None:
    p = with_index(sub.add_parser("ingest", help="clean and index .txt/.html/.htm files or folders "
                                                 "(or, with --warc, a crawl's WARC files)"))
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--metadata", metavar="FIXES.csv",
                   help="corrections: a CSV of id (or url, or source), field, value; checked first, kept with the "
                        "index and applied again by every later write and by reindex")
    p.add_argument("--warc", action="store_true",
                   help="PATHs are WARC files or folders (a crawl's warc/): re-clean and index without re-crawling")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--workers", type=int, choices=range(1, 65), metavar="N",
                   help="processes that clean and segment (default: the available cores)")
    p.add_argument("--lock-wait", type=float, metavar="SECONDS",
                   help="while another process writes the index (a crawl, another ingest), wait this long for "
                        "its lock before giving up (default 600)")
    p.add_argument("--max-size-mb", type=float, metavar="N",
                   help=f"refuse files larger than N MB, unread (default {MAX_INPUT_MB:g}, the crawler's download cap)")
    p.set_defaults(func=cmd_ingest)


def _add_reindex(sub) -> None:
    p = with_index(sub.add_parser("reindex", help="rebuild the index from its stored reports "
                                                  "(after a dictionary or analyzer change)"))
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--metadata", metavar="FIXES.csv", help="corrections to apply too (see ingest --metadata)")
    p.set_defaults(func=cmd_reindex)


def _add_clean(sub) -> None:
    p = sub.add_parser("clean", help="show the Report a .txt/.html file cleans to (nothing is indexed)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print the whole record as JSON")
    p.set_defaults(func=cmd_clean)


def _add_crawl(sub) -> None:
    p = with_index(sub.add_parser("crawl", help="crawl the report columns in SITES.toml; clean and index "
                                                "each report as it arrives"))
    p.add_argument("sites", metavar="SITES.toml")
    p.add_argument("--out", metavar="DIR",
                   help="WARC, event log, state and job folder (default: crawl/ beside the default index)")
    p.add_argument("--max-pages", type=int, metavar="N", help="stop after fetching N pages")
    p.add_argument("--resume", action="store_true", help="continue an interrupted crawl from its saved frontier")
    p.add_argument("--contact", help="e-mail or URL for the User-Agent (else $GOVSEARCH_CONTACT or [crawler] contact)")
    p.add_argument("--redis", metavar="URL", help="share one frontier and dupefilter through Redis (scrapy-redis)")
    p.add_argument("--job", metavar="NAME", help="with --redis: the shared crawl's name (default: SITES stem + date)")
    p.add_argument("--no-index", action="store_true", help="keep WARC only; index later with ingest --warc")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_crawl)


def _add_serve(sub) -> None:
    p = with_index(sub.add_parser("serve", help="serve the web UI and JSON API"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5000)
    p.add_argument("--threads", type=int, default=4, choices=range(1, 65), metavar="N",
                   help="waitress's worker threads (default 4; gunicorn's workers use gevent instead)")
    p.add_argument("--workers", type=int, default=1, choices=range(1, 33), metavar="N",
                   help="processes: 1 serves with waitress, more with gunicorn (one query per process at a time)")
    p.add_argument("--deadline", type=_seconds, default=DEFAULT_DEADLINE, metavar="SECONDS",
                   help=f"time budget of one request; past it the answer is a 503 (default {DEFAULT_DEADLINE:g})")
    p.add_argument("--public-url", metavar="URL",
                   help="the address clients reach the server at, named in /api/openapi.json (default: none, "
                        "so clients use the address they fetched it from)")
    p.add_argument("--rate-limit", metavar="RATE",
                   help="per-client limit such as 120/minute (Flask-Limiter; else $GOVSEARCH_RATE_LIMIT; default off)")
    p.add_argument("--rate-limit-storage", metavar="URI",
                   help="where the limit's counters live, shared by all workers and machines: redis://host:6379/0 "
                        "(else $GOVSEARCH_RATE_LIMIT_STORAGE; default: each process's memory)")
    p.add_argument("--proxies", type=int, default=0, choices=range(0, 6), metavar="N",
                   help="reverse proxies in front of the server whose X-Forwarded-For to trust for the client "
                        "address (default 0; only behind a proxy)")
    p.set_defaults(func=cmd_serve)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("govsearch")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govsearch", description="中国政府报告全文检索 (full-text search over Chinese government reports)")
    parser.add_argument("--version", action="version", version=f"govsearch {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_add_ingest, _add_reindex, _add_optimize, _add_clean, _add_search, _add_export, _add_panel,
                _add_terms, _add_crawl, _add_serve):
        add(sub)
    return parser


def _add_optimize(sub) -> None:
    add_optimize(sub, with_index)


def _add_search(sub) -> None:
    add_search(sub, with_index)


def _add_export(sub) -> None:
    add_export(sub, with_index)


def _add_terms(sub) -> None:
    add_terms(sub, with_index)


def _add_panel(sub) -> None:
    add_panel(sub, with_index)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return closed_pipe_is_quiet(lambda: args.func(args))
    except KeyboardInterrupt:
        return 130
