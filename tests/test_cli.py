"""The govsearch command: ingest, search, serve - run as a user would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from govsearch.config import PROJECT_ROOT, SEEDS_DIR
from govsearch.index.bundled import bundled_reports
from tests.conftest import free_port, serving

GOVSEARCH = [sys.executable, "-m", "govsearch"]


def run(*args, index=None, check=False):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    cmd = [*GOVSEARCH, *args] + (["--index", str(index)] if index else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_ingest_is_idempotent_and_reports(tmp_path):
    index = tmp_path / "ix"
    first = run("ingest", "-q", str(SEEDS_DIR), index=index, check=True)
    # The five reports; the measures dictionary beside them is recognised and skipped.
    assert "added 5" in first.stdout and "skipped 1" in first.stdout
    assert "measures.txt: a word list" in first.stdout
    second = run("ingest", "-q", str(SEEDS_DIR), index=index, check=True)
    assert "added 0" in second.stdout and "skipped 6" in second.stdout and second.stdout.count("unchanged") == 5
    # Changing one file updates it in place; nothing is duplicated.
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, corpus)
    run("ingest", "-q", str(corpus), index=index, check=True)
    target = next(corpus.glob("001_*.txt"))
    target.write_text(target.read_text(encoding="utf-8") + "\n新增一段：数字政府。", encoding="utf-8")
    third = run("ingest", "-q", str(corpus), index=index, check=True)
    assert "updated 1" in third.stdout and "skipped 5" in third.stdout
    args = ("search", "法治政府", "--json", "--limit", "100")
    result = json.loads(run(*args, "--all-versions", index=index, check=True).stdout)
    assert result["total"] == 10  # 5 seeds from seeds/ + 5 copies, each once
    collapsed = json.loads(run(*args, index=index, check=True).stdout)
    assert collapsed["total"] == 5 and all(h["duplicates"] == 1 for h in collapsed["hits"])
    assert all(h["source"].startswith("seeds/") for h in collapsed["hits"])  # the first indexed is shown


def test_ingest_failures_have_reasons(tmp_path):
    index = tmp_path / "ix"
    (tmp_path / "garbage.html").write_bytes(b"\x00\xff\x00" * 100)
    nav_only = "<html><body><nav>首页</nav><p>【打印本页】【关闭窗口】</p></body></html>"
    (tmp_path / "nav.html").write_text(nav_only, encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    shutil.copy(next(SEEDS_DIR.glob("002_*.txt")), tmp_path / "good.txt")
    proc = run("ingest", "-q", str(tmp_path), str(tmp_path / "notes.pdf"), str(tmp_path / "missing.txt"), index=index)
    assert proc.returncode == 1
    assert "added 1" in proc.stdout and "failed 4" in proc.stdout
    assert "binary" in proc.stdout and "no body text" in proc.stdout
    assert "unsupported file type .pdf" in proc.stdout and "no such file" in proc.stdout
    assert "Traceback" not in proc.stderr
    # The good file is searchable despite the failures.
    assert json.loads(run("search", "周村区", "--json", index=index, check=True).stdout)["total"] == 1
    negative = run("ingest", str(SEEDS_DIR), "--lock-wait", "-1", index=index)
    assert negative.returncode == 2 and "--lock-wait" in negative.stderr and "Traceback" not in negative.stderr


def test_search_cli(tmp_path):
    index = tmp_path / "ix"
    run("ingest", "-q", str(SEEDS_DIR), index=index, check=True)
    text = run("search", "营商环境", "--limit", "2", index=index, check=True).stdout
    assert "共 4 篇报告" in text and "【营商环境】" in text
    args = ("search", "法治", "--year", "2022", "--level", "乡镇级", "--json")
    filtered = json.loads(run(*args, index=index, check=True).stdout)
    assert filtered["total"] == 1 and filtered["hits"][0]["level"] == "乡镇级"
    for bad in (["search", "法治", "--year", "20x"], ["search", "法治", "--level", "村级"], ["search", "，，"]):
        proc = run(*bad, index=index)
        assert proc.returncode == 2 and "错误" in proc.stderr and "Traceback" not in proc.stderr
    missing = run("search", "法治", index=tmp_path / "nothing")
    assert missing.returncode == 1 and "索引不存在" in missing.stderr


def test_index_location_from_environment(tmp_path):
    env = {**os.environ, "GOVSEARCH_INDEX": str(tmp_path / "env-ix")}
    subprocess.run([*GOVSEARCH, "ingest", "-q", str(SEEDS_DIR)], check=True, env=env, cwd=PROJECT_ROOT,
                   capture_output=True, timeout=120)
    assert (tmp_path / "env-ix" / "govsearch.json").exists()


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def test_serve_builds_index_and_answers(tmp_path):
    port = free_port()
    index = tmp_path / "fresh"
    server = subprocess.Popen([*GOVSEARCH, "serve", "--port", str(port), "--index", str(index)],
                              cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 60
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                if server.poll() is not None or time.time() > deadline:
                    pytest.fail(f"server did not start: {server.communicate(timeout=5)}")
                time.sleep(0.3)
        assert status == 200 and "政府报告检索" in body.decode("utf-8")
        status, body = _get(f"http://127.0.0.1:{port}/api/search?q=%E6%B3%95%E6%B2%BB")
        data = json.loads(body)
        assert status == 200 and data["total"] > 5  # the seeds and the bundled real reports
        stats = json.loads(_get(f"http://127.0.0.1:{port}/api/stats")[1])
        assert stats["reports"] == len(bundled_reports())
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=10)
    assert "正在从" in stderr  # it said it was building the index
    assert "waitress" in stderr.lower() or "Serving on" in stderr or "正在服务" in stderr


def test_serve_with_gunicorn_workers_answers_concurrent_requests(seed_index):
    """Several pre-forked workers under concurrent load: every answer whole.
    (Workers that shared one engine's open files once read garbage here.)"""
    import threading

    results: list[tuple[int, int]] = []
    with serving("--index", str(seed_index), "--workers", "2", "--threads", "2") as base:
        paths = ["/api/search?q=%E6%B3%95%E6%B2%BB", "/?q=%E6%B3%95%E6%B2%BB", "/api/trend?q=%E6%89%A7%E6%B3%95",
                 "/api/concordance?q=%E5%A4%8D%E8%AE%AE"]

        def hammer(offset: int) -> None:
            for i in range(40):
                status, body = _get(f"{base}{paths[(i + offset) % len(paths)]}")
                results.append((status, len(body)))

        threads = [threading.Thread(target=hammer, args=(k,)) for k in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    assert len(results) == 240 and all(status == 200 for status, _ in results)


def _status(url: str, client: str = "") -> int:
    request = urllib.request.Request(url, headers={"X-Forwarded-For": client} if client else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_rate_limit_counted_once_across_workers_in_redis(seed_index, redis_url):
    """Two gunicorn workers, one limit: counters in Redis are shared, so a
    client gets the limit, not twice it.  Behind a proxy (--proxies 1) each
    forwarded client has its own count."""
    url_of = "{}/api/search?q=%E6%B3%95%E6%B2%BB".format
    with serving("--index", str(seed_index), "--workers", "2", "--rate-limit", "4/minute",
                 "--rate-limit-storage", redis_url) as base:
        codes = [_status(url_of(base)) for _ in range(10)]  # a new connection each: both workers answer
    assert codes.count(200) == 4 and codes.count(429) == 6, codes
    import redis

    assert redis.Redis.from_url(redis_url).keys("LIMITS:LIMITER*")  # the count is in Redis, not in a worker
    with serving("--index", str(seed_index), "--workers", "2", "--rate-limit", "4/minute",
                 "--rate-limit-storage", redis_url.replace("/0", "/1"), "--proxies", "1") as base:
        codes = [_status(url_of(base), client) for client in ["10.0.0.1", "10.0.0.2"] * 5]
    assert codes[:8] == [200] * 8 and codes[8:] == [429, 429], codes


def test_rate_limit_store_errors_are_clear(seed_index):
    unknown = run("serve", "--rate-limit", "4/minute", "--rate-limit-storage", "mongo-ish://x", index=seed_index)
    assert unknown.returncode == 1 and "not a rate-limit store" in unknown.stderr
    down = run("serve", "--rate-limit", "4/minute", "--rate-limit-storage", f"redis://127.0.0.1:{free_port()}/0",
               index=seed_index)
    assert down.returncode == 1 and "cannot reach the rate-limit store" in down.stderr
    alone = run("serve", "--rate-limit-storage", "redis://127.0.0.1:6379/0", index=seed_index)
    assert alone.returncode == 2 and "--rate-limit" in alone.stderr
    for proc in (unknown, down, alone):
        assert "Traceback" not in proc.stderr


def test_ingest_html_page_from_the_shared_corpus(tmp_path):
    from tests.conftest import SHARED
    page = SHARED / "corpus" / "html" / "govcn-policy-frag-2018-118-zhifa-sanxiang.html"
    index = tmp_path / "ix"
    proc = run("ingest", "-q", str(page), index=index, check=True)
    assert "added 1" in proc.stdout
    result = json.loads(run("search", "行政执法公示制度", "--json", index=index, check=True).stdout)
    assert result["total"] == 1
    assert "执法全过程记录制度" in result["hits"][0]["title"]


def test_clean_command_shows_the_report():
    from tests.conftest import seed_path
    proc = run("clean", str(seed_path("003")), check=True)
    assert "report_year     2022" in proc.stdout and "index_number    1137032300422372XD/2023-None" in proc.stdout
    assert "sections (4):" in proc.stdout and "first:" in proc.stdout and "last:" in proc.stdout
    record = json.loads(run("clean", str(seed_path("002")), "--json", check=True).stdout)
    assert record["report_year"] == 2024 and record["doc_type"] == "annual_report"
    assert [s["kind"] for s in record["sections"]] == ["responsibility", "measures", "shortcomings", "plans"]


def test_clean_command_errors(tmp_path):
    (tmp_path / "bin.html").write_bytes(bytes(range(256)) * 8)
    for target, message in ((tmp_path / "none.txt", "no such file"), (tmp_path, "a folder"),
                            (tmp_path / "bin.html", "binary")):
        proc = run("clean", str(target))
        assert proc.returncode == 1 and message in proc.stderr and "Traceback" not in proc.stderr


def test_ingest_refuses_an_index_of_another_schema(tmp_path):
    index = tmp_path / "ix"
    run("ingest", "-q", str(next(SEEDS_DIR.glob("002_*.txt"))), index=index, check=True)
    meta = json.loads((index / "govsearch.json").read_text(encoding="utf-8"))
    (index / "govsearch.json").write_text(json.dumps({**meta, "schema_version": "0"}), encoding="utf-8")
    proc = run("ingest", "-q", str(SEEDS_DIR), index=index)
    assert proc.returncode == 1 and "schema version 0" in proc.stderr and "Traceback" not in proc.stderr
    proc = run("search", "法治", index=index)
    assert proc.returncode == 1 and "govsearch reindex" in proc.stderr and "Traceback" not in proc.stderr
    run("reindex", "-q", index=index, check=True)
    found = json.loads(run("search", "营商环境", "--json", index=index, check=True).stdout)
    assert [h["source"][6:9] for h in found["hits"]] == ["002"]


def test_changed_dictionary_warns_and_reindex_rebuilds(tmp_path):
    from govsearch.search.engine import Engine
    index = tmp_path / "ix"
    run("ingest", "-q", str(SEEDS_DIR), index=index, check=True)
    before = json.loads(run("search", '"双随机、一公开"', "--json", index=index, check=True).stdout)
    meta_path = index / "govsearch.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps({**meta, "dictionary_hash": "0000", "analyzer_version": "0"}), encoding="utf-8")
    assert any("dictionary_hash" in w for w in Engine(index).warnings)
    warned = run("search", "法治", index=index, check=True)
    assert "警告" in warned.stderr and "govsearch reindex" in warned.stderr
    proc = run("reindex", "-q", index=index, check=True)
    assert "重建 5 篇报告" in proc.stdout
    assert Engine(index).warnings == []
    # No staging folder is left; the old index stays as ix.previous until the next reindex.
    assert [p.name for p in tmp_path.glob("ix.*")] == ["ix.previous"]
    assert json.loads((tmp_path / "ix.previous" / "govsearch.json").read_text())["dictionary_hash"] == "0000"
    after = json.loads(run("search", '"双随机、一公开"', "--json", index=index, check=True).stdout)
    assert [h["id"] for h in after["hits"]] == [h["id"] for h in before["hits"]]
    missing = run("reindex", index=tmp_path / "none")
    assert missing.returncode == 1 and "索引不存在" in missing.stderr


def test_search_cli_exact_mode_and_syntax_errors(tmp_path):
    index = tmp_path / "ix"
    run("ingest", "-q", str(SEEDS_DIR), index=index, check=True)
    out = run("search", "双随机、一公开", "--exact", index=index, check=True).stdout
    assert "共 3 篇报告" in out and "出现 3 次" in out
    proc = run("search", '"双随机', index=index)
    assert proc.returncode == 2 and "引号不成对" in proc.stderr and "Traceback" not in proc.stderr


def test_parallel_ingest_matches_serial(tmp_path):
    from govsearch.index.build import PARALLEL_MIN_FILES, ingest
    from govsearch.search.engine import Engine
    from tests.conftest import SHARED
    corpus = tmp_path / "corpus"
    shutil.copytree(SHARED / "corpus" / "html", corpus / "html")
    shutil.copytree(SEEDS_DIR, corpus / "seeds")
    assert len(list(corpus.rglob("*.htm*"))) + 5 >= PARALLEL_MIN_FILES
    records = {}
    for workers in (1, 2):
        summary = ingest([corpus], tmp_path / f"ix{workers}", workers=workers)
        assert summary.counts() == {"added": 19, "updated": 0, "skipped": 1, "failed": 0}
        engine = Engine(tmp_path / f"ix{workers}")
        records[workers] = {r["id"]: r for r in engine.stored_reports()}
        result = engine.search("法治", per_page=100)
        records[f"search{workers}"] = [h.fields["id"] for h in result.hits]
    assert records[1] == records[2]  # same text, metadata, links
    assert records["search1"] == records["search2"]
