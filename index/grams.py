"""The substring layer: folded character bigrams with positions, in numpy arrays.

Exact lookup must find every report that contains a string, whatever jieba
made of it.  Whoosh can store positional bigrams, but writing them costs
about 85 ms per report in pure Python and reading a common bigram's
positions is one interpreted step per posting.  This layer keeps the same
information - for each folded bigram, where it occurs - as sorted arrays that
are built with a few numpy sorts and searched with ``searchsorted``.

Layout.  Each report is the concatenation of its folded lines (paragraphs),
each followed by a 0 code, so no bigram crosses a paragraph break.  The key
of the bigram at position p is ``code[p] << 21 | code[p+1]``; the last
character of a line pairs with the 0 (the end marker), so every character
starts exactly one key and a one-character lookup is a key range.

A chunk holds the reports of one commit, in one coordinate space, with, per
key, its positions and its (report, count) postings.  Reports are known by a
random 63-bit *serial* that Whoosh also keeps as a column: the searcher maps
serials to its docnums, so a chunk never needs rewriting when Whoosh merges
segments or deletes a replaced report.  Chunks are immutable, listed by an
atomically replaced manifest, and merged in tiers so that a large index has
few of them.  Everything here can be rebuilt from the stored text.
"""

from __future__ import annotations

import functools
import json
import secrets
import shutil
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np

from govsearch.index import narrow
from govsearch.index.atomic import write_text_atomically
from govsearch.index.normalize import nfkc

SHIFT = 21  # code points fit in 21 bits
FIELDS = ("text", "title")
GRAMS_DIR = "grams"
MANIFEST = "MANIFEST.json"
# Tiered merging: four chunks of one size class become one, up to this many
# codes (about 8,000 reports of 8,000 characters; positions stay uint32).
MERGE_FACTOR = 4
MAX_MERGED_CODES = 64_000_000
BASE_CODES = 1_000_000

# Arrays of a chunk field: searched in place (memory-mapped), or read by slice.
_MAPPED = ("keys", "pos_off", "doc_off")
_SLICED = {"pos": np.uint32, "docs": np.uint32, "counts": np.uint32}  # as in memory (FieldArrays)
_DTYPES = {"keys": np.uint64, "pos_off": np.int64, "doc_off": np.int64, "doc_start": np.int64,
           "serials": np.int64, **_SLICED}
# On disk the sliced arrays are escaped narrow arrays (index.narrow): a
# position relative to its report's start (a report's length, not the
# chunk's; rebuilt on reading from the postings, as a key's positions run
# report by report like its postings) in 16 bits, a count in 8, and a
# key's reports as gaps in 8.  info.json names each array's encoding; a
# chunk without one holds plain 32-bit arrays, positions absolute.
ENCODINGS = {"pos": "u16x", "docs": narrow.DELTA + "u8x", "counts": "u8x"}


def new_serial() -> int:
    """A report version's identity in the layer (random, so concurrent
    writers never collide; 63 bits fit Whoosh's signed 64-bit column)."""
    return secrets.randbits(63) or 1


@functools.cache
def _word_table() -> np.ndarray:
    """For every BMP code point: is it a word character (regex ``\\w`` minus
    ``_``, what fold() keeps)?"""
    return np.array([chr(c).isalnum() for c in range(0x10000)], dtype=bool)


def codes_of(value: str) -> np.ndarray:
    """The code points of ``value``'s folded lines (see index.normalize.fold),
    each non-empty line ended by 0 - computed over the whole text at once,
    since it runs on every report at ingest."""
    codes = np.frombuffer(nfkc(value).lower().encode("utf-32-le"), dtype=np.uint32)
    bmp = codes < 0x10000
    keep = np.zeros(len(codes), dtype=bool)
    keep[bmp] = _word_table()[codes[bmp]]
    keep[~bmp] = [chr(c).isalnum() for c in codes[~bmp].tolist()]
    keep |= codes == 10
    kept = codes[keep].copy()
    kept[kept == 10] = 0
    if len(kept):
        kept = kept[(kept != 0) | (np.r_[np.uint32(0), kept[:-1]] != 0)]  # no empty lines
    return kept if not len(kept) or kept[-1] == 0 else np.append(kept, np.uint32(0))


def query_keys(folded: str) -> list[int]:
    """The consecutive bigram keys of a folded string of two or more characters."""
    return [(ord(a) << SHIFT) | ord(b) for a, b in pairwise(folded)]


def char_range(char: str) -> tuple[int, int]:
    """Keys of every bigram that starts with ``char`` (end marker included)."""
    return ord(char) << SHIFT, (ord(char) + 1) << SHIFT


# ------------------------------------------------------------------- building

@dataclass
class FieldArrays:
    keys: np.ndarray
    pos_off: np.ndarray
    pos: np.ndarray
    doc_off: np.ndarray
    docs: np.ndarray
    counts: np.ndarray
    doc_start: np.ndarray


def _postings(sorted_keys: np.ndarray, pos: np.ndarray, doc_start: np.ndarray) -> FieldArrays:
    """Arrays of one field from its keys and positions, sorted by key then position."""
    first = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]) if len(sorted_keys) else \
        np.zeros(0, np.int64)  # keys are sorted: a linear scan, not np.unique's sort
    keys = sorted_keys[first]
    pos_off = np.append(first, len(sorted_keys)).astype(np.int64)
    doc = np.searchsorted(doc_start, pos, side="right") - 1
    if len(pos):
        key_index = np.repeat(np.arange(len(keys), dtype=np.int64), np.diff(pos_off))
        pair = key_index * (len(doc_start) or 1) + doc
        starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
        docs = doc[starts].astype(np.uint32)
        counts = np.diff(np.append(starts, len(pair))).astype(np.uint32)
        doc_off = np.searchsorted(key_index[starts], np.arange(len(keys) + 1)).astype(np.int64)
    else:
        docs = counts = np.zeros(0, np.uint32)
        doc_off = np.zeros(len(keys) + 1, np.int64)
    return FieldArrays(keys.astype(np.uint64), pos_off, pos.astype(np.uint32), doc_off, docs, counts,
                       doc_start.astype(np.int64))


def build_field(code_arrays: Sequence[np.ndarray]) -> FieldArrays:
    """One field's arrays for reports given as code arrays (see codes_of)."""
    doc_start = np.zeros(len(code_arrays) + 1, np.int64)
    doc_start[1:] = np.cumsum([len(c) for c in code_arrays])
    codes = np.concatenate(code_arrays).astype(np.uint64) if code_arrays else np.zeros(0, np.uint64)
    p = np.flatnonzero(codes[:-1] != 0) if len(codes) > 1 else np.zeros(0, np.int64)
    keys = (codes[p] << np.uint64(SHIFT)) | codes[p + 1]
    order = np.argsort(keys, kind="stable")
    return _postings(keys[order], p[order], doc_start)


def _kept(part: FieldArrays, keep: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A part's key and position per occurrence, and its report ends, with
    the reports ``keep`` is False for taken out and the rest moved up."""
    keys = np.repeat(part.keys, np.diff(part.pos_off))
    pos = part.pos.astype(np.int64)
    if keep is None or keep.all():
        return keys, pos, part.doc_start[1:]
    lengths = np.diff(part.doc_start)[keep]
    ends = np.cumsum(lengths)
    shift = np.zeros(len(keep), np.int64)
    shift[keep] = part.doc_start[:-1][keep] - (ends - lengths)  # how far each kept report moves up
    doc = np.searchsorted(part.doc_start, pos, side="right") - 1
    live = keep[doc]
    return keys[live], pos[live] - shift[doc[live]], ends


def merge_fields(parts: Sequence[FieldArrays], keep: Sequence[np.ndarray | None] | None = None) -> FieldArrays:
    """Several chunks' arrays of one field as one, reports in the given
    order; ``keep`` holds, per part, which of its reports stay (None: all),
    so one chunk "merged" alone with a mask is that chunk less some reports."""
    shift = 0
    keys, pos, starts = [], [], [np.zeros(1, np.int64)]
    for part, mask in zip(parts, keep or [None] * len(parts), strict=True):
        part_keys, part_pos, part_ends = _kept(part, mask)
        keys.append(part_keys)
        pos.append(part_pos + shift)
        starts.append(part_ends + shift)
        shift += int(part_ends[-1]) if len(part_ends) else 0
    all_keys = np.concatenate(keys)
    order = np.argsort(all_keys, kind="stable")  # positions stay ascending within a key
    return _postings(all_keys[order], np.concatenate(pos)[order], np.concatenate(starts))


# -------------------------------------------------------------------- storage

def _write_array(path: Path, array: np.ndarray, dtype) -> None:
    np.ascontiguousarray(array, dtype=dtype).tofile(path)


def _ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The indexes lo[0]..hi[0], lo[1]..hi[1], ... (each hi exclusive) in one array."""
    lengths = hi - lo
    ends = np.cumsum(lengths)
    return np.repeat(lo - (ends - lengths), lengths) + np.arange(int(ends[-1]) if len(ends) else 0)


def _report_starts(docs: np.ndarray, counts: np.ndarray, doc_start: np.ndarray) -> np.ndarray:
    """The start of each position's report, for keys' postings (``docs``,
    ``counts``): a key's positions run report by report, as its postings do."""
    return np.repeat(doc_start[docs.astype(np.int64)], counts.astype(np.int64))


def _relative(arrays: FieldArrays) -> np.ndarray:
    """Each position less the start of its report."""
    return arrays.pos.astype(np.int64) - _report_starts(arrays.docs, arrays.counts, arrays.doc_start)


def _absolute(relative: np.ndarray, docs: np.ndarray, counts: np.ndarray, doc_start: np.ndarray) -> np.ndarray:
    """The inverse of :func:`_relative` for one slice of keys."""
    return (relative.astype(np.int64) + _report_starts(docs, counts, doc_start)).astype(np.uint32)


def write_chunk(root: Path, serials: np.ndarray, fields: dict[str, FieldArrays]) -> str:
    """Write a chunk under ``root`` (built in a temporary folder, then renamed
    into place, so a reader never sees half a chunk); returns its name."""
    name = f"c{secrets.token_hex(8)}"
    tmp = root / f"tmp-{name}"
    tmp.mkdir(parents=True)
    _write_array(tmp / "serials", serials, np.int64)
    for field, arrays in fields.items():
        stored = {"pos": _relative(arrays), "docs": narrow.run_deltas(arrays.docs, arrays.doc_off[:-1]),
                  "counts": arrays.counts}
        for attr, dtype in _DTYPES.items():
            if attr in stored:
                narrow.write(tmp / f"{field}.{attr}", stored[attr], ENCODINGS[attr])
            elif attr != "serials":
                _write_array(tmp / f"{field}.{attr}", getattr(arrays, attr), dtype)
    types = dict.fromkeys(fields, ENCODINGS)
    (tmp / "info.json").write_text(json.dumps({"reports": len(serials),
                                               "codes": {f: int(a.doc_start[-1]) for f, a in fields.items()},
                                               "types": types}))
    tmp.rename(root / name)
    return name


def read_manifest(root: Path) -> list[str]:
    try:
        return list(json.loads((root / MANIFEST).read_text())["chunks"])
    except FileNotFoundError:
        return []


def write_manifest(root: Path, chunks: list[str]) -> None:
    write_text_atomically(root / MANIFEST, json.dumps({"chunks": chunks}))


class ChunkField:
    """One field of a stored chunk: keys searched in place, slices read on demand."""

    def __init__(self, folder: Path, field: str, types: dict[str, str] | None = None):
        self._mapped = {a: self._map(folder / f"{field}.{a}", _DTYPES[a]) for a in (*_MAPPED, "doc_start")}
        # A chunk written before the narrow types: 32 bits each, positions absolute.
        self._relative = types is not None
        codes = {a: types[a] if types else np.dtype(_SLICED[a]).name for a in _SLICED}
        self._delta = codes["docs"].startswith(narrow.DELTA)
        self._files = {a: narrow.open_array(folder / f"{field}.{a}", codes[a]) for a in _SLICED}
        self.keys, self.doc_start = self._mapped["keys"], self._mapped["doc_start"]

    @staticmethod
    def _map(path: Path, dtype) -> np.ndarray:
        if path.stat().st_size == 0:
            return np.zeros(0, dtype)
        return np.memmap(path, dtype=dtype, mode="r")

    def close(self) -> None:
        for f in self._files.values():
            f.close()
        self._files = {}

    def __del__(self):
        self.close()

    def _docs(self, off: np.ndarray) -> np.ndarray:
        """The reports of the keys whose postings start at ``off`` (and the last
        ends at ``off[-1]``)."""
        docs = self._files["docs"].slice(int(off[0]), int(off[-1]))
        return narrow.undo_deltas(docs, off[:-1] - off[0]) if self._delta else docs

    def find(self, key: int) -> int:
        """Index of ``key`` in this field, or -1."""
        i = int(np.searchsorted(self.keys, np.uint64(key)))
        return i if i < len(self.keys) and int(self.keys[i]) == key else -1

    def key_span(self, lo: int, hi: int) -> tuple[int, int]:
        """Indexes of the keys in [lo, hi)."""
        return (int(np.searchsorted(self.keys, np.uint64(lo))), int(np.searchsorted(self.keys, np.uint64(hi))))

    def positions(self, i: int, j: int | None = None) -> np.ndarray:
        """Positions of keys i..j (j exclusive; default i only), ascending per key."""
        off = self._mapped["pos_off"]
        stored = self._files["pos"].slice(int(off[i]), int(off[(j if j is not None else i + 1)]))
        if not self._relative:
            return stored
        docs, counts = self.postings(i, j)
        return _absolute(stored, docs, counts, self.doc_start)

    def _many_postings(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The postings of many keys (indexes): per posting its report
        (chunk-local), count, where its positions start in the positions
        file, and the place in ``keys`` of its key; key by key, as given."""
        pos_off, doc_off = np.asarray(self._mapped["pos_off"]), np.asarray(self._mapped["doc_off"])
        lo, hi = doc_off[keys], doc_off[keys + 1]
        at = _ranges(lo, hi)
        runs = np.r_[0, np.cumsum(hi - lo)[:-1]]  # where each key's postings begin in ``at``
        docs = self._files["docs"].gather(at)
        if self._delta:  # a key's reports are one run: its first value whole, then gaps
            docs = narrow.undo_deltas(docs, runs)
        counts = self._files["counts"].gather(at)
        key_of = np.repeat(np.arange(len(keys)), hi - lo)
        before = np.cumsum(counts) - counts  # positions ahead of each posting, from the first key's
        first = before[runs] if len(before) else before
        start = pos_off[keys][key_of] + before - np.repeat(first, hi - lo)
        return docs, counts, start, key_of

    def many_positions(self, keys: np.ndarray, reports: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of many keys (indexes, not necessarily adjacent) in some
        reports (chunk-local, ascending), and for each the place in ``keys``
        of its key: the postings first, then only their positions in those
        reports, gathered from the mapped arrays - a walk over the keys next
        to a character reads thousands of them (search.context_walk)."""
        docs, counts, start, key_of = self._many_postings(keys)
        wanted = np.minimum(np.searchsorted(reports, docs), max(len(reports) - 1, 0))
        kept = (reports[wanted] == docs) if len(reports) else np.zeros(len(docs), bool)
        start, counts, docs, key_of = start[kept], counts[kept], docs[kept], key_of[kept]
        stored = self._files["pos"].gather(_ranges(start, start + counts))
        if self._relative:
            stored += np.repeat(np.asarray(self.doc_start)[docs], counts)
        return stored, np.repeat(key_of, counts)

    def holds(self, keys: np.ndarray, at: np.ndarray, docs: np.ndarray) -> np.ndarray:
        """Whether key ``keys[s]`` (an index; -1 for one this field lacks)
        occurs at position ``at[s, w]``, in report ``docs[w]`` (chunk-local):
        a boolean array shaped as ``at``.  Only the keys' postings are read
        whole; in each report's positions the one wanted is searched, a few
        values read per check - where a walk checks thousands of lines
        against a common bigram (search.context_walk), far less than all its
        positions there."""
        found = np.zeros(at.shape, bool)
        rows = np.flatnonzero(keys >= 0)
        if not len(rows):
            return found
        pdocs, counts, start, key_of = self._many_postings(keys[rows])
        if not len(pdocs):
            return found
        code = (key_of << 32) | pdocs  # ascending: key by key, reports ascending in each
        want = ((np.arange(len(rows), dtype=np.int64) << 32)[:, None] | docs[None, :]).ravel()
        j = np.minimum(np.searchsorted(code, want), len(code) - 1)
        there = code[j] == want
        target = (at[rows] - np.asarray(self.doc_start)[docs][None, :] if self._relative else at[rows]).ravel()
        hit = np.zeros(len(want), bool)
        asked = np.flatnonzero(there)
        lo, target = start[j[asked]], target[asked]
        hi = lo + counts[j[asked]]
        pos = self._files["pos"]
        while len(asked):  # a binary search in each report's positions, the unresolved ones only
            mid = (lo + hi) >> 1
            value = pos.gather(mid)
            same = value == target
            hit[asked[same]] = True
            right = value < target
            lo, hi = np.where(right, mid + 1, lo), np.where(right, hi, mid)
            going = (lo < hi) & ~same
            asked, lo, hi, target = asked[going], lo[going], hi[going], target[going]
        found[rows] = hit.reshape(len(rows), -1)
        return found

    def position_count(self, i: int) -> int:
        off = self._mapped["pos_off"]
        return int(off[i + 1] - off[i])

    def postings(self, i: int, j: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(reports, counts) of keys i..j (j exclusive; default i only)."""
        off = np.asarray(self._mapped["doc_off"][i:(j if j is not None else i + 1) + 1])
        return self._docs(off), self._files["counts"].slice(int(off[0]), int(off[-1]))

    def occurrences(self, folded: str, skip: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(chunk-local reports, occurrence counts) of a folded string; with
        ``skip``, reports flagged there are left out and the rest only marked.
        (The read side of :func:`codes_of`: a string of n > 1 characters is n - 1
        keys at consecutive positions.)"""
        empty = (np.zeros(0, np.int64), np.zeros(0, np.int64))
        if len(folded) == 1:
            i, j = self.key_span(*char_range(folded))
            if i == j:
                return empty
            # Every occurrence of a character starts exactly one key of its span.
            docs, counts = self.postings(i, j)
            per_doc = np.bincount(docs, weights=counts, minlength=len(self.doc_start) - 1).astype(np.int64)
            if skip is not None:
                per_doc[skip] = 0
                found = np.flatnonzero(per_doc)
                return found, np.ones(len(found), np.int64)
            found = np.flatnonzero(per_doc)
            return found, per_doc[found]
        idx = [self.find(k) for k in query_keys(folded)]
        if min(idx) < 0:
            return empty
        if len(idx) == 1:
            docs, counts = self.postings(idx[0])
            docs, counts = docs.astype(np.int64), counts.astype(np.int64)
            if skip is not None:
                keep = ~skip[docs]
                return docs[keep], np.ones(int(np.count_nonzero(keep)), np.int64)
            return docs, counts
        starts = self._starts(idx, skip)
        if not len(starts):
            return empty
        doc = np.searchsorted(self.doc_start, starts, side="right") - 1
        docs, counts = np.unique(doc, return_counts=True)
        docs = docs.astype(np.int64)
        return (docs, np.ones(len(docs), np.int64)) if skip is not None else (docs, counts.astype(np.int64))

    def _starts(self, idx: list[int], skip: np.ndarray | None = None) -> np.ndarray:
        """Where the consecutive keys ``idx`` (all present) occur together,
        ascending: from the rarest key, the starts where every other follows."""
        rare = min(range(len(idx)), key=lambda j: self.position_count(idx[j]))
        starts = self.positions(idx[rare]).astype(np.int64) - rare
        if skip is not None:
            starts = starts[~skip[np.searchsorted(self.doc_start, starts, side="right") - 1]]
        for j, i in enumerate(idx):
            if j == rare or not len(starts):
                continue
            pos = self.positions(i)
            target = starts + j
            at = np.minimum(np.searchsorted(pos, target), len(pos) - 1)
            starts = starts[pos[at] == target]
        return starts

    def starts(self, folded: str) -> np.ndarray:
        """Chunk positions of every occurrence of a folded string
        (overlapping ones included), ascending."""
        if len(folded) == 1:  # every occurrence of a character starts one key of its span
            i, j = self.key_span(*char_range(folded))
            return np.sort(self.positions(i, j).astype(np.int64)) if i < j else np.zeros(0, np.int64)
        idx = [self.find(k) for k in query_keys(folded)]
        return self._starts(idx) if min(idx) >= 0 else np.zeros(0, np.int64)

    def find_many(self, keys: np.ndarray) -> np.ndarray:
        """Indexes of ``keys`` in this field, -1 for those it lacks."""
        at = np.searchsorted(self.keys, keys.astype(np.uint64))
        inside = at < len(self.keys)
        found = np.full(len(keys), -1, np.int64)
        found[inside] = np.where(self.keys[at[inside]] == keys[inside].astype(np.uint64), at[inside], -1)
        return found

    @functools.cached_property
    def first_chars(self) -> np.ndarray:
        """Every character that starts a key here, ascending (the candidates
        for the character before a given one)."""
        firsts = np.asarray(self.keys) >> np.uint64(SHIFT)  # ascending, as the keys are
        return firsts[np.r_[True, firsts[1:] != firsts[:-1]]] if len(firsts) else firsts

    def arrays(self) -> FieldArrays:
        """Everything in memory (for merging), in the in-memory types."""
        whole = {a: np.asarray(self._mapped[a]) for a in (*_MAPPED, "doc_start")}
        for attr in ("pos", "counts"):
            whole[attr] = self._files[attr].slice(0, len(self._files[attr])).astype(_SLICED[attr])
        whole["docs"] = self._docs(whole["doc_off"]).astype(_SLICED["docs"])
        if self._relative:
            whole["pos"] = _absolute(whole["pos"], whole["docs"], whole["counts"], whole["doc_start"])
        return FieldArrays(**whole)


class Chunk:
    def __init__(self, folder: Path):
        self.name = folder.name
        info = json.loads((folder / "info.json").read_text())
        self.reports = int(info["reports"])
        self.codes = sum(info["codes"].values())
        serials = folder / "serials"
        self.serials = np.fromfile(serials, dtype=np.int64) if self.reports else np.zeros(0, np.int64)
        types = info.get("types")
        self.current = bool(types) and all(types[f] == ENCODINGS for f in FIELDS)  # else optimize rewrites it
        self.fields = {f: ChunkField(folder, f, types[f] if types else None) for f in FIELDS}

    def close(self) -> None:
        for f in self.fields.values():
            f.close()


def open_chunks(root: Path) -> list[Chunk]:
    """The chunks the manifest lists.  A merge may delete a chunk between
    reading the manifest and opening it; then the newer manifest is read."""
    for _ in range(20):
        names = read_manifest(root)
        try:
            return [Chunk(root / name) for name in names]
        except FileNotFoundError:
            continue
    raise RuntimeError(f"{root}: the substring layer kept changing while being opened")


# -------------------------------------------------------------------- writing

_merge_lock = threading.Lock()


class LayerWriter:
    """Collects the reports of one commit and writes them as a chunk.

    ``flush`` must run before the Whoosh commit of the same reports, so that a
    committed report always has its chunk; a chunk whose reports never got
    committed (a crash in between) is harmless, as no docnum maps to it, and
    the next writer drops it (:func:`drop_dead`).
    """

    def __init__(self, index_dir: Path):
        self.root = Path(index_dir) / GRAMS_DIR
        self.root.mkdir(parents=True, exist_ok=True)
        self._serials: list[int] = []
        self._codes: dict[str, list[np.ndarray]] = {f: [] for f in FIELDS}

    def add(self, values: dict[str, str], serial: int | None = None) -> int:
        """Queue one report's fields; returns the serial to store with it."""
        serial = serial or new_serial()
        self._serials.append(serial)
        for field in FIELDS:
            self._codes[field].append(codes_of(values.get(field) or ""))
        return serial

    def add_codes(self, codes: dict[str, np.ndarray], serial: int) -> None:
        """Queue codes computed elsewhere (an ingest worker)."""
        self._serials.append(serial)
        for field in FIELDS:
            self._codes[field].append(codes[field])

    def flush(self) -> None:
        if not self._serials:
            return
        sweep(self.root)
        fields = {f: build_field(self._codes[f]) for f in FIELDS}
        name = write_chunk(self.root, np.asarray(self._serials, np.int64), fields)
        with _merge_lock:
            write_manifest(self.root, [*read_manifest(self.root), name])
        self._serials, self._codes = [], {f: [] for f in FIELDS}
        self.merge()

    def merge(self) -> None:
        """Merge chunks of one size class while four of them exist."""
        while True:
            with _merge_lock:
                chunks = open_chunks(self.root)
                group = _mergeable(chunks)
                if not group:
                    for c in chunks:
                        c.close()
                    return
                merged = {f: merge_fields([c.fields[f].arrays() for c in group]) for f in FIELDS}
                name = write_chunk(self.root, np.concatenate([c.serials for c in group]), merged)
                gone = {c.name for c in group}
                names = [n for n in read_manifest(self.root) if n not in gone]
                write_manifest(self.root, [name, *names])
                for c in chunks:
                    c.close()
                for old in gone:
                    shutil.rmtree(self.root / old, ignore_errors=True)


def compact(root: Path) -> int:
    """Merge the layer's chunks, in manifest order, into as few as fit
    MAX_MERGED_CODES each (``govsearch optimize``; the tiers of
    :meth:`LayerWriter.merge` stop at four of a size); a chunk left alone
    in an older encoding is rewritten in the current one.  Only a writer
    holding the write lock calls this.  Returns the chunks merged away."""
    with _merge_lock:
        chunks = open_chunks(root)
        try:
            groups: list[list[Chunk]] = []
            for c in chunks:
                if groups and sum(g.codes for g in groups[-1]) + c.codes <= MAX_MERGED_CODES:
                    groups[-1].append(c)
                else:
                    groups.append([c])
            names: list[str] = []
            gone: list[str] = []
            for group in groups:
                if len(group) == 1 and group[0].current:
                    names.append(group[0].name)
                    continue
                merged = {f: merge_fields([c.fields[f].arrays() for c in group]) for f in FIELDS}
                names.append(write_chunk(root, np.concatenate([c.serials for c in group]), merged))
                gone += [c.name for c in group]
            if gone:
                write_manifest(root, names)
        finally:
            for c in chunks:
                c.close()
        for name in gone:
            shutil.rmtree(root / name, ignore_errors=True)
    return len(chunks) - len(names)


def layer_reports(root: Path) -> int:
    """Report versions the layer holds, live or dead (from the chunks' info)."""
    return sum(int(json.loads((root / name / "info.json").read_text())["reports"]) for name in read_manifest(root))


def drop_dead(root: Path, known: np.ndarray) -> int:
    """Take out of the layer every report whose serial is not in ``known``
    (the serials of all Whoosh documents): what a writer killed between its
    layer flush and its Whoosh commit listed.  A wholly dead chunk leaves
    the manifest; a partly dead one (merged with live chunks before the
    kill) is rewritten without those reports.  Only a writer holding the
    write lock, before writing anything, calls this.  Costs a read of each
    chunk's serials when nothing is dead.  Returns the reports dropped."""
    with _merge_lock:
        names = read_manifest(root)
        serials = {name: np.fromfile(root / name / "serials", dtype=np.int64) for name in names}
        dead = {name: ~np.isin(s, known) for name, s in serials.items()}
        dropped = sum(int(d.sum()) for d in dead.values())
        if not dropped:
            return 0
        kept = [_without(root, name, serials[name], dead[name]) for name in names]
        write_manifest(root, [name for name in kept if name])
        for name in names:
            if dead[name].any():
                shutil.rmtree(root / name, ignore_errors=True)
    return dropped


def _without(root: Path, name: str, serials: np.ndarray, dead: np.ndarray) -> str:
    """The chunk ``name`` less its dead reports: itself, a rewritten copy,
    or "" when none of it lives."""
    if not dead.any():
        return name
    if dead.all():
        return ""
    chunk = Chunk(root / name)
    try:
        fields = {f: merge_fields([chunk.fields[f].arrays()], keep=[~dead]) for f in FIELDS}
    finally:
        chunk.close()
    return write_chunk(root, serials[~dead], fields)


def sweep(root: Path) -> list[str]:
    """Remove what a writer killed mid-commit left: half-written chunks
    (``tmp-*``), chunks it renamed into place but never listed, and manifest
    temporaries.  Only a writer holding the index's write lock calls this,
    so nothing here can be another writer's work in progress; readers open
    only listed chunks.  Returns the names removed."""
    listed = set(read_manifest(root))
    removed = []
    for path in root.iterdir():
        orphan_chunk = path.is_dir() and (path.name.startswith("tmp-") or path.name not in listed)
        orphan_file = path.is_file() and path.name.startswith(f"{MANIFEST}.") and path.name.endswith(".tmp")
        if orphan_chunk:
            shutil.rmtree(path, ignore_errors=True)
        elif orphan_file:
            path.unlink(missing_ok=True)
        if orphan_chunk or orphan_file:
            removed.append(path.name)
    return removed


def _tier(codes: int) -> int:
    tier, size = 0, BASE_CODES
    while codes > size:
        tier, size = tier + 1, size * MERGE_FACTOR
    return tier


def _mergeable(chunks: Iterable[Chunk]) -> list[Chunk]:
    by_tier: dict[int, list[Chunk]] = {}
    for c in chunks:
        by_tier.setdefault(_tier(c.codes), []).append(c)
    for tier in sorted(by_tier):
        group = by_tier[tier][:MERGE_FACTOR]
        if len(group) == MERGE_FACTOR and sum(c.codes for c in group) <= MAX_MERGED_CODES:
            return group
    return []
