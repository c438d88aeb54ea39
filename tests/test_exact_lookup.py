"""Named measures: exact lookup, plain words, sections, aliases - on the seeds."""

from pathlib import PurePosixPath

import pytest

from govsearch.search.query import Filters


def prefixes(result):
    return sorted(PurePosixPath(h.fields["source"]).name[:3] for h in result.hits)


@pytest.mark.parametrize("query, expected", [
    ("蒙速办", ["000"]),
    ('"双随机、一公开"', ["001", "002", "004"]),
    ('"双随机一公开"', ["001", "002", "004"]),  # punctuation inside the phrase does not matter
    ("“双随机、一公开”", ["001", "002", "004"]),  # Chinese quotes
    ('"枫桥经验"', ["002", "004"]),
    ("枫桥", ["001", "002", "004"]),
    ('"三项制度"', ["000", "001", "002"]),
    ('"蒙速辦"', ["000"]),  # traditional input
])
def test_measures(engine, query, expected):
    assert prefixes(engine.search(query, per_page=20)) == expected


def test_exact_mode_ranks_by_occurrences(engine):
    result = engine.search("双随机、一公开", exact=True, per_page=20)
    assert prefixes(result) == ["001", "002", "004"]
    counts = {PurePosixPath(h.fields["source"]).name[:3]: h.occurrences for h in result.hits}
    assert counts == {"001": 3, "002": 1, "004": 2}  # 001 spells it with and without 、
    assert [h.occurrences for h in result.hits] == sorted(counts.values(), reverse=True)
    assert result.sort == "occurrences"
    # Every occurrence is highlighted, whichever way it is spelled.
    assert any("<mark>双随机一公开</mark>" in s or "<mark>双随机、一公开</mark>" in s
               for h in result.hits for s in h.snippets)


def test_exact_and_plain_recall_equal_substring_scan(engine):
    from govsearch.index.normalize import fold
    for phrase in ("营商环境", "执法", "行政复议", "一件事一次办", "法", "治", "区"):
        result = engine.search(f'"{phrase}"', per_page=100)
        ids = {h.fields["id"] for h in result.hits}
        scan = {r["id"] for r in engine.stored_reports()
                if any(fold(phrase) in fold(line) for line in f"{r['title']}\n{r['text']}".split("\n"))}
        assert ids == scan, phrase


def test_single_character_lookup(engine):
    assert prefixes(engine.search('"旗"')) == ["004"]
    assert len(engine.search('"法"').hits) == 5


def test_or_and_exclusion(engine):
    assert prefixes(engine.search("蒙速办 OR 枫桥经验")) == ["000", "002", "004"]
    assert prefixes(engine.search("法治 -枫桥")) == ["000", "003"]
    assert prefixes(engine.search('法治 -"双随机、一公开"')) == ["000", "003"]


def test_field_filters_in_the_query(engine):
    assert prefixes(engine.search("法治 year:2022")) == ["000", "003"]
    assert prefixes(engine.search("法治 year:2021-2022")) == ["000", "001", "003"]
    assert prefixes(engine.search("法治 level:乡镇级")) == ["003"]
    assert prefixes(engine.search("法治 province:山东")) == ["002", "003"]
    assert prefixes(engine.search("法治 province:内蒙")) == ["000", "004"]
    assert prefixes(engine.search("法治 type:other")) == ["004"]
    assert prefixes(engine.search("法治 province:山东", Filters(years=[2024]))) == ["002"]
    assert engine.search("year:2024").total == 1  # filters alone list reports


def test_section_scope(engine):
    from govsearch.index.clean import clean_file
    from tests.conftest import seed_path
    result = engine.search("section:shortcomings 执法人员", per_page=20)
    for hit in result.hits:
        assert [s["kind"] for s in hit.sections if s["kind"] == "shortcomings"]
    # Checked against the text: exactly the reports whose shortcomings section says it.
    expected = []
    for seed in ("000", "001", "002", "003", "004"):
        report = clean_file(seed_path(seed))
        if any("执法人员" in report.text[s.start:s.end] for s in report.sections if s.kind == "shortcomings"):
            expected.append(seed)
    assert prefixes(result) == expected and expected
    everywhere = prefixes(engine.search("执法人员", per_page=20))
    assert set(expected) < set(everywhere)  # some reports mention it elsewhere only


def test_hits_say_which_section_matched(engine):
    hits = {PurePosixPath(h.fields["source"]).name[:3]: h for h in engine.search('"枫桥经验"').hits}
    from govsearch.index.clean import clean_file
    from tests.conftest import seed_path
    report = clean_file(seed_path("002"))
    expected = [{"heading": s.heading, "kind": s.kind} for s in report.sections
                if "枫桥经验" in report.text[s.start:s.end]]
    assert hits["002"].sections == expected and expected
    assert hits["004"].sections == []  # a feature article has no report sections


def test_alias_expansion_is_explicit(engine):
    plain = engine.search('"放管服"', per_page=20)
    expanded = engine.search('"放管服"', per_page=20, expand=True)
    assert {h.fields["id"] for h in plain.hits} <= {h.fields["id"] for h in expanded.hits}
    assert len(expanded.parsed.groups[0]) > 1  # the aliases were ORed in
    assert len(plain.parsed.groups[0]) == 1  # and only when asked


def test_phrases_do_not_cross_paragraph_breaks(tmp_path):
    from govsearch.index.build import ingest
    from govsearch.search.engine import Engine
    corpus = tmp_path / "c"
    corpus.mkdir()
    text = ("某县2023年度法治政府建设情况报告\n全面推行蒙速办\n办理事项一百件。\n"  # and a report's length:
            "本年度，县政府坚持依法行政，加快建设法治政府，各项工作取得积极成效，群众满意度持续提升。")
    (corpus / "a.txt").write_text(text, encoding="utf-8")
    ingest([corpus], tmp_path / "ix")
    engine = Engine(tmp_path / "ix")
    assert engine.search('"蒙速办"').total == 1
    assert engine.search('"蒙速办办理"').total == 0  # the break between paragraphs is not ignored
    assert engine.search('"蒙速办，办理"', exact=True).total == 0


def test_plain_terms_keep_their_recall_without_phrase_checks(engine):
    """A plain term is found as words or as all of its bigrams; every report
    that contains it as a substring is among the hits."""
    from govsearch.index.normalize import fold
    for term in ("营商环境", "法治政府建设", "行政执法", "蒙速办"):
        ids = {h.fields["id"] for h in engine.search(term, per_page=100).hits}
        scan = {r["id"] for r in engine.stored_reports() if fold(term) in fold(r["text"])}
        assert scan <= ids, term
