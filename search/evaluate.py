"""A parsed query over a View: match set, scores, occurrences, facets, order.

Everything is an array over docnums, so the cost of a query grows with the
number of distinct terms and chunks, not with one Python step per match.

Semantics (the same as the query language documents):
- an exact term matches where its folded text is a substring of the folded
  title or text; it is scored like a BM25 term whose frequency is its
  occurrence count;
- a plain term matches where all of its jieba words occur, or where it
  occurs as a substring, and is scored by Whoosh's BM25F over its words
  (title words count three times);
- terms of a group OR, groups AND, exclusions remove, and only live
  documents count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from govsearch.search import budget
from govsearch.search.accel import View
from govsearch.search.query import ParsedQuery, Term
from govsearch.search.selection import FACETS, Selection

TITLE_BOOST = 3.0


@dataclass
class Match:
    mask: np.ndarray  # bool per docnum
    scores: np.ndarray  # float per docnum
    occurrences: np.ndarray  # exact occurrences of the positive terms in title and text, per docnum
    in_text: np.ndarray  # the same, in the text only (concordance lines)


@dataclass
class TermMatch:
    mask: np.ndarray
    scores: np.ndarray
    occurrences: np.ndarray
    in_text: np.ndarray


def _exact_term(view: View, term: Term) -> TermMatch:
    in_text = view.substring_counts(term.folded, "text")
    in_title = view.substring_counts(term.folded, "title")
    occurrences = in_text + in_title
    found = occurrences > 0
    scores = np.zeros(view.n)
    idf = view.idf_of_count(int(np.count_nonzero(found)))
    for field, counts, boost in (("text", in_text, 1.0), ("title", in_title, TITLE_BOOST)):
        docs = np.flatnonzero(counts)
        scores[docs] += boost * view.bm25(field, docs, counts[docs].astype(np.float64), idf)
    return TermMatch(found, scores, occurrences, in_text)


def contains(view: View, text: str) -> np.ndarray:
    """The reports whose title or text contains ``text`` as an exact term."""
    return _term(view, Term(text, exact=True), True).mask


def _plain_term(view: View, term: Term, words: list[str], counts: bool) -> TermMatch:
    """Every word, or the whole term as a substring.  Without ``counts`` the
    substring layer is asked only about reports the words did not match."""
    scores = np.zeros(view.n)
    every_word = np.ones(view.n, dtype=bool)
    for word in words:
        has = np.zeros(view.n, dtype=bool)
        for field, boost in (("title", TITLE_BOOST), ("text", 1.0)):
            docs, word_scores = view.word_scores(field, word)
            has[docs] = True
            scores[docs] += boost * word_scores  # a posting list names each document once
        every_word &= has
    skip = None if counts else every_word | ~view.live
    in_text = view.substring_counts(term.folded, "text", skip)
    in_title = view.substring_counts(term.folded, "title", skip)
    return TermMatch(every_word | (in_text + in_title > 0), scores, in_text + in_title, in_text)


def _term(view: View, term: Term, counts: bool) -> TermMatch:
    """A term's arrays, remembered by the view: the instruments one user
    opens in turn (the results, the distribution, the diffusion, the
    collocates of one query) match the same terms over the same generation.
    Complete counts serve a caller that needs none too."""
    for key in ((term, True), (term, counts)):
        found = view.terms.get(key)
        if found is not None:
            return TermMatch(*found)
    words = term.words()
    match = _plain_term(view, term, words, counts) if words else _exact_term(view, term)
    view.terms.put((term, counts), (match.mask, match.scores, match.occurrences, match.in_text))
    return match


def evaluate(view: View, parsed: ParsedQuery, counts: bool = True) -> Match:
    """The reports a query matches (live ones only), with scores.  Exact
    occurrence counts of plain terms cost more than their match set; without
    ``counts`` they are left incomplete (only exact terms' are kept)."""
    mask = view.live.copy()
    scores = np.zeros(view.n)
    occurrences = np.zeros(view.n, dtype=np.int64)
    in_text = np.zeros(view.n, dtype=np.int64)
    cache: dict[Term, TermMatch] = {}

    def term(t: Term) -> TermMatch:
        if t not in cache:
            budget.check()
            cache[t] = _term(view, t, counts)
        return cache[t]

    for group in parsed.groups:
        either = np.zeros(view.n, dtype=bool)
        for t in group:
            m = term(t)
            either |= m.mask
            scores += np.where(m.mask, m.scores, 0.0)
        mask &= either
    for t in parsed.terms:  # each text once, however often the query names it
        occurrences += term(t).occurrences
        in_text += term(t).in_text
    for t in parsed.excluded:
        mask &= ~term(t).mask
    return Match(mask, np.where(mask, scores, 0.0), occurrences, in_text)


def filter_mask(view: View, chosen: Selection, skip: str = "") -> np.ndarray:
    """Values of one facet OR, facets AND; ``skip`` leaves one facet out."""
    mask = np.ones(view.n, dtype=bool)
    for name, values in chosen.items():
        if values is None or name == skip:
            continue
        mask &= FACETS[name].mask(view, values)
    return mask


def collapse(view: View, mask: np.ndarray, enabled: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(kept docnums ascending, near-duplicates collapsed under each).  The
    earliest-indexed match of each group is kept.  Only reports that have
    near-duplicates at all are grouped (by a sort); the rest pass as they are."""
    docs = np.flatnonzero(mask)
    if not enabled or not len(docs):
        return docs, np.zeros(len(docs), dtype=np.int64)
    grouped = docs[view.grouped[docs]]
    if not len(grouped):
        return docs, np.zeros(len(docs), dtype=np.int64)
    _, first, counts = np.unique(view.columns["dup_group"].codes[grouped], return_index=True, return_counts=True)
    singles = docs[~view.grouped[docs]]
    kept = np.concatenate([singles, grouped[first]])
    extra = np.concatenate([np.zeros(len(singles), dtype=np.int64), counts - 1])
    order = np.argsort(kept, kind="stable")
    return kept[order], extra[order]


def facet_counts(view: View, mask: np.ndarray, chosen: Selection, enabled: bool) -> dict[str, tuple[dict, int]]:
    """Counts per facet value of the (collapsed) matches, each facet ignoring
    its own selection so that its other values keep their counts; and how
    many known values each facet has."""
    out = {}
    unselected = None  # every facet with nothing selected counts the same (collapsed) matches
    for name, facet in FACETS.items():
        if chosen.get(name) is None:
            if unselected is None:
                unselected, _ = collapse(view, mask & filter_mask(view, chosen), enabled)
            kept = unselected
        else:
            kept, _ = collapse(view, mask & filter_mask(view, chosen, skip=name), enabled)
        out[name] = facet.tally(view, kept)
    return out


def order(view: View, docs: np.ndarray, match: Match, sort: str, limit: int | None) -> np.ndarray:
    """``docs`` in result order (the first ``limit`` of them when given)."""
    if not len(docs):
        return docs
    scores = match.scores[docs]
    first = scores if sort == "relevance" else match.occurrences[docs] if sort == "occurrences" else None
    if first is not None and limit is not None and len(docs) > 4 * limit:
        # Only documents at least as high as the limit-th best on the first key can be on the page.
        threshold = -np.partition(-first, limit - 1)[limit - 1]
        keep = first >= threshold
        docs, scores = docs[keep], scores[keep]
    year = view.year[docs]
    published = view.columns["publish_date"].codes[docs]
    if sort == "relevance":
        keys = (docs, -scores)
    elif sort == "year":  # newest year first, by relevance within a year
        keys = (docs, -scores, -year)
    elif sort == "occurrences":
        keys = (docs, -scores, -year, -match.occurrences[docs])
    elif sort == "newest":  # reports of no known year last, in both directions
        keys = (docs, -published, -year, year == 0)
    else:  # oldest
        keys = (docs, published, year, year == 0)
    ranked = docs[np.lexsort(keys)]
    return ranked if limit is None else ranked[:limit]
