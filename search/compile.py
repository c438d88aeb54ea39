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


def loose_query(term: Term) -> wq.Query:
    """All of the term's bigrams anywhere in the text (or the title): a
    superset of the exact matches that needs no position checks.  Plain
    terms use it for recall where segmentation cut differently; the phrase
    check per candidate made common plain words several times slower."""
    bigrams = exact_terms(term.folded)
    if len(bigrams) <= 1:
        return exact_query(term)
    return wq.Or([wq.And([wq.Term(f, b) for b in dict.fromkeys(bigrams)]) for f in EXACT_FIELDS])


def term_query(term: Term) -> wq.Query:
    words = term.words()
    if not words:
        return exact_query(term)
    return wq.Or([wq.And([word_query(w) for w in words]), loose_query(term)])


def match_query(parsed: ParsedQuery) -> wq.Query:
    """AND of the OR-groups, minus the exclusions (everything when only
    filters were given)."""
    positive: wq.Query = (wq.And([wq.Or([term_query(t) for t in group]) for group in parsed.groups])
                          if parsed.groups else wq.Every())
    if parsed.excluded:
        return wq.AndNot(positive, wq.Or([exact_query(t) if t.exact else term_query(t)
                                          for t in parsed.excluded]))
    return positive


# Facet name → the sortable column it counts and filters.
FACET_FIELDS = {"year": "report_year", "level": "level", "province": "province", "doc_type": "doc_type"}

Selection = dict[str, "list | None"]


def selection(filters: Filters, province_values: list[str]) -> Selection:
    """Selected values per facet, None where nothing is selected.  Provinces
    are the indexed names the user's prefixes resolved to (maybe none)."""
    return {"year": filters.years or None, "level": filters.levels or None,
            "province": province_values if filters.provinces else None,
            "doc_type": filters.doc_types or None}


def filter_query(chosen: Selection, skip: str = "") -> wq.Query | None:
    """Values of one facet OR, facets AND; ``skip`` leaves one facet out, so
    that its own counts are not narrowed by its own selection."""
    parts: list[wq.Query] = []
    for name, values in chosen.items():
        if values is None or name == skip:
            continue
        column = FACET_FIELDS[name]
        if not values:
            parts.append(wq.NullQuery)
        elif name == "year":
            parts.append(wq.Or([wq.NumericRange(column, v, v) for v in values]))
        else:
            parts.append(wq.Or([wq.Term(column, v) for v in values]))
    return wq.And(parts) if parts else None


def passes(fields: dict, chosen: Selection, skip: str = "") -> bool:
    """The same filters over a stored record (for matches checked in Python)."""
    return all(name == skip or values is None or fields.get(FACET_FIELDS[name]) in values
               for name, values in chosen.items())
