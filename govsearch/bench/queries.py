"""The query mix every engine answers: single words, multi-word queries,
exact measure lookups, filtered (faceted) queries and very common words, in
fixed shares, built deterministically from the corpus's manifest, the words
found in its pages and the measures dictionary, interleaved by kind so that
any prefix of the mix has every kind.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from typing import Any

from govsearch.index.bundled import MEASURES_FILE

PER_PAGE = 10
SINGLE_WORDS = ("营商环境", "行政复议", "行政执法", "普法", "法律顾问", "合法性审查", "政务公开", "行政诉讼",
                "依法行政", "公平竞争审查", "规范性文件", "行政应诉", "执法监督", "复议", "法治督察",
                "重大行政决策", "公共法律服务", "矛盾纠纷")
MULTI_WORDS = ("营商环境 行政复议", "行政执法 公示", "法律顾问 合法性审查", "规范性文件 备案审查",
               "依法行政 考核", "普法 责任制", "行政复议 行政应诉", "政务公开 政府信息", "重大行政决策 程序",
               "执法 监督 问题")
NAMED_MEASURES = ("双随机、一公开", "枫桥经验", "蒙速办")
EXACT_FALLBACK = ("谁执法谁普法", "最多跑一次", "放管服", "首违不罚", "一网通办", "证照分离")
COMMON_WORDS = ("法治", "政府", "建设", "法治 政府", "政府 建设", "法治 建设")
FACET_WORDS = ("法治政府建设", "行政执法", "营商环境", "普法", "行政复议")
SHARES = {"single": 0.25, "multi": 0.2, "exact": 0.2, "facet": 0.2, "common": 0.15}
CANDIDATES = frozenset(part for w in (*SINGLE_WORDS, *MULTI_WORDS, *FACET_WORDS) for part in w.split())


def _allocate(n: int) -> dict[str, int]:
    """Queries per kind, by largest remainder, each kind at least once."""
    kinds = list(SHARES)
    if n < len(kinds):
        return {k: int(i < n) for i, k in enumerate(kinds)}
    counts = {k: max(1, int(n * s)) for k, s in SHARES.items()}
    while sum(counts.values()) < n:
        k = max(kinds, key=lambda k: n * SHARES[k] - counts[k])
        counts[k] += 1
    while sum(counts.values()) > n:
        k = max(kinds, key=lambda k: counts[k] - n * SHARES[k])
        counts[k] -= 1
    return counts


def _cycle(items: list, n: int) -> list:
    return [items[i % len(items)] for i in range(n)] if items else []


def _present(words: Iterable[str], found: set[str]) -> list[str]:
    """The words (each of their parts) found in at least one page."""
    return [w for w in words if all(part in found for part in w.split())]


def query_mix(n: int, rows: list[dict[str, Any]], found: set[str], seed: int) -> list[dict[str, Any]]:
    """A deterministic mix of ``n`` queries built from the manifest and the
    measures dictionary, interleaved by kind (so any prefix has every kind)."""
    rng = random.Random(seed)
    counts = _allocate(n)
    chosen: dict[str, list[dict[str, Any]]] = {}
    for kind, words in (("single", SINGLE_WORDS), ("multi", MULTI_WORDS)):
        present = _present(words, found) or list(words)
        rng.shuffle(present)
        chosen[kind] = [{"q": w} for w in _cycle(present, counts[kind])]
    chosen["exact"] = [{"q": m, "exact": True} for m in _exact(rows, counts["exact"], rng)]
    chosen["facet"] = _facets(rows, found, counts["facet"], rng)
    chosen["common"] = [{"q": w} for w in _cycle(list(COMMON_WORDS), counts["common"])]
    mix: list[dict[str, Any]] = []
    for i in range(max(counts.values(), default=0)):
        for kind in SHARES:
            if i < len(chosen[kind]):
                mix.append({"kind": kind, "q": chosen[kind][i]["q"], "exact": chosen[kind][i].get("exact", False),
                            "filters": chosen[kind][i].get("filters", {})})
    return mix


def _exact(rows: list[dict[str, Any]], count: int, rng: random.Random) -> list[str]:
    """``count`` exact lookups: the named measures first, then the manifest's
    most inserted measures (in the dictionary) and the fallbacks, shuffled."""
    from govsearch.index.normalize import fold

    dictionary = {fold(line.split()[0]) for line in MEASURES_FILE.read_text(encoding="utf-8").splitlines()
                  if line.strip()}
    measured = Counter(m for row in rows for m in (row.get("measures") or []) if isinstance(m, str))
    named = [m for m in NAMED_MEASURES if fold(m) in dictionary]
    from_manifest = [m for m, _ in sorted(measured.items(), key=lambda kv: (-kv[1], kv[0]))
                     if fold(m) in dictionary]
    exact: list[str] = []
    for m in [*named, *from_manifest, *EXACT_FALLBACK]:
        if fold(m) not in {fold(e) for e in exact}:
            exact.append(m)
    head, tail = exact[: len(named)], exact[len(named) :]
    tail = tail[: max(8, count)]
    rng.shuffle(tail)
    return _cycle(head + tail, count)


def _facets(rows: list[dict[str, Any]], found: set[str], count: int, rng: random.Random) -> list[dict[str, Any]]:
    """``count`` filtered queries: a facet word with one of the manifest's
    three commonest years, levels or provinces in turn."""
    def top(field: str) -> list[Any]:
        values = Counter(row.get(field) for row in rows if row.get(field) not in (None, "", 0))
        return [v for v, _ in sorted(values.items(), key=lambda kv: (-kv[1], str(kv[0])))[:3]]

    values = {"years": [int(v) for v in top("report_year") if str(v).isdigit()], "levels": top("level"),
              "provinces": top("province")}
    kinds = [k for k in ("years", "levels", "provinces") if values[k]]
    facet_words = _present(FACET_WORDS, found) or list(FACET_WORDS)
    out = []
    for i in range(count):
        item: dict[str, Any] = {"q": facet_words[i % len(facet_words)]}
        if kinds:
            kind = kinds[i % len(kinds)]
            item["filters"] = {kind: [rng.choice(values[kind])]}
        out.append(item)
    return out


def filters_of(item: dict[str, Any]):
    """A mix item's filters as govsearch's :class:`~govsearch.search.query.Filters`."""
    from govsearch.search.query import Filters

    f = item.get("filters") or {}
    return Filters(years=list(f.get("years", [])), levels=list(f.get("levels", [])),
                   provinces=list(f.get("provinces", [])))
