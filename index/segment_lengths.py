"""The new segment's field lengths, read once a field for Whoosh's posting writer.

When a commit writes a segment, Whoosh stores every posting with its
document's length in the field (for the block statistics), asking the new
segment's per-document reader once a posting: half a million calls through a
column reader for 400 reports, the largest single cost of the writing
process.  Reading each field's lengths once gives the same numbers.
setup.cfg pins Whoosh-Reloaded to the releases whose writer this was tested
with (it replaces the writer's ``per_document_reader``).
"""

from __future__ import annotations

from typing import Any


class CachedLengths:
    """A per-document reader whose field lengths come from per-field tables."""

    def __init__(self, reader: Any):
        self._reader = reader
        self._tables: dict[tuple[str, int], list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        return self.field_lengths(fieldname, default)[docnum]

    def field_lengths(self, fieldname: str, default: int = 0) -> list[int]:
        """Every document's length in ``fieldname``, by docnum."""
        table = self._tables.get((fieldname, default))
        if table is None:
            reader = self._reader
            table = [reader.doc_field_length(d, fieldname, default) for d in range(reader.doc_count_all())]
            self._tables[(fieldname, default)] = table
        return table

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


def install(writer: Any) -> Any:
    """``writer`` (a Whoosh segment writer) with its new segment's lengths read once a field."""
    reader_of = writer.per_document_reader
    writer.per_document_reader = lambda: CachedLengths(reader_of())
    return writer
