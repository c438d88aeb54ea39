"""Issuer, kind, level and region: the rules and their use of the gazetteer."""

import pytest

from govsearch.index.issuer import issuer_from_signature, issuer_from_title, issuer_kind, province_from_text, resolve


@pytest.mark.parametrize("name, kind", [
    ("周村区人民政府", "政府"), ("五原县", "政府"), ("某某街道办事处", "政府"),
    ("中共洪江区工委洪江区管理委员会", "政府"),  # joint report: the government's
    ("中共沂源县中庄镇委员会", "党委"), ("中共某县委员会", "党委"), ("某县委", "党委"),
    ("赤峰市司法局", "部门"), ("某县发展和改革委员会", "部门"), ("某省司法厅", "部门"),
    ("全国人民代表大会常务委员会", "其他"), ("某区人民法院", "其他"), ("", ""),
])
def test_issuer_kind(name, kind):
    assert issuer_kind(name) == kind


@pytest.mark.parametrize("candidates, context, expected", [
    (["赤峰市司法局"], "", ("市级", "内蒙古自治区", "赤峰市", "", "部门")),  # a department at its government's level
    (["宁波市象山县贤庠镇人民政府"], "", ("乡镇级", "浙江省", "宁波市", "象山县", "政府")),
    (["朝阳区人民政府"], "长春市委、市政府", ("县级", "吉林省", "长春市", "朝阳区", "政府")),
    (["朝阳区人民政府"], "北京市委、市政府", ("县级", "北京市", "北京市", "朝阳区", "政府")),
    (["国务院办公厅"], "", ("国家级", "", "", "", "部门")),
    (["广西壮族自治区人民政府"], "", ("省级", "广西壮族自治区", "", "", "政府")),
    (["宜春市", "宜春市统计局"], "", ("市级", "江西省", "宜春市", "", "部门")),
])
def test_resolve(candidates, context, expected):
    r = resolve(candidates, context)
    assert (r.level, r.province, r.city, r.county, r.issuer_kind) == expected


def test_unresolvable_issuer_keeps_suffix_level():
    r = resolve(["某某新区某某镇人民政府"], "")
    assert r.level == "乡镇级" and r.issuer_kind == "政府"


def test_ambiguous_name_without_context_has_no_province():
    assert resolve(["朝阳区人民政府"], "").province == ""


def test_title_and_signature_issuers():
    assert issuer_from_title("周村区人民政府2024年度法治政府建设情况报告") == "周村区人民政府"
    assert issuer_from_title("中共某县委员会关于2022年度法治政府建设工作的报告") == "中共某县委员会"
    assert issuer_from_title("法治政府建设先进典型系列宣传") == ""
    signed = ["正文。", "特此报告。", "中共沂源县中庄镇委员会", "2023年1月31日"]
    assert issuer_from_signature(signed) == "中共沂源县中庄镇委员会"
    assert issuer_from_signature(["正文。", "这是一个很长的句子而不是署名，它以句号结束。", "2023年1月31日"]) == ""


def test_province_from_text_majority():
    assert province_from_text("赤峰市元宝山区、宁城县、克什克腾旗入围内蒙古自治区评估") == "内蒙古自治区"
    assert province_from_text("没有地名的文本") == ""
