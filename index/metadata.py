"""Document-level inference: title, the year reported on, document type.

Simple, explainable rules over the title, the opening lines and the section
structure; each returns "" / None when the evidence is missing rather than
guessing.
"""

from __future__ import annotations

import re

from govsearch.index.issuer import ISSUER_PREFIX
from govsearch.index.normalize import HAN, squeeze_han_spaces

# ---------------------------------------------------------------- title
MAX_TITLE = 80
MAX_TITLE_LINES = 3  # a title wraps over at most this many lines


def looks_like_title(line: str) -> bool:
    """A heading: short, not a sentence, no list numbering."""
    line = line.strip()
    if not line or len(line) > MAX_TITLE or line.endswith(("。", "；", "：", "，")):
        return False
    if re.match(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、])", line):
        return False
    if re.search(r"(?:^|\s)[>»›](?:\s|$)", line):  # a breadcrumb: 首页 > 政务公开 > 重要公告
        return False
    if _TODAY_WIDGET.search(line):  # 天津市静海区人民政府 2019年12月3日星期二: a banner's date widget
        return False
    return bool(re.search(f"[{HAN}]", line))


_TODAY_WIDGET = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期|周)[一二三四五六日天]")


# 文种: a title names its kind of document last (党政机关公文处理工作条例 lists
# the official kinds; 总结/情况/年报/白皮书/要点 are the report kinds studied here),
# maybe followed by a bracketed note such as （2022年度）.
DOC_KINDS = ("决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复",
             "议案", "函", "纪要", "总结", "情况", "年报", "白皮书", "要点", "方案", "规划", "办法", "规定",
             "制度", "规则", "细则", "条例", "纲要", "计划", "指南")
# The kinds that give an account (of a year, a meeting, a matter); the others make rules,
# plans and notices.
ACCOUNT_KINDS = ("公报", "通报", "报告", "请示", "议案", "纪要", "总结", "情况", "年报", "白皮书")
RULE_KINDS = tuple(kind for kind in DOC_KINDS if kind not in ACCOUNT_KINDS)
_CONTINUATIONS = ("的", "之", "暨", "及", "和", "与")
_ATTACHMENT_LABEL = re.compile(r"附\s*件\s*\d*\s*[:：]?")
_ENDS_WITH_KIND = re.compile(rf"(?:{'|'.join(DOC_KINDS)})(?:[（(][^（）()]{{1,20}}[）)])?$")


def names_document(text: str) -> bool:
    """Whether a title-like text names a document (ends with its kind), as
    ``2022年度法治政府建设情况报告`` does and ``附件1`` or ``点击下载`` do not."""
    return looks_like_title(text) and bool(_ENDS_WITH_KIND.search(clean_title(text)))


def title_from_lines(lines: list[str]) -> tuple[str, int]:
    """The title at the top of a text, and how many lines it spans (0: none).

    A long title wraps: a PDF's centred title, a heading broken by <br>.  A
    line continues the title above it when the title so far does not end
    with a kind of document (or the line opens with a particle no title
    starts with: 的报告), the line is no longer than the one above (that one
    filled the width; a site banner above a title is the shorter line), and
    the joined title, at most MAX_TITLE_LINES lines, ends with a kind.  An
    attachment's label line (附件 / 附件2：, top left in GB/T 9704) above it
    is skipped."""
    label = 1 if lines and _ATTACHMENT_LABEL.fullmatch(lines[0].strip()) else 0
    lines = lines[label:]
    if not lines or not looks_like_title(lines[0]):
        return "", 0
    title, spans = clean_title(lines[0]), 1
    joined, above = title, lines[0].strip()
    for count, line in enumerate((line.strip() for line in lines[1:MAX_TITLE_LINES]), start=2):
        # 关于…的<kind>: a 关于 title that has not reached its 的 goes on (…年度报告 / 工作的通知).
        unfinished = "关于" in joined and "的" not in joined[joined.index("关于"):]
        continues = not _ENDS_WITH_KIND.search(joined) or line.startswith(_CONTINUATIONS) or unfinished
        if not (looks_like_title(line) and continues and len(above) >= len(line)):
            break
        joined, above = clean_title(joined + line), line
        if len(joined) > MAX_TITLE:
            break
        if _ENDS_WITH_KIND.search(joined):
            title, spans = joined, count
    return title, label + spans


def clean_title(title: str) -> str:
    """Squeeze spaced-out titles (``报 告``), list bullets before them (``• ``)
    and trailing site suffixes."""
    title = squeeze_han_spaces(title.strip().lstrip("•·▪●◆■□◇○-– ").strip())
    return re.split(r"\s*[_|｜]\s*|\s+-\s+", title)[0].strip()


# ---------------------------------------------------------------- report year
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年(度)?")
# Years that introduce plans rather than the period reported on.
_PLAN_CONTEXT = re.compile(r"^(?:工作)?(?:计划|安排|打算|思路|重点|工作要点|主要安排)")


def report_year_from(text: str) -> int | None:
    """The year reported on: 20XX年度 first, then the first 20XX年 that is
    not followed by plan words (a 2023年工作计划 is not a report year)."""
    if not text:
        return None
    m = re.search(r"((?:19|20)\d{2})\s*年度", text)
    if m:
        return int(m.group(1))
    for m in _YEAR_RE.finditer(text):
        if not _PLAN_CONTEXT.match(text[m.end() : m.end() + 8]):
            return int(m.group(1))
    return None


# ---------------------------------------------------------------- doc type
# An annual report's title: a year, then …报告/总结 at the end, or the
# 法治政府建设 report form even without a year.
_ANNUAL_TITLE = re.compile(
    r"(?:19|20)\d{2}\s*年度?.{0,60}(?:报告|总结)$"
    r"|(?:法治政府建设|依法行政|法治建设|政府工作)(?:工作)?的?(?:情况|进展)?的?(?:年度)?报告$"
    r"|年度报告$|年报$")
# Titles of things that are not the annual report itself.
_NOT_ANNUAL = re.compile(
    r"纪实|解读|新闻|发布会|综述|宣传|典型|图解|答记者问|访谈|论文|研究|述评|评论|通讯|侧记"
    # a headline about a report: 贵州省发布2016年…年度报告, 我县召开…
    r"|(?:发布|公布|印发|审议|通过|评议|点评|晒出|召开|举行)了?(?:19|20)\d{2}"
    r"|(?:方案|规划|计划|意见|通知|办法|要点|决定|公报)$")
# Section kinds whose presence marks a report on a year's work.
REPORT_SECTION_KINDS = frozenset({"measures", "responsibility", "shortcomings", "plans"})


# A report's title that adds the next year's plan: …2018年政府工作报告和2019年工作计划.
_PLAN_TAIL = re.compile(r"(?:和|及|暨|与|并)(?:19|20)\d{2}\s*年度?[^和及暨与并]{0,12}(?:计划|安排|打算|思路|要点)$")


def doc_type_for(title: str, *, title_inferred: bool, section_kinds: set[str]) -> str:
    """annual_report or other.

    A real title decides by its form.  A report without a title (a bare text
    mirror) counts as annual when its sections cover at least two of
    measures/responsibility/shortcomings/plans - the structure every annual
    法治政府建设 report is required to have.
    """
    if title and not title_inferred:
        # A bracketed note ends many titles: …工作报告（全文）, …报告（2022年）.
        bare = _PLAN_TAIL.sub("", re.sub(r"(?:[（(][^（）()]{1,20}[）)])+$", "", title.strip()))
        named = ISSUER_PREFIX.match(bare)
        kind = bare[named.end(1):] if named else bare  # 新闻办公室 names the issuer, not a news item
        if _ANNUAL_TITLE.search(bare) and not _NOT_ANNUAL.search(kind):
            return "annual_report"
        return "other"
    return "annual_report" if len(section_kinds & REPORT_SECTION_KINDS) >= 2 else "other"


def year_from_publish_date(publish_date: str) -> int | None:
    """Reports on year N appear in the first half of N+1; later ones are
    usually on the current year."""
    m = re.match(r"(\d{4})-(\d{2})", publish_date or "")
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    return year - 1 if month <= 6 else year
