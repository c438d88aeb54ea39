"""Alias expansion: 放管服 ↔ 简政放权、放管结合、优化服务, on explicit request only.

The table is ``seeds/aliases.toml``: groups of names for one measure.  A term
that folds to any name of a group is expanded into an OR of all of them,
each an exact lookup.  Nothing is expanded unless the user asks (expand=1).
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

from govsearch.index.bundled import ALIASES_FILE
from govsearch.index.normalize import fold, normalize_query
from govsearch.search.query import ParsedQuery, Term

DEFAULT_ALIASES = ALIASES_FILE


@functools.lru_cache(maxsize=4)
def load(path: Path = DEFAULT_ALIASES) -> dict[str, tuple[str, ...]]:
    """Folded name → every name of its group (normalized), from the table."""
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    table: dict[str, tuple[str, ...]] = {}
    for group in data.get("group", []):
        names = tuple(dict.fromkeys(normalize_query(t) for t in group.get("terms", []) if t.strip()))
        for name in names:
            table[fold(name)] = names
    return table


def expand(parsed: ParsedQuery, path: Path = DEFAULT_ALIASES) -> ParsedQuery:
    """The query with each term that has aliases OR-ed with all of them;
    ``aliases`` names what was added, so the answer can say it."""
    table = load(path)
    groups, added = [], []
    for group in parsed.groups:
        terms = list(group)
        for term in group:
            for name in table.get(term.folded, ()):
                alias = Term(name, exact=True)
                if alias.folded != term.folded and alias not in terms:
                    terms.append(alias)
                    added.append(alias.text)
        groups.append(terms)
    return ParsedQuery(parsed.raw, groups, list(parsed.excluded), parsed.filters, list(parsed.sections),
                       list(dict.fromkeys(added)))
