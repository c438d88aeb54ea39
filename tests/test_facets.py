"""Facets are objects, one class per kind (search.selection.FACETS): each
filters the arrays, counts the matches' values and lists them in its order,
the 未识别 bucket last."""

from __future__ import annotations

import numpy as np

from govsearch.search.selection import FACETS, KeywordFacet, YearFacet


def test_each_facet_filters_and_counts_the_seed_arrays(engine):
    view = engine._current()
    everything = np.flatnonzero(view.live)
    stored = {r["id"]: r for r in engine.stored_reports()}
    for name, facet in FACETS.items():
        counts, _ = facet.tally(view, everything)
        field = "report_year" if name == "year" else name
        truth: dict = {}
        for record in stored.values():
            value = record.get(field) or (0 if name == "year" else "")
            truth[value] = truth.get(value, 0) + 1
        assert {k: v for k, v in counts.items() if v} == truth, name
        for value in truth:  # a value's mask holds exactly its reports
            chosen = None if value in (0, "") else value
            assert int(facet.mask(view, [chosen])[view.live].sum()) == truth[value], (name, value)


def test_listing_order_and_the_unknown_bucket_last():
    years, levels = YearFacet("year", "report_year", "years"), KeywordFacet("level", "level", "levels")
    assert [i["value"] for i in years.listed({2021: 5, 2023: 1, 0: 2, 2022: 9})] == [2023, 2022, 2021, None]
    listed = levels.listed({"县级": 2, "市级": 7, "": 3, "省级": 2})
    assert [i["value"] for i in listed] == ["市级", "县级", "省级", None]
    assert levels.listed({"县级": 0}) == []  # a value no match has is not listed


def test_a_capped_facet_counts_its_most_frequent_values_and_says_how_many_there_are():
    from govsearch.search.accel import Codes

    column = Codes(["甲县", "乙县", "乙县", "丙区", "乙县", "丙区", "", "", "丁县"])
    everything = np.arange(len(column.codes))
    assert column.counts(everything) == ({"甲县": 1, "乙县": 3, "丙区": 2, "丁县": 1, "": 2}, 4)
    capped, known = column.counts(everything, top=2)
    assert capped == {"乙县": 3, "丙区": 2, "": 2} and known == 4
    facet = KeywordFacet("county", "county", "counties", prefix=True, limit=2)
    assert facet.listed(capped) == [{"value": "乙县", "count": 3}, {"value": "丙区", "count": 2},
                                    {"value": None, "count": 2}]
