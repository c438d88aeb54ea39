"""Schemathesis hooks for tests/test_openapi_contract.py.

The spec can say what a query string may contain (its pattern) but not the
query language's grammar: an unbalanced quote or an unknown field fits the
pattern and is still a 400 that tells the user what to fix.  So generated
queries (q, and keyness's sides a and b) that the server's own parser
rejects are left out; every other
parameter and every other check run as generated.
"""

from __future__ import annotations

import re

import schemathesis

from govsearch.search.query import QueryError, parse
from govsearch.webui.contract import PATTERNS

# Parameters that hold a query in the query language: q, and keyness's two sides.
QUERIES = ("q", "a", "b")


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
    return True
