"""Stored records in Zstandard (index.stored_codec), and indexes whose records are still zlib."""

from __future__ import annotations

import zlib

from whoosh import columns
from whoosh.codec import whoosh3

from govsearch.index import stored_codec
from govsearch.index.build import write_reports
from govsearch.index.report import Report
from govsearch.search.engine import Engine

TEXT = "本年度，县政府深入推进依法行政，推行双随机、一公开监管。" * 20


def _reports(n: int) -> list[Report]:
    return [Report(id=f"{i:040d}", source=f"r{i}.txt", title=f"第{i}号报告", text=f"{TEXT}第{i}号。")
            for i in range(n)]


def _raw_records(index_dir) -> list[bytes]:
    """The stored column's bytes, as compressed on disk."""
    from govsearch.index.schema import open_index

    with open_index(index_dir).reader() as reader:
        segments = getattr(reader, "readers", None) or [reader]
        out = []
        for seg in segments:
            column = seg._perdoc._cached_reader("_stored", columns.VarBytesColumn())  # the bytes, undecoded
            out += [column[d] for d in range(seg.doc_count_all())]
        return out


def test_records_are_written_as_zstandard_frames_and_read_back(tmp_path):
    write_reports(tmp_path / "ix", _reports(3))
    raw = _raw_records(tmp_path / "ix")
    assert raw and all(r[:4] == b"\x28\xb5\x2f\xfd" for r in raw)
    engine = Engine(tmp_path / "ix")
    assert engine.get("0" * 39 + "1")["text"] == f"{TEXT}第1号。"
    assert engine.search('"双随机一公开"', exact=True).total == 3


def test_an_index_written_with_zlib_records_still_reads(tmp_path, monkeypatch):
    """Segments of an index built before the codec change keep their zlib
    records; new segments beside them are Zstandard; both read."""
    monkeypatch.setattr(whoosh3, "STORED_COLUMN", columns.PickleColumn(columns.CompressedBytesColumn()))
    write_reports(tmp_path / "ix", _reports(2))
    assert all(zlib.decompress(r) for r in _raw_records(tmp_path / "ix"))
    monkeypatch.undo()
    stored_codec.install()
    write_reports(tmp_path / "ix", [Report(id="9" * 40, source="new.txt", title="新报告", text=f"{TEXT}新。")])
    kinds = {r[:4] == b"\x28\xb5\x2f\xfd" for r in _raw_records(tmp_path / "ix")}
    assert kinds == {True, False}
    engine = Engine(tmp_path / "ix")
    assert engine.get("0" * 40)["text"] == f"{TEXT}第0号。"
    assert engine.get("9" * 40)["title"] == "新报告"
    assert engine.search('"依法行政"', exact=True).total == 3
