"""An open Engine follows the index as writers commit to it.

Whoosh-Reloaded's ``Searcher.refresh()`` keeps the readers of segments a
commit merged away, so a refreshed searcher counted those reports twice
(and kept deleted versions); the Engine opens a fresh searcher instead.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from govsearch.index.build import reindex
from govsearch.index.feed import IndexFeed
from govsearch.index.report import Report
from govsearch.search.engine import Engine


def report(n: int, text: str) -> Report:
    return Report(id=f"{n:040d}", source=f"page-{n}", title=f"某县2022年度法治政府建设情况报告（{n}）", text=text,
                  content_hash=hashlib.sha1(text.encode()).hexdigest())


def commit(index_dir, report: Report) -> None:
    """One commit, as the crawler's feed makes it (a changed report replaces its old version)."""
    with IndexFeed(index_dir) as feed:
        feed.offer(report)


def ids_found(engine: Engine, q: str) -> Counter:
    return Counter(h.fields["id"] for h in engine.search(q, per_page=100).hits)


def test_each_commit_is_seen_once_through_merges_updates_and_a_reindex(tmp_path):
    index_dir = tmp_path / "ix"
    commit(index_dir, report(0, "推行双随机、一公开监管。"))
    engine = Engine(index_dir)
    assert engine.stats()["reports"] == 1
    for n in range(1, 25):  # one small segment per commit: Whoosh merges them along the way
        commit(index_dir, report(n, "推行双随机、一公开监管。"))
        assert engine.stats()["reports"] == n + 1
        found = ids_found(engine, '"双随机、一公开"')
        assert len(found) == n + 1 and set(found.values()) == {1}
    commit(index_dir, report(3, "深化枫桥经验。"))
    assert engine.stats()["reports"] == 25
    assert f"{3:040d}" not in ids_found(engine, '"双随机、一公开"')
    assert ids_found(engine, '"枫桥经验"') == Counter({f"{3:040d}": 1})
    reindex(index_dir)
    assert engine.stats()["reports"] == 25
    assert len(ids_found(engine, '"双随机、一公开"')) == 24


def test_an_export_streaming_across_commits_and_a_reindex_completes(tmp_path):
    """An export reads the searcher of the moment it began; the commits and
    the swap that land meanwhile neither break it nor change what it lists."""
    import json

    from govsearch.index.build import write_reports
    from govsearch.webui import create_app

    index_dir = tmp_path / "ix"
    write_reports(index_dir, [report(n, "推行双随机、一公开监管。") for n in range(40)])
    app = create_app(index_dir, TESTING=True)
    client = app.test_client()
    response = client.get("/api/export", query_string={"q": '"双随机、一公开"', "format": "jsonl"}, buffered=False)
    chunks = iter(response.response)
    first = next(chunks)
    reindex(index_dir)
    assert client.get("/api/stats").get_json()["reports"] == 40  # the server reopened on the new index
    commit(index_dir, report(99, "推行双随机、一公开监管。"))
    assert client.get("/api/stats").get_json()["reports"] == 41  # and moved on to a commit
    body = (first + b"".join(chunks)).decode("utf-8")
    response.close()
    ids = [json.loads(line)["id"] for line in body.splitlines()]
    assert sorted(ids) == [f"{n:040d}" for n in range(40)]


def test_views_reusing_segment_arrays_equal_views_read_afresh(tmp_path):
    """After commits, an update (a deletion) and Whoosh's merges, the view
    an Engine builds from its carried per-segment arrays and postings holds
    exactly what a view read from scratch holds."""
    import numpy as np

    from govsearch.search.accel import View

    index_dir = tmp_path / "ix"
    commit(index_dir, report(0, "推行双随机、一公开监管。"))
    engine = Engine(index_dir)
    for n in range(1, 16):
        commit(index_dir, report(n, f"推行双随机、一公开监管，第{n}次。" * n))
        if n % 5 == 0:
            commit(index_dir, report(n // 2, "深化枫桥经验。"))  # replaces an older report
        engine.search("双随机 监管")  # the engine picks the commit up, reusing what it can
        carried, fresh = engine._view, View(engine._ix.searcher(), index_dir)
        for word in ("双随机", "监管", "枫桥"):
            for ours, theirs in zip(carried.postings("text", word), fresh.postings("text", word), strict=True):
                assert np.array_equal(ours, theirs), word
        assert np.array_equal(carried.live, fresh.live) and np.array_equal(carried.year, fresh.year)
        assert np.array_equal(carried._serials, fresh._serials)
        for field in carried.lengths:
            assert np.array_equal(carried.lengths[field], fresh.lengths[field])
        for name, column in carried.columns.items():
            ours, theirs = column, fresh.columns[name]
            assert [ours.values[c] for c in ours.codes] == [theirs.values[c] for c in theirs.codes]
            if name != "dup_group":  # sorted: codes order as values do (publish_date sorts results)
                assert ours.values == theirs.values and np.array_equal(ours.codes, theirs.codes)
    assert (~engine._view.live).any()  # the updates left deleted documents behind
