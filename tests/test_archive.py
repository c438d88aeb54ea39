"""The archived copy (issue 18): a crawled report's page as captured, from
its WARC record - the crawl's and a WARC replay's - served inert, and its
capture date in the citation."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from govsearch.config import PROJECT_ROOT
from govsearch.index.crawl.warcstore import read_warc, warc_files
from govsearch.search.engine import Engine
from govsearch.webui import create_app
from tests import archive_site as site
from tests.conftest import seed_id


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    found = site.crawl(tmp_path_factory.mktemp("archive-crawl"))
    yield found
    found.server.stop()


@pytest.fixture(scope="module")
def client(crawled):
    return create_app(crawled.index, TESTING=True).test_client()


def record_for(index_dir, path: str) -> dict:
    (record,) = [r for r in Engine(index_dir).stored_reports() if r["url"].endswith(path)]
    return record


@pytest.mark.parametrize("path", [site.SCRIPTED, site.GZIPPED])
def test_the_archived_copy_is_the_page_as_the_server_sent_it(crawled, client, path):
    record = record_for(crawled.index, path)
    response = client.get(f"/reports/{record['id']}/archived")
    assert response.status_code == 200
    assert response.data == crawled.served(path)  # byte for byte (compression undone)
    assert response.headers["Content-Type"].startswith("text/html")
    policy = response.headers["Content-Security-Policy"]
    assert policy.startswith("sandbox;") and "allow-scripts" not in policy and "default-src 'none'" in policy
    assert response.headers["Link"] == f'<{crawled.server.url(path)}>; rel="original"'
    captured = record["archive"]["captured_at"]
    assert response.headers["X-Govsearch-Captured-At"] == captured and response.headers["Memento-Datetime"]


def test_the_api_names_the_warc_record_and_not_the_server_s_paths(crawled, client):
    record = record_for(crawled.index, site.SCRIPTED)
    answer = client.get(f"/api/reports/{record['id']}").get_json()
    archive = answer["archive"]
    (path,) = [p for p in warc_files([crawled.out / "warc"]) if p.name == archive["warc_file"]]
    assert "/" not in archive["warc_file"] and str(crawled.out) not in str(answer)
    records = {f.capture["record_id"]: f for f in read_warc(path)}
    assert records[archive["record_id"]].url == crawled.server.url(site.SCRIPTED)
    assert records[archive["record_id"]].capture["offset"] == archive["offset"]
    assert archive["captured_at"] == records[archive["record_id"]].fetched_at


def test_an_attachment_downloads_as_captured(crawled, client):
    record = record_for(crawled.index, site.PDF)
    response = client.get(f"/reports/{record['id']}/archived")
    assert response.status_code == 200 and response.data == crawled.served(site.PDF)
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename*=UTF-8''report.pdf"


def test_the_citation_of_a_crawled_report_is_dated_by_its_capture(crawled, client):
    record = record_for(crawled.index, site.SCRIPTED)
    text = client.get(f"/api/reports/{record['id']}/cite").get_json()["citation"]
    assert text.endswith(f"[{record['archive']['captured_at'][:10]}]. {crawled.server.url(site.SCRIPTED)}.")


def test_the_report_page_links_its_archived_copy(crawled, client):
    record = record_for(crawled.index, site.SCRIPTED)
    page = client.get(f"/reports/{record['id']}").get_data(as_text=True)
    assert f'href="/reports/{record["id"]}/archived"' in page and record["archive"]["captured_at"] in page


def test_a_warc_replay_names_its_own_records_and_a_lost_file_is_a_404(crawled, tmp_path):
    """``ingest --warc`` of a copy of the crawl's WARC: the replayed index
    names the copy's records (same ids, offsets and capture times), serves
    the same bytes, and once the copy is gone says so (404, never a 500)."""
    warc = tmp_path / "warc"
    shutil.copytree(crawled.out / "warc", warc)
    index = tmp_path / "replayed"
    result = subprocess.run([sys.executable, "-m", "govsearch", "ingest", "--warc", str(warc),
                             "--index", str(index), "-q"], capture_output=True, text=True, timeout=240,
                            cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    replayed = create_app(index, TESTING=True).test_client()
    for path in (site.SCRIPTED, site.PDF):
        crawl, replay = record_for(crawled.index, path), record_for(index, path)
        assert {k: v for k, v in replay["archive"].items() if k != "warc_file"} == \
               {k: v for k, v in crawl["archive"].items() if k != "warc_file"}
        assert replay["archive"]["warc_file"].startswith(str(warc.resolve()))
        assert replayed.get(f"/reports/{replay['id']}/archived").data == crawled.served(path)
    shutil.rmtree(warc)
    gone = replayed.get(f"/reports/{record_for(index, site.SCRIPTED)['id']}/archived")
    assert gone.status_code == 404 and "已不在原处" in gone.get_data(as_text=True)


def test_a_report_that_was_not_crawled_has_no_archived_copy(client, seed_index):
    seeds = create_app(seed_index, TESTING=True).test_client()
    response = seeds.get(f"/reports/{seed_id('000')}/archived")
    assert response.status_code == 404 and "不是抓取所得" in response.get_data(as_text=True)
    assert seeds.get(f"/api/reports/{seed_id('000')}").get_json()["archive"] is None
    assert client.get("/reports/" + "0" * 40 + "/archived").status_code == 404
