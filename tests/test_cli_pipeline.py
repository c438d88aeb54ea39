"""The command in a shell pipeline (issue 16, item 6): --version; exit 0
when something matched, 1 when nothing did, 2 for bad input, as grep does;
--limit for any N and --jsonl; quiet and 0 on a closed pipe (| head);
progress as lines when stderr is not a terminal; export with every hit as
CSV, JSON Lines or Parquet; an ingest with nothing to read creates no index."""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib.metadata import version

import pandas as pd
import pytest

from govsearch import cli, cli_search
from govsearch.config import PROJECT_ROOT, SEEDS_DIR
from govsearch.search.engine import Engine
from govsearch.search.records import HIT_FIELDS
from tests.test_cli import GOVSEARCH, run


def test_version_names_the_installed_package():
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"govsearch {version('govsearch')}"


def test_exit_status_says_matched_nothing_or_bad_input(seed_index):
    assert run("search", "法治", index=seed_index).returncode == 0
    nothing = run("search", "并无此词语组合", index=seed_index)
    assert nothing.returncode == 1 and "共 0 篇报告" in nothing.stdout
    for bad in (["--year", "1800"], ["--level", "村级"], ["--adcode", "33x"], ["--limit", "0"]):
        proc = run("search", "法治", *bad, index=seed_index)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, bad
    assert run("export", "并无此词语组合", "--format", "jsonl", index=seed_index).returncode == 1


def test_jsonl_gives_one_hit_a_line_in_the_hit_schema(seed_index):
    proc = run("search", "法治", "--jsonl", "--limit", "1000", index=seed_index)
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 0 and len(lines) == Engine(seed_index).search("法治").total == 5
    assert all(set(HIT_FIELDS) <= set(line) for line in lines)


def test_limit_reads_as_many_pages_as_it_needs(seed_index, monkeypatch, capsys):
    monkeypatch.setattr(cli_search, "PAGE", 2)  # the seeds hold 5 hits: three pages of two
    expected = [h.fields["id"] for h in Engine(seed_index).search("法治", per_page=5).hits]
    for limit, count in ((3, 3), (4, 4), (1000, 5)):
        assert cli.main(["search", "法治", "--jsonl", "--limit", str(limit), "--index", str(seed_index)]) == 0
        ids = [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()]
        assert ids == expected[:count], limit


@pytest.fixture(scope="module")
def copies_index(tmp_path_factory):
    """Sixty reports (twelve copies of each seed): more output than a pipe holds."""
    root = tmp_path_factory.mktemp("copies")
    for n in range(12):
        shutil.copytree(SEEDS_DIR, root / "reports" / f"copy{n:02d}")
    proc = run("ingest", "-q", str(root / "reports"), index=root / "ix")
    assert proc.returncode == 0, proc.stderr
    return root / "ix"


def test_a_closed_pipe_ends_the_command_quietly_with_status_0(copies_index):
    for args in (["search", "法治", "--jsonl", "--all-versions", "--limit", "1000"],
                 ["export", "法治", "--all-versions", "--format", "jsonl"]):
        proc = subprocess.Popen([*GOVSEARCH, *args, "--index", str(copies_index)], cwd=PROJECT_ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        first = proc.stdout.readline()
        proc.stdout.close()  # as `| head -1` does
        stderr = proc.stderr.read().decode("utf-8")
        assert proc.wait(timeout=60) == 0, stderr
        assert json.loads(first)["id"] and "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr


def test_export_writes_every_hit_in_each_format(copies_index, tmp_path):
    total = Engine(copies_index).search("法治", collapse=False).total
    assert total == 60
    for fmt in ("csv", "jsonl", "parquet"):
        out = tmp_path / f"hits.{fmt}"
        proc = run("export", "法治", "--all-versions", "--format", fmt, "-o", str(out), index=copies_index)
        assert proc.returncode == 0 and f"导出 {total} 篇报告" in proc.stderr, proc.stderr
        frame = {"csv": pd.read_csv, "jsonl": lambda p: pd.read_json(p, lines=True, dtype=False),
                 "parquet": pd.read_parquet}[fmt](out)
        assert len(frame) == total and list(frame.columns[:len(HIT_FIELDS)]) == list(HIT_FIELDS), fmt
    typed = pd.read_parquet(tmp_path / "hits.parquet")
    assert not pd.api.types.is_numeric_dtype(typed["adcode"]) and typed["adcode"].str.len().min() >= 4
    assert pd.api.types.is_numeric_dtype(typed["report_year"]) and pd.api.types.is_float_dtype(typed["score"])
    assert typed["id"].str.fullmatch(r"[0-9a-f]{40}").all()


def test_progress_is_lines_when_stderr_is_not_a_terminal(tmp_path):
    proc = run("ingest", str(SEEDS_DIR), index=tmp_path / "ix")
    assert proc.returncode == 0
    assert "ingest: 6/6 (100%)" in proc.stderr and "\r" not in proc.stderr  # five seeds and the measures list


def test_an_ingest_with_nothing_to_read_says_so_and_creates_no_index(tmp_path):
    (tmp_path / "empty").mkdir()
    for target in (tmp_path / "empty", tmp_path / "missing"):
        proc = run("ingest", str(target), index=tmp_path / "ix")
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert not (tmp_path / "ix").exists(), target
    assert "没有可索引的文件" in run("ingest", str(tmp_path / "empty"), index=tmp_path / "ix").stderr
    assert "no such file or folder" in run("ingest", str(tmp_path / "missing"), index=tmp_path / "ix").stdout
