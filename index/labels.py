"""Metadata printed by the page itself: 索引号/发布机构/发文日期 blocks and dates.

Government CMSs print a block of ``标签: 值`` pairs, sometimes several on one
line, sometimes pipe-delimited table rows, sometimes a label alone with its
value on the next line.  Those lines become fields and leave the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# label → field.  Labels are matched with optional spaces between characters
# ("索 引 号") and a colon after them.
LABELS: dict[str, str] = {
    "索引号": "index_number",
    "文号": "doc_number",
    "发文字号": "doc_number",
    "发文机关": "publisher",
    "发文机构": "publisher",
    "发布机构": "publisher",
    "发文单位": "publisher",
    "发布单位": "publisher",
    "发布日期": "publish_date",
    "发布时间": "publish_date",
    "发文日期": "written_date",
    "成文日期": "written_date",
    "成文时间": "written_date",
    "印发日期": "written_date",
    "施行日期": "",
    "来源": "source_name",
    "信息来源": "source_name",
    "文章来源": "source_name",
    "稿件来源": "source_name",
    "标题": "title",
    "信息名称": "title",
    "名称": "title",
    "主题分类": "",
    "分类": "",
    "组配分类": "",
    "体裁分类": "",
    "主题词": "",
    "公开方式": "",
    "公开时限": "",
    "公开范围": "",
    "公开形式": "",
    "有效性": "",
    "生效日期": "",
    "废止日期": "",
    "时效": "",
    "浏览次数": "",
    "阅读次数": "",
    "访问量": "",
    "点击数": "",
    "作者": "",
    "编辑": "",
    "责任编辑": "",
    "时间": "publish_date",
    "日期": "publish_date",
    "服务对象分类": "",
    "关键词": "",
    "公开属性": "",
    "访问次数": "",
    "点击量": "",
    "统一编号": "",
    "登记号": "",
    "所属机构": "",
    "所属主题": "",
    "内容分类": "",
    "责任部门": "",
}

# One alternation of all labels, longest first, spaces allowed inside (索 引 号).
LABEL_PATTERN = "|".join(
    r"\s*".join(map(re.escape, label)) for label in sorted(LABELS, key=len, reverse=True)
)
_LABEL_ALT = LABEL_PATTERN
_LABEL_RE = re.compile(rf"(?:^|(?<=[\s|｜【\[]))({_LABEL_ALT})\s*[:：]")
_LINE_START = re.compile(rf"^[\s|｜•·【\[]*(?:{_LABEL_ALT})\s*[:：]")
_VALUE_TRIM = re.compile(r"^[\s|｜】\]]+|[\s|｜【\[]+$")
# A metadata line is short and is not a sentence.
MAX_METADATA_LINE = 200


@dataclass
class PageMetadata:
    fields: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.fields.get(name, "")


def _clean_value(value: str) -> str:
    return re.sub(r"\s+", " ", _VALUE_TRIM.sub("", value)).strip(" |｜")


_TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$")


def _table_row(line: str) -> dict[str, str] | None:
    """A row of a label/value table (``| 索引号 | X | 发文字号 | Y |``): each
    cell that is a label takes the next cell that is not one as its value;
    a row with no label cell is not metadata.  A table's rule row is."""
    if _TABLE_RULE.match(line):
        return {}
    cells = [c.strip() for c in line.strip().strip("|｜").split("|")]
    found: dict[str, str] = {}
    labelled = False
    for i, cell in enumerate(cells):
        label = re.sub(r"\s+|[:：]$", "", cell)
        if label not in LABELS:
            continue
        labelled = True
        value = cells[i + 1] if i + 1 < len(cells) else ""
        if LABELS[label] and value and re.sub(r"\s+|[:：]$", "", value) not in LABELS:
            found.setdefault(LABELS[label], _clean_value(value))
    return found if labelled else None


# Label/value table rows are read only this near the top: a data table in
# the body has 名称 and 时间 cells too.
TABLE_ROWS_WITHIN = 20


def parse_labelled_line(line: str, tables: bool = False) -> dict[str, str] | None:
    """Split ``索引号: X 文号: Y`` (or ``索 引 号: | X |``, or with ``tables`` a
    table row ``| 索引号 | X |``) into fields.

    Returns None when the line is not a metadata line.
    """
    if len(line) > MAX_METADATA_LINE:
        return None
    if tables and line.count("|") >= 2 and not _LINE_START.match(line):
        return _table_row(line)
    if not _LINE_START.match(line):
        return None
    matches = list(_LABEL_RE.finditer(line))
    if not matches:
        return None
    found: dict[str, str] = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        label = re.sub(r"\s+", "", m.group(1))
        name = LABELS[label]
        value = _clean_value(line[m.end() : end])
        if name and value and name not in found:
            found[name] = value
    return found


def extract_metadata_lines(lines: list[str]) -> tuple[PageMetadata, list[str]]:
    """Take labelled metadata lines out of the body; return them as fields."""
    meta = PageMetadata()
    body = []
    waiting: str | None = None  # a label printed alone, its value on the next line
    for i, line in enumerate(lines):
        parsed = parse_labelled_line(line, tables=i < TABLE_ROWS_WITHIN)
        if parsed is None:
            if waiting is not None and len(line) <= MAX_METADATA_LINE // 2:
                if waiting:
                    meta.fields.setdefault(waiting, _clean_value(line))
                waiting = None
                continue
            waiting = None
            body.append(line)
            continue
        for name, value in parsed.items():
            meta.fields.setdefault(name, value)
        waiting = _lone_label(line)
    return meta, body


def _lone_label(line: str) -> str | None:
    """The field of a line that is one label and no value (``发布机构：``)."""
    matches = list(_LABEL_RE.finditer(line))
    if len(matches) == 1 and not _clean_value(line[matches[0].end():]):
        return LABELS[re.sub(r"\s+", "", matches[0].group(1))]
    return None
