"""Where things live: the bundled seeds, the data directory, the index."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

from govsearch.index.bundled import SEEDS_BASE, SEEDS_DIR

__all__ = ["INDEX_ENV", "PROJECT_ROOT", "SEEDS_BASE", "SEEDS_DIR", "data_dir", "resolve_index_dir"]

# A checkout's root (tests and scripts run from it); site-packages when installed.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
INDEX_ENV = "GOVSEARCH_INDEX"


def in_checkout() -> bool:
    """Whether govsearch runs from its repository rather than an installation."""
    return (PROJECT_ROOT / "setup.cfg").is_file() and (PROJECT_ROOT / "index" / "bundled.py").is_file()


def data_dir() -> Path:
    """What govsearch writes by default (the index, a crawl's output): ``var/``
    of a checkout, so that clones never share one; an installation's
    per-user data directory (platformdirs), never site-packages."""
    return PROJECT_ROOT / "var" if in_checkout() else user_data_path("govsearch", appauthor=False)


def resolve_index_dir(cli_value: str | None = None) -> Path:
    """``--index``, else ``$GOVSEARCH_INDEX``, else ``index/`` in :func:`data_dir`."""
    value = cli_value or os.environ.get(INDEX_ENV)
    return Path(value).expanduser() if value else data_dir() / "index"
