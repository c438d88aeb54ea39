"""Candidate named measures in one text, by the shapes official documents give a new name.

A report introduces a measure it expects the reader not to know in one of a
few typographic and grammatical shapes, and those shapes - not a list of
known slogans - are what is looked for here:

``quoted``
    a name in quotation marks (“…” 「…」 『…』 ‘…’, or paired ASCII ``"``):
    “蒙速办·一次办”, “法治体检”, “谁公开、谁负责”.  Most quotes in a report
    are names, but not all, so a quote is a name only when it is short (2-10
    characters once folded, 12 for a series such as 争当表率、争做示范、走在前列),
    holds no sentence punctuation, spaces or function characters (的 了 …),
    is not a bare number, period or count (“十四五” “12345” “两个”) nor the
    label of a list the report goes on to give (“五大战略” “六项机制”), and is
    not an ordinary word in scare quotes (“桥头堡” “一把手”: words of jieba's
    own dictionary - numbered ones too: the formulas jieba knows, 三农 and
    五位一体, are old, not new).  Numbered formulas are kept (“两个维护”
    “三审三校” “一规划一方案一清单”): a numeral and a short name is the
    shape the brief's slogans share.  The words around the quote decide too: a channel before or
    after it (微信公众号“深圳司法”, “中国丽水”门户网站), a fault or a state
    after it (“重实体、轻程序”问题, “…”的态势), an honour (评为“…”, “…”称号),
    a term the document defines (下称“残疾人证”) or a button (点击“我要备案”)
    say it is no measure; so do endings of events, awards and bodies (…赛,
    …论坛, …局), a year, a serial number (“吉林一号”), a template (“××区…”)
    and the verbs instructions open with (“加强依法行政”).  A quote that is
    no name alone but is followed by a kind noun (工程, 模式, 机制, 改革 …)
    makes a name with it: “一把手”工程, “1155”工程.
``plus``
    X+Y, the 互联网+ family: 互联网+政务服务, “学法+考试+旁听”, and
    “互联网+”政务服务 (the quote closing after the plus).  Each part is two
    Han characters or more, no digits (“98天+2个月” is a sum); outside the
    quote, a part is whole words (one of up to six characters, or several
    up to four), and a plus near an equals sign is arithmetic.
``paired``
    一X一Y, the parallel numbered formula, unquoted: 一业一证, 一村一品,
    一月一调度 (Y is the jieba word after the second 一).
``place``
    a division's name (county level or above) followed by 经验, 模式,
    样板 or 样本: 马山模式, 淄博经验.

Not accepted, on purpose: an unquoted numeral and name (一网通办, 两个维护,
三项制度 written bare) - in running text that shape is mostly ordinary
(三个月, 两个方面, 一批), and a new formula is quoted where it is
introduced; contractions such as 放管服, which unquoted look like any
three-character word; and X经验/X模式/X机制/X工程 after anything but a place
name, which are mostly generic (工作经验, 管理模式, 民生工程).  All of them are
found when a report quotes them.

Each phrase carries its ``key``, the folded form the index matches with
(index.normalize.fold), so 双随机、一公开 and 双随机一公开, or a full-width and
a half-width spelling, are one measure.  A phrase whose key is a dictionary
word (index.analysis.dictionary_words), alone or with the characters beside
its quote (“八五”普法, 高效办成“一件事”), is known and no candidate.  The
text is expected normalized as the index stores it (simplified script,
index.normalize.normalize_text).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection
from dataclasses import dataclass

from govsearch.index.analysis import dictionary_words, segmenter
from govsearch.index.normalize import HAN, fold

# ---------------------------------------------------------------- vocabulary
# Folded length of a name: two characters (六稳) to ten (绿水青山就是金山银山),
# twelve for a series of parallel parts (争当表率、争做示范、走在前列).
MIN_KEY, MAX_KEY, MAX_SERIES_KEY = 2, 10, 12
# Characters beside a quote that may complete a dictionary word (“八五”普法).
BESIDE = 6
CLAUSE = 20  # how far back the clause before a quote is read
# What a quote is the name of, when it is no name alone (“一把手”工程).
KINDS = ("工作法", "工程", "模式", "机制", "经验", "行动", "制度", "改革", "品牌", "平台", "体系", "普法", "热线")
# Channels and accounts: a quote before or after one of them names it.
MEDIA = ("公众号", "微信", "微博", "网站", "门户", "账号", "栏目", "专栏", "板块", "频道", "抖音", "视频号", "头条号",
         "客户端")
# After a quote: a fault, a state of affairs, an honour, a value or an example.
NOT_MEASURES_AFTER = (*MEDIA, "问题", "现象", "倾向", "顽疾", "态势", "势头", "称号", "荣誉", "字样", "页面", "为例")
# Just before a quote: a term the document defines, a button or search word
# of a service guide.
NOT_MEASURES_BEFORE = (*MEDIA, "跨入", "奖", "下称", "简称", "点击", "搜索", "选择", "发送", "进入", "打开", "输入")
# Anywhere in the clause before a quote: an honour or a title given
# (被命名为广东省省级“智慧矫正中心”).
HONOURS = re.compile("评为|命名为|授予|荣获|誉为|表彰为|获评")
_CLAUSE_END = re.compile("[，。；：！？,;:!?\n]")
# Endings of names that are not measures: events, awards, bodies, channels.
NOT_MEASURE_ENDINGS = ("赛", "论坛", "马拉松", "嘉年华", "奖", "杯", "局", "办事处", "街道办", "人民政府", "网站",
                       "微博", "在线")
# A quote this long that opens with one of these verbs is an instruction
# quoted (“加强依法行政” “实施依法治区战略”); names open with other verbs
# (“创新创业陪跑员”) or with one character (“抓项目促发展”).
DIRECTIVE_LENGTH = 6
DIRECTIVE_VERBS = frozenset(("加强", "实施", "推进", "推动", "深化", "坚持", "实行", "落实", "进入", "建设", "完善",
                             "建立", "强化", "提升", "提高", "贯彻", "健全"))
PLUS = ("+", "＋")  # half and full width: the key folds both away
PLUS_WORD, PLUS_PART = 6, 4  # a part of X+Y: one word this long, or words up to this
ARITHMETIC_WINDOW = 30  # an equals sign this near a plus makes it a sum
PLACE_KINDS = ("经验", "模式", "样板", "样本")
# 一X一Y is no formula after these (统一, 进一步, 唯一, 万一, 第一, 之一) or with
# these as X (一是, 一一, 一个, 一次).
_PAIRED_AFTER, _PAIRED_X = "统进唯万第之", "是一个次"

_QUOTES = {"“": "”", "「": "」", "『": "』", "‘": "’"}
_QUOTE_CHARS = "".join(_QUOTES) + "".join(_QUOTES.values()) + '"'
_QUOTED = re.compile("|".join(f"{o}[^{_QUOTE_CHARS}\\n]{{1,40}}{c}" for o, c in _QUOTES.items()))
# ASCII quotes pair up only on a line with an even number of them and no markup left in it.
_ASCII_QUOTED = re.compile(r'"[^"\n]{1,40}"')
_MARKUP = re.compile(r"[<>=]")
_SENTENCE = re.compile(r"[，。；：！？,;:!?\s]|[的了吗呢着及]")
_NUMBER_ONLY = re.compile(r"[0-9０-９一二三四五六七八九十百千万两零〇·.\-—、]+[个项大条张类批]?")
# A count of a list the report goes on to give (“五大战略” “六项机制” “八条主线”),
# whose meaning is the report's own: a label, not a name.
_ENUMERATION = re.compile("[二三四五六七八九十两]+[大项条件]")
_HAN_CHAR = re.compile(f"[{HAN}]")
_SEPARATORS = re.compile("[、·—]")
# Stepped over before the nouns after a quote: “招标投标”等栏目, “…”政务微信, “…”的态势.
_AFTER_FILLER = re.compile("^(?:等|的|政务|官方)+")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
_SERIAL = re.compile("[0-9一二三四五六七八九十]号$")  # “吉林一号” “新国发2号”
_PLACEHOLDER = re.compile("××|[Xx]{2}|某")  # “××区综合养老服务中心”
_PAIRED = re.compile(f"一([{HAN}])一(?=[{HAN}])")
_PLACE_KIND = re.compile("|".join(PLACE_KINDS))
_PLUS = re.compile("[+＋]")

Span = tuple[int, int, int, int]  # a quote: open, content start, content end, end


@dataclass(frozen=True)
class Phrase:
    """One occurrence of a candidate: its key (what counts as one measure),
    its spelling here, where it is, and the shape that found it."""

    key: str
    surface: str
    start: int
    end: int
    shape: str  # quoted | plus | paired | place


def phrases(text: str, known: Collection[str] | None = None) -> list[Phrase]:
    """Every candidate occurrence in ``text``, in text order; ``known`` are
    folded words that are no candidates (default: the dictionary's)."""
    known = dictionary_words() if known is None else known
    quotes = _quote_spans(text)
    found = [p for span in quotes if (p := _from_quote(text, span, known))]
    found += [p for p in _unquoted(text, quotes) if p.key not in known]
    return sorted(found, key=lambda p: (p.start, p.end))


# ---------------------------------------------------------------- quoted
def _quote_spans(text: str) -> list[Span]:
    spans = [(m.start(), m.start() + 1, m.end() - 1, m.end()) for m in _QUOTED.finditer(text)]
    if '"' in text:
        offset = 0
        for line in text.split("\n"):
            if line.count('"') % 2 == 0 and not _MARKUP.search(line):
                spans += [(offset + m.start(), offset + m.start() + 1, offset + m.end() - 1, offset + m.end())
                          for m in _ASCII_QUOTED.finditer(line)]
            offset += len(line) + 1
    return sorted(spans)


def _from_quote(text: str, span: Span, known: Collection[str]) -> Phrase | None:
    """The candidate a quote gives, or None."""
    start, inner, inner_end, end = span
    content = text[inner:inner_end].strip()
    if content.endswith(PLUS):  # “互联网+”政务服务
        tail = _plus_part(text, end, forward=True)
        return _phrase(start, end + len(tail), content + tail, "plus", known) if tail else None
    if _SENTENCE.search(content) or _names_something_else(text, span, content) or _beside_known(text, span, known):
        return None
    if _PLUS.search(content):
        return _phrase(start, end, content, "plus", known) if _plus_parts_ok(content) else None
    if _is_name(content):
        return _phrase(start, end, content, "quoted", known)
    kind = next((k for k in KINDS if text.startswith(k, end)), None)
    if kind is None:
        return None
    return _phrase(start, end + len(kind), content + kind, "quoted", known)


def _phrase(start: int, end: int, surface: str, shape: str, known: Collection[str]) -> Phrase | None:
    key = fold(surface)
    longest = MAX_SERIES_KEY if _SEPARATORS.search(surface) else MAX_KEY
    if not MIN_KEY <= len(key) <= longest or key in known or len(_HAN_CHAR.findall(key)) < 2:
        return None
    return Phrase(key, surface, start, end, shape)


def _names_something_else(text: str, span: Span, content: str) -> bool:
    """What is around and inside a quote says it names no measure."""
    start, _, _, end = span
    after = _AFTER_FILLER.sub("", text[end : end + 8])
    if after.startswith(NOT_MEASURES_AFTER) or text[max(0, start - 4) : start].endswith(NOT_MEASURES_BEFORE):
        return True
    if HONOURS.search(_CLAUSE_END.split(text[max(0, start - CLAUSE) : start])[-1]):
        return True
    if content.endswith(NOT_MEASURE_ENDINGS) or _YEAR.search(content) or _SERIAL.search(content):
        return True
    return bool(_PLACEHOLDER.search(content)) or _directive(content)


def _directive(content: str) -> bool:
    if len(content) < DIRECTIVE_LENGTH or _SEPARATORS.search(content):
        return False
    return _words(content)[0] in DIRECTIVE_VERBS


def _beside_known(text: str, span: Span, known: Collection[str]) -> bool:
    """Whether the quote and a few characters before or after it fold to a
    known word: “八五”普法 is 八五普法, 高效办成“一件事” is 高效办成一件事."""
    start, inner, inner_end, end = span
    key = fold(text[inner:inner_end])
    after, before = fold(text[end : end + BESIDE]), fold(text[max(0, start - BESIDE) : start])
    return (any(key + after[:n] in known for n in range(len(after) + 1))
            or any(before[-n:] + key in known for n in range(1, len(before) + 1)))


def _is_name(content: str) -> bool:
    """A quote that is a name by itself: not a bare number, count or list
    label, two Han characters or more, and no ordinary word."""
    key = fold(content)
    if _NUMBER_ONLY.fullmatch(key) or _ENUMERATION.match(key) or len(_HAN_CHAR.findall(key)) < 2:
        return False
    return not _common_word(key)


@functools.lru_cache(maxsize=1 << 14)
def _common_word(key: str) -> bool:
    """A word of jieba's dictionary (the measures among them are known already)."""
    return segmenter().has_word(key)


def _words(run: str) -> list[str]:
    """Han characters in words by the dictionaries alone: jieba's HMM would
    join unknown characters into guesses (一心一意|意干)."""
    return segmenter().cut(run, False)


# ---------------------------------------------------------------- X+Y
def _plus_parts_ok(content: str) -> bool:
    return all(len(part) >= 2 and all(_HAN_CHAR.fullmatch(c) for c in part) for part in _PLUS.split(content))


def _plus(text: str) -> list[Phrase]:
    """X+Y (+Z …) outside quotes, each part bounded by words."""
    out: list[Phrase] = []
    for m in _PLUS.finditer(text):
        if out and m.start() < out[-1].end:
            continue  # a later plus of a chain already read
        head = _plus_part(text, m.start(), forward=False)
        end, parts = m.start(), [head]
        signs = []
        while head and end < len(text) and text[end] in PLUS and (tail := _plus_part(text, end + 1, forward=True)):
            parts.append(tail)
            signs.append(text[end])
            end += 1 + len(tail)
        start = m.start() - len(head)
        if len(parts) > 1 and not _arithmetic(text, start, end):
            surface = parts[0] + "".join(sign + part for sign, part in zip(signs, parts[1:], strict=True))
            out.append(Phrase(fold(surface), surface, start, end, "plus"))
    return out


def _plus_part(text: str, at: int, *, forward: bool) -> str:
    """The whole words just after (or before) ``at`` that make a part: one
    word of up to six Han characters, or words up to four (医疗|健康, 微|治理;
    政务服务|平台 stops at 政务服务, 监管|和 at 监管)."""
    window = text[at : at + 2 * PLUS_WORD] if forward else text[max(0, at - 2 * PLUS_WORD) : at]
    run = re.match(f"[{HAN}]+", window) if forward else re.search(f"[{HAN}]+$", window)
    words = _words(run.group()) if run else []
    if not forward:
        words.reverse()
    part = ""
    while words and len(part) + len(words[0]) <= (PLUS_PART if part else PLUS_WORD) and (
            len(part) < 2 or len(words[0]) >= 2):  # no one-character word (和, 等) after a part
        word = words.pop(0)
        part = part + word if forward else word + part
    return part if len(part) >= 2 else ""


def _arithmetic(text: str, start: int, end: int) -> bool:
    """An equals sign on the plus's line, near it (医疗收支结余=医疗收入+…)."""
    line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    window = text[max(line_start, start - ARITHMETIC_WINDOW) : min(line_end, end + ARITHMETIC_WINDOW)]
    return "=" in window or "＝" in window


# ---------------------------------------------------------------- 一X一Y and places
def _unquoted(text: str, quotes: list[Span]) -> list[Phrase]:
    """The plus, paired and place shapes outside quotes (a quote is read whole)."""
    found = [*_plus(text), *_paired(text), *_place(text)]
    return [p for p in found if not any(s < p.end and p.start < e for s, _, _, e in quotes)]


def _paired(text: str) -> list[Phrase]:
    """一X一Y: one character for X; Y the word after the second 一, of one
    character, or of two at the end of a run of Han characters (a longer
    word would be cut: 一村一警务|助理)."""
    out = []
    for m in _PAIRED.finditer(text):
        x, at = m.group(1), m.end()
        if x in _PAIRED_X or (m.start() and text[m.start() - 1] in _PAIRED_AFTER):
            continue
        y = _words(re.match(f"[{HAN}]{{1,8}}", text[at : at + 8]).group())[0]
        if len(y) > 2 or y == x or (len(y) == 2 and _HAN_CHAR.match(text[at + 2 : at + 3])):
            continue
        if not _common_word(text[m.start() : at + 1]):  # 一心一意, 一点一滴
            surface = text[m.start() : at + len(y)]
            out.append(Phrase(fold(surface), surface, m.start(), at + len(y), "paired"))
    return out


def _place(text: str) -> list[Phrase]:
    """A division's name (county level or above) before 经验/模式/样板/样本,
    the longest name that ends there."""
    names, longest = place_names()
    out = []
    for m in _PLACE_KIND.finditer(text):
        for size in range(min(m.start(), longest), 1, -1):
            name = text[m.start() - size : m.start()]
            if name in names:
                surface = name + m.group()
                out.append(Phrase(fold(surface), surface, m.start() - size, m.end(), "place"))
                break
    return out


@functools.lru_cache(maxsize=1)
def place_names() -> tuple[frozenset[str], int]:
    """Names of provinces, cities and counties, full and short (two
    characters or more), and the longest one's length."""
    from govsearch.index.gazetteer import TOWN, read_rows

    names = frozenset(name for _, full, level, _, short, _ in read_rows() if level != TOWN
                      for name in (full, short) if len(name) >= 2)
    return names, max(map(len, names))
