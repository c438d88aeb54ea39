"""A collocate's click-through: the concordance lines that hold a word
within ``window`` characters of the match (``near=``), checked against
every line of the plain concordance filtered by hand."""

from __future__ import annotations

import re

import pytest

from govsearch.search.kwic import Near
from tests.test_context_sort import oracle_key


@pytest.mark.parametrize(("q", "word", "window"), [("法治", "建设", 2), ("法治", "政府", 5), ("执法", "行政", 1),
                                                   ("营商环境", "优化", 10)])
def test_near_lines_are_the_plain_lines_with_the_word_nearby(engine, q, word, window):
    plain = list(engine.concordance(q, everything=True, width=60)["lines"])
    texts = {r["id"]: r["text"] for r in engine.stored_reports()}
    expected = []
    for line in plain:
        text, start, end = texts[line.report["id"]], line.position, line.position + len(line.match)
        found = [m.span() for m in re.finditer(re.escape(word), text)]
        if any(start - window < hi <= start or end <= lo < end + window for lo, hi in found):
            expected.append((line.report["id"], line.position))
    got = engine.concordance(q, everything=True, width=60, near=Near(word, window))
    assert [(line.report["id"], line.position) for line in got["lines"]] == expected
    assert got["total"] == len(expected) and got["reports"] == len({i for i, _ in expected})


def test_near_pages_and_reaches_the_api(client, engine):
    whole = engine.concordance("法治", everything=True, near=Near("建设", 3))
    api = client.get("/api/concordance", query_string={"q": "法治", "near": "建设", "window": 3,
                                                        "per_page": 4, "page": 2}).get_json()
    assert api["total"] == whole["total"] and [line["position"] for line in api["lines"]] == [
        line.position for line in whole["lines"][4:8]]
    assert all("建设" in line["left"][-4:] + "|" + line["right"][:4] for line in api["lines"])
    html = client.get("/concordance", query_string={"q": "法治", "near": "建设", "window": 3}).get_data(as_text=True)
    assert "kwic-near" in html and f">{whole['total']}<" in html
    for bad in ({"near": "、"}, {"near": "建设", "window": 0}, {"near": "建设", "window": 51}):
        assert client.get("/api/concordance", query_string={"q": "法治", **bad}).status_code == 400


@pytest.mark.parametrize("sort", ["left", "right"])
def test_near_lines_sorted_by_context_are_those_lines_in_context_order(engine, sort):
    near = Near("建设", 3)
    lines = list(engine.concordance("法治", everything=True, width=20, near=near)["lines"])
    texts = {record["id"]: record["text"] for record in engine.iter_matches("法治")[2]}

    def context(line):
        return oracle_key(texts[line.report["id"]], line.position, line.position + len(line.match), sort, 20)
    got = engine.concordance("法治", everything=True, width=20, near=near, sort=sort)["lines"]
    assert len(lines) > 10
    assert [line.to_dict() for line in got] == [line.to_dict() for line in sorted(lines, key=context)]
