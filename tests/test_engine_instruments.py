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


def test_a_context_sorted_page_is_that_slice_of_every_line_sorted(engine):
    """The context sort keeps only keys and makes the page's lines from their
    reports read again: each page equals that slice of every line made and
    sorted by its context (stable, so equal contexts keep report order)."""
    from govsearch.search.kwic import lines_of

    context = {"left": lambda line: line.left[::-1], "right": lambda line: line.right}  # as concordancers sort

    for sort in ("left", "right"):
        for query, width in (("执法", 30), ("法治政府", 5), ("行政", 1)):
            _, matcher, records = engine.iter_matches(query)
            every = sorted((line for record in records for line in lines_of(record, matcher, width)),
                           key=context[sort])
            assert len(every) > 20, query
            for page, per_page in ((1, 7), (3, 7), (2, 50)):
                got = engine.concordance(query, sort=sort, width=width, page=page, per_page=per_page)["lines"]
                want = every[(page - 1) * per_page:page * per_page]
                assert [line.to_dict() for line in got] == [line.to_dict() for line in want], (sort, query, page)
