"""The query language's help page (issue 16, item 9): every field the parser
knows is explained, and every example it shows parses."""

from __future__ import annotations

import html
import re

from govsearch.search.query import FIELDS, parse


def test_the_help_page_explains_every_field_and_its_examples_parse(client):
    response = client.get("/help")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    examples = [html.unescape(code) for code in re.findall(r"<code>(.*?)</code>", page)]
    for field in FIELDS:
        assert any(e.startswith(f"{field}:") or f" {field}:" in e for e in examples), field
    for example in examples:
        if "/" not in example:  # file names such as seeds/measures.txt are no queries
            parse(example if any(c not in "-:" for c in example) else f"法治 {example}")
    assert 'href="/help"' in client.get("/").get_data(as_text=True)  # every page's footer links it
