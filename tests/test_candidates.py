"""New-measure candidates: the extractor (index.phrases) on real texts labelled by
reading them (tests/data/measure_candidates.tsv), and search.candidates over an
index this test builds, against a hand count and a brute-force scan."""

from __future__ import annotations

import csv
import functools
from collections import Counter
from pathlib import Path

import opencc
import pytest

from govsearch.config import PROJECT_ROOT
from govsearch.index.build import ingest
from govsearch.index.clean import clean_file
from govsearch.index.normalize import fold, normalize_text
from govsearch.index.phrases import phrases
from govsearch.search.candidates import candidates
from govsearch.search.engine import Engine
from govsearch.search.query import Filters

LABELS = Path(__file__).parent / "data" / "measure_candidates.tsv"
# Measured when the labels were given: 0.55 of the distinct phrases are measures, 0.74 measures or
# fixed formulas (docs in the TSV's header); the floors leave room for dictionary growth.
MIN_MEASURES, MIN_NAMES = 0.50, 0.70
# Phrases the labels do not know yet (a changed cleaner, a new rule) that may come out before the test fails.
MAX_UNLABELLED = 5


def _rows() -> list[dict[str, str]]:
    lines = [line for line in LABELS.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@functools.cache
def _text(file: str) -> str | None:
    """The labelled file's text as the index stores it; None when it is absent (../shared)."""
    path = (PROJECT_ROOT / file).resolve()
    return clean_file(path).text if path.is_file() else None


def _surfaces(file: str) -> set[str]:
    return {p.surface for p in phrases(_text(file))}


LABELLED = [row for row in _rows() if _text(row["file"]) is not None]


def test_the_labels_cover_every_shape_and_file_kind():
    labels = Counter(row["label"] for row in LABELLED)
    assert labels["Y"] > 150 and labels["N"] > 50 and labels["X"] >= 20, labels
    assert {p.shape for row in LABELLED if row["label"] == "Y" for p in phrases(_text(row["file"]))} == \
        {"quoted", "plus", "paired", "place"}


def test_every_labelled_measure_comes_out_of_its_text():
    missing = [(row["phrase"], row["file"]) for row in LABELLED
               if row["label"] == "Y" and row["phrase"] not in _surfaces(row["file"])]
    assert not missing, missing


def test_the_refused_strings_stay_out():
    for row in (r for r in LABELLED if r["label"] == "X"):
        text = _text(row["file"])
        assert row["phrase"] in text, row  # the test means something: the string is there
        found = phrases(text)
        assert fold(row["phrase"]) not in {p.key for p in found}, (row, [p.surface for p in found])


def test_precision_on_the_labelled_texts():
    label = {fold(row["phrase"]): row["label"] for row in LABELLED if row["label"] != "X"}
    keys = {p.key: p.surface for file in {row["file"] for row in LABELLED} for p in phrases(_text(file))}
    unlabelled = sorted(surface for key, surface in keys.items() if key not in label)
    assert len(unlabelled) <= MAX_UNLABELLED, f"label these in {LABELS.name}: {unlabelled}"
    counts = Counter(label.get(key, "N") for key in keys)
    assert counts["Y"] / len(keys) >= MIN_MEASURES, counts
    assert (counts["Y"] + counts["F"]) / len(keys) >= MIN_NAMES, counts


# ---------------------------------------------------------------- the shapes, one sentence each
# Sentences from the labelled texts (file named), some with a variant spelt in.
@pytest.mark.parametrize(("sentence", "expected"), [
    # index/data/reports/a/zj-hangzhou-qingbo-2023-fzzf.txt: a quoted name before 活动
    ("积极开展民营企业“法治体检”活动，组织律师和基层", [("法治体检", "quoted")]),
    # seeds/000_…: a series with 、, folded to one key; the 蒙速办 dictionary word does not hide its sub-brand
    ("推行政务服务便民热线“一号响应、接诉即办”，共计梳理“蒙速办·一次办”105项",
     [("一号响应、接诉即办", "quoted"), ("蒙速办·一次办", "quoted")]),
    # seeds/000_…: X+Y quoted, and the same with the quote closing after the plus and a full-width plus
    ("大力发展“互联网+政务服务”，推进“互联网+”监管和互联网＋医疗健康服务",
     [("互联网+政务服务", "plus"), ("互联网+监管", "plus"), ("互联网＋医疗健康", "plus")]),
    # index/data/reports/a/sd-zibo-2017-fzzf.txt: 一X一Y unquoted, and a place name before 经验
    ("坚持用好一月一调度、一月一督察。国务院先后两次发文对淄博经验进行通报表扬",
     [("一月一调度", "paired"), ("一月一督察", "paired"), ("淄博经验", "place")]),
    # seeds/004_…: a bare number quoted before a kind noun names it
    ("实施法治宣传“1155”工程", [("1155工程", "quoted")]),
    # refused: a dictionary word beside its quote, an account, a scare-quoted word, a period, a count, a sum
    ("实施“八五”普法规划，通过微信公众号“深圳司法”发布信息，当好“桥头堡”", []),
    ("“十四五”开局，做到“两个”，“五大战略”，“98天+2个月”的产假，医疗收支结余=医疗收入+财政补助收入", []),
])
def test_each_shape_on_a_sentence(sentence, expected):
    assert [(p.surface, p.shape) for p in phrases(normalize_text(sentence)[0])] == expected


def test_spellings_of_one_measure_share_a_key():
    spellings = ["“谁公开、谁负责”", '"谁公开谁负责"', "「谁公开、谁负责」", "『谁公开·谁负责』"]
    keys = {p.key for s in spellings for p in phrases(normalize_text(s)[0])}
    assert keys == {"谁公开谁负责"}
    traditional = normalize_text("開展“法治體檢”活動")[0]  # the index stores simplified text
    assert [p.key for p in phrases(traditional)] == ["法治体检"]


# ---------------------------------------------------------------- candidates over an index
# Five reports and a traditional-script mirror of the first (collapsed, as search collapses it).
def _report(*lines: str) -> str:
    return "\n".join(lines) + "\n"


REPORTS = {
    "r1.txt": _report(
        "五原县人民政府关于2021年度法治政府建设情况的报告",
        "2021年，五原县坚持以习近平法治思想为指导，扎实推进法治政府建设，现将有关情况报告如下。",
        "一、主要举措和成效",
        "积极开展民营企业“法治体检”活动，组织律师走访企业八十余家，深化“法治体检”，"
        "建立问题清单和整改台账。推行“周六不休息”延时服务，方便群众办事。大力发展互联网+监管，提升监管效能。",
        "二、存在的问题", "基层执法力量仍显薄弱，执法人员专业化水平有待提高。",
        "三、下一步打算", "继续完善行政执法协调监督工作体系，推动严格规范公正文明执法。"),
    "r2.txt": _report(
        "沂源县人民政府关于2022年度法治政府建设情况的报告",
        "2022年，沂源县全面落实法治政府建设实施纲要，各项工作取得新进展。",
        "一、主要举措和成效",
        "推行“周六不休息”服务，全年办件三千余件。开展“法治体检”进园区，服务企业六十家。"
        "严格落实“双随机、一公开”监管，抽查市场主体二百户。",
        "二、存在的问题", "规范性文件备案审查工作仍需加强，个别部门合法性审核不够及时。",
        "三、下一步打算", "加强行政复议规范化建设，推进行政争议实质性化解。"),
    "r3.txt": _report(
        "句容市人民政府关于2020年度法治政府建设情况的报告",
        "2020年，句容市以法治政府建设示范创建为抓手，依法行政水平持续提升。",
        "一、主要举措和成效",
        "创新推出“法治体检”服务，覆盖全市重点企业。推进“互联网+”监管，建成一体化监管平台。"
        "全面推行“一业一证”改革，企业开办时间压缩至一个工作日。",
        "二、存在的问题", "公共法律服务供给与群众需求仍有差距。",
        "三、下一步打算", "深化综合行政执法体制改革，提升执法质效和群众满意度。"),
    "r4.txt": _report(
        "五原县司法局开展“周六不休息”法律咨询活动",
        "近日，五原县司法局组织律师和司法所工作人员在市民广场开展“周六不休息”法律咨询活动，"
        "现场解答群众关于婚姻家庭、劳动报酬、土地承包等方面的法律问题四十余个，发放宣传资料三百余份。"),
    "r5.txt": _report(
        "关于2023年度工作情况的总结",
        "2023年，我单位认真履行职责，推进“一网好办”改革，优化办事流程，减少申请材料，"
        "群众办事更加便捷高效，全年受理各类事项一千二百余件，按时办结率百分之百。"),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    folder = tmp_path_factory.mktemp("candidates") / "reports"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "r1-mirror.txt").write_text(opencc.OpenCC("s2t").convert(REPORTS["r1.txt"]), encoding="utf-8")
    summary = ingest([folder], folder.parent / "index", base=folder.parent)
    assert summary.counts()["added"] == 6, summary.outcomes
    return Engine(folder.parent / "index")


def _titles(engine: Engine) -> dict[str, str]:
    return {r["title"]: r["id"] for r in engine.stored_reports()}


def test_candidates_count_as_counted_by_hand(engine):
    found = {row["phrase"]: row for row in candidates(engine.selected(""))}
    assert list(found) == ["法治体检", "周六不休息", "互联网+监管"]  # reports, then occurrences; the rest once or known
    r3 = _titles(engine)["句容市人民政府关于2020年度法治政府建设情况的报告"]
    assert found["法治体检"] == {
        "phrase": "法治体检", "key": "法治体检", "shape": "quoted", "reports": 3, "occurrences": 4, "first_year": 2020,
        "provinces": 3, "example_id": r3, "example_title": "句容市人民政府关于2020年度法治政府建设情况的报告",
        "variants": ["法治体检"]}  # the mirror of r1 is collapsed: 3 reports, not 4
    saturday = found["周六不休息"]
    assert (saturday["reports"], saturday["first_year"], saturday["provinces"]) == (3, 2021, 2)
    assert found["互联网+监管"]["reports"] == 2 and found["互联网+监管"]["key"] == "互联网监管"
    once = {row["phrase"]: row for row in candidates(engine.selected(""), min_reports=1)}
    assert once["一网好办"]["provinces"] == 0 and once["一网好办"]["first_year"] == 2023  # r5: no province read
    assert not {"双随机、一公开", "一业一证"} & set(once)  # dictionary words


def _brute_force(engine: Engine, selected) -> dict[str, tuple[int, int, int | None, int]]:
    """(reports, occurrences, first year, provinces) per key, from the stored texts of the selected reports."""
    chosen = {selected.view.searcher.stored_fields(int(d))["id"] for d in selected.kept}
    reports, occurrences, years, provinces = Counter(), Counter(), {}, {}
    for record in engine.stored_reports():
        if record["id"] not in chosen:
            continue
        found = Counter(p.key for p in phrases(record["text"]))
        reports.update(found.keys())
        occurrences.update(found)
        for key in found:
            if record.get("report_year") is not None:
                years[key] = min(years.get(key, 9999), record["report_year"])
            provinces.setdefault(key, set()).update({record["province"]} if record.get("province") else set())
    return {k: (reports[k], occurrences[k], years.get(k), len(provinces[k])) for k in reports}


@pytest.mark.parametrize(("q", "filters"), [
    ("", None), ("", Filters(provinces=["山东"])), ("", Filters(years=[2020, 2021])), ("法治体检", None),
    ("", Filters(doc_types=["other"])),
])
def test_candidates_equal_a_brute_force_scan(engine, q, filters):
    selected = engine.selected(q, filters)
    rows = candidates(selected, min_reports=1, limit=None)
    assert {r["key"]: (r["reports"], r["occurrences"], r["first_year"], r["provinces"]) for r in rows} == \
        _brute_force(engine, selected)
    assert [(-r["reports"], -r["occurrences"], r["key"]) for r in rows] == \
        sorted((-r["reports"], -r["occurrences"], r["key"]) for r in rows)


def test_limit_min_reports_and_progress(engine):
    seen = []

    def progress(records, total):
        seen.append(total)
        for record in records:
            seen.append(record[1]["id"])
            yield record

    selected = engine.selected("")
    assert [r["phrase"] for r in candidates(selected, limit=1, progress=progress)] == ["法治体检"]
    assert seen[0] == len(selected.kept) == 5 and len(seen) == 6  # every kept report, read once
    assert candidates(selected, min_reports=4) == []
