"""The two measures of page handling that need no index, for every engine
that has them (:meth:`Peer.cleaner`, :meth:`Peer.marker`): reading real
government HTML (ms per 100 KB, over ``../shared/corpus/html``), and marking
every occurrence of a term on a 1 MB and an 8 MB report page (ms per MB:
equal at both sizes is the budget, the work being linear in the report).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

from govsearch.bench.console import bar
from govsearch.bench.protocol import Peer
from govsearch.bench.stats import best_of
from govsearch.config import PROJECT_ROOT

SHARED_HTML = PROJECT_ROOT.parent / "shared" / "corpus" / "html"  # real government pages
MARK_SIZES_MB = (1, 8)


def clean_speeds(folder: Path, peers: Sequence[Peer]) -> dict[str, float] | None:
    """ms per 100 KB of real government HTML for each engine's cleaner (govsearch:
    decode, body extraction, metadata, gazetteer; the peers: BeautifulSoup's
    get_text).  Best of three per page, engines in turn page by page; None when
    the shared pages are not beside the project."""
    pages = sorted(folder.glob("*.htm*")) if folder.is_dir() else []
    cleaners = {peer.name: clean for peer in peers if (clean := peer.cleaner()) is not None}
    if not pages or not cleaners:
        return None
    for clean in cleaners.values():
        clean(pages[0])  # load dictionaries and the gazetteer outside the timing
    spent = dict.fromkeys(cleaners, 0.0)
    for path in bar(pages, desc="clean"):
        for name, clean in cleaners.items():
            spent[name] += best_of(partial(clean, path))
    kb = sum(p.stat().st_size for p in pages) / 1024
    return {name: 1000 * seconds / kb * 100 for name, seconds in spent.items()}


def report_marking(peers: Sequence[Peer]) -> dict[str, dict[str, float]]:
    """ms per MB to mark every occurrence of 法治 on a 1 MB and an 8 MB report,
    best of three, for each engine's marker."""
    from govsearch.search.matching import TextMatcher
    from govsearch.search.query import parse

    matcher = TextMatcher(parse("法治"))
    line = "推进法治政府建设，完善依法行政制度体系，强化法治保障。"
    markers = {peer.name: mark for peer in peers if (mark := peer.marker()) is not None}
    out: dict[str, dict[str, float]] = {name: {} for name in markers}
    for mb in MARK_SIZES_MB:
        text = "\n".join([line] * (mb * 1_000_000 // len(line.encode("utf-8"))))
        for name, mark in markers.items():
            best = best_of(partial(mark, text, matcher))
            out[name][f"ms_per_mb_{mb}"] = round(1000 * best / mb, 2)
    return out
