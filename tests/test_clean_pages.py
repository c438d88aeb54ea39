"""The cleaner on pages the tests make: encodings, metadata blocks, bad input."""

from __future__ import annotations

import pytest

from govsearch.index.clean import CleanError, clean_bytes
from govsearch.index.decode import DecodeError

BODY = ("<p>一、推进法治政府建设的主要举措和成效</p><p>全年召开常务会议12次，研究法治政府建设事项。"
        "深入推进“放管服”改革，优化法治化营商环境。</p>"
        "<p>二、存在的不足</p><p>执法人员素质有待提高。</p><p>三、下一步工作安排</p><p>持续深化改革。</p>")


def page(body: str, *, charset: str = "utf-8", title: str = "某县人民政府2023年度法治政府建设情况报告",
         head_extra: str = "") -> str:
    return (f"<html><head><meta charset=\"{charset}\"><title>{title}_某县人民政府网</title>{head_extra}</head>"
            f"<body><div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/a\">政务公开</a></div>"
            f"<div class=\"content\"><h1>{title}</h1>{body}</div>"
            "<div class=\"footer\">版权所有：某县人民政府 主办单位：某县人民政府办公室 ICP备12345678号</div>"
            "</body></html>")


@pytest.mark.parametrize("encoding, declared", [("gbk", "gbk"), ("gb18030", "gb2312"), ("gbk", ""),
                                                 ("utf-8", "utf-8"), ("utf-8", "")])
def test_encodings(encoding, declared):
    html = page(BODY, charset=declared) if declared else page(BODY).replace('<meta charset="utf-8">', "")
    report = clean_bytes(html.encode(encoding), "p.html", is_html=True)
    assert "优化法治化营商环境" in report.text
    assert report.title == "某县人民政府2023年度法治政府建设情况报告"
    assert report.report_year == 2023 and report.doc_type == "annual_report"


def test_mislabelled_charset_falls_back():
    html = page(BODY, charset="utf-8").encode("gbk")  # says UTF-8, is GBK
    assert "营商环境" in clean_bytes(html, "p.html", is_html=True).text


def test_big5_traditional_page_is_simplified():
    html = ("<html><head><meta charset='big5'><title>某縣2022年度法治政府建設情況報告_某縣政府網</title></head>"
            "<body><div><a href='/'>首頁</a></div><div class='content'><h1>某縣2022年度法治政府建設情況報告</h1>"
            "<p>全面落實自治區黨委關於法治政府建設的工作要求，優化營商環境。</p></div></body></html>")
    report = clean_bytes(html.encode("big5"), "p.html", is_html=True)
    assert report.script == "traditional"
    assert "全面落实自治区党委关于法治政府建设的工作要求" in report.text
    assert report.title == "某县2022年度法治政府建设情况报告"


def test_metadata_table_becomes_fields():
    table = ("<table><tr><td>索 引 号：</td><td>11370323004/2024-00012</td><td>主题分类：</td><td>综合政务</td></tr>"
             "<tr><td>发布机构：</td><td>沂源县司法局</td><td>成文日期：</td><td>2024年01月20日</td></tr>"
             "<tr><td>文　　号：</td><td>沂司发〔2024〕3号</td><td>发布日期：</td><td>2024-01-25</td></tr></table>")
    report = clean_bytes(page(table + BODY).encode(), "p.html", is_html=True)
    assert report.index_number == "11370323004/2024-00012"
    assert report.publisher == "沂源县司法局"
    assert report.doc_number == "沂司发〔2024〕3号"
    assert report.publish_date == "2024-01-25"
    for label in ("索引号", "发布机构", "主题分类", "成文日期"):
        assert label not in report.text.replace(" ", "")


def test_pipe_delimited_metadata_block_in_text():
    text = ("索 引 号: | 113700000/2025-00031 | 发布日期: | 2025-02-14 |\n"
            "发布机构: | 某市司法局 |\n"
            "某市司法局2024年度法治政府建设情况报告\n"
            "一、主要举措和成效\n全年办理行政复议案件120件。\n二、存在的问题\n基层力量薄弱。")
    report = clean_bytes(text.encode(), "p.txt", is_html=False)
    assert (report.index_number, report.publish_date, report.publisher) == ("113700000/2025-00031", "2025-02-14",
                                                                           "某市司法局")
    assert "|" not in report.text and "索引号" not in report.text.replace(" ", "")
    assert report.title == "某市司法局2024年度法治政府建设情况报告" and report.report_year == 2024


def test_label_and_value_on_separate_lines():
    text = "发布机构：\n某县人民政府\n发布日期：\n2024-03-01\n某县人民政府2023年度法治政府建设情况报告\n正文内容。"
    report = clean_bytes(text.encode(), "p.txt", is_html=False)
    assert report.publisher == "某县人民政府" and report.publish_date == "2024-03-01"
    assert report.text == "正文内容。"


@pytest.mark.parametrize("data, message", [
    (b"", "too short: 0 characters"),  # an empty file is a tiny file (skipped by ingest)
    (b"   \n\t  ", "too short: 0 characters"),
    ("<html><body><nav><a href='/'>首页</a></nav><div>【打印本页】【关闭窗口】</div></body></html>".encode(),
     "no body text"),
])
def test_empty_and_navigation_only_pages(data, message):
    with pytest.raises(CleanError, match=message):
        clean_bytes(data, "p.html", is_html=True)


def test_binary_garbage_is_a_clear_error():
    import random
    rng = random.Random(7)
    garbage = bytes(rng.randrange(256) for _ in range(5000))
    with pytest.raises(DecodeError, match="binary"):
        clean_bytes(garbage, "x.html", is_html=True)
    with pytest.raises(DecodeError):
        clean_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "x.txt", is_html=False)


@pytest.mark.parametrize("title, doc_type", [
    ("某县人民政府2023年度法治政府建设情况报告", "annual_report"),
    ("某市司法局关于2022年法治政府建设工作情况的报告", "annual_report"),
    ("关于法治政府建设工作情况的报告", "annual_report"),
    ("2024年政府工作报告", "annual_report"),
    ("某县2023年法治政府建设工作要点", "other"),
    ("某县法治政府建设实施方案（2021-2025年）", "other"),
    ("一图读懂某县2023年度法治政府建设情况报告", "annual_report"),
    ("《某市2023年度法治政府建设情况报告》政策解读", "other"),
    ("法治政府建设先进典型系列宣传：某区法治政府建设纪实", "other"),
    ("某县2015年国民经济和社会发展统计公报", "other"),
])
def test_doc_type_from_title(title, doc_type):
    from govsearch.index.metadata import doc_type_for
    assert doc_type_for(title, title_inferred=False, section_kinds=set()) == doc_type


@pytest.mark.parametrize("title, expected", [
    ("中共某县委员会关于2022年度法治政府建设工作的报告", 2022),
    ("某县2023年推进法治政府建设主要安排暨2022年度工作报告", 2022),
    ("某县2023年工作计划", None),
])
def test_report_year_rules(title, expected):
    from govsearch.index.metadata import report_year_from
    assert report_year_from(title) == expected


def test_year_from_body_and_publish_date():
    text = ("某县人民政府关于法治政府建设工作情况的报告\n发布日期：2024-02-10\n"
            "一、主要举措和成效\n内容。\n二、存在的问题\n内容。")
    report = clean_bytes(text.encode(), "p.txt", is_html=False)
    assert report.doc_type == "annual_report" and report.report_year == 2023


@pytest.mark.parametrize("lines, title, spans", [
    # a centred title wrapped by width: the first line is the longer one
    (["中共某区工委某区管理委员会关于2021年度法治政府", "建设工作情况的报告", "正文。"],
     "中共某区工委某区管理委员会关于2021年度法治政府建设工作情况的报告", 2),
    (["某县人民政府关于2022年度法治政府建设情况", "的报告（2023年3月1日）"],
     "某县人民政府关于2022年度法治政府建设情况的报告（2023年3月1日）", 2),
    # three lines of a long centred title
    (["中共某市某区委员会某区人民政府关于", "2022年度法治政府建设工作和", "党政主要负责人履职情况的报告", "正文。"],
     "中共某市某区委员会某区人民政府关于2022年度法治政府建设工作和党政主要负责人履职情况的报告", 3),
    # a fourth line is never part of it
    (["某市", "某区", "某镇", "法治政府建设情况报告"], "某市", 1),
    # a title that names its kind stands alone: the next line is not part of it
    (["某县2022年度法治政府建设情况报告", "（2023年3月1日）"], "某县2022年度法治政府建设情况报告", 1),
    # a site banner (shorter) above the title is not joined to it
    (["某市人民政府门户网站", "某县2022年度法治政府建设情况报告"], "某市人民政府门户网站", 1),
    # an attachment's label line is skipped
    (["附件2：", "某县2022年度法治政府建设情况报告", "一、主要举措"], "某县2022年度法治政府建设情况报告", 2),
    (["一、主要举措和成效", "内容。"], "", 0),
])
def test_title_from_the_opening_lines(lines, title, spans):
    from govsearch.index.metadata import title_from_lines
    assert title_from_lines(lines) == (title, spans)


def test_a_wrapped_title_in_a_text_mirror_is_one_title():
    text = ("某县人民政府关于2022年度法治政府建设工作情况\n的报告\n"
            "一、主要举措和成效\n全年召开常务会议12次。\n二、存在的问题\n执法人员素质有待提高。")
    report = clean_bytes(text.encode(), "p.txt", is_html=False)
    assert report.title == "某县人民政府关于2022年度法治政府建设工作情况的报告"
    assert report.text.startswith("一、主要举措和成效")
    assert report.report_year == 2022 and report.doc_type == "annual_report"
