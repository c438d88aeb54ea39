"""The read path's one byte-budget cache (search.lru.ByteBudgetCache)."""

from __future__ import annotations

import numpy as np

from govsearch.search.lru import ByteBudgetCache


def _entry(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.float64)  # 16 bytes a row


def test_least_recently_used_goes_first_and_the_budget_holds():
    cache = ByteBudgetCache(max_bytes=16 * 30)
    for key in "abc":
        cache.put(key, _entry(10))
    assert cache.nbytes == 16 * 30 and len(cache) == 3
    assert cache.get("a") is not None  # a is now the most recent
    cache.put("d", _entry(10))
    assert "b" not in cache and {"a", "c", "d"} == {k for k in "abcd" if k in cache}
    assert cache.nbytes <= cache.max_bytes


def test_one_entry_stays_however_large_and_the_first_put_wins():
    cache = ByteBudgetCache(max_bytes=8)
    big = _entry(100)
    assert cache.put("x", big) is big and len(cache) == 1
    assert cache.put("x", _entry(1)) is big  # another thread's copy is not kept twice
    cache.drop_if(lambda key: key == "x")
    assert len(cache) == 0 and cache.nbytes == 0
