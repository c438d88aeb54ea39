"""Bounded work per request: no GET can exhaust the server's memory or stall it.

The hostile requests are the ones that brought the server down from outside:
a concordance sorted by context over hundreds of thousands of lines (one
character OR-ed with itself 80 times), the concordance CSV of a common
character, slow clients dribbling headers, over-long request lines.  Each
runs against a real ``govsearch serve`` process, in both serving modes where
the mode matters.
"""

from __future__ import annotations

import http.client
import json
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from govsearch.config import PROJECT_ROOT
from govsearch.index.build import ingest
from govsearch.search.kwic import max_sorted_lines
from tests.conftest import serving
from tests.test_context_sort import every_line_sorted

# A corpus where one character occurs 400,000 times: 400 reports × 1,000.
REPORTS, PER_REPORT = 400, 1000
SENTENCE = "第{n}项坚持依法行政，推进法治政府建设。"  # 法 twice
DEADLINE = 10  # seconds: the servers below run with --deadline 10
RSS_BUDGET_MB = 200


def hostile_text(i: int) -> str:
    """A report: a title and 50 paragraphs of ten sentences, 1,000 法 in all."""
    paragraphs = ["".join(SENTENCE.format(n=f"{i}-{p}-{k}") for k in range(10)) for p in range(PER_REPORT // 20)]
    return f"第{i}县2022年度法治政府建设情况报告\n" + "\n".join(paragraphs)


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    corpus.mkdir()
    for i in range(REPORTS):
        (corpus / f"r{i:03d}.txt").write_text(hostile_text(i), encoding="utf-8")
    summary = ingest([corpus], root / "index")
    assert summary.counts()["added"] == REPORTS, summary.outcomes[:3]
    return root / "index"


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} for {pid}")


def _get(base: str, path: str, params: dict, *, read: int | None = None, timeout: float = 60) -> tuple[int, bytes]:
    """GET with the parameters encoded; ``read`` bytes at most, then hang up."""
    url = f"{base}{path}?{urllib.parse.urlencode(params)}"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read(read) if read else response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def or_of(term: str, times: int) -> str:
    return " OR ".join([term] * times)


def test_hostile_queries_stay_within_memory_and_deadline(hostile_index):
    total = REPORTS * PER_REPORT
    hostile = [  # (path, params, expected status, bytes to read before hanging up)
        ("/api/concordance", {"q": or_of("法", 80), "sort": "left", "width": "200", "collapse": "0"}, 400, None),
        ("/concordance", {"q": or_of("法", 80), "sort": "right", "width": "200", "collapse": "0"}, 400, None),
        ("/api/concordance", {"q": "法", "sort": "left", "width": "200", "format": "csv", "collapse": "0"}, 400, None),
        ("/api/concordance", {"q": "法", "width": "200", "format": "csv", "collapse": "0"}, 200, 4_000_000),
        ("/api/concordance", {"q": or_of("法", 80), "sort": "year", "page": "1000", "per_page": "100",
                              "width": "200"}, 200, None),
        ("/api/export", {"q": or_of("法", 80), "format": "jsonl", "collapse": "0"}, 200, None),
        ("/api/search", {"q": " ".join(["法"] * 200), "sort": "occurrences", "per_page": "100"}, 200, None),
        ("/api/trend", {"q": or_of("法", 80)}, 200, None),
    ]
    with serving("--index", str(hostile_index), "--deadline", str(DEADLINE), "--threads", "2") as base:
        assert _get(base, "/api/search", {"q": "法治"})[0] == 200  # warm: the engine's arrays are read
        before = _status_kb(base.pid, "VmRSS")
        for path, params, status, read in hostile:
            started = time.monotonic()
            got, body = _get(base, path, params, read=read)
            elapsed = time.monotonic() - started
            assert got == status, (path, params, body[:300])
            assert elapsed < DEADLINE + 5, (path, params, elapsed)
            if status == 400:
                message = json.loads(body)["error"]["message"] if path.startswith("/api/") else body.decode()
                assert str(total) in message and "按报告" in message  # how many lines, and what to do
        peak = _status_kb(base.pid, "VmHWM")
    assert (peak - before) / 1024 < RSS_BUDGET_MB, f"RSS grew from {before // 1024} MB to a peak of {peak // 1024} MB"


def test_context_sort_is_refused_over_the_cap_and_sorted_below_it(hostile_index, engine):
    """Over the cap the refusal carries the exact count; below it the lines
    come back sorted by their right context, all of them (the order as
    tests.test_context_sort defines it)."""
    from govsearch.search.engine import Engine
    from govsearch.search.kwic import TooManyLines, concordance

    _, matcher, records = Engine(hostile_index).iter_matches("法", collapse=False)
    with pytest.raises(TooManyLines) as refused:
        concordance(records, matcher, sort="left", width=200)
    assert refused.value.total == REPORTS * PER_REPORT > max_sorted_lines(200)
    _, matcher, records = engine.iter_matches("法治")
    every = list(concordance(records, matcher, sort="report", width=30).lines)
    _, matcher, records = engine.iter_matches("法治")
    found = concordance(records, matcher, sort="right", width=30)
    assert 50 < found.total == len(found.lines) == len(every) < max_sorted_lines(30)
    assert [line.to_dict() for line in found.lines] == every_line_sorted(engine, "法治", "right", 30)


def test_the_deadline_ends_runaway_work_with_a_json_503(seed_index, caplog):
    from govsearch.webui import create_app

    app = create_app(seed_index, TESTING=True, deadline=1e-9)
    client = app.test_client()
    with caplog.at_level("WARNING"):
        response = client.get("/api/search", query_string={"q": "法治"})
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "deadline_exceeded"
    assert "时限" in response.get_json()["error"]["message"]
    assert any("deadline" in record.getMessage() and "/api/search" in record.getMessage() for record in caplog.records)
    page = client.get("/", query_string={"q": "法治"})
    assert page.status_code == 503 and "时限" in page.get_data(as_text=True)


def test_a_started_stream_is_not_cut_by_the_deadline(seed_index):
    """The budget covers the work before the first byte; an export that
    streams for longer than the deadline completes."""
    from govsearch.webui import create_app

    client = create_app(seed_index, TESTING=True, deadline=0.5).test_client()
    response = client.get("/api/export", query_string={"q": "法治", "format": "jsonl", "collapse": "0"})
    assert response.status_code == 200 and response.is_streamed
    rows = []
    for chunk in response.response:
        time.sleep(0.3)  # a slow reader: the whole stream takes longer than the deadline
        rows.append(chunk)
    assert len(b"".join(c if isinstance(c, bytes) else c.encode() for c in rows).splitlines()) == 5


# ---------------------------------------------------------------- serving modes
MODES = {"waitress": ("--workers", "1", "--threads", "2"), "gunicorn": ("--workers", "3", "--threads", "2")}


def _dribble(port: int, stop: threading.Event, opened: list[socket.socket]) -> None:
    """A slow client: a request line, then one header line every half second."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    opened.append(sock)
    sock.sendall(b"GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    n = 0
    while not stop.wait(0.5):
        n += 1
        try:
            sock.sendall(f"X-Slow-{n}: {'x' * 10}\r\n".encode())
        except OSError:
            return


@pytest.mark.parametrize("mode", MODES)
def test_slow_clients_do_not_stall_the_server(seed_index, mode):
    with serving("--index", str(seed_index), *MODES[mode]) as base:
        port = int(base.rsplit(":", 1)[1])
        stop, opened = threading.Event(), []
        dribblers = [threading.Thread(target=_dribble, args=(port, stop, opened), daemon=True) for _ in range(10)]
        for thread in dribblers:
            thread.start()
        time.sleep(1.5)  # every slow client is connected and sending
        slowest = 0.0
        try:
            for i in range(30):
                path = "/api/stats" if i % 2 else "/api/search"
                started = time.monotonic()
                status, _ = _get(base, path, {"q": "法治"} if i % 2 == 0 else {}, timeout=5)
                slowest = max(slowest, time.monotonic() - started)
                assert status == 200
        finally:
            stop.set()
            for sock in opened:
                sock.close()
        assert slowest < 1.0, f"a normal request waited {slowest:.2f} s behind 10 slow clients ({mode})"


def _raw_get(base: str, target: str) -> tuple[int, str, bytes]:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("mode", MODES)
def test_every_documented_query_length_works_and_longer_gets_json(seed_index, mode):
    longest = urllib.parse.quote("法" * 500)
    with serving("--index", str(seed_index), *MODES[mode]) as base:
        status, _, body = _raw_get(base, f"/api/search?q={longest}&province={urllib.parse.quote('内蒙古')}")
        assert status == 200 and json.loads(body)["total"] >= 0
        status, _, body = _raw_get(base, f"/?q={longest}")
        assert status == 200
        for target in (f"/api/search?q={longest}{urllib.parse.quote('法')}",  # 501 characters
                       f"/api/search?q=a&province={'x' * 6000}&level={'y' * 2050}",  # over the 8,000-byte cap
                       f"/api/search?q={'%E6%B3%95' * 5000}",  # 45 KB: past gunicorn's request line
                       f"/api/search?q={'a' * 300_000}"):  # 300 KB: past waitress's header limit
            status, content_type, body = _raw_get(base, target)
            assert 400 <= status < 500 and content_type.startswith("application/json"), (mode, status, body[:200])
            assert json.loads(body)["error"]["message"], body[:200]


# ---------------------------------------------------------------- report pages
def _line_events(fn, *args) -> int:
    """Python lines run in the read path's own files while ``fn`` runs: a
    measure of work that does not depend on the machine's speed."""
    watched = tuple(str(PROJECT_ROOT / part) for part in ("webui", "search"))
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if not frame.f_code.co_filename.startswith(watched):
            return None
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        fn(*args)
    finally:
        sys.settrace(None)
    return count


def _long_report(paragraphs: int) -> str:
    return "\n".join(f"第{i}段：推进法治政府建设，强化法治保障。" for i in range(paragraphs))


def test_marking_a_report_is_linear_in_its_size(engine):
    from govsearch.webui.views import _paragraphs

    _, _, matcher = engine.prepare("法治")
    small, large = (_line_events(_paragraphs, {"text": _long_report(n), "sections": []}, matcher)
                    for n in (250, 1000))
    # Four times the text: linear work grows about 4×; a scan of every
    # occurrence for every paragraph (the old page) grew 16×.
    assert large / small < 5.0, (small, large)


def test_a_multi_megabyte_report_page_marks_every_occurrence(tmp_path):
    from govsearch.webui import create_app

    corpus = tmp_path / "c"
    corpus.mkdir()
    text = "某县2022年度法治政府建设情况报告\n" + _long_report(90_000)
    (corpus / "long.txt").write_text(text, encoding="utf-8")
    assert (corpus / "long.txt").stat().st_size > 4_000_000
    assert ingest([corpus], tmp_path / "ix").counts()["added"] == 1
    client = create_app(tmp_path / "ix", TESTING=True).test_client()
    (line,) = client.get("/api/concordance", query_string={"q": "法治", "per_page": "1"}).get_json()["lines"]
    total = client.get("/api/concordance", query_string={"q": "法治"}).get_json()["total"]
    page = client.get(f"/reports/{line['id']}", query_string={"q": "法治"}).get_data(as_text=True)
    assert total == 180_000  # twice per paragraph; the title is not in the text
    assert page.count('<mark id="m') == total and f'<mark id="m{total}">' in page
