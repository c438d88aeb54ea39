"""Whoosh's stored records compressed with Zstandard, not zlib.

Every hit of a results page reads one stored record: its text is what the
snippets are cut from.  Whoosh's whoosh3 codec keeps the records as pickles
compressed with zlib, and inflating them was a quarter of a results page
(0.22 ms a record on the bench corpus); Zstandard reads the same record in
a third of that, at a slightly smaller size, and writes it faster.

The codec names its stored column in one module global, which this module
replaces (setup.cfg pins Whoosh-Reloaded to the releases it was tested on).
Segments written before keep their zlib records: a record is read by its
first bytes, so an index is never unreadable, only slower until rewritten.
What goes into a frame (the metadata pickle, then the text) is
index.stored_record's.
"""

from __future__ import annotations

import zlib

import zstandard
from whoosh import columns
from whoosh.codec import whoosh3

from govsearch.index.stored_record import RecordColumn

LEVEL = 6  # a record compresses in ~0.4 ms (zlib level 3: ~0.5) and reads in ~0.07 ms
_MAGIC = b"\x28\xb5\x2f\xfd"  # a Zstandard frame's first bytes (a zlib stream starts with 0x78)
_compressor = zstandard.ZstdCompressor(level=LEVEL)
_decompressor = zstandard.ZstdDecompressor()


def compress(data: bytes, level: int = LEVEL) -> bytes:
    return _compressor.compress(data)


def decompress(data: bytes) -> bytes:
    """A record written by this codec, or by Whoosh's own (zlib)."""
    return _decompressor.decompress(data) if data[:4] == _MAGIC else zlib.decompress(data)


class ZstdBytesColumn(columns.CompressedBytesColumn):
    """Whoosh's compressed bytes column with this module's codec."""

    def writer(self, dbfile):
        column_writer = self.Writer(dbfile, self._level, "zlib")
        column_writer._compress = compress
        return column_writer

    def reader(self, dbfile, basepos, length, doccount):
        column_reader = self.Reader(dbfile, basepos, length, doccount, "zlib")
        column_reader._decompress = decompress
        return column_reader


def install() -> None:
    """Make the whoosh3 codec write and read stored records laid out by
    index.stored_record, compressed with Zstandard."""
    if not isinstance(whoosh3.STORED_COLUMN, RecordColumn):
        whoosh3.STORED_COLUMN = RecordColumn(ZstdBytesColumn(level=LEVEL))
