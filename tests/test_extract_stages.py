"""The extractor's stages one at a time (index.extract's docstring names
them): each is called on its own on a page, and its own output is checked,
so a change to one stage shows where it lands rather than only at the end."""

from __future__ import annotations

from govsearch.index.copies import mark_copies
from govsearch.index.extract import choose_content, collect_metadata, line_weight, tidy, weigh
from govsearch.index.heading import choose_heading, split_title
from govsearch.index.segment import parse_html, segment
from tests.test_extract_corpus import BODY, _page

INFO = ('<div class="info"><span>发布机构：某某县司法局</span><span>发布日期：2024-01-20</span>'
        "<span>浏览次数：12</span></div>")
HTML = _page(f'<div class="article"><h2 class="title">某县2023年度法治政府建设情况报告</h2>{INFO}'
             f'<div class="zoom">{BODY}</div></div>')


def staged():
    page = segment(parse_html(HTML))
    weigh(page)
    mark_copies(page)
    return page


def test_segment_cuts_lines_and_marks_links_and_chrome():
    page = segment(parse_html(HTML))
    texts = [line.text for line in page.lines]
    assert "2023年，我县坚持以习近平新时代中国特色社会主义思想为指导，深入推进法治政府建设，取得了明显成效。" in texts
    nav = next(line for line in page.lines if line.text == "栏目3")
    assert nav.link_chars == nav.chars and nav.chrome  # a menu item: all link, inside ul.nav
    assert page.title.startswith("某县2023年度法治政府建设情况报告")


def test_line_weight_rewards_prose_and_punishes_links():
    page = staged()
    prose = next(line for line in page.lines if line.text.startswith("（一）加强组织领导"))
    menu = next(line for line in page.lines if line.text == "栏目3")
    assert line_weight(prose) > 20 > 0 > line_weight(menu)


def test_choose_content_takes_the_tightest_block_holding_the_body():
    page = staged()
    content = choose_content(page)
    held = [page.lines[i].text for i in range(content.start, content.end)]
    assert held[0].startswith("2023年，我县坚持") and held[-1].startswith("部分干部法治意识")
    assert not any(text.startswith("栏目") for text in held)


def test_tidy_and_collect_metadata_split_body_from_labels():
    page = staged()
    content = choose_content(page)
    heading = choose_heading(page, content)
    body, edge = tidy(page, content, heading)
    assert page.lines[body[0]].text.startswith("2023年，我县坚持")
    pairs = collect_metadata(page, body, edge, content)
    assert ("发布机构", "某某县司法局") in pairs and ("发布日期", "2024-01-20") in pairs


def test_choose_heading_prefers_the_title_element_to_the_site_logo():
    page = staged()
    assert choose_heading(page, choose_content(page)) == "某县2023年度法治政府建设情况报告"
    assert split_title("某县2023年度法治政府建设情况报告_某某县人民政府")[0] == "某县2023年度法治政府建设情况报告"
