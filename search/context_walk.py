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
page needs anyway to show its lines.  Reports repeat formulae, so a large
group often goes on alike for many characters: one line's context is read
and checked against every line, a bigram at a time, and the run they share
is skipped whole; where most go on with one character, only the others are
split.

The order is defined on the folded context (:func:`context_key`), the form
exact lookup matches on: letters, digits and ideographs, lower-cased,
punctuation and spaces skipped, within the paragraph.  A context that the
paragraph's edge cuts short sorts after the longer ones that begin like it;
equal contexts keep report order.  The full sort (search.kwic) uses the same
key, so both give one order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
# What a walk keeps for the next page's (Memo): the groups it split, a few MB.
MEMO_BYTES = 8 * 1024 * 1024
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


class Memo:
    """What walks over one set of lines learnt about its groups - how far they
    go on alike, how they split, their order once read - so that the next
    page's walk takes the same path without looking again.  A group is known
    by its depth, first line and size: groups at one depth are disjoint.
    It holds at most MEMO_BYTES of lines, and counts as that much in a cache."""

    nbytes = MEMO_BYTES

    def __init__(self) -> None:
        self._known: dict[tuple[int, int, int], tuple] = {}
        self._held = 0

    def get(self, key: tuple[int, int, int]) -> tuple | None:
        return self._known.get(key)

    def put(self, key: tuple[int, int, int], value: tuple) -> None:
        held = sum(part.nbytes for part in value if isinstance(part, np.ndarray)) + \
            sum(g.nbytes for part in value if isinstance(part, list) for _, g in part)
        if self._held + held <= MEMO_BYTES:
            self._known[key] = value
            self._held += held


class _Walk:
    """One page's walk over the lines of ``places`` (indexes into its arrays)."""

    def __init__(self, places: Places, right: bool, width: int, keys_of: Callable[[np.ndarray], list[str]],
                 memo: Memo):
        self.places, self.right, self.width, self.keys_of, self.memo = places, right, width, keys_of, memo

    def lines(self, idx: np.ndarray, depth: int, known: np.ndarray, lo: int, hi: int) -> np.ndarray:
        """Lines lo..hi, in sort order, of the group ``idx`` (in report
        order), whose contexts share their first ``depth`` characters; per
        line, ``known`` is the code of the last of them (at depth 0, of the
        match's own character beside the context)."""
        if hi <= lo:
            return idx[:0]
        if depth == self.width:  # equal contexts: report order
            return idx[lo:hi]
        key = (depth, int(idx[0]), len(idx))
        found = self.memo.get(key)
        if found is None or (found[0] == "split" and not found[3] and sum(len(g) for _, g in found[1]) < hi):
            found = self._look(key, idx, depth, known, lo, hi)
        if found[0] == "deeper":  # every line goes on alike for a while (a formula, a repeated passage)
            return self.lines(idx, depth + found[1], np.full(len(idx), found[2]), lo, hi)
        if found[0] == "read":
            return found[1][lo:hi]
        groups, rest = found[1], found[2]
        out, offset = [], 0
        for char, group in groups:
            if offset < hi and offset + len(group) > lo:
                deeper = np.full(len(group), char)
                out.append(self.lines(group, depth + 1, deeper, max(lo - offset, 0), min(hi - offset, len(group))))
            offset += len(group)
        if offset < hi:  # the lines whose paragraph ends here, after all the others
            out.append(rest[max(lo - offset, 0):hi - offset])
        return np.concatenate(out) if out else idx[:0]

    def _look(self, key: tuple[int, int, int], idx: np.ndarray, depth: int, known: np.ndarray, lo: int,
              hi: int) -> tuple:
        """What the group is, kept in the memo: ("read", its lines sorted)
        where reading its reports costs less; ("deeper", n, code) where every
        line goes on alike for n more characters, the last ``code``; else
        ("split", groups by the next character, the lines no group took,
        whether every character was tried)."""
        if len(idx) <= max(SMALL, hi - lo):
            found: tuple = ("read", self._read(idx))
        else:
            chunked = self._by_chunk(idx, depth, known)
            shared, last, agree, there = self._shared(idx, depth, known, chunked)
            if shared:
                found = ("deeper", shared, last)
            else:
                try:
                    found = ("split", *self._split_most(idx, depth, known, chunked, agree, there, hi))
                except _ReadInstead:
                    found = ("read", self._read(idx))
        self.memo.put(key, found)
        return found

    def _read(self, idx: np.ndarray) -> np.ndarray:
        """The group sorted by its lines' keys, read from their reports."""
        if len(np.unique(self.places.ranks[idx])) > MAX_READ:
            raise Unwalkable(f"a group of more than {MAX_READ} reports")
        keys = self.keys_of(idx)
        return idx[sorted(range(len(idx)), key=keys.__getitem__)]  # stable: ties keep report order

    def _candidates(self, field: grams.ChunkField, known: int) -> tuple[np.ndarray, np.ndarray]:
        """(characters, key indexes) of the bigrams next to ``known`` in one
        chunk: those it starts (a right context) or ends (a left one)."""
        if self.right:
            i, j = field.key_span(*grams.char_range(chr(known)))
            chars = (np.asarray(field.keys[i:j]) & np.uint64(_LOW)).astype(np.int64)
            keep = chars != 0  # (known, end of line): that paragraph ends here
            return chars[keep], np.arange(i, j, dtype=np.int64)[keep]
        firsts = field.first_chars
        found = field.find_many((firsts << np.uint64(grams.SHIFT)) | np.uint64(known))
        keep = found >= 0
        return firsts[keep].astype(np.int64), found[keep]

    def _at(self, idx: np.ndarray, depth: int) -> np.ndarray:
        """Where the key holding the lines' context character ``depth`` (and
        the one before it) starts."""
        p = self.places
        return p.starts[idx] + (p.lengths[idx] - 1 + depth) if self.right else p.starts[idx] - 1 - depth

    def _by_chunk(self, idx: np.ndarray, depth: int, known: np.ndarray) -> dict[int, _Lines]:
        """The lines of each chunk beside each character (``known``), ready
        to look up the keys holding their context character ``depth``."""
        at = self._at(idx, depth)
        pair = (self.places.chunks[idx] << grams.SHIFT) | known
        out = {}
        for c in np.unique(pair).tolist():
            mine = np.flatnonzero(pair == c)
            field = self.places.fields[c >> grams.SHIFT]
            wanted, back = np.unique(at[mine], return_inverse=True)
            docs = np.searchsorted(field.doc_start, wanted, side="right") - 1
            out[c] = _Lines(mine, wanted, back, docs, np.unique(docs), field, c & _LOW)
        return out

    def _shared(self, idx: np.ndarray, depth: int, known: np.ndarray,
                lines: dict[int, _Lines]) -> tuple[int, int, np.ndarray | None, int]:
        """How many more context characters every line of the group shares,
        and the code of the last; where they part at once, which lines go on
        with the character one line has there, and that character.  One
        line's context is read, and each of its characters checked against
        every line in the layer (ChunkField.holds): one character, then two,
        four and so on at a time, as a shared run may be long or end at once."""
        if (known != known[0]).any():
            return 0, 0, None, 0
        run = self.keys_of(idx[:1])[0][depth:].removesuffix(EDGE)
        codes = np.array([int(known[0]), *map(ord, run)], np.int64)
        before, after = (codes[:-1], codes[1:]) if self.right else (codes[1:], codes[:-1])
        keys = (before << grams.SHIFT) | after  # step s: the bigram of context characters s - 1 and s
        sign = 1 if self.right else -1
        checked, batch = 0, 1
        while checked < len(run):
            steps = np.arange(checked, min(checked + batch, len(run)))
            agree = np.zeros((len(steps), len(idx)), bool)
            for group in lines.values():
                at = group.wanted[None, :] + sign * steps[:, None]
                found = group.field.holds(group.field.find_many(keys[steps]), at, group.docs)
                agree[:, group.mine] = found[:, group.back]
                budget.check()
            parted = np.flatnonzero(~agree.all(axis=1))
            if len(parted):
                step = int(steps[parted[0]])
                return step, int(codes[step]), agree[parted[0]], int(codes[step + 1])
            checked += len(steps)
            batch *= 2
        return len(run), int(codes[-1]), None, 0

    def _split_most(self, idx: np.ndarray, depth: int, known: np.ndarray, lines: dict[int, _Lines],
                    agree: np.ndarray | None, char: int, need: int) -> tuple[list[tuple[int, np.ndarray]],
                                                                             np.ndarray, bool]:
        """:meth:`_split`, but where most lines are known to go on with one
        character (``agree``), only the others are split - all of them, in
        their own reports, which is cheap while they are few - and the many
        take their place among them."""
        if agree is None or 2 * np.count_nonzero(agree) < len(idx):
            return self._split(idx, lines, need)
        others = ~agree
        groups, rest, _ = self._split(idx[others], self._by_chunk(idx[others], depth, known[others]),
                                      int(np.count_nonzero(others)))
        at = sum(1 for c, _ in groups if c < char)
        return [*groups[:at], (char, idx[agree]), *groups[at:]], rest, True

    def _split(self, idx: np.ndarray, lines: dict[int, _Lines],
               need: int) -> tuple[list[tuple[int, np.ndarray]], np.ndarray, bool]:
        """The groups of ``idx`` by their next context character, ascending,
        until they hold ``need`` lines; the lines no group took (those
        whose paragraph ends, when every character was tried); and whether
        every character was.  Characters
        are tried a window at a time (16, then twice as many each time), each
        window's bigrams read in one gather per chunk (``lines``: the
        group's lines by chunk, :meth:`_by_chunk`)."""
        candidates = {c: self._candidates(group.field, group.beside) for c, group in lines.items()}
        chars = np.unique(np.concatenate([found[0] for found in candidates.values()]))
        char_of = np.full(len(idx), -1, np.int64)
        allowance = POSITIONS_PER_REPORT * len(np.unique(self.places.ranks[idx]))
        done, window, total, spent = 0, 16, 0, 0
        while done < len(chars) and total < need:
            lo, hi = int(chars[done]), int(chars[min(done + window, len(chars)) - 1])
            for c, (their_chars, keys) in candidates.items():
                group = lines[c]
                inside = (their_chars >= lo) & (their_chars <= hi)
                if not inside.any() or (char_of[group.mine] >= 0).all():
                    continue
                positions, owner = group.field.many_positions(keys[inside], group.reports)
                spent += len(positions)
                if spent > allowance:
                    raise _ReadInstead
                budget.check()
                # A window's characters are new to every line, so what is found here was not found before.
                which, hit = group.lookup(positions)
                found = np.full(len(group.wanted), -1, np.int64)
                found[which[hit]] = their_chars[inside][owner[hit]]
                found = found[group.back]
                char_of[group.mine[found >= 0]] = found[found >= 0]
            done += window
            window *= 2
            total = int(np.count_nonzero(char_of >= 0))
        taken = np.flatnonzero(char_of >= 0)
        ordered = taken[np.argsort(char_of[taken], kind="stable")]  # by character, report order within
        bounds = np.flatnonzero(np.diff(char_of[ordered])) + 1
        groups = [(int(char_of[run[0]]), idx[run]) for run in np.split(ordered, bounds) if len(run)]
        return groups, idx[char_of < 0], done >= len(chars)


@dataclass
class _Lines:
    """A group's lines in one chunk beside one character: their places in the
    group, the distinct key positions to look up (and each line's among them)
    and their reports (chunk-local), the reports they are in."""

    mine: np.ndarray
    wanted: np.ndarray
    back: np.ndarray
    docs: np.ndarray  # the report of each wanted position
    reports: np.ndarray
    field: grams.ChunkField
    beside: int

    def lookup(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each of ``positions``, its place in ``wanted`` and whether it
        is wanted here: the positions are looked up among the lines' (sorted
        once; two terms found at one place share theirs)."""
        which = np.minimum(np.searchsorted(self.wanted, positions), len(self.wanted) - 1)
        return which, self.wanted[which] == positions


def page(places: Places, sort: str, width: int, start: int, stop: int,
         keys_of: Callable[[np.ndarray], list[str]], memo: Memo | None = None) -> np.ndarray:
    """Indexes into ``places`` (report order) of lines start..stop sorted by
    ``sort`` context.  ``keys_of`` gives the :func:`context_key` of lines
    (indexes), reading their reports: it is asked only about small groups.
    ``memo`` is what earlier pages' walks over these places and sort learnt."""
    right = sort == "right"
    beside = np.array([ord(s[-1] if right else s[0]) for s in places.strings], np.int64)
    every = np.arange(len(places.ranks))
    walk = _Walk(places, right, width, keys_of, memo if memo is not None else Memo())
    return walk.lines(every, 0, beside[places.terms], start, min(stop, len(every)))
