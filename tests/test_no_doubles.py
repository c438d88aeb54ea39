"""Main text without doubles: the article once, without chrome (issue 14, item 6).

Pages carry the body twice (a hidden 长者/无障碍/print copy, sometimes glued
into one line), lists of teasers after it (相关新闻 with summaries and dates),
accessibility toolbars (配色 / 辅助线 / 重置 …), and notices whose body is
mostly tables.  The property checked on every real page - the shared corpus
(``../shared/corpus/html``) and ``tests/data/pages`` - is that no paragraph
of 30+ characters stands twice in the cleaned text unless the article itself
repeats it (``tests/data/pages/REPEATS.tsv`` lists those, judged by reading
the page), that the first and last body lines survive, and that no
boilerplate marker does.  The focused tests below build small pages for each
stage that changed: the segmenter's hidden / lead-link flags, mark_copies,
the teaser-list rule in tidy, and the toolbar vocabulary.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest

from govsearch.index.boilerplate import is_boilerplate_line
from govsearch.index.clean import clean_file
from govsearch.index.copies import mark_copies
from govsearch.index.extract import extract, weigh
from govsearch.index.normalize import normalize_text
from govsearch.index.segment import parse_html, segment
from tests.test_metadata_labelled import source_key

HERE = Path(__file__).resolve().parent
PAGES = HERE / "data" / "pages"
CORPUS = HERE.parents[1] / "shared" / "corpus" / "html"
RESERVED = HERE.parents[1] / "shared" / "reserved" / "sources.sha1"

MARKERS = ["打印本页", "关闭窗口", "当前位置", "版权所有", "ICP备", "配色", "辅助线", "重置", "长者助手", "大字幕"]
MIN_PARAGRAPH = 30
START_SLACK = 200  # the body may open with a date or 文号 line …
END_SLACK = 150  # … and close with a signature


def _rows(folder: Path) -> list[dict[str, str]]:
    path = folder / "SOURCES.tsv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return [dict(row, folder=str(folder)) for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]


ROWS = _rows(CORPUS) + _rows(PAGES)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _repeats() -> dict[str, list[str]]:
    allowed: dict[str, list[str]] = {}
    with (PAGES / "REPEATS.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            allowed.setdefault(row["file"], []).append(_squash(normalize_text(row["starts"])[0]))
    return allowed


REPEATS = _repeats()


def doubles(text: str) -> list[str]:
    """Paragraphs of 30+ characters that stand twice: as two lines, or inside one line that glues paragraphs."""
    lines = [_squash(line) for line in text.split("\n")]
    counts = Counter(line for line in lines if len(line) >= MIN_PARAGRAPH)
    found = [line for line, n in counts.items() if n > 1]
    for line in counts:
        if len(line) >= 3 * MIN_PARAGRAPH and sum(1 for other in counts if other != line and other in line) >= 2:
            found.append(line)
    return found


def test_the_page_set_is_real_varied_and_sourced():
    mine = _rows(PAGES)
    assert len(mine) >= 15
    assert len(_rows(CORPUS)) >= 14  # ../shared sits beside every clone
    reserved = set(RESERVED.read_text().split())
    for row in mine:
        assert (PAGES / row["file"]).is_file(), row["file"]
        assert row["source"].startswith(("github:", "http")), row["file"]
        urls = re.findall(r"page URL (\S+)", row["licence_notes"])
        for key in (row["source"], *urls):
            assert hashlib.sha1(source_key(key).encode("utf-8")).hexdigest() not in reserved, (row["file"], key)
    assert len({row["source"] for row in mine}) == len(mine)


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_real_page_has_no_doubles_and_keeps_its_body(row):
    report = clean_file(Path(row["folder"]) / row["file"])
    allowed = REPEATS.get(row["file"], [])
    extra = [d for d in doubles(report.text) if not any(d.startswith(a) for a in allowed)]
    assert not extra, f"doubled paragraphs: {[d[:40] for d in extra]}"
    text = _squash(report.text)
    first = _squash(normalize_text(row["expected_first30"])[0])
    last = _squash(normalize_text(row["expected_last30"])[0])
    assert first in text, f"body start missing; text starts {text[:120]!r}"
    assert last in text, f"body end missing; text ends {text[-120:]!r}"
    assert text.find(first) <= START_SLACK, f"text starts too early: {text[:text.find(first)]!r}"
    assert len(text) - (text.rfind(last) + len(last)) <= END_SLACK, f"text ends late: {text[text.rfind(last):]!r}"
    for marker in MARKERS:
        assert marker not in report.text, marker


def test_every_listed_repeat_is_real():
    """An allowed repeat must stand twice in the cleaned text - the list cannot hide a fixed double."""
    by_file = {row["file"]: row for row in ROWS}
    for name, starts in REPEATS.items():
        row = by_file[name]
        found = doubles(clean_file(Path(row["folder"]) / name).text)
        for start in starts:
            assert any(d.startswith(start) for d in found), (name, start)


# ---------------------------------------------------------------- synthetic pages
PARAS = [
    "为进一步规范行政执法行为，提高依法行政水平，根据有关法律法规规定，结合本县实际，制定本实施方案。",
    "一、全面推行行政执法公示制度，做到执法信息及时准确公开，主动接受社会监督，保障群众知情权。",
    "二、全面推行执法全过程记录制度，通过文字、音像等记录方式，对行政执法全过程进行跟踪记录。",
    "三、全面推行重大执法决定法制审核制度，未经法制审核或者审核未通过的，不得作出决定。",
    "四、各部门要高度重视，加强组织领导，明确责任分工，确保各项制度落到实处，取得实效。",
]
BODY = "".join(f"<p>{p}</p>" for p in PARAS)
NAV = "".join(f'<li><a href="/c{i}">栏目{i}</a></li>' for i in range(20))
TOOLBAR = (
    '<div class="wza-bar"><span>无障碍</span><span>长者模式</span><span>配色</span><span>辅助线</span>'
    "<span>重置</span><span>放大</span><span>缩小</span><span>大字幕</span><span>读屏</span>"
    "<span>指读</span><span>连读</span><span>语速</span></div>"
)
FOOTER = '<div class="footer"><p>版权所有：某县人民政府</p><p>赣ICP备12345678号</p></div>'


def _page(middle: str) -> str:
    return (f"<html><head><title>某县关于全面推行行政执法三项制度的实施方案_某县人民政府</title></head><body>"
            f'{TOOLBAR}<ul class="nav">{NAV}</ul>{middle}{FOOTER}</body></html>')


def _assert_once(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert not doubles(text), doubles(text)
    for p in PARAS:
        assert _squash(text).count(_squash(p)) == 1, p


def test_hidden_copy_glued_into_one_line_is_dropped():
    glued = "".join(PARAS)
    html = _page(f'<div class="article"><div id="zoom">{BODY}</div></div>'
                 f'<div class="bbnr" style="display:none;">{glued}</div>')
    lines = extract(html).lines
    _assert_once(lines)
    assert lines[0] == PARAS[0] and lines[-1] == PARAS[-1]


@pytest.mark.parametrize("markup", [
    # a hidden copy in paragraphs, even when it comes first
    f'<div class="elder" style="display:none">{BODY}</div><div class="main"><div class="content">{BODY}</div></div>',
    # a print container beside the body
    f'<div class="wrap"><div class="content">{BODY}</div><div class="print-area">{BODY}</div></div>',
], ids=["hidden-copy-first", "print-container"])
def test_a_second_copy_of_the_body_is_dropped(markup):
    _assert_once(extract(_page(markup)).lines)


def test_visible_elderly_copy_elsewhere_on_the_page_is_dropped():
    html = _page(f'<div class="main"><div class="content">{BODY}</div></div>'
                 f'<div class="zhang-zhe"><h3>长者专区</h3><div class="big-font">{BODY}</div></div>')
    lines = extract(html).lines
    _assert_once(lines)
    assert lines[-1] == PARAS[-1]


def test_template_copies_in_textarea_and_script_never_count():
    html = _page(f'<div class="content">{BODY}</div><textarea id="tpl">{BODY}</textarea>'
                 f'<script type="text/template"><div>{BODY}</div></script>')
    _assert_once(extract(html).lines)


def test_a_caption_the_article_repeats_stays_twice():
    caption = "图为某县行政执法人员在集贸市场开展联合执法检查，现场公示执法依据和执法程序。"
    body = f"<p>{PARAS[0]}</p><p>{caption}</p><p>{PARAS[1]}</p><p>{PARAS[2]}</p><p>{caption}</p><p>{PARAS[3]}</p>"
    lines = extract(_page(f'<div class="content">{body}</div>')).lines
    assert lines.count(caption) == 2


def test_a_table_that_quotes_the_paragraphs_is_not_a_copy():
    rows = "".join(f"<tr><td><p>{i}</p></td><td><p>{p[2:]}</p></td><td><p>县司法局</p></td></tr>"
                   for i, p in enumerate(PARAS[1:4], 1))
    body = f"{BODY}<p>附件：任务分工表</p><table>{rows}</table>"
    lines = extract(_page(f'<div class="content">{body}</div>')).lines
    for p in PARAS:
        assert p in lines
    assert PARAS[2][2:] in lines


def test_mark_copies_gives_the_copy_no_weight():
    page = segment(parse_html(_page(f'<div class="content">{BODY}</div><div class="copy">{BODY}</div>')))
    weigh(page)
    mark_copies(page)
    marked = [line.text for line in page.lines if line.copy]
    assert marked == PARAS
    first = [line for line in page.lines if line.text == PARAS[0]]
    assert not first[0].copy and first[1].copy and first[1].weight == 0.0


def test_segment_flags_hidden_lines_and_lines_that_open_with_a_link():
    page = segment(parse_html('<div style="display:none"><p>隐藏的段落</p></div>'
                              '<ul><li><a href="/a">某县召开会议</a> 会议强调要加强领导</li></ul>'
                              '<p>正文<a href="/b">链接</a></p>'))
    flags = {line.text: (line.hidden, line.lead_link) for line in page.lines}
    assert flags["隐藏的段落"] == (True, False)
    assert flags["某县召开会议 会议强调要加强领导"] == (False, True)
    assert flags["正文链接"] == (False, False)


def test_teaser_list_with_summaries_and_dates_after_the_body_is_dropped():
    items = "".join(
        f'<li><a href="/n{i}">某县召开第{i}次行政执法工作推进会</a>'
        f"<p>会议听取了各部门行政执法三项制度落实情况汇报，并对下一阶段工作作出部署，要求压实责任。</p>"
        f"<span>2023-0{i}-1{i}</span></li>"
        for i in range(1, 6)
    )
    related = f'<div class="list-box"><h3>相关新闻</h3><ul>{items}</ul></div>'
    nextprev = ('<div class="np"><p>上一篇：<a href="/p">某县开展培训</a></p>'
                '<p>下一篇：<a href="/n">某县召开会议</a></p></div>')
    lines = extract(_page(f'<div class="main"><div class="content">{BODY}</div>{nextprev}{related}</div>')).lines
    assert lines[-1] == PARAS[-1]
    text = "\n".join(lines)
    assert "推进会" not in text and "相关新闻" not in text and "上一篇" not in text


def test_accessibility_toolbar_words_are_boilerplate():
    assert is_boilerplate_line("配色 | 辅助线 | 重置 | 放大 | 缩小 | 大字幕 | 读屏 | 指读 | 连读 | 语速")
    assert is_boilerplate_line("无障碍 长者模式")
    assert is_boilerplate_line("长者助手")
    assert not is_boilerplate_line("重置计划执行情况")
    assert not is_boilerplate_line("读屏软件适配工作取得进展。")
    lines = extract(_page(f'<div class="content">{BODY}</div>')).lines
    assert lines == PARAS


def test_table_heavy_notice_keeps_every_table_and_the_text_between():
    def table(n: int) -> str:
        head = "<tr><td>序号</td><td>单位名称</td><td>考核得分</td><td>等次</td></tr>"
        body = "".join(f"<tr><td>{i}</td><td>某县第{n}组单位{i}</td><td>9{i}.5</td><td>优秀</td></tr>"
                       for i in range(1, 6))
        return f"<table>{head}{body}</table>"

    notice = (
        "<p>现将2023年度行政执法考核结果公布如下：</p>"
        f"<p>一、县直单位</p>{table(1)}"
        f"<p>二、乡镇人民政府</p>{table(2)}"
        f"<p>三、垂直管理部门</p>{table(3)}"
        "<p>特此通知。</p>"
    )
    lines = extract(_page(f'<div class="content">{notice}</div><div class="side"><p>联系我们</p></div>')).lines
    text = "\n".join(lines)
    for n in (1, 2, 3):
        for i in range(1, 6):
            assert f"某县第{n}组单位{i}" in text
    for between in ("一、县直单位", "二、乡镇人民政府", "三、垂直管理部门", "特此通知。"):
        assert between in lines
    assert lines[0].startswith("现将2023年度")
