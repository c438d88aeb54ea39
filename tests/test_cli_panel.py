"""``govsearch panel TERMS_FILE``: the panel the API gives, in every format,
from a terms file; statuses as grep's (0 rows, 1 none, 2 bad input)."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd

from govsearch.config import PROJECT_ROOT
from govsearch.search.panel import PANEL_FIELDS, panel_rows

TERMS = ["法治", "营商环境", "双随机一公开"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "govsearch", *args], capture_output=True, timeout=120,
                          cwd=PROJECT_ROOT)


def test_panel_writes_every_format_with_the_library_counts(seed_index, engine, tmp_path):
    terms = tmp_path / "terms.txt"
    terms.write_text("# 三个措施\n" + "\n".join(TERMS) + "\n", encoding="utf-8")
    expected = list(panel_rows(engine.selected(""), TERMS))
    for suffix in ("parquet", "csv", "jsonl"):
        out = tmp_path / f"panel.{suffix}"
        proc = run("panel", str(terms), "--index", str(seed_index), "-o", str(out))
        assert proc.returncode == 0, proc.stderr.decode()
        assert "5 篇报告 × 3 个词" in proc.stderr.decode()
        read = {"parquet": pd.read_parquet, "csv": lambda p: pd.read_csv(p, dtype={"adcode": str}),
                "jsonl": lambda p: pd.read_json(p, lines=True, dtype={"adcode": str})}[suffix](out)
        assert list(read.columns) == [*PANEL_FIELDS, *TERMS], suffix
        assert [list(read[t]) for t in TERMS] == [[r[t] for r in expected] for t in TERMS], suffix
    typed = pd.read_parquet(tmp_path / "panel.parquet")
    assert str(typed["法治"].dtype) == "int64" and typed["adcode"].dropna().map(type).eq(str).all()


def test_panel_follows_the_query_and_filters_and_writes_stdout(seed_index, tmp_path):
    terms = tmp_path / "terms.txt"
    terms.write_text("法治|营商环境", encoding="utf-8")
    proc = run("panel", str(terms), "--index", str(seed_index), "--year", "2022", "--format", "csv")
    frame = pd.read_csv(io.BytesIO(proc.stdout))
    assert proc.returncode == 0 and len(frame) == 2 and set(frame["report_year"]) == {2022}
    proc = run("panel", str(terms), "--index", str(seed_index), "-q", "不存在的词语组合啊")
    assert proc.returncode == 1


def test_panel_refuses_bad_input_with_status_2(seed_index, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n\n", encoding="utf-8")
    binary = tmp_path / "latin.txt"
    binary.write_bytes("法治".encode("gb18030"))
    cases = [(["panel", str(tmp_path / "missing.txt")], "找不到词表文件"),
             (["panel", str(empty)], "没有词语"),
             (["panel", str(binary)], "UTF-8"),
             (["panel", str(empty), "-o", str(tmp_path / "x.xlsx")], "判断格式")]
    for args, says in cases:
        proc = run(*args, "--index", str(seed_index))
        assert proc.returncode == 2 and says in proc.stderr.decode(), (args, proc.stderr.decode())
        assert "Traceback" not in proc.stderr.decode()
