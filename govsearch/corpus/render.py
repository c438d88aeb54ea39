"""A document as a page: government-CMS HTML (breadcrumb, metadata table,
toolbar, related links, footer, in one of four CMS styles) or plain text in
one of a few layouts, the way crawled government pages come.

The markup is here; the words around the document (menu, breadcrumb,
columns, related titles) are in ``templates/pages.json``.
"""

from __future__ import annotations

import hashlib
import random

from govsearch.corpus.compose import Document
from govsearch.corpus.issuers import Issuer
from govsearch.corpus.templates import PAGES

CMS_STYLES = ("trs", "ucap", "dahan", "generic")
TOOLBAR = ('<div class="tool">【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> '
           '<a href="javascript:doZoom(14)">小</a>】【<a href="javascript:window.print()">打印本页</a>】'
           '【<a href="javascript:window.close()">关闭窗口</a>】</div>')
CONTAINERS = {"trs": '<div class="TRS_Editor">', "ucap": '<div id="UCAP-CONTENT">', "dahan": '<div id="zoom">',
              "generic": '<div class="article-content">'}


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _index_number(rng: random.Random, doc: Document) -> str:
    code = doc.issuer.adcode.ljust(9, "0") + rng.choice("0123456789ABCDEFX")
    return f"{code}/{doc.publish_date[:4]}-{rng.randint(1, 999):05d}"


def _doc_number(rng: random.Random, doc: Document) -> str:
    if rng.random() < 0.5:
        return ""
    short = doc.issuer.names["s"][:2]
    return f"{short}{rng.choice(PAGES['doc_number_kinds'])}〔{doc.publish_date[:4]}〕{rng.randint(1, 60)}号"


def _related_titles(rng: random.Random, doc: Document) -> list[tuple[str, str]]:
    out = []
    for k in range(rng.randint(3, 6)):
        y = doc.year - k - 1
        title = rng.choice(PAGES["related_titles"]).format(gov=doc.issuer.gov, y=y, place=doc.issuer.place,
                                                            u=doc.issuer.names["u"])
        out.append((title, f"{y + 1}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"))
    return out


def render_html(rng: random.Random, doc: Document, lines: list[str], title: str, charset: str) -> str:
    """The page of a government CMS around ``lines`` (the document's own lines, or a mirror's)."""
    issuer = doc.issuer
    style = CMS_STYLES[int(hashlib.md5(issuer.site.encode()).hexdigest(), 16) % len(CMS_STYLES)]
    meta_tag = (f'<meta charset="{charset}">' if rng.random() < 0.5
                else f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">')
    menu = [(slug, label.format(s=issuer.names["s"])) for slug, label in PAGES["menu"]]
    nav = '<li><a href="/">首页</a></li>' + "".join(f'<li><a href="/{slug}/">{label}</a></li>' for slug, label in menu)
    crumb = _crumb(rng, style)
    meta, info = _metadata(rng, doc, title, style)
    paras = _paragraphs(rng, doc, lines, title)
    related = ""
    if rng.random() < 0.7:
        items = "".join(f'<li><a href="/zwgk/fzzf/{rng.randint(10000, 99999)}.html">{_esc(t)}</a><span>{d}</span></li>'
                        for t, d in _related_titles(rng, doc))
        related = f'<div class="related"><h3>相关链接</h3><ul>{items}</ul></div>'
    footer = _footer(rng, issuer)
    heading_tag = f'<h1 class="title">{_esc(title)}</h1>'
    if style == "dahan":
        heading_tag = f'<div class="title"><h1>{_esc(title)}</h1></div>'
    pub_time = f"{doc.publish_date} 09:{rng.randint(10, 59)}"
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n{meta_tag}\n<title>{_esc(title)}_{_esc(issuer.site)}</title>\n'
        f'<meta name="ArticleTitle" content="{_esc(title)}">\n<meta name="PubDate" content="{pub_time}">\n'
        f'<link rel="stylesheet" href="/css/style.css">\n<script src="/js/jquery.min.js"></script>\n</head>\n<body>\n'
        f'<div class="header"><div class="logo"><img src="/images/logo.png" alt="{_esc(issuer.site)}"></div>'
        f'<div class="search"><input type="text" placeholder="请输入关键字"><button>搜索</button></div></div>\n'
        f'<div class="nav"><ul>{nav}</ul></div>\n{crumb}\n<div class="main">\n{meta}\n'
        f'<div class="article">{heading_tag}\n{info}\n{TOOLBAR}\n{CONTAINERS[style]}\n' + "\n".join(paras)
        + "\n</div>\n</div>\n"
        f"{related}\n</div>\n{footer}\n</body>\n</html>\n"
    )


def _crumb(rng: random.Random, style: str) -> str:
    crumb_label = rng.choice(PAGES["crumb_labels"])
    column = rng.choice(PAGES["columns"])
    crumb_class = "position" if style != "generic" else "breadcrumb"
    return (f'<div class="{crumb_class}">{crumb_label}<a href="/">首页</a> &gt; '
            f'<a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/fzzf/">{column}</a></div>')


def _metadata(rng: random.Random, doc: Document, title: str, style: str) -> tuple[str, str]:
    """(the metadata table, the info line): one of them is empty."""
    index_no, doc_no = _index_number(rng, doc), _doc_number(rng, doc)
    written, published = doc.written_date, doc.publish_date
    if style in ("trs", "ucap") or rng.random() < 0.3:
        rows = [("索 引 号：", index_no, "主题分类：", rng.choice(PAGES["topics"])),
                ("发布机构：", doc.publisher, "发文日期：", written),
                ("文　　号：", doc_no, "发布日期：", published)]
        if rng.random() < 0.5:
            rows.append(("标　　题：", title, "", ""))
        cells = "".join(
            "<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in row if c or row[0] != "标　　题：") + "</tr>"
            for row in rows)
        return f'<table class="xxgk-table" width="100%">{cells}</table>', ""
    return "", (f'<div class="info"><span>发布时间：{published}</span>　<span>来源：{_esc(doc.publisher)}</span>　'
                f'<span>浏览次数：{rng.randint(30, 9000)}</span></div>')


def _paragraphs(rng: random.Random, doc: Document, lines: list[str], title: str) -> list[str]:
    """The article's paragraphs: headings in bold, the signature (of the document's own lines) aligned."""
    paras = []
    heading_lines = set(doc.headings) if lines is doc.lines else set()
    if rng.random() < 0.3:
        paras.append(f'<p style="text-align:center;"><strong>{_esc(title)}</strong></p>')
    for i, line in enumerate(lines):
        if i in heading_lines:
            paras.append(f'<p style="text-indent:2em;"><strong>{_esc(line)}</strong></p>')
        else:
            paras.append(f'<p style="text-indent:2em;">{_esc(line)}</p>')
    for line in doc.signature if lines is doc.lines else []:
        align = "right" if not line.endswith("。") else "left"
        paras.append(f'<p style="text-align:{align};">{_esc(line)}</p>')
    return paras


def _footer(rng: random.Random, issuer: Issuer) -> str:
    prov_short = issuer.names["v"][:1] if issuer.names["v"] else "京"
    return (f'<div class="footer"><p>版权所有：{_esc(issuer.site)}　主办单位：{_esc(issuer.gov)}办公室</p>'
            f'<p>网站标识码：{issuer.adcode[:6]}{rng.randint(1000, 9999)}　'
            f'<a href="https://beian.miit.gov.cn/">{prov_short}ICP备{rng.randint(10000000, 99999999)}号</a>　'
            f'{prov_short}公网安备 {rng.randint(10**13, 10**14 - 1)}号</p>'
            f'<p>联系电话：0{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}</p></div>')


def render_text(rng: random.Random, doc: Document, lines: list[str], title: str, signature: list[str]) -> str:
    """The document as a text page: plain, with a metadata head, flattened, or under a breadcrumb."""
    layout = rng.choices(["plain", "meta", "flat", "crumb"], weights=[0.5, 0.35, 0.08, 0.07])[0]
    indent = "　　" if rng.random() < 0.4 else ""
    body = [indent + line for line in lines]
    if layout == "meta":
        head = [doc.publisher, f"标题: {title}", f"索引号: {_index_number(rng, doc)} 文号: {_doc_number(rng, doc)}",
                f"发文日期: {doc.written_date} 发布机构: {doc.publisher}", "", title, "",
                f"发布日期:{doc.publish_date}",
                "  • 字号:", "  • |", "  • 打印", ""]
        return "\n".join([*head, *body, "", *signature]) + "\n"
    if layout == "flat":
        return (f"{title} | |||\n|\n|||\n|\n|||\n" + " ".join(lines) + " " + " ".join(signature)
                + " |\n|||\n【打印本页】\n【关闭窗口】 |")
    if layout == "crumb":
        column = rng.choice(PAGES["text_columns"])
        return "\n".join([f"您当前的位置是:首页 > {column}", "", title, "", *body,
                          *signature, "", "【字体: 】【收藏】 【打印】【关闭"]) + "\n"
    sep = "\n\n" if rng.random() < 0.3 else "\n"
    return sep.join([title, *body, *signature]) + "\n"
