"""One page of a concordance sorted by context, found in the substring layer.

A sort by context must know every line's context before it can show the
first line; reading every matching report for it costs ~0.1 ms a report,
seconds at 100,000 reports.  The substring layer already knows, for each
folded bigram, every position where it occurs.  So the lines whose folded
context begins with a character ``c`` are those whose next position starts
the bigram (k, c), where k is the character before it (the match's last):
one lookup per candidate ``c``, taken in ascending order, splits the lines
into groups in sort order without reading any text.  Only the groups that
reach the page are split again, one character deeper, until a group is
small enough to sort by reading its reports (:func:`context_key`), which the
page needs anyway to show its lines.

The order is defined on the folded context (:func:`context_key`), the form
exact lookup matches on: letters, digits and ideographs, lower-cased,
punctuation and spaces skipped, within the paragraph.  A context that the
paragraph's edge cuts short sorts after the longer ones that begin like it;
equal contexts keep report order.  The full sort (search.kwic) uses the same
key, so both give one order.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from govsearch.index import grams
from govsearch.index.normalize import fold
from govsearch.search import budget
from govsearch.search.accel import Places

# A paragraph's edge sorts after every character (the largest code point).
EDGE = "\U0010ffff"
# A group of at most this many lines is sorted by reading its reports.
SMALL = 64
# Splitting a group may read this many bigram positions per report it spans
# (a report's read costs about as much as gathering and sorting a thousand)
# before the group is read instead; a group of more than MAX_READ reports is
# then left to the full sort.
POSITIONS_PER_REPORT = 1_000
MAX_READ = 512
# Below this many reports, reading them all (~0.1 ms each) costs less than a walk.
WORTH_FROM = 1_000
_LOW = (1 << grams.SHIFT) - 1


class Unwalkable(Exception):
    """The layer cannot order these lines alone: the caller sorts them all."""


class _ReadInstead(Exception):
    """Splitting this group costs more than reading its reports."""


def context_key(text: str, start: int, end: int, sort: str, width: int) -> str:
    """What a line at [start, end) of ``text`` sorts by: its first ``width``
    folded characters after ``end`` (``right``) or before ``start`` read right
    to left (``left``), within the paragraph; cut short by the paragraph's
    edge, it ends in EDGE."""
    if sort not in ("left", "right"):
        raise ValueError(sort)
    right = sort == "right"
    edge = text.find("\n", end) if right else text.rfind("\n", 0, start) + 1
    if right and edge < 0:
        edge = len(text)
    reach = 2 * width + 8
    while True:
        if right:
            bound = min(edge, end + reach)
            got = fold(text[end:bound])
        else:
            bound = max(edge, start - reach)
            got = fold(text[bound:start])[::-1]
        if len(got) >= width:
            return got[:width]
        if bound == edge:
            return got + EDGE
        reach *= 4


class _Walk:
    """One page's walk over the lines of ``places`` (indexes into its arrays)."""

    def __init__(self, places: Places, right: bool, width: int, keys_of: Callable[[np.ndarray], list[str]]):
        self.places, self.right, self.width, self.keys_of = places, right, width, keys_of

    def lines(self, idx: np.ndarray, depth: int, known: np.ndarray, lo: int, hi: int) -> np.ndarray:
        """Lines lo..hi, in sort order, of the group ``idx`` (in report
        order), whose contexts share their first ``depth`` characters; per
        line, ``known`` is the code of the last of them (at depth 0, of the
        match's own character beside the context)."""
        if hi <= lo:
            return idx[:0]
        if depth == self.width:  # equal contexts: report order
            return idx[lo:hi]
        if len(idx) <= max(SMALL, hi - lo):
            return self._read(idx)[lo:hi]
        try:
            groups, rest = self._split(idx, depth, known, hi)
        except _ReadInstead:
            return self._read(idx)[lo:hi]
        out, offset = [], 0
        for char, group in groups:
            if offset < hi and offset + len(group) > lo:
                deeper = np.full(len(group), char)
                out.append(self.lines(group, depth + 1, deeper, max(lo - offset, 0), min(hi - offset, len(group))))
            offset += len(group)
        if offset < hi:  # the lines whose paragraph ends here, after all the others
            out.append(rest[max(lo - offset, 0):hi - offset])
        return np.concatenate(out) if out else idx[:0]

    def _read(self, idx: np.ndarray) -> np.ndarray:
        """The group sorted by its lines' keys, read from their reports."""
        if len(np.unique(self.places.ranks[idx])) > MAX_READ:
            raise Unwalkable(f"a group of more than {MAX_READ} reports")
        keys = self.keys_of(idx)
        return idx[sorted(range(len(idx)), key=keys.__getitem__)]  # stable: ties keep report order

    def _candidates(self, chunk: int, known: int) -> tuple[np.ndarray, np.ndarray]:
        """(characters, key indexes) of the bigrams next to ``known`` in one
        chunk: those it starts (a right context) or ends (a left one)."""
        field = self.places.fields[chunk]
        if self.right:
            i, j = field.key_span(*grams.char_range(chr(known)))
            chars = (np.asarray(field.keys[i:j]) & np.uint64(_LOW)).astype(np.int64)
            keep = chars != 0  # (known, end of line): that paragraph ends here
            return chars[keep], np.arange(i, j, dtype=np.int64)[keep]
        firsts = field.first_chars
        found = field.find_many((firsts << np.uint64(grams.SHIFT)) | np.uint64(known))
        keep = found >= 0
        return firsts[keep].astype(np.int64), found[keep]

    def _split(self, idx: np.ndarray, depth: int, known: np.ndarray,
               need: int) -> tuple[list[tuple[int, np.ndarray]], np.ndarray]:
        """The groups of ``idx`` by their next context character, ascending,
        until they hold ``need`` lines; and the lines no group took (those
        whose paragraph ends, when every character was tried).  Characters
        are tried a window at a time (16, then twice as many each time), each
        window's bigrams read in one gather per chunk."""
        p = self.places
        at = p.starts[idx] + (p.lengths[idx] - 1 + depth) if self.right else p.starts[idx] - 1 - depth  # its key
        pair = (p.chunks[idx] << grams.SHIFT) | known  # lines of one chunk beside one character
        per_chunk = {int(c): np.flatnonzero(pair == c) for c in np.unique(pair)}
        candidates = {c: self._candidates(c >> grams.SHIFT, c & _LOW) for c in per_chunk}
        chars = np.unique(np.concatenate([found[0] for found in candidates.values()]))
        char_of = np.full(len(idx), -1, np.int64)
        allowance = POSITIONS_PER_REPORT * len(np.unique(p.ranks[idx]))
        done, window, total, spent = 0, 16, 0, 0
        while done < len(chars) and total < need:
            lo, hi = int(chars[done]), int(chars[min(done + window, len(chars)) - 1])
            for chunk, (their_chars, keys) in candidates.items():
                mine = per_chunk[chunk]
                mine = mine[char_of[mine] < 0]
                inside = (their_chars >= lo) & (their_chars <= hi)
                if not len(mine) or not inside.any():
                    continue
                field = p.fields[chunk >> grams.SHIFT]
                reports = np.unique(np.searchsorted(field.doc_start, at[mine], side="right") - 1)
                positions, owner = field.many_positions(keys[inside], reports)
                spent += len(positions)
                if spent > allowance:
                    raise _ReadInstead
                budget.check()
                # Each position starts one key: look the positions up among the lines' (fewer, sorted
                # once; two terms found at one place share theirs).
                wanted, back = np.unique(at[mine], return_inverse=True)
                where = np.minimum(np.searchsorted(wanted, positions), len(wanted) - 1)
                hit = wanted[where] == positions
                found = np.full(len(wanted), -1, np.int64)
                found[where[hit]] = their_chars[inside][owner[hit]]
                char_of[mine] = found[back]
            done += window
            window *= 2
            total = int(np.count_nonzero(char_of >= 0))
        taken = np.flatnonzero(char_of >= 0)
        ordered = taken[np.argsort(char_of[taken], kind="stable")]  # by character, report order within
        bounds = np.flatnonzero(np.diff(char_of[ordered])) + 1
        groups = [(int(char_of[run[0]]), idx[run]) for run in np.split(ordered, bounds) if len(run)]
        return groups, idx[char_of < 0]


def page(places: Places, sort: str, width: int, start: int, stop: int,
         keys_of: Callable[[np.ndarray], list[str]]) -> np.ndarray:
    """Indexes into ``places`` (report order) of lines start..stop sorted by
    ``sort`` context.  ``keys_of`` gives the :func:`context_key` of lines
    (indexes), reading their reports: it is asked only about small groups."""
    right = sort == "right"
    beside = np.array([ord(s[-1] if right else s[0]) for s in places.strings], np.int64)
    every = np.arange(len(places.ranks))
    return _Walk(places, right, width, keys_of).lines(every, 0, beside[places.terms], start, min(stop, len(every)))
