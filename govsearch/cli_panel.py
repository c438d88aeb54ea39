"""``govsearch panel TERMS_FILE``: the measure panel in a shell.

One row per report the query and filters select (every report without a
query), one count column per term of the file; written as CSV, JSON Lines
or Parquet (by ``--format`` or the output's suffix), streamed, with
progress on stderr.  Statuses as ``export``: 0 rows written, 1 none, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from govsearch.cli_search import (
    EXIT_MATCHED,
    EXIT_NOTHING,
    add_query_options,
    binary_to_a_terminal,
    engine_of,
    filters_of,
    guarded,
    write_rows,
)
from govsearch.terminal import EXIT_USAGE, fail, progress

FORMATS = ("csv", "jsonl", "parquet")


def output_format(args: argparse.Namespace) -> str | None:
    """--format, else the suffix of -o, else CSV; None for a suffix it cannot write."""
    if args.format:
        return args.format
    if not args.output:
        return "csv"
    suffix = Path(args.output).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


@guarded
def cmd_panel(args: argparse.Namespace) -> int:
    from govsearch.search import panel

    path = Path(args.terms_file)
    if not path.is_file():
        return fail(f"找不到词表文件: {path} (no such terms file)", EXIT_USAGE)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        return fail(f"词表文件不是 UTF-8 文本: {path} (the terms file is not UTF-8 text)", EXIT_USAGE)
    fmt = output_format(args)
    if fmt is None:
        return fail(f"无法从 {args.output} 判断格式，请用 --format csv|jsonl|parquet (cannot tell the format)",
                    EXIT_USAGE)
    if binary_to_a_terminal(fmt, args.output):
        return fail("Parquet 是二进制文件，请用 -o FILE 指定输出 (Parquet is binary: give -o FILE)", EXIT_USAGE)
    terms = panel.panel_terms(lines)
    chosen = engine_of(args).selected(args.query, filters_of(args), exact=args.exact, expand=args.expand,
                                    collapse=not args.all_versions)
    print(f"面板: {len(chosen.kept)} 篇报告 × {len(terms)} 个词 (panel: {len(chosen.kept)} reports × "
          f"{len(terms)} terms)", file=sys.stderr)
    rows = progress(panel.panel_rows(chosen, terms), total=len(chosen.kept), desc="panel")
    kinds = panel.kinds(terms)
    count = write_rows(rows, fmt, args.output, tuple(kinds), _schema(kinds) if fmt == "parquet" else None)
    return EXIT_MATCHED if count else EXIT_NOTHING


def _schema(kinds: dict[str, str]):
    from govsearch.search.export import table_schema

    return table_schema(kinds)


def add_panel(sub, with_index) -> None:
    p = with_index(sub.add_parser("panel", help="a row per report, a count column per term of TERMS_FILE "
                                                "(CSV, JSON Lines or Parquet)"))
    p.add_argument("terms_file", metavar="TERMS_FILE", help="UTF-8 text: one term a line (or A|B|C); # starts a "
                                                           "comment line")
    add_query_options(p, query="option")
    p.add_argument("--format", choices=FORMATS, help="default: from -o's suffix, else csv")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    p.set_defaults(func=cmd_panel)
