"""``govsearch search`` and ``govsearch export``: the read path in a shell.

Both fit a pipeline as grep does: the answer on stdout, messages on stderr,
status 0 when something matched, 1 when nothing did, 2 for bad input.  The
filters are the API's, and are read by the same library checks.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from pathlib import Path

from govsearch.config import resolve_index_dir
from govsearch.terminal import EXIT_FAILED, EXIT_OK, EXIT_USAGE, write_lines
from govsearch.terminal import fail as _fail

EXIT_MATCHED, EXIT_NOTHING = EXIT_OK, EXIT_FAILED  # as grep: 0 something matched, 1 nothing did
# The engine's page size caps one request; --limit N reads as many pages as it needs.
PAGE = 100
FILTER_HELP = {"--year": "2022, 2020-2022 or 2021,2023", "--level": "国家级 | 省级 | 市级 | 县级 | 乡镇级",
               "--issuer-kind": "政府 | 部门 | 党委 | 其他", "--adcode": "division code or its leading digits"}


def add_query_options(p: argparse.ArgumentParser, query: str = "required") -> None:
    """The query and the flags search, export, panel and terms share:
    filters (commas for several values, none: unknown) and modes.  ``query``:
    "required" (a positional), "optional" (a positional that may be left
    out: every report) or "option" (--query/-q, beside another positional)."""
    every = "a query in search's language (default: every report)"
    if query == "required":
        p.add_argument("query")
    elif query == "optional":
        p.add_argument("query", nargs="?", default="", help=every)
    else:
        p.add_argument("--query", "-q", default="", help=every)
    for flag in _flags():
        p.add_argument(flag, help=FILTER_HELP.get(flag, "a name or its beginning") + "; commas for several")
    p.add_argument("--exact", action="store_true", help="measure lookup: exact text, ranked by occurrences")
    p.add_argument("--expand", action="store_true", help="also look up the aliases in seeds/aliases.toml")
    p.add_argument("--all-versions", action="store_true",
                   help="list near-duplicates (mirrors, copies) separately instead of collapsing them")


def _flags() -> list[str]:
    """A flag per filter parameter of the API: --issuer-kind for issuer_kind."""
    from govsearch.search.query import FILTER_PARAMETERS

    return ["--" + name.replace("_", "-") for name in FILTER_PARAMETERS]


def filters_of(args: argparse.Namespace):
    """The Filters the flags give, read as the API reads its parameters (QueryError names a bad value)."""
    from govsearch.search.query import FILTER_PARAMETERS
    from govsearch.search.query import filters_of as read

    return read({name: [v.strip() for v in re.split(r"[,，]", raw) if v.strip()]
                 for name in FILTER_PARAMETERS if (raw := getattr(args, name))})


def engine_of(args: argparse.Namespace):
    from govsearch.search.engine import Engine

    engine = Engine(resolve_index_dir(args.index))
    for warning in engine.warnings:
        print(f"govsearch: 警告: {warning}", file=sys.stderr)
    return engine


def guarded(command):
    """A command with the read path's failures as one-line messages and statuses."""
    def run(args: argparse.Namespace) -> int:
        from govsearch.index.schema import IndexOutdated
        from govsearch.search.query import QueryError

        try:
            return command(args)
        except FileNotFoundError:
            return _fail(f"索引不存在: {resolve_index_dir(args.index)}，请先运行 govsearch ingest seeds/ (no index)",
                         EXIT_NOTHING)
        except IndexOutdated as exc:
            return _fail(str(exc), EXIT_NOTHING)
        except QueryError as exc:
            return _fail(str(exc), EXIT_USAGE)
    return run


def _hits(engine, args: argparse.Namespace, filters):
    """(the first page's result, every hit up to --limit), page by page."""
    first, hits, page = None, [], 1
    while len(hits) < args.limit:
        result = engine.search(args.query, filters, page=page, per_page=PAGE if args.limit > PAGE else args.limit,
                               exact=args.exact, expand=args.expand, collapse=not args.all_versions)
        first = first or result
        hits.extend(result.hits[: args.limit - len(hits)])
        if page >= result.pages:
            break
        page += 1
    return first, hits


@guarded
def cmd_search(args: argparse.Namespace) -> int:
    filters = filters_of(args)
    result, hits = _hits(engine_of(args), args, filters)
    status = EXIT_MATCHED if result.total else EXIT_NOTHING
    if args.jsonl:
        write_lines(json.dumps(h.to_dict(), ensure_ascii=False) + "\n" for h in hits)
    elif args.json:
        print(json.dumps({**result.to_dict(), "per_page": args.limit, "hits": [h.to_dict() for h in hits]},
                         ensure_ascii=False, indent=2))
    else:
        _print_hits(result, hits)
    return status


def _terminal_snippet(html_snippet: str) -> str:
    text = re.sub(r"</?mark>", lambda m: "】" if m.group(0) == "</mark>" else "【", html_snippet)
    return html.unescape(text)


def _print_hits(result, hits) -> None:
    print(f"共 {result.total} 篇报告 ({result.took_ms:.1f} ms)")
    for rank, hit in enumerate(hits, 1):
        f = hit.fields
        meta = " · ".join(str(x) for x in (f.get("report_year"), f.get("level"), f.get("province"),
                                           f.get("publisher")) if x)
        count = f"  出现 {hit.occurrences} 次" if hit.occurrences is not None else ""
        versions = f"  另有 {hit.duplicates} 个相同/相似版本" if hit.duplicates else ""
        print(f"\n{rank}. {f['title']}  [{meta}]  score={hit.score:.2f}{count}{versions}")
        if hit.sections:
            print("   命中章节: " + " / ".join(s["heading"] for s in hit.sections))
        print(f"   {f.get('url') or f.get('source')}")
        for snippet in hit.snippets:
            print(f"   {_terminal_snippet(snippet)}")
    if result.total > len(hits):
        print(f"\n（仅显示前 {len(hits)} 篇；全部结果：govsearch export，或 --limit {result.total}）", file=sys.stderr)


@guarded
def cmd_export(args: argparse.Namespace) -> int:
    from govsearch.search import export

    if binary_to_a_terminal(args.format, args.output):
        return _fail("Parquet 是二进制文件，请用 -o FILE 指定输出 (Parquet is binary: give -o FILE)", EXIT_USAGE)
    _, matcher, records = engine_of(args).iter_matches(args.query, filters_of(args), exact=args.exact,
                                                     expand=args.expand, collapse=not args.all_versions)
    count = write_rows(export.rows(matcher, records), args.format, args.output)
    return EXIT_MATCHED if count else EXIT_NOTHING


def binary_to_a_terminal(fmt: str, output: str | None) -> bool:
    """Parquet asked for without -o while stdout is a terminal (refused: it is binary)."""
    return fmt == "parquet" and not output and sys.stdout.isatty()


def write_rows(rows, fmt: str, output: str | None, columns: tuple[str, ...] | None = None, schema=None) -> int:
    """Rows as CSV, JSON Lines or Parquet to ``output`` (default stdout),
    streamed (a row is a report); says on stderr how many went out.  ``columns`` and ``schema``
    default to the export's."""
    from govsearch.search import export

    columns = columns or export.COLUMNS
    counted = _Counted(rows)
    if fmt == "parquet":
        export.write_parquet(counted, output or sys.stdout.buffer, schema)
    else:
        chunks = export.csv_rows(counted, columns) if fmt == "csv" else export.jsonl_rows(counted, columns)
        if output:
            with Path(output).open("w", encoding="utf-8", newline="") as out:
                out.writelines(chunks)
        else:
            write_lines(chunks)
    where = f" → {output}" if output else ""
    print(f"导出 {counted.count} 篇报告 (exported {counted.count} reports){where}", file=sys.stderr)
    return counted.count


class _Counted:
    """An iterator that counts what passed through it."""

    def __init__(self, items):
        self._items, self.count = iter(items), 0

    def __iter__(self):
        return self

    def __next__(self):
        item = next(self._items)
        self.count += 1
        return item


def add_search(sub, with_index) -> None:
    p = with_index(sub.add_parser("search", help="search the index (exit 1 when nothing matches)"))
    add_query_options(p)
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true", help="print the API's JSON")
    shown.add_argument("--jsonl", action="store_true", help="one hit per line, as JSON (the API's hit schema)")
    p.add_argument("--limit", type=positive, default=10, metavar="N", help="hits to show (default 10; any N)")
    p.set_defaults(func=cmd_search)


def add_export(sub, with_index) -> None:
    p = with_index(sub.add_parser("export", help="every hit with its metadata: CSV, JSON Lines or Parquet"))
    add_query_options(p)
    from govsearch.search.export import FORMATS

    p.add_argument("--format", choices=FORMATS, default="csv", help="csv (UTF-8 with BOM), jsonl or parquet")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    p.set_defaults(func=cmd_export)


def positive(raw: str) -> int:
    if not re.fullmatch(r"[0-9]+", raw) or int(raw) < 1:
        raise argparse.ArgumentTypeError(f"须为正整数 (must be a whole number above 0): {raw!r}")
    return int(raw)
