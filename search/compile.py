"""A parsed query → the Whoosh query that finds its reports.

Exact terms are phrases of folded bigrams (see index.analysis), so their
recall equals a substring scan.  A plain term matches its jieba words - which
rank the results - or, when segmentation cut the document differently, its
exact text.
"""

from __future__ import annotations

from whoosh import query as wq

from index.analysis import END, exact_terms
from search.query import Filters, ParsedQuery, Term

TITLE_BOOST = 3.0
EXACT_FIELDS = ("exact", "exact_title")


def word_query(word: str) -> wq.Query:
    return wq.Or([wq.Term("title", word, boost=TITLE_BOOST), wq.Term("text", word)])


def exact_query(term: Term) -> wq.Query:
    bigrams = exact_terms(term.folded)
    if len(bigrams) == 1 and len(bigrams[0]) == 1:  # one character: any bigram it starts
        char = bigrams[0]
        return wq.Or([q for f in EXACT_FIELDS for q in (wq.Prefix(f, char), wq.Term(f, char + END))])
    if len(bigrams) == 1:
        return wq.Or([wq.Term(f, bigrams[0]) for f in EXACT_FIELDS])
    return wq.Or([wq.Phrase(f, bigrams) for f in EXACT_FIELDS])


def term_query(term: Term) -> wq.Query:
    exact = exact_query(term)
    words = term.words()
    if not words:
        return exact
    return wq.Or([wq.And([word_query(w) for w in words]), exact])


def match_query(parsed: ParsedQuery) -> wq.Query:
    """AND of the OR-groups, minus the exclusions (everything when only
    filters were given)."""
    positive: wq.Query = (wq.And([wq.Or([term_query(t) for t in group]) for group in parsed.groups])
                          if parsed.groups else wq.Every())
    if parsed.excluded:
        return wq.AndNot(positive, wq.Or([exact_query(t) if t.exact else term_query(t)
                                          for t in parsed.excluded]))
    return positive


def filter_query(filters: Filters, province_values: list[str]) -> wq.Query | None:
    """Facet filters; values of one facet OR, facets AND.  ``province_values``
    are the indexed province names the user's prefixes resolved to."""
    parts: list[wq.Query] = []
    if filters.years:
        parts.append(wq.Or([wq.NumericRange("report_year", y, y) for y in filters.years]))
    if filters.provinces:
        parts.append(wq.Or([wq.Term("province", v) for v in province_values]) if province_values
                     else wq.NullQuery)
    for name, values in (("level", filters.levels), ("doc_type", filters.doc_types)):
        if values:
            parts.append(wq.Or([wq.Term(name, v) for v in values]))
    return wq.And(parts) if parts else None
