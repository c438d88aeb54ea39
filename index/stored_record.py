"""A stored record's bytes: its metadata pickled, then its text on its own.

Whoosh pickles a stored record whole, so the text - 97% of a record's bytes
- goes in as UTF-8: three bytes for every Chinese character.  Here the text
follows the pickle of everything else, in UTF-16 when that is the shorter
encoding (2 bytes a BMP character: any text that is mostly Chinese), else in
UTF-8.  Compressed, a record is smaller (real reports' text: 7.5-8.3%; the
bench corpus's records: 10%), and the text decodes without unpickling the
rest: what a concordance sorted by context reads of every matching report.

Layout before compression: one tag byte (``UTF16`` or ``UTF8``), the
metadata pickle's length (4 bytes, little-endian), the pickle, the text.
A record written before this layout is a plain pickle, whose first byte is
the pickle protocol opcode 0x80, never a tag: both read.
"""

from __future__ import annotations

import pickle
import struct
from collections.abc import Callable
from typing import Any

from whoosh import columns
from whoosh.codec import whoosh3

UTF16, UTF8 = 1, 2
_ENCODINGS = {UTF16: "utf-16-le", UTF8: "utf-8"}
_HEAD = struct.Struct("<BI")
_ERRORS = "surrogatepass"  # what pickle allows in a str, so every record that pickled still encodes


def encode(record: dict[str, Any]) -> bytes:
    """A record's bytes: a tag, its metadata pickle, its text."""
    text = record.get("text")
    if not isinstance(text, str):
        return pickle.dumps(record, pickle.HIGHEST_PROTOCOL)
    meta = pickle.dumps({k: v for k, v in record.items() if k != "text"}, pickle.HIGHEST_PROTOCOL)
    data = text.encode("utf-8", _ERRORS)
    tag = UTF8
    if len(data) > 2 * len(text):  # mostly characters outside ASCII: UTF-16 is shorter
        data, tag = text.encode("utf-16-le", _ERRORS), UTF16
    return _HEAD.pack(tag, len(meta)) + meta + data


def _split(data: bytes) -> tuple[int, int, int]:
    tag, length = _HEAD.unpack_from(data)
    return tag, _HEAD.size, _HEAD.size + length


def decode(data: bytes) -> dict[str, Any]:
    """The record :func:`encode` wrote, or a plain pickle of an older index."""
    if data[0] not in _ENCODINGS:
        return pickle.loads(data)
    tag, start, end = _split(data)
    record = pickle.loads(data[start:end])
    record["text"] = data[end:].decode(_ENCODINGS[tag], _ERRORS)
    return record


def decode_text(data: bytes) -> str:
    """Only the text of a record, without unpickling its metadata."""
    if data[0] not in _ENCODINGS:
        return pickle.loads(data).get("text") or ""
    tag, _, end = _split(data)
    return data[end:].decode(_ENCODINGS[tag], _ERRORS)


class RecordColumn(columns.WrappedColumn):
    """Whoosh's stored column with records laid out as above (in place of
    its PickleColumn), over a bytes column that compresses them."""

    class Writer(columns.WrappedColumnWriter):
        def add(self, docnum, v):
            self._child.add(docnum, b"" if v is None else encode(v))

    class Reader(columns.WrappedColumnReader):
        def __getitem__(self, docnum):
            data = self._child[docnum]
            return decode(data) if data else None

        def __iter__(self):
            for data in self._child:
                yield decode(data) if data else None

        def text(self, docnum: int) -> str:
            data = self._child[docnum]
            return decode_text(data) if data else ""


def text_reader(reader) -> Callable[[int], str]:
    """For a Whoosh reader (one segment's or several): docnum -> the text of
    its stored record, read through the stored column's cached reader (the
    one ``stored_fields`` uses) without unpickling the rest.  Relies on the
    whoosh3 codec's per-document reader, as index.stored_codec does."""
    segments = getattr(reader, "readers", None)
    if segments is None:
        return _segment_text(reader)
    texts = [_segment_text(segment) for segment in segments]

    def text(docnum: int) -> str:
        segment, local = reader._segment_and_docnum(docnum)
        return texts[segment](local)
    return text


def _segment_text(segment) -> Callable[[int], str]:
    column = segment._perdoc._cached_reader("_stored", whoosh3.STORED_COLUMN)
    if not isinstance(column, RecordColumn.Reader):  # no records yet, or another codec: the slow way
        return lambda docnum: segment.stored_fields(docnum).get("text") or ""
    return column.text
