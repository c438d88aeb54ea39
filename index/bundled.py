"""Where the files that ship with govsearch live: the cleaner's word lists
and gazetteer (``index/data``), the seed reports with the measures, aliases
and site table beside them, and the labelled real reports
(``index/data/reports``).

In a checkout they are the repository's ``seeds/`` and ``index/data/``; in a
wheel the same folders are package data, ``govsearch/seeds`` and
``govsearch/index/data`` (setup.cfg maps them there).  Both sit below the
folder the seeds sit in, so one expression finds them either way, and a
bundled file has the same source name (and id) in any installation.
"""

from __future__ import annotations

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
# The folder bundled sources are named from ("seeds/000_….txt",
# "index/data/reports/a/….txt"): a bundled report has the same source, and
# so the same id, in a checkout and in any installation.
SEEDS_BASE = SEEDS_DIR.parent
MEASURES_FILE = SEEDS_DIR / "measures.txt"
ALIASES_FILE = SEEDS_DIR / "aliases.toml"
SITES_FILE = SEEDS_DIR / "sites.toml"
# The official documents among the hand-labelled real texts (parts a-d, each
# with its labels.jsonl - source URL, licence - and README): what lets a first
# run show the research instruments on real reports.  Apart from seeds/, so
# that ingesting seeds/ still gives the five seeds their own tests expect.
REPORTS_DIR = DATA_DIR / "reports"
# What a first ``serve`` indexes.
BUNDLED_CORPUS = (SEEDS_DIR, REPORTS_DIR)


def data_file(name: str) -> Path:
    """A file of ``index/data`` (package data of ``govsearch.index``)."""
    return DATA_DIR / name


def bundled_labels() -> list[dict]:
    """The labels and provenance of every bundled real report (one row per
    file: ``file``, ``source``, ``licence``, the labels), part by part, with
    ``path`` added: the file beside its row."""
    rows = []
    for labels in sorted(REPORTS_DIR.glob("*/labels.jsonl")):
        for line in labels.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append({**row, "path": labels.parent / row["file"]})
    return rows


def seed_reports() -> list[Path]:
    """The five seed reports (``000_….txt`` …), not the word lists and tables beside them."""
    return sorted(p for p in SEEDS_DIR.iterdir()
                  if p.name[:1].isdigit() and p.suffix.lower() in (".txt", ".html", ".htm"))


def bundled_reports() -> list[Path]:
    """Every report of the bundled corpus: the seeds, then the real reports their labels list."""
    return seed_reports() + [row["path"] for row in bundled_labels()]
