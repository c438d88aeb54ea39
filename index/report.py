"""The Report record: the contract between the write path and the read path.

Everything the index stores about a page is a field here (see DESIGN.md), so
``govsearch clean`` shows exactly what ingest will write.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any

# The values the record's facet fields take (the read path's filters use the same).
LEVELS = ("国家级", "省级", "市级", "县级", "乡镇级")
ISSUER_KINDS = ("政府", "部门", "党委", "其他")
DOC_TYPES = ("annual_report", "other")
MIN_YEAR, MAX_YEAR = 1949, 2100


def report_id(source: str) -> str:
    """sha1 of a string: a crawled report's id is that of its canonical URL."""
    return hashlib.sha1(source.encode("utf-8")).hexdigest()


def document_id(data: bytes, source: str) -> str:
    """A local file's id: sha1 of its source (its path from what was
    ingested, ``reports/2022/a.html``) and its bytes.  The same file has the
    same id on every machine and wherever its folder sits, so a permalink
    can be cited; two files never share one, even with the same bytes or
    the same layout.  The record a re-ingest replaces is found by its
    ``local_key`` instead."""
    return hashlib.sha1(source.encode("utf-8") + b"\0" + data).hexdigest()


@dataclass
class Section:
    heading: str
    kind: str  # measures | responsibility | shortcomings | plans | other
    start: int  # character offsets into Report.text
    end: int


# Where a field is shown: HIT is the one hit schema - a search hit, an export row and the
# report of a concordance line carry these fields under these names (UI, API, CLI); CLEAN is
# what `govsearch clean` prints.  The full record (/api/reports/<id>) has every field but
# the private ones.  Every list of fields elsewhere derives from these (fields_in).
HIT, CLEAN, PRIVATE = "hit", "clean", "private"


def _in(*views: str) -> dict[str, tuple[str, ...]]:
    return {"views": views}


@dataclass
class Report:
    """One report, its fields in the order every view shows them."""

    id: str = field(metadata=_in(HIT, CLEAN))
    title: str = field(default="", metadata=_in(HIT, CLEAN))
    publisher: str = field(default="", metadata=_in(HIT, CLEAN))
    publish_date: str = field(default="", metadata=_in(HIT, CLEAN))  # ISO yyyy-mm-dd
    report_year: int | None = field(default=None, metadata=_in(HIT, CLEAN))  # the year reported on
    level: str = field(default="", metadata=_in(HIT, CLEAN))  # 国家级 | 省级 | 市级 | 县级 | 乡镇级
    issuer_kind: str = field(default="", metadata=_in(HIT, CLEAN))  # 政府 | 部门 | 党委 | 其他
    province: str = field(default="", metadata=_in(HIT, CLEAN))
    city: str = field(default="", metadata=_in(HIT, CLEAN))
    county: str = field(default="", metadata=_in(HIT, CLEAN))
    adcode: str = field(default="", metadata=_in(HIT, CLEAN))
    # The same issuer across years (index.issuer_identity): 150821:政府, 150821:部门:司法局.
    issuer_key: str = field(default="", metadata=_in(HIT, CLEAN))
    doc_type: str = field(default="other", metadata=_in(HIT, CLEAN))  # annual_report | other
    doc_number: str = field(default="", metadata=_in(HIT, CLEAN))
    index_number: str = field(default="", metadata=_in(HIT, CLEAN))
    source_name: str = field(default="", metadata=_in(CLEAN))  # 来源 line: the outlet a page credits
    title_inferred: bool = field(default=False, metadata=_in(CLEAN))
    script: str = field(default="simplified", metadata=_in(CLEAN))  # what the source was
    url: str = field(default="", metadata=_in(HIT))
    source: str = field(default="", metadata=_in(HIT, CLEAN))
    duplicate_of: str = field(default="", metadata=_in(HIT))  # id of the report this one nearly duplicates
    text: str = ""
    sections: list[Section] = field(default_factory=list)
    content_hash: str = ""  # hash of the raw input + pipeline version
    minhash: list[int] = field(default_factory=list)  # near-duplicate signature
    # For each inferred field: the rule and the text it came from (index.inference).
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict)
    # A local file's path key (sha1 of its path from the project, else its absolute path):
    # how a re-ingest of the same file finds this record to replace.  Never shown.
    local_key: str = field(default="", metadata=_in(PRIVATE))
    # Where a crawled report's bytes are kept: the WARC file, the record's
    # offset and id, and the capture time (index.crawl.warcstore.capture).
    archive: dict[str, Any] = field(default_factory=dict)
    # Ids this report had before (an earlier version of the file, the older id scheme):
    # /reports/<old id> redirects here.
    aliases: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        known = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in known}
        values["sections"] = [
            s if isinstance(s, Section) else Section(**s) for s in values.get("sections") or []
        ]
        return cls(**values)


def fields_in(view: str) -> tuple[str, ...]:
    """The Report fields a view shows, in the record's order."""
    return tuple(f.name for f in fields(Report) if view in f.metadata.get("views", ()))


def field_types() -> dict[str, Any]:
    """Each Report field's annotation (for schemas derived from the record)."""
    import typing

    return typing.get_type_hints(Report)
