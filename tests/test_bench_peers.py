"""The bench's engines are adapters behind one interface, and the run loop knows them only through it.

Every engine registered in govsearch.bench.peers implements
govsearch.bench.protocol.Peer; a run with other adapters in that list
measures those adapters, and a peer whose module is missing stops the run
before anything is generated.
"""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path
from typing import Any

import pytest

from govsearch.bench import cli, peers, run, table
from govsearch.bench.console import BenchError
from govsearch.bench.govsearch_peer import GovsearchPeer
from govsearch.bench.naive_peer import NaivePeer
from govsearch.bench.protocol import Peer, Work
from govsearch.bench.sqlite_peer import SqlitePeer
from govsearch.bench.stats import latency
from govsearch.bench.tantivy_peer import TantivyPeer


def test_every_registered_engine_implements_the_protocol():
    assert [type(p) for p in peers.PEERS] == [GovsearchPeer, NaivePeer, TantivyPeer, SqlitePeer]
    for peer in peers.PEERS:
        assert isinstance(peer, Peer) and not inspect.isabstract(type(peer)), peer
        for method in ("ingest", "queries"):
            assert getattr(type(peer), method) is not getattr(Peer, method), (peer.name, method)
    names = [p.name for p in peers.PEERS]
    assert len(set(names)) == len(names)
    assert peers.SUBJECT.name == "govsearch" and peers.SUBJECT.whole_corpus
    assert not any(p.whole_corpus for p in peers.PEERS[1:])
    assert peers.OPTIONAL == ("naive", "tantivy", "sqlite")
    assert [p.name for p in peers.selected(["tantivy"])] == ["govsearch", "tantivy"]


def test_the_command_line_offers_the_registered_peers():
    assert cli.parse_args(["--docs", "3"]).peers == ["naive", "tantivy", "sqlite"]
    assert cli.parse_args(["--docs", "3", "--peers", "none"]).peers == []
    with pytest.raises(SystemExit):
        cli.parse_args(["--docs", "3", "--peers", "naive,lucene"])


class _Recorder(Peer):
    """An engine that records what the run loop gave it and answers with fixed numbers."""

    def __init__(self, name: str, whole_corpus: bool, calls: list[tuple[str, str, Any]]) -> None:
        self.name, self.whole_corpus, self.calls = name, whole_corpus, calls

    def ingest(self, work: Work) -> dict[str, Any]:
        self.calls.append((self.name, "ingest", len(work.pages)))
        work.index_dir.mkdir(parents=True)
        return {"seconds": 1.0, "files": len(work.pages), "reports_per_s": 2.0 * len(work.pages),
                "chars_per_s": float(work.chars), "index_mb": 1.5, "workers": 1}

    def queries(self, work: Work) -> dict[str, Any]:
        self.calls.append((self.name, "queries", len(work.mix)))
        return {"results_page": latency([4.0, 6.0]), "exact": latency([8.0])}

    def extra(self, work: Work, results: dict[str, Any]) -> None:
        self.calls.append((self.name, "extra", sorted(results)))

    def notes(self, results: dict[str, Any]) -> list[str]:
        return [f"{self.name}: recorded"]


def test_the_run_loop_measures_the_registered_adapters(tmp_path, monkeypatch):
    calls: list[tuple[str, str, Any]] = []
    subject, other = _Recorder("subject", True, calls), _Recorder("other", False, calls)
    monkeypatch.setattr(peers, "PEERS", (subject, other))
    monkeypatch.setattr(run, "PEERS", (subject, other))
    monkeypatch.setattr(run, "selected", lambda names: [subject, other])
    args = cli.parse_args(["--docs", "6", "--queries", "5", "--peer-docs", "4", "--peers", "none",
                           "--workdir", str(tmp_path / "work")])
    results = run.run(args)
    assert [(name, step) for name, step, _ in calls] == [
        ("subject", "ingest"), ("subject", "queries"), ("subject", "extra"),
        ("other", "ingest"), ("other", "queries"), ("other", "extra")]
    assert calls[0][2] == 6 and calls[3][2] == 4  # the subject indexes every page, a peer the first --peer-docs
    assert results["subject"]["ingest"]["files"] == 6 and results["other"]["ingest"]["files"] == 4
    rows = {row["measure"]: row for row in results["table"]}
    assert rows["ingest reports/s"]["subject"] == 12.0 and rows["ingest reports/s"]["other"] == 8.0
    assert rows["ingest reports/s"]["subject_vs_other"] == 1.5
    assert rows["results page p50 ms"]["subject_vs_other"] == 1.0
    text = table.render(results, (subject, other))
    header = next(line for line in text.splitlines() if line.startswith("measure"))
    assert header.split() == ["measure", "subject", "other", "subject÷other"]
    assert "subject: recorded" in text and "other: recorded" in text
    assert not list((tmp_path / "work").glob("run-*"))  # the run folder is removed without --keep


def test_a_missing_tantivy_stops_the_run_before_anything_is_made(tmp_path, monkeypatch):
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "tantivy" else
                        find_spec(name, *a))
    assert TantivyPeer().missing() == "tantivy is not installed: .venv/bin/pip install tantivy (or --peers naive)"
    work = tmp_path / "work"
    with pytest.raises(BenchError, match="tantivy is not installed"):
        run.run(cli.parse_args(["--docs", "3", "--workdir", str(work)]))
    assert not work.exists()
    assert NaivePeer().missing() is None and GovsearchPeer().missing() is None


def test_engines_without_a_cleaner_or_marker_are_not_timed_for_them():
    assert GovsearchPeer().cleaner() is not None and NaivePeer().cleaner() is not None
    assert TantivyPeer().cleaner() is None and TantivyPeer().marker() is None
    from govsearch.bench.cleaning import clean_speeds

    assert clean_speeds(Path("/nonexistent"), peers.PEERS) is None
