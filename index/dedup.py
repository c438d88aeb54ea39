"""Near-duplicate detection: MinHash signatures and LSH band keys.

A traditional-script mirror of a report, or the same report on two sites,
normalizes to (nearly) the same text.  Each report gets a MinHash signature of
its character shingles; the signature's LSH bands are indexed as keywords, so
finding candidates is an ordinary term query on the index itself and scales
with it.  Candidates are confirmed by their estimated Jaccard similarity.
"""

from __future__ import annotations

import hashlib
from collections import Counter

import numpy as np

from govsearch.index.normalize import fold

NUM_PERM = 64
SHINGLE = 5
# 8 bands of 8 rows: pairs at similarity 0.9 share a band with p ≈ 0.99, pairs
# at 0.5 with p ≈ 0.03, so few candidates need checking.
BANDS = 8
ROWS = NUM_PERM // BANDS
THRESHOLD = 0.9
# Indexed reports a new one is compared with: those sharing the most bands.
CANDIDATES = 50
_SEED = 1

# Everything runs on numpy arrays, with no Python work per shingle.  A
# shingle's code points are combined as a polynomial mod 2^64 and the high 32
# bits of its product with an odd constant are its hash.  The permutations are
# datasketch 2's default ("affine32") MinHash: MurmurHash3's 32-bit finalizer,
# then h -> a*h + b mod 2^32 with odd a; a and b are seeded here, not taken
# from datasketch, so signatures do not change with its version.
_BASE = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.uint64(0xFF51AFD7ED558CCD)
_rng = np.random.default_rng(_SEED)
_A = (_rng.integers(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1))[:, None]
_B = _rng.integers(0, 1 << 32, NUM_PERM, dtype=np.uint32)[:, None]
_CHUNK = 1 << 14  # shingles per pass: bounds the NUM_PERM x chunk temporary (4 MB)


def shingle_hashes(folded: str) -> np.ndarray:
    """32-bit hashes of the 5-character shingles of already folded text; a
    shorter text is one shingle.  Repeats are kept: they do not change a minimum,
    and np.unique would cost more than they do."""
    points = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = max(1, len(points) - SHINGLE + 1)
    h = np.zeros(count, dtype=np.uint64)
    for k in range(min(len(points), SHINGLE)):
        h = h * _BASE + points[k : k + count]  # wraps around mod 2^64
    return ((h * _MIX) >> np.uint64(32)).astype(np.uint32)


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def minhash(hashes: np.ndarray) -> np.ndarray:
    """The NUM_PERM permuted minima of 32-bit hashes (uint32)."""
    mixed = _fmix32(hashes.astype(np.uint32))
    out = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    for i in range(0, len(mixed), _CHUNK):
        permuted = np.multiply(_A, mixed[i : i + _CHUNK])  # wraps around mod 2^32
        permuted += _B
        np.minimum(out, permuted.min(axis=1), out=out)
    return out


def signature(text: str) -> list[int]:
    """MinHash of the folded text's 5-character shingles (punctuation,
    spacing and case do not count)."""
    return minhash(shingle_hashes(fold(text))).tolist()


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
        """Indexed reports sharing a band key, most shared bands first (at most
        CANDIDATES).  Read from each segment's postings of the keys - rare words
        - not by a scored search, whose matchers cost about 1 ms a segment:
        140 ms a report at 50,000 reports in 117 segments, most of ingest."""
        shared: Counter[int] = Counter()
        for segment, offset in self._searcher.reader().leaf_readers():
            for key in keys:
                if ("lsh", key) in segment:
                    shared.update(docnum + offset for docnum in segment.postings("lsh", key).all_ids())
        for docnum, _ in sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:CANDIDATES]:
            stored = self._searcher.stored_fields(docnum)
            yield stored["id"], stored.get("minhash") or [], stored.get("duplicate_of") or ""

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
