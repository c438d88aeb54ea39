"""The opening's readers, one rule at a time, on the labelled real texts.

Each case is a labelled real text (scripts/eval_metadata.py) whose field only the
named rule gets right; the evidence must name that rule, so a case that
comes right by accident elsewhere still fails here.  A few synthetic lines
pin the edges of a rule (a comparison is not a scope).
"""

from __future__ import annotations

import pytest

from govsearch.index import opening
from govsearch.index.clean import clean_file
from scripts.eval_metadata import labelled_file


def cleaned(name: str) -> dict:
    return clean_file(labelled_file(name)).to_dict()


# (file, field, value, the rule its evidence must name)
CASES = [
    # An organisation's name alone under the title (between a title and its repeat).
    ("b/hn-hengyang-gzw-2019-zfxxgk-mirror.txt", "level", "市级", "行政区划代码"),
    ("b/hn-hengyang-gzw-2019-zfxxgk-mirror.txt", "issuer", None, "标题下方的机关名称"),
    # 寿县统计局   国家统计局寿县调查队: the first of joint issuers.
    ("b/neg-ah-shouxian-2021-tjgb.txt", "issuer_kind", "部门", "机关名称的形式"),
    ("b/neg-ah-shouxian-2021-tjgb.txt", "issuer", None, "标题下方的机关名称"),
    # 我局 / 我局…南昌市商务局门户网站: the self-reference's full name.
    ("b/jx-nanchang-swj-2021-zfxxgk-mirror.txt", "level", "市级", "行政区划代码"),
    ("b/neg-js-zhenjiang-sthj-2020q4-zicha.txt", "level", "市级", "行政区划代码"),
    ("b/neg-js-zhenjiang-sthj-2020q4-zicha.txt", "issuer", None, "自称“我局”所指的全称"),
    # No name at all (the site masked it): the scope the text works in.
    ("a/ln-city-masked-2023-fzzf.txt", "level", "市级", "工作范围“全市”"),
    # 率先在全省…, 保持全省前列 are comparisons: the one 全市 tells.
    ("a/fj-zhangzhou-2024-gzbg-p101.txt", "level", "市级", "工作范围“全市”"),
    ("a/fj-zhangzhou-2024-gzbg-p101.txt", "issuer_kind", "政府", "政府工作报告由政府所作"),
    # A plan's own formula: 结合自治区实际，制定本方案.
    ("b/neg-nm-northnews-2022-fzzf-fangan.txt", "level", "省级", "结合X实际"),
    # 《…方案》已经省人民政府同意，现印发给你们: the general office's notice.
    ("b/neg-gd-szfbgt-2022-zwgk-yaodian-mojibake.txt", "issuer_kind", "部门", "机关名称的形式"),
    ("b/neg-gd-szfbgt-2022-zwgk-yaodian-mojibake.txt", "issuer", None, "经X同意，现印发"),
    # A headline about the report is news: no year, and its subject is the issuer.
    ("b/neg-gz-govcn-news-2017-nbfabu.txt", "doc_type", "other", ""),
    ("b/neg-gz-govcn-news-2017-nbfabu.txt", "report_year", None, ""),
    ("b/neg-gz-govcn-news-2017-nbfabu.txt", "issuer_kind", "政府", "机关名称的形式"),
    # 受省人大常委会委托，我向大会报告工作 / 过去一年的主要工作 / 2025年是…
    ("a/yn-rdcwh-2025-gzbg.txt", "doc_type", "annual_report", "向人民代表大会报告工作"),
    ("a/yn-rdcwh-2025-gzbg.txt", "report_year", 2025, "紧接着的年份"),
    ("a/yn-rdcwh-2025-gzbg.txt", "issuer_kind", "其他", "机关名称的形式"),
    # • 2020年，在中央、国务院和省委的正确领导下，省政府以…: a bulleted first sentence.
    ("a/hi-prov-2020-fzzf-censored.txt", "level", "省级", "名称开头的层级"),
    # 特向社会公布螺洋街道2021年度信息公开年度报告: a place, not only an organisation.
    ("b/zj-luoyang-2021-zfxxgk.txt", "level", "乡镇级", ""),
    ("b/zj-luoyang-2021-zfxxgk.txt", "issuer", None, "现将XX…报告如下"),
    # 为…，颍泉区推进依法行政工作领导小组办公室近日印发《…》.
    ("b/neg-ah-yingquan-2022-fzkh-news.txt", "level", "县级", "行政区划代码"),
    ("b/neg-ah-yingquan-2022-fzkh-news.txt", "issuer", None, "新闻主语"),
    # A rule about reports is not one: its title found under a spam banner (…制度（试行）).
    ("b/neg-sx-szfbgt-nbzhidu-mirror.txt", "doc_type", "other", "标题的文种"),
    ("b/neg-sx-szfbgt-nbzhidu-mirror.txt", "issuer_kind", "部门", "机关名称的形式"),
    # …根据《…条例》，结合本省实际，制定本实施意见。 in a text with no title of its own.
    ("c/neg-ah-jtt-dangzu-2021-ssyj.txt", "doc_type", "other", "制定本办法"),
    # 发文机关中共安徽省交通运输厅党组 / 发文日期2021年12月21日: labels without colons, in a block.
    ("c/neg-ah-jtt-dangzu-2021-ssyj.txt", "issuer_kind", "党委", "机关名称的形式"),
    ("c/neg-ah-jtt-dangzu-2021-ssyj.txt", "issuer", None, "发布机构"),
    # [ 索引号 ] … [ 发布机构 ] 丰都县栗子乡人民政府: bracketed labels in a text's own lines.
    ("c/cq-fengdu-lizi-2025-fzzf.txt", "level", "乡镇级", "行政区划代码"),
    ("c/cq-fengdu-lizi-2025-fzzf.txt", "report_year", 2025, "标题年份"),
    # 最高人民检察院工作报告 / ——2023年3月7日在第十四届全国人民代表大会…: an annual work report.
    ("c/gj-spp-2022-gzbg-repost.txt", "doc_type", "annual_report", "向人民代表大会报告工作"),
    ("c/gj-spp-2022-gzbg-repost.txt", "report_year", 2022, "作于N年3月"),
    ("c/gj-spp-2022-gzbg-repost.txt", "issuer_kind", "其他", "机关名称的形式"),
    # 受市人大常委会委托 … 在义乌市第十五届人民代表大会: the bare 市 is the congress's city.
    ("c/zj-yiwu-rdcwh-2019-gzbg.txt", "level", "县级", "行政区划代码"),
    # 上海市人民代表大会常务委员会工作报告 / 2020年的主要工作.
    ("c/sh-rdcwh-2020-gzbg.txt", "report_year", 2020, "N年的主要工作"),
    # …部署，2023年，清波街道以…；现对2023年所做工作总结如下.
    ("c/zj-hangzhou-qingbo-2023-fzzf.txt", "report_year", 2023, "现将…报告如下"),
    ("c/zj-hangzhou-qingbo-2023-fzzf.txt", "level", "乡镇级", ""),
    # 全面总结西宁市城中区人民政府礼让街街道办事处2025年政府信息公开工作情况.
    ("c/qh-xining-lirangjie-2025-zfxxgk.txt", "level", "乡镇级", ""),
    # 在xx镇人民代表大会…的政府工作报告: a template, whatever its title.
    ("c/neg-fanwen-zhen-gzbg.txt", "doc_type", "other", "范文"),
    # 镇巴县人民政府工作规则 (发布机构：县政府网站 names a site, not an organ).
    ("c/neg-sn-zhenba-2024-gzgz.txt", "issuer_kind", "政府", "机关名称的形式"),
    # [b]20[/b][b]2[/b][b]2[/b][b]年[/b][b]闻喜县[/b]…统计公报: forum markup goes, the bureau's.
    ("c/neg-sx-wenxi-2022-tjgb-bbcode.txt", "issuer_kind", "部门", "机关名称的形式"),
    ("c/neg-sx-wenxi-2022-tjgb-bbcode.txt", "issuer", None, "统计公报由当地统计局发布"),
    # 3月29日上午，雨城区人民检察院党组书记、检察长…在…
    ("c/neg-sc-yucheng-jcy-2019-news.txt", "issuer_kind", "其他", "机关名称的形式"),
    # 1月20日，海南省省长沈晓明主持召开…: the governor acts for the government.
    ("c/neg-hi-prov-2019-cwh-news-trad.txt", "level", "省级", "行政区划代码"),
    ("c/neg-hi-prov-2019-cwh-news-trad.txt", "issuer", None, "首句主语"),
    # From the second hold-out, d: 我镇 outweighs the district a town's report keeps naming.
    ("d/jx-zhanggong-shuidong-2019-zfxxgk.txt", "level", "乡镇级", "自称“我镇”"),
    # 得益于县委、县政府的坚强领导…，我乡…: a clause is no subject; 我乡 tells.
    ("d/zj-qingtian-shuqiao-2024-fzzf.txt", "level", "乡镇级", "自称“我乡”"),
    # 由大南街道编制的2018年度政府信息公开年度报告.
    ("d/zj-lucheng-danan-2018-zfxxgk-mirror.txt", "level", "乡镇级", ""),
    ("d/zj-lucheng-danan-2018-zfxxgk-mirror.txt", "issuer", None, "现将XX…报告如下"),
    # 天津市静海区人民政府 2019年12月3日星期二: a banner's date widget is never part of the title.
    ("d/tj-jinghai-2025-fzzf.txt", "level", "县级", "行政区划代码"),
    ("d/tj-jinghai-2025-fzzf.txt", "issuer", None, "标题前的机关名称"),
    # …2018年政府工作报告和2019年工作计划: a report that adds its plan.
    ("d/ah-huaiyuan-weizhuang-2018-gzbg.txt", "doc_type", "annual_report", "标题的文种"),
    # 2008年是××历史上…: ×× stands in for a name.
    ("d/neg-fanwen-qu-zfgzhy-jianghua-trad.txt", "doc_type", "other", "范文"),
    # 【工作推进】固镇县召开…年报编制和发布部署会: news, whatever the 条例 it cites.
    ("d/neg-ah-guzhen-2024-nianbao-bushuhui-news.txt", "doc_type", "other", "新闻标题"),
    ("d/neg-ah-guzhen-2024-nianbao-bushuhui-news.txt", "report_year", None, ""),
    # （2022年2月14日永丰县第十七届人民代表大会第二次会议…通过）.
    ("d/neg-jx-yongfeng-2022-court-jueyi.txt", "issuer_kind", "其他", "机关名称的形式"),
    ("d/neg-jx-yongfeng-2022-court-jueyi.txt", "issuer", None, "会议通过"),
    # 区长连天浪代表章贡区人民政府向大会报告工作: news of a session names who reported.
    ("d/neg-jx-zhanggong-2019-gzbg-news-trad.txt", "issuer_kind", "政府", "机关名称的形式"),
    ("d/neg-jx-zhanggong-2019-gzbg-news-trad.txt", "issuer", None, "向大会报告工作的机关"),
    # 新青法院工作报告获人大审议全票通过.
    ("d/neg-hlj-xinqing-court-2019-news.txt", "issuer_kind", "其他", "机关名称的形式"),
    # | 索引号 | 620702081/2026-00007 |: a town's division code, when the text names no province.
    ("d/gs-ganzhou-beijie-2025-zfxxgk.txt", "province", "甘肃省", "索引号中的行政区划代码"),
    # 颍泉区推进依法行政工作领导小组办公室: a coordinating body, not a department.
    ("b/neg-ah-yingquan-2022-fzkh-news.txt", "issuer_kind", "其他", "机关名称的形式"),
    ("b/neg-sx-szfbgt-nbzhidu-mirror.txt", "report_year", None, ""),
    # | 生成日期 | 2026-01-16 18:00:00 | 是否有效 |: a catalogue row, not the title.
    ("a/gs-sunan-lcj-2025-fzzf.txt", "report_year", 2025, "首句年份"),
    ("a/gs-sunan-lcj-2025-fzzf.txt", "doc_type", "annual_report", ""),
    # 辰溪县2021年国民经济和社会发展统计公报: the statistics bureau's.
    ("b/neg-hn-chenxi-2021-tjgb-trad.txt", "issuer_kind", "部门", "机关名称的形式"),
    ("b/neg-hn-chenxi-2021-tjgb-trad.txt", "issuer", None, "统计公报由当地统计局发布"),
]


@pytest.mark.parametrize(("name", "field", "value", "rule"), CASES,
                         ids=[f"{c[0].split('/')[1][:-4]}-{c[1]}" for c in CASES])
def test_rule_reads_the_field(name, field, value, rule):
    found = cleaned(name)
    if field != "issuer":  # the issuer's name is checked by its rule only
        assert (found.get(field) or None) == value, found.get("evidence")
    if rule:
        assert rule in found["evidence"][field]["rule"], found["evidence"]


def test_the_issuers_the_rules_name():
    assert cleaned("b/hn-hengyang-gzw-2019-zfxxgk-mirror.txt")["publisher"] == "衡阳市国资委"
    assert cleaned("b/jx-nanchang-swj-2021-zfxxgk-mirror.txt")["publisher"] == "南昌市商务局"
    assert cleaned("b/neg-gd-szfbgt-2022-zwgk-yaodian-mojibake.txt")["publisher"] == "省人民政府办公厅"
    assert cleaned("b/zj-luoyang-2021-zfxxgk.txt")["publisher"] == "螺洋街道"
    assert cleaned("b/neg-hn-chenxi-2021-tjgb-trad.txt")["publisher"] == "辰溪县统计局"


def test_scope_passes_over_comparisons_and_ties():
    assert opening.scope("全县建成站点12个，居全市第一，在全市率先推行。全县覆盖。", False).value == "县级"
    assert opening.scope("全县完成，全市完成。", False) is None  # a tie tells nothing
    assert opening.scope("在全省率先建成，位列全省前列。", False) is None
    # In an autonomous region 全区 is the region: no county level from it.
    assert opening.scope("全区各族群众，全区上下。", True) is None
    assert opening.scope("全区各族群众，全区上下。", False).value == "县级"


def test_consent_names_the_general_office_by_level():
    assert opening.consent_issuer(["《方案》已经国务院同意，现印发给你们，请认真贯彻执行。"]).value == "国务院办公厅"
    assert opening.consent_issuer(["《办法》已经县人民政府同意，现印发给你们。"]).value == "县人民政府办公室"
    assert opening.consent_issuer(["经市政府同意，我局开展了专项检查。"]) is None  # not a notice's formula


def test_a_headline_about_a_document_is_not_its_title():
    assert opening.is_headline("贵州省发布2016年政府信息公开工作年度报告")
    assert opening.is_headline("县政府召开常务会议")
    assert not opening.is_headline("贵州省人民政府2016年政府信息公开工作年度报告")
    assert not opening.is_headline("市政府办公室关于印发2022年政务公开工作要点的通知")


def test_self_name_needs_a_known_place():
    text = "我局通过南昌市商务局门户网站公开信息，我局还在南昌市商务局微信公众号发布。格局布局已定。"
    assert opening.self_name(text, "局", lambda name: name == "南昌市").value == "南昌市商务局"
    assert opening.self_name(text, "局", lambda name: False) is None


def test_the_division_code_in_an_index_number():
    from govsearch.index.issuer import province_from_index_number as province

    assert province("620702081/2026-00007") == province("620702/2025-00012") == "甘肃省"
    assert province("11500230008689762A/2026-00004") == "重庆市"  # a credit code: characters 3-8
    assert province("440100-2023-001") == "广东省"  # a city's code
    assert province("014717475N/2023-0040295") == ""  # an organisation code, not a division
    assert province("000014349/2023-00012") == province("") == ""
