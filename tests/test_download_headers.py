"""Downloads name their charset once (issue 16, item 7): a text/csv answer
used to say ``charset=utf-8; charset=utf-8``, which strict clients reject."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("path", "params", "kind"), [
    ("/api/export", {"format": "csv"}, "text/csv"),
    ("/api/export", {"format": "jsonl"}, "application/x-ndjson"),
    ("/api/concordance", {"format": "csv"}, "text/csv"),
])
def test_each_download_names_one_charset(client, path, params, kind):
    response = client.get(path, query_string={"q": "法治", **params})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f"{kind}; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment; ")
