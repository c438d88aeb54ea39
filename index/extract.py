"""HTML to body lines and a heading, with BeautifulSoup and lxml.

This first extractor keeps block structure (one line per paragraph, heading,
list item or table row) and drops elements that are never body text.  The
line-level boilerplate filter in :mod:`index.boilerplate` runs afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment

_NEVER_BODY = ("script", "style", "noscript", "iframe", "form", "nav", "header", "footer",
               "select", "button", "svg", "template", "object", "embed")
_BLOCKS = ("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
           "table", "section", "article", "blockquote", "pre", "dd", "dt", "dl", "hr",
           "center", "main", "aside", "figure", "figcaption", "address")
# Cells of one table row stay on one line, pipe-separated, so that a metadata
# table row (索引号： | 000014349/2018-00226 | 主题分类： | …) reads as label/value pairs.
_CELLS = ("td", "th")


@dataclass
class Extracted:
    lines: list[str]
    heading: str  # the page's main heading (h1, else <title>)
    page_title: str  # the raw <title>, site suffix and all


def parse_html(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def extract(html: str) -> Extracted:
    """Body lines of an HTML page, in document order."""
    soup = parse_html(html)
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(_NEVER_BODY):
        tag.decompose()
    h1 = soup.find("h1")
    heading = h1.get_text(" ", strip=True) if h1 else ""
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    for tag in soup.find_all(_CELLS):
        tag.insert_after(" | ")
    root = soup.body or soup
    text = root.get_text()
    lines = [line.strip() for line in text.split("\n")]
    return Extracted([line for line in lines if line], heading, page_title)
