"""``govsearch terms``: candidate new measures, and words added to the dictionary.

``terms candidates [QUERY]`` lists the phrases that look like named measures
and are not in the dictionary (search.candidates) over the reports a query
and search's filters select - every report without a query - as a table or
JSON, with progress on stderr while the stored texts are read.

``terms add WORD…`` adds words to the dictionary the index is cut with.
Where they go: ``$GOVSEARCH_USER_WORDS`` when set; in a checkout,
seeds/measures.txt itself, the list the project reviews (seeds/MEASURES.md);
installed, ``user_measures.txt`` in the data directory (govsearch.config),
since the bundled list sits in site-packages.  index.analysis reads that
file after the bundled list; the command line names it for every command
(:func:`use_user_words`), so ingest, reindex, search and serve cut alike.
The index uses new words once it is rebuilt (``govsearch reindex``): until
then searches warn that the dictionary changed.

Exit statuses as the other commands (govsearch.terminal): 0 when candidates
were found or the words are in the dictionary, 1 when none were found or
there is no index, 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from govsearch.cli_search import add_query_options, engine_of, filters_of, guarded, positive
from govsearch.config import data_dir, in_checkout
from govsearch.index.analysis import USER_WORDS_ENV
from govsearch.index.bundled import MEASURES_FILE
from govsearch.terminal import EXIT_FAILED, EXIT_OK, EXIT_USAGE, progress, write_lines
from govsearch.terminal import fail as _fail

USER_WORDS_NAME = "user_measures.txt"
# A dictionary entry, as seeds/MEASURES.md defines it: Han, Latin letters and digits.
WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{2,20}")
FREQUENCY = 1000  # the list's default (seeds/MEASURES.md, Frequencies)
TAGS = ("nz", "n", "l")
_NOT_IN_WORDS = re.compile(r"[\W_]+")


def use_user_words() -> None:
    """Installed, name the user's words for index.analysis (and for any
    process a command starts), unless $GOVSEARCH_USER_WORDS names a file
    already; a checkout's words are seeds/measures.txt, read anyway."""
    if not in_checkout():
        os.environ.setdefault(USER_WORDS_ENV, str(data_dir() / USER_WORDS_NAME))


def words_file() -> Path:
    """The file ``terms add`` writes to (see the module docstring)."""
    named = os.environ.get(USER_WORDS_ENV)
    if named:
        return Path(named).expanduser()
    return MEASURES_FILE if in_checkout() else data_dir() / USER_WORDS_NAME


# ---------------------------------------------------------------- candidates
@guarded
def cmd_candidates(args: argparse.Namespace) -> int:
    from govsearch.search.candidates import candidates

    selected = engine_of(args).selected(args.query, filters_of(args), exact=args.exact, expand=args.expand,
                                      collapse=not args.all_versions)
    scanned = len(selected.kept)
    found = candidates(selected, limit=args.limit, min_reports=args.min_reports,
                       progress=None if args.quiet else (lambda items, total: progress(items, total, "terms")))
    if args.jsonl:
        write_lines(json.dumps(row, ensure_ascii=False) + "\n" for row in found)
    elif args.json:
        print(json.dumps({"query": args.query, "reports": scanned, "min_reports": args.min_reports,
                          "candidates": found}, ensure_ascii=False, indent=2))
    else:
        _print_table(found, scanned, args.min_reports)
    return EXIT_OK if found else EXIT_FAILED


def _print_table(found: list[dict], scanned: int, min_reports: int) -> None:
    print(f"共 {len(found)} 个候选词，读了 {scanned} 篇报告，每个至少见于 {min_reports} 篇 "
          f"({len(found)} candidates in {scanned} reports, each in {min_reports} or more)")
    if found:
        print(f"{'报告':>5} {'次数':>5} {'首见':>5} {'省份':>4}  候选词 / 示例报告 (reports, occurrences, "
              "first year, provinces, phrase / example)")
    for row in found:
        year = row["first_year"] or "—"
        print(f"{row['reports']:>7} {row['occurrences']:>7} {year:>7} {row['provinces']:>6}  {row['phrase']}"
              f"  ·  {row['example_title'] or row['example_id']}")


# ---------------------------------------------------------------- add
def dictionary_form(raw: str) -> str:
    """A word as the dictionary holds it: normalized as queries are
    (traditional script, full-width letters), without punctuation or spaces,
    which no jieba word holds - the exact lookup ignores them anyway."""
    from govsearch.index.normalize import normalize_query

    return _NOT_IN_WORDS.sub("", normalize_query(raw))


def _checked(raw_words: list[str]) -> tuple[list[str], list[str]]:
    """(the words in dictionary form, the problems with the others)."""
    words, problems = [], []
    for raw in raw_words:
        word = dictionary_form(raw)
        if not word:
            problems.append(f"{raw!r}: 空词 (an empty word)")
        elif not WORD.fullmatch(word):
            problems.append(f"{raw!r}: 须为 2–20 个汉字、字母或数字 (2-20 Han characters, letters or digits)")
        else:
            words.append(word)
    return words, problems


def cmd_add(args: argparse.Namespace) -> int:
    from govsearch.index.analysis import dictionary_words
    from govsearch.index.atomic import write_text_atomically
    from govsearch.index.normalize import fold

    words, problems = _checked(args.words)
    if problems:
        return _fail("未加入任何词 (nothing was added): " + "; ".join(problems), EXIT_USAGE)
    known, new = dictionary_words(), []
    for raw, word in zip(args.words, words, strict=True):
        if fold(word) in known or fold(word) in map(fold, new):
            print(f"已在词典中，跳过 (already in the dictionary, skipped): {word}", file=sys.stderr)
            continue
        if word != raw.strip():
            print(f"以 {word} 加入 (added as {word}: simplified, without punctuation or spaces, as the index "
                  "reads text)", file=sys.stderr)
        new.append(word)
    if not new:
        print("词典未变，无需重建索引 (the dictionary is unchanged; no reindex needed)")
        return EXIT_OK
    target = words_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        before = target.read_text(encoding="utf-8") if target.exists() else ""
        lines = "".join(f"{word} {FREQUENCY} {args.tag}\n" for word in new)
        write_text_atomically(target, before + ("\n" if before and not before.endswith("\n") else "") + lines)
    except OSError as exc:
        return _fail(f"{target}: 无法写入 (cannot write: {exc.strerror or exc})")
    print(f"已加入 {len(new)} 个词到 {target}：{'、'.join(new)}；请运行 govsearch reindex，索引才会使用它们 "
          f"(added {len(new)} words; run govsearch reindex so the index uses them)")
    return EXIT_OK


# ---------------------------------------------------------------- parser
def add_terms(sub, with_index) -> None:
    """``govsearch terms candidates|add``; names the user's words for every command."""
    use_user_words()
    p = sub.add_parser("terms", help="new-measure candidates, and words added to the dictionary")
    actions = p.add_subparsers(dest="terms_command", required=True, metavar="ACTION")
    c = with_index(actions.add_parser(
        "candidates", help="phrases that look like named measures and are not in the dictionary "
                           "(exit 1 when there are none)"))
    add_query_options(c, query="optional")
    c.add_argument("--limit", type=positive, default=100, metavar="N", help="candidates to list (default 100)")
    c.add_argument("--min-reports", type=positive, default=2, metavar="N",
                   help="only phrases in at least N reports (default 2)")
    shown = c.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true", help="one JSON document: the query, reports read, candidates")
    shown.add_argument("--jsonl", action="store_true", help="one candidate per line, as JSON")
    c.add_argument("-q", "--quiet", action="store_true", help="no progress line")
    c.set_defaults(func=cmd_candidates)
    a = actions.add_parser("add", help="add words to the dictionary (then run govsearch reindex)")
    a.add_argument("words", nargs="+", metavar="WORD")
    a.add_argument("--tag", choices=TAGS, default="nz",
                   help="part of speech: nz measure or programme (default), n institution, l set phrase")
    a.set_defaults(func=cmd_add)

