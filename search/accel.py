"""Whole-array views of one searcher generation: columns, postings, substrings.

Whoosh answers a query with one interpreted step per posting, so a common
word over 100,000 reports costs a second.  This layer reads what a query
needs once per index generation - facet columns, field lengths, word
postings (cached per term), the substring chunks - into numpy arrays over
docnums, and answers with whole-array operations.  It is rebuilt from the
Whoosh segments (and the substring chunks beside them) for each new
generation, and holds nothing that is not derived from them; what it read
from each segment is carried over (:class:`SegmentCache`), since segments
never change once written.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from math import log
from pathlib import Path
from typing import Any

import numpy as np

from govsearch.index import grams
from govsearch.index.schema import KEYWORD_COLUMNS, SERIAL_FIELD, WORD_FIELDS, from_stored
from govsearch.index.stored_record import text_reader
from govsearch.search import whoosh_codec
from govsearch.search.lru import ByteBudgetCache

# Whoosh's BM25F defaults, so that scores equal its own.
B, K1 = 0.75, 1.2
# The word fields BM25F ranks by: index.schema.WORD_FIELDS but the publisher (indexed, not ranked).
RANKED_FIELDS = tuple(f for f in WORD_FIELDS if f != "publisher")
# Postings kept in memory, in bytes (a word in every one of 100k reports: 800 KB),
# half per segment across generations, half joined for the current one.
POSTINGS_CACHE_BYTES = 256 * 1024 * 1024
# A query term's match arrays per generation (26 bytes a report: 2.6 MB a term at 100k).
TERM_CACHE_BYTES = 64 * 1024 * 1024
# Concordances sorted by context, as line places per generation (12 bytes a
# line: 1.2 MB for the largest allowed sort), so that every page after the
# first reads only its own reports (search.kwic).
LINE_ORDER_BYTES = 48 * 1024 * 1024


class Codes:
    """A keyword column as integer codes whose order is the values' order."""

    def __init__(self, values: list):
        uniq, inverse = np.unique(np.array(values, dtype=object), return_inverse=True)
        self.values = list(uniq)
        self.codes = inverse.astype(np.int32)

    @classmethod
    def joined(cls, parts: list[Codes], ordered: bool = True) -> Codes:
        """One column from consecutive parts (segments), each coded on its
        own: only the distinct values are compared, not every row.  With
        ``ordered=False`` codes follow first appearance (enough for grouping)."""
        position: dict = {}
        if ordered:
            position = {v: i for i, v in enumerate(sorted(set().union(*(p.values for p in parts))))}
        else:
            for part in parts:
                for value in part.values:
                    position.setdefault(value, len(position))
        out = cls.__new__(cls)
        out.values = list(position)
        recoded = [np.array([position[v] for v in p.values], dtype=np.int32)[p.codes] for p in parts if len(p.codes)]
        out.codes = np.concatenate(recoded) if recoded else np.zeros(0, dtype=np.int32)
        return out

    def code_of(self, value) -> int:
        try:
            return self.values.index(value)
        except ValueError:
            return -1

    def mask(self, values: list) -> np.ndarray:
        wanted = [c for c in (self.code_of(v) for v in values) if c >= 0]
        return np.isin(self.codes, wanted)

    def counts(self, rows: np.ndarray, top: int | None = None) -> tuple[dict, int]:
        """(reports per value among ``rows`` (a mask or docnums), how many
        known values there are); with ``top``, only the ``top`` most frequent
        known values and the unknown bucket ("") are counted into the dict."""
        n = np.bincount(self.codes[rows], minlength=len(self.values))
        unknown = self.code_of("")
        known = n.copy()
        if unknown >= 0:
            known[unknown] = 0
        present = np.flatnonzero(known)
        if top is not None and len(present) > top:
            present = present[np.argsort(-known[present], kind="stable")[:top]]
        if unknown >= 0 and n[unknown]:
            present = np.append(present, unknown)
        return dict(zip([self.values[i] for i in present], n[present].tolist(), strict=True)), \
            int(np.count_nonzero(known))


def _column(reader, name: str) -> list:
    return list(reader.column_reader(name)) if reader.doc_count_all() else []


# The keyword columns read into arrays: index.schema's facet and filter columns (not the
# content hash, which only ingest reads), and the near-duplicate group.
LOADED_COLUMNS = (*(c for c in KEYWORD_COLUMNS if c != "content_hash"), "dup_group")


def _live(reader, n: int) -> np.ndarray:
    """Which docnums are not deleted, from each segment's deletion list."""
    live = np.ones(n, dtype=bool)
    if not n:
        return live
    for segreader, offset in reader.leaf_readers():
        segment = segreader.segment()
        if segment is None:  # not a stored segment: ask document by document
            count = segreader.doc_count_all()
            live[offset : offset + count] = [not segreader.is_deleted(d) for d in range(count)]
        elif segment.has_deletions():
            live[offset + np.fromiter(segment.deleted_docs(), dtype=np.int64)] = False
    return live


class SegmentArrays:
    """What a view reads from one segment.  A segment's columns and field
    lengths never change once written (commits add segments, merges
    replace them, deletions only mark documents), so the views of later
    generations reuse them, and picking up a commit reads only its new
    segments instead of every column of every report."""

    def __init__(self, segreader):
        self.year = np.array(_column(segreader, "report_year"), dtype=np.int32)
        self.keywords = {name: Codes(_column(segreader, name)) for name in LOADED_COLUMNS}
        self.serials = np.array(_column(segreader, SERIAL_FIELD), dtype=np.int64)
        self.lengths = {f: whoosh_codec.field_lengths(segreader, f) for f in RANKED_FIELDS}


def _segment_key(segreader) -> tuple[str, int] | None:
    """What identifies a segment's unchanging contents (None: not a stored segment)."""
    segment = segreader.segment()
    return (segment.segment_id(), segreader.doc_count_all()) if segment is not None else None


# Term frequencies remembered across views (a few tens of MB at most).
FREQUENCY_CACHE_ENTRIES = 500_000


class SegmentCache:
    """Per-segment arrays and postings, carried from one generation's view
    to the next and kept for the latest view's segments only.  Postings
    stay within half of POSTINGS_CACHE_BYTES (the view's joined copies have
    the other half), least recently used first out."""

    def __init__(self):
        self._arrays: dict[tuple[str, int], SegmentArrays] = {}
        self._postings: ByteBudgetCache[tuple[np.ndarray, np.ndarray]] = ByteBudgetCache(POSTINGS_CACHE_BYTES // 2)
        self._frequencies: dict[tuple, int] = {}

    def arrays(self, reader) -> list[SegmentArrays]:
        """The reader's segments' arrays, in docnum order."""
        if not reader.doc_count_all():
            return []
        current: dict[tuple[str, int], SegmentArrays] = {}
        deletions: dict[tuple[str, int], int] = {}
        ordered = []
        for segreader, _ in reader.leaf_readers():
            key = _segment_key(segreader)
            arrays = (self._arrays.get(key) if key else None) or SegmentArrays(segreader)
            if key:
                current[key] = arrays
                deletions[key] = segreader.segment().deleted_count()
            ordered.append(arrays)
        self._arrays = current
        # postings of segments merged away, or read before later deletions, are stale
        self._postings.drop_if(lambda entry: deletions.get(entry[0]) != entry[1])
        self._frequencies = {k: n for k, n in self._frequencies.items() if k[0] in current}
        return ordered

    def frequency(self, segreader, field: str, word: str) -> int:
        """A word's occurrences in one segment's field (Whoosh's term info,
        deleted reports included until merged away, as Whoosh counts it),
        remembered: collocates ask for the same words query after query."""
        key = _segment_key(segreader)
        if key is None:
            return segreader.frequency(field, word)
        entry = (key, field, word)
        if entry not in self._frequencies:
            if len(self._frequencies) >= FREQUENCY_CACHE_ENTRIES:
                self._frequencies.clear()
            self._frequencies[entry] = segreader.frequency(field, word)
        return self._frequencies[entry]

    def postings(self, segreader, field: str, word: str) -> tuple[np.ndarray, np.ndarray]:
        """(segment docnums, frequencies) of a word in one segment.  Whoosh
        leaves deleted documents out of postings, so they are kept per
        segment and deletion count (deletions only ever grow)."""
        key = _segment_key(segreader)
        if key is None:
            return whoosh_codec.postings(segreader, field, word)
        entry = (key, segreader.segment().deleted_count(), field, word)
        found = self._postings.get(entry)
        return found if found is not None else self._postings.put(entry, whoosh_codec.postings(segreader, field, word))


@dataclass
class Places:
    """Occurrences located in the substring layer (View.substring_places):
    per occurrence the rank of its report, its chunk, its position there and
    what was found; and the chunks' fields, to read the characters around."""

    ranks: np.ndarray
    chunks: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray  # of the folded string found there
    terms: np.ndarray  # which of the strings (an index into ``strings``)
    strings: list[str]
    fields: list[grams.ChunkField]

    @property
    def nbytes(self) -> int:
        """What its arrays hold (the chunks' fields are the view's)."""
        return sum(a.nbytes for a in (self.ranks, self.chunks, self.starts, self.lengths, self.terms))


class View:
    """Arrays over the docnums of one searcher generation."""

    def __init__(self, searcher, index_dir: Path, segments: SegmentCache | None = None):
        """``segments`` carries the per-segment arrays from the previous
        generation's view (an Engine keeps one); without it all are read."""
        self.searcher = searcher
        reader = searcher.reader()
        self.n = reader.doc_count_all()
        self.live = _live(reader, self.n)
        self._segments = segments or SegmentCache()
        parts = self._segments.arrays(reader)
        self._cache: ByteBudgetCache[tuple[np.ndarray, np.ndarray]] = ByteBudgetCache(POSTINGS_CACHE_BYTES // 2)

        def joined(arrays: list[np.ndarray], dtype) -> np.ndarray:
            return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.zeros(0, dtype=dtype)

        self.year = joined([p.year for p in parts], np.int32)
        self.columns = {name: Codes.joined([p.keywords[name] for p in parts], ordered=name != "dup_group")
                        for name in LOADED_COLUMNS}
        groups = self.columns["dup_group"].codes
        # Reports with near-duplicates: the only ones collapsing must group.
        self.grouped = np.bincount(groups)[groups] > 1 if self.n else np.zeros(0, dtype=bool)
        self.lengths = {f: joined([p.lengths[f] for p in parts], np.float64) for f in RANKED_FIELDS}
        self.avg_length = {f: searcher.avg_field_length(f) or 1 for f in RANKED_FIELDS}
        self._serials = joined([p.serials for p in parts], np.int64)
        self.terms: ByteBudgetCache[tuple] = ByteBudgetCache(TERM_CACHE_BYTES)  # search.evaluate's term arrays
        self.line_orders: ByteBudgetCache[tuple] = ByteBudgetCache(LINE_ORDER_BYTES)  # search.kwic's sorted places
        self._rows: dict[str, np.ndarray] = {}  # row_values, read on first use
        self._chunks = grams.open_chunks(Path(index_dir) / grams.GRAMS_DIR)
        self._chunk_docnums = [self._map(c.serials) for c in self._chunks]

    def record(self, docnum: int) -> dict[str, Any]:
        """docnum -> its whole stored record, Report-shaped (callers hold the
        engine's lock, as for any read of the searcher)."""
        return from_stored(self.searcher.stored_fields(docnum))

    def text(self, docnum: int) -> str:
        """docnum -> its stored text alone, not the whole record (callers
        hold the engine's lock, as for any read of the searcher)."""
        return self._text_reader(docnum)

    @functools.cached_property
    def _text_reader(self) -> Callable[[int], str]:
        return text_reader(self.searcher.reader())

    # ------------------------------------------------------------ substrings
    def row_values(self, name: str) -> np.ndarray:
        """A column of one value a report (index.schema.ROW_COLUMNS: the id,
        the publisher, the URL) per docnum, read from the segments on first
        use: only a table of every report needs them.  Callers hold the
        engine's lock, as for any read of the searcher."""
        found = self._rows.get(name)
        if found is None:
            parts = [np.array(_column(seg, name), dtype=object) for seg, _ in self.searcher.reader().leaf_readers()]
            found = self._rows[name] = np.concatenate(parts) if parts else np.zeros(0, dtype=object)
        return found

    def _map(self, serials: np.ndarray) -> np.ndarray:
        """Docnums of a chunk's reports: -1 where the report is not live here."""
        live = self._serials != 0
        live &= self.live
        docs = np.flatnonzero(live)
        order = np.argsort(self._serials[docs])
        known, known_docs = self._serials[docs][order], docs[order]
        i = np.searchsorted(known, serials)
        i[i >= len(known)] = 0
        hit = (known[i] == serials) if len(known) else np.zeros(len(serials), bool)
        return np.where(hit, known_docs[i] if len(known) else -1, -1)

    def substring_counts(self, folded: str, field: str = "text", skip: np.ndarray | None = None,
                         within: np.ndarray | None = None) -> np.ndarray:
        """Occurrences of a folded string in each report's field (per docnum).

        With ``skip`` (a docnum mask of reports already known to match), those
        reports may be left out, and the others are only marked (count 1):
        presence is all a plain term's recall needs, and it is far cheaper
        when most reports are skipped.  With ``within`` (a docnum mask), only
        the chunks holding one of those reports are read - exact counts for
        them at a fraction of the cost when they are few (a sample).
        """
        out = np.zeros(self.n, dtype=np.int64)
        if not folded:
            return out
        for chunk, docnums in zip(self._chunks, self._chunk_docnums, strict=True):
            if within is not None and not within[docnums[docnums >= 0]].any():
                continue
            local_skip = None
            if skip is not None:
                local_skip = docnums < 0
                local_skip[~local_skip] = skip[docnums[~local_skip]]
            docs, counts = chunk.fields[field].occurrences(folded, local_skip)
            if len(docs):
                mapped = docnums[docs]
                ok = mapped >= 0
                out[mapped[ok]] += counts[ok]
        return out

    def substring_places(self, terms: list[str], ranked: np.ndarray, field: str = "text") -> Places:
        """Every occurrence of some folded strings in the reports ``ranked``
        (docnums), from the layer alone: per occurrence its report's rank in
        ``ranked``, its chunk, its position there and which string it is - in
        report order (rank, position, then the shorter string), as a scan of
        the text finds them; no text read."""
        rank_of = np.full(self.n + 1, -1, np.int64)  # docnum -> rank; the last slot is docnum -1's
        rank_of[ranked] = np.arange(len(ranked))
        parts = []  # per term and chunk: (ranks, chunk, starts, term) of its occurrences
        for term, folded in enumerate(terms):
            for number, (chunk, docnums) in enumerate(zip(self._chunks, self._chunk_docnums, strict=True)):
                arrays = chunk.fields[field]
                starts = arrays.starts(folded)
                ranks = rank_of[docnums[np.searchsorted(arrays.doc_start, starts, side="right") - 1]]
                kept = ranks >= 0
                n = int(kept.sum())
                parts.append((ranks[kept], np.full(n, number), starts[kept], np.full(n, term)))
        ranks, chunks, starts, which = (np.concatenate(c).astype(np.int64) for c in zip(*parts, strict=True)) \
            if parts else (np.zeros(0, np.int64) for _ in range(4))
        lengths = np.array([len(t) for t in terms], np.int64)[which] if len(which) else which
        order = np.lexsort((lengths, starts, ranks))
        return Places(ranks[order], chunks[order], starts[order], lengths[order], which[order], list(terms),
                      [c.fields[field] for c in self._chunks])

    # ----------------------------------------------------------------- words
    def frequency(self, segreader, field: str, word: str) -> int:
        """A word's occurrences in one of this view's segments (SegmentCache.frequency)."""
        return self._segments.frequency(segreader, field, word)

    def postings(self, field: str, word: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, frequencies) of a word, kept for this generation; each
        segment's part is kept across generations too, so after a commit
        only the new segments are read."""
        key = (field, word)
        if (found := self._cache.get(key)) is not None:
            return found
        parts = [(ids + offset, tf) for seg, offset in self.searcher.reader().leaf_readers()
                 if (field, word) in seg for ids, tf in [self._segments.postings(seg, field, word)]]
        ids = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
        tf = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.float64)
        return self._cache.put(key, (ids, tf))

    def bm25(self, field: str, docs: np.ndarray, tf: np.ndarray, idf: float) -> np.ndarray:
        """Whoosh's BM25F term score for the given documents."""
        fl = self.lengths[field][docs]
        return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / self.avg_length[field])))

    def word_scores(self, field: str, word: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, BM25 scores) of one word in one field."""
        docs, tf = self.postings(field, word)
        if not len(docs):
            return docs, tf
        return docs, self.bm25(field, docs, tf, self.searcher.idf(field, word))

    def idf_of_count(self, matching: int) -> float:
        """Whoosh's idf formula for a match set that is not one term."""
        return log(self.n / (matching + 1)) + 1 if self.n else 1.0
