"""Concordance sorted by context: every page is that slice of every line
sorted by its folded context (an oracle written here from the definition),
whether the page was found in the substring layer (search.context_walk) or
by reading every text (search.kwic's full sort); and a page found in the
layer reads only the reports near it."""

from __future__ import annotations

import pytest

from govsearch.index.normalize import fold
from govsearch.search import kwic

EDGE = "\U0010ffff"
# Terms the generated reports hold often, with a one-character and a two-term query (the full sort).
QUERIES = ("法治政府", "行政执法", "政务公开", "营商环境 政务公开", "依法行政", "执法", "法")


def oracle_key(text: str, start: int, end: int, sort: str, width: int) -> str:
    """The definition: the paragraph's folded text after the match (or
    before it, reversed), its first ``width`` characters; a shorter one ends
    in the largest character, so it sorts after those that go on."""
    before = fold(text[:start].rsplit("\n", 1)[-1])[::-1]
    folded = fold(text[end:].split("\n", 1)[0]) if sort == "right" else before
    return folded[:width] if len(folded) >= width else folded + EDGE


def every_line_sorted(engine, query: str, sort: str, width: int) -> list[dict]:
    _, matcher, records = engine.iter_matches(query)
    keyed = []
    for record in records:
        text = record["text"]
        for line in kwic.lines_of(record, matcher, width):
            end = line.position + len(line.match)
            keyed.append((oracle_key(text, line.position, end, sort, width), line.to_dict()))
    keyed.sort(key=lambda pair: pair[0])  # stable: equal contexts keep report order
    return [line for _, line in keyed]


def assert_pages_match(engine, query: str, sort: str, width: int, per_page: int) -> int:
    every = every_line_sorted(engine, query, sort, width)
    pages = max(1, -(-len(every) // per_page))
    # Out of order: a walk reuses what earlier pages' walks learnt (context_walk.Memo), also for later pages.
    for page in dict.fromkeys((pages // 2 + 1, 1, 3, 2, pages, pages + 1)):
        got = engine.concordance(query, sort=sort, width=width, page=page, per_page=per_page)
        assert got["total"] == len(every), (query, sort)
        want = every[(page - 1) * per_page:page * per_page]
        assert [line.to_dict() for line in got["lines"]] == want, (query, sort, width, page)
    return len(every)


@pytest.fixture(params=["walk", "default"])
def either_path(request, monkeypatch):
    """A test twice: with the layer walked for any number of reports (these
    indexes are small), and with the default, which reads them all."""
    if request.param == "walk":
        monkeypatch.setattr(kwic.context_walk, "WORTH_FROM", 0)


@pytest.fixture()
def walking(monkeypatch):
    monkeypatch.setattr(kwic.context_walk, "WORTH_FROM", 0)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """An index of 300 generated reports: groups of lines large enough that
    the layer splits them several characters deep before reading any."""
    from govsearch.config import PROJECT_ROOT
    from govsearch.corpus import generate
    from govsearch.index.build import ingest
    from govsearch.search.engine import Engine

    root = tmp_path_factory.mktemp("context-sort")
    generate(300, root / "pages", seed=11)
    ingest([root / "pages"], root / "index", base=PROJECT_ROOT)
    return Engine(root / "index")


@pytest.mark.parametrize("sort", ["left", "right"])
def test_seed_pages_are_slices_of_every_line_sorted(engine, sort, either_path):
    for query, width in (("执法", 30), ("法治政府", 5), ("行政", 1), ("法", 3), ("法治 执法", 8), ("法治 法治政府", 6)):
        assert assert_pages_match(engine, query, sort, width, 7) > 20, query


@pytest.mark.parametrize("sort", ["left", "right"])
def test_generated_pages_are_slices_of_every_line_sorted(generated, sort, either_path):
    totals = [assert_pages_match(generated, query, sort, width, per_page)
              for query in QUERIES for width, per_page in ((30, 50), (3, 20))]
    assert max(totals) > 1000, totals  # groups far above what is sorted by reading


def test_the_layer_order_equals_the_full_sort(generated, walking):
    """Both ways to order a page give the same lines: the walk, and the sort
    that reads every text (used for `near` and for few reports)."""
    for query in QUERIES[:3]:
        _, matcher, records = generated.iter_matches(query)
        for sort in ("left", "right"):
            assert records.occurrences > 100, query
            for start in (0, records.occurrences // 2):
                walked = kwic._walked(records, matcher, sort, 30, start, start + 50)
                full = kwic._collected(records, matcher, sort, 30, start, start + 50)[2]
                assert len(walked) == len(full) == 50
                assert [line.to_dict() for line in walked] == [line.to_dict() for line in full], (query, sort, start)


def test_a_layer_page_reads_only_reports_near_it(generated, view_reads, walking):
    """A page sorted by context reads no text for the
    order: only records, and few of them next to the matching reports."""
    for sort in ("left", "right"):
        for page in (1, 2, 9):
            view_reads.update(text=0, record=0)
            got = generated.concordance("法治政府", sort=sort, page=page, per_page=20)
            assert got["reports"] > 200 and len(got["lines"]) == 20
            assert view_reads["text"] == 0, (sort, page)
            assert view_reads["record"] <= 4 * kwic.context_walk.SMALL, (sort, page, view_reads)


def test_the_next_walk_takes_the_path_the_last_one_found(generated, walking, monkeypatch):
    """What a page's walk learnt (context_walk.Memo) is kept with the index
    generation: the same page again looks nothing up in the layer and gives
    the same lines (the oracle tests above ask pages out of order)."""
    from govsearch.index import grams

    calls = []
    for name in ("many_positions", "holds"):  # what a walk reads the layer with
        real = getattr(grams.ChunkField, name)
        monkeypatch.setattr(grams.ChunkField, name, lambda self, *a, real=real: calls.append(1) or real(self, *a))
    for sort in ("left", "right"):  # a width no other test asks for: nothing is kept for it yet
        first = generated.concordance("法治政府", sort=sort, page=1, per_page=20, width=23)
        looked = len(calls)
        assert looked > 0, sort
        again = generated.concordance("法治政府", sort=sort, page=1, per_page=20, width=23)
        assert [line.to_dict() for line in again["lines"]] == [line.to_dict() for line in first["lines"]]
        assert len(calls) == looked, sort


def test_a_page_the_layer_orders_may_have_more_lines_than_a_full_sort(generated, walking, monkeypatch):
    """The full sort holds every line's context, so it is capped
    (max_sorted_lines); a page the layer orders holds arrays, so it may have
    more lines (max_walked_lines) - and is still the oracle's slice.  Over
    that the refusal names the cap that applied."""
    query, sort, per_page = "法治政府", "right", 50
    total = generated.concordance(query, sort="report", per_page=1)["total"]
    monkeypatch.setattr(kwic, "SORT_BUDGET", (2 * 30 + kwic.LINE_OVERHEAD) * (total // 2))
    assert kwic.max_sorted_lines(30) < total <= kwic.max_walked_lines()
    every = every_line_sorted(generated, query, sort, 30)
    for page in (1, 3):
        got = generated.concordance(query, sort=sort, page=page, per_page=per_page)
        assert [line.to_dict() for line in got["lines"]] == every[(page - 1) * per_page:page * per_page]
    with pytest.raises(kwic.TooManyLines) as refused:  # a collocate's lines: the full sort's cap
        generated.concordance(query, sort=sort, per_page=per_page, near=kwic.Near.of("建设", 5))
    assert refused.value.cap == kwic.max_sorted_lines(30)
    monkeypatch.setattr(kwic, "WALK_BUDGET", kwic.WALK_LINE_BYTES * (total - 1))
    with pytest.raises(kwic.TooManyLines) as refused:
        generated.concordance(query, sort=sort, per_page=per_page)
    assert refused.value.total == total and refused.value.cap == total - 1
