"""Pages: which index becomes which file.  Most are a rendered document;
about ``dup_share`` of them are traditional-script mirrors (OpenCC s2t,
sometimes with pinyin-gloss debris) of an earlier page.  Each page's file
name carries a hash of its bytes, and its manifest row the ground truth.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from functools import lru_cache

from govsearch.corpus.compose import Document
from govsearch.corpus.documents import make_document, plain_text
from govsearch.corpus.render import render_html, render_text
from govsearch.corpus.resources import Resources
from govsearch.corpus.shape import GBK_SHARE


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


_DEBRIS = {"，": ",,", "、": ",、", "。": ",。"}


def mirror_text(rng: random.Random, text: str, glosses: dict[str, str], debris: bool) -> str:
    """Traditional script, and for a glossing converter pinyin after some characters and comma debris."""
    text = _s2t().convert(text)
    if not debris:
        return text
    gloss_re = re.compile("[" + "".join(sorted(glosses)) + "]")
    rate = rng.uniform(0.5, 0.9)
    text = gloss_re.sub(lambda m: f"{m.group(0)}({glosses[m.group(0)]})" if rng.random() < rate else m.group(0), text)
    return re.sub("[，、。]", lambda m: _DEBRIS[m.group(0)] if rng.random() < 0.5 else m.group(0), text)


@dataclass
class Page:
    name: str
    data: bytes
    row: dict


def _plan_mirror(seed: int, index: int, dup_share: float) -> bool:
    if dup_share <= 0 or index == 0:
        return False
    block = max(1, round(1 / dup_share))
    b = index // block
    return index == b * block + random.Random(f"{seed}/dup/{b}").randrange(block)


def _file_name(index: int, width: int, data: bytes, ext: str) -> str:
    return f"{index:0{width}d}_{hashlib.sha1(data).hexdigest()[:8]}.{ext}"


def make_page(index: int, seed: int, n: int, html_share: float, dup_share: float, res: Resources) -> Page:
    width = max(6, len(str(n - 1)))
    if _plan_mirror(seed, index, dup_share):
        return _mirror_page(index, seed, n, html_share, dup_share, res, width)
    doc = make_document(index, seed, res)
    return _render(doc, seed, html_share, width)


def _render(doc: Document, seed: int, html_share: float, width: int) -> Page:
    rng = random.Random(f"{seed}/{doc.index}/page")
    is_html = rng.random() < html_share
    encoding = "utf-8"
    if is_html:
        charset = "utf-8"
        if rng.random() < GBK_SHARE:
            encoding, charset = "gbk", rng.choice(["gbk", "gb2312", "GBK"])
        data = render_html(rng, doc, doc.lines, doc.title, charset).encode(encoding, errors="xmlcharrefreplace")
    else:
        data = render_text(rng, doc, doc.lines, doc.title, doc.signature).encode("utf-8")
    name = _file_name(doc.index, width, data, "html" if is_html else "txt")
    return Page(name, data, _row(doc, name, "html" if is_html else "txt", encoding, "simplified", ""))


def _mirror_page(index: int, seed: int, n: int, html_share: float, dup_share: float, res: Resources,
                 width: int) -> Page:
    rng = random.Random(f"{seed}/{index}/dup")
    source = rng.randrange(index)
    while _plan_mirror(seed, source, dup_share):
        source -= 1
    original = make_document(source, seed, res)
    original_page = _render(original, seed, html_share, width)
    debris = rng.random() < 0.6
    with_title = rng.random() < 0.8
    text = plain_text(original) if with_title else "\n".join([*original.lines, *original.signature])
    traditional = mirror_text(rng, text, res.glosses, debris)
    if rng.random() < 0.3:
        t_lines = traditional.split("\n")
        mirrored = Document(**{**original.__dict__, "index": index, "title": t_lines[0] if with_title else "",
                               "lines": t_lines[1:] if with_title else t_lines, "signature": []})
        if not with_title:
            mirrored.title = _s2t().convert(original.title)
        data = render_html(rng, mirrored, mirrored.lines, mirrored.title, "utf-8").encode("utf-8")
        ext = "html"
    else:
        data = (traditional + "\n").encode("utf-8")
        ext = "txt"
    name = _file_name(index, width, data, ext)
    row = _row(original, name, ext, "utf-8", "traditional", original_page.name)
    row["length"] = len(text)
    row["title_in_page"] = with_title or ext == "html"
    row["gloss_debris"] = debris
    return Page(name, data, row)


def _row(doc: Document, name: str, fmt: str, encoding: str, script: str, duplicate_of: str) -> dict:
    issuer = doc.issuer
    return {
        "file": name, "title": doc.title, "issuer": issuer.name, "issuer_kind": issuer.kind,
        "publisher": doc.publisher, "level": issuer.level, "province": issuer.province, "city": issuer.city,
        "county": issuer.county, "town": issuer.town, "adcode": issuer.adcode,
        "report_year": doc.year if doc.doc_type == "annual_report" else None, "year": doc.year,
        "doc_type": doc.doc_type, "subtype": doc.subtype, "publish_date": doc.publish_date, "format": fmt,
        "encoding": encoding, "script": script, "length": len(plain_text(doc)), "measures": doc.measures,
        "duplicate_of": duplicate_of,
    }
