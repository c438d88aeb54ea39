"""Distribution, diffusion and the measure panel (issue 17, items 1-3)
checked against brute force: every stored record of a generated corpus
(many provinces, years and levels, with near-duplicates) scanned with
plain regular expressions, never through the arrays under test."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from govsearch.config import PROJECT_ROOT
from govsearch.corpus import generate
from govsearch.index.build import ingest
from govsearch.index.normalize import fold
from govsearch.search.diffusion import adoptions, diffusion
from govsearch.search.dimensions import DIMENSIONS
from govsearch.search.distribution import distribution, summed
from govsearch.search.engine import Engine
from govsearch.search.panel import PANEL_FIELDS, panel_rows, panel_terms
from govsearch.search.query import Filters, QueryError
from govsearch.search.records import public

# Exact terms (quoted): their match is a plain regex test, so brute force needs no jieba.
TERMS = ("法治政府", "行政执法", "双随机")
GAP = r"(?:[^\w\n]|_)*"  # punctuation between the characters of a term, never a line break


def pattern(term: str) -> re.Pattern:
    return re.compile(f"(?=({GAP.join(re.escape(c) for c in fold(term))}))", re.IGNORECASE)


def count(term: str, text: str) -> int:
    return len(pattern(term).findall(text or ""))


@pytest.fixture(scope="module")
def corpus_engine(tmp_path_factory) -> Engine:
    root = tmp_path_factory.mktemp("instruments")
    pages = root / "pages"
    generate(400, pages, seed=17, progress=False)
    index_dir = root / "index"
    ingest([pages], index_dir, base=root)
    return Engine(index_dir)


@pytest.fixture(scope="module")
def records(corpus_engine) -> list[dict]:
    """Every live stored record."""
    return corpus_engine.stored_reports()


def value(record: dict, name: str):
    if name == "year":
        return record.get("report_year") or None
    return record.get(name) or None


def test_the_corpus_spreads_over_places_and_years(records):
    assert len(records) >= 350
    assert len({r.get("province") for r in records} - {"", None}) >= 10
    assert len({r.get("report_year") for r in records} - {0, None}) >= 4


@pytest.mark.parametrize("by", [["province"], ["province", "year"], ["level", "issuer_kind"], ["year"],
                                ["city", "doc_type"]])
def test_distribution_equals_a_scan_of_the_stored_texts(corpus_engine, records, by):
    term = TERMS[0]
    rows = distribution(corpus_engine.selected(f'"{term}"', collapse=False), by)
    reports, occurrences, totals = Counter(), Counter(), Counter()
    for record in records:
        cell = tuple(value(record, name) for name in by)
        totals[cell] += 1
        n = count(term, record.get("title")) + count(term, record.get("text"))
        if n:
            reports[cell] += 1
            occurrences[cell] += n
    got = {tuple(row[name] for name in by): row for row in rows}
    assert set(got) == set(totals)
    for cell, row in got.items():
        assert (row["reports"], row["occurrences"], row["total"]) == (reports[cell], occurrences[cell], totals[cell])
        assert row["share"] == round(reports[cell] / totals[cell], 4)


def test_distribution_cells_sum_to_the_facet_counts(corpus_engine):
    """Collapsed as search collapses: a province's cells add up to its facet count."""
    cases = (("法治", None), ('"行政执法"', Filters(years=[2021, 2022])), ("营商环境", Filters(levels=["县级"])))
    for q, filters in cases:
        result = corpus_engine.search(q, filters, per_page=1)
        for name in ("province", "year", "level"):
            cells = summed(distribution(corpus_engine.selected(q, filters), [name, "issuer_kind"]), name)
            facet = {f["value"]: f["count"] for f in result.facets[name]}
            own = {"year": filters and filters.years, "level": filters and filters.levels}.get(name)
            if own:  # a facet counts its other values as if unselected; the selected ones are the cells
                facet = {v: n for v, n in facet.items() if v in own}
            assert {v: c["reports"] for v, c in cells.items() if c["reports"]} == facet, (q, name)
        assert sum(row["reports"] for row in distribution(corpus_engine.selected(q, filters), ["year"])) \
            == result.total


def test_distribution_refuses_bad_dimensions(corpus_engine):
    chosen = corpus_engine.selected("法治")
    for by in ([], ["province", "year", "level"], ["provnce"]):
        with pytest.raises(QueryError, match="分组字段"):
            distribution(chosen, by)
    assert distribution(chosen, ["year", "year"]) == distribution(chosen, ["year"])
    assert set(DIMENSIONS) >= {"year", "province", "city", "level", "issuer_kind", "doc_type"}


@pytest.mark.parametrize("unit", ["province", "city", "county"])
def test_first_mention_years_equal_a_scan(corpus_engine, records, unit):
    term = TERMS[1]
    first: dict[str, int] = {}
    mentioning: Counter = Counter()
    reporting: dict[int, set] = defaultdict(set)
    for record in records:
        place, year = record.get(unit), record.get("report_year")
        if not place or not year:
            continue
        reporting[year].add(place)
        if count(term, record.get("title")) + count(term, record.get("text")):
            first[place] = min(first.get(place, year), year)
            mentioning[place] += 1
    chosen = corpus_engine.selected(f'"{term}"', collapse=False)
    found, _ = adoptions(chosen, unit)
    assert {a.place: a.first_year for a in found} == first
    assert {a.place: a.mentioning for a in found} == dict(mentioning)
    assert [a.first_year for a in found] == sorted(a.first_year for a in found)
    answer = diffusion(chosen, unit, 0, 5)
    for place in answer["places"]:  # the first report named is one of that year's mentions
        report = place["first_report"]
        assert report["report_year"] == place["first_year"] == first[place["place"]]
    for row in answer["curve"]:
        year = row["year"]
        assert row["reporting"] == len(reporting[year])
        assert row["adopted"] == sum(1 for y in first.values() if y <= year)
        assert row["adopted_reporting"] == sum(1 for p in reporting[year] if p in first and first[p] <= year)
        assert 0 <= row["share"] <= 1


def test_panel_counts_equal_the_concordance_and_a_scan(corpus_engine, records):
    terms = panel_terms("|".join(TERMS) + "|依法行政")
    rows = list(panel_rows(corpus_engine.selected("", collapse=False), terms))
    by_id = {r["id"]: r for r in records}
    assert len(rows) == len(records) and list(rows[0]) == [*PANEL_FIELDS, *terms]
    for row in rows:
        text = by_id[row["id"]].get("text")
        assert [row[t] for t in terms] == [count(t, text) for t in terms], row["id"]
        # The report columns (read from the index's columns) are the stored record's fields.
        assert {f: row[f] for f in PANEL_FIELDS} == public(by_id[row["id"]], PANEL_FIELDS), row["id"]
    lines = corpus_engine.concordance(f'"{terms[2]}"', everything=True, collapse=False)["lines"]
    per_report = Counter(line.report["id"] for line in lines)
    assert {r["id"]: r[terms[2]] for r in rows if r[terms[2]]} == dict(per_report)


def test_panel_rows_follow_the_query_and_filters(corpus_engine):
    chosen = corpus_engine.selected("法治", Filters(years=[2022]))
    rows = list(panel_rows(chosen, ["法治"]))
    assert len(rows) == corpus_engine.search("法治", Filters(years=[2022]), per_page=1).total
    assert {r["report_year"] for r in rows} == {2022}


def test_panel_terms_are_checked():
    assert panel_terms("枫桥经验| 双随机、一公开 |枫桥经验") == ["枫桥经验", "双随机、一公开"]
    assert panel_terms(["# measures", "蒙速办", "", "一网通办|最多跑一次"]) == ["蒙速办", "一网通办", "最多跑一次"]
    for bad in ("", " | ", "、、", "url"):
        with pytest.raises(QueryError):
            panel_terms(bad)


def test_the_seeds_give_the_same_figures_through_the_engine(engine):
    """The seed index (five real reports): a distribution by province sums to the search total."""
    rows = distribution(engine.selected("法治"), ["province"])
    assert sum(r["reports"] for r in rows) == engine.search("法治", per_page=1).total == 5
    assert Path(PROJECT_ROOT / "seeds").is_dir()
