"""Property: exact lookup finds exactly what a substring scan finds.

Random corpora are recombined from the seeds' sentences (some end a
paragraph); random queries are substrings of them (1-8 characters, so they
cut words, digits, punctuation and line breaks anywhere).  The index's hit
set must equal a plain substring scan of the folded paragraphs, every time:
punctuation and spacing inside a phrase are ignored, a paragraph break is not.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govsearch.index.build import write_reports
from govsearch.index.clean import clean_file
from govsearch.index.normalize import fold
from govsearch.index.report import Report
from govsearch.search.engine import Engine
from tests.conftest import seed_path

SENTENCES = sorted({s for seed in ("000", "001", "002", "003", "004")
                    for s in re.split(r"(?<=[。；！？\n])", clean_file(seed_path(seed)).text) if len(s) > 4})


def build(texts: list[str]) -> Engine:
    directory = Path(tempfile.mkdtemp(prefix="govsearch-prop-"))
    write_reports(directory / "ix", (Report(id=f"{i:040d}", source=f"doc{i}", text=text)
                                     for i, text in enumerate(texts)))
    return Engine(directory / "ix")


corpora = st.lists(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6).map("".join),
                   min_size=2, max_size=8)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=corpora, data=st.data())
def test_exact_lookup_equals_substring_scan(texts, data):
    engine = build(texts)
    paragraphs = [[fold(line) for line in t.split("\n")] for t in texts]
    for _ in range(6):
        source = data.draw(st.sampled_from(texts))
        start = data.draw(st.integers(0, max(0, len(source) - 1)))
        query = source[start : start + data.draw(st.integers(1, 8))]
        if not fold(query):
            continue
        expected = {f"{i:040d}" for i, lines in enumerate(paragraphs) if any(fold(query) in f for f in lines)}
        quoted = query.replace('"', "").replace("“", "").replace("”", "")
        if not fold(quoted):
            continue
        result = engine.search(f'"{quoted}"', per_page=100)
        assert {h.fields["id"] for h in result.hits} == expected, query
        assert result.total == len(expected)
