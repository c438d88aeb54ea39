"""Sections of annual reports: headings in sequence, classified by kind."""

import pytest

from govsearch.index.clean import clean_file
from govsearch.index.sections import chinese_number, classify, find_sections
from tests.conftest import seed_path


@pytest.mark.parametrize("heading, kind", [
    ("一、推进法治政府建设的主要举措和成效", "measures"),
    ("一、开展的工作", "measures"),
    ("一、法治政府建设工作开展情况", "measures"),
    ("二、党政主要负责人履行推进法治建设第一责任人职责情况", "responsibility"),
    ("二、主要负责人履行推进法治建设职责情况", "responsibility"),
    ("三、推进法治政府建设存在的不足和原因", "shortcomings"),
    ("二、存在的问题", "shortcomings"),
    ("二、法治政府建设工作中存在的问题和困难", "shortcomings"),
    ("四、2023年推进法治政府建设的主要安排", "plans"),
    ("三、下一步工作", "plans"),
    ("三、下一年度工作计划", "plans"),
    ("四、2025年工作思路", "plans"),
    ("五、其他需要报告的情况", "other"),
])
def test_classify(heading, kind):
    assert classify(heading) == kind


@pytest.mark.parametrize("seed, kinds", [
    ("000", ["measures", "shortcomings", "plans"]),
    ("001", ["measures", "shortcomings", "plans"]),
    ("002", ["responsibility", "measures", "shortcomings", "plans"]),  # headings were inline
    ("003", ["measures", "responsibility", "shortcomings", "plans"]),
    ("004", []),
])
def test_seed_sections(seed, kinds):
    report = clean_file(seed_path(seed))
    assert [s.kind for s in report.sections] == kinds
    for s in report.sections:
        assert report.text[s.start:s.end].startswith(s.heading)
    if report.sections:
        assert report.sections[-1].end == len(report.text)


def test_numbering_must_continue():
    text = "前言\n一、工作情况\n内容，其中一、二、三项\n三、不是第二节\n二、存在的问题\n内容"
    assert [s.heading for s in find_sections(text)] == ["一、工作情况", "二、存在的问题"]


def test_heading_running_into_its_paragraph_is_cut():
    (section,) = find_sections("一、主要举措和成效（一）加强领导。全年召开会议5次。")
    assert section.heading == "一、主要举措和成效"


def test_chinese_numbers():
    assert [chinese_number(s) for s in ("一", "九", "十", "十二", "二十", "二十一")] == [1, 9, 10, 12, 20, 21]
