"""Where things live: project root, bundled seeds, the index directory."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"
DEFAULT_INDEX_DIR = PROJECT_ROOT / "var" / "index"
INDEX_ENV = "GOVSEARCH_INDEX"


def resolve_index_dir(cli_value: str | None = None) -> Path:
    """``--index``, else ``$GOVSEARCH_INDEX``, else the project-local default."""
    value = cli_value or os.environ.get(INDEX_ENV)
    return Path(value).expanduser() if value else DEFAULT_INDEX_DIR
