"""The one adapter over Whoosh's codec internals.

Reading a segment's field lengths and a word's postings block by block is
what makes whole-array search fast, and Whoosh has no public API for it: its
``whoosh3`` codec keeps them in private attributes.  Every private name the
read path touches is here, behind two functions.  A segment of another codec
(or a Whoosh-Reloaded whose internals moved) takes Whoosh's public, slower
calls - the same numbers, never wrong ones - and says so once in the log.
setup.cfg pins Whoosh-Reloaded to the release range these internals were
tested with.
"""

from __future__ import annotations

import functools
import logging

import numpy as np

log = logging.getLogger(__name__)

# The Whoosh-Reloaded releases whose whoosh3 codec internals this module reads (setup.cfg pins them).
TESTED = ((2, 7),)


@functools.cache
def _warn_once(what: str) -> None:
    log.warning("whoosh codec: %s; using Whoosh's public (slower) calls", what)


@functools.cache
def _byte_to_length_table() -> np.ndarray:
    from whoosh.util.numeric import byte_to_length

    return np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def field_lengths(segreader, field: str) -> np.ndarray:
    """Each document's length in ``field``, decoded as Whoosh's scorer sees it."""
    count = segreader.doc_count_all()
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = segreader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        raw = np.array(list(column) if column is not None else [0] * count, dtype=np.uint8)
        return _byte_to_length_table()[raw]
    except (AttributeError, ImportError) as exc:  # another codec, or internals that moved
        _warn_once(f"no whoosh3 length column ({type(exc).__name__}: {exc})")
        return np.array([segreader.doc_field_length(d, field, 0) for d in range(count)], dtype=np.float64)


@functools.lru_cache(maxsize=256)
def _deleted_array(deleted: frozenset) -> np.ndarray:
    """A segment's deleted docnums as an array, made once a segment (the
    reader's cached frozenset, hashed once, is the key) rather than once a word."""
    return np.fromiter(deleted, dtype=np.int64, count=len(deleted))


def postings(segreader, field: str, word: str) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, term frequencies) of ``word`` in one segment, read block by block."""
    m = segreader.postings(field, word)
    try:
        from whoosh.codec.whoosh3 import W3LeafMatcher
        from whoosh.matching.wrappers import FilterMatcher

        # A segment with deleted documents wraps its postings in a filter that
        # leaves them out one posting at a time: read the blocks, drop them here.
        deleted = m._ids if isinstance(m, FilterMatcher) and m._exclude else None
        leaf = m.child if deleted is not None else m
        if isinstance(leaf, W3LeafMatcher):
            if deleted is not None:
                leaf.reset()  # the filter has moved it past the deleted documents it starts with
            ids, weights = [np.zeros(0, np.int64)], [np.zeros(0, np.float64)]
            while not leaf._atend:
                leaf._read_ids()
                leaf._read_weights()
                ids.append(np.asarray(leaf._ids, dtype=np.int64))
                weights.append(np.asarray(leaf._weights, dtype=np.float64))
                leaf._next_block()
            docs, freqs = np.concatenate(ids), np.concatenate(weights)
            if deleted:
                keep = ~np.isin(docs, _deleted_array(frozenset(deleted)), assume_unique=True)  # frozenset(fs) is fs
                docs, freqs = docs[keep], freqs[keep]
            return docs, freqs
    except (AttributeError, ImportError) as exc:
        _warn_once(f"the whoosh3 leaf matcher's blocks cannot be read ({type(exc).__name__}: {exc})")
        m = segreader.postings(field, word)  # the partly read matcher is spent: start again
    else:
        _warn_once(f"postings of a {type(m).__name__}, not a whoosh3 leaf matcher")
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)
