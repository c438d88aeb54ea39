"""The report: one row per measure, one column per engine, and govsearch's
value over each peer's; printed as an aligned table (Chinese characters
count double) with the machine, the corpus and each engine's notes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govsearch.bench.protocol import Peer

# (label, where the value is in an engine's results)
ROWS: list[tuple[str, tuple[str, ...]]] = [
    ("clean ms per 100 KB HTML", ("clean", "ms_per_100kb")),
    ("ingest reports/s", ("ingest", "reports_per_s")),
    ("ingest chars/s", ("ingest", "chars_per_s")),
    ("index size MB", ("ingest", "index_mb")),
    ("  Whoosh postings MB", ("ingest", "parts", "whoosh_postings")),
    ("  Whoosh terms MB", ("ingest", "parts", "whoosh_terms")),
    ("  stored records MB", ("ingest", "parts", "stored_records")),
    ("  Whoosh columns MB", ("ingest", "parts", "whoosh_columns")),
    ("  substring layer MB", ("ingest", "parts", "substring_layer")),
    ("results page p50 ms", ("queries", "results_page", "p50")),
    ("results page p95 ms", ("queries", "results_page", "p95")),
    ("results page max ms", ("queries", "results_page", "max")),
    ("exact lookup p50 ms", ("queries", "exact", "p50")),
    ("exact lookup p95 ms", ("queries", "exact", "p95")),
    ("exact lookup max ms", ("queries", "exact", "max")),
    ("concordance-100 p50 ms", ("queries", "concordance_100", "p50")),
    ("concordance-100 p95 ms", ("queries", "concordance_100", "p95")),
    ("concordance by context p50 ms", ("queries", "concordance_by_context", "p50")),
    ("concordance by context p95 ms", ("queries", "concordance_by_context", "p95")),
    ("  refused: over the line cap", ("queries", "concordance_by_context", "refused")),
    ("  its next page p50 ms", ("queries", "concordance_by_context_next_page", "p50")),
    ("  its next page p95 ms", ("queries", "concordance_by_context_next_page", "p95")),
    ("trend p50 ms", ("queries", "trend", "p50")),
    ("trend p95 ms", ("queries", "trend", "p95")),
    ("distribution (province × year) p95 ms", ("queries", "instruments", "distribution", "p95")),
    ("diffusion (county) p95 ms", ("queries", "instruments", "diffusion", "p95")),
    ("collocates p95 ms", ("queries", "instruments", "collocates", "p95")),
    ("keyness first call p95 ms", ("queries", "instruments", "keyness", "cold", "p95")),
    ("keyness repeated p95 ms", ("queries", "instruments", "keyness", "warm", "p95")),
    ("panel (50 terms, every report) s", ("queries", "instruments", "panel", "seconds")),
    ("report page marks ms per MB (1 MB)", ("marking", "ms_per_mb_1")),
    ("report page marks ms per MB (8 MB)", ("marking", "ms_per_mb_8")),
    ("20% re-ingested: index MB", ("compaction", "before", "index_mb")),
    ("  after optimize: index MB", ("compaction", "after", "index_mb")),
    ("20% re-ingested: results page p95 ms", ("compaction", "before", "results_page", "p95")),
    ("  after optimize: results page p95 ms", ("compaction", "after", "results_page", "p95")),
    ("20% re-ingested: exact lookup p95 ms", ("compaction", "before", "exact", "p95")),
    ("  after optimize: exact lookup p95 ms", ("compaction", "after", "exact", "p95")),
    ("optimize s", ("compaction", "optimize", "seconds")),
    ("server peak RSS MB", ("server", "rss_peak_mb")),
    ("HTTP /api/search p50 ms", ("server", "http", "p50")),
    ("HTTP /api/search p95 ms", ("server", "http", "p95")),
]


def _get(*keys: str) -> Callable[[dict], Any]:
    def read(engine: dict) -> Any:
        value: Any = engine
        for key in keys:
            if not isinstance(value, dict) or value.get(key) is None:
                return None
            value = value[key]
        return value
    return read


def fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def ratio(a: Any, b: Any) -> float | None:
    if isinstance(a, int | float) and isinstance(b, int | float) and b:
        return a / b
    return None


def table_rows(results: dict[str, Any], names: Sequence[str]) -> list[dict[str, Any]]:
    """One row per measure, a value per engine (``names``, the subject first).
    A peer that ran only a prefix of the mix left govsearch's latencies on
    that prefix (``queries.<peer>_subset``): its latency ratios use those."""
    subject, others = names[0], names[1:]
    out = []
    for label, path in ROWS:
        values = {name: _get(*path)(results[name]) if results.get(name) else None for name in names}
        row: dict[str, Any] = {"measure": label, **values}
        for other in others:
            same = values[subject]
            subset = _get("queries", f"{other}_subset")(results.get(subject) or {})
            if path[0] == "queries" and path[1] in ("results_page", "exact") and subset is not None:
                same = _get(*path[1:])(subset)
            row[f"{subject}_vs_{other}"] = ratio(same, values[other])
        out.append(row)
    return out


def render(results: dict[str, Any], peers: Sequence[Peer]) -> str:
    names = [peer.name for peer in peers]
    subject, others = names[0], names[1:]
    m, c = results["machine"], results["corpus"]
    header = ("measure", *names, *(f"{subject}÷{other}" for other in others))
    body = [(r["measure"], *(fmt(r[name]) for name in names),
             *(fmt(r[f"{subject}_vs_{o}"]) + ("×" if r[f"{subject}_vs_{o}"] is not None else "") for o in others))
            for r in results["table"]]
    widths = [max(_width(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(row):
        return "  ".join(_pad(cell, widths[i], left=i == 0) for i, cell in enumerate(row))

    ingest = results[subject]["ingest"]
    lines = [
        f"govsearch bench — {results['started']}",
        f"machine: {m['cpu_count']} CPUs ({m['cpus_available']} available), {m['cpu_model']}, "
        f"{m['mem_total_mb']} MB RAM, Python {m['python']}; load average (1 min) {_load(m, 'start')} at the "
        f"start, {_load(m, 'end')} at the end",
        f"corpus: N={c['pages']} pages ({c['html']} html, {c['txt']} txt, {c['duplicates']} near-duplicates), "
        f"chars median {fmt(c['chars_median'])}, max {fmt(c['chars_max'])}, total {fmt(c['chars_total'])}",
        f"queries: {len(results['queries'])} ({', '.join(f'{k} {v}' for k, v in results['query_kinds'].items())}); "
        f"govsearch ingest workers: {ingest.get('workers')} (setting: {ingest.get('workers_setting') or 'none'})",
        "",
        line(header),
        line(tuple("-" * w for w in widths)),
        *(line(row) for row in body),
        "",
        "ratios are govsearch's value over the peer's: above 1 is better for reports/s and chars/s, "
        "worse for ms and MB",
    ]
    prefixes = {name: n for name, n in results.get("pages_by_peer", {}).items() if n < c["pages"]}
    if prefixes:
        ran = ", ".join(f"{name} on the first {n}" for name, n in prefixes.items())
        lines.append(f"{ran} of the {c['pages']} pages: their ingest rates compare, their index sizes and "
                     "query times are those of the smaller index (underestimates at the full size)")
    for peer in peers:
        if results.get(peer.name):
            lines.extend(peer.notes(results))
    return "\n".join(lines)


def _load(m: dict[str, Any], when: str) -> str:
    load = m.get(f"loadavg_{when}")
    return f"{load[0]:.2f}" if load else "—"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, left: bool) -> str:
    gap = " " * (width - _width(text))
    return text + gap if left else gap + text
