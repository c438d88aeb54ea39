"""A report as a source: its citation in the styles researchers paste.

One set of facts (:class:`Source`) - who issued it, its title, when it was
published, where it is read, and when it was read - is written out in each
style, so the styles cannot disagree.  The date it was read is the capture
time when the report was crawled (the copy the archive keeps is what was
cited), else the date asked for (default: today).  A report with no URL of
its own (a local file) is cited at its permalink.

- ``gbt7714``: GB/T 7714-2015, electronic resource: 主要责任者. 题名[EB/OL].
  (发表日期)[引用日期]. 获取和访问路径.
- ``bibtex``: ``@misc`` with biblatex's ``date``, ``url`` and ``urldate``.
- ``ris``: a ``GOVDOC`` record, ``Y2`` the access date.
- ``csl``: CSL-JSON (type ``report``), what Zotero and pandoc read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

STYLES = ("gbt7714", "bibtex", "ris", "csl")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class Source:
    id: str
    author: str
    title: str
    published: str  # yyyy-mm-dd or ""
    accessed: str  # yyyy-mm-dd
    url: str
    report_year: int | None

    @property
    def year(self) -> str:
        return self.published[:4]


def source(record: dict[str, Any], permalink: str, today: dt.date | None = None) -> Source:
    """The facts a citation gives, from a stored record (see the module notes)."""
    captured = (record.get("archive") or {}).get("captured_at") or ""
    accessed = captured[:10] if _DATE.match(captured) else (today or dt.date.today()).isoformat()
    published = record.get("publish_date") or ""
    return Source(id=record["id"], author=(record.get("publisher") or "").strip(),
                  title=(record.get("title") or "").strip(), published=published if _DATE.match(published) else "",
                  accessed=accessed, url=record.get("url") or permalink, report_year=record.get("report_year"))


def gbt7714(s: Source) -> str:
    """GB/T 7714-2015 §4.1 / 8.8: the responsible body, the title with its
    type mark, (publication date)[citation date], the URL."""
    head = f"{s.author}. " if s.author else ""
    dates = (f"({s.published})" if s.published else "") + f"[{s.accessed}]"
    return f"{head}{s.title}[EB/OL]. {dates}. {s.url}."


_BIBTEX_SPECIAL = re.compile(r"([{}%&$#_^~\\])")


def _bib(value: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: "\\textbackslash{}" if m.group(1) == "\\" else "\\" + m.group(1), value)


def bibtex(s: Source) -> str:
    """``@misc``: the issuer in double braces (a body, not a person's
    family and given names), dates as biblatex reads them."""
    fields = [("author", f"{{{_bib(s.author)}}}" if s.author else ""), ("title", f"{{{_bib(s.title)}}}"),
              ("year", s.year), ("date", s.published), ("url", s.url), ("urldate", s.accessed),
              ("note", f"报告年度 {s.report_year}" if s.report_year else "")]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{govsearch-{s.id[:12]},\n{body}\n}}\n"


def ris(s: Source) -> str:
    """A RIS record: tags of two letters, two spaces, a dash, ending ``ER``."""
    tags = [("TY", "GOVDOC"), ("AU", s.author), ("TI", s.title), ("PY", s.year),
            ("DA", s.published.replace("-", "/")), ("PB", s.author), ("UR", s.url),
            ("Y2", s.accessed.replace("-", "/")), ("N1", f"报告年度 {s.report_year}" if s.report_year else ""),
            ("ID", s.id)]
    return "".join(f"{tag}  - {value}\n" for tag, value in tags if value) + "ER  - \n"


def _date_parts(iso: str) -> dict[str, list[list[int]]]:
    return {"date-parts": [[int(part) for part in iso.split("-")]]}


def csl(s: Source) -> dict[str, Any]:
    """CSL-JSON: an institution as a literal name."""
    item: dict[str, Any] = {"id": s.id, "type": "report", "title": s.title, "URL": s.url,
                            "accessed": _date_parts(s.accessed), "language": "zh-CN"}
    if s.author:
        item["author"] = [{"literal": s.author}]
        item["publisher"] = s.author
    if s.published:
        item["issued"] = _date_parts(s.published)
    if s.report_year:
        item["note"] = f"报告年度 {s.report_year}"
    return item


def cite(record: dict[str, Any], style: str, permalink: str, today: dt.date | None = None) -> str | dict[str, Any]:
    """The record cited in ``style`` (one of STYLES); CSL is a JSON object."""
    facts = source(record, permalink, today)
    return {"gbt7714": gbt7714, "bibtex": bibtex, "ris": ris, "csl": csl}[style](facts)
