"""Near-duplicate detection: MinHash signatures and LSH band keys.

A traditional-script mirror of a report, or the same report on two sites,
normalizes to (nearly) the same text.  Each report gets a MinHash signature of
its character shingles; the signature's LSH bands are indexed as keywords, so
finding candidates is an ordinary term query on the index itself and scales
with it.  Candidates are confirmed by their estimated Jaccard similarity.
"""

from __future__ import annotations

import hashlib

import numpy as np
from datasketch import MinHash

from index.normalize import fold

NUM_PERM = 64
SHINGLE = 5
# 8 bands of 8 rows: pairs at similarity 0.9 share a band with p ≈ 0.99, pairs
# at 0.5 with p ≈ 0.03, so few candidates need checking.
BANDS = 8
ROWS = NUM_PERM // BANDS
THRESHOLD = 0.9
_SEED = 1


def signature(text: str) -> list[int]:
    """MinHash of the folded text's 5-character shingles (punctuation,
    spacing and case do not count)."""
    folded = fold(text)
    shingles = {folded[i : i + SHINGLE] for i in range(max(1, len(folded) - SHINGLE + 1))}
    m = MinHash(num_perm=NUM_PERM, seed=_SEED)
    m.update_batch([s.encode("utf-8") for s in shingles])
    return [int(v) for v in m.hashvalues]


def band_keys(sig: list[int]) -> list[str]:
    """One short key per LSH band; equal keys mark a candidate pair."""
    keys = []
    for b in range(BANDS):
        chunk = np.asarray(sig[b * ROWS : (b + 1) * ROWS], dtype=np.uint64).tobytes()
        keys.append(f"{b}:{hashlib.blake2b(chunk, digest_size=8).hexdigest()}")
    return keys


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return float(np.mean(np.asarray(a) == np.asarray(b)))


def is_near_duplicate(a: list[int], b: list[int]) -> bool:
    return similarity(a, b) >= THRESHOLD


class DuplicateLinker:
    """Links each new report to an indexed (or same-batch) near-duplicate.

    The canonical report of a group is the first one indexed; every later
    member points at it through ``duplicate_of``.
    """

    def __init__(self, searcher):
        self._searcher = searcher
        self._batch: dict[str, list[tuple[str, list[int], str]]] = {}

    def _indexed_candidates(self, keys: list[str]):
        from whoosh import query

        hits = self._searcher.search(query.Or([query.Term("lsh", k) for k in keys]), limit=50)
        for hit in hits:
            yield hit["id"], hit.get("minhash") or [], hit.get("duplicate_of") or ""

    def link(self, report_id: str, sig: list[int]) -> str:
        """The canonical id this report duplicates, or ""."""
        if not sig:
            return ""
        keys = band_keys(sig)
        batch = (c for k in keys for c in self._batch.get(k, ()))
        best, best_sim = "", THRESHOLD
        for cand_id, cand_sig, cand_dup in (*self._indexed_candidates(keys), *batch):
            if cand_id == report_id:
                continue
            sim = similarity(sig, cand_sig)
            if sim >= best_sim:
                best, best_sim = cand_dup or cand_id, sim
        for k in keys:
            self._batch.setdefault(k, []).append((report_id, sig, best))
        return best
