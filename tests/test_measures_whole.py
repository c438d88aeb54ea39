"""Named measures as wholes (issue 16, item 8): a plain query that is a
dictionary measure is marked whole in snippets, never as its parts (经验 in
经验做法); a report holding only its parts does not rank above - it does
not match at all; and when 包含别名 adds names, the API and the page say which."""

from __future__ import annotations

import re

from govsearch.index.analysis import dictionary_words
from govsearch.index.build import write_reports
from govsearch.index.normalize import fold
from govsearch.index.report import Report
from govsearch.search.aliases import load
from govsearch.search.engine import Engine
from govsearch.search.query import parse

WHOLE = "坚持和发展新时代枫桥经验，矛盾纠纷就地化解。本年度总结推广基层治理经验做法。"
PARTS = "枫桥镇召开会议，交流社区治理经验做法，推进平安建设。" * 2


def _marked(snippets: list[str]) -> list[str]:
    return [m for s in snippets for m in re.findall(r"<mark>(.*?)</mark>", s)]


def test_a_measure_is_marked_whole_and_its_parts_alone_do_not_match(tmp_path):
    assert fold("枫桥经验") in dictionary_words()
    write_reports(tmp_path / "ix", [Report(id="a" * 40, source="whole.txt", title="甲县报告", text=WHOLE),
                                    Report(id="b" * 40, source="parts.txt", title="乙县报告", text=PARTS)])
    result = Engine(tmp_path / "ix").search("枫桥经验", collapse=False)
    assert [h.fields["id"] for h in result.hits] == ["a" * 40]
    marked = _marked(result.hits[0].snippets)
    assert marked and set(marked) == {"枫桥经验"}  # not 经验 of 经验做法


def test_a_word_that_is_no_measure_is_still_marked_by_its_words(tmp_path):
    text = "推进政务服务标准化，提升服务效能，政务公开。"
    assert fold("政务服务效能") not in dictionary_words()
    write_reports(tmp_path / "ix", [Report(id="c" * 40, source="c.txt", title="丙县报告", text=text)])
    hits = Engine(tmp_path / "ix").search("政务服务效能").hits
    assert hits and {"政务", "服务", "效能"} & set(_marked(hits[0].snippets))


def test_the_answer_says_which_aliases_were_added(client):
    table = load()
    name = next(n for n in ("放管服", "最多跑一次", "一网通办") if fold(n) in table)
    others = [alias for alias in table[fold(name)] if fold(alias) != fold(name)]
    data = client.get("/api/search", query_string={"q": name, "expand": "1"}).get_json()
    assert data["aliases"] == others == data["parsed"]["aliases"]
    assert client.get("/api/search", query_string={"q": name}).get_json()["aliases"] == []
    assert parse(name).aliases == []
    page = client.get("/", query_string={"q": name, "expand": "1"}).get_data(as_text=True)
    assert 'id="aliases-added"' in page and all(f"<q>{alias}</q>" in page for alias in others)
