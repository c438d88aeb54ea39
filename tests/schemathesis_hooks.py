"""Schemathesis hooks for tests/test_openapi_contract.py.

The spec can say what a query string may contain (its pattern) but not the
query language's grammar: an unbalanced quote or an unknown field fits the
pattern and is still a 400 that tells the user what to fix.  So generated
queries (q, and keyness's sides a and b) that the server's own parser
rejects are left out, and so are words (a concordance's near, a panel's
terms) with no letter, digit or ideograph in them - what a portable
pattern cannot say, as Unicode's letters are not one range; every other
parameter and every other check run as generated.
"""

from __future__ import annotations

import re

import schemathesis

from govsearch.search.kwic import Near
from govsearch.search.panel import panel_terms
from govsearch.search.query import QueryError, parse
from govsearch.webui.contract import PATTERNS

# Parameters that hold a query in the query language: q, and keyness's two sides.
QUERIES = ("q", "a", "b")
# Parameters that hold words, each read by the server's own function.
WORDS = {"near": lambda value: Near.of(value, 5), "terms": panel_terms}


@schemathesis.hook
def filter_query(ctx, query) -> bool:
    for name in QUERIES:
        q = (query or {}).get(name)
        if not isinstance(q, str) or not re.search(PATTERNS[name], q) or len(q) > 500:
            continue  # absent, or not schema-valid: the server must reject it, and that is checked
        try:
            parse(q.strip())
        except QueryError:
            return False
    for name, read in WORDS.items():
        value = (query or {}).get(name)
        if isinstance(value, str) and re.search(PATTERNS[name], value):
            try:
                read(value)
            except QueryError:
                return False
    return True
