"""The SQLite FTS5 peer answers what it is asked: its totals equal a scan of
the same page texts, through FTS5 trigrams for words of three characters or
more and through LIKE for shorter ones (govsearch.bench.sqlite_peer)."""

from __future__ import annotations

import pytest

from govsearch.bench.corpus import read_page
from govsearch.bench.sqlite_peer import SqlitePeer, _Searcher, sqlite_ingest
from govsearch.index.analysis import query_words
from tests.conftest import seed_path

TEXTS = {
    "a.txt": "推进双随机一公开监管，深化行政复议体制改革。\n法治政府建设取得新成效。",
    "b.txt": "全面推行行政执法三项制度，法治督察常态化。\n复议案件依法办理。",
    "c.txt": "营商环境持续优化，“蒙速办”平台上线。\n普法责任制落实。",
}


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sqlite-pages")
    pages = []
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
        pages.append(folder / name)
    seed = seed_path("002")
    pages.append(seed)
    rows = [{"report_year": "2022", "level": "县级", "province": "内蒙古自治区"}] * len(pages)
    index = folder / "index"
    result = sqlite_ingest(pages, rows, index, sum(len(read_page(p)[1]) for p in pages))
    assert result["files"] == len(pages) and result["index_mb"] > 0
    return _Searcher(index), [read_page(p) for p in pages]


def scan(texts: list[tuple[str, str]], item: dict) -> int:
    parts = [item["q"]] if item["exact"] else [w for part in item["q"].split() for w in query_words(part)]
    return sum(all(p in title or p in text for p in parts) for title, text in texts)


@pytest.mark.parametrize("item", [
    {"q": "行政复议", "exact": False}, {"q": "法治 政府", "exact": False}, {"q": "复议", "exact": False},
    {"q": "双随机一公开", "exact": True}, {"q": "蒙速办", "exact": True}, {"q": "普法", "exact": True},
    {"q": "法治政府建设", "exact": False, "filters": {"levels": ["县级"]}},
    {"q": "量子引力", "exact": False},
])
def test_totals_equal_a_scan_of_the_texts(searcher, item):
    found, texts = searcher
    total, snippets, scanned = found.page({"kind": "single", **item})
    assert total == scan(texts, item)
    assert snippets == min(total, 10)
    parts = [item["q"]] if item["exact"] else [w for p in item["q"].split() for w in query_words(p)]
    assert scanned == any(len(p) < 3 for p in parts)


def test_the_peer_runs_here():
    assert SqlitePeer().missing() is None


def test_a_filter_that_excludes_every_page_gives_nothing(searcher):
    found, _ = searcher
    assert found.page({"kind": "facet", "q": "法治", "exact": False, "filters": {"provinces": ["山东省"]}})[0] == 0
