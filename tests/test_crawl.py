"""The crawler end to end, against the fixture site on 127.0.0.1.

Every crawl runs the real command (``python -m govsearch crawl``) in a
subprocess, as a user would; the fixture server's request log is the
ground truth for what was fetched.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from govsearch.config import PROJECT_ROOT
from govsearch.index.crawl.warcstore import read_warc, warc_files
from govsearch.index.normalize import normalize_text
from govsearch.index.schema import INDEX_NAME
from tests.crawl_site import FixtureServer, build_site, sites_toml

CLI = [sys.executable, "-m", "govsearch"]


def run_cli(*args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout, cwd=PROJECT_ROOT)


def events(out: Path) -> list[dict]:
    path = out / "events.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def stored(index_dir: Path) -> dict[str, dict]:
    """url path → stored record, asserting no URL is indexed twice."""
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    with ix.searcher() as searcher:
        records = list(searcher.all_stored_fields())
    paths = [path_of(r["url"]) for r in records]
    assert len(paths) == len(set(paths)), Counter(paths).most_common(3)
    return dict(zip(paths, records, strict=True))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", normalize_text(text)[0])


@pytest.fixture(scope="module")
def site():
    return build_site()


@pytest.fixture(scope="module")
def server(site):
    server = FixtureServer(site).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def crawled(server, tmp_path_factory):
    """One full crawl of the fixture site: (out, index, result, server log)."""
    work = tmp_path_factory.mktemp("crawl")
    toml = work / "sites.toml"
    toml.write_text(sites_toml(server), encoding="utf-8")
    server.clear()
    result = run_cli("crawl", str(toml), "--out", str(work / "out"), "--index", str(work / "index"), "-q")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return work / "out", work / "index", result, list(server.log), toml


def test_every_allowed_report_is_indexed_once_with_its_text(site, crawled):
    _out, index_dir, _, log, _ = crawled
    records = stored(index_dir)
    assert set(site.reports) <= set(records), sorted(set(site.reports) - set(records))
    fetched = Counter(path for path, status in log if status == 200)
    for path, expected in site.reports.items():
        text = squash(records[path]["text"])
        assert squash(expected["first"]) in text, (path, text[:100])
        assert squash(expected["last"]) in text, (path, text[-100:])
        assert fetched[path] == 1, (path, fetched[path])
    # Nothing but reports: list pages, the robots file and faults are not indexed.
    assert set(records) == set(site.reports)


def test_gbk_page_and_attachments_keep_the_page_metadata(site, crawled):
    _, index_dir, *_ = crawled
    records = stored(index_dir)
    assert records["/col/art/gbk.html"]["title"].startswith("中共沂源县中庄镇委员会关于2022年度")
    for path in ("/col/files/report-2022.pdf", "/col/files/report-2022.docx"):
        record = records[path]
        # 发布机构 / 发布日期 / 索引号 come from the page that links the file.
        assert record["publisher"] == "某县人民政府"
        assert record["publish_date"] == "2023-03-01"
        assert record["index_number"] == "11150000-2023-00012"
        assert "松山区法治政府建设纪实" in record["title"]
        # The document's own (wrapped) title is not repeated as its first lines.
        assert squash(record["text"]).startswith(squash(site.reports[path]["first"]))


def test_robots_disallowed_path_is_never_requested(site, crawled):
    out, _, _, log, _ = crawled
    assert ("/robots.txt", 200) in log
    assert all(path != site.disallowed for path, _ in log)
    robots = [e for e in events(out) if e["event"] == "robots"]
    assert [path_of(e["url"]) for e in robots] == [site.disallowed]


def test_every_fault_is_logged_with_its_kind(site, crawled):
    out, _, result, log, _ = crawled
    faults = {path_of(e["url"]): e for e in events(out) if e["event"] == "fault"}
    for path, kind in site.faults.items():
        assert path in faults, (path, sorted(faults))
        assert faults[path]["fault"] == kind, faults[path]
        assert faults[path]["detail"]
    # 5xx and timeouts are retried (retries = 1 in the test file), with backoff.
    assert sum(1 for path, _ in log if path == "/col/art/error.html") == 2
    retries = {path_of(e["url"]) for e in events(out) if e["event"] == "retry"}
    assert {"/col/art/error.html", "/col/art/slow.html"} <= retries
    assert "错误 4" in result.stdout


def test_unextractable_attachments_are_skipped_without_download(site, crawled):
    out, _, _, log, _ = crawled
    skipped = {path_of(e["url"]): e["detail"] for e in events(out) if e["event"] == "skipped"}
    for path in site.skipped:
        assert skipped.get(path), path
        assert all(p != path for p, _ in log)
    assert ".doc" in skipped["/col/files/old-scan.doc"] and "WPS" in skipped["/col/files/wps-copy.wps"]


def test_user_agent_names_govsearch_and_the_contact(server, crawled):
    agents = server.agents
    assert agents and all("govsearch/" in a and "mailto:tests@govsearch.invalid" in a for a in agents), agents


def test_warc_keeps_every_response_as_served(site, server, crawled):
    out, _, _, log, _ = crawled
    files = warc_files([out / "warc"])
    assert files
    records = [r for f in files for r in read_warc(f)]
    by_path = Counter((path_of(r.url), r.status) for r in records)
    # Every response the server completed is in the WARC (the timed-out and
    # the oversized ones were abandoned by the client).
    answered = Counter((p, s) for p, s in log if p not in ("/col/art/slow.html", "/col/art/big.html"))
    assert by_path == answered
    for r in records:
        if r.status == 200 and path_of(r.url) in site.reports:
            assert r.body == server.served(path_of(r.url))
            assert r.fetched_at and r.role in ("report", "attachment")
    loop = [r for r in records if path_of(r.url) == "/col/art/loop.html"]
    assert loop and loop[0].status == 302 and loop[0].headers["location"] == "/col/art/loop-b.html"


def test_second_crawl_ingests_nothing(site, server, crawled):
    out, index_dir, _, _, toml = crawled
    before = stored(index_dir)
    seen = len(events(out))
    server.clear()
    result = run_cli("crawl", str(toml), "--out", str(out), "--index", str(index_dir), "-q")
    assert result.returncode == 0, result.stderr[-2000:]
    second = events(out)[seen:]
    assert not [e for e in second if e["event"] in ("added", "updated")]
    unchanged = {path_of(e["url"]) for e in second if e["event"] == "unchanged"}
    assert unchanged == set(site.reports)
    # The site was asked "changed since?" and answered 304 for every report page.
    statuses = dict(server.log)
    assert all(statuses[p] == 304 for p in site.reports), {p: statuses.get(p) for p in site.reports}
    after = stored(index_dir)
    assert {p: r["content_hash"] for p, r in after.items()} == {p: r["content_hash"] for p, r in before.items()}


def test_ingest_warc_rebuilds_the_same_index_without_crawling(crawled, tmp_path):
    out, index_dir, *_ = crawled
    result = run_cli("ingest", "--warc", str(out / "warc"), "--index", str(tmp_path / "replayed"), "-q")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    replayed, original = stored(tmp_path / "replayed"), stored(index_dir)
    assert set(replayed) == set(original)
    assert all(replayed[p]["text"] == original[p]["text"] for p in original)
    again = run_cli("ingest", "--warc", str(out / "warc"), "--index", str(tmp_path / "replayed"), "-q")
    assert again.returncode == 0 and "added 0, updated 0" in again.stdout


def test_interrupted_crawl_resumes_without_refetching(site, server, tmp_path):
    toml = tmp_path / "sites.toml"
    toml.write_text(sites_toml(server, delay=0.4), encoding="utf-8")
    out, index_dir = tmp_path / "out", tmp_path / "index"
    server.clear()
    args = ["crawl", str(toml), "--out", str(out), "--index", str(index_dir), "-q"]
    first = subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=PROJECT_ROOT)
    deadline = time.monotonic() + 120
    while sum(1 for e in events(out) if e["event"] == "added") < 4:
        assert time.monotonic() < deadline and first.poll() is None, "the crawl did not get going"
        time.sleep(0.1)
    first.send_signal(signal.SIGTERM)
    stdout, stderr = first.communicate(timeout=120)
    assert first.returncode == 0, stderr[-2000:]
    assert "shutdown" in stdout
    interrupted = len({path_of(e["url"]) for e in events(out) if e["event"] == "added"})
    assert interrupted < len(site.reports)

    resumed = run_cli(*args, "--resume")
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "resuming" in resumed.stderr
    fetched = Counter(path for path, status in server.log if status == 200)
    assert all(fetched[p] == 1 for p in site.reports), {p: fetched[p] for p in site.reports if fetched[p] != 1}
    assert fetched["/col/index.html"] == 1
    assert set(stored(index_dir)) == set(site.reports)


def test_killed_crawl_loses_nothing_it_fetched(site, server, tmp_path):
    """kill -9 between two commits: the reports fetched since the last one
    are only in the WARC, and Scrapy's saved frontier is incomplete.  The
    next crawl indexes them from the WARC before fetching, walks the site
    again rather than trusting the frontier, and downloads no report twice."""
    toml = tmp_path / "sites.toml"
    toml.write_text(sites_toml(server, delay=0.4), encoding="utf-8")
    out, index_dir = tmp_path / "out", tmp_path / "index"
    server.clear()
    args = ["crawl", str(toml), "--out", str(out), "--index", str(index_dir), "-q"]
    first = subprocess.Popen([*CLI, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=PROJECT_ROOT)
    deadline = time.monotonic() + 120
    while sum(1 for e in events(out) if e["event"] == "added") < 4:
        assert time.monotonic() < deadline and first.poll() is None, "the crawl did not get going"
        time.sleep(0.1)
    first.kill()
    first.wait(timeout=30)
    fetched_before = {path_of(e["url"]) for e in events(out) if e["event"] == "added"}
    # What reached the WARC before the kill; a download still in flight then is fetched again.
    archived = {path_of(r.url) for f in warc_files([out / "warc"]) for r in read_warc(f) if r.status == 200}
    in_flight = {path for path, status in server.log if status == 200} - archived
    committed = set(stored(index_dir)) if (index_dir / "govsearch.json").exists() else set()
    assert fetched_before - committed, "the kill came after the commit: nothing to recover"

    resumed = run_cli(*args, "--resume")
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "did not stop cleanly" in resumed.stderr
    recovered = re.search(r"from its WARC\): 新增 (\d+)", resumed.stderr)
    assert recovered and int(recovered[1]) >= len(fetched_before - committed), resumed.stderr
    downloads = Counter(path for path, status in server.log if status == 200)
    twice = {p: downloads[p] for p in site.reports if downloads[p] != 1}
    assert twice.keys() <= in_flight and all(n == 2 for n in twice.values()), (twice, sorted(in_flight))
    assert all(dict(server.log)[p] == 304 for p in fetched_before)  # asked again only "changed since?"
    by_path = stored(index_dir)
    assert set(by_path) == set(site.reports)
    again = run_cli(*args, "--resume")  # a clean stop is trusted, and there is nothing left to recover
    assert again.returncode == 0 and "resuming the interrupted crawl" in again.stderr
    assert "from its WARC" not in again.stderr


def test_two_processes_share_one_frontier_through_redis(site, server, tmp_path, redis_url):
    toml = tmp_path / "sites.toml"
    toml.write_text(sites_toml(server, delay=0.3), encoding="utf-8")
    server.clear()
    procs = [subprocess.Popen([*CLI, "crawl", str(toml), "--out", str(tmp_path / f"out{i}"),
                               "--index", str(tmp_path / "index"), "--redis", redis_url, "--job", "fixture", "-q"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT)
             for i in (1, 2)]
    for proc in procs:
        _, stderr = proc.communicate(timeout=240)
        assert proc.returncode == 0, stderr[-2000:]
    # Each process reads robots.txt itself; a faulty page is retried by design.
    fetched = Counter(path for path, status in server.log
                      if status == 200 and path != "/robots.txt" and path not in site.faults)
    assert fetched and all(n == 1 for n in fetched.values()), {p: n for p, n in fetched.items() if n != 1}
    assert set(site.reports) <= set(fetched)
    per_process = [sum(1 for e in events(tmp_path / f"out{i}") if e["event"] == "fetched") for i in (1, 2)]
    assert sum(per_process) >= len(fetched)
    assert set(stored(tmp_path / "index")) == set(site.reports)
