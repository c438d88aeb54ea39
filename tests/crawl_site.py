"""A fixture government site on 127.0.0.1 for the crawler tests.

A report column with two list pages; report pages made from the shared
corpus of real government pages and from the seed reports; a GBK page; a
page whose report is a PDF and a DOCX attachment (plus .doc and .wps links
that must be skipped); a path robots.txt disallows; and the faults a real
site has: a page slower than the timeout, a 500, a redirect loop and an
oversized page.  Every request is logged, so tests can count fetches.
ETag / If-None-Match is honoured like a real web server.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import html
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from govsearch.config import PROJECT_ROOT, SEEDS_DIR

CORPUS = PROJECT_ROOT.parent / "shared" / "corpus" / "html"
SLOW_SECONDS = 8.0  # the test SITES.toml sets a 3 s timeout: a page is slow only when it means to be,
# not when other work shares the cores (a 1 s timeout re-fetched a page on a loaded machine)
BIG_BYTES = 3 * 1024 * 1024  # the test SITES.toml caps pages at 1 MB
LAST_MODIFIED = "Wed, 01 Mar 2023 08:00:00 GMT"


@dataclass
class Resource:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    location: str = ""
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


def corpus_rows() -> list[dict[str, str]]:
    with (CORPUS / "SOURCES.tsv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def seed_files() -> list[Path]:
    return sorted(SEEDS_DIR.glob("0*.txt"))


def seed_lines(path: Path) -> list[str]:
    """A seed report as a publisher would print it: title, then the body
    paragraphs (the seed's cleaned text, so the expectations are exact)."""
    from govsearch.index.clean import clean_file

    report = clean_file(path)
    return [report.title, *(line for line in report.text.split("\n") if line.strip())]


def report_page(title: str, paragraphs: list[str], *, charset: str = "utf-8", extra: str = "") -> str:
    """A page shaped like a county government's article page: banner,
    breadcrumb, metadata table, body, toolbar and footer."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html><head><meta charset="{charset}">
<title>{html.escape(title)}_某县人民政府</title></head><body><div class="header">某县人民政府 门户网站</div>
<div class="nav"><a href="/">首页</a> <a href="/col/index.html">政务公开</a> <a href="/about.html">走进某县</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/col/index.html">法治政府建设</a></div>
<div class="article"><h1>{html.escape(title)}</h1>
<table class="meta"><tr><td>索引号：11150000-2023-00012</td><td>发布机构：某县人民政府</td></tr>
<tr><td>发布日期：2023-03-01</td><td>文号：</td></tr></table>
<div class="content">{body}{extra}</div>
<div class="tools">【字体：大 中 小】 打印本页 关闭窗口</div></div>
<div class="footer">版权所有：某县人民政府 ICP备12345678号</div></body></html>"""


def list_page(title: str, links: list[tuple[str, str]], pager: list[tuple[str, str]]) -> str:
    items = "\n".join(f'<li><a href="{href}">{html.escape(text)}</a><span>2023-03-01</span></li>'
                      for href, text in links)
    pages = " ".join(f'<a href="{href}">{html.escape(text)}</a>' for href, text in pager)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/about.html">走进某县</a>
<a href="http://elsewhere.invalid/col/art/x.html">友情链接</a></div>
<ul class="list">{items}</ul><div class="pager">{pages}</div></body></html>"""


@dataclass
class SiteMap:
    """What the fixture serves, and what the tests expect from it."""

    resources: dict[str, Resource]
    reports: dict[str, dict]  # path → {"first": …, "last": …} expected body lines
    faults: dict[str, str]  # path → fault kind expected in the event log
    skipped: list[str]  # paths of attachments that must be skipped, not fetched
    disallowed: str  # the path robots.txt forbids


def build_site() -> SiteMap:
    resources: dict[str, Resource] = {}
    reports: dict[str, dict] = {}
    links: list[tuple[str, str]] = []

    for i, row in enumerate(corpus_rows()):
        path = f"/col/art/corpus-{i:02d}.html"
        resources[path] = Resource((CORPUS / row["file"]).read_bytes(), content_type="text/html")
        reports[path] = {"first": row["expected_first30"], "last": row["expected_last30"]}
        links.append((path, row["what"][:30]))
    seeds = seed_files()
    for i, seed in enumerate(seeds[:3]):
        lines = seed_lines(seed)
        path = f"/col/art/seed-{i}.html"
        page = report_page(lines[0], lines[1:]).encode("utf-8")
        # One page comes gzip-compressed, as most servers send them.
        resources[path] = (Resource(gzip.compress(page), headers={"Content-Encoding": "gzip"}) if i == 2
                           else Resource(page))
        reports[path] = {"first": lines[1], "last": lines[-1]}
        links.append((path, lines[0]))
    gbk_lines = seed_lines(seeds[3])
    resources["/col/art/gbk.html"] = Resource(
        report_page(gbk_lines[0], gbk_lines[1:], charset="gbk").encode("gbk", errors="xmlcharrefreplace"),
        content_type="text/html")  # the charset is only in <meta>, as on many old sites
    reports["/col/art/gbk.html"] = {"first": gbk_lines[1], "last": gbk_lines[-1]}
    links.append(("/col/art/gbk.html", gbk_lines[0]))

    pdf_lines = seed_lines(seeds[4])
    pdf, docx = make_pdf(pdf_lines[0], pdf_lines[1:]), make_docx(pdf_lines[0], pdf_lines[1:])
    attach_extra = ('<p>附件：</p><p><a href="/col/files/report-2022.pdf">' + html.escape(pdf_lines[0]) + '.pdf</a></p>'
                    '<p><a href="/col/files/report-2022.docx">' + html.escape(pdf_lines[0]) + '（文字版）.docx</a></p>'
                    '<p><a href="/col/files/old-scan.doc">旧版报告.doc</a></p>'
                    '<p><a href="/col/files/wps-copy.wps">报告WPS版.wps</a></p>')
    resources["/col/art/attach.html"] = Resource(report_page("关于公开2022年度法治政府建设情况报告的公告",
                                                             [], extra=attach_extra).encode("utf-8"))
    links.append(("/col/art/attach.html", "关于公开2022年度法治政府建设情况报告的公告"))
    resources["/col/files/report-2022.pdf"] = Resource(pdf, content_type="application/pdf")
    resources["/col/files/report-2022.docx"] = Resource(docx, content_type="application/octet-stream")
    resources["/col/files/old-scan.doc"] = Resource(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
                                                    content_type="application/msword")
    resources["/col/files/wps-copy.wps"] = Resource(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
                                                    content_type="application/octet-stream")
    reports["/col/files/report-2022.pdf"] = {"first": pdf_lines[1], "last": pdf_lines[-1]}
    reports["/col/files/report-2022.docx"] = {"first": pdf_lines[1], "last": pdf_lines[-1]}

    resources["/private/secret.html"] = Resource(report_page("内部文件", ["不应被抓取。"]).encode("utf-8"))
    resources["/col/art/slow.html"] = Resource(report_page("慢", ["慢页面。"]).encode("utf-8"), delay=SLOW_SECONDS)
    resources["/col/art/error.html"] = Resource(b"<h1>Internal Server Error</h1>", status=500)
    resources["/col/art/loop.html"] = Resource(status=302, location="/col/art/loop-b.html")
    resources["/col/art/loop-b.html"] = Resource(status=302, location="/col/art/loop.html")
    resources["/col/art/big.html"] = Resource(b"<html><body>" + "大".encode() * (BIG_BYTES // 3) + b"</body></html>")
    faults = {"/col/art/slow.html": "timeout", "/col/art/error.html": "http", "/col/art/loop.html": "redirect",
              "/col/art/big.html": "oversized"}
    links += [("/private/secret.html", "内部文件"), ("/col/art/slow.html", "慢页面"),
              ("/col/art/error.html", "出错页面"), ("/col/art/loop.html", "循环跳转"),
              ("/col/art/big.html", "超大页面")]

    half = len(links) // 2
    resources["/col/index.html"] = Resource(list_page(
        "法治政府建设", links[:half], [("index_1.html", "下一页"), ("index_1.html", "尾页")]).encode("utf-8"))
    resources["/col/index_1.html"] = Resource(list_page(
        "法治政府建设", links[half:], [("index.html", "首页"), ("index.html", "上一页")]).encode("utf-8"))
    resources["/about.html"] = Resource(report_page("走进某县", ["某县位于……"]).encode("utf-8"))
    resources["/robots.txt"] = Resource(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    return SiteMap(resources, reports, faults, ["/col/files/old-scan.doc", "/col/files/wps-copy.wps"],
                   "/private/secret.html")


class FixtureServer:
    """Serves a SiteMap on 127.0.0.1 in a thread; ``log`` lists every request path."""

    def __init__(self, site: SiteMap):
        self.site = site
        self.log: list[tuple[str, int]] = []  # (path, status)
        self.agents: set[str] = set()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet; the list is the log
                pass

            def do_GET(self):
                path = self.path.split("?", 1)[0]
                resource = server.site.resources.get(path)
                if resource is None:
                    resource = Resource(b"<h1>404</h1>", status=404)
                if resource.delay:
                    time.sleep(resource.delay)
                etag = '"' + hashlib.sha1(resource.body).hexdigest()[:16] + '"'
                status = resource.status
                if status == 200 and self.headers.get("If-None-Match") == etag:
                    status = 304
                with server._lock:
                    server.log.append((path, status))
                    server.agents.add(self.headers.get("User-Agent", ""))
                try:
                    self.send_response(status)
                    if resource.location:
                        self.send_header("Location", resource.location)
                    for name, value in resource.headers.items():
                        self.send_header(name, value)
                    body = b"" if status == 304 else resource.body
                    self.send_header("Content-Type", resource.content_type)
                    self.send_header("Content-Length", str(len(body)))
                    if resource.status == 200:
                        self.send_header("ETag", etag)
                        self.send_header("Last-Modified", LAST_MODIFIED)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout or the size cap): that is the point

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that hung up mid-response is expected here

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def served(self, path: str) -> bytes:
        """The page as a browser sees it (compression undone)."""
        resource = self.site.resources[path]
        if resource.headers.get("Content-Encoding") == "gzip":
            return gzip.decompress(resource.body)
        return resource.body

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> FixtureServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def fetches(self, path: str) -> int:
        with self._lock:
            return sum(1 for p, _ in self.log if p == path)

    def clear(self) -> None:
        with self._lock:
            self.log.clear()


def make_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A report PDF as an office suite prints one: a centred title in a
    larger font, first-line-indented paragraphs, several pages (Chromium)."""
    from playwright.sync_api import sync_playwright

    body = "".join(f"<p style='text-indent:2em;margin:0'>{html.escape(p)}</p>" for p in paragraphs)
    page_html = (f"<html><body style='font-family:WenQuanYi Micro Hei;font-size:16pt'>"
                 f"<h1 style='text-align:center;font-size:22pt'>{html.escape(title)}</h1>{body}</body></html>")
    def render() -> bytes:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            try:
                page = browser.new_page()
                page.set_content(page_html)
                return page.pdf(format="A4", margin={"top": "2cm", "bottom": "2cm", "left": "2.5cm",
                                                     "right": "2.5cm"})
            finally:
                browser.close()

    # Its own thread: the browser tests' session keeps a Playwright loop in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(render).result()


def make_docx(title: str, paragraphs: list[str]) -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def sites_toml(server: FixtureServer, *, timeout: float = 3.0, delay: float = 0.0) -> str:
    return f"""
[crawler]
contact = "mailto:tests@govsearch.invalid"
timeout = {timeout}
max_size_mb = 1
retries = 1
delay = {delay}

[[site]]
name = "某县人民政府 法治政府建设"
start_urls = ["{server.url('/col/index.html')}"]
allowed_domains = ["127.0.0.1"]
report_links = ['/col/art/[\\w-]+\\.html$', '/private/', '/col/files/']
list_links = ['/col/index(_\\d+)?\\.html$']
"""
