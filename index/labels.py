"""Metadata printed by the page itself: 索引号/发布机构/发文日期 blocks.

Government CMSs print a block of ``标签: 值`` pairs, sometimes several on one
line (glued: ``来源：访问量：199发布日期：2017-05-15``), sometimes pipe-delimited
table rows, bracketed labels (``[发文机构] …``), a label alone with its value
on the next line, or a bare publication date.  This module is the one reader
of them: the extractor asks it which page lines are metadata and hands the
label/value pairs on (:func:`label_pairs`); a text's own lines go through
:func:`extract_metadata_lines`.  The labels and the fields they fill are data
(``data/metadata_labels.tsv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from govsearch.index.bundled import data_file
from govsearch.index.dates import DATE_ONLY, DATE_TEXT


def _load_labels() -> dict[str, str]:
    text = (data_file("metadata_labels.tsv")).read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {label: name for label, name in rows}


# label → field ("": recognised, so the line is metadata, but not kept).
LABELS: dict[str, str] = _load_labels()

# One alternation of all labels, longest first, spaces allowed inside (索 引 号).
_LABEL_ALT = "|".join(r"\s*".join(map(re.escape, label)) for label in sorted(LABELS, key=len, reverse=True))
_LABEL_RE = re.compile(rf"(?:^|(?<=[\s|｜【\[]))({_LABEL_ALT})\s*[:：]")
_LINE_START = re.compile(rf"^[\s|｜•·【\[]*(?:{_LABEL_ALT})\s*[:：]")
_VALUE_TRIM = re.compile(r"^[\s|｜】\]]+|[\s|｜【\[]+$")
# A metadata line is short and is not a sentence.
MAX_METADATA_LINE = 200

# 2020-07-04 12:10:24 来源：求是网 - a publication time, then labelled fields.
_DATE_LEAD = re.compile(rf"^\s*({DATE_TEXT})\s*(?=(?:{_LABEL_ALT})\s*[:：])")
_META_START = re.compile(rf"{_LINE_START.pattern}|^\s*[\[【［]\s*(?:{_LABEL_ALT})\s*[\]】］]")
# [发文机构] 北京市人民政府办公厅 - a bracketed label and no colon.
_BRACKET_LABEL = re.compile(rf"[\[【［]\s*({_LABEL_ALT})\s*[\]】］]\s*")
_META_ROW = re.compile(rf"(?:^|\|)\s*(?:{_LABEL_ALT})\s*[:：]?\s*(?:\||$)")
_META_LABEL = re.compile(rf"({_LABEL_ALT})\s*(?=[:：])")
_BARE_LABEL_CELL = re.compile(rf"(^|\|)(\s*(?:{_LABEL_ALT})\s*)(?=\||$)")
# The label given to a bare date next to the body (a line of its own, or one
# that leads a metadata line): CMSs print the publication time there.
PUBLISHED_LABEL = "发布时间"


def _label_key(text: str) -> str:
    """A label as LABELS spells it: no spaces inside (索 引 号), no colon after."""
    return re.sub(r"\s+|[:：]$", "", text)


def is_metadata_line(text: str) -> bool:
    """A labelled line such as ``发布日期：2023-04-19`` or a metadata table row."""
    if len(text) > MAX_METADATA_LINE:
        return False
    if _META_START.match(text) or _DATE_LEAD.match(text):
        return True
    return "|" in text and bool(_META_ROW.search(text))


def is_lone_label(text: str) -> bool:
    """``发布机构：`` with its value on the next line."""
    m = _META_START.match(text)
    return bool(m) and not text[m.end():].strip(" |｜")


def canonical(text: str) -> str:
    """A metadata line as ``标签：值 | 标签：值``: `` | `` before a label glued to
    the previous value, a colon after a bare label cell or a bracketed label,
    and a bare date labelled 发布时间."""
    if DATE_ONLY.match(text):
        return f"{PUBLISHED_LABEL}：{text.strip(' 【】[]')}"
    lead = _DATE_LEAD.match(text)
    if lead:
        text = f"{PUBLISHED_LABEL}：{lead.group(1)} | {text[lead.end():]}"
    text = _BARE_LABEL_CELL.sub(lambda m: f"{m.group(1)}{m.group(2).rstrip()}：", text)
    text = _BRACKET_LABEL.sub(lambda m: f"{m.group(1)}：", text)
    out, last = [], 0
    for m in _META_LABEL.finditer(text):
        before = text[last:m.start()].rstrip()
        out.append(before)
        if before and not before.endswith(("|", "｜", "【", "[")):
            out.append(" | ")
        elif before:
            out.append(" ")
        last = m.start()
    out.append(text[last:])
    return "".join(out).strip()


def label_pairs(text: str) -> list[tuple[str, str]]:
    """The (label, value) pairs of a metadata line, in order; the label
    without its inner spaces (索 引 号 → 索引号), the value trimmed."""
    line = canonical(text)
    matches = list(_LABEL_RE.finditer(line))
    pairs = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        pairs.append((_label_key(m.group(1)), _clean_value(line[m.end():end])))
    return pairs


def fields_of(pairs: list[tuple[str, str]] | list[list[str]]) -> dict[str, str]:
    """The record fields a line's pairs fill: the first value of each field wins."""
    found: dict[str, str] = {}
    for label, value in pairs:
        name = LABELS.get(_label_key(label), "")
        if name and value and name not in found:
            found[name] = value
    return found


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
        label = _label_key(cell)
        if label not in LABELS:
            continue
        labelled = True
        value = cells[i + 1] if i + 1 < len(cells) else ""
        if LABELS[label] and value and _label_key(value) not in LABELS:
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
    if not (_META_START.match(line) or _DATE_LEAD.match(line)):
        return None
    return fields_of(label_pairs(line))


# A label and its value with nothing between (发文机关中共安徽省交通运输厅党组), as a
# flattened table prints them: read only in a block of such lines at the top.
_BARE_PAIR = re.compile(rf"^\s*({_LABEL_ALT})\s*(?![:：\s])(\S.{{0,60}})$")
BARE_BLOCK = 2  # lines in a row it takes


def _bare_pairs(lines: list[str]) -> dict[int, dict[str, str]]:
    """Fields of the colonless label/value lines at the top that stand in a
    block of BARE_BLOCK or more and name at least one field."""
    found: dict[int, dict[str, str]] = {}
    run: list[int] = []
    for i, line in enumerate([*lines[:TABLE_ROWS_WITHIN], ""]):
        m = _BARE_PAIR.match(line)
        if m and len(_label_key(m.group(1))) >= 3:
            run.append(i)
            continue
        if len(run) >= BARE_BLOCK:
            for j in run:
                m = _BARE_PAIR.match(lines[j])
                found[j] = fields_of([(m.group(1), _clean_value(m.group(2)))])
        run = []
    return found


def extract_metadata_lines(lines: list[str]) -> tuple[PageMetadata, list[str]]:
    """Take labelled metadata lines out of the body; return them as fields."""
    meta = PageMetadata()
    body = []
    waiting: str | None = None  # a label printed alone, its value on the next line
    bare = _bare_pairs(lines)
    for i, line in enumerate(lines):
        parsed = bare[i] if i in bare else parse_labelled_line(line, tables=i < TABLE_ROWS_WITHIN)
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
        return LABELS[_label_key(matches[0].group(1))]
    return None
