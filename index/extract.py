"""HTML to body lines, a heading and metadata lines: main-text extraction.

Government pages wrap a short body in a lot of chrome: mega-menus, breadcrumbs,
toolbars, related-article lists, footers.  Extraction runs as named stages,
each testable alone (the trafilatura way):

1. :func:`parse_html` - BeautifulSoup with lxml; never raises.
2. :func:`segment` - walk the tree once and cut it into *lines*: one per
   paragraph, heading, list item or table row.  Inline tags (``<span>``,
   ``<font>``, ``<a>`` …) join, so ``<span>2015</span>年`` stays ``2015年``;
   the cells of a simple table row join with `` | ``.  Each line carries its
   text length, the part of it inside links, its punctuation, and whether it
   sits in a navigation/footer-like or hidden element.  Each block element
   remembers the range of lines it holds.
3. :func:`line_weight` - a score per line in the spirit of GNE and
   trafilatura: long, punctuated, link-free text is body (positive); link text,
   short unpunctuated labels and known boilerplate are chrome (negative).
   :func:`mark_copies` then finds a second copy of the body - a print,
   长者/无障碍 or read-aloud copy, hidden or elsewhere on the page, maybe
   glued into one line - by its repeated long paragraphs, and gives it no
   weight, so the chooser picks the body's own copy and tidy drops the other.
4. :func:`choose_content` - the block element whose lines have the largest
   total weight (a maximum-sum subtree).  Chrome around the body lowers the sum
   of any node that takes it in, so the winner is the tightest node holding
   the body.  A container named in ``data/cms_containers.txt`` gets a modest
   bonus, never more.
5. :func:`tidy` - inside the chosen node, drop link-dense lists, teaser lists
   (linked titles with a summary and a date each), hidden and chrome-classed
   sub-blocks, copies and boilerplate lines; drop the heading when it
   opens the node; above the first and below the last substantial line, move
   metadata out and drop chrome (a signature or a date line stays).
6. :func:`collect_metadata` - labelled lines (索引号, 发布机构, 发布日期 …)
   near the body but not in it become ``metadata_lines``: table rows keep
   their cells joined with `` | ``, a label printed alone takes the next line
   as its value, and a bare date between the heading and the body is labelled
   ``发布时间``.  Lines of link lists (a related-articles list with a date
   under each item) are not the page's metadata.
7. :func:`choose_heading` - the best h1/h2/title-like element near the body
   (not a site logo), else ``<title>`` without its site-name part.

The line-level boilerplate filter in :mod:`index.boilerplate` runs again in
the cleaning pipeline; the extractor uses the same vocabulary.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from itertools import accumulate
from typing import NamedTuple

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag

from index.boilerplate import is_boilerplate_line, vocabulary
from index.labels import LABEL_PATTERN

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- vocabulary
# Elements that never hold body text.  Their subtrees are skipped whole.
_SKIP = frozenset((
    "script", "style", "noscript", "iframe", "frame", "frameset", "select", "option", "optgroup",
    "button", "input", "textarea", "svg", "math", "template", "object", "embed", "canvas", "map",
    "audio", "video", "source", "track", "head", "title", "meta", "link", "base", "nav", "footer",
    "img", "picture", "area", "param", "datalist", "dialog",
))
# Elements that start and end a line.  Everything else is inline and joins
# with its neighbours (span, font, a, strong, b, i, u, sub, o:p, st1:* …).
_BLOCKS = frozenset((
    "html", "body", "p", "div", "li", "ul", "ol", "dl", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "section", "article", "main",
    "aside", "header", "blockquote", "pre", "center", "figure", "figcaption", "address", "form",
    "fieldset", "legend", "details", "summary", "menu", "dir", "hr", "br",
))
# Tags whose presence inside a table row means the row is layout, not data.
_CELL_BLOCKS = frozenset((
    "p", "div", "table", "ul", "ol", "li", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "blockquote", "pre", "form",
))
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}

# Class/id tokens of chrome: navigation, footers, sidebars, share and related
# boxes.  Long words match anywhere in a class name; short ones only as a
# whole token (``nav``, ``nav-bar``, ``foot_wrap`` but not ``canvas``).
_CHROME_WORDS = re.compile(
    r"footer|copyright|breadcrumb|crumb|sidebar|navbar|navigation|share|comment|related|relate|"
    r"friendlink|toolbar|recommend|qrcode|erweima|pagination|advert|dqwz|daohang|xgwz|xgxw|xglj|yqlj",
    re.IGNORECASE,
)
_CHROME_TOKENS = frozenset((
    "nav", "navs", "subnav", "menu", "menus", "foot", "bottom", "position", "location", "loc", "side",
    "aside", "tool", "tools", "link", "links", "ad", "ads", "banner", "header", "head", "top",
    "topbar", "logo", "search", "login", "hot", "rank", "pager", "page-nav", "ewm", "dh", "weizhi",
    "bdsharebuttonbox", "fenxiang", "fx", "lmdh", "wzdh",
))
_TOKEN_SPLIT = re.compile(r"[-_\s]+")
_TITLE_CLASS = re.compile(r"title|^tit$|^tit[-_]|[-_]tit$|^bt$|biaoti|headline|^h-title", re.IGNORECASE)
_SUBTITLE_CLASS = re.compile(r"sub-?title|fu-?title|share-title", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

_STRONG_PUNCT = "，。；！？、"
_WEAK_PUNCT = "“”‘’《》（）…"
_DEL_STRONG = str.maketrans("", "", _STRONG_PUNCT)
_DEL_WEAK = str.maketrans("", "", _WEAK_PUNCT)

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK = _HAN + "，。、；：！？（）《》〈〉「」『』【】“”‘’…—～·"
# Source-formatting whitespace (it holds a line break) between two CJK
# characters is not a space the author typed: hard-wrapped HTML source.
_FORMATTING_SPACE = re.compile(rf"(?<=[{_CJK}])[ \t\r\n\f\v\xa0]*[\r\n][ \t\r\n\f\v\xa0]*(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_PIPES = re.compile(r"\s*(?:\|\s*)+")

# Labels of the metadata blocks government CMSs print above or below a body.
# A line that starts with one of them (and a colon) is a metadata line.
_LABEL_ALT = LABEL_PATTERN
_DATE = r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
_DATE_ONLY = re.compile(rf"^[\s【\[]*{_DATE}[\s】\]]*$")
# 2020-07-04 12:10:24 来源：求是网 - a publication time, then labelled fields.
_DATE_LEAD = re.compile(rf"^\s*({_DATE})\s*(?=(?:{_LABEL_ALT})\s*[:：])")
_META_START = re.compile(rf"^[\s|｜•·【\[]*(?:{_LABEL_ALT})\s*[:：]|^\s*[\[【［]\s*(?:{_LABEL_ALT})\s*[\]】］]")
# [发文机构] 北京市人民政府办公厅 - a bracketed label and no colon.
_BRACKET_LABEL = re.compile(rf"[\[【［]\s*({_LABEL_ALT})\s*[\]】］]\s*")
_META_ROW = re.compile(rf"(?:^|\|)\s*(?:{_LABEL_ALT})\s*[:：]?\s*(?:\||$)")
_META_LABEL = re.compile(rf"({_LABEL_ALT})\s*(?=[:：])")
_BARE_LABEL_CELL = re.compile(rf"(^|\|)(\s*(?:{_LABEL_ALT})\s*)(?=\||$)")
MAX_METADATA_LINE = 200

# Separators between an article title and the site name in <title>.
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]+|\s[-–—]{1,2}\s|[-–—]{1,2}(?=[^-–—]{2,24}$))\s*")
_SITE_NAME = re.compile(
    r"(网|网站|门户|门户网站|官网|官方网站|政府|人民政府|频道|平台|在线|之窗|政务网|信息网|首页|\.(?:com|cn|net|org))$"
    r"|^www\.",
    re.IGNORECASE,
)

# A <title> that is only this is the site's name.
_PORTAL_NAME = re.compile(r"(网|网站|门户|门户网站|官网|官方网站|人民政府|政府网)$")

# Line weights (see line_weight).
LINE_COST = 3.0  # every line costs this much: chrome is many short lines
ROW_COST = 1.0  # … a data-table row less: a table of names or figures in a body is body
LINK_COST = 1.5  # per character of link text
CHROME_FACTOR = 0.25  # positive weight kept by a line inside a chrome-classed element
CONTAINER_BONUS = 1.15  # a node named in cms_containers.txt
HEADING_BEFORE = 40  # lines above the body searched for its heading
HEADING_SEARCH = 6  # lines at the top of the body searched for the heading line


@dataclass
class Extracted:
    lines: list[str]
    heading: str  # the page's main heading (an h1/h2/title element near the body, else <title>)
    page_title: str  # the raw <title>, site suffix and all
    metadata_lines: list[str] = field(default_factory=list)  # 索引号 …, label/value lines near the body


@dataclass
class Line:
    """One line of the page with what the scoring needs to know about it."""

    text: str
    chars: int  # non-space characters
    link_chars: int  # … of which inside <a>
    chrome: bool  # mostly inside a chrome-classed or hidden element
    heading: int = 0  # 1-6 when inside <h1>…<h6>
    title_like: bool = False  # inside an element whose class/id says title
    row: bool = False  # the joined cells of one data-table row
    hidden: bool = False  # mostly inside a display:none / hidden element
    lead_link: bool = False  # its first text is inside <a> (a teaser item: linked title, then summary)
    copy: bool = False  # part of a second copy of the body (see mark_copies)
    weight: float = 0.0
    raw_weight: float = 0.0  # weight before the chrome penalty
    boilerplate: bool = False  # a toolbar, breadcrumb or footer line (index.boilerplate)

    @property
    def link_density(self) -> float:
        return self.link_chars / self.chars if self.chars else 0.0

    @property
    def strong_punct(self) -> int:
        return len(self.text) - len(self.text.translate(_DEL_STRONG))


@dataclass
class Block:
    """A block element and the range of lines it holds."""

    tag: Tag
    start: int
    end: int
    chrome: bool  # its own class/id names chrome
    hidden: bool
    known: bool  # its own class/id is in cms_containers.txt


@dataclass
class Page:
    lines: list[Line]
    blocks: list[Block]
    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- data
@functools.lru_cache(maxsize=1)
def known_containers() -> frozenset[str]:
    """Class/id names of CMS content containers, lower-cased."""
    data = resources.files("index") / "data" / "cms_containers.txt"
    names = set()
    for raw in data.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            names.add(line.lower())
    return frozenset(names)


# ---------------------------------------------------------------- 1. parse
def parse_html(html: str) -> BeautifulSoup:
    try:
        return BeautifulSoup(html or "", "lxml")
    except Exception:  # lxml rejects a few control-character soups
        return BeautifulSoup("", "lxml")


def _names(tag: Tag) -> list[str]:
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    ident = tag.get("id")
    return [*classes, ident] if isinstance(ident, str) and ident else list(classes)


def is_chrome_name(name: str) -> bool:
    """True for a class or id that names navigation, footer, share … boxes."""
    if _CHROME_WORDS.search(name):
        return True
    low = name.lower()
    return low in _CHROME_TOKENS or any(t in _CHROME_TOKENS for t in _TOKEN_SPLIT.split(low))


MAX_ROW_TEXT = 400  # a data or metadata row is short; a longer one is layout holding a body


def _is_data_row(tr: Tag) -> bool:
    """A row of two or more short cells and no paragraphs: its cells join on one line.

    A row whose cell holds paragraphs, divs or tables, or a long text broken
    by <br>, is page layout, and its cells are blocks of their own.
    """
    cells = 0
    for child in tr.children:
        if type(child) is Tag and child.name in ("td", "th"):
            cells += 1
    if cells < 2:
        return False
    size = 0
    for d in tr.descendants:
        if type(d) is Tag:
            if d.name in _CELL_BLOCKS:
                return False
        elif type(d) is NavigableString:
            size += len(d)
            if size > MAX_ROW_TEXT:
                return False
    return True


@functools.lru_cache(maxsize=4096)
def _name_signals(name: str) -> tuple[bool, bool, bool]:
    """(chrome, known content container, title-like) for one class or id."""
    return (
        is_chrome_name(name),
        name.lower() in known_containers(),
        bool(_TITLE_CLASS.search(name)) and not _SUBTITLE_CLASS.search(name),
    )


def _is_hidden(tag: Tag) -> bool:
    style = tag.get("style")
    return (isinstance(style, str) and bool(_HIDDEN_STYLE.search(style))) or tag.has_attr("hidden")


# ---------------------------------------------------------------- 2. segment
class _Frame(NamedTuple):
    """An open element during the walk, and what closing it must undo."""

    tag: Tag
    children: Iterator[PageElement]
    link: bool  # an <a>
    chrome_zone: bool  # chrome-classed or hidden: its text counts as chrome
    heading: bool  # h1-h6
    title: bool  # title-classed
    row: bool  # a data row: its cells join on one line
    start: int | None  # a block: index of its first line
    own_chrome: bool
    own_hidden: bool
    own_known: bool


class _Segmenter:
    """One pass over the tree: lines and the line range of every block."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.buf_link = 0
        self.buf_chrome = 0
        self.buf_hidden = 0
        self.buf_chars = 0
        self.buf_lead_link: bool | None = None
        self.buf_heading = 0
        self.buf_title = False
        self.buf_row = False
        self.link_depth = 0
        self.chrome_depth = 0
        self.hidden_depth = 0
        self.heading_level: list[int] = []
        self.title_depth = 0
        self.row_cells: list[int] = []  # cell counters of the open data rows

    def text(self, s: str) -> None:
        if not s:
            return
        self.buf.append(s)
        n = len(s) - s.count(" ") - s.count("\n") - s.count("\t") - s.count("\r")
        n -= s.count("\xa0") + s.count("\u3000")
        if n <= 0:
            return
        self.buf_chars += n
        if self.buf_lead_link is None:
            self.buf_lead_link = bool(self.link_depth)
        if self.link_depth:
            self.buf_link += n
        if self.chrome_depth:
            self.buf_chrome += n
        if self.hidden_depth:
            self.buf_hidden += n
        if self.heading_level:
            level = self.heading_level[-1]
            self.buf_heading = min(self.buf_heading, level) if self.buf_heading else level
        if self.title_depth:
            self.buf_title = True

    def flush(self) -> None:
        if not self.buf:
            return
        text = "".join(self.buf)
        text = _SPACES.sub(" ", _FORMATTING_SPACE.sub("", text)).strip()
        if self.buf_row:
            text = _PIPES.sub(" | ", text).strip(" |")
        if text:
            chars = len(text) - text.count(" ") - (text.count("|") if self.buf_row else 0)
            if chars > 0:
                self.lines.append(Line(
                    text=text,
                    chars=chars,
                    link_chars=min(self.buf_link, chars),
                    chrome=self.buf_chrome * 2 > self.buf_chars,
                    heading=self.buf_heading,
                    title_like=self.buf_title,
                    row=self.buf_row,
                    hidden=self.buf_hidden * 2 > self.buf_chars,
                    lead_link=bool(self.buf_lead_link),
                ))
        self.buf = []
        self.buf_link = self.buf_chrome = self.buf_hidden = self.buf_chars = self.buf_heading = 0
        self.buf_lead_link = None
        self.buf_title = False
        self.buf_row = bool(self.row_cells)

    def run(self, root: Tag) -> None:
        stack: list[_Frame] = []
        self._enter(root, stack)
        while stack:
            child = next(stack[-1].children, None)
            if child is None:
                self._leave(stack.pop())
            elif isinstance(child, Tag):
                if child.name not in _SKIP:
                    self._enter(child, stack)
            elif type(child) is NavigableString:  # not a comment, doctype or CDATA
                self.text(str(child))
        self.flush()

    def _enter(self, tag: Tag, stack: list[_Frame]) -> None:
        name = tag.name
        if name == "br" or name == "hr":
            if self.row_cells:
                self.buf.append(" ")
            else:
                self.flush()
            return
        chrome = known = title = hidden = False
        if tag.attrs:
            for n in _names(tag):
                c, k, t = _name_signals(n)
                chrome, known, title = chrome or c, known or k, title or t
            hidden = _is_hidden(tag)
        block = name in _BLOCKS
        row = False
        if name in ("td", "th") and self.row_cells:  # a cell of a data row: same line
            if self.row_cells[-1]:
                self.buf.append(" | ")
            self.row_cells[-1] += 1
            block = False
        elif name == "tr" and not self.row_cells and _is_data_row(tag):
            row = True
        start = None
        if block and not self.row_cells:
            self.flush()
            start = len(self.lines)
        if row:
            self.row_cells.append(0)
            self.buf_row = True
        frame = _Frame(tag, iter(tag.contents), name == "a", chrome or hidden, name in _HEADINGS, title, row,
                       start, chrome, hidden, known)
        if frame.link:
            self.link_depth += 1
        if frame.chrome_zone:
            self.chrome_depth += 1
        if hidden:
            self.hidden_depth += 1
        if frame.heading:
            self.heading_level.append(_HEADINGS[name])
        if title:
            self.title_depth += 1
        stack.append(frame)

    def _leave(self, frame: _Frame) -> None:
        if frame.start is not None or frame.row:
            self.flush()
        if frame.row:
            self.row_cells.pop()
            self.buf_row = bool(self.row_cells)
        if frame.link:
            self.link_depth -= 1
        if frame.chrome_zone:
            self.chrome_depth -= 1
        if frame.own_hidden:
            self.hidden_depth -= 1
        if frame.heading:
            self.heading_level.pop()
        if frame.title:
            self.title_depth -= 1
        if frame.start is not None and len(self.lines) > frame.start:
            self.blocks.append(Block(frame.tag, frame.start, len(self.lines), frame.own_chrome, frame.own_hidden,
                                     frame.own_known))


def segment(soup: BeautifulSoup) -> Page:
    """Cut the page into lines; read <title> and the <meta> names CMSs fill in."""
    page = Page([], [])
    title_tag = soup.find("title")
    if title_tag is not None:
        page.title = _SPACES.sub(" ", title_tag.get_text(" ")).strip()
    for meta in soup.find_all("meta"):
        key = meta.get("name") or meta.get("property")
        content = meta.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            page.meta.setdefault(key.lower(), _SPACES.sub(" ", content).strip())
    seg = _Segmenter()
    seg.run(soup)
    page.lines, page.blocks = seg.lines, seg.blocks
    return page


# ---------------------------------------------------------------- 3. weigh
def line_weight(line: Line) -> float:
    """Positive for body-like lines, negative for chrome (before the chrome-class penalty)."""
    if line.boilerplate:
        return -(line.chars + LINE_COST)
    plain = line.chars - line.link_chars
    if line.chars < 200 and line.text.count("：") + line.text.count(":") >= 2:
        factor = 0.3  # 地址：… 电话：… - a list of labels and values, not prose
    else:
        strong = line.strong_punct
        weak = len(line.text) - len(line.text.translate(_DEL_WEAK))
        density = (strong + 0.5 * weak) / max(plain, 1)
        factor = 0.3 + min(density * 25.0, 1.7)
    cost = ROW_COST if line.row else LINE_COST
    return plain * factor - LINK_COST * line.link_chars - cost


def weigh(page: Page) -> None:
    for line in page.lines:
        line.boilerplate = is_boilerplate_line(line.text)
        line.raw_weight = line_weight(line)
        line.weight = line.raw_weight * CHROME_FACTOR if line.chrome and line.raw_weight > 0 else line.raw_weight


# ---------------------------------------------------------------- 3b. copies
COPY_MIN_CHARS = 30  # a paragraph this long is never repeated by chance …
COPY_MIN_LINES = 3  # … and a second copy of the body repeats at least this many of them
COPY_SHARE = 0.8  # of a copy block's long text that must repeat text found outside it
FLAT_MIN_CHARS = 3 * COPY_MIN_CHARS  # a line that can hold paragraphs glued together
FLAT_MIN_LINES = 10  # … that many of them when the line is visible


def _copy_key(text: str) -> str:
    return _SPACES.sub("", text)


def _partners(page: Page) -> dict[int, list[int]]:
    """Long lines that repeat elsewhere on the page, each with where else its text stands.

    A paragraph repeats as the same line (a second ``<div>`` holding the
    body again) or inside one long line (the whole body glued into one hidden
    ``<div>`` for a read-aloud or elderly mode).
    """
    keys = {}
    for i, line in enumerate(page.lines):
        if line.chars >= COPY_MIN_CHARS and not line.boilerplate:
            keys[i] = _copy_key(line.text)
    by_key: dict[str, list[int]] = {}
    for i, key in keys.items():
        by_key.setdefault(key, []).append(i)
    partners: dict[int, list[int]] = {}
    for same in by_key.values():
        if len(same) > 1:
            for i in same:
                partners[i] = [j for j in same if j != i]
    flat = [i for i, key in keys.items() if len(key) >= FLAT_MIN_CHARS]
    lines = page.lines
    if flat:
        distinct = {key: same[0] for key, same in by_key.items()}
        for f in flat:
            whole = keys[f]
            inside = [i for key, i in distinct.items() if key != whole and len(key) < len(whole) and key in whole]
            covered = [j for i in inside for j in by_key[keys[i]]]
            # A few sentences of a paragraph may stand again in a table that
            # breaks the paragraph into tasks: the body glued into one line is
            # hidden (or chrome) where its paragraphs are not, or holds many.
            apart = any((lines[f].hidden, lines[f].chrome) > (lines[j].hidden, lines[j].chrome) for j in covered)
            if len(inside) < (COPY_MIN_LINES if apart else FLAT_MIN_LINES):
                continue
            partners.setdefault(f, []).extend(covered)
            for j in covered:
                partners.setdefault(j, []).append(f)
    return partners


def _copy_rank(page: Page, i: int, flat: bool) -> tuple[bool, bool, bool, int]:
    """Which occurrence of a repeated text is the body's own: visible, not chrome, in paragraphs, first."""
    line = page.lines[i]
    return line.hidden, line.chrome, flat, i


def mark_copies(page: Page) -> None:
    """Repeated-block detection: mark the second copy of the body and give it no weight.

    Pages carry the article twice: a print or 长者/无障碍 copy, hidden or
    placed elsewhere, sometimes glued into a single line.  A block is a copy
    when most of its long text (``COPY_SHARE``) repeats text found outside
    it, and that is at least ``COPY_MIN_LINES`` paragraphs (or one line that
    holds as many).  Of the occurrences of a text, the visible, not
    chrome, paragraphed, first one is the body's; a block made of the other
    occurrences is the copy.  A paragraph the article itself repeats (a
    photo caption, the same criteria under two headings) stands among
    other text, so no block around it is mostly repeats, and it stays.
    """
    partners = _partners(page)
    if len(partners) < 2:
        return
    flat = {i for i, others in partners.items() if any(page.lines[j].chars < page.lines[i].chars for j in others)
            and len(others) >= COPY_MIN_LINES}
    secondary = bytearray(len(page.lines))
    for i, others in partners.items():
        own = _copy_rank(page, i, i in flat)
        if any(_copy_rank(page, j, j in flat) < own for j in others):
            secondary[i] = 1
    if not any(secondary):
        return
    long_chars = [0, *accumulate(line.chars if line.chars >= COPY_MIN_CHARS else 0 for line in page.lines)]
    second_chars = [0, *accumulate(line.chars if secondary[k] else 0 for k, line in enumerate(page.lines))]
    second_lines = [0, *accumulate(secondary)]
    copies = []
    for block in page.blocks:
        total = long_chars[block.end] - long_chars[block.start]
        repeated = second_chars[block.end] - second_chars[block.start]
        if not total or repeated < COPY_SHARE * total:
            continue
        n = second_lines[block.end] - second_lines[block.start]
        if n >= COPY_MIN_LINES or any(secondary[k] and k in flat for k in range(block.start, block.end)):
            copies.append(block)
    for block in copies:
        for k in range(block.start, block.end):
            line = page.lines[k]
            line.copy = True
            line.weight = 0.0


# ---------------------------------------------------------------- 4. choose
def choose_content(page: Page) -> Block | None:
    """The block whose lines weigh most; None when no block weighs above zero."""
    prefix = [0.0, *accumulate(line.weight for line in page.lines)]
    best, best_score = None, 0.0
    for block in page.blocks:  # post-order: a child comes before its parent and wins ties
        total = prefix[block.end] - prefix[block.start]
        score = total * CONTAINER_BONUS if block.known and total > 0 else total
        if score > best_score:
            best, best_score = block, score
    return best


# ---------------------------------------------------------------- 5. tidy
def _noise_ranges(page: Page, content: Block) -> list[tuple[int, int]]:
    """Sub-blocks of the content node that are lists of links, hidden, or chrome."""
    chars = [0, *accumulate(line.chars for line in page.lines)]
    links = [0, *accumulate(line.link_chars for line in page.lines)]
    raw = [0.0, *accumulate(line.raw_weight for line in page.lines)]
    content_raw = raw[content.end] - raw[content.start]
    ranges = []
    for block in page.blocks:
        if block is content or block.start < content.start or block.end > content.end:
            continue
        if (block.start, block.end) == (content.start, content.end):
            continue
        n = chars[block.end] - chars[block.start]
        link_density = (links[block.end] - links[block.start]) / n if n else 0.0
        count = block.end - block.start
        block_raw = raw[block.end] - raw[block.start]
        if (block.hidden or block.chrome) and block_raw > 0.5 * content_raw:
            continue  # most of the body sits in it: a misleading class or a JS-revealed body
        thin_chrome = block.chrome and (block_raw < 20 * count or link_density > 0.3)
        link_list = link_density >= 0.5 and (count >= 2 or block.tag.name in ("ul", "ol", "dl"))
        teasers = link_density >= TEASER_LINK_DENSITY and _is_teaser_list(page, block)
        if block.hidden or thin_chrome or link_list or teasers:
            ranges.append((block.start, block.end))
    return ranges


TEASER_ITEMS = 3  # linked titles in a list of teasers (相关新闻, 推荐阅读 …)
TEASER_LINK_DENSITY = 0.15  # … whose summaries and dates dilute the links


def _is_teaser_list(page: Page, block: Block) -> bool:
    """A list of other articles: lines that open with a linked title, each maybe followed by a summary and a date.

    At least ``TEASER_ITEMS`` lines open with a link, and they are a third or
    more of the block's lines: a body paragraph seldom starts with a link.
    """
    lines = page.lines[block.start:block.end]
    leads = sum(1 for line in lines if line.lead_link and line.link_chars >= 4)
    return leads >= TEASER_ITEMS and 3 * leads >= len(lines)


def is_metadata_line(line: Line | str) -> bool:
    """A labelled line such as ``发布日期：2023-04-19`` or a metadata table row."""
    text = line.text if isinstance(line, Line) else line
    if len(text) > MAX_METADATA_LINE:
        return False
    if _META_START.match(text) or _DATE_LEAD.match(text):
        return True
    return "|" in text and bool(_META_ROW.search(text))


def _is_edge_chrome(line: Line, chrome_body: bool = False) -> bool:
    """Lines trimmed from the head and tail of the body (``chrome_body``: the body itself sits in chrome)."""
    return (line.chrome and not chrome_body) or line.link_density >= 0.5 or line.boilerplate


def _strip_heading(page: Page, keep: list[int], heading: str) -> tuple[list[int], list[int]]:
    """Drop the heading from the top of the body (it may be split over a few lines), and what precedes it.

    Returns the remaining body and the metadata lines found above the heading.
    """
    target = _squeeze(heading)
    if not target:
        return keep, []
    for k in range(min(HEADING_SEARCH, len(keep))):
        joined = ""
        for m in range(k, min(k + 4, len(keep))):
            joined += _squeeze(page.lines[keep[m]].text)
            if joined == target:
                return keep[m + 1:], [j for j in keep[:k] if is_metadata_line(page.lines[j])]
            if not target.startswith(joined):
                break
    return keep, []


SUBSTANTIAL = 20.0  # weight of a line that is certainly body text


def tidy(page: Page, content: Block, heading: str = "") -> tuple[list[int], list[int]]:
    """Indices of the body lines, and of the metadata lines taken from the body's edges.

    Sub-blocks that are link lists, hidden or chrome go, and so do boilerplate
    lines.  The heading goes when it opens the body, with whatever stands above
    it.  Above the first and below the last substantial line, metadata and
    chrome lines go too; short plain lines there (a date, a speaker, a
    signature) are body and stay.
    """
    dropped = bytearray(len(page.lines))
    for start, end in _noise_ranges(page, content):
        dropped[start:end] = b"\x01" * (end - start)
    keep = [i for i in range(content.start, content.end)
            if not dropped[i] and not page.lines[i].boilerplate and not page.lines[i].copy]
    keep, meta = _strip_heading(page, keep, heading)
    chrome_chars = sum(page.lines[i].chars for i in keep if page.lines[i].chrome)
    chrome_body = chrome_chars * 2 > sum(page.lines[i].chars for i in keep)
    solid = [k for k, i in enumerate(keep) if page.lines[i].raw_weight >= SUBSTANTIAL]
    first, last = (solid[0], solid[-1]) if solid else (len(keep), len(keep))
    body = []
    for k, i in enumerate(keep):
        line = page.lines[i]
        if k < first and _DATE_ONLY.match(line.text):
            meta.append(i)  # the publication date between the heading and the body
            continue
        if (k < first or k > last) and (is_metadata_line(line) or _is_edge_chrome(line, chrome_body)):
            if is_metadata_line(line):
                meta.append(i)
            continue
        body.append(i)
    return body, sorted(meta)


# ---------------------------------------------------------------- 6. metadata
METADATA_BEFORE = 60  # lines above the body searched for a metadata block
METADATA_AFTER = 30
DATE_BEFORE = 8  # a bare date this close above the body is its publication date


# The label given to a bare date next to the body (a line of its own, or one
# that leads a metadata line): CMSs print the publication time there.
PUBLISHED_LABEL = "发布时间"


def _metadata_text(text: str) -> str:
    """`` | `` before a label glued to the previous value, a colon after a bare label cell.

    ``来源：访问量：199发布日期：2017-05-15`` reads as three fields once
    normalization has removed the spaces around the colons.  A bare date
    becomes ``发布时间：<date>``.
    """
    for pattern in vocabulary().fragment_patterns:  # 【字体：大 中 小】 and the like
        text = pattern.sub(" ", text)
    if _DATE_ONLY.match(text):
        return f"{PUBLISHED_LABEL}：{text.strip(' 【】[]')}"
    lead = _DATE_LEAD.match(text)
    if lead:
        text = f"{PUBLISHED_LABEL}：{lead.group(1)} | {text[lead.end():]}"
    text = _BARE_LABEL_CELL.sub(lambda m: f"{m.group(1)}{m.group(2).rstrip()}：", text)
    text = _BRACKET_LABEL.sub(lambda m: f"{m.group(1)}：", text)
    out, last = [], 0
    for m in _META_LABEL.finditer(text):
        before = text[last:m.start()].rstrip()
        out.append(before)
        if before and not before.endswith(("|", "｜", "【", "[")):
            out.append(" | ")
        elif before:
            out.append(" ")
        last = m.start()
    out.append(text[last:])
    return "".join(out).strip()


def _lone_label(text: str) -> bool:
    """``发布机构：`` with its value on the next line."""
    m = _META_START.match(text)
    return bool(m) and not text[m.end():].strip(" |｜")


def _link_list_lines(page: Page, content: Block) -> bytearray:
    """Lines of link lists (related articles, news teasers) outside the content node."""
    chars = [0, *accumulate(line.chars for line in page.lines)]
    links = [0, *accumulate(line.link_chars for line in page.lines)]
    marked = bytearray(len(page.lines))
    for block in page.blocks:
        if block.end <= content.start or block.start >= content.end:
            n = chars[block.end] - chars[block.start]
            if block.end - block.start >= 3 and n and (links[block.end] - links[block.start]) / n >= 0.5:
                marked[block.start:block.end] = b"\x01" * (block.end - block.start)
    return marked


def collect_metadata(page: Page, body: list[int], edge: list[int], content: Block | None) -> list[str]:
    """Labelled lines near the body, in page order; a lone label takes the next line as its value.

    Lines inside link lists (a related-articles list with 发布时间 under each
    item) are not the page's own metadata and are left out.
    """
    if content is None:
        return []
    taken = set(body)
    in_lists = _link_list_lines(page, content)
    picked = set(edge)
    for i in range(max(0, content.start - METADATA_BEFORE), min(len(page.lines), content.end + METADATA_AFTER)):
        line = page.lines[i]
        if i in taken or i in picked or in_lists[i] or line.link_density >= 0.5:
            continue
        if is_metadata_line(line) or (content.start - DATE_BEFORE <= i < content.start and _DATE_ONLY.match(line.text)):
            picked.add(i)
    out = []
    consumed = set()
    for i in sorted(picked):
        if i in consumed:
            continue
        text = page.lines[i].text
        if _lone_label(text):
            nxt = i + 1
            if nxt >= len(page.lines) or nxt in taken or nxt in picked or page.lines[nxt].chars > 80:
                continue  # a label without a value says nothing
            text = f"{text.rstrip()} {page.lines[nxt].text}"
            consumed.add(nxt)
        out.append(_metadata_text(text))
    return out


# ---------------------------------------------------------------- 7. heading
def _bigrams(text: str) -> set[str]:
    text = re.sub(r"\s+", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _similarity(candidate: str, references: tuple[str, ...]) -> float:
    """Bigram F1 of the candidate against the closest reference title (0-1)."""
    grams = _bigrams(candidate)
    best = 0.0
    for reference in references:
        ref = _bigrams(reference)
        common = len(grams & ref)
        if common:
            best = max(best, 2 * common / (len(grams) + len(ref)))
    return best


def split_title(title: str, site_names: tuple[str, ...] = ()) -> tuple[str, tuple[str, ...]]:
    """Split a <title> into the article title and the site-name parts.

    ``某县2023年度报告_某某县人民政府`` → (``某县2023年度报告``, (``某某县人民政府``,)).
    """
    title = _SPACES.sub(" ", title).strip()
    parts = [p.strip() for p in _TITLE_SPLIT.split(title) if p and p.strip()]
    if len(parts) <= 1:
        squeezed = title.replace(" ", "")
        if squeezed in site_names or _PORTAL_NAME.search(squeezed):
            return "", (squeezed,)  # the title is the site's name
        return title, ()

    def site_like(part: str) -> bool:
        squeezed = part.replace(" ", "")
        if any(name and (squeezed == name or squeezed in name) for name in site_names):
            return True
        return len(squeezed) <= 20 and bool(_SITE_NAME.search(squeezed))

    rest = [p for p in parts if not site_like(p)]
    if not rest:  # 首页 - 某某县人民政府: no article title at all
        return "", tuple(p.replace(" ", "") for p in parts)
    main = max(rest, key=len)
    return main, tuple(p.replace(" ", "") for p in parts if p != main)


def strip_site_name(title: str, site_names: tuple[str, ...] = ()) -> str:
    """``某县2023年度报告_某某县人民政府`` → ``某县2023年度报告``."""
    return split_title(title, site_names)[0]


def _site_names(page: Page) -> tuple[str, ...]:
    names = [page.meta.get(k, "") for k in ("sitename", "og:site_name", "site_name", "application-name")]
    return tuple(n.replace(" ", "") for n in names if n)


def _heading_score(line: Line, text: str, references: tuple[str, ...], sites: tuple[str, ...]) -> float:
    """How much a heading or title-classed line (``text`` may join it with the next) looks like the title."""
    score = {1: 3.0, 2: 2.5, 3: 1.5}.get(line.heading, 1.0) if line.heading else 0.0
    if line.title_like:
        score += 1.5
    similarity = _similarity(text, references)
    score += 4.0 * similarity
    squeezed = text.replace(" ", "")
    if any(squeezed in site for site in sites) or (similarity < 0.5 and _SITE_NAME.search(squeezed)):
        score -= 4.0  # the site's name: a logo, not the article
    if line.chrome:
        score -= 1.5
    if line.link_density > 0.5:
        score -= 1.0
    return score


def _heading_candidates(page: Page, lo: int, hi: int) -> Iterator[tuple[int, str]]:
    """Heading or title-classed lines, alone and joined with the next one or two (a title set on two lines)."""
    for i in range(lo, hi):
        line = page.lines[i]
        if not (line.heading or line.title_like) or line.boilerplate or line.chars > 150:
            continue
        text = line.text
        if line.chars >= 4 and not text.endswith(("：", ":")) and not is_metadata_line(line):
            yield i, text
        for j in range(i + 1, min(i + 3, hi)):
            nxt = page.lines[j]
            if (nxt.heading, nxt.title_like) != (line.heading, line.title_like) or nxt.boilerplate:
                break
            if is_metadata_line(nxt):
                break
            text += nxt.text
            yield i, text


def choose_heading(page: Page, content: Block | None) -> str:
    """The main heading: a heading or title-classed line just above or atop the body, else <title>."""
    names = _site_names(page)
    title, site_parts = split_title(page.title, names) if page.title else ("", ())
    sites = names + site_parts
    og_title = split_title(page.meta.get("og:title", ""), sites)[0]
    article_title = page.meta.get("articletitle", "")
    references = tuple(x for x in (title, article_title, og_title) if x)
    start = _first_body_line(page, content) if content else len(page.lines)
    end = content.end if content else len(page.lines)
    best, best_score = "", 0.0
    for i, text in _heading_candidates(page, max(0, start - HEADING_BEFORE), min(len(page.lines), start + 2)):
        score = _heading_score(page.lines[i], text, references, sites) - 0.05 * max(0, start - i)
        if 0 <= start - i <= 5:
            score += 1.0  # right above the body
        if i >= end:
            score -= 2.0
        if score > best_score:
            best, best_score = text, score
    if best and best_score >= 3.0:
        return best
    if article_title and len(article_title) >= 4:
        return article_title
    return title or og_title or best


def _first_body_line(page: Page, content: Block) -> int:
    """The first line of the content node with real text (skips a title, date, toolbar)."""
    for i in range(content.start, content.end):
        line = page.lines[i]
        if line.raw_weight >= SUBSTANTIAL and not line.heading and not line.title_like:
            return i
    return content.start


# ---------------------------------------------------------------- the pipeline
def extract(html: str) -> Extracted:
    """Body lines, heading, raw <title> and metadata lines of an HTML page.

    Never raises: markup the stages cannot handle (absurd nesting, a parser
    bug) gives an empty result, which the cleaner reports as a page without
    body text - one odd page never stops a batch.
    """
    try:
        return _extract(html)
    except Exception:  # see the docstring: never raise
        log.warning("extraction failed; treating the page as empty", exc_info=True)
        return Extracted([], "", "")


def _extract(html: str) -> Extracted:
    soup = parse_html(html)
    page = segment(soup)
    weigh(page)
    mark_copies(page)
    content = choose_content(page)
    heading = choose_heading(page, content)
    body, edge = tidy(page, content, heading) if content else ([], [])
    metadata = collect_metadata(page, body, edge, content)
    return Extracted([page.lines[i].text for i in body], heading, page.title, metadata)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)
