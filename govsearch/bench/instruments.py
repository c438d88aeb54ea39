"""The research instruments timed on the bench's index (govsearch alone:
no peer has them): distribution, diffusion, collocates and keyness per
query of the mix, as the interactive pages call them, and the measure
panel of 50 terms over every report, written out as a download would be.
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
    from govsearch.search.diffusion import diffusion
    from govsearch.search.distribution import distribution

    tools = {
        "distribution": lambda chosen: distribution(chosen, ["province", "year"]),
        "diffusion": lambda chosen: diffusion(chosen, "county", 0, 100),
    }
    samples: dict[str, list[float]] = {name: [] for name in tools}
    queries = mix[:INSTRUMENT_QUERIES]
    log(f"govsearch: instruments over {len(queries)} queries …")
    for item in bar(queries, desc="govsearch instruments"):
        for name, tool in tools.items():
            started = time.perf_counter()
            tool(engine.selected(item["q"], filters_of(item), exact=item["exact"]))
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


def instrument_timings(engine, mix: list[dict[str, Any]]) -> dict[str, Any]:
    return {**interactive(engine, mix), "panel": panel(engine)}
