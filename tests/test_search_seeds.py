"""Search acceptance on the five seeds."""

from pathlib import PurePosixPath

import pytest

from govsearch.search.query import Filters, QueryError


def prefixes(result):
    return sorted(PurePosixPath(h.fields["source"]).name[:3] for h in result.hits)


@pytest.mark.parametrize("query, expected", [
    ("营商环境", ["000", "002", "003", "004"]),
    ("三项制度", ["000", "001", "002"]),
    ("打印本页", []),
    ("关闭窗口", []),
    ("qū", []),
    ("營商環境", ["000", "002", "003", "004"]),  # traditional input is normalized
])
def test_seed_queries(engine, query, expected):
    result = engine.search(query, per_page=10)
    assert prefixes(result) == expected
    assert result.total == len(expected)


def test_000_only_matches_after_cleaning(engine):
    # The raw file spells it 營商環(huán)境; only the cleaned text has 营商环境.
    from tests.conftest import seed_path
    raw = seed_path("000").read_text(encoding="utf-8")
    assert "营商环境" not in raw
    assert "000" in prefixes(engine.search("营商环境"))


def test_snippets_mark_the_match_and_escape_the_rest(engine):
    result = engine.search("营商环境")
    for hit in result.hits:
        assert hit.snippets
        joined = "".join(hit.snippets)
        assert "<mark>营商环境</mark>" in joined
        stripped = joined.replace("<mark>", "").replace("</mark>", "")
        assert "<" not in stripped and ">" not in stripped


def test_title_is_boosted(engine):
    result = engine.search("周村区")
    assert result.hits[0].fields["title"].startswith("周村区")


def test_facets_cover_every_seed_year_and_level(engine):
    from govsearch.index.clean import clean_file
    from tests.conftest import seed_path
    reports = [clean_file(seed_path(p)) for p in ("000", "001", "002", "003", "004")]
    result = engine.search("法治政府")
    years = {f["value"]: f["count"] for f in result.facets["year"]}
    levels = {f["value"]: f["count"] for f in result.facets["level"]}
    expected_years = {r.report_year for r in reports}
    expected_levels = {r.level or None for r in reports}
    assert set(years) == expected_years == {2021, 2022, 2024, None}  # None: 未识别, listed last
    assert years[2022] == 2 and result.facets["year"][-1]["value"] is None
    assert set(levels) == expected_levels == {"县级", "乡镇级", "市级"}
    assert sum(levels.values()) == sum(years.values()) == result.total == 5  # no report drops out


def test_filters_and_sorting(engine):
    result = engine.search("法治政府", Filters(years=[2022]))
    assert prefixes(result) == ["000", "003"]
    result = engine.search("法治政府", Filters(levels=["乡镇级"]))
    assert prefixes(result) == ["003"]
    newest = engine.search("法治政府", sort="newest")
    years = [h.fields["report_year"] or 0 for h in newest.hits]
    assert years == sorted(years, reverse=True)


def test_paging_is_stable(engine):
    all_ids = [h.fields["id"] for h in engine.search("法治", per_page=5).hits]
    paged = [h.fields["id"] for p in (1, 2, 3) for h in engine.search("法治", page=p, per_page=2).hits]
    assert paged == all_ids


def test_empty_query_is_an_error(engine):
    with pytest.raises(QueryError):
        engine.search("、、 ")


def test_province_facet_and_filter(engine):
    result = engine.search("法治政府")
    provinces = {f["value"]: f["count"] for f in result.facets["province"]}
    assert provinces == {"内蒙古自治区": 2, "山东省": 2, "湖南省": 1}
    assert prefixes(engine.search("法治政府", Filters(provinces=["山东省"]))) == ["002", "003"]


def test_ingest_of_real_pages_fills_the_facets(tmp_path):
    from govsearch.index.build import ingest
    from govsearch.search.engine import Engine
    from tests.conftest import SEEDS_DIR, SHARED
    summary = ingest([SEEDS_DIR, SHARED / "corpus" / "html"], tmp_path / "ix")
    assert summary.counts()["added"] == 19 and summary.counts()["failed"] == 0
    result = Engine(tmp_path / "ix").search("发展")
    facets = {name: {f["value"]: f["count"] for f in values} for name, values in result.facets.items()}
    assert {"江西省", "山东省", "内蒙古自治区"} <= set(facets["province"])
    assert {"县级", "市级", "乡镇级", "国家级"} <= set(facets["level"])
    assert facets["doc_type"]["other"] >= 10
