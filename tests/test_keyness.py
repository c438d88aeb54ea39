"""Keyness (issue 17, item 5) checked by brute force: every stored text of
both sides cut with the index's analyzer and counted here, never through
the postings under test, and G² from the textbook."""

from __future__ import annotations

import math
import re
from collections import Counter

import pytest

from govsearch.corpus import generate
from govsearch.index.build import ingest
from govsearch.search.collocates import is_content_word
from govsearch.search.engine import Engine
from govsearch.search.keyness import excerpt, keyness
from govsearch.search.query import Filters, QueryError
from tests.test_collocates import textbook_g2, tokens

EVERYTHING = {"sample_chars": 10**9, "candidates": 10**6}  # the samples are the sides: nothing screened out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Engine:
    root = tmp_path_factory.mktemp("keyness")
    generate(100, root / "pages", seed=11, progress=False)
    ingest([root / "pages"], root / "index", base=root)
    return Engine(root / "index")


def brute_side(selected) -> dict:
    """Each word's tokens and reports over a side's stored texts, and its tokens."""
    freq, docs = Counter(), Counter()
    for _, record in selected.records(selected.kept):
        words = [w for w, _, _ in tokens(record.get("text") or "")]
        freq.update(words)
        docs.update(set(words))
    return {"freq": freq, "docs": docs, "tokens": sum(freq.values()), "reports": len(selected.kept)}


def brute_keyness(a: dict, b: dict, min_freq: int, min_share: float, limit: int) -> dict[str, list[dict]]:
    ta, tb = a["tokens"], b["tokens"]
    rows = {"over": [], "under": []}
    for word in sorted(a["freq"].keys() | b["freq"].keys()):
        fa, fb = a["freq"][word], b["freq"][word]
        if not is_content_word(word) or fa * tb == fb * ta:
            continue
        key, side = ("over", a) if fa * tb > fb * ta else ("under", b)
        if side["freq"][word] < min_freq or side["docs"][word] < min_share * side["reports"]:
            continue
        ratio = math.log2(((fa or 0.5) / ta) / ((fb or 0.5) / tb))
        rows[key].append({"word": word, "freq_a": fa, "freq_b": fb, "docs_a": a["docs"][word],
                          "docs_b": b["docs"][word], "g2": round(textbook_g2(fa, ta - fa, fb, tb - fb), 4),
                          "log_ratio": round(ratio, 4)})
    def listed(found: list[dict]) -> list[dict]:
        """Without a sub-word counted exactly as its longer word on both sides (十大 in 二十大)."""
        inner = {r["word"] for r in found for o in found if r["word"] != o["word"] and r["word"] in o["word"]
                 and (r["freq_a"], r["freq_b"]) == (o["freq_a"], o["freq_b"])}
        return sorted((r for r in found if r["word"] not in inner), key=lambda r: (-r["g2"], r["word"]))[:limit]

    return {key: listed(found) for key, found in rows.items()}


SIDES = [(("", Filters(levels=["县级"])), ("", Filters(levels=["市级", "省级"]))),
         (("执法", Filters(years=[2022, 2023, 2024, 2025])), ("", Filters(years=[2019, 2020, 2021]))),
         (('"双随机"', None), ("", None))]


@pytest.mark.parametrize(("side_a", "side_b"), SIDES)
@pytest.mark.parametrize(("min_freq", "min_share"), [(3, 0.05), (1, 0.0)])
def test_keyness_equals_a_brute_force_count_of_both_sides(corpus, side_a, side_b, min_freq, min_share):
    a, b = corpus.selected(*side_a), corpus.selected(*side_b)
    got = keyness(a, b, limit=40, min_freq=min_freq, min_share=min_share, **EVERYTHING)
    want_a, want_b = brute_side(a), brute_side(b)
    assert min(want_a["reports"], want_b["reports"]) >= 10  # the comparison means something
    for name, want in (("a", want_a), ("b", want_b)):
        assert {k: got[name][k] for k in ("reports", "tokens", "tokens_exact", "sampled_reports")} == \
            {"reports": want["reports"], "tokens": want["tokens"], "tokens_exact": True,
             "sampled_reports": want["reports"]}
    want = brute_keyness(want_a, want_b, min_freq, min_share, 40)
    assert len(want["over"]) == len(want["under"]) == 40
    assert (got["over"], got["under"]) == (want["over"], want["under"])


def test_a_sampled_side_still_counts_every_listed_word_exactly(corpus):
    a, b = corpus.selected("", Filters(levels=["县级"])), corpus.selected("")
    got = keyness(a, b, sample_chars=20_000, candidates=120, limit=30)
    want_a, want_b = brute_side(a), brute_side(b)
    assert got["candidates"] <= 120 and got["over"] and got["under"]
    assert not got["a"]["tokens_exact"] and got["a"]["sampled_reports"] < got["a"]["reports"]
    # tokens from the field lengths, rescaled to the index's exact total: within a few in a thousand
    assert got["a"]["tokens"] == pytest.approx(want_a["tokens"], rel=3e-3)
    assert got["b"]["tokens"] == pytest.approx(want_b["tokens"], rel=3e-3)
    every = corpus.selected("", collapse=False)  # the whole index: exactly its total
    assert keyness(a, every, sample_chars=20_000)["b"]["tokens"] == brute_side(every)["tokens"]
    for row in got["over"] + got["under"]:
        word = row["word"]
        assert (row["freq_a"], row["freq_b"], row["docs_a"], row["docs_b"]) == \
            (want_a["freq"][word], want_b["freq"][word], want_a["docs"][word], want_b["docs"][word])
        assert row["docs_a" if row in got["over"] else "docs_b"] >= 0.05 * got["a" if row in got["over"] else "b"][
            "reports"]
    assert keyness(a, b, sample_chars=20_000, candidates=120, limit=30) == got  # deterministic


def test_identical_sides_have_no_keywords(corpus):
    side = corpus.selected("", Filters(levels=["县级"]))
    got = keyness(side, corpus.selected("", Filters(levels=["县级"])))
    assert got["over"] == got["under"] == [] and got["a"] == got["b"]


def test_a_side_of_the_seeds_within_all_of_them(engine):
    got = keyness(engine.selected("枫桥经验"), engine.selected(""), min_freq=2)
    assert (got["a"]["reports"], got["b"]["reports"]) == (2, 5) and got["over"] and got["under"]
    for row in got["over"] + got["under"]:  # A is inside B: never more of a word in A
        assert row["freq_a"] <= row["freq_b"] and row["docs_a"] <= row["docs_b"]
    assert all(row["freq_a"] == 0 or row["log_ratio"] < 0 for row in got["under"])


def test_an_empty_side_gives_empty_lists_and_says_so(engine):
    for a, b in (("执法", "量子引力"), ("量子引力", "")):
        got = keyness(engine.selected(a), engine.selected(b))
        assert got["over"] == got["under"] == [] and 0 in (got["a"]["reports"], got["b"]["reports"])
        other = b if a == "量子引力" else a  # the side that selects reports
        assert max(got["a"]["reports"], got["b"]["reports"]) == len(engine.selected(other).kept) > 0


def test_a_bad_parameter_is_a_chinese_error(engine):
    calls = {"limit": lambda: keyness(engine.selected("执法"), engine.selected(""), limit=0),
             "min_share": lambda: keyness(engine.selected("执法"), engine.selected(""), min_share=2)}
    for name, call in calls.items():
        with pytest.raises(QueryError) as raised:
            call()
        message = str(raised.value)
        assert re.match(r"^[\u4e00-\u9fff]", message) and "(" in message and name in message, message


def test_an_excerpt_is_whole_paragraphs_or_the_whole_text():
    text = "\n".join(f"第{i}段" + "字" * (i % 7 + 3) for i in range(300))
    assert excerpt(text, 5, len(text)) == text
    for docnum in range(20):
        part = excerpt(text, docnum, 200)
        assert len(part) >= 200 and part in text and part == excerpt(text, docnum, 200)
        start = text.index(part)
        assert start == 0 or text[start - 1] == "\n"
        assert text[start + len(part):][:1] in ("", "\n")
