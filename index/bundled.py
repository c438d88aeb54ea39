"""Where the files that ship with govsearch live: the cleaner's word lists
and gazetteer (``index/data``), and the seed reports with the measures,
aliases and site table beside them.

In a checkout they are the repository's ``seeds/``; in a wheel the same
folder is package data, ``govsearch/seeds`` (setup.cfg maps it there).  Both
sit one level above this package, so one expression finds them either way.
"""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
# The folder seed sources are named from ("seeds/000_….txt"): a seed has the
# same source, and so the same id, in a checkout and in any installation.
SEEDS_BASE = SEEDS_DIR.parent
MEASURES_FILE = SEEDS_DIR / "measures.txt"
ALIASES_FILE = SEEDS_DIR / "aliases.toml"
SITES_FILE = SEEDS_DIR / "sites.toml"


def data_file(name: str) -> Path:
    """A file of ``index/data`` (package data of ``govsearch.index``)."""
    return DATA_DIR / name
