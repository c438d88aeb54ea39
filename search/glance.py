"""The corpus at a glance: how many reports the index holds of each report
year, level and province, counted as the facets count them.

The home page shows them before anyone has typed a query, so a reader sees
what the instruments will count over.  Nothing here counts by itself: the
whole population (Engine.selected with no query and no filter, near-duplicates
collapsed as search collapses them) goes through each facet's own tally and
order, so every number equals the facet count a query matching everything
would show, the 未识别 bucket last.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from govsearch.index.report import LEVELS
from govsearch.search.selection import FACETS

if TYPE_CHECKING:
    from govsearch.search.engine import Engine

# The facets the glance shows, in this order.
GLANCE_FACETS = ("year", "level", "province")
# Levels read best from the top down, whatever their counts.
RANKS = {"level": {level: rank for rank, level in enumerate(LEVELS)}}


@dataclass
class Glance:
    total: int  # reports, near-duplicates collapsed
    facets: dict[str, list[dict[str, Any]]]  # name -> [{value, count}], the unknown bucket (None) last


def glance(engine: Engine, names: tuple[str, ...] = GLANCE_FACETS) -> Glance:
    """Reports per value of each facet in ``names``, over the whole index."""
    chosen = engine.selected("")
    facets = {name: _ranked(name, FACETS[name].listed(FACETS[name].tally(chosen.view, chosen.population)[0]))
              for name in names}
    return Glance(len(chosen.population), facets)


def _ranked(name: str, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A facet's values in its reading order when it has one (levels), else as the facet lists them."""
    ranks = RANKS.get(name)
    if not ranks:
        return values
    return sorted(values, key=lambda v: ranks.get(v["value"], len(ranks)))
