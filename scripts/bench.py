#!/usr/bin/env python
"""Benchmark govsearch against two peers on one generated corpus, in one run.

    python scripts/bench.py --docs 500 --out results.json

One corpus (``scripts/make_corpus.py``), one deterministic query mix, and
three engines measured in the same process run:

* **govsearch** - ``index.build.ingest``, then ``Engine.search`` (facets and
  10 highlighted hits, what ``/api/search`` returns), exact measure lookups,
  the first 100 concordance lines, the trend table, and the real server
  (``python -m govsearch serve``) answering the mix over HTTP, with its peak
  RSS;
* **naive** - the common naive Whoosh setup: ``jieba.analyse.ChineseAnalyzer``
  on stored ``title``/``content``, BeautifulSoup text, one writer, one commit,
  ``MultifieldParser``, top 10 with Whoosh's default ``hit.highlights``.  Its
  highlighting is slow, so it runs a capped subset of the mix with a time
  budget per query and per phase, and says so;
* **tantivy** - tantivy-py over the same jieba words (govsearch's
  ``cut_words``) in whitespace-tokenized fields, folded bigrams for exact
  lookups, fast fields for facet aggregations: the speed limit of an
  embedded engine.

Prints a table (measures × engines, with govsearch÷peer ratios) and writes the
same numbers, plus per-query timings, as JSON to ``--out``.  Progress goes to
stderr.  Every loop is bounded: by the corpus, the query count, or a budget.
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import inspect
import itertools
import json
import math
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_HTML = PROJECT_ROOT.parent / "shared" / "corpus" / "html"  # real government pages
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

MEASURES_FILE = PROJECT_ROOT / "seeds" / "measures.txt"
MANIFEST = "manifest.jsonl"
STAMP = "bench-corpus.json"  # how a cached corpus was made (seed, generator hash)
BENCH_VERSION = 1
PER_PAGE = 10
CONCORDANCE_LINES = 100
SERVER_START_TIMEOUT = 180.0
HTTP_TIMEOUT = 120.0


class BenchError(RuntimeError):
    """A problem the user must fix; reported in one line, exit status 2."""


# ---------------------------------------------------------------- small helpers
def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def bar(items: Iterable, total: int | None = None, desc: str = "") -> Iterable:
    """A tqdm bar on stderr when it is a terminal; else a progress line at
    every tenth of the way (CI logs)."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)
    if sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(items, total=total, desc=desc, unit="doc" if "ingest" in desc else "q", file=sys.stderr,
                    dynamic_ncols=True, leave=False)
    return _lines(items, total, desc)


def _lines(items: Iterable, total: int | None, desc: str) -> Iterable:
    started = last = time.perf_counter()
    step = max(1, (total or 0) // 10)
    for done, item in enumerate(items, 1):
        yield item
        now = time.perf_counter()
        if total and (done % step == 0 or done == total) and now - last >= 5:
            last = now
            log(f"  {desc}: {done}/{total} ({now - started:.0f} s)")


def percentile(samples: list[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    k = (len(ordered) - 1) * p
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def latency(samples_ms: list[float]) -> dict[str, Any] | None:
    """p50/p95/max/mean in milliseconds, or None without samples."""
    if not samples_ms:
        return None
    return {"n": len(samples_ms), "p50": round(percentile(samples_ms, 0.5), 3),
            "p95": round(percentile(samples_ms, 0.95), 3), "max": round(max(samples_ms), 3),
            "mean": round(statistics.fmean(samples_ms), 3)}


def by_kind(per_query: list[dict[str, Any]], key: str = "page_ms") -> dict[str, Any]:
    """Latency per kind of query (single, multi, exact, facet, common)."""
    kinds = dict.fromkeys(r["kind"] for r in per_query)
    return {k: latency([r[key] for r in per_query if r["kind"] == k]) for k in kinds}


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS/VmHWM (kB) of a process, from /proc."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


def machine() -> dict[str, Any]:
    model = ""
    mem_mb = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_mb = round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    load = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
    return {"cpu_count": os.cpu_count(), "cpus_available": affinity, "cpu_model": model or platform.processor(),
            "mem_total_mb": mem_mb, "python": platform.python_version(), "platform": platform.platform(),
            "loadavg_start": load}


def read_page(path: Path) -> tuple[str, str]:
    """(title, text) the way a naive setup reads a page: BeautifulSoup's
    get_text for HTML, the raw text for .txt - no cleaning."""
    data = path.read_bytes()
    if path.suffix.lower() in (".html", ".htm"):
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(data, "lxml")
        title = soup.title.get_text(strip=True) if soup.title else ""
        text = soup.get_text("\n")
    else:
        for encoding in ("utf-8", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            text = data.decode("utf-8", "replace")
        title = ""
    if not title:
        title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return title, text


# ---------------------------------------------------------------- corpus
def load_make_corpus():
    """The corpus generator, govsearch.corpus.generate(n, out, seed=...)."""
    from govsearch.corpus import generate

    return generate


def read_manifest(corpus: Path) -> list[dict[str, Any]]:
    rows = []
    with (corpus / MANIFEST).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def manifest_path(corpus: Path, row: dict[str, Any]) -> Path:
    path = Path(row["file"])
    return path if path.is_absolute() else corpus / path


def _generator_sha1() -> str | None:
    from govsearch.corpus import fingerprint

    return fingerprint()


def ensure_corpus(corpus: Path, docs: int, seed: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Reuse the corpus in ``corpus`` when its manifest lists ``docs`` pages,
    else generate it there.  Returns the manifest and how it was obtained."""
    info: dict[str, Any] = {"dir": str(corpus), "generated": False, "generate_s": None}
    if (corpus / MANIFEST).exists():
        rows = read_manifest(corpus)
        if len(rows) != docs:
            raise BenchError(f"{corpus} holds a corpus of {len(rows)} pages, not {docs}; pass --docs {len(rows)} "
                             "or another --corpus directory")
        log(f"reusing the corpus in {corpus} ({len(rows)} pages)")
        made = json.loads((corpus / STAMP).read_text(encoding="utf-8")) if (corpus / STAMP).exists() else {}
        info["made_by"] = made or None
        if made and made.get("seed") != seed:
            log(f"warning: that corpus was generated with seed {made.get('seed')}, not {seed}")
        if made and made.get("make_corpus_sha1") != _generator_sha1():
            info["stale"] = True
            log("warning: the corpus generator (govsearch.corpus) changed since that corpus was generated; "
                "delete it to regenerate")
    else:
        if corpus.exists() and any(corpus.iterdir()):
            raise BenchError(f"{corpus} is not empty and has no {MANIFEST}; give an empty or new --corpus directory")
        generate = load_make_corpus()
        corpus.mkdir(parents=True, exist_ok=True)
        log(f"generating {docs} pages into {corpus} (seed {seed}) …")
        started = time.perf_counter()
        extra = {"progress": sys.stderr.isatty()} if "progress" in inspect.signature(generate).parameters else {}
        generate(docs, corpus, seed=seed, **extra)
        info.update(generated=True, generate_s=round(time.perf_counter() - started, 2))
        (corpus / STAMP).write_text(json.dumps({"docs": docs, "seed": seed, "make_corpus_sha1": _generator_sha1()})
                                    + "\n", encoding="utf-8")
        if not (corpus / MANIFEST).exists():
            raise BenchError(f"make_corpus.generate wrote no {MANIFEST} in {corpus}")
        rows = read_manifest(corpus)
        if len(rows) != docs:
            raise BenchError(f"make_corpus.generate wrote {len(rows)} manifest rows for {docs} pages")
    missing = [row["file"] for row in rows if not manifest_path(corpus, row).is_file()]
    if missing:
        raise BenchError(f"{len(missing)} pages of the manifest are missing from {corpus}, e.g. {missing[0]}")
    return rows, info


def corpus_stats(corpus: Path, rows: list[dict[str, Any]], read_lengths: list[int]) -> dict[str, Any]:
    lengths = [int(row["length"]) for row in rows if isinstance(row.get("length"), int | float)]
    if len(lengths) != len(rows):  # no usable manifest length: the pages' text as a naive reader sees it
        lengths = read_lengths
    suffixes = Counter(manifest_path(corpus, row).suffix.lower() for row in rows)
    return {"pages": len(rows), "html": suffixes.get(".html", 0) + suffixes.get(".htm", 0),
            "txt": suffixes.get(".txt", 0), "bytes": sum(manifest_path(corpus, r).stat().st_size for r in rows),
            "chars_total": sum(lengths), "chars_median": statistics.median(lengths) if lengths else 0,
            "chars_max": max(lengths, default=0),
            "duplicates": sum(1 for row in rows if row.get("duplicate_of")),
            "years": dict(Counter(str(row.get("report_year")) for row in rows).most_common()),
            "levels": dict(Counter(str(row.get("level")) for row in rows).most_common())}


# ---------------------------------------------------------------- query mix
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


CANDIDATES = frozenset(part for w in (*SINGLE_WORDS, *MULTI_WORDS, *FACET_WORDS) for part in w.split())


def _present(words: Iterable[str], found: set[str]) -> list[str]:
    """The words (each of their parts) found in at least one page."""
    return [w for w in words if all(part in found for part in w.split())]


def query_mix(n: int, rows: list[dict[str, Any]], found: set[str], seed: int) -> list[dict[str, Any]]:
    """A deterministic mix of ``n`` queries built from the manifest and the
    measures dictionary, interleaved by kind (so any prefix has every kind)."""
    from govsearch.index.normalize import fold

    rng = random.Random(seed)
    counts = _allocate(n)
    dictionary = {fold(line.split()[0]) for line in MEASURES_FILE.read_text(encoding="utf-8").splitlines()
                  if line.strip()}
    chosen: dict[str, list[dict[str, Any]]] = {}

    single = _present(SINGLE_WORDS, found) or list(SINGLE_WORDS)
    rng.shuffle(single)
    chosen["single"] = [{"q": w} for w in _cycle(single, counts["single"])]

    multi = _present(MULTI_WORDS, found) or list(MULTI_WORDS)
    rng.shuffle(multi)
    chosen["multi"] = [{"q": w} for w in _cycle(multi, counts["multi"])]

    measured = Counter(m for row in rows for m in (row.get("measures") or []) if isinstance(m, str))
    named = [m for m in NAMED_MEASURES if fold(m) in dictionary]
    from_manifest = [m for m, _ in sorted(measured.items(), key=lambda kv: (-kv[1], kv[0]))
                     if fold(m) in dictionary]
    exact: list[str] = []
    for m in [*named, *from_manifest, *EXACT_FALLBACK]:
        if fold(m) not in {fold(e) for e in exact}:
            exact.append(m)
    head, tail = exact[: len(named)], exact[len(named) :]
    tail = tail[: max(8, counts["exact"])]
    rng.shuffle(tail)
    chosen["exact"] = [{"q": m, "exact": True} for m in _cycle(head + tail, counts["exact"])]

    def top(field: str) -> list[Any]:
        values = Counter(row.get(field) for row in rows if row.get(field) not in (None, "", 0))
        return [v for v, _ in sorted(values.items(), key=lambda kv: (-kv[1], str(kv[0])))[:3]]

    values = {"years": [int(v) for v in top("report_year") if str(v).isdigit()], "levels": top("level"),
              "provinces": top("province")}
    kinds = [k for k in ("years", "levels", "provinces") if values[k]]
    facet_words = _present(FACET_WORDS, found) or list(FACET_WORDS)
    chosen["facet"] = []
    for i in range(counts["facet"]):
        item: dict[str, Any] = {"q": facet_words[i % len(facet_words)]}
        if kinds:
            kind = kinds[i % len(kinds)]
            item["filters"] = {kind: [rng.choice(values[kind])]}
        chosen["facet"].append(item)

    chosen["common"] = [{"q": w} for w in _cycle(list(COMMON_WORDS), counts["common"])]

    mix: list[dict[str, Any]] = []
    for i in range(max(counts.values(), default=0)):
        for kind in SHARES:
            if i < len(chosen[kind]):
                mix.append({"kind": kind, "q": chosen[kind][i]["q"], "exact": chosen[kind][i].get("exact", False),
                            "filters": chosen[kind][i].get("filters", {})})
    return mix


def filters_of(item: dict[str, Any]):
    from govsearch.search.query import Filters

    f = item.get("filters") or {}
    return Filters(years=list(f.get("years", [])), levels=list(f.get("levels", [])),
                   provinces=list(f.get("provinces", [])))


# ---------------------------------------------------------------- govsearch
def _ingest_progress(items, total=None):
    return bar(items, total=total, desc="govsearch ingest")


def govsearch_ingest(corpus: Path, index_dir: Path, workers: int | None, chars: int) -> dict[str, Any]:
    from govsearch.index import build

    params = inspect.signature(build.ingest).parameters
    worker_param = next((p for p in ("workers", "procs", "processes", "jobs") if p in params), None)
    kwargs: dict[str, Any] = {"base": corpus}
    if "progress" in params:
        kwargs["progress"] = _ingest_progress
    if worker_param and workers:
        kwargs[worker_param] = workers
    elif workers:
        log(f"index.build.ingest has no workers setting; --ingest-workers {workers} is ignored")
    used: Any = None
    if worker_param:
        if workers:
            used = workers
        elif callable(getattr(build, "default_workers", None)):
            used = build.default_workers()
        else:
            default = params[worker_param].default
            used = default if default not in (None, inspect.Parameter.empty) else "default"
    log(f"govsearch: ingesting into {index_dir} (workers: {used if worker_param else 'not configurable'}) …")
    started = time.perf_counter()
    summary = build.ingest([corpus], index_dir, **kwargs)
    seconds = time.perf_counter() - started
    counts = summary.counts()
    files = sum(counts.values())
    log(f"govsearch: ingested {files} files in {seconds:.1f} s ({counts})")
    failures = [f"{o.path}: {o.reason}" for o in summary.by_status("failed")][:5]
    return {"seconds": round(seconds, 3), "files": files, "counts": counts,
            "reports_per_s": files / seconds, "chars_per_s": chars / seconds,
            "cpu_count": os.cpu_count(), "workers_setting": worker_param, "workers": used,
            "first_failures": failures, "index_mb": round(dir_mb(index_dir), 3)}


def govsearch_queries(index_dir: Path, mix: list[dict[str, Any]]) -> dict[str, Any]:
    from govsearch.search.engine import Engine
    from govsearch.search.kwic import window
    from govsearch.search.trend import trend

    started = time.perf_counter()
    engine = Engine(index_dir)
    open_s = time.perf_counter() - started

    def page(item):
        result = engine.search(item["q"], filters_of(item), page=1, per_page=PER_PAGE, exact=item["exact"])
        result.to_dict()
        return result

    log(f"govsearch: warm-up pass over {len(mix)} queries …")
    for item in bar(mix, desc="govsearch warm-up"):
        page(item)

    per_query = []
    log("govsearch: results pages …")
    for item in bar(mix, desc="govsearch search"):
        t = time.perf_counter()
        result = page(item)
        ms = (time.perf_counter() - t) * 1000
        per_query.append({"kind": item["kind"], "q": item["q"], "exact": item["exact"],
                          "filters": item["filters"], "total": result.total, "hits": len(result.hits),
                          "snippets": sum(len(h.snippets) for h in result.hits), "page_ms": round(ms, 3)})

    log("govsearch: concordance (first 100 lines) and trend …")
    year_totals = engine.year_totals()
    for item, row in zip(bar(mix, desc="govsearch kwic+trend"), per_query, strict=True):
        t = time.perf_counter()
        _, matcher, records = engine.iter_matches(item["q"], filters_of(item), exact=item["exact"])
        lines = window(records, matcher, 0, CONCORDANCE_LINES)  # what /api/concordance page 1 does
        row["concordance_ms"] = round((time.perf_counter() - t) * 1000, 3)
        row["concordance_lines"] = len(lines)
        t = time.perf_counter()
        reports, occurrences = engine.year_counts(item["q"], filters_of(item), exact=item["exact"])
        rows = trend(reports, occurrences, engine.year_totals())
        row["trend_ms"] = round((time.perf_counter() - t) * 1000, 3)
        row["trend_years"] = len(rows)
    return {
        "engine_open_s": round(open_s, 3),
        "year_totals": {str(k or "none"): v for k, v in sorted(year_totals.items(), key=lambda kv: kv[0] or 9999)},
        "results_page": latency([r["page_ms"] for r in per_query if not r["exact"]]),
        "exact": latency([r["page_ms"] for r in per_query if r["exact"]]),
        "concordance_100": latency([r["concordance_ms"] for r in per_query]),
        "trend": latency([r["trend_ms"] for r in per_query]),
        "by_kind": {"results_page": by_kind(per_query), "concordance_100": by_kind(per_query, "concordance_ms"),
                    "trend": by_kind(per_query, "trend_ms")},
        "per_query": per_query,
    }


# Straight to 127.0.0.1: never through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _http_get(url: str) -> tuple[int, dict[str, Any] | None]:
    try:
        with _OPENER.open(url, timeout=HTTP_TIMEOUT) as response:
            return response.status, json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code, None


def _try_get(url: str) -> tuple[int, dict[str, Any] | None]:
    """Like _http_get, with a dropped connection or time-out as status 0."""
    try:
        return _http_get(url)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, None


def _api_url(base: str, item: dict[str, Any]) -> str:
    params: list[tuple[str, str]] = [("q", item["q"]), ("per_page", str(PER_PAGE))]
    if item["exact"]:
        params.append(("exact", "1"))
    names = {"years": "year", "levels": "level", "provinces": "province"}
    for key, values in (item.get("filters") or {}).items():
        params.extend((names[key], str(v)) for v in values)
    return f"{base}/api/search?{urllib.parse.urlencode(params)}"


def govsearch_server(index_dir: Path, mix: list[dict[str, Any]], log_path: Path) -> dict[str, Any]:
    """The real server as a subprocess: the mix over HTTP, then its peak RSS."""
    python = PROJECT_ROOT / ".venv" / "bin" / "python"
    python = python if python.exists() else Path(sys.executable)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(python), "-m", "govsearch", "serve", "--index", str(index_dir), "--host", "127.0.0.1",
               "--port", str(port)]
    log(f"server: starting {' '.join(command[1:])} …")
    with log_path.open("wb") as server_log:
        proc = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=server_log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    try:
        started = time.perf_counter()
        while True:
            if proc.poll() is not None:
                tail = log_path.read_text(encoding="utf-8", errors="replace")[-1500:]
                raise BenchError(f"the server exited with status {proc.returncode} before answering:\n{tail}")
            if _try_get(f"{base}/api/stats")[0] == 200:
                break
            if time.perf_counter() - started > SERVER_START_TIMEOUT:
                raise BenchError(f"the server did not answer within {SERVER_START_TIMEOUT:.0f} s; see {log_path}")
            time.sleep(0.2)
        ready_s = time.perf_counter() - started
        idle = proc_status(proc.pid)
        log(f"server: ready in {ready_s:.1f} s (pid {proc.pid}); warm-up and timed passes over HTTP …")
        for item in bar(mix, desc="http warm-up"):
            _try_get(_api_url(base, item))
        timings, errors, per_query = [], 0, []
        for item in bar(mix, desc="http"):
            t = time.perf_counter()
            status, body = _try_get(_api_url(base, item))
            ms = (time.perf_counter() - t) * 1000
            if status != 200:
                errors += 1
            timings.append(ms)
            per_query.append({"q": item["q"], "kind": item["kind"], "status": status, "ms": round(ms, 3),
                              "server_took_ms": body.get("took_ms") if body else None,
                              "total": body.get("total") if body else None})
        peak = proc_status(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
    log(f"server: stopped (peak RSS {peak.get('VmHWM', 0) / 1024:.0f} MB)")
    return {"ready_s": round(ready_s, 3), "rss_idle_mb": round(idle.get("VmRSS", 0) / 1024, 1),
            "rss_peak_mb": round(peak.get("VmHWM", 0) / 1024, 1), "http": latency(timings),
            "http_results_page": latency([q["ms"] for q, i in zip(per_query, mix, strict=True) if not i["exact"]]),
            "http_exact": latency([q["ms"] for q, i in zip(per_query, mix, strict=True) if i["exact"]]),
            "by_kind": {"http": by_kind(per_query, "ms")}, "errors": errors, "per_query": per_query}


# ---------------------------------------------------------------- cleaning
def clean_speeds(folder: Path) -> dict[str, float] | None:
    """ms per 100 KB of real government HTML: govsearch's whole cleaning
    (decode, body extraction, metadata, gazetteer) against the peers'
    BeautifulSoup get_text.  Best of three per page, so a busy moment does
    not count; None when the shared pages are not beside the project."""
    from govsearch.index.clean import clean_file

    pages = sorted(folder.glob("*.htm*")) if folder.is_dir() else []
    if not pages:
        return None
    clean_file(pages[0])  # load the dictionary and gazetteer outside the timing
    spent = {"govsearch": 0.0, "naive": 0.0}
    for path in bar(pages, desc="clean"):
        for name, work in (("govsearch", clean_file), ("naive", read_page)):
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                work(path)
                best = min(best, time.perf_counter() - start)
            spent[name] += best
    kb = sum(p.stat().st_size for p in pages) / 1024
    return {name: 1000 * seconds / kb * 100 for name, seconds in spent.items()}


MARK_SIZES_MB = (1, 8)


def report_marking() -> dict[str, dict[str, float]]:
    """ms per MB to mark every occurrence of a term on a report page, for a
    1 MB and an 8 MB report: govsearch's numbered marks per paragraph
    against one escape-and-substitute pass over the whole text (what a page
    without numbering or paragraphs would do).  Equal per-MB cost at both
    sizes is the budget: the work is linear in the report."""
    import html

    from govsearch.search.highlight import mark_paragraphs
    from govsearch.search.matching import TextMatcher
    from govsearch.search.query import parse

    matcher = TextMatcher(parse("法治"))
    line = "推进法治政府建设，完善依法行政制度体系，强化法治保障。"
    out: dict[str, dict[str, float]] = {"govsearch": {}, "naive": {}}
    for mb in MARK_SIZES_MB:
        text = "\n".join([line] * (mb * 1_000_000 // len(line.encode("utf-8"))))
        works = {"govsearch": lambda t=text: mark_paragraphs(t, matcher.spans(t)),
                 "naive": lambda t=text: matcher.highlight.sub(r"<mark>\g<0></mark>", html.escape(t))}
        for name, work in works.items():
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                work()
                best = min(best, time.perf_counter() - start)
            out[name][f"ms_per_mb_{mb}"] = round(1000 * best / mb, 2)
    return out


# ---------------------------------------------------------------- peer 1: naive Whoosh
def naive_ingest(pages: list[Path], index_dir: Path, chars: int) -> dict[str, Any]:
    from jieba.analyse import ChineseAnalyzer
    from whoosh import fields
    from whoosh import index as whoosh_index

    schema = fields.Schema(path=fields.ID(stored=True, unique=True),
                           title=fields.TEXT(stored=True, analyzer=ChineseAnalyzer()),
                           content=fields.TEXT(stored=True, analyzer=ChineseAnalyzer()))
    index_dir.mkdir(parents=True, exist_ok=True)
    log(f"naive: ingesting {len(pages)} pages (one writer, one commit) …")
    started = time.perf_counter()
    ix = whoosh_index.create_in(str(index_dir), schema)
    writer = ix.writer()
    for path in bar(pages, desc="naive ingest"):
        title, text = read_page(path)
        writer.add_document(path=str(path), title=title, content=text)
    writer.commit()
    seconds = time.perf_counter() - started
    log(f"naive: ingested in {seconds:.1f} s")
    return {"seconds": round(seconds, 3), "files": len(pages), "reports_per_s": len(pages) / seconds,
            "chars_per_s": chars / seconds, "index_mb": round(dir_mb(index_dir), 3), "workers": 1}


def naive_queries(index_dir: Path, mix: list[dict[str, Any]], limit: int, query_budget: float,
                  phase_budget: float) -> dict[str, Any]:
    """Top 10 with Whoosh's default highlighting, on a capped prefix of the mix."""
    from whoosh import index as whoosh_index
    from whoosh.qparser import MultifieldParser

    ix = whoosh_index.open_dir(str(index_dir))
    parser = MultifieldParser(["title", "content"], ix.schema)
    subset = mix[:limit]
    notes = ["no facets: the naive schema has no year/level/province fields, so filters are dropped",
             f"ran {len(subset)} of {len(mix)} queries (--naive-queries {limit})"]

    def page(searcher, item, budget: float) -> tuple[int, int, bool]:
        # An exact lookup is typed unquoted: quoted, MultifieldParser makes a
        # Phrase that never matches, as ChineseTokenizer's positions skip
        # punctuation and leave gaps (counted apart, in phrase_total).
        text = item["q"]
        t = time.perf_counter()
        results = searcher.search(parser.parse(text), limit=PER_PAGE)
        total, highlighted = len(results), 0
        for hit in results:
            hit.highlights("content")
            highlighted += 1
            if time.perf_counter() - t > budget:
                return total, highlighted, True
        return total, highlighted, False

    per_query, capped, phase_started = [], False, time.perf_counter()
    with ix.searcher() as searcher:
        if subset:
            log("naive: warm-up query …")
            page(searcher, subset[0], query_budget)
        log(f"naive: {len(subset)} results pages (budget {query_budget:.0f} s a query, {phase_budget:.0f} s "
            "in all) …")
        for item in bar(subset, desc="naive search"):
            if time.perf_counter() - phase_started > phase_budget:
                capped = True
                notes.append(f"stopped after {len(per_query)} queries: the phase budget of {phase_budget:.0f} s "
                             "ran out (--naive-budget)")
                break
            t = time.perf_counter()
            total, highlighted, cut = page(searcher, item, query_budget)
            ms = (time.perf_counter() - t) * 1000
            row = {"kind": item["kind"], "q": item["q"], "exact": item["exact"], "total": total,
                   "highlighted": highlighted, "cut_by_budget": cut, "page_ms": round(ms, 3)}
            if item["exact"]:
                row["phrase_total"] = len(searcher.search(parser.parse(f'"{item["q"]}"'), limit=1))
            per_query.append(row)
    empty = [r["q"] for r in per_query if not r["total"]]
    if empty:
        notes.append(f"{len(empty)} queries found nothing: "
                     + " | ".join(empty))
    phrases = [r for r in per_query if r["exact"]]
    if phrases:
        notes.append("exact lookups run unquoted (AND of jieba words, so a superset of the exact matches); quoted, "
                     "they found " + " | ".join(f"{r['q']} {r['phrase_total']}" for r in phrases)
                     + " (govsearch's exact totals are in govsearch.queries.per_query)")
    cut = [r["q"] for r in per_query if r["cut_by_budget"]]
    if cut:
        capped = True
        notes.append(f"{len(cut)} queries hit the {query_budget:.0f} s budget before highlighting 10 hits "
                     "(their latency is a lower bound): " + " | ".join(cut))
    return {"queries_planned": len(mix), "queries_run": len(per_query), "capped": capped or limit < len(mix),
            "results_page": latency([r["page_ms"] for r in per_query if not r["exact"]]),
            "exact": latency([r["page_ms"] for r in per_query if r["exact"]]),
            "by_kind": {"results_page": by_kind(per_query)}, "notes": notes, "per_query": per_query}


# ---------------------------------------------------------------- peer 2: tantivy-py
# The tantivy peer's exact field: folded bigrams per line, the last character
# marked by END (fold() drops "$", so no bigram can contain it).
END = "$"


def bigrams(folded: str) -> list[str]:
    """Overlapping bigrams of an already folded string, plus the end marker."""
    if not folded:
        return []
    return [folded[i : i + 2] for i in range(len(folded) - 1)] + [folded[-1] + END]


def exact_terms(text: str) -> list[str]:
    """The bigrams a phrase query needs for an exact lookup of ``text``."""
    from govsearch.index.normalize import fold

    folded = fold(text)
    return [folded[i : i + 2] for i in range(len(folded) - 1)] if len(folded) > 1 else list(folded)


def _tantivy_schema():
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("title", tokenizer_name="whitespace")  # jieba words, joined by spaces
    sb.add_text_field("content", tokenizer_name="whitespace")
    sb.add_text_field("exact", tokenizer_name="whitespace")  # folded bigrams, one value per line
    sb.add_text_field("path", stored=True, tokenizer_name="raw")
    sb.add_bytes_field("stored_title", stored=True, indexed=False)
    sb.add_bytes_field("stored_text", stored=True, indexed=False)
    sb.add_integer_field("year", stored=True, indexed=True, fast=True)
    sb.add_text_field("level", stored=True, tokenizer_name="raw", fast=True)
    sb.add_text_field("province", stored=True, tokenizer_name="raw", fast=True)
    return sb.build()


def tantivy_ingest(pages: list[Path], rows: list[dict[str, Any]], index_dir: Path, chars: int) -> dict[str, Any]:
    import tantivy

    from govsearch.index.analysis import cut_words
    from govsearch.index.normalize import fold

    schema = _tantivy_schema()
    index_dir.mkdir(parents=True, exist_ok=True)
    log(f"tantivy: ingesting {len(pages)} pages (BeautifulSoup text, govsearch's jieba words) …")
    started = time.perf_counter()
    ix = tantivy.Index(schema, path=str(index_dir), reuse=False)
    writer = ix.writer(heap_size=256_000_000, num_threads=0)
    tokenize_s = 0.0
    for path, row in bar(zip(pages, rows, strict=True), total=len(pages), desc="tantivy ingest"):
        title, text = read_page(path)
        t = time.perf_counter()
        title_words = " ".join(w for w, _, _ in cut_words(title))
        text_words = " ".join(w for w, _, _ in cut_words(text))
        line_bigrams = [" ".join(bigrams(fold(line))) for line in text.split("\n")]
        tokenize_s += time.perf_counter() - t
        doc = tantivy.Document()
        doc.add_text("title", title_words)
        doc.add_text("content", text_words)
        for value in line_bigrams:
            if value:
                doc.add_text("exact", value)
        doc.add_text("path", str(path))
        doc.add_bytes("stored_title", title.encode("utf-8"))
        doc.add_bytes("stored_text", text.encode("utf-8"))
        if str(row.get("report_year") or "").isdigit():
            doc.add_integer("year", int(row["report_year"]))
        for name in ("level", "province"):
            if row.get(name):
                doc.add_text(name, str(row[name]))
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - started
    log(f"tantivy: ingested in {seconds:.1f} s ({tokenize_s:.1f} s of it in jieba and bigrams)")
    return {"seconds": round(seconds, 3), "files": len(pages), "reports_per_s": len(pages) / seconds,
            "chars_per_s": chars / seconds, "tokenize_s": round(tokenize_s, 3),
            "index_mb": round(dir_mb(index_dir), 3), "workers": "tantivy writer threads: auto; jieba: 1"}


def tantivy_queries(index_dir: Path, mix: list[dict[str, Any]]) -> dict[str, Any]:
    """Top 10 with stored fields and a regex snippet per hit, plus terms
    aggregations on year/level/province (one more per active filter, for
    counts that ignore their own selection, as govsearch's facets do)."""
    import tantivy

    from govsearch.index.analysis import query_words
    from govsearch.index.normalize import fold

    schema = _tantivy_schema()
    ix = tantivy.Index(schema, path=str(index_dir), reuse=True)
    ix.reload()
    searcher = ix.searcher()
    occur = tantivy.Occur
    facet_fields = {"years": "year", "levels": "level", "provinces": "province"}

    def match(item) -> tuple[Any, re.Pattern | None]:
        if item["exact"]:
            terms = exact_terms(item["q"])
            query = (tantivy.Query.phrase_query(schema, "exact", terms) if len(terms) > 1
                     else tantivy.Query.term_query(schema, "exact", terms[0]))
            return query, re.compile(r"(?:[^\w\n]|_)*".join(re.escape(c) for c in fold(item["q"])), re.IGNORECASE)
        clauses, words_all = [], []
        for part in item["q"].split():
            for word in query_words(part):
                words_all.append(word)
                clauses.append((occur.Must, tantivy.Query.boolean_query([
                    (occur.Should, tantivy.Query.boost_query(tantivy.Query.term_query(schema, "title", word), 2.0)),
                    (occur.Should, tantivy.Query.term_query(schema, "content", word))])))
        pattern = "|".join(re.escape(w) for w in sorted(set(words_all), key=len, reverse=True))
        return tantivy.Query.boolean_query(clauses), re.compile(pattern, re.IGNORECASE) if pattern else None

    def filtered(query, filters: dict[str, list], skip: str | None = None):
        clauses = [(occur.Must, query)]
        for key, values in filters.items():
            if key == skip:
                continue
            field = facet_fields[key]
            clauses.append((occur.Must, tantivy.Query.boolean_query(
                [(occur.Should, tantivy.Query.term_query(schema, field, v)) for v in values])))
        return tantivy.Query.boolean_query(clauses) if len(clauses) > 1 else query

    aggregation = {name: {"terms": {"field": name, "size": 100}} for name in ("year", "level", "province")}

    def page(item) -> tuple[int, int]:
        query, highlight = match(item)
        filters = item.get("filters") or {}
        full = filtered(query, filters)
        result = searcher.search(full, PER_PAGE)
        snippets = 0
        for _, address in result.hits:
            doc = searcher.doc(address).to_dict()
            text = bytes(doc["stored_text"][0]).decode("utf-8")  # tantivy 0.24 gives a list of ints
            if highlight is not None:
                for m in itertools.islice(highlight.finditer(text), 3):
                    left, right = text[max(0, m.start() - 40) : m.start()], text[m.end() : m.end() + 40]
                    _ = f"{html.escape(left)}<mark>{html.escape(m.group(0))}</mark>{html.escape(right)}"
                    snippets += 1
        searcher.aggregate(full, aggregation)
        for key in filters:
            searcher.aggregate(filtered(query, filters, skip=key), {facet_fields[key]: aggregation[facet_fields[key]]})
        return result.count, snippets

    log(f"tantivy: warm-up pass and timed pass over {len(mix)} queries …")
    for item in mix:
        page(item)
    per_query = []
    for item in bar(mix, desc="tantivy search"):
        t = time.perf_counter()
        total, snippets = page(item)
        ms = (time.perf_counter() - t) * 1000
        per_query.append({"kind": item["kind"], "q": item["q"], "exact": item["exact"], "total": total,
                          "snippets": snippets, "page_ms": round(ms, 3)})
    return {"results_page": latency([r["page_ms"] for r in per_query if not r["exact"]]),
            "exact": latency([r["page_ms"] for r in per_query if r["exact"]]),
            "by_kind": {"results_page": by_kind(per_query)},
            "notes": ["top 10 by BM25 (exact lookups too: govsearch ranks those by occurrences over every match)",
                      "snippets: first 3 regex matches per hit, cut from the stored text in Python",
                      "facets: terms aggregations on fast fields year/level/province; metadata from the manifest"],
            "per_query": per_query}


# ---------------------------------------------------------------- table
def _get(*keys: str) -> Callable[[dict], Any]:
    def read(engine: dict) -> Any:
        value: Any = engine
        for key in keys:
            if not isinstance(value, dict) or value.get(key) is None:
                return None
            value = value[key]
        return value
    return read


# (label, where the value is in an engine's results)
ROWS: list[tuple[str, tuple[str, ...]]] = [
    ("clean ms per 100 KB HTML", ("clean", "ms_per_100kb")),
    ("ingest reports/s", ("ingest", "reports_per_s")),
    ("ingest chars/s", ("ingest", "chars_per_s")),
    ("index size MB", ("ingest", "index_mb")),
    ("results page p50 ms", ("queries", "results_page", "p50")),
    ("results page p95 ms", ("queries", "results_page", "p95")),
    ("results page max ms", ("queries", "results_page", "max")),
    ("exact lookup p50 ms", ("queries", "exact", "p50")),
    ("exact lookup p95 ms", ("queries", "exact", "p95")),
    ("exact lookup max ms", ("queries", "exact", "max")),
    ("concordance-100 p50 ms", ("queries", "concordance_100", "p50")),
    ("concordance-100 p95 ms", ("queries", "concordance_100", "p95")),
    ("trend p50 ms", ("queries", "trend", "p50")),
    ("trend p95 ms", ("queries", "trend", "p95")),
    ("report page marks ms per MB (1 MB)", ("marking", "ms_per_mb_1")),
    ("report page marks ms per MB (8 MB)", ("marking", "ms_per_mb_8")),
    ("server peak RSS MB", ("server", "rss_peak_mb")),
    ("HTTP /api/search p50 ms", ("server", "http", "p50")),
    ("HTTP /api/search p95 ms", ("server", "http", "p95")),
]
ENGINES = ("govsearch", "naive", "tantivy")


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


def table_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per measure.  Latency ratios against the naive peer compare
    govsearch on the same queries the (capped) naive peer ran."""
    out = []
    for label, path in ROWS:
        values = {name: _get(*path)(results[name]) if results.get(name) else None for name in ENGINES}
        same = values["govsearch"]
        if path[0] == "queries" and path[1] in ("results_page", "exact") and results.get("govsearch"):
            same = _get("queries", "naive_subset", *path[1:])(results["govsearch"])
        out.append({"measure": label, **values,
                    "govsearch_vs_naive": ratio(same, values["naive"]),
                    "govsearch_vs_tantivy": ratio(values["govsearch"], values["tantivy"])})
    return out


def render(results: dict[str, Any]) -> str:
    m, c = results["machine"], results["corpus"]
    header = ("measure", "govsearch", "naive", "tantivy", "govsearch÷naive", "govsearch÷tantivy")
    body = [(r["measure"], fmt(r["govsearch"]), fmt(r["naive"]), fmt(r["tantivy"]),
             fmt(r["govsearch_vs_naive"]) + ("×" if r["govsearch_vs_naive"] is not None else ""),
             fmt(r["govsearch_vs_tantivy"]) + ("×" if r["govsearch_vs_tantivy"] is not None else ""))
            for r in results["table"]]
    widths = [max(_width(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(row):
        return "  ".join(_pad(cell, widths[i], left=i == 0) for i, cell in enumerate(row))

    ingest = results["govsearch"]["ingest"]
    naive = results.get("naive") or {}
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
    if results.get("peer_pages", c["pages"]) < c["pages"]:
        lines.append(f"peers ran on the first {results['peer_pages']} of the {c['pages']} pages: their ingest rates "
                     "compare, their index sizes and query times are those of the smaller index "
                     "(underestimates at the full size)")
    if naive.get("queries"):
        q = naive["queries"]
        lines.append(f"naive: {q['queries_run']} of {q['queries_planned']} queries"
                     + (" (capped)" if q["capped"] else ""))
        subset = results["govsearch"]["queries"].get("naive_subset") or {}
        page, exact = subset.get("results_page") or {}, subset.get("exact") or {}
        lines.append(f"  - govsearch÷naive page and exact ratios compare the same {q['queries_run']} queries "
                     f"(govsearch on them: page p50 {fmt(page.get('p50'))} / p95 {fmt(page.get('p95'))} ms, "
                     f"exact p50 {fmt(exact.get('p50'))} / p95 {fmt(exact.get('p95'))} ms)")
        lines.extend(f"  - {note}" for note in q["notes"])
    tantivy = results.get("tantivy") or {}
    if tantivy.get("queries"):
        lines.append(f"tantivy: {tantivy['ingest']['tokenize_s']:.1f} s of its {tantivy['ingest']['seconds']:.1f} s "
                     "ingest is jieba and bigrams in Python")
        lines.extend(f"  - {note}" for note in tantivy["queries"]["notes"])
    return "\n".join(lines)


def _load(m: dict[str, Any], when: str) -> str:
    load = m.get(f"loadavg_{when}")
    return f"{load[0]:.2f}" if load else "—"


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, left: bool) -> str:
    gap = " " * (width - _width(text))
    return text + gap if left else gap + text


# ---------------------------------------------------------------- main
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Benchmark govsearch against naive Whoosh and tantivy-py.")
    p.add_argument("--docs", type=int, required=True, help="pages in the generated corpus")
    p.add_argument("--out", type=Path, help="write the results as JSON here")
    p.add_argument("--corpus", type=Path, help="corpus directory: reused when its manifest has --docs pages, "
                                               "else generated there (default: WORKDIR/corpus-n{docs}-s{seed})")
    p.add_argument("--workdir", type=Path, default=PROJECT_ROOT / "var" / "bench",
                   help="indexes, server log and the default corpus cache (default: var/bench)")
    p.add_argument("--queries", type=int, default=40, help="queries in the mix (default 40)")
    p.add_argument("--peers", default="naive,tantivy", help="comma-separated: naive, tantivy (default both)")
    p.add_argument("--seed", type=int, default=0, help="corpus and query-mix seed")
    p.add_argument("--ingest-workers", type=int, help="govsearch ingest workers (default: ingest's own default)")
    p.add_argument("--naive-queries", type=int, default=12,
                   help="queries the naive peer runs, a prefix of the mix (default 12)")
    p.add_argument("--naive-query-budget", type=float, default=30.0,
                   help="seconds per naive results page before highlighting stops (default 30)")
    p.add_argument("--naive-budget", type=float, default=180.0,
                   help="seconds for all naive queries (default 180)")
    p.add_argument("--peer-docs", type=int,
                   help="run the peers on only the first N pages (a 100k naive ingest takes hours); their "
                        "ingest rates stay comparable, their query times are then underestimates")
    p.add_argument("--no-server", action="store_true", help="skip the HTTP server measurement")
    p.add_argument("--keep", action="store_true", help="keep the indexes under WORKDIR/run-*")
    args = p.parse_args(argv)
    if args.docs < 1 or args.queries < 1:
        p.error("--docs and --queries must be positive")
    if args.peer_docs is not None and not 1 <= args.peer_docs <= args.docs:
        p.error("--peer-docs must be between 1 and --docs")
    args.peers = [x.strip() for x in args.peers.split(",") if x.strip() and x.strip() != "none"]
    unknown = set(args.peers) - {"naive", "tantivy"}
    if unknown:
        p.error(f"unknown peers: {', '.join(sorted(unknown))} (choose from naive, tantivy)")
    return args


def run(args: argparse.Namespace) -> dict[str, Any]:
    began = time.perf_counter()
    if "tantivy" in args.peers and importlib.util.find_spec("tantivy") is None:
        raise BenchError("tantivy is not installed: .venv/bin/pip install tantivy (or --peers naive)")
    workdir = args.workdir.resolve()
    corpus = (args.corpus or workdir / f"corpus-n{args.docs}-s{args.seed}").resolve()
    rows, corpus_info = ensure_corpus(corpus, args.docs, args.seed)
    pages = [manifest_path(corpus, row) for row in rows]

    log("reading the corpus for its statistics and the query mix …")
    found: set[str] = set()
    read_lengths = []
    for path in bar(pages, desc="read"):
        text = read_page(path)[1]
        read_lengths.append(len(text))
        found.update(w for w in CANDIDATES - found if w in text)
    stats = corpus_stats(corpus, rows, read_lengths)
    chars = stats["chars_total"]
    mix = query_mix(args.queries, rows, found, args.seed)

    run_dir = workdir / f"run-{datetime.now().strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    run_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "bench_version": BENCH_VERSION,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "machine": machine(),
        "corpus": {**corpus_info, **stats},
        "queries": mix,
        "query_kinds": dict(Counter(item["kind"] for item in mix)),
    }
    try:
        gov_index = run_dir / "govsearch-index"
        speeds = clean_speeds(SHARED_HTML) or {}
        log("report page marking at 1 and 8 MB …")
        marking = report_marking()
        results["govsearch"] = {"clean": {"ms_per_100kb": speeds.get("govsearch")}, "marking": marking["govsearch"],
                                "ingest": govsearch_ingest(corpus, gov_index, args.ingest_workers, chars)}
        results["govsearch"]["queries"] = govsearch_queries(gov_index, mix)
        if not args.no_server:
            results["govsearch"]["server"] = govsearch_server(gov_index, mix, run_dir / "server.log")
        peer_n = args.peer_docs or len(pages)
        peer_pages, peer_rows, peer_chars = pages[:peer_n], rows[:peer_n], sum(read_lengths[:peer_n])
        results["peer_pages"] = peer_n
        if "naive" in args.peers:
            naive_dir = run_dir / "naive-index"
            results["naive"] = {"clean": {"ms_per_100kb": speeds.get("naive")}, "marking": marking["naive"],
                                "ingest": naive_ingest(peer_pages, naive_dir, peer_chars)}
            results["naive"]["queries"] = naive_queries(naive_dir, mix, args.naive_queries,
                                                        args.naive_query_budget, args.naive_budget)
            ran = results["naive"]["queries"]["queries_run"]
            gov = results["govsearch"]["queries"]["per_query"][:ran]
            results["govsearch"]["queries"]["naive_subset"] = {
                "queries": ran, "results_page": latency([r["page_ms"] for r in gov if not r["exact"]]),
                "exact": latency([r["page_ms"] for r in gov if r["exact"]])}
        if "tantivy" in args.peers:
            tantivy_dir = run_dir / "tantivy-index"
            results["tantivy"] = {"ingest": tantivy_ingest(peer_pages, peer_rows, tantivy_dir, peer_chars)}
            results["tantivy"]["queries"] = tantivy_queries(tantivy_dir, mix)
    finally:
        if not args.keep:
            shutil.rmtree(run_dir, ignore_errors=True)
    results["table"] = table_rows(results)
    results["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
    results["duration_s"] = round(time.perf_counter() - began, 1)
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        results = run(args)
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 2
    print(render(results))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        log(f"wrote {args.out}")
    log(f"done in {results['duration_s']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
