"""The README's "Using the API from Python" block runs as written against a
live server on the seeds, and its frames hold what /api/search counts."""

from __future__ import annotations

import json
import re
import urllib.request

from govsearch.config import PROJECT_ROOT
from tests.conftest import serving


def _block() -> str:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using the API from Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_runs_and_counts_what_the_api_counts(seed_index, capsys):
    code = _block()
    assert 'BASE = "http://127.0.0.1:5000"' in code
    with serving("--index", str(seed_index)) as base:
        namespace: dict = {}
        exec(compile(code.replace("http://127.0.0.1:5000", str(base)), "README.md", "exec"), namespace)
        with urllib.request.urlopen(f"{base}/api/search?q=%E6%B3%95%E6%B2%BB&year=2020-2024", timeout=10) as r:
            total = json.load(r)["total"]
    frame, export = namespace["frame"], namespace["export"]
    assert total == len(frame) == len(export) == 4  # the seeds: four reports of 2021-2024, one of no year
    assert sorted(frame["id"]) == sorted(export["id"])
    assert export["adcode"].map(type).eq(str).all() and "score" in export and "occurrences" in export
    assert int(namespace["per_year"].sum()) == total
    assert "report_year" in capsys.readouterr().out
