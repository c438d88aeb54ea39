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
