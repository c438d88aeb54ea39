"""Near-duplicates: signatures, and links made at ingest."""

from __future__ import annotations

import itertools
import shutil

from whoosh import index as whoosh_index

from govsearch.index.build import ingest
from govsearch.index.clean import clean_file
from govsearch.index.dedup import (
    _A,
    _B,
    NUM_PERM,
    SHINGLE,
    band_keys,
    is_near_duplicate,
    minhash,
    shingle_hashes,
    signature,
    similarity,
)
from govsearch.index.normalize import fold, normalize_text
from govsearch.index.schema import INDEX_NAME
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


# ------------------------------------------------------------------ the estimate itself
def shingles(text: str) -> set[str]:
    folded = fold(text)
    return {folded[i : i + SHINGLE] for i in range(max(1, len(folded) - SHINGLE + 1))}


def jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)


def test_mirror_and_lightly_edited_copy_stay_similar():
    text = clean_file(seed_path("003")).text
    import opencc
    mirrored, _ = normalize_text(opencc.OpenCC("s2t").convert(text))
    assert similarity(signature(text), signature(mirrored)) >= 0.9
    edited = text.replace("。", "；", 3).replace("工作", "任务", 2) + "\n附：补充说明一句。"
    assert edited != text and jaccard(text, edited) < 1
    assert similarity(signature(text), signature(edited)) >= 0.9


def test_unrelated_seeds_stay_far_apart():
    sigs = {s: signature(clean_file(seed_path(s)).text) for s in ("000", "001", "002", "003", "004")}
    for a, b in itertools.combinations(sigs, 2):
        assert similarity(sigs[a], sigs[b]) < 0.15, (a, b)
        assert not set(band_keys(sigs[a])) & set(band_keys(sigs[b])), (a, b)


def test_estimate_tracks_true_jaccard():
    """Overlapping slices of one report, and two unrelated reports."""
    paras = clean_file(seed_path("002")).text.split("\n")
    n = len(paras)
    pairs = [("\n".join(paras[: n * k // 8]), "\n".join(paras[n * j // 8 :]))
             for k, j in ((5, 2), (6, 1), (7, 2), (4, 3))]
    pairs.append((clean_file(seed_path("000")).text, clean_file(seed_path("004")).text))
    truths = [jaccard(a, b) for a, b in pairs]
    assert min(truths) < 0.05 and any(0.3 < t < 0.7 for t in truths) and max(truths) > 0.7  # a real spread
    for (a, b), truth in zip(pairs, truths, strict=True):
        assert abs(similarity(signature(a), signature(b)) - truth) <= 0.15, truth


def test_short_and_empty_texts():
    empty = signature("")
    assert len(empty) == NUM_PERM and all(isinstance(v, int) for v in empty)
    assert signature("，。 \n") == empty  # folds to the empty text: one (empty) shingle, as before
    assert len(shingle_hashes("")) == len(shingle_hashes("abc")) == 1
    assert signature("ABC") == signature("abc") != signature("abd")
    assert similarity(signature("abcd"), signature("abcde")) < 0.5
    assert similarity(signature("法治"), signature("法治")) == 1.0


def test_shingle_hashes_are_per_shingle():
    """The vectorized rolling hash equals hashing each shingle on its own, and
    distinct shingles of a report get distinct hashes."""
    folded = fold(clean_file(seed_path("000")).text)
    hashes = shingle_hashes(folded)
    assert len(hashes) == len(folded) - SHINGLE + 1
    for i in (0, 1, 17, len(folded) - SHINGLE):
        assert hashes[i] == shingle_hashes(folded[i : i + SHINGLE])[0]
    assert len(set(hashes.tolist())) == len(shingles(folded))


def test_minima_are_datasketchs_affine32_minhash():
    """The same permuted minima as datasketch's default scheme, given our shingle hashes and permutations."""
    import datasketch  # a test dependency (>= 2.0, which has the affine32 scheme)

    m = datasketch.MinHash(num_perm=NUM_PERM, hashfunc=int, permutations=(_A.ravel(), _B.ravel()),
                           scheme="affine32")
    text = clean_file(seed_path("001")).text
    m.update_batch(shingle_hashes(fold(text)).tolist())
    assert m.hashvalues.tolist() == signature(text) == minhash(shingle_hashes(fold(text))).tolist()
