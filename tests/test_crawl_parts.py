"""The crawler's parts one by one: SITES.toml checks, the command's errors,
attachment formats and text, and the WARC store."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from govsearch.config import PROJECT_ROOT
from govsearch.index.crawl.attachments import (
    AttachmentError,
    attachment_lines,
    docx_lines,
    link_format,
    pdf_lines,
    reflow,
    sniff_format,
)
from govsearch.index.crawl.settings import scrapy_settings, user_agent
from govsearch.index.crawl.sites import SitesError, load_sites
from govsearch.index.crawl.warcstore import WarcStore, read_warc, warc_files
from tests.conftest import free_port
from tests.crawl_site import make_docx, make_pdf, seed_files, seed_lines

GOOD = """
[crawler]
contact = "mailto:a@b.invalid"
[[site]]
name = "某县"
start_urls = ["https://www.example.gov.cn/col/index.html"]
report_links = ['/art/\\d{4}/']
list_links = ['index_\\d+\\.html']
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_sites_file_is_valid_and_covers_levels():
    sites = load_sites(PROJECT_ROOT / "seeds" / "sites.toml")
    assert len(sites.sites) >= 6
    for site in sites.sites:
        assert site.report_links and all(site.allows(u) for u in site.start_urls)


def test_site_rules_classify_links(tmp_path):
    site = load_sites(write(tmp_path, GOOD)).sites[0]
    assert site.allowed_domains == ("www.example.gov.cn",)  # from the start URL when not given
    assert site.role_of("https://www.example.gov.cn/art/2023/3/1/art_1_2.html") == "report"
    assert site.role_of("https://www.example.gov.cn/col/index_3.html") == "list"
    assert site.role_of("https://www.example.gov.cn/about.html") is None
    assert site.role_of("https://elsewhere.gov.cn/art/2023/1.html") is None


@pytest.mark.parametrize("change, message", [
    (("report_links = ['/art/\\d{4}/']", "report_links = ['/art/(']"), "not a valid regular expression"),
    (('start_urls = ["https://www.example.gov.cn/col/index.html"]', "start_urls = []"), "start_urls is required"),
    (('start_urls = ["https://www.example.gov.cn/col/index.html"]', 'start_urls = ["ftp://x/"]'), "not an http"),
    (('name = "某县"', 'name = "某县"\nallowed_domains = ["other.gov.cn"]'), "outside allowed_domains"),
    (('name = "某县"', 'name = "某县"\nfrequency = 3'), "unknown key(s) frequency"),
    (('contact = "mailto:a@b.invalid"', 'contact = "x"\ntimeout = -1'), "timeout must be a number"),
    (('contact = "mailto:a@b.invalid"', 'contact = "x"\nconcurrency_per_host = 8'), "concurrency_per_host"),
    (("[[site]]", "[[site]\n"), "not valid TOML"),
])
def test_bad_sites_files_name_the_problem(tmp_path, change, message):
    text = GOOD.replace(*change)
    assert text != GOOD
    with pytest.raises(SitesError, match=re.escape(message)):
        load_sites(write(tmp_path, text))


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "govsearch", *args], capture_output=True, text=True,
                          timeout=120, cwd=PROJECT_ROOT, env={"PATH": "/usr/bin:/bin"})


def test_crawl_command_refuses_bad_input_clearly(tmp_path):
    missing = run_cli("crawl", str(tmp_path / "nope.toml"))
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
    anonymous = run_cli("crawl", str(write(tmp_path, GOOD.replace('contact = "mailto:a@b.invalid"', ""))))
    assert anonymous.returncode == 2 and "--contact" in anonymous.stderr
    bad_redis = run_cli("crawl", str(write(tmp_path, GOOD)), "--redis", "localhost:6379")
    assert bad_redis.returncode == 2 and "redis://" in bad_redis.stderr
    port = free_port()  # nothing listens there
    no_redis = run_cli("crawl", str(write(tmp_path, GOOD)), "--out", str(tmp_path / "o"), "--no-index",
                       "--redis", f"redis://127.0.0.1:{port}/0")
    assert no_redis.returncode == 1 and "Redis" in no_redis.stderr and "Traceback" not in no_redis.stderr
    zero = run_cli("crawl", str(write(tmp_path, GOOD)), "--max-pages", "0")
    assert zero.returncode == 2 and "--max-pages" in zero.stderr
    no_warc = run_cli("ingest", "--warc", str(tmp_path / "none"), "--index", str(tmp_path / "ix"))
    assert no_warc.returncode == 1 and "no such file" in no_warc.stderr


def test_settings_are_polite(tmp_path):
    sites = load_sites(write(tmp_path, GOOD))
    s = scrapy_settings(sites, contact="mailto:a@b.invalid", out=tmp_path)
    assert s["ROBOTSTXT_OBEY"] and s["AUTOTHROTTLE_ENABLED"]
    assert s["CONCURRENT_REQUESTS_PER_DOMAIN"] <= 2 and s["CONCURRENT_REQUESTS"] <= 2
    assert s["DOWNLOAD_TIMEOUT"] == 30 and s["DOWNLOAD_MAXSIZE"] == 32 * 1024 * 1024 and s["RETRY_TIMES"] == 2
    assert s["JOBDIR"] == str(tmp_path / "job") and "SCHEDULER" not in s
    assert "mailto:a@b.invalid" in s["USER_AGENT"] == user_agent("mailto:a@b.invalid")
    shared = scrapy_settings(sites, contact="x", out=tmp_path, redis_url="redis://h:6379/0", job="j1")
    assert shared["SCHEDULER"].startswith("scrapy_redis") and "JOBDIR" not in shared
    assert shared["SCHEDULER_QUEUE_KEY"] == "govsearch:j1:requests"


@pytest.mark.parametrize("url, text, fmt", [
    ("http://a.gov.cn/files/P0123.pdf", "", "pdf"),
    ("http://a.gov.cn/module/download/downfile.jsp?filename=2212.docx&id=9", "", "docx"),
    ("http://a.gov.cn/attach/0/abc", "2022年度报告.DOC", "doc"),
    ("http://a.gov.cn/x/y.wps", "", "wps"),
    ("http://a.gov.cn/art/2023/3/1/art_1.html", "报告", None),
])
def test_link_format(url, text, fmt):
    assert link_format(url, text) == fmt


@pytest.fixture(scope="module")
def seed_report():
    lines = seed_lines(seed_files()[1])
    return lines[0], lines[1:]


@pytest.fixture(scope="module")
def seed_pdf(seed_report):
    """The report as a PDF whose 36-character centred title wraps onto two lines."""
    return make_pdf(*seed_report)


def test_pdf_text_comes_back_as_the_paragraphs(seed_report, seed_pdf):
    title, paragraphs = seed_report
    pdf = seed_pdf
    assert sniff_format(pdf, "application/octet-stream") == "pdf"
    got = [re.sub(r"\s", "", p) for p in pdf_lines(pdf)]
    want = [re.sub(r"\s", "", p) for p in paragraphs]
    # The centred title may come back split; the body paragraphs exactly.
    assert got[-len(want):] == want
    assert re.sub(r"\s", "", title) == "".join(got[: len(got) - len(want)])


def test_a_wrapped_pdf_title_is_one_title(seed_report, seed_pdf):
    """An attachment linked without a usable link text takes its title from
    its first lines: both halves of the wrapped title, and the body starts
    after them."""
    from govsearch.index.crawl.documents import ATTACHMENT, Fetched, clean_fetched

    title, paragraphs = seed_report
    assert len(seed_lines_of(seed_pdf)[0]) < len(title)  # the title did wrap
    report = clean_fetched(Fetched(url="http://127.0.0.1/files/a1.pdf", status=200,
                                   headers={"content-type": "application/pdf"}, body=seed_pdf, role=ATTACHMENT,
                                   link={"text": "附件1"}))
    assert report.title == title
    assert re.sub(r"\s", "", report.text).startswith(re.sub(r"\s", "", paragraphs[0]))
    assert report.report_year == 2021 and report.doc_type == "annual_report"


def seed_lines_of(pdf: bytes) -> list[str]:
    return [re.sub(r"\s", "", p) for p in pdf_lines(pdf)]


def test_docx_text_and_tables(seed_report):
    import io

    import docx

    title, paragraphs = seed_report
    document = docx.Document(io.BytesIO(make_docx(title, paragraphs)))
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "行政复议案件", "41件"
    buffer = io.BytesIO()
    document.save(buffer)
    body = buffer.getvalue()
    assert sniff_format(body) == "docx"
    lines = docx_lines(body)
    assert lines[0] == title and lines[1 : len(paragraphs) + 1] == paragraphs
    assert lines[-1] == "行政复议案件 | 41件"


def test_broken_and_legacy_attachments_are_explained():
    with pytest.raises(AttachmentError, match="unreadable PDF"):
        pdf_lines(b"%PDF-1.4\n garbage")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64
    assert sniff_format(ole, url="http://a/b.wps") == "wps"
    with pytest.raises(ValueError, match="legacy Word"):
        attachment_lines(ole, sniff_format(ole))


def test_reflow_without_indentation_uses_margins_and_sentence_ends():
    full = "一二三四五六七八九十" * 2
    lines = [full, full[:-2] + "。", "短的一行", "下一段" + full[3:], "七八九十。"]
    assert reflow(lines) == [full + full[:-2] + "。", "短的一行", "下一段" + full[3:] + "七八九十。"]


def test_warc_store_round_trip_and_truncation(tmp_path):
    store = WarcStore(tmp_path / "warc")
    body = "<p>报告正文</p>".encode()
    store.write_response("http://a.gov.cn/1.html", 200, "OK", [(b"Content-Type", b"text/html"),
                                                              (b"Transfer-Encoding", b"chunked")],
                         body, role="report")
    store.write_response("http://a.gov.cn/f.pdf", 200, "OK", [], b"%PDF" + os.urandom(4096), role="attachment",
                         link={"page": "http://a.gov.cn/1.html", "heading": "标题"})
    store.close()
    (path,) = warc_files([tmp_path / "warc"])
    first, second = read_warc(path)
    assert (first.url, first.status, first.body, first.role) == ("http://a.gov.cn/1.html", 200, body, "report")
    assert "transfer-encoding" not in first.headers and first.fetched_at.endswith("Z")
    assert second.link == {"page": "http://a.gov.cn/1.html", "heading": "标题"}
    # A crawler killed mid-write leaves a torn last record: the rest is still read.
    data = path.read_bytes()
    torn = tmp_path / "torn.warc.gz"
    torn.write_bytes(data[: len(data) - 1000])  # inside the second record's payload
    problems: list[str] = []
    assert [r.url for r in read_warc(torn, problems)] == ["http://a.gov.cn/1.html"]
    assert problems and "torn.warc.gz" in problems[0]


def test_recovery_skips_files_a_live_crawler_is_writing(tmp_path):
    """A WARC file is replayed after its writer died, never while it lives;
    files marked committed are never replayed."""
    from govsearch.index.crawl.state import CrawlState
    from govsearch.index.crawl.warcstore import being_written

    store = WarcStore(tmp_path)
    store.write_response("http://127.0.0.1/a.html", 200, "OK", [], b"<p>a</p>", role="report")
    store.close()
    own = store.paths[0]
    assert not being_written(own)  # this process is the writer
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = own.with_name(own.name.replace(f"-{os.getpid()}-", f"-{child.pid}-"))
        assert being_written(live)
    finally:
        child.kill()
        child.wait()
    assert not being_written(live)  # its writer is gone
    assert not being_written(tmp_path / "crawl-from-elsewhere.warc.gz")
    state = CrawlState(tmp_path / "state.sqlite")
    assert state.not_indexed([own, live]) == [own, live]
    state.mark_indexed([own])
    assert state.not_indexed([own, live]) == [live]
    state.close()


@pytest.mark.parametrize("link_text, lines, title", [
    # a label links the file: the document's own title
    ("附件1", ["附件1", "某县2022年度法治政府建设情况报告", "一、主要举措"], "某县2022年度法治政府建设情况报告"),
    # the link names the document; the document opens without a title
    ("附件2：某县2022年度法治政府建设情况报告.pdf", ["2022年，我县深入推进法治政府建设。"],
     "某县2022年度法治政府建设情况报告"),
    # the link decorates the document's own (wrapped) title
    ("某区法治政府建设先进典型系列宣传：为高质量发展提供法治支撑（文字版）.docx",
     ["某区法治政府建设先进典型系列宣传：为高质量", "发展提供法治支撑", "2023年，某区……"],
     "某区法治政府建设先进典型系列宣传：为高质量发展提供法治支撑"),
    # neither: the linking page's heading
    ("点击下载", ["一、主要举措和成效", "内容。"], "某县人民政府关于法治政府建设情况的报告"),
])
def test_attachment_title_evidence(link_text, lines, title):
    from govsearch.index.crawl.documents import _attachment_heading

    link = {"text": link_text, "heading": "某县人民政府关于法治政府建设情况的报告"}
    assert _attachment_heading(link, lines) == title
