"""Whoosh's posting path for the word fields, in columns instead of tuples.

A report gives the writer about 1,400 postings, nearly all of them the
worker-counted words of its title, text and publisher.  Whoosh makes each
a tuple, queues it through a pool method that sizes it, sorts the tuples
and feeds each back through three calls at the commit: most of the writing
process's time.  Here a word field's counts are queued as three list
extends a document (term, document, count), and the commit sorts them with
numpy and writes each term's postings a block at a time, with the same
numbers in the same blocks (tests/test_posting_writer.py compares every
posting with Whoosh's own path).  Whoosh still sees one posting a field a
document, a placeholder of the empty term whose count is the field's length,
so it records the length as it always did; the commit drops it.

Every other field, and any write whose postings outgrow memory or that
merges old segments in, goes Whoosh's own way: the queued counts are then
turned into Whoosh's tuples first.  setup.cfg pins Whoosh-Reloaded to the
releases whose writer this was tested with (it reads the whoosh3 posting
writer's block buffer).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby, repeat
from operator import itemgetter
from typing import Any

import numpy as np
from whoosh.codec.base import FieldWriter
from whoosh.system import pack_uint
from whoosh.writing import PostingPool, SegmentWriter

from govsearch.index.analysis import Precounted, precounted

# The placeholder term a word field's one Whoosh posting a document carries.
LENGTH_TERM = ""
# Bytes a queued posting takes, as Whoosh's pool estimates a tuple of a
# ~3-character word, and a column entry: past the pool's memory limit the
# columns become tuples, which Whoosh's pool writes to disk in sorted runs.
TUPLE_BYTES = 180
COLUMN_BYTES = 40


class ColumnPool(PostingPool):
    """Whoosh's posting pool with word fields' counts kept in columns
    (:meth:`add_counts`) until the commit, or until :meth:`to_tuples`."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.columns: dict[str, tuple[list[str], list[int], list[int]]] = {}
        self.columnar = True  # False once the columns became tuples: Whoosh's path from then on
        self.placeholders: set[str] = set()  # the fields whose LENGTH_TERM postings were queued

    def add_counts(self, fieldname: str, docnum: int, counts: dict[str, int]) -> None:
        terms, docs, freqs = self.columns.setdefault(fieldname, ([], [], []))
        terms.extend(counts)
        docs.extend(repeat(docnum, len(counts)))
        freqs.extend(counts.values())
        self.placeholders.add(fieldname)

    def queued(self) -> int:
        return len(self.current) * TUPLE_BYTES + sum(len(c[0]) for c in self.columns.values()) * COLUMN_BYTES

    def to_tuples(self) -> None:
        """Queue the columns as Whoosh's tuples and stop keeping columns."""
        for fieldname, columns in self.columns.items():
            for item in _as_tuples(fieldname, columns):
                self.add(item)
        self.columns = {}
        self.columnar = False

    def check(self) -> None:
        """After a document: past the memory limit, sorted runs go to disk."""
        if self.queued() > self.limit:
            self.to_tuples()
            self.save()


def _as_tuples(fieldname: str, columns: tuple[list[str], list[int], list[int]]) -> Iterator[tuple]:
    """Queued counts as the tuples Whoosh's pool holds for them."""
    for term, docnum, freq in zip(*columns, strict=True):
        yield fieldname, term.encode("utf-8"), docnum, float(freq), pack_uint(freq)


def _fill(postwriter: Any, docnums: list[int], weights: list[float], values: list[bytes],
          lengths: list[int]) -> None:
    """One term's postings into whoosh3's posting writer, a block at a time:
    what its ``add_posting`` does one posting at a time."""
    limit = postwriter._blocklimit
    done, total = 0, len(docnums)
    while done < total:
        if len(postwriter._ids) >= limit:
            postwriter._write_block()
        end = min(total, done + limit - len(postwriter._ids))
        postwriter._ids.extend(docnums[done:end])
        block_weights = weights[done:end]
        postwriter._weights.extend(block_weights)
        postwriter._values.extend(values[done:end])
        postwriter._maxweight = max(postwriter._maxweight, max(block_weights))
        known = [n for n in lengths[done:end] if n]
        if known:
            low = min(known)
            if postwriter._minlength is None or low < postwriter._minlength:
                postwriter._minlength = low
            postwriter._maxlength = max(postwriter._maxlength, max(known))
        done = end


def _field_lengths(lengths: Any, fieldname: str, docs: int) -> np.ndarray:
    """docnum -> length in ``fieldname`` (0 where the codec keeps no lengths)."""
    if lengths is None:
        return np.zeros(docs, dtype=np.int64)
    table = getattr(lengths, "field_lengths", None)
    if table is not None:
        return np.array([n or 0 for n in table(fieldname)], dtype=np.int64)  # None: no length kept
    return np.array([lengths.doc_field_length(d, fieldname) or 0 for d in range(docs)], dtype=np.int64)


def _write_columns(fieldwriter: Any, fieldname: str, fieldobj: Any, lengths: Any,
                   columns: tuple[list[str], list[int], list[int]]) -> None:
    """One word field's queued counts as its terms' postings, in term then
    document order."""
    terms, docs, freqs = columns
    vocabulary = sorted(set(terms))  # str order is UTF-8 byte order, the order Whoosh writes terms in
    rank = {term: i for i, term in enumerate(vocabulary)}
    ids = np.fromiter(map(rank.__getitem__, terms), np.int64, len(terms))
    docnums = np.array(docs, dtype=np.int64)
    order = np.lexsort((docnums, ids))
    ids, docnums = ids[order], docnums[order]
    counts = np.array(freqs, dtype=np.int64)[order].tolist()
    weights = list(map(float, counts))
    packed = {f: pack_uint(f) for f in set(counts)}
    values = list(map(packed.__getitem__, counts))
    field_lengths = _field_lengths(lengths, fieldname, int(docnums.max()) + 1)[docnums].tolist()
    starts = [0, *(np.flatnonzero(np.diff(ids)) + 1).tolist(), len(ids)]
    term_ids = ids[starts[:-1]].tolist()
    docnums = docnums.tolist()
    fieldwriter.start_field(fieldname, fieldobj)
    for term_id, a, b in zip(term_ids, starts, starts[1:], strict=False):
        fieldwriter.start_term(vocabulary[term_id].encode("utf-8"))
        _fill(fieldwriter._postwriter, docnums[a:b], weights[a:b], values[a:b], field_lengths[a:b])
        fieldwriter.finish_term()
    fieldwriter.finish_field()


def add_postings(pool: ColumnPool, fieldwriter: Any, schema: Any, lengths: Any, items: Any) -> None:
    """``FieldWriter.add_postings`` over Whoosh's sorted tuples and the
    pool's columns, field by field in name order, the placeholders dropped."""
    placeholder = LENGTH_TERM.encode("utf-8")
    if not pool.columnar or not pool.columns:  # Whoosh's own path, streaming what it wrote to disk
        fields = pool.placeholders
        stream = (t for t in items if t[1] != placeholder or t[0] not in fields) if fields else items
        FieldWriter.add_postings(fieldwriter, schema, lengths, stream)
        return
    tuples = {name: list(group) for name, group in groupby(items, key=itemgetter(0))}  # in memory: no runs
    for name in sorted(set(tuples) | set(pool.columns)):
        real = tuples.get(name, [])
        if name in pool.placeholders:
            real = [t for t in real if t[1] != placeholder]
        if name not in pool.columns:
            FieldWriter.add_postings(fieldwriter, schema, lengths, real)
        elif not real:
            _write_columns(fieldwriter, name, schema[name], lengths, pool.columns[name])
        else:  # reports whose words Whoosh cut itself, in the same field: one sorted list
            FieldWriter.add_postings(fieldwriter, schema, lengths,
                                     sorted(real + list(_as_tuples(name, pool.columns[name]))))
    pool.columns = {}


def install(writer: Any) -> Any:
    """``writer`` (a fresh Whoosh segment writer) with its word fields'
    counts queued in columns."""
    old = writer.pool
    if type(writer) is not SegmentWriter or type(old) is not PostingPool:
        return writer  # another writer (Whoosh's multiprocess or buffered ones): as it is
    if old.current or old.runs:
        raise ValueError("install the column pool before anything is added")
    pool = ColumnPool(old.tempstore, old.segment, limitmb=old.limit / (1024 * 1024))
    writer.pool = pool
    fieldwriter = writer.fieldwriter
    fieldwriter.add_postings = lambda schema, lengths, items: add_postings(pool, fieldwriter, schema, lengths, items)
    add_document, to_pool = writer.add_document, writer.add_postings_to_pool

    def add_in_columns(**fields: Any) -> None:
        if pool.columnar:
            for name, value in fields.items():
                if isinstance(value, Precounted) and value.counts:
                    pool.add_counts(name, writer.docnum, value.counts)
                    fields[name] = precounted(str(value), {LENGTH_TERM: sum(value.counts.values())})
        add_document(**fields)
        pool.check()

    def merge_as_tuples(*args: Any) -> None:
        pool.to_tuples()  # a merged segment's postings come as tuples: one path for the field
        to_pool(*args)

    writer.add_document = add_in_columns
    writer.add_postings_to_pool = merge_as_tuples
    return writer
