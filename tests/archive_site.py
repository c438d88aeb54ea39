"""A small site to crawl for the archived-copy tests: a report page that
carries a script and calls out to its own server (an image, a stylesheet,
a script file), a page that links its report as a PDF, and a gzipped page.
Crawled with the real command; the fixture server's log tells whether an
archived copy, once served, asks for anything."""

from __future__ import annotations

import gzip
import html
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from govsearch.config import PROJECT_ROOT
from tests.crawl_site import (
    FixtureServer,
    Resource,
    SiteMap,
    list_page,
    make_pdf,
    report_page,
    seed_files,
    seed_lines,
    sites_toml,
)

SCRIPTED, GZIPPED, ATTACH = "/col/art/scripted.html", "/col/art/gzipped.html", "/col/art/attach.html"
PDF = "/col/files/report.pdf"
# What the captured page asks for when scripts and outside requests are allowed.
CALLS = ("/beacon.png", "/style.css", "/tracker.js", "/fetched.json")
SCRIPT = ('<script>document.title = "SCRIPT-RAN"; document.body.setAttribute("data-ran", "yes");'
          'fetch("/fetched.json");</script>')


def _extra(base: str) -> str:
    return (f'<img src="{base}/beacon.png" alt=""><link rel="stylesheet" href="{base}/style.css">'
            f'<script src="{base}/tracker.js"></script>{SCRIPT}')


@dataclass
class ArchiveCrawl:
    server: FixtureServer
    out: Path
    index: Path

    def served(self, path: str) -> bytes:
        return self.server.served(path)

    def calls(self) -> list[str]:
        """The requests the site got for what only a running page would ask for."""
        return [p for p, _ in self.server.log if p in CALLS]


def build(server_url: str) -> SiteMap:
    seeds = seed_files()
    resources: dict[str, Resource] = {}
    first, second, third = (seed_lines(s) for s in seeds[:3])
    resources[SCRIPTED] = Resource(report_page(first[0], first[1:], extra=_extra(server_url)).encode("utf-8"))
    resources[GZIPPED] = Resource(gzip.compress(report_page(second[0], second[1:]).encode("utf-8")),
                                  headers={"Content-Encoding": "gzip"})
    link = f'<p>附件：<a href="{PDF}">{html.escape(third[0])}.pdf</a></p>'
    notice = report_page("关于公开2022年度法治政府建设情况报告的公告", [], extra=link)
    resources[ATTACH] = Resource(notice.encode("utf-8"))
    resources[PDF] = Resource(make_pdf(third[0], third[1:]), content_type="application/pdf")
    for path in CALLS:
        resources[path] = Resource(b"", content_type="text/plain")
    links = [(SCRIPTED, first[0]), (GZIPPED, second[0]), (ATTACH, "公告")]
    resources["/col/index.html"] = Resource(list_page("法治政府建设", links, []).encode("utf-8"))
    resources["/robots.txt"] = Resource(b"User-agent: *\nDisallow:\n", content_type="text/plain")
    return SiteMap(resources, {}, {}, [], "")


def crawl(work: Path) -> ArchiveCrawl:
    """Start the site, crawl it into ``work`` and return where it all is
    (the caller stops ``server``)."""
    server = FixtureServer(SiteMap({}, {}, {}, [], "")).start()
    server.site = build(server.url("").rstrip("/"))
    toml = work / "sites.toml"
    toml.write_text(sites_toml(server), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "govsearch", "crawl", str(toml), "--out", str(work / "out"),
                             "--index", str(work / "index"), "-q"], capture_output=True, text=True, timeout=240,
                            cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    server.clear()
    return ArchiveCrawl(server, work / "out", work / "index")
