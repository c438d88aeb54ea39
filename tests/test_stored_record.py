"""A stored record's layout (index.stored_record): the metadata pickle, then
the text alone in its shorter encoding; older plain pickles still read."""

from __future__ import annotations

import pickle

import pytest
import zstandard
from whoosh import columns
from whoosh.codec import whoosh3

from govsearch.index import stored_codec, stored_record
from govsearch.index.build import write_reports
from govsearch.index.report import Report
from govsearch.index.schema import open_index
from govsearch.search.engine import Engine

CHINESE = "本年度，县政府深入推进依法行政，推行“双随机、一公开”监管。"


@pytest.mark.parametrize(("text", "tag"), [
    (CHINESE * 10, stored_record.UTF16),
    ("Annual report 2023: 12 cases, 3 appeals." * 5, stored_record.UTF8),
    ("Mostly ASCII text with one 字 in it.", stored_record.UTF8),
    ("", stored_record.UTF8),
    ("lone surrogate \udc80 and 𠀋 outside the BMP" + CHINESE * 3, stored_record.UTF16),
])
def test_a_record_round_trips_with_its_text_in_the_shorter_encoding(text, tag):
    record = {"id": "a" * 40, "title": "标题", "text": text, "sections": [{"title": "一、", "start": 0}],
              "report_year": 2023}
    data = stored_record.encode(record)
    assert data[0] == tag
    assert stored_record.decode(data) == record
    assert stored_record.decode_text(data) == text


def test_records_without_a_text_string_and_older_pickles_read():
    for record in ({"id": "x"}, {"id": "y", "text": None}):
        data = stored_record.encode(record)
        assert stored_record.decode(data) == record
        assert stored_record.decode_text(data) == ""
    legacy = {"id": "z", "text": CHINESE}
    old = pickle.dumps(legacy, 2)  # what Whoosh's PickleColumn wrote
    assert stored_record.decode(old) == legacy
    assert stored_record.decode_text(old) == CHINESE


def test_a_real_report_compresses_smaller_than_its_pickle(seed_index):
    """The point of the layout: the seeds' records, compressed as the codec
    does, are smaller than the pickles Whoosh would have written."""
    compressor = zstandard.ZstdCompressor(level=stored_codec.LEVEL)
    with open_index(seed_index).searcher() as searcher:
        records = list(searcher.all_stored_fields())
    assert len(records) >= 5
    for record in records:
        laid_out = len(compressor.compress(stored_record.encode(record)))
        pickled = len(compressor.compress(pickle.dumps(record, 2)))
        assert laid_out < pickled * 0.97, record["id"]


def _reports(start: int, n: int) -> list[Report]:
    return [Report(id=f"{i:040d}", source=f"r{i}.txt", title=f"第{i}号报告", text=f"{CHINESE * 5}第{i}号。")
            for i in range(start, start + n)]


def _texts(index_dir) -> tuple[list[str], list[str]]:
    """Every docnum's text read alone, and read with its whole record."""
    with open_index(index_dir).searcher() as searcher:
        reader = searcher.reader()
        text = stored_record.text_reader(reader)
        docnums = range(reader.doc_count_all())
        return [text(d) for d in docnums], [searcher.stored_fields(d)["text"] for d in docnums]


def test_texts_read_alone_across_segments_and_from_older_segments(tmp_path, monkeypatch):
    """An index whose first segment holds plain pickles (written before this
    layout) and whose second holds laid-out records: each text reads alone,
    equal to the one in its whole record."""
    monkeypatch.setattr(whoosh3, "STORED_COLUMN", columns.PickleColumn(stored_codec.ZstdBytesColumn()))
    write_reports(tmp_path / "ix", _reports(0, 3))
    monkeypatch.undo()
    stored_codec.install()
    write_reports(tmp_path / "ix", _reports(3, 2))
    with open_index(tmp_path / "ix").reader() as reader:
        assert len(reader.readers) == 2
    alone, whole = _texts(tmp_path / "ix")
    assert alone == whole and len(set(alone)) == 5
    engine = Engine(tmp_path / "ix")
    found = engine.concordance("依法行政", sort="right", per_page=100)
    lines = found["lines"]
    assert found["total"] == len(lines) == 25  # five reports, five occurrences each
    assert {line.report["id"] for line in lines} == {r.id for r in _reports(0, 5)}
    assert [line.right for line in lines] == sorted(line.right for line in lines)
