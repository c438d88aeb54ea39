"""The extractor's vocabulary and thresholds, apart from its code.

Tag sets, the class/id words of page chrome, the site-name forms of a
<title>, and every weight and distance the stages of :mod:`index.extract`
use - kept here, as trafilatura keeps its settings apart, so tuning them
touches no logic.  Word lists a site may extend live in ``data/``
(``boilerplate.txt``, ``cms_containers.txt``).
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------- vocabulary
# Elements that never hold body text.  Their subtrees are skipped whole.
SKIP = frozenset((
    "script", "style", "noscript", "iframe", "frame", "frameset", "select", "option", "optgroup",
    "button", "input", "textarea", "svg", "math", "template", "object", "embed", "canvas", "map",
    "audio", "video", "source", "track", "head", "title", "meta", "link", "base", "nav", "footer",
    "img", "picture", "area", "param", "datalist", "dialog",
))

# Elements that start and end a line.  Everything else is inline and joins
# with its neighbours (span, font, a, strong, b, i, u, sub, o:p, st1:* …).
BLOCKS = frozenset((
    "html", "body", "p", "div", "li", "ul", "ol", "dl", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "section", "article", "main",
    "aside", "header", "blockquote", "pre", "center", "figure", "figcaption", "address", "form",
    "fieldset", "legend", "details", "summary", "menu", "dir", "hr", "br",
))

# Tags whose presence inside a table row means the row is layout, not data.
CELL_BLOCKS = frozenset((
    "p", "div", "table", "ul", "ol", "li", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "blockquote", "pre", "form",
))

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}

# Class/id tokens of chrome: navigation, footers, sidebars, share and related
# boxes.  Long words match anywhere in a class name; short ones only as a
# whole token (``nav``, ``nav-bar``, ``foot_wrap`` but not ``canvas``).
CHROME_WORDS = re.compile(
    r"footer|copyright|breadcrumb|crumb|sidebar|navbar|navigation|share|comment|related|relate|"
    r"friendlink|toolbar|recommend|qrcode|erweima|pagination|advert|dqwz|daohang|xgwz|xgxw|xglj|yqlj",
    re.IGNORECASE,
)

CHROME_TOKENS = frozenset((
    "nav", "navs", "subnav", "menu", "menus", "foot", "bottom", "position", "location", "loc", "side",
    "aside", "tool", "tools", "link", "links", "ad", "ads", "banner", "header", "head", "top",
    "topbar", "logo", "search", "login", "hot", "rank", "pager", "page-nav", "ewm", "dh", "weizhi",
    "bdsharebuttonbox", "fenxiang", "fx", "lmdh", "wzdh",
))

TITLE_CLASS = re.compile(r"title|^tit$|^tit[-_]|[-_]tit$|^bt$|biaoti|headline|^h-title", re.IGNORECASE)

SUBTITLE_CLASS = re.compile(r"sub-?title|fu-?title|share-title", re.IGNORECASE)

HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

STRONG_PUNCT = "，。；！？、"

WEAK_PUNCT = "“”‘’《》（）…"

SITE_NAME = re.compile(
    r"(网|网站|门户|门户网站|官网|官方网站|政府|人民政府|频道|平台|在线|之窗|政务网|信息网|首页|\.(?:com|cn|net|org))$"
    r"|^www\.",
    re.IGNORECASE,
)

# A <title> that is only this is the site's name.
PORTAL_NAME = re.compile(r"(网|网站|门户|门户网站|官网|官方网站|人民政府|政府网)$")

# Line weights (see line_weight).
LINE_COST = 3.0  # every line costs this much: chrome is many short lines

ROW_COST = 1.0  # … a data-table row less: a table of names or figures in a body is body

LINK_COST = 1.5  # per character of link text

CHROME_FACTOR = 0.25  # positive weight kept by a line inside a chrome-classed element

CONTAINER_BONUS = 1.15  # a node named in cms_containers.txt

HEADING_BEFORE = 40  # lines above the body searched for its heading

HEADING_SEARCH = 6  # lines at the top of the body searched for the heading line

MAX_ROW_TEXT = 400  # a data or metadata row is short; a longer one is layout holding a body

# ---------------------------------------------------------------- 3b. copies
COPY_MIN_CHARS = 30  # a paragraph this long is never repeated by chance …

COPY_MIN_LINES = 3  # … and a second copy of the body repeats at least this many of them

COPY_SHARE = 0.8  # of a copy block's long text that must repeat text found outside it

FLAT_MIN_CHARS = 3 * COPY_MIN_CHARS  # a line that can hold paragraphs glued together

FLAT_MIN_LINES = 10  # … that many of them when the line is visible

TEASER_ITEMS = 3  # linked titles in a list of teasers (相关新闻, 推荐阅读 …)

TEASER_LINK_DENSITY = 0.15  # … whose summaries and dates dilute the links

SUBSTANTIAL = 20.0  # weight of a line that is certainly body text

# ---------------------------------------------------------------- 6. metadata
METADATA_BEFORE = 60  # lines above the body searched for a metadata block

METADATA_AFTER = 30

DATE_BEFORE = 8  # a bare date this close above the body is its publication date
