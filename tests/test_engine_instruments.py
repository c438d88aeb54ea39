"""The instruments are library functions: Engine.concordance and
Engine.trend answer without Flask, and the API serves exactly what they give."""

from __future__ import annotations

import sys


def test_concordance_and_trend_run_without_flask(engine, client):
    page = engine.concordance("执法", sort="right", page=2, per_page=7)
    api = client.get("/api/concordance", query_string={"q": "执法", "sort": "right", "page": 2,
                                                        "per_page": 7}).get_json()
    assert page["total"] == api["total"] > 7 and len(page["lines"]) == 7
    assert [line.to_dict() for line in page["lines"]] == api["lines"]
    rows = engine.trend("法治")
    assert rows == client.get("/api/trend", query_string={"q": "法治"}).get_json()["years"]
    assert sum(row["reports"] for row in rows) == engine.search("法治", per_page=1).total


def test_the_read_path_does_not_load_flask():
    import subprocess

    code = ("import sys; from search.engine import Engine; "
            "print('flask' in sys.modules, 'webui' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_a_later_page_of_a_context_sort_reads_only_its_own_reports(engine, view_reads):
    """The first page of a full sort by context (the seeds are fewer reports
    than a walk of the substring layer is worth) reads every matching text;
    the order it found stays with the index generation, so the next pages
    (and the same page again) read no text but their own reports'."""
    reads = view_reads

    first = engine.concordance("法", sort="left", width=12, page=1, per_page=3)
    assert reads["text"] == first["reports"] > 1  # every matching report's text, once
    for page in (2, 5, 1):
        reads.update(text=0, record=0)
        got = engine.concordance("法", sort="left", width=12, page=page, per_page=3)
        assert got["total"] == first["total"] and len(got["lines"]) == 3
        assert reads["text"] == 0
        assert reads["record"] == len({line.report["id"] for line in got["lines"]})
    reads.update(text=0)
    engine.concordance("法", sort="right", width=12, page=2, per_page=3)  # another order is sorted anew
    assert reads["text"] == first["reports"]


def test_a_remembered_context_order_is_not_used_after_a_commit(tmp_path):
    """What a context sort remembers belongs to one index generation: after
    a commit adds a report with the query, the same page sees its lines."""
    import shutil

    from govsearch.config import PROJECT_ROOT, SEEDS_DIR
    from govsearch.index.build import ingest
    from govsearch.search.engine import Engine

    pages = tmp_path / "pages"
    shutil.copytree(SEEDS_DIR, pages)
    index_dir = tmp_path / "index"
    extra = sorted(pages.iterdir())[0]
    kept_aside = tmp_path / extra.name
    shutil.move(extra, kept_aside)
    ingest([pages], index_dir, base=PROJECT_ROOT)
    engine = Engine(index_dir)
    before = engine.concordance("法治", sort="right", per_page=1000)
    assert engine.concordance("法治", sort="right", per_page=1000)["total"] == before["total"]
    shutil.move(kept_aside, pages / extra.name)
    ingest([pages], index_dir, base=PROJECT_ROOT)
    after = engine.concordance("法治", sort="right", per_page=1000)
    assert after["reports"] == before["reports"] + 1 and after["total"] > before["total"]
    assert len(after["lines"]) == min(after["total"], 1000)
