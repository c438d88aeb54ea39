"""``govsearch terms``: candidates from the command line, and words added to the
dictionary - run as a user would, with the user's words in a file of the test's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from govsearch import cli_terms
from govsearch.config import PROJECT_ROOT
from govsearch.index.analysis import USER_WORDS_ENV
from govsearch.index.bundled import MEASURES_FILE
from govsearch.index.schema import open_index
from tests.test_candidates import REPORTS


def run(*args: str, words: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop(USER_WORDS_ENV, None)
    if words is not None:
        env[USER_WORDS_ENV] = str(words)
    return subprocess.run([sys.executable, "-m", "govsearch", *args], capture_output=True, text=True, env=env,
                          cwd=PROJECT_ROOT, timeout=120)


@pytest.fixture()
def corpus(tmp_path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _phrases(proc: subprocess.CompletedProcess) -> list[str]:
    return [json.loads(line)["phrase"] for line in proc.stdout.splitlines()]


def _frequency(index: Path, word: str) -> int:
    """Reports whose ranked text field holds ``word`` as one token."""
    with open_index(index).reader() as reader:
        return reader.doc_frequency("text", word)


def test_add_then_reindex_makes_the_word_whole(tmp_path, corpus):
    index, words = tmp_path / "ix", tmp_path / "user_words.txt"
    assert run("ingest", "-q", str(corpus), "--index", str(index), words=words).returncode == 0
    listed = run("terms", "candidates", "--index", str(index), "--jsonl", "--min-reports", "1", words=words)
    assert listed.returncode == 0 and "法治体检" in _phrases(listed)
    assert _frequency(index, "法治体检") == 0  # cut as 法治|体检

    added = run("terms", "add", "法治体检", words=words)
    assert added.returncode == 0 and "govsearch reindex" in added.stdout
    assert words.read_text(encoding="utf-8") == "法治体检 1000 nz\n"
    stale = run("search", "法治", "--index", str(index), words=words)
    assert "reindex" in stale.stderr  # the index was cut with another dictionary

    assert run("reindex", "-q", "--index", str(index), words=words).returncode == 0
    assert _frequency(index, "法治体检") == 3  # one whole word in the three reports that use it
    listed = run("terms", "candidates", "--index", str(index), "--jsonl", "--min-reports", "1", words=words)
    assert "法治体检" not in _phrases(listed) and "周六不休息" in _phrases(listed)
    assert "reindex" not in run("search", "法治", "--index", str(index), words=words).stderr


def test_add_refuses_empty_and_invalid_words_and_writes_nothing(tmp_path):
    words = tmp_path / "user_words.txt"
    for bad, reason in (("", "空词"), ("！？", "空词"), ("法", "2–20"), ("新词" * 11, "2–20")):
        proc = run("terms", "add", "法治画像", bad, words=words)
        assert proc.returncode == 2 and reason in proc.stderr and "nothing was added" in proc.stderr, bad
        assert "Traceback" not in proc.stderr
    assert not words.exists()


def test_add_skips_words_already_present_in_any_spelling(tmp_path):
    words = tmp_path / "user_words.txt"
    proc = run("terms", "add", "双随机、一公开", "雙隨機一公開", words=words)
    assert proc.returncode == 0 and proc.stderr.count("already in the dictionary") == 2
    assert "no reindex needed" in proc.stdout and not words.exists()
    proc = run("terms", "add", "法治画像", "法治画像", "“法治 画像”", words=words)
    assert proc.returncode == 0 and words.read_text(encoding="utf-8") == "法治画像 1000 nz\n"
    again = run("terms", "add", "法治画像", "--tag", "l", words=words)
    assert again.returncode == 0 and words.read_text(encoding="utf-8") == "法治画像 1000 nz\n"


def test_candidates_exit_statuses_and_output(tmp_path, corpus):
    index = tmp_path / "ix"
    missing = run("terms", "candidates", "--index", str(index))
    assert missing.returncode == 1 and "索引不存在" in missing.stderr
    assert run("ingest", "-q", str(corpus), "--index", str(index)).returncode == 0
    table = run("terms", "candidates", "--index", str(index))
    assert table.returncode == 0 and "法治体检" in table.stdout and "3 candidates in 5 reports" in table.stdout
    assert "terms: 5/5" in table.stderr  # progress, on stderr
    document = json.loads(run("terms", "candidates", "法治", "--province", "山东", "--json", "-q", "--min-reports", "1",
                              "--index", str(index)).stdout)
    assert document["reports"] == 1 and {c["phrase"] for c in document["candidates"]} == {"法治体检", "周六不休息"}
    none = run("terms", "candidates", "--min-reports", "99", "--index", str(index))
    assert none.returncode == 1 and "0 candidates" in none.stdout
    for bad in (["--year", "abc"], ["--limit", "0"], ["--level", "村级"]):
        proc = run("terms", "candidates", *bad, "--index", str(index))
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, bad
    assert run("terms").returncode == 2


def test_where_added_words_go(monkeypatch, tmp_path):
    monkeypatch.delenv(USER_WORDS_ENV, raising=False)
    assert cli_terms.words_file() == MEASURES_FILE  # a checkout: the reviewed list itself
    cli_terms.use_user_words()
    assert USER_WORDS_ENV not in os.environ  # a checkout reads seeds/measures.txt anyway
    monkeypatch.setenv(USER_WORDS_ENV, str(tmp_path / "mine.txt"))
    assert cli_terms.words_file() == tmp_path / "mine.txt"
    monkeypatch.delenv(USER_WORDS_ENV)
    monkeypatch.setattr(cli_terms, "in_checkout", lambda: False)
    monkeypatch.setattr(cli_terms, "data_dir", lambda: tmp_path / "data")
    assert cli_terms.words_file() == tmp_path / "data" / cli_terms.USER_WORDS_NAME
    cli_terms.use_user_words()
    assert os.environ[USER_WORDS_ENV] == str(tmp_path / "data" / cli_terms.USER_WORDS_NAME)
