"""The substring layer: building, merging, storage, and what search sees."""

from __future__ import annotations

import numpy as np
import pytest

from govsearch.index import grams
from govsearch.index.build import ingest, write_reports
from govsearch.index.report import Report
from govsearch.search.engine import Engine

TEXTS = ["法治政府建设\n双随机、一公开监管", "双随机一公开", "一公开双随机，双随机双随机", "ABC abc 2021-2025年"]


def scan(texts: list[str], needle: str) -> dict[int, int]:
    """Reference: overlapping occurrences of a folded needle per folded line."""
    from govsearch.index.normalize import fold

    out = {}
    for i, text in enumerate(texts):
        n = 0
        for line in text.split("\n"):
            f = fold(line)
            n += sum(1 for p in range(len(f)) if f.startswith(needle, p))
        if n:
            out[i] = n
    return out


def stored(tmp_path, arrays: grams.FieldArrays) -> grams.ChunkField:
    name = grams.write_chunk(tmp_path, np.arange(len(arrays.doc_start) - 1), {"text": arrays, "title": arrays})
    return grams.Chunk(tmp_path / name).fields["text"]


@pytest.mark.parametrize("needle", ["双随机一公开", "双随机", "随机", "双", "公开双", "abc", "2021", "建设双", "z"])
def test_counts_equal_a_substring_scan(tmp_path, needle):
    field = stored(tmp_path, grams.build_field([grams.codes_of(t) for t in TEXTS]))
    docs, counts = field.occurrences(needle)
    assert dict(zip(docs.tolist(), counts.tolist(), strict=True)) == scan(TEXTS, needle)


# Reports a chunk's narrow arrays must escape values of: a report past 65,535
# codes (positions) with a bigram 40,000 times in it (counts), and a bigram
# whose reports are 300 apart (gaps between reports).
LONG = ["短文", "双随机" + "法治" * 40_000 + "双随机一公开", "双随机一公开"]
SPREAD = ["蒙速办"] + [f"第{i}号" for i in range(300)] + ["蒙速办一次办"]


def _round_trip(field: grams.ChunkField, built: grams.FieldArrays, texts: list[str], needles) -> None:
    back = field.arrays()
    for attr in ("keys", "pos_off", "pos", "doc_off", "docs", "counts", "doc_start"):
        assert np.array_equal(getattr(back, attr), getattr(built, attr)), attr
        assert getattr(back, attr).dtype == getattr(built, attr).dtype, attr
    for needle in needles:
        docs, counts = field.occurrences(needle)
        assert dict(zip(docs.tolist(), counts.tolist(), strict=True)) == scan(texts, needle), needle
    _holds_where_it_occurs(field)


def _holds_where_it_occurs(field: grams.ChunkField) -> None:
    """ChunkField.holds says a key is at a position exactly where the key's
    positions list it: asked of each key at each of its positions and the
    places next to them, and of every key at once (one row each, a key the
    field lacks among them) at positions across every report."""
    n = len(field.keys)
    if not n:
        return
    rng = np.random.default_rng(0)
    chosen = np.unique(np.r_[np.arange(min(n, 40)), rng.integers(0, n, 40)])
    total = int(field.doc_start[-1])

    def docs_of(at: np.ndarray) -> np.ndarray:
        return np.searchsorted(field.doc_start, at, side="right") - 1

    for i in chosen.tolist():
        own = field.positions(i).astype(np.int64)
        at = np.unique(np.r_[own, own + 1, own - 1])
        at = at[(at >= 0) & (at < total)]
        assert np.array_equal(field.holds(np.array([i]), at[None, :], docs_of(at))[0], np.isin(at, own)), i
    at = np.unique(rng.integers(0, total, 300))
    keys = np.r_[chosen, -1]
    want = np.array([np.isin(at, field.positions(i).astype(np.int64)) for i in chosen] + [np.zeros(len(at), bool)])
    assert np.array_equal(field.holds(keys, np.broadcast_to(at, (len(keys), len(at))), docs_of(at)), want)


@pytest.mark.parametrize(("texts", "escaped"), [(TEXTS, False), (LONG, True), (SPREAD, True)])
def test_stored_narrow_and_read_back_whole(tmp_path, texts, escaped):
    """On disk a chunk's positions (relative to their report) take 16 bits,
    its counts and report gaps 8, the few larger values kept aside; read
    back, its arrays equal the ones built, and a lookup equals a scan."""
    import json

    built = grams.build_field([grams.codes_of(t) for t in texts])
    field = stored(tmp_path, built)
    (name,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert json.loads((name / "info.json").read_text())["types"]["text"] == grams.ENCODINGS
    assert (name / "text.pos").stat().st_size == len(built.pos) * 2
    assert (name / "text.counts").stat().st_size == (name / "text.docs").stat().st_size == len(built.docs)
    aside = sum((name / f"text.{a}.xi").stat().st_size for a in ("pos", "docs", "counts"))
    assert (aside > 0) == escaped
    _round_trip(field, built, texts, ("双随机一公开", "双随机", "法治法", "短文", "蒙速办", "号", "办"))


@pytest.mark.parametrize("layout", ["plain 32-bit, absolute", "plain 16-bit, relative"])
def test_chunks_of_earlier_layouts_still_read(tmp_path, layout):
    """Chunks written by earlier versions (an index not yet optimized) answer as before."""
    import json

    built = grams.build_field([grams.codes_of(t) for t in SPREAD])
    name = grams.write_chunk(tmp_path, np.arange(len(SPREAD)), {"text": built, "title": built})
    folder = tmp_path / name
    info = json.loads((folder / "info.json").read_text())
    for f in grams.FIELDS:
        if layout.startswith("plain 32"):
            values = {"pos": built.pos, "docs": built.docs, "counts": built.counts}
            dtype = np.uint32
            info.pop("types", None)
        else:
            values = {"pos": grams._relative(built), "docs": built.docs, "counts": built.counts}
            dtype = np.uint16
            info["types"][f] = dict.fromkeys(values, "uint16")
        for attr, array in values.items():
            array.astype(dtype).tofile(folder / f"{f}.{attr}")
    (folder / "info.json").write_text(json.dumps(info))
    old = grams.Chunk(folder)
    assert not old.current
    _round_trip(old.fields["text"], built, SPREAD, ("蒙速办", "号", "办", "第1"))
    old.close()
    grams.write_manifest(tmp_path, [name])
    grams.compact(tmp_path)  # what govsearch optimize does: a chunk alone in an old layout is rewritten
    (rewritten,) = grams.open_chunks(tmp_path)
    assert rewritten.current and rewritten.name != name and not folder.exists()
    _round_trip(rewritten.fields["text"], built, SPREAD, ("蒙速办", "号", "办", "第1"))


def test_a_match_never_crosses_a_paragraph_or_a_report(tmp_path):
    field = stored(tmp_path, grams.build_field([grams.codes_of(t) for t in ["法治\n政府", "建设", "政府"]]))
    assert len(field.occurrences("治政")[0]) == 0
    assert len(field.occurrences("设政")[0]) == 0
    assert field.occurrences("政府")[0].tolist() == [0, 2]


def test_merged_chunks_equal_one_build():
    parts = [TEXTS[:1], TEXTS[1:3], TEXTS[3:]]
    merged = grams.merge_fields([grams.build_field([grams.codes_of(t) for t in p]) for p in parts])
    whole = grams.build_field([grams.codes_of(t) for t in TEXTS])
    for attr in ("keys", "pos_off", "pos", "doc_off", "docs", "counts", "doc_start"):
        assert np.array_equal(getattr(merged, attr), getattr(whole, attr)), attr


def test_tiered_merging_keeps_every_report(tmp_path, monkeypatch):
    monkeypatch.setattr(grams, "BASE_CODES", 10)
    monkeypatch.setattr(grams, "MERGE_FACTOR", 2)
    reports = [Report(id=f"{i:040d}", source=f"r{i}", text=f"第{i}号报告 双随机一公开" * (i % 3 + 1))
               for i in range(9)]
    for report in reports:  # one commit (and one chunk) per report
        write_reports(tmp_path / "ix", [report])
    chunks = grams.open_chunks(tmp_path / "ix" / grams.GRAMS_DIR)
    assert len(chunks) < len(reports)
    assert sorted(s for c in chunks for s in c.serials.tolist()) == sorted(set(s for c in chunks
                                                                             for s in c.serials.tolist()))
    result = Engine(tmp_path / "ix").search("双随机一公开", exact=True, per_page=100)
    assert result.total == len(reports)
    assert {h.fields["id"]: h.occurrences for h in result.hits} == {r.id: i % 3 + 1 for i, r in enumerate(reports)}


# Body text long enough to be a report (index.clean.MIN_BODY_CHARS).
PREAMBLE = ("本年度，县政府坚持以习近平新时代中国特色社会主义思想为指导，"
            "深入推进依法行政，加快建设法治政府，各项工作取得积极成效。")


def test_a_changed_report_is_found_by_its_new_text_only(tmp_path):
    page = tmp_path / "pages" / "a.txt"
    page.parent.mkdir()
    page.write_text(f"某县2022年度法治政府建设情况报告\n{PREAMBLE}\n推行蒙速办服务。", encoding="utf-8")
    ingest([page.parent], tmp_path / "ix")
    page.write_text(f"某县2022年度法治政府建设情况报告\n{PREAMBLE}\n推行一件事一次办。", encoding="utf-8")
    ingest([page.parent], tmp_path / "ix")
    engine = Engine(tmp_path / "ix")
    assert engine.search('"蒙速办"').total == 0
    assert engine.search('"一件事一次办"').total == 1


def test_an_orphan_chunk_is_harmless(tmp_path):
    """A chunk whose reports were never committed (a crash in between)."""
    write_reports(tmp_path / "ix", [Report(id="1" * 40, source="a", text="双随机一公开")])
    layer = grams.LayerWriter(tmp_path / "ix")
    layer.add({"text": "双随机一公开 蒙速办"})
    layer.flush()
    engine = Engine(tmp_path / "ix")
    assert engine.search('"蒙速办"').total == 0
    assert engine.search('"双随机一公开"').total == 1


def test_the_next_commit_sweeps_what_a_killed_writer_left(tmp_path):
    index_dir = tmp_path / "ix"
    write_reports(index_dir, [Report(id="1" * 40, source="a", text="双随机一公开")])
    root = index_dir / grams.GRAMS_DIR
    (root / "tmp-c0123456789abcdef").mkdir()  # killed while writing a chunk
    (root / "tmp-c0123456789abcdef" / "text.keys").write_bytes(b"\0" * 8)
    unlisted = grams.write_chunk(root, np.zeros(0, np.int64),  # killed before listing it
                                 {f: grams.build_field([]) for f in grams.FIELDS})
    (root / f"{grams.MANIFEST}.999.tmp").write_text("{")  # killed while writing the manifest
    write_reports(index_dir, [Report(id="2" * 40, source="b", text="蒙速办")])
    names = {p.name for p in root.iterdir()}
    assert not {"tmp-c0123456789abcdef", unlisted, f"{grams.MANIFEST}.999.tmp"} & names
    assert {p.name for p in root.iterdir() if p.is_dir()} == set(grams.read_manifest(root))
    engine = Engine(index_dir)
    assert engine.search('"蒙速办"').total == 1 and engine.search('"双随机一公开"').total == 1


@pytest.mark.parametrize("text", [*TEXTS, "", "\n\n", "a\n\nb_c\u2028d\n ＡＢＣ\n\u0301x", "ﬁ\nﬀ", "𠀀字\n\n",
                                  "\n a", "、\n。", "第①条 Ⅻ ２０２１年"])
def test_codes_are_the_folded_lines(text):
    """codes_of folds the whole text at once; it must equal fold() per line."""
    from govsearch.index.normalize import fold

    expected = "".join(f + "\0" for f in (fold(line) for line in text.split("\n")) if f)
    assert "".join(map(chr, grams.codes_of(text).tolist())) == expected


def test_codes_of_seed_reports_are_the_folded_lines():
    from govsearch.index.clean import clean_file
    from govsearch.index.normalize import fold
    from tests.conftest import seed_path

    for seed in ("000", "001", "002", "003", "004"):
        text = clean_file(seed_path(seed)).text
        expected = "".join(f + "\0" for f in (fold(line) for line in text.split("\n")) if f)
        assert "".join(map(chr, grams.codes_of(text).tolist())) == expected
