"""Corrections a researcher gives by hand, kept with the index and re-applied.

A CSV with a header: one column that names the report (``id``, ``url`` or
``source``), then ``field`` and ``value``::

    id,field,value
    3f1c…,report_year,2021
    https://www.example.gov.cn/art/2023/1.html,level,县级     (column url)

``govsearch ingest --metadata fixes.csv`` and ``govsearch reindex --metadata
fixes.csv`` check every row before anything is written: an unknown field, a
value the field cannot take or a report the index does not hold is an error
naming its line, and nothing is applied.  Accepted rows join the index's own
``corrections.csv``; every later write of the report (re-ingest, a crawl's
re-fetch, reindex) applies them again, and its evidence says "corrections
file" with the line.  An empty value clears a field.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govsearch.index.atomic import write_text_atomically
from govsearch.index.dates import is_iso_date
from govsearch.index.report import DOC_TYPES, ISSUER_KINDS, LEVELS, MAX_YEAR, MIN_YEAR, Report

FILE = "corrections.csv"
KEYS = ("id", "url", "source")


class CorrectionError(ValueError):
    """A corrections file that cannot be applied as it stands; names the line."""


def _year(value: str) -> int | None:
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{4}", value) or not MIN_YEAR <= int(value) <= MAX_YEAR:
        raise ValueError(f"年份须是 {MIN_YEAR}–{MAX_YEAR} 的四位数 (a year {MIN_YEAR}-{MAX_YEAR}, or empty)")
    return int(value)


def _one_of(choices: tuple[str, ...]):
    def check(value: str) -> str:
        if value and value not in choices:
            raise ValueError(f"可选 {'、'.join(choices)} (one of {', '.join(choices)}, or empty)")
        return value
    return check


def _date(value: str) -> str:
    """An ISO date that exists (2022-02-30 does not)."""
    if value and not is_iso_date(value):
        raise ValueError("日期须为 YYYY-MM-DD (a date YYYY-MM-DD, or empty)")
    return value


def _province(value: str) -> str:
    """A province by its full name or a short one (山东 → 山东省)."""
    from govsearch.index.gazetteer import load

    if not value:
        return value
    provinces = [p for p in load().lookup(value) if len(p.code) == 2]
    if not provinces:
        raise ValueError("须为省级行政区，如 内蒙古自治区 或 内蒙古 (a province, e.g. 内蒙古自治区)")
    return provinces[0].name


def _name(value: str) -> str:
    if len(value) > 60:
        raise ValueError("名称过长 (at most 60 characters)")
    return value


# The fields a correction may set, each with its check.  The title and text
# are not among them: they are what the index's words are cut from.
FIELDS = {"report_year": _year, "level": _one_of(LEVELS), "issuer_kind": _one_of(ISSUER_KINDS),
          "doc_type": _one_of(DOC_TYPES), "province": _province, "city": _name, "county": _name,
          "publisher": _name, "publish_date": _date}


@dataclass(frozen=True)
class Correction:
    key: str  # id | url | source
    report: str  # the value of that key
    field: str
    value: Any
    origin: str  # file name and line, for the evidence

    def matches(self, record: dict[str, Any]) -> bool:
        """Whether the row names ``record``; an id it had before (its
        ``aliases``: an earlier version, the older id scheme) still names it."""
        if not self.report:
            return False
        return record.get(self.key) == self.report or (self.key == "id" and self.report in record.get("aliases", ()))

    def row(self) -> dict[str, str]:
        value = "" if self.value is None else str(self.value)
        return {"key": self.key, "report": self.report, "field": self.field, "value": value, "origin": self.origin}


def parse(text: str, name: str) -> list[Correction]:
    """Every row of a corrections CSV, checked; raises CorrectionError at the first bad line."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None:
        raise CorrectionError(f"{name}: 文件为空 (empty file; expected a header such as id,field,value)")
    header = [h.strip().lower() for h in header]
    keys = [h for h in header if h in KEYS]
    if len(keys) != 1 or "field" not in header or "value" not in header or len(header) != 3:
        raise CorrectionError(f"{name} line 1: 表头须为 id（或 url、source）,field,value "
                              f"(the header must be id|url|source, field, value; got {','.join(header)})")
    key = keys[0]
    out = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            raise CorrectionError(f"{name} line {number}: 应有 3 列，实有 {len(row)} 列 "
                                  f"(expected 3 cells, got {len(row)})")
        cells = dict(zip(header, (cell.strip() for cell in row), strict=True))
        field = cells["field"]
        if field not in FIELDS:
            raise CorrectionError(f"{name} line {number}: 未知字段 {field!r}，可更正的字段有 {', '.join(FIELDS)} "
                                  f"(unknown field)")
        if not cells[key]:
            raise CorrectionError(f"{name} line {number}: 缺少 {key} (no report named)")
        try:
            value = FIELDS[field](cells["value"])
        except ValueError as exc:
            raise CorrectionError(f"{name} line {number}: {field} 的值 {cells['value']!r} 无效：{exc}") from None
        out.append(Correction(key, cells[key], field, value, f"{name} line {number}"))
    return out


def load_file(path: Path) -> list[Correction]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CorrectionError(f"{path}: 无法读取 (cannot read: {exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise CorrectionError(f"{path}: 不是 UTF-8 文本 (not UTF-8 text)") from None
    return parse(text, path.name)


def stored(index_dir: Path) -> list[Correction]:
    """The corrections kept with an index (none for a new one)."""
    path = Path(index_dir) / FILE
    if not path.exists():
        return []
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return [Correction(r["key"], r["report"], r["field"], FIELDS[r["field"]](r["value"]), r["origin"]) for r in rows]


def store(index_dir: Path, corrections: Iterable[Correction]) -> None:
    """Write the index's corrections (atomically: a reader never sees half a file)."""
    path = Path(index_dir) / FILE
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["key", "report", "field", "value", "origin"])
    writer.writeheader()
    for correction in corrections:
        writer.writerow(correction.row())
    write_text_atomically(path, buffer.getvalue())


def merged(old: list[Correction], new: list[Correction]) -> list[Correction]:
    """Old and new, a later row for the same report and field replacing an earlier one."""
    out: dict[tuple[str, str, str], Correction] = {}
    for correction in [*old, *new]:
        out[(correction.key, correction.report, correction.field)] = correction
    return list(out.values())


def check_known(corrections: list[Correction], records: Iterable[dict[str, Any]]) -> None:
    """Raise CorrectionError for the first row that names no report among ``records``."""
    wanted = {(c.key, c.report) for c in corrections}
    found = {pair for r in records
             for pair in [*((k, r.get(k)) for k in KEYS), *(("id", a) for a in r.get("aliases", ()))]
             if pair in wanted}
    for c in corrections:
        if (c.key, c.report) not in found:
            raise CorrectionError(f"{c.origin}: 索引中没有 {c.key} 为 {c.report!r} 的报告 (no such report)")


def apply(report: Report, corrections: list[Correction]) -> bool:
    """Set the corrected fields of one report and mark them in its evidence;
    returns whether any applied."""
    record = {"id": report.id, "url": report.url, "source": report.source, "aliases": report.aliases}
    applied = False
    for correction in corrections:
        if correction.matches(record):
            setattr(report, correction.field, correction.value)
            report.evidence[correction.field] = {"rule": "corrections file", "text": correction.origin, "line": 0}
            applied = True
    return applied
