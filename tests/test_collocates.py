"""Association statistics and collocates (issue 17, item 4), checked by
brute force: textbook formulas on hand-made tables, and every window of a
generated corpus cut with the index's own analyzer and counted here, never
through the module's windowing."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
import pytest
from scipy.stats import chi2_contingency

from govsearch.corpus import generate
from govsearch.index.analysis import dictionary_words
from govsearch.index.build import ingest
from govsearch.index.normalize import fold
from govsearch.index.schema import build_schema
from govsearch.search.association import cells, expected, log_likelihood, log_ratio, mutual_information
from govsearch.search.collocates import _allowances, collocates, is_content_word, own_words
from govsearch.search.engine import Engine
from govsearch.search.query import QueryError, parse

# Hand-made tables (O11, O12, O21, O22), zero cells included.
TABLES = [(10, 90, 20, 880), (1, 0, 0, 1), (0, 100, 10, 890), (5, 5, 5, 5), (7, 0, 3, 1000),
          (120, 4880, 30, 94970), (3, 2, 0, 995)]
GAP = r"(?:[^\w\n]|_)*"  # punctuation between a term's characters, never a line break


def textbook_g2(a: float, b: float, c: float, d: float) -> float:
    """G² from entropies: 2 (Σ O ln O + N ln N - Σ R ln R - Σ C ln C), 0 ln 0 = 0."""
    def xlx(x: float) -> float:
        return x * math.log(x) if x > 0 else 0.0

    n = a + b + c + d
    return 2 * (sum(map(xlx, (a, b, c, d))) + xlx(n) - xlx(a + b) - xlx(c + d) - xlx(a + c) - xlx(b + d))


def textbook_mi(a: float, b: float, c: float, d: float) -> float:
    return math.log2(a * (a + b + c + d) / ((a + b) * (a + c)))


@pytest.mark.parametrize("table", TABLES)
def test_g2_and_mi_equal_the_textbook(table):
    assert float(log_likelihood(*table)) == pytest.approx(textbook_g2(*table), abs=1e-9)
    if table[0]:
        assert float(mutual_information(*table)) == pytest.approx(textbook_mi(*table), abs=1e-12)
        e11 = (table[0] + table[1]) * (table[0] + table[2]) / sum(table)
        assert float(expected(*table)[0]) == pytest.approx(e11)
    else:
        assert float(mutual_information(*table)) == -math.inf


@pytest.mark.parametrize("table", [t for t in TABLES if all(t[i] + t[j] for i, j in ((0, 1), (2, 3), (0, 2), (1, 3)))])
def test_g2_equals_scipys_log_likelihood_test(table):
    a, b, c, d = table
    g2 = chi2_contingency([[a, b], [c, d]], correction=False, lambda_="log-likelihood")[0]
    assert float(log_likelihood(*table)) == pytest.approx(g2, rel=1e-9, abs=1e-9)


def test_g2_is_zero_when_observed_equals_expected_and_vectorized_equals_scalar():
    assert float(log_likelihood(5, 5, 5, 5)) == 0.0
    columns = np.array(TABLES, dtype=float).T
    assert np.allclose(log_likelihood(*columns), [textbook_g2(*t) for t in TABLES])


@pytest.mark.parametrize(("fa", "ta", "fb", "tb"), [(10, 1000, 5, 2000), (0, 1000, 8, 500), (8, 500, 0, 1000),
                                                    (3, 100, 3, 100)])
def test_log_ratio_is_hardies_with_half_for_a_zero(fa, ta, fb, tb):
    expected_ratio = math.log2(((fa or 0.5) / ta) / ((fb or 0.5) / tb))
    assert float(log_ratio(fa, ta, fb, tb)) == pytest.approx(expected_ratio)
    assert float(log_ratio(0, ta, 0, tb)) == 0.0
    assert cells(fa, ta, fb, tb) == (fa, ta - fa, fb, tb - fb)


def test_the_word_filter_drops_grammar_numbers_and_keeps_content():
    for word in ("的", "和", "在", "对", "等", "中", "年", "个", "2022", "3.5%", "我们", "对于"):
        assert not is_content_word(word), word
    for word in ("省", "执法", "枫桥经验", "依法", "进一步"):
        assert is_content_word(word), word


# ---------------------------------------------------------------- brute force on a generated corpus
@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Engine:
    """120 generated reports in two segments (two ingests)."""
    root = tmp_path_factory.mktemp("collocates")
    for part, seed in (("one", 5), ("two", 6)):
        generate(60, root / part, seed=seed, progress=False)
        ingest([root / part], root / "index", base=root)
    return Engine(root / "index")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """What the index's text-field analyzer makes of a whole text."""
    return [(t.text, t.startchar, t.endchar) for t in build_schema()["text"].analyzer(text, chars=True)]


def occurrences(terms: list[str], text: str) -> list[tuple[int, int]]:
    found = []
    for term in terms:
        found += [m.span(1) for m in re.finditer(f"(?=({GAP.join(map(re.escape, fold(term)))}))", text, re.I)]
    return sorted(found)


def windows_of(text: str, spans: list[tuple[int, int]], window: int) -> list[tuple[int, int]]:
    """The stretches within ``window`` characters of each span, in its line."""
    def line(at: int) -> tuple[int, int]:
        end = text.find("\n", at)
        return text.rfind("\n", 0, at) + 1, end if end >= 0 else len(text)

    return [w for s, e in spans for w in ((max(s - window, line(s)[0]), s), (e, min(e + window, line(e)[1])))]


def near(start: int, end: int, windows: list[tuple[int, int]], spans: list[tuple[int, int]]) -> bool:
    """Overlapping a window and no occurrence."""
    return any(start < hi and end > lo for lo, hi in windows) and not any(start < e and end > s for s, e in spans)


def brute_windows(text: str, spans: list[tuple[int, int]], window: int, marked: set | None = None) -> list[str]:
    """Each token of the whole text overlapping a window and no occurrence,
    but no part of a dictionary measure the analyzer also gave whole."""
    windows = windows_of(text, spans, window)
    every = tokens(text)
    # Measures with a mark inside (双随机、一公开, 放·管·服): a scan of the whole text for each.
    for word in (w for w in dictionary_words() if len(w) > 1):
        for m in re.finditer("[、·•‧・－\\- ]*".join(map(re.escape, word)), text, re.I):
            if m.group() != word and (word, *m.span()) not in every:
                every.append((word, *m.span()))
    wholes = [(s, e) for word, s, e in every if word in dictionary_words()]
    parts = {(s, e) for _, s, e in every for lo, hi in wholes if lo <= s and e <= hi and (s, e) != (lo, hi)}
    every = list(dict.fromkeys(every))
    kept = [(word, s, e) for word, s, e in every if near(s, e, windows, spans) and (s, e) not in parts]
    if marked is not None:  # the measures that stood with a mark inside
        marked.update(word for word, s, e in kept if text[s:e].lower() != word)
    return [word for word, _, _ in kept]


def brute_collocates(engine: Engine, q: str, terms: list[str], window: int, min_freq: int,
                     reference_docnums: set[int]) -> dict:
    """Every window of every selected report counted against the stored
    texts of ``reference_docnums``, less the windows among them."""
    selected = engine.selected(q)
    searcher = selected.view.searcher
    reference = Counter(w for d in reference_docnums for w, _, _ in tokens(searcher.stored_fields(d)["text"]))
    freq, inside, reports, lines, marked = Counter(), Counter(), Counter(), 0, set()
    for docnum, record in selected.records(selected.kept):
        spans = occurrences(terms, record["text"])
        lines += len(spans)
        words = brute_windows(record["text"], spans, window, marked)
        freq.update(words)
        reports.update(set(words))
        if docnum in reference_docnums:
            inside.update(words)
    in_windows, total, overlap = sum(freq.values()), sum(reference.values()), sum(inside.values())
    # A measure seen with a mark inside: its reference count is every occurrence, marks ignored.
    texts = [searcher.stored_fields(d)["text"] for d in reference_docnums]
    for word in marked:
        reference[word] = sum(len(occurrences([word], text)) for text in texts)
    own = own_words(parse(q))
    rows = {}
    for word, n in freq.items():
        if n < min_freq or word in own or not is_content_word(word):
            continue
        rest = reference[word] - inside[word]
        table = (n, in_windows - n, rest, total - overlap - rest)
        if n > in_windows * (n + rest) / sum(table):
            rows[word] = {"word": word, "freq": n, "reports": reports[word], "reference_freq": reference[word],
                          "mi": round(textbook_mi(*table), 4), "g2": round(textbook_g2(*table), 4)}
    # A sub-word counted exactly as its longer word (十大 in 二十大) is not listed.
    inner = {w for w in rows for o in rows if w != o and w in o
             and (rows[w]["freq"], rows[w]["reference_freq"]) == (rows[o]["freq"], rows[o]["reference_freq"])}
    return {"lines": lines, "tokens": in_windows, "reference": total,
            "rows": {w: row for w, row in rows.items() if w not in inner}}


def segment_docnums(engine: Engine, which: list[int]) -> set[int]:
    leaves = list(engine.selected("").view.searcher.reader().leaf_readers())
    return {d for i in which for seg, offset in [leaves[i]] for d in range(offset, offset + seg.doc_count_all())}


@pytest.mark.parametrize(("q", "terms", "window"), [("执法", ["执法"], 5), ('"双随机"', ["双随机"], 8),
                                                    ("复议 OR 诉讼", ["复议", "诉讼"], 3)])
def test_collocates_equal_a_brute_force_count_of_every_window(corpus, q, terms, window):
    got = collocates(corpus.selected(q), window=window, limit=500, min_freq=2, max_lines=10**6, max_reports=10**6)
    want = brute_collocates(corpus, q, terms, window, 2, segment_docnums(corpus, [0, 1]))
    assert want["lines"] > 20 and len(want["rows"]) > 5  # the comparison means something
    assert (got["lines_used"], got["lines_total"], got["complete"]) == (want["lines"], want["lines"], True)
    assert got["window_tokens"] == want["tokens"]
    assert got["reference"] == {"tokens": want["reference"], "reports": 120, "whole_index": True}
    assert {row["word"]: {k: v for k, v in row.items() if k != "expected"} for row in got["collocates"]} \
        == want["rows"]
    g2 = [row["g2"] for row in got["collocates"]]
    assert g2 == sorted(g2, reverse=True)


def test_a_reference_of_some_segments_leaves_out_the_windows_inside_it(corpus, monkeypatch):
    from govsearch.search import collocates as module

    monkeypatch.setattr(module, "REFERENCE_REPORTS", 1)
    monkeypatch.setattr(module, "REFERENCE_SEGMENTS", 1)
    got = collocates(corpus.selected("执法"), limit=500, max_lines=10**6, max_reports=10**6)
    want = brute_collocates(corpus, "执法", ["执法"], 5, 2, segment_docnums(corpus, [1]))
    assert got["reference"] == {"tokens": want["reference"], "reports": 60, "whole_index": False}
    assert {row["word"]: {k: v for k, v in row.items() if k != "expected"} for row in got["collocates"]} \
        == want["rows"] != {}


def test_lines_are_shared_evenly_over_the_reports_read():
    rng = np.random.default_rng(3)
    for _ in range(200):
        lines = rng.integers(1, 40, size=rng.integers(1, 30))
        budget = int(rng.integers(1, 400))
        got = _allowances(lines, budget)
        assert got.sum() == min(budget, lines.sum()) and (got <= lines).all()
        short = got < lines  # reports cut to the share: within one line of each other, and of the most used
        assert not short.any() or got.max() - got[short].min() <= 1


def test_a_bounded_sample_says_how_much_it_read_and_is_deterministic(corpus):
    whole = collocates(corpus.selected("执法"), max_lines=10**6, max_reports=10**6, min_freq=1, limit=500)
    part = collocates(corpus.selected("执法"), max_lines=40, max_reports=10**6, min_freq=1, limit=500)
    few = collocates(corpus.selected("执法"), max_lines=10**6, max_reports=3, min_freq=1, limit=500)
    assert part == collocates(corpus.selected("执法"), max_lines=40, max_reports=10**6, min_freq=1, limit=500)
    assert (part["lines_used"], part["lines_total"], part["complete"]) == (40, whole["lines_total"], False)
    assert part["reports_total"] == few["reports_total"] == whole["reports_total"] > 3
    assert few["reports_used"] == 3 and few["lines_used"] < whole["lines_used"]
    full = {row["word"]: row for row in whole["collocates"]}
    for row in part["collocates"] + few["collocates"]:
        if row["word"] in full:  # a sample can attract a word the whole does not
            assert row["freq"] <= full[row["word"]]["freq"]
            assert row["reference_freq"] == full[row["word"]]["reference_freq"]


# ---------------------------------------------------------------- the seeds
@pytest.mark.parametrize("q", ["执法", "法治", "推进"])
def test_collocates_agree_with_the_concordance(engine, q):
    window = 5
    got = collocates(engine.selected(q), window=window, min_freq=1, limit=500)
    for row in got["collocates"]:
        width = window + len(row["word"]) - 1  # a word overlapping the window lies within this context
        lines = engine.concordance(q, width=width, everything=True)
        listed = list(lines["lines"])
        # Folded, as a measure is found (双随机、一公开 holds 双随机一公开).
        holding = [line for line in listed if row["word"] in fold(line.left) + "\n" + fold(line.right)]
        assert row["freq"] <= sum(fold(line.left).count(row["word"]) + fold(line.right).count(row["word"])
                                  for line in holding)
        assert row["reports"] <= len({line.report["id"] for line in holding})
        assert (got["lines_total"], got["reports_total"]) == (lines["total"], lines["reports"])
    assert got["complete"] and got["collocates"]


def test_named_measures_stay_whole(engine):
    """习近平法治思想 is one dictionary word: counted whole wherever it
    stands beside 学习 (found here by a plain substring scan, no words)."""
    selected = engine.selected("学习")
    got = collocates(selected, window=10, limit=500, min_freq=1)
    beside = 0
    for _, record in selected.records(selected.kept):
        text = record["text"]
        spans = occurrences(["学习"], text)
        windows = windows_of(text, spans, 10)
        beside += sum(near(*m.span(), windows, spans) for m in re.finditer("习近平法治思想", text))
    assert beside >= 3
    assert {row["word"]: row["freq"] for row in got["collocates"]}.get("习近平法治思想") == beside


def test_a_measure_is_listed_whole_and_never_as_its_parts(engine):
    """双随机一公开 beside 监管: the collocates of 监管 name the measure, not 随机 or 公开 from inside it."""
    got = {row["word"] for row in collocates(engine.selected("监管"), window=10, limit=500, min_freq=1)["collocates"]}
    assert "双随机一公开" in got or "双随机一公开监管" in got
    assert not {"双随机", "随机"} & got


def test_no_occurrence_gives_an_empty_answer_and_bad_input_a_chinese_error(engine):
    none = collocates(engine.selected("量子引力"))
    assert none["collocates"] == [] and none["lines_total"] == none["reports_used"] == 0 and none["complete"]
    for call in (lambda: collocates(engine.selected("")), lambda: collocates(engine.selected("执法"), window=0),
                 lambda: collocates(engine.selected("执法"), limit=10**6)):
        with pytest.raises(QueryError) as raised:
            call()
        assert re.match(r"^[\u4e00-\u9fff]", str(raised.value)) and "(" in str(raised.value)


def test_the_query_s_own_words_and_numbers_are_not_listed(engine):
    got = collocates(engine.selected("法治政府"), window=8, min_freq=1, limit=500)
    words = {row["word"] for row in got["collocates"]}
    assert words and not words & {"法治", "政府", "法治政府", "的", "和"}
    assert not any(word.isdigit() for word in words)
