"""The bundled corpus (issue 17, item 7): the five seeds and the labelled
real reports, which a first ``serve`` indexes so that the research
instruments have 100+ real reports from 20+ provinces to count - with ids
that do not depend on where the package sits, an older first-run index
completed without losing what a user added, and a home page whose glance
shows the engine's own facet counts."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from govsearch import cli
from govsearch.config import PROJECT_ROOT, data_dir
from govsearch.first_index import bundled_sources, lacking
from govsearch.index.build import ingest
from govsearch.index.bundled import BUNDLED_CORPUS, REPORTS_DIR, SEEDS_BASE, SEEDS_DIR, bundled_labels
from govsearch.index.report import LEVELS
from govsearch.search.engine import Engine
from govsearch.search.glance import GLANCE_FACETS, glance
from govsearch.webui import create_app
from tests.test_ingest_inputs import stored

NEGATIVES = PROJECT_ROOT / "tests" / "data" / "metadata"
OWN_REPORT = """测试市人民政府关于2023年度法治政府建设情况的报告
2023年，测试市坚持依法行政，全面推进法治政府建设，各项工作取得新进展。
一、主要工作举措
（一）深化行政执法改革，推行柔性执法清单，全市执法案卷评查合格率达到百分之九十八。
测试市人民政府
2024年1月10日
"""


@pytest.fixture(scope="module")
def bundled_index(tmp_path_factory) -> Path:
    """The bundled corpus indexed in place, as a first serve indexes it."""
    index_dir = tmp_path_factory.mktemp("bundled") / "index"
    ingest(list(BUNDLED_CORPUS), index_dir, base=SEEDS_BASE)
    return index_dir


@pytest.fixture(scope="module")
def home(bundled_index) -> BeautifulSoup:
    client = create_app(bundled_index, TESTING=True).test_client()
    answer = client.get("/")
    assert answer.status_code == 200
    return BeautifulSoup(answer.get_data(as_text=True), "html.parser")


def _sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def test_every_bundled_text_is_listed_once_with_its_source_and_licence():
    rows = bundled_labels()
    listed = [row["path"] for row in rows]
    on_disk = sorted(p for p in REPORTS_DIR.rglob("*") if p.suffix in (".txt", ".html", ".htm"))
    assert sorted(listed) == on_disk and len(set(listed)) == len(rows) >= 100
    for row in rows:
        assert row["source"].startswith(("http://", "https://")), row["file"]
        assert row["licence"].startswith("official document (Copyright Law art. 5)"), row["file"]
        assert row["kind"] != "negative" and row["doc_type"] == "annual_report", row["file"]
    assert all((REPORTS_DIR / part / "README.md").is_file() for part in {p.parent.name for p in listed})
    # One copy of each text: none of them is also among the negatives the tests keep.
    kept_for_tests = {_sha1(p) for p in NEGATIVES.rglob("*.txt")}
    assert kept_for_tests and not kept_for_tests & {_sha1(p) for p in listed}


def test_ingesting_the_seeds_folder_still_gives_the_five_seeds(seed_index):
    assert sorted(r["source"] for r in stored(seed_index)) == sorted(
        s for s in bundled_sources() if s.startswith("seeds/"))
    assert len(stored(seed_index)) == 5


def test_the_bundled_corpus_builds_to_what_its_labels_list_from_20_provinces(bundled_index):
    records = stored(bundled_index)
    assert sorted(r["source"] for r in records) == sorted(bundled_sources())
    assert len(records) == 5 + len(bundled_labels())
    seen = glance(Engine(bundled_index))
    known = {name: [v["value"] for v in seen.facets[name] if v["value"] is not None] for name in GLANCE_FACETS}
    assert seen.total >= 100 and len(known["province"]) >= 20 and len(known["year"]) >= 10
    assert set(known["level"]) == set(LEVELS)


def test_bundled_ids_are_the_same_wherever_the_package_sits(bundled_index, tmp_path):
    in_place = sorted((r["source"], r["id"]) for r in stored(bundled_index))
    reports = REPORTS_DIR.relative_to(SEEDS_BASE)
    for where in ("venv/lib/site-packages/govsearch", "elsewhere/deep/down"):
        root = tmp_path / where
        shutil.copytree(SEEDS_DIR, root / "seeds")
        shutil.copytree(REPORTS_DIR, root / reports)
        index_dir = tmp_path / f"index-{len(where)}"
        ingest([root / "seeds", root / reports], index_dir, base=root)
        assert sorted((r["source"], r["id"]) for r in stored(index_dir)) == in_place, where


def _own_index(tmp_path: Path, *, with_seeds: bool) -> Path:
    """An index a user made: their own report, and the five seeds if ``with_seeds``."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "own.txt").write_text(OWN_REPORT, encoding="utf-8")
    index_dir = tmp_path / "ix"
    ingest([SEEDS_DIR, mine] if with_seeds else [mine], index_dir, base=SEEDS_BASE)
    return index_dir


def test_serve_completes_its_own_index_of_the_five_seeds_and_keeps_what_a_user_added(tmp_path, capsys):
    index_dir = _own_index(tmp_path, with_seeds=True)
    before = {r["id"] for r in stored(index_dir)}
    assert cli.ready_index(index_dir, complete=False) == 0 and len(stored(index_dir)) == 6  # the user's: hinted only
    assert "ingest" in capsys.readouterr().err
    assert cli.ready_index(index_dir, complete=True) == 0
    after = stored(index_dir)
    assert before <= {r["id"] for r in after} and len(after) == 6 + len(bundled_labels())
    assert "mine/own.txt" in {r["source"] for r in after}
    assert lacking(index_dir) == []
    assert cli.ready_index(index_dir, complete=True) == 0 and len(stored(index_dir)) == len(after)


def test_an_index_without_any_bundled_report_is_left_as_it_is(tmp_path):
    index_dir = _own_index(tmp_path, with_seeds=False)
    assert lacking(index_dir) == []
    assert cli.ready_index(index_dir, complete=True) == 0 and len(stored(index_dir)) == 1


def test_serve_completes_only_the_index_it_keeps_by_itself(monkeypatch, tmp_path):
    asked = []
    monkeypatch.setattr(cli, "ready_index", lambda index_dir, *, complete: asked.append((index_dir, complete)) or 1)
    monkeypatch.delenv("GOVSEARCH_INDEX", raising=False)
    assert cli.main(["serve"]) == 1 and cli.main(["serve", "--index", str(tmp_path)]) == 1
    assert asked == [(data_dir() / "index", True), (tmp_path, False)]


def _shown(home: BeautifulSoup) -> dict[str, dict[str, tuple[int, str]]]:
    """The glance's rows per facet: value token -> (count, the query its link runs)."""
    out = {}
    for table in home.select("table.glance-table"):
        rows = {}
        for row in table.select("tbody tr"):
            query = parse_qs(urlsplit(row.select_one("a")["href"]).query)["q"][0]
            rows[row["data-value"]] = (int(row.select_one(".count").get_text()), query)
        out[table["data-facet"]] = rows
    return out


def test_the_home_page_shows_the_engine_facet_counts(bundled_index, home):
    engine, shown = Engine(bundled_index), _shown(home)
    assert list(shown) == list(GLANCE_FACETS)
    for name, rows in shown.items():
        # A facet's own selection does not narrow its counts: selecting one value lists every value's.
        any_value = next(token for token in rows if token != "none")
        facet = engine.search(f"{name}:{any_value}").facets[name]
        assert {token: count for token, (count, _) in rows.items()} == {
            "none" if v["value"] is None else str(v["value"]): v["count"] for v in facet}, name
        for token, (count, query) in rows.items():
            assert query == f"{name}:{token}" and engine.search(query).total == count, (name, token)
        assert sum(count for count, _ in rows.values()) == int(home.select_one("#glance-total").get_text())
    assert len(home.select("h1")) == 1


INSTRUMENT_PATHS = {"distribution": "/distribution", "diffusion": "/diffusion", "panel": "/panel",
                    "collocates": "/collocates", "keyness": "/keyness", "candidates": "/candidates",
                    "concordance": "/concordance", "trend": "/"}


def test_each_instrument_example_asks_about_words_many_bundled_reports_hold(bundled_index, home):
    engine = Engine(bundled_index)
    links = {li["data-instrument"]: urlsplit(li.select_one("a")["href"]) for li in home.select(".instruments li")}
    assert {key: link.path for key, link in links.items()} == INSTRUMENT_PATHS
    args = {key: {k: v[0] for k, v in parse_qs(link.query).items()} for key, link in links.items()}
    assert args["distribution"]["by"] == "province" and args["diffusion"]["unit"] == "province"
    words = [args[key]["q"] for key in ("distribution", "diffusion", "collocates", "concordance", "trend")]
    words += args["panel"]["terms"].split("|")
    for word in words:
        assert engine.search(word).total >= 10, word
    spread = engine.search(args["distribution"]["q"]).facets["province"]
    assert len([v for v in spread if v["value"]]) >= 10
    assert args["keyness"].keys() == {"a", "b"}
    for side in args["keyness"].values():
        assert engine.search(side).total >= 10, side
