"""Near-duplicates: signatures, and links made at ingest."""

from __future__ import annotations

import shutil

from whoosh import index as whoosh_index

from index.build import ingest
from index.clean import clean_file
from index.dedup import band_keys, is_near_duplicate, signature, similarity
from index.normalize import normalize_text
from index.schema import INDEX_NAME
from tests.conftest import seed_path


def test_traditional_mirror_matches_its_original():
    simplified = clean_file(seed_path("000")).text
    import opencc
    traditional = opencc.OpenCC("s2t").convert(simplified)
    mirrored, script = normalize_text(traditional)
    assert script == "traditional"
    assert is_near_duplicate(signature(simplified), signature(mirrored))


def test_different_reports_are_not_linked():
    a, b = (signature(clean_file(seed_path(s)).text) for s in ("001", "002"))
    assert similarity(a, b) < 0.3 and not is_near_duplicate(a, b)
    assert not set(band_keys(a)) & set(band_keys(b))


def test_punctuation_and_spacing_do_not_count():
    text = clean_file(seed_path("002")).text
    assert similarity(signature(text), signature(text.replace("，", ",").replace("。", " 。 "))) == 1.0


def test_ingest_links_mirrors_and_copies(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for s in ("000", "001", "002"):
        shutil.copy(seed_path(s), corpus / seed_path(s).name)
    import opencc
    original = clean_file(seed_path("001"))
    (corpus / "zz-mirror.txt").write_text(opencc.OpenCC("s2t").convert(original.text), encoding="utf-8")
    (corpus / "zz-edited.txt").write_text(seed_path("002").read_text(encoding="utf-8") + "\n附：补充说明一句。",
                                          encoding="utf-8")
    ingest([corpus], tmp_path / "ix")
    ix = whoosh_index.open_dir(str(tmp_path / "ix"), indexname=INDEX_NAME)
    with ix.searcher() as searcher:
        docs = {d["source"].rsplit("/", 1)[-1][:8]: d for d in searcher.all_stored_fields()}
    assert docs["zz-mirro"]["duplicate_of"] == docs[seed_path("001").name[:8]]["id"]
    assert docs["zz-edite"]["duplicate_of"] == docs[seed_path("002").name[:8]]["id"]
    assert not docs[seed_path("000").name[:8]].get("duplicate_of")
