"""Integer arrays stored one or two bytes a value, the few that don't fit kept aside.

The substring layer's postings are mostly small numbers: 71% of a bigram's
counts in one report are 1, and 99% of the gaps between a bigram's reports
in a chunk are under 255.  A fixed type wide enough for the largest value
(one long report, one frequent bigram) would double every other value, so
each array is stored in a narrow type whose top value is an escape: the
values that reach it are kept in two small side arrays (where, what),
patched in after a read.  A slice is still one ``pread`` plus a
``searchsorted`` over the side arrays, so reading stays random access.

*Deltas* turn an array of ascending runs (a bigram's reports, run per key)
into small gaps; the first value of each run stays whole.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import numpy as np

# Storage codes (the chunk's info.json names them): narrow type with escape.
ESCAPED = {"u8x": np.uint8, "u16x": np.uint16}
DELTA = "delta-"
_INDEX = np.int64
_VALUE = np.uint32


def _narrow_type(code: str) -> type:
    return ESCAPED[code.removeprefix(DELTA)]


def is_escaped(code: str) -> bool:
    """Whether ``code`` names an escaped encoding (else a plain numpy dtype)."""
    return code.removeprefix(DELTA) in ESCAPED


def run_deltas(values: np.ndarray, run_starts: np.ndarray) -> np.ndarray:
    """Each value less the one before it, except at a run's start (kept whole).
    ``run_starts`` are indexes into ``values``; runs must be ascending."""
    values = values.astype(np.int64)
    out = np.empty_like(values)
    if len(values):
        out[0] = values[0]
        out[1:] = np.diff(values)
        starts = run_starts[run_starts < len(values)]
        out[starts] = values[starts]
    return out


def undo_deltas(deltas: np.ndarray, run_starts: np.ndarray) -> np.ndarray:
    """The inverse of :func:`run_deltas` for one slice (``run_starts`` relative
    to it, the first 0)."""
    total = np.cumsum(deltas, dtype=np.int64)
    if not len(total):
        return total
    starts = run_starts[run_starts < len(total)]
    base = total[starts] - deltas[starts]  # what the cumulative sum carried into each run
    lengths = np.diff(np.append(starts, len(total)))
    return total - np.repeat(base, lengths)


def write(path: Path, values: np.ndarray, code: str) -> None:
    """Write ``values`` (already delta-coded when ``code`` says so) under
    ``path``: the narrow array, and beside it ``.xi``/``.xv`` for the values
    at or over the escape."""
    narrow = _narrow_type(code)
    top = np.iinfo(narrow).max
    values = np.asarray(values)
    over = np.flatnonzero(values >= top)
    np.minimum(values, top).astype(narrow).tofile(path)
    over.astype(_INDEX).tofile(path.with_name(path.name + ".xi"))
    values[over].astype(_VALUE).tofile(path.with_name(path.name + ".xv"))


def _side(path: Path, dtype) -> np.ndarray:
    return np.fromfile(path, dtype=dtype) if path.stat().st_size else np.zeros(0, dtype)


class EscapedFile:
    """An array :func:`write` stored, read by slice."""

    def __init__(self, path: Path, code: str):
        self.dtype = np.dtype(_narrow_type(code))
        self.path = path
        self.fd = os.open(path, os.O_RDONLY)
        # Side arrays are small (about 1% of the values): read once, kept.
        self.where = _side(path.with_name(path.name + ".xi"), _INDEX)
        self.what = _side(path.with_name(path.name + ".xv"), _VALUE)

    def __len__(self) -> int:
        return os.fstat(self.fd).st_size // self.dtype.itemsize

    def slice(self, start: int, stop: int) -> np.ndarray:
        size = self.dtype.itemsize
        raw = os.pread(self.fd, (stop - start) * size, start * size)
        values = np.frombuffer(raw, dtype=self.dtype).astype(np.int64)
        lo, hi = np.searchsorted(self.where, [start, stop])
        if hi > lo:
            values[self.where[lo:hi] - start] = self.what[lo:hi]
        return values

    def gather(self, index: np.ndarray) -> np.ndarray:
        """The values at many scattered indexes at once (one mapped gather,
        not a read each)."""
        values = self.mapped[index].astype(np.int64)
        escaped = np.flatnonzero(values == np.iinfo(self.dtype).max)  # only these are looked up aside
        if len(escaped):
            values[escaped] = self.what[np.searchsorted(self.where, index[escaped])]
        return values

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        self.__dict__.pop("mapped", None)

    @functools.cached_property
    def mapped(self) -> np.ndarray:
        """The file's values mapped into memory, on first use (by gather)."""
        if not self.path.stat().st_size:
            return np.zeros(0, self.dtype)
        return np.memmap(self.path, dtype=self.dtype, mode="r")


class PlainFile:
    """An array stored in one plain numpy type (chunks written before the
    escaped encodings), with :class:`EscapedFile`'s interface."""

    def __init__(self, path: Path, dtype):
        self.dtype = np.dtype(dtype)
        self.path = path
        self.fd = os.open(path, os.O_RDONLY)

    __len__ = EscapedFile.__len__
    close = EscapedFile.close
    mapped = EscapedFile.mapped

    def gather(self, index: np.ndarray) -> np.ndarray:
        return self.mapped[index].astype(np.int64)

    def slice(self, start: int, stop: int) -> np.ndarray:
        size = self.dtype.itemsize
        return np.frombuffer(os.pread(self.fd, (stop - start) * size, start * size), dtype=self.dtype)


def open_array(path: Path, code: str) -> EscapedFile | PlainFile:
    """The reader for an array stored under ``code`` (an escaped encoding or a dtype name)."""
    return EscapedFile(path, code) if is_escaped(code) else PlainFile(path, code.removeprefix(DELTA))
