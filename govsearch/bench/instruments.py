"""The research instruments timed on the bench's index (govsearch alone:
no peer has them): distribution, diffusion and collocates per query of the
mix, as the interactive pages call them (the query's selection included);
keyness over pairs of years and of levels; and the measure panel of 50
terms over every report, streamed as a download is.
"""

from __future__ import annotations

import time
from typing import Any

from govsearch.bench.console import bar, log
from govsearch.bench.queries import EXACT_FALLBACK, NAMED_MEASURES, filters_of
from govsearch.bench.stats import latency
from govsearch.index.bundled import MEASURES_FILE

PANEL_TERMS = 50
# Each interactive instrument runs over this many queries of the mix (its prefix has every kind).
INSTRUMENT_QUERIES = 60


def panel_terms(n: int = PANEL_TERMS) -> list[str]:
    """The bench's named measures, then the dictionary's, ``n`` in all."""
    words = [*NAMED_MEASURES, *EXACT_FALLBACK]
    for line in MEASURES_FILE.read_text(encoding="utf-8").splitlines():
        word = line.split()[0] if line.strip() and not line.startswith("#") else ""
        if word and word not in words:
            words.append(word)
    return words[:n]


def interactive(engine, mix: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-query latency of each interactive instrument (selection included)."""
    from govsearch.search.collocates import collocates
    from govsearch.search.diffusion import diffusion
    from govsearch.search.distribution import distribution

    tools = {
        "distribution": lambda chosen: distribution(chosen, ["province", "year"]),
        "diffusion": lambda chosen: diffusion(chosen, "county", 0, 100),
        "collocates": collocates,
    }
    samples: dict[str, list[float]] = {name: [] for name in tools}
    queries = mix[:INSTRUMENT_QUERIES]
    log(f"govsearch: instruments over {len(queries)} queries …")
    for item in bar(queries, desc="govsearch instruments"):
        for name, tool in tools.items():
            started = time.perf_counter()
            tool(engine.selected(item["q"], filters_of(item), exact=item["exact"], counts=name == "distribution"))
            samples[name].append((time.perf_counter() - started) * 1000)
    return {name: latency(values) for name, values in samples.items()}


def panel(engine, n_terms: int = PANEL_TERMS) -> dict[str, Any]:
    """The whole panel: every report × ``n_terms`` terms, rows counted as they stream."""
    from govsearch.search.panel import panel_rows

    terms = panel_terms(n_terms)
    log(f"govsearch: panel of {len(terms)} terms over every report …")
    started = time.perf_counter()
    rows = sum(1 for _ in panel_rows(engine.selected(""), terms))
    return {"terms": len(terms), "rows": rows, "seconds": round(time.perf_counter() - started, 3)}


def keyness_pairs(engine) -> list[tuple[str, str]]:
    """Sides the bench compares: the latest year against the earliest and the
    middle one, and neighbouring levels - what researchers ask first."""
    years = sorted(y for y in engine.year_totals() if y)
    pairs = [(f"year:{years[-1]}", f"year:{years[0]}"), (f"year:{years[-1]}", f"year:{years[len(years) // 2]}")]
    return [*pairs, ("level:县级", "level:市级"), ("level:乡镇级", "level:县级"), ("level:省级", "level:市级")]


def keyness_timings(engine) -> dict[str, Any] | None:
    """Each pair once cold and once warm (the second call reuses the postings the first read)."""
    from govsearch.search.keyness import keyness

    samples: dict[str, list[float]] = {"cold": [], "warm": []}
    log("govsearch: keyness over year and level pairs …")
    for a, b in keyness_pairs(engine):
        for state in ("cold", "warm"):
            started = time.perf_counter()
            keyness(engine.selected(a), engine.selected(b))
            samples[state].append((time.perf_counter() - started) * 1000)
    return {state: latency(values) for state, values in samples.items()}


def instrument_timings(engine, mix: list[dict[str, Any]]) -> dict[str, Any]:
    return {**interactive(engine, mix), "keyness": keyness_timings(engine), "panel": panel(engine)}
