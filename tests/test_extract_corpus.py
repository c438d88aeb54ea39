"""Main-text extraction on real government pages and on small synthetic ones.

The corpus lives in ``../shared/corpus/html``; ``SOURCES.tsv`` gives the first
and last ~30 characters of each page's true body.  The checks run the real
cleaning pipeline, so they cover extraction, normalization and boilerplate.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from govsearch.index.boilerplate import is_boilerplate_line
from govsearch.index.clean import CleanError, clean_bytes, clean_file
from govsearch.index.extract import _extract, extract
from govsearch.index.normalize import normalize_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "html"
SOURCES = CORPUS / "SOURCES.tsv"

CHROME = ["打印本页", "关闭窗口", "当前位置", "版权所有", "ICP备"]
# The body may be preceded by a date or speaker line, and followed by little.
START_SLACK = 200
END_SLACK = 150


def _rows() -> list[dict[str, str]]:
    if not SOURCES.exists():
        return []
    with SOURCES.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = _rows()


def test_shared_corpus_is_present():
    # ../shared sits beside every clone (CI included); its absence is a failure, not a skip.
    assert len(ROWS) >= 14


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _expected(text: str) -> str:
    return _squash(normalize_text(text)[0])


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_corpus_page_body(row):
    report = clean_file(CORPUS / row["file"])
    text = _squash(report.text)
    first, last = _expected(row["expected_first30"]), _expected(row["expected_last30"])
    assert first in text, f"body start missing; text starts {text[:120]!r}"
    assert last in text, f"body end missing; text ends {text[-120:]!r}"
    assert text.find(first) <= START_SLACK, f"text starts too early: {text[:text.find(first)]!r}"
    end = text.rfind(last) + len(last)
    assert len(text) - end <= END_SLACK, f"text ends too late: {text[end:]!r}"
    for fragment in CHROME:
        assert fragment not in report.text, fragment


# ---------------------------------------------------------------- synthetic pages
NAV = "".join(f'<li><a href="/c{i}">栏目{i}</a></li>' for i in range(30))
BODY = (
    "<p>2023年，我县坚持以习近平新时代中国特色社会主义思想为指导，深入推进法治政府建设，取得了明显成效。</p>"
    "<p>一、主要工作</p>"
    "<p>（一）加强组织领导。县委、县政府高度重视法治政府建设工作，多次召开常务会议专题研究部署。</p>"
    "<p>（二）推进依法决策。严格落实重大行政决策程序规定，全面推行合法性审查，决策质量不断提高。</p>"
    "<p>二、存在的问题</p>"
    "<p>部分干部法治意识有待提高，行政执法规范化水平仍需加强，基层法治力量相对薄弱。</p>"
)
FOOTER = (
    '<div class="footer"><p>版权所有：某某县人民政府 主办单位：某某县人民政府办公室</p>'
    "<p>网站标识码：1234567890 赣ICP备12345678号</p></div>"
)


def _page(body: str, *, title: str = "某县2023年度法治政府建设情况报告_某某县人民政府", head: str = "") -> str:
    return (
        f"<html><head><title>{title}</title>{head}</head><body>"
        f'<div class="header"><h1 class="logo">某某县人民政府</h1><ul class="nav">{NAV}</ul></div>'
        '<div class="crumb">您当前的位置：<a href="/">首页</a> &gt; <a href="/x">政务公开</a></div>'
        f"{body}{FOOTER}</body></html>"
    )


def test_nav_content_footer():
    html = _page(f'<div class="main"><div class="article">{BODY}</div></div>')
    page = extract(html)
    text = "\n".join(page.lines)
    assert page.lines[0].startswith("2023年，我县坚持")
    assert page.lines[-1].startswith("部分干部法治意识")
    assert "一、主要工作" in page.lines and "二、存在的问题" in page.lines
    for chrome in ("栏目3", "当前的位置", "版权所有", "ICP备", "网站标识码"):
        assert chrome not in text


def test_related_link_list_is_dropped():
    related = (
        '<div class="related"><h3>相关文章</h3><ul>'
        + "".join(f'<li><a href="/a{i}">某县召开第{i}次法治政府建设工作推进会议</a></li>' for i in range(8))
        + "</ul></div>"
    )
    nextprev = (
        '<div class="page"><p>上一篇：<a href="/p">某县召开会议</a></p>'
        '<p>下一篇：<a href="/n">某县开展培训</a></p></div>'
    )
    html = _page(f'<div class="main"><div class="text">{BODY}</div>{nextprev}{related}</div>')
    text = "\n".join(extract(html).lines)
    assert "法治政府建设工作推进会议" not in text
    assert "上一篇" not in text and "下一篇" not in text
    assert "部分干部法治意识" in text


def test_inline_tags_do_not_break_sentences():
    body = (
        '<div class="content"><p><span>2015</span>年，全县实现地区生产总值<strong>123.4</strong>亿元，'
        '比上年增长<font color="red">8.5%</font>。<a href="/x">详见附表</a>所列各项指标。</p>'
        "<p>全县常住人口<span>50</span>万人，城镇化率<span>55.2%</span>，比上年提高1.2个百分点，继续保持增长。</p></div>"
    )
    page = extract(_page(body))
    assert page.lines[0] == "2015年，全县实现地区生产总值123.4亿元，比上年增长8.5%。详见附表所列各项指标。"
    assert page.lines[1].startswith("全县常住人口50万人，城镇化率55.2%")


def test_heading_prefers_article_title_over_site_logo():
    title = '<h2 class="title">某县2023年度法治政府建设情况报告</h2>'
    body = f'<div class="main">{title}<div class="con">{BODY}</div></div>'
    page = extract(_page(body))
    assert page.heading == "某县2023年度法治政府建设情况报告"
    assert page.lines[0].startswith("2023年，我县坚持")


def test_heading_falls_back_to_title_without_site_suffix():
    page = extract(_page(f"<div>{BODY}</div>", title="某县2023年度法治政府建设情况报告 - 某某县人民政府门户网站"))
    assert page.heading == "某县2023年度法治政府建设情况报告"
    page = extract(_page(f"<div>{BODY}</div>", title="中国某某网 | 某县2023年度法治政府建设情况报告"))
    assert page.heading == "某县2023年度法治政府建设情况报告"


def test_metadata_table_outside_content_gives_label_value_pairs():
    table = (
        '<table class="xxgk"><tr><td>索引号：</td><td>014717475N/2023-0040295</td>'
        "<td>分类：</td><td>统计公报</td></tr>"
        "<tr><td>发布机构：</td><td>某某县统计局</td><td>发文日期：</td><td>2023-04-18</td></tr></table>"
    )
    info = '<div class="info">发布日期：2023-04-19 来源：某某县统计局 访问量：123</div>'
    page = extract(_page(f'<div class="main">{table}{info}<div class="zoom">{BODY}</div></div>'))
    assert page.metadata[:4] == [("索引号", "014717475N/2023-0040295"), ("分类", "统计公报"),
                                 ("发布机构", "某某县统计局"), ("发文日期", "2023-04-18")]
    assert ("发布日期", "2023-04-19") in page.metadata
    text = "\n".join(page.lines)
    assert "索引号" not in text and "发布机构" not in text and "发布日期" not in text
    assert page.lines[0].startswith("2023年，我县坚持")


@pytest.mark.parametrize(("html", "heading"), [
    ("", ""), ("   ", ""), ("<html></html>", ""), ("<html><head><title>x</title></head></html>", "x"),
    ("<<<>>>&&&", ""), ("\x00\x01\x02", ""), ("<div><p></p></div>", ""), ("<html><body></body></html></html>", ""),
    ("纯文本没有标签", ""), ("<table><tr><td>" * 50, ""),
])
def test_odd_html_gives_an_empty_page_from_the_stages_themselves(html, heading):
    # The stages, without extract()'s catch-all: odd markup is handled, not swallowed.
    page = _extract(html)
    assert (page.lines, page.metadata, page.heading) == ([], [], heading)


def test_a_stage_that_fails_is_logged_and_the_page_reads_as_empty(monkeypatch, caplog):
    import govsearch.index.extract as stages

    def broken(page):
        raise RecursionError("absurd nesting")

    monkeypatch.setattr(stages, "choose_content", broken)
    page = extract(_page(f'<div class="zoom">{BODY}</div>'))
    assert page.lines == [] and "extraction failed" in caplog.text and "absurd nesting" in caplog.text
    with pytest.raises(CleanError, match="no body text"):  # one odd page never stops a batch
        clean_bytes(_page(f'<div class="zoom">{BODY}</div>').encode("utf-8"), "odd.html", is_html=True)


def test_empty_html_gives_empty_lines():
    assert extract("").lines == []
    assert extract("<html><body><ul><li><a href='/'>首页</a></li></ul></body></html>").lines == []


def test_fragment_without_html_element():
    page = extract(f'<div class="wrap"><div class="pages_content">{BODY}</div></div>')
    assert page.lines[0].startswith("2023年，我县坚持")
    assert len(page.lines) == 6


def test_two_html_end_tags():
    html = _page(f'<div class="article">{BODY}</div>') + '</html><div class="footer">主办单位：某某</div></html>'
    page = extract(html)
    assert page.lines[-1].startswith("部分干部法治意识")


def test_site_logo_h1_is_not_the_heading_even_when_the_title_names_the_site():
    page = extract(_page(f"<div>{BODY}</div>", title="某某县人民政府"))
    assert page.heading == ""  # the <title> is the site's name: no heading beats a wrong one
    assert page.lines[0].startswith("2023年，我县坚持")


def test_br_separated_body_in_a_table_cell():
    cell = "<br>".join(f"　　{p}" for p in re.findall(r"<p>(.*?)</p>", BODY))
    inner = f'<table><tr><td id="zoom">{cell}</td></tr></table>'
    html = _page(f'<table><tr><td class="left">{NAV}</td><td>{inner}</td></tr></table>')
    page = extract(html)
    assert len(page.lines) == 6
    assert page.lines[1] == "一、主要工作"


def test_short_body_beats_a_punctuated_footer_without_class():
    html = (
        "<html><head><title>关于暂停办理业务的通知</title></head><body>"
        "<div><h2>关于暂停办理业务的通知</h2><p>因系统升级，3月1日暂停办理不动产登记业务，给您带来不便，敬请谅解。</p></div>"
        "<div><p>地址：某某市人民路1号，邮编：330000，电话：0795-1234567，传真：0795-7654321。</p></div></body></html>"
    )
    page = extract(html)
    assert page.lines == ["因系统升级，3月1日暂停办理不动产登记业务，给您带来不便，敬请谅解。"]
    assert page.heading == "关于暂停办理业务的通知"


def test_heading_split_over_lines_and_date_line_leave_the_body():
    head = (
        '<div class="article"><div class="tit"><p>某县人民政府</p><p>关于2023年度法治政府建设情况的报告</p></div>'
        '<p class="date">2024-01-20 10:30</p><p>来源：某县司法局</p>'
    )
    html = _page(f"{head}{BODY}</div>", title="某县人民政府关于2023年度法治政府建设情况的报告_某某县人民政府")
    page = extract(html)
    assert page.heading.replace(" ", "") == "某县人民政府关于2023年度法治政府建设情况的报告"
    assert page.lines[0].startswith("2023年，我县坚持")
    assert ("发布时间", "2024-01-20 10:30") in page.metadata
    assert ("来源", "某县司法局") in page.metadata


def test_glued_labels_are_separated_for_the_metadata_parser():
    info = (
        '<div class="info"><span>发布日期：2023-04-19</span><span>浏览次数：12</span>'
        "<span>信息来源：某县</span></div>"
    )
    page = extract(_page(f'<div class="main">{info}<div class="zoom">{BODY}</div></div>'))
    assert page.metadata == [("发布日期", "2023-04-19"), ("浏览次数", "12"), ("信息来源", "某县")]


def test_related_list_dates_are_not_page_metadata():
    items = "".join(
        f"<li><a href='/a{i}'>某县召开第{i}次法治政府建设工作推进会议</a> 发布时间：2022-0{i}-01</li>"
        for i in range(1, 6)
    )
    related = f"<ul>{items}</ul>"
    page = extract(_page(f'<div class="main"><div class="text">{BODY}</div><div class="xg">{related}</div></div>'))
    assert page.metadata == []
    assert not any("推进会议" in line for line in page.lines)


def test_bracketed_labels_become_pairs():
    info = (
        '<ol class="doc-info"><li><span>[发文机构]</span> 某某市人民政府办公厅</li>'
        "<li><span>[成文日期]</span> 2023-01-01</li></ol>"
    )
    page = extract(_page(f'<div class="article">{info}<div id="mainText">{BODY}</div></div>'))
    assert page.metadata == [("发文机构", "某某市人民政府办公厅"), ("成文日期", "2023-01-01")]


def test_glued_toolbar_words_are_boilerplate():
    assert is_boilerplate_line("打印关闭")
    assert is_boilerplate_line("字体：小大")
    assert not is_boilerplate_line("打印机采购项目已完成")
    assert not is_boilerplate_line("本局完成ICP备案审核1200件。")
    assert is_boilerplate_line("京ICP备05070218号-1")


def test_a_traditional_script_metadata_block_fills_the_record():
    # Mirrors in traditional script print 發布機構/成文日期: the labels' own data lists those forms.
    info = ('<table class="xxgk"><tr><td>發布機構：</td><td>某某縣統計局</td>'
            "<td>成文日期：</td><td>2023-04-18</td></tr></table>")
    html = _page(f'<div class="main">{info}<div class="zoom">{BODY}</div></div>')
    page = extract(html)
    assert page.metadata == [("發布機構", "某某縣統計局"), ("成文日期", "2023-04-18")]
    report = clean_bytes(html.encode("utf-8"), "mirror.html", is_html=True)
    assert report.publisher == "某某县统计局"  # the value is normalized to simplified
    assert report.publish_date == "2023-04-18"


def test_a_frontier_written_before_pairs_still_gives_the_fields():
    from govsearch.index.crawl.documents import inherited_metadata

    assert inherited_metadata(["发布机构：某县司法局 | 发布日期：2023-01-02", ["索引号", "001"]]) == [
        ("发布机构", "某县司法局"), ("发布日期", "2023-01-02"), ("索引号", "001")]


def test_a_heading_of_control_characters_only_is_no_heading():
    # Found by the fuzz test: <title>\x1b</title> normalized to nothing and the cleaner raised IndexError.
    html = f"<html><head><title>\x1b</title></head><body><h1>\x1b</h1>{BODY}</body></html>"
    report = clean_bytes(html.encode("utf-8"), "odd.html", is_html=True)
    assert report.text.startswith("2023年，我县坚持")
