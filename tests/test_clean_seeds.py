"""The first cleaner on the bundled seeds: boilerplate out, metadata in."""

import re

import pytest

from govsearch.index.boilerplate import filter_lines, is_toolbar
from govsearch.index.clean import CleanError, build_report, clean_bytes, clean_file
from tests.conftest import seed_path

SEEDS = ["000", "001", "002", "003", "004"]
BOILERPLATE = ["打印本页", "关闭窗口", "打印", "|", "字号", "(qū)", "qū", "您当前的位置", "收藏", "【"]


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_text_has_no_boilerplate(seed):
    report = clean_file(seed_path(seed))
    for fragment in BOILERPLATE:
        assert fragment not in report.text, fragment
    # The body survived: nearly every Han character of the raw file is kept.
    han = re.compile("[\u4e00-\u9fff]")
    raw = seed_path(seed).read_text(encoding="utf-8")
    assert len(han.findall(report.text)) >= 0.93 * len(han.findall(raw))


@pytest.mark.parametrize("seed, year, level, province, doc_type", [
    ("000", 2022, "县级", "内蒙古自治区", "annual_report"),
    ("001", 2021, "县级", "湖南省", "annual_report"),
    ("002", 2024, "县级", "山东省", "annual_report"),
    ("003", 2022, "乡镇级", "山东省", "annual_report"),
    # A 纪实 (news) on 赤峰市's column: not a report, but its first sentence
    # (2023年，赤峰市深入贯彻…) and 我市 say whose page it is.
    ("004", None, "市级", "内蒙古自治区", "other"),
])
def test_seed_acceptance_table(seed, year, level, province, doc_type):
    report = clean_file(seed_path(seed))
    assert (report.report_year, report.level, report.province, report.doc_type) == (year, level, province, doc_type)


@pytest.mark.parametrize("seed, city, county, kind, adcode", [
    ("000", "巴彦淖尔市", "五原县", "政府", "150821"),
    ("001", "怀化市", "怀化市洪江管理区", "政府", "431271"),
    ("002", "淄博市", "周村区", "政府", "370306"),
    ("003", "淄博市", "沂源县", "党委", "370323107"),  # the report of the town's Party committee
])
def test_seed_regions(seed, city, county, kind, adcode):
    report = clean_file(seed_path(seed))
    assert (report.city, report.county, report.issuer_kind, report.adcode) == (city, county, kind, adcode)


def test_seed_titles():
    assert clean_file(seed_path("001")).title == "中共洪江区工委洪江区管理委员会关于2021年度法治政府建设工作情况的报告"
    assert clean_file(seed_path("002")).title == "周村区人民政府2024年度法治政府建设情况报告"
    r000 = clean_file(seed_path("000"))
    assert r000.title_inferred and r000.title == "五原县2022年度法治政府建设情况报告"


def test_seed_003_metadata_block_becomes_fields():
    report = clean_file(seed_path("003"))
    assert report.publish_date == "2023-02-01"
    assert report.index_number == "1137032300422372XD/2023-None"
    assert report.publisher == "沂源县中庄镇人民政府"
    assert "索引号" not in report.text and "发文日期" not in report.text


def test_toolbar_lines_are_recognised_structurally():
    assert is_toolbar("【字体：大 中 小】【打印本页】 【关闭窗口】")
    assert is_toolbar("• 字号：")
    assert not is_toolbar("打印机采购项目已完成")
    assert filter_lines(["【打印】【关闭】", "正文内容。", "您当前的位置：首页 > 政务公开"]) == ["正文内容。"]


def test_empty_and_binary_inputs_are_clear_errors():
    with pytest.raises(CleanError, match="no body text"):
        build_report(["【打印本页】", "【关闭窗口】"], "x.txt")
    with pytest.raises(ValueError, match="binary"):
        clean_bytes(b"\x00\x01\x02garbage\x00" * 50, "x.bin", is_html=False)


def test_gbk_text_decodes():
    data = "2023年度某县法治政府建设情况报告\n正文内容，营商环境。".encode("gbk")
    report = clean_bytes(data, "gbk.txt", is_html=False)
    assert "营商环境" in report.text and report.report_year == 2023
