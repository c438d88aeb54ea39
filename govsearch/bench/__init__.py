"""Benchmark govsearch against two peers on one generated corpus, in one run
(``scripts/bench.py`` is its command line, ``scripts/load.py`` the load test).

One corpus (:mod:`govsearch.corpus`), one deterministic query mix
(:mod:`~govsearch.bench.queries`), and every engine measured in the same
process run through one interface (:class:`~govsearch.bench.protocol.Peer`),
one adapter module each:

* **govsearch** (:mod:`~govsearch.bench.govsearch_peer`) - ingest, the
  results page with facets and highlights, exact lookups, concordance,
  trend, and the real server over HTTP with its peak RSS
  (:mod:`~govsearch.bench.server`);
* **naive** (:mod:`~govsearch.bench.naive_peer`) - the common naive
  Whoosh + jieba setup, on a capped prefix of the mix;
* **tantivy** (:mod:`~govsearch.bench.tantivy_peer`) - tantivy-py over the
  same jieba words: the speed limit of an embedded engine.

The report (:mod:`~govsearch.bench.table`) is a table of measures × engines
with govsearch÷peer ratios; the same numbers, plus per-query timings, go to
``--out`` as JSON.  Progress goes to stderr.  Every loop is bounded: by the
corpus, the query count, or a budget.
"""
