"""What the opening of a text says about itself: title, kind, year, issuer.

Government pages put the title under breadcrumbs, column names and
发布时间/来源 lines; reposts, excerpts and converted attachments often have
no title at all.  The opening still says who reports on what, in the
formulae official documents use:

- ``现将…2022年…工作情况报告如下`` (a report on a year, and maybe who makes it);
- ``本报告根据《中华人民共和国政府信息公开条例》…编制`` with ``统计期限从2022年1月1日
  起至2022年12月31日止`` (a 政府信息公开工作年度报告 on 2022);
- ``——2023年1月10日在…人民代表大会…会议上`` and ``我代表…人民政府向大会报告工作``
  (a 政府工作报告, delivered in 2023, on 2022);
- ``2022年，XX街道在区委、区政府的坚强领导下，坚持…`` (the year, the issuer as the
  first sentence's subject, and the bodies it works under);
- ``我县``/``我厅``/``我局`` (how the issuer calls itself).

Each reader returns :class:`Clue` values - what was read, by which rule,
from which text and line - and :mod:`index.inference` weighs them in one
stated order.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from govsearch.index import metadata as md
from govsearch.index.issuer import UNIT_LEVEL
from govsearch.index.normalize import HAN

# The opening: where a title, a metadata block and the first sentences sit.
OPENING_LINES = 15
OPENING_CHARS = 1500
# A line this long that ends like a sentence is body text: no title below it.
BODY_LINE = 60


@dataclass(frozen=True)
class Clue:
    """One reading of the text: a value, the rule that found it, and where."""

    value: Any
    rule: str
    text: str
    line: int = 0  # 1-based line of the text it was read from (0: the title or metadata)

    def evidence(self) -> dict[str, Any]:
        return {"rule": self.rule, "text": self.text[:120], "line": self.line}


_YEAR = r"((?:19|20)\d{2})"
_CLAUSE_END = "，,。；;："

_ORG_WORDS = (r"(?:人民政府|政府|人民代表大会|委员会|办事处|办公室|办公厅|局|厅|委|办(?![法理好结件])|署|部(?!门)|总署"
              r"|中心|院|系统)")
_ORG_END = re.compile(_ORG_WORDS + "$")
_PLACE_WORDS = r"(?:自治区|自治州|自治县|自治旗|街道|省|市|州|盟|县|旗|区|镇|乡)"
_PLACE_END = re.compile(_PLACE_WORDS + "$")
_FIRST_ORG = re.compile(rf"^[{HAN}（）()]*?{_ORG_WORDS}")
_NEXT_ORG = re.compile(_ORG_WORDS + "(?!信息公开)")
_PLACE_PREFIX = re.compile(rf"^[{HAN}]*?{_PLACE_WORDS}")
_JOINT = re.compile(rf"[、和与及][{HAN}]{{0,10}}?(?:人民政府|政府)")
_SUB_UNIT = re.compile(rf"[{HAN}]{{1,10}}?(?:街道办事处|镇人民政府|乡人民政府)")


def body_name(words: str) -> str:
    """The name a subject or heading starts with (市司法局 in 市司法局奋力扛起…,
    阳山县人民政府办公室 in …（以下简称县政府办公室）), else the place it starts
    with (黔南州 in 黔南州各级各部门), else ""."""
    words = re.sub(r"[（(][^（）()]*[）)]", "", words).strip()
    m = _FIRST_ORG.match(words)
    if m:
        end = m.end()
        while (more := _NEXT_ORG.match(words, end)) is not None:  # 人民政府 + 办公室
            end = more.end()
        joint = _JOINT.match(words, end)  # 湖北省委、省政府: a joint report is the government's
        below = _SUB_UNIT.match(words, end)  # 西宁市城中区人民政府礼让街街道办事处: the street's office
        return words[:joint.end() if joint else below.end() if below else end]
    m = _PLACE_PREFIX.match(words)
    return m.group(0) if m else ""


# A list bullet before a line (• 2020年，…), as copied pages keep it.
_BULLET = re.compile(r"^[\s•·●◆■▪◇□*\-]+")


def lead(line: str) -> str:
    """A line without its surrounding space and any list bullet before it."""
    return _BULLET.sub("", line.strip()).strip()


def _is_body(line: str) -> bool:
    line = line.strip()
    return len(line) >= BODY_LINE or (len(line) >= 20 and line.endswith(("。", "；", "：")))


# ---------------------------------------------------------------- title

def find_title(lines: list[str]) -> tuple[int, str, int]:
    """(first line, title, lines it spans) of the document's title among
    the opening lines: the first title-like line (maybe wrapped) that names
    a document, above the first line of body text; breadcrumbs, column
    names, banners and 发布时间 lines above it are passed over.  Without one
    the top line stands, as a page's heading (start 0), or nothing."""
    for i, line in enumerate(lines[:OPENING_LINES]):
        head = _run_on_title(line)
        if head:
            return i, head, 1
        if _is_body(line):
            break
        title, spans = md.title_from_lines(lines[i:])
        if spans and md.names_document(title):
            return i, title, spans
    title, spans = md.title_from_lines(lines)
    return 0, title, spans


def _run_on_title(line: str) -> str:
    """A title run into the text after a space, as converted files write it:
    ``生态环境部2018年度政府信息公开工作报告 2018年，生态环境部…``."""
    head, _, rest = line.strip().partition(" ")
    return head if rest and len(rest) > len(head) and md.names_document(head) else ""


# ---------------------------------------------------------------- kind and year
_NOW_REPORT = re.compile(
    rf"现(?:将|对|就)(?P<who>[^{_CLAUSE_END}]{{0,30}}?)(?:{_YEAR}\s*年度?|本年度|今年|有关|相关)"
    rf"[^{_CLAUSE_END}]{{0,40}}?(?:报告|汇报|总结)如下"
    rf"|(?:现|特|兹)(?:向社会)?(?:予以|予)?公布(?P<who2>[^{_CLAUSE_END}]{{0,40}}?){_YEAR}\s*年度?"
    rf"[^{_CLAUSE_END}]{{0,30}}?年度报告"
    rf"|根据{_YEAR}\s*年度?(?P<who3>[^{_CLAUSE_END}]{{2,30}}?)(?:政府)?信息公开工作(?:实际|情况)编制"
    rf"|(?:全面)?总结(?P<who4>[^{_CLAUSE_END}]{{2,40}}?){_YEAR}\s*年度?(?:政府)?信息公开工作"
    rf"|由(?P<who5>[^{_CLAUSE_END}]{{2,30}}?)编制的{_YEAR}\s*年度?[^{_CLAUSE_END}]{{0,30}}?报告")
_GOV_INFO = re.compile(r"《中华人民共和国政府信息公开条例》")
_GOV_INFO_REPORT = re.compile(r"(?:本|此|该)(?:年度)?(?:报告|年报)|年度报告|公开工作报告")
_PERIOD = re.compile(
    rf"(?:统计期限|统计时限|统计期间|统计时间|统计区间|数据统计)[^。]{{0,12}}?{_YEAR}\s*年\s*0?1\s*月\s*0?1\s*日"
    rf"[^。]{{0,8}}?(?:至|到|—|－|-|~)[^。]{{0,4}}?(?:{_YEAR}\s*年\s*)?12\s*月\s*31\s*日")
_DELIVERED = re.compile(
    rf"{_YEAR}\s*年\s*(\d{{1,2}})\s*月\s*\d{{1,2}}\s*日\s*[)）]?\s*在[^。]{{0,40}}?(?:人民代表大会|人代会)"
    rf"|在[^。]{{0,40}}?人民代表大会[^。]{{0,20}}?会议上[^。（(]{{0,20}}[（(]\s*{_YEAR}\s*年\s*(\d{{1,2}})\s*月")
# Delivered from this month on, a 政府工作报告 reviews the year it is given in
# (a new congress's first session in November, with 预计 figures).
LATE_DELIVERY_MONTH = 9
# The address to the congress: 我代表XX人民政府向大会报告工作, 受省人大常委会委托，我向大会报告工作.
_ADDRESS = re.compile(rf"我代表(?P<who>[{HAN}]{{2,20}}?)[，,]?\s*向(?:大会|各位代表)[^，。]{{0,4}}?(?:作|报告)"
                      rf"|受(?P<who2>[{HAN}]{{2,20}}?)(?:的)?委托[，,]\s*我?向(?:大会|各位代表)[^，。]{{0,4}}?(?:作|报告)")
# How far after 过去一年 the year it names may stand.
REVIEW_YEAR_REACH = 120
_REVIEW = re.compile(rf"{_YEAR}\s*年(?:工作)?回顾|^[一二三四五六七八九十、.\s]*{_YEAR}\s*年的?主要工作$"
                     r"|过去的一年|过去一年", re.MULTILINE)
_OPENING_YEAR = re.compile(rf"^(?:[^，,。]{{0,16}}?[，,])?{_YEAR}\s*年(?:度|以来|来)?\s*[，,]")


def _line_of(lines: list[str], pos: int) -> int:
    """1-based line of character ``pos`` in ``"\\n".join(lines)``."""
    seen = 0
    for i, line in enumerate(lines, 1):
        seen += len(line) + 1
        if pos < seen:
            return i
    return len(lines)


def _opening(lines: list[str]) -> str:
    return "\n".join(lines)[:OPENING_CHARS]


def _find(pattern: re.Pattern[str], title: str, lines: list[str]) -> tuple[re.Match[str] | None, int]:
    """The first match in the title (line 0), else in the opening (its line):
    a 政府工作报告's session line may have been taken for its title."""
    m = pattern.search(title)
    if m:
        return m, 0
    m = pattern.search(_opening(lines))
    return (m, _line_of(lines, m.start())) if m else (None, 0)


def now_report(lines: list[str]) -> tuple[Clue, str] | None:
    """``现将…N年…报告如下`` (or 本年度/有关情况; or 现公布…N年…年度报告):
    (clue, who the sentence names or ""); the clue's value is the year, or
    None when the sentence names none."""
    text = _opening(lines)
    m = _NOW_REPORT.search(text)
    if not m:
        return None
    year = next((g for g in m.groups() if g and g.isdigit()), None)
    who = body_name(next((m.group(g) for g in ("who", "who2", "who3", "who4", "who5") if m.group(g)), ""))
    who = who if _is_name(who) else ""
    return Clue(int(year) if year else None, "现将…报告如下", m.group(0), _line_of(lines, m.start())), who


# Words that open a scope or a self-reference (全县, 各镇, 我局, 本单位), never a name.
_NOT_A_NAME = ("全", "各", "我", "本")


def _is_name(words: str) -> bool:
    """An organisation's or a place's own name (螺洋街道, 县司法局), not a
    scope word (全县, 各镇, 我局, 本单位)."""
    return bool(_ORG_END.search(words) or _PLACE_END.search(words)) and not words.startswith(_NOT_A_NAME)


def gov_info_report(lines: list[str]) -> Clue | None:
    """The 政府信息公开工作年度报告 formula: the 条例 cited as what the report follows."""
    text = _opening(lines)
    for m in _GOV_INFO.finditer(text):
        around = text[max(0, m.start() - 40): m.end() + 80]
        if _GOV_INFO_REPORT.search(around):
            return Clue(True, "本报告根据《政府信息公开条例》编制", around.strip(), _line_of(lines, m.start()))
    return None


def statistical_period(text: str, lines: list[str]) -> Clue | None:
    """``统计期限从N年1月1日起至N年12月31日止``: the year the figures cover."""
    m = _PERIOD.search(text[:20000])
    if not m or (m.group(2) and m.group(2) != m.group(1)):
        return None
    return Clue(int(m.group(1)), "统计期限 N年1月1日至12月31日", m.group(0), _line_of(lines, m.start()))


def work_report(title: str, lines: list[str]) -> Clue | None:
    """A 政府工作报告: its title, or the address to the people's congress."""
    if "政府工作报告" in title:
        return Clue(True, "标题：政府工作报告", title)
    m, line = _find(_ADDRESS, title, lines)
    if m is None:
        m, line = _find(_DELIVERED, title, lines)
    if m:
        return Clue(True, "向人民代表大会报告工作", m.group(0), line)
    return None


def work_report_year(title: str, lines: list[str]) -> Clue | None:
    """The year a 政府工作报告 reports on: the year its review section names,
    else from its delivery date (given in January-August of N+1 on N;
    from September on the year itself), else its title's year (the
    delivery year by the form's convention) less one."""
    text = "\n".join(lines)[:6000]
    m = _REVIEW.search(text)
    if m and (named := next((g for g in m.groups() if g), None)):
        return Clue(int(named), "工作报告：N年工作回顾（N年的主要工作）", m.group(0), _line_of(lines, m.start()))
    named = re.search(_YEAR + r"\s*年", text[m.end():m.end() + REVIEW_YEAR_REACH]) if m else None
    if named:  # 过去一年的主要工作 / 2025年是“十四五”规划收官之年
        return Clue(int(named.group(1)), "工作报告：回顾“过去一年”，紧接着的年份", text[m.start():m.end() + 40],
                    _line_of(lines, m.start()))
    m, line = _find(_DELIVERED, title, lines)
    if m:
        year, month = (int(m.group(1)), int(m.group(2))) if m.group(1) else (int(m.group(3)), int(m.group(4)))
        late = month >= LATE_DELIVERY_MONTH
        rule = (f"政府工作报告：年末（{month}月）所作，报告当年" if late
                else f"政府工作报告：作于N年{month}月，报告N-1年")
        return Clue(year if late else year - 1, rule, m.group(0), line)
    year = md.report_year_from(title)
    if year is not None:
        return Clue(year - 1, "政府工作报告：标题年份为作报告之年，报告N-1年", title)
    return None


# A news lead: a day, then who did what (环保部28日公布…, 6月25日，宁津县组织召开…).
_NEWS_LEAD = re.compile(r"^[^。]{0,30}?(?:(?:\d{1,2}\s*月\s*)?\d{1,2}\s*日|近日|日前)[，,]?[^。]{0,40}?"
                        r"(?:召开|举行|举办|公布|发布|印发|开幕|闭幕|审议|通过|出席|主持)")


def news_lead(lines: list[str]) -> Clue | None:
    """The first line reads as a news lead: the text reports on something."""
    first = next((lead(line) for line in lines[:2] if lead(line)), "")
    m = _NEWS_LEAD.match(first)
    return Clue("other", "新闻导语：某日，某机关召开/公布…", m.group(0), 1) if m else None


# A rule or plan says what it enacts: 根据《…条例》，结合我省实际，制定本制度。
_ENACTS = re.compile(r"制定本(?:制度|办法|规定|细则|规则|方案|实施方案|意见|实施意见|计划|规划|指南)[。，,；;]")


def enacts(lines: list[str]) -> Clue | None:
    """The opening names the text a rule, plan or guide it enacts (制定本办法):
    not a report, whatever reports it talks of."""
    text = _opening(lines)
    m = _ENACTS.search(text)
    return Clue("other", "制定本办法/方案：规章制度或方案", m.group(0), _line_of(lines, m.start())) if m else None


def opening_year(lines: list[str]) -> Clue | None:
    """``2022年，…``: the year the first sentences open with."""
    for i, line in enumerate(lines[:6], 1):
        m = _OPENING_YEAR.match(lead(line))
        if m:
            return Clue(int(m.group(1)), "首句年份：N年，…", lead(line)[:60], i)
    return None


# ---------------------------------------------------------------- issuer
# ``2022年，（在…领导下，）XX街道坚持…``: the subject stands before its verb.
_SUBJECT = re.compile(
    rf"^(?:[^。]{{0,160}}?[，,])?(?:{_YEAR}\s*年(?:度|以来|来|\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?)?"
    rf"|(?:\d{{1,2}}\s*月)?\d{{1,2}}\s*日(?:上午|下午|晚上|晚)?(?:\d{{1,2}}\s*[时点])?|近日|日前|近年来|近年)\s*[，,]\s*"
    rf"(?:在[^。]{{2,80}}?(?:领导|指导|关心|支持|监督)下\s*[，,]\s*)?"
    rf"(?:在[^。，,]{{2,40}}?(?:领导|指导|监督|支持)下\s*[，,]\s*)?"
    rf"(?P<who>[{HAN}（）()、]{{2,30}}?)\s*"
    r"(?=坚持|深入|全面|认真|紧紧|始终|持续|扎实|积极|牢固|紧扣|坚定|聚焦|严格|不断|切实|大力|着力|围绕|按照|以|在|立足|把|高举|锚定"
    r"|召开|组织|举行|举办|印发|发布|公布|隆重|胜利|圆满|开幕|闭幕)")
# The bodies named as the issuer's leaders: 在区委、区政府的坚强领导下.
_LEADERS = re.compile(r"在[^。]{0,20}?(?P<unit>[省市州盟县区旗])委[^。]{0,12}?(?P=unit)(?:人民)?政府"
                      r"[^。]{0,16}?领导下")
# How a report calls its issuer: 我县, 我厅 …
_SELF = re.compile(r"我(自治区|省|市|州|盟|县|区|旗|镇|乡|街道|厅|局|委|办|署|部)")


_WORK_TITLE_ISSUER = re.compile(f"(?:19|20)?\\d{{0,2}}年?(?P<who>[{HAN}]{{2,20}}?)(?:人民)?政府工作报告")
_GOVERNMENT_NAME = re.compile(r"(?:人民)?政府$")
_CONGRESS = re.compile(f"(?:^|[在，,。\\s])(?P<place>[{HAN}]{{2,16}}?)第[{HAN}\\d]{{1,6}}届人民代表大会"
                       f"|在第[{HAN}\\d]{{1,6}}届(?P<national>全国)人民代表大会")


def work_report_issuer(title: str, lines: list[str]) -> Clue | None:
    """Whose 政府工作报告: the government its title names (陇县人民政府工作报告),
    or the place of the congress it was delivered to (在桂阳县第十七届人民代表大会);
    the 全国人民代表大会 hears the State Council's."""
    m = _WORK_TITLE_ISSUER.search(title)
    if m and m.group("who") not in ("省市级", "各级") and _PLACE_END.search(m.group("who")):
        return Clue(m.group("who") + "人民政府", "政府工作报告的标题", title)
    m, line = _find(_ADDRESS, title, lines)
    who = body_name(m.group("who") or m.group("who2")) if m else ""
    congress, congress_line = _find(_CONGRESS, title, lines)
    place = congress.group("place") if congress and congress.group("place") else ""
    if who and place and who[0] in "省市州盟县区旗" and who[0] == place[-1]:  # 市人大常委会 of 义乌市
        who = place + who[1:]
    if who and not _GOVERNMENT_NAME.search(who):  # 受省人大常委会委托，我向大会报告工作
        return Clue(who, "向大会报告工作的机关", m.group(0), line)
    if congress:  # a government's address names it without its place (县人民政府); the congress has it
        who = "国务院" if congress.group("national") else place + "人民政府"
        return Clue(who, "向XX人民代表大会所作的报告", congress.group(0), congress_line)
    return None


# A news sentence's subject after its purpose clause: 为…，颍泉区…办公室近日印发《…》.
_NEWS_SUBJECT = re.compile(rf"[，,](?P<who>[{HAN}（）()、]{{2,30}}?)(?:近日|日前|于\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)"
                           r"(?:召开|举行|举办|印发|发布|公布|出台|组织)")


# What may follow a place that is itself the subject: its scope (各级, 全市, 上下) or
# its head, who acts for its government (海南省省长…主持召开).
_PLACE_ITSELF = ("各", "全", "上下", "省长", "市长", "县长", "区长", "州长", "旗长", "盟长", "镇长", "乡长", "主席")


_NOT_A_SUBJECT = ("得益于", "根据", "按照", "依据", "依照", "随着", "通过", "经过", "由于", "为了", "围绕", "在")


def _subject_name(words: str) -> str:
    """The organ a subject names; a place alone only when the subject is that
    place (黔南州各级各部门), not an organ in it we cannot name (浙江省淡水水产研究所)."""
    if words.startswith(_NOT_A_SUBJECT):  # 得益于县委、县政府的领导: a clause, not who acts
        return ""
    name = body_name(words)
    rest = words[len(name):]
    return name if _ORG_END.search(name) or not rest or rest.startswith(_PLACE_ITSELF) else ""


def opening_subject(lines: list[str]) -> Clue | None:
    """The body the first sentence is about: ``2022年，东城区政府坚持…``, or
    the subject of a news sentence (``为…，XX办公室近日印发…``)."""
    for i, line in enumerate(lines[:6], 1):
        m = _SUBJECT.match(lead(line))
        who = _subject_name(m.group("who")) if m else ""
        if who and not who.startswith(_NOT_A_NAME):  # 我局: a self-reference
            return Clue(who, "首句主语：N年，XX坚持…", lead(line)[:60], i)
    for i, line in enumerate(lines[:2], 1):
        m = _NEWS_SUBJECT.search(lead(line)[:200])
        who = body_name(m.group("who")) if m else ""
        if who and not who.startswith(_NOT_A_NAME):
            return Clue(who, "新闻主语：XX近日印发/召开…", m.group(0)[1:], i)
    return None


# A headline's subject: 县政府召开常务会议, 拉萨市第十一届人民代表大会…, 贵州省发布…
_HEADLINE = re.compile(rf"^(?P<who>[{HAN}]{{1,16}}?(?:{_ORG_WORDS}|{_PLACE_WORDS}))"
                       r"(?=召开|举行|举办|发布|公布|印发|开展|部署|出台|获评|启动|第|\d{1,2}日|工作报告)")


# A headline about a document, not the document: 贵州省发布2016年政府信息公开工作年度报告.
_NEWS_HEADLINE = re.compile(rf"^[{HAN}]{{1,16}}?(?:{_ORG_WORDS}|{_PLACE_WORDS})"
                            r"(?:召开|举行|举办|发布|公布|印发|部署|出台|获评|启动|审议|通过)")


_COLUMN_TAG = re.compile(r"^\s*[【\[][^】\]]{1,12}[】\]]\s*")  # 【工作推进】, a column's tag


def is_headline(title: str) -> bool:
    """A title that reports what a body did with a document (XX省发布…年度报告):
    news about the report, whose own title it is not."""
    head = _COLUMN_TAG.sub("", title.strip())
    m = _NEWS_HEADLINE.match(head)
    return bool(m) and "关于" not in head[:m.end()]


# A resolution's adoption note: （2022年2月14日永丰县第十七届人民代表大会第二次会议…通过）.
_ADOPTED = re.compile(rf"[（(]\s*{_YEAR}\s*年[^）)]{{0,12}}?日\s*(?P<place>[{HAN}]{{2,16}}?)第[{HAN}\d]{{1,6}}届"
                      rf"(?P<body>人民代表大会(?:常务委员会)?)[^）)]{{0,30}}?通过\s*[）)]")


# Who reported to the congress, as news tells it: 区长连天浪代表章贡区人民政府向大会报告工作,
# 县人民法院院长…所作的《永丰县人民法院工作报告》.
_REPORTED = re.compile(
    rf"代表(?P<who>[{HAN}]{{2,20}}?(?:人民政府|政府|人民法院|人民检察院|常务委员会))[，,]?\s*向(?:大会|各位代表)"
    rf"|所作的[《“]?(?P<who2>[{HAN}]{{2,20}}?(?:人民政府|人民法院|人民检察院|常务委员会))工作报告")


def reported_by(title: str, lines: list[str]) -> Clue | None:
    """The body whose work report a text is about (the government, court,
    procuratorate or standing committee that reported to the congress)."""
    m, line = _find(_REPORTED, title, lines)
    return Clue(m.group("who") or m.group("who2"), "向大会报告工作的机关", m.group(0), line) if m else None


def adopted_by(title: str, lines: list[str]) -> Clue | None:
    """The congress (or its standing committee) a resolution says adopted it."""
    m, line = _find(_ADOPTED, title, lines[:3])
    return Clue(m.group("place") + m.group("body"), "XX人民代表大会…会议通过", m.group(0), line) if m else None


def headline_subject(title: str) -> Clue | None:
    """The body a headline (a title that names no document) opens with."""
    m = _HEADLINE.match(_COLUMN_TAG.sub("", title.strip()))
    return Clue(m.group("who"), "标题开头的机关或地方", title) if m else None


def heading_issuer(above: list[str]) -> Clue | None:
    """An organisation's name alone on a line above the title (赵县人民政府)."""
    for i, line in enumerate(above, 1):
        name = line.strip()
        if is_org_name(name):
            return Clue(name, "标题上方的机关名称", name, i)
    return None




_RULE_END = re.compile(rf"(?:{'|'.join(md.RULE_KINDS)})(?:[（(](?:试行|暂行|草案|修订|征求意见稿)[）)])?$")
_COMPILATION_NO = re.compile(r"^第\s*[\d一二三四五六七八九十]+\s*篇\s*")
_WEBSITE = re.compile(r"(?:网站|网|门户|平台|客户端|公众号|微博)$")


def is_website(words: str) -> bool:
    """A site, not an organ (发布机构：县政府网站)."""
    return bool(_WEBSITE.search(words.strip()))


def title_body(title: str) -> Clue | None:
    """The organ a rule's or notice's title opens with, no 关于 or year
    after it (镇巴县人民政府工作规则), or an organ's 工作报告 (最高人民检察院工作报告);
    a compilation's numbering (第1篇) aside."""
    title = _COMPILATION_NO.sub("", title.strip())
    name = body_name(title)
    rest = title[len(name):]
    if name and "关于" not in name and is_org_name(name) and (rest == "工作报告" or _RULE_END.search(rest)):
        return Clue(name, "标题开头的机关名称", title)
    return None


def is_org_name(words: str) -> bool:
    """Words that are only an organisation's name (县统计局, 衡阳市国资委)."""
    words = words.strip()
    return 2 < len(words) <= 30 and bool(re.fullmatch(f"[{HAN}（）()]+", words)) and bool(_ORG_END.search(words))


# A notice a government's general office issues with its consent:
# 《…方案》已经省人民政府同意，现印发给你们 (国务院 → 国务院办公厅; 省 → 办公厅; below → 办公室).
_CONSENT = re.compile(rf"经(?P<who>[{HAN}]{{0,12}}?(?:人民政府|政府)|国务院)同意\s*[，,]\s*现?(?:予以)?印发")


def consent_issuer(lines: list[str]) -> Clue | None:
    """The general office that issues a notice 经X同意 (by X's consent)."""
    m = _CONSENT.search("\n".join(lines[:4])[:OPENING_CHARS])
    if not m:
        return None
    who = m.group("who")
    office = "办公厅" if who == "国务院" or who.startswith(("省", "自治区")) or "省" in who else "办公室"
    return Clue(who + office, "经X同意，现印发：X的办公厅（室）", m.group(0), _line_of(lines, m.start()))


def byline_issuer(lines: list[str]) -> Clue | None:
    """An organisation's name alone on a line just below the title, before
    the body (衡阳市国资委; 寿县统计局   国家统计局寿县调查队: the first of joint issuers)."""
    for i, line in enumerate(lines[:4], 1):
        if _is_body(line):
            return None
        first = lead(line).split()[0] if lead(line) else ""
        if is_org_name(first) and not md.names_document(first):
            return Clue(first, "标题下方的机关名称", lead(line), i)
    return None


# The full names a self-reference may stand for: 南昌市商务局 for 我局.
_SELF_UNIT_NAME = {unit: re.compile(rf"([{HAN}]{{2,8}}?(?:自治区|自治州|省|市|州|盟|县|旗|区))([{HAN}]{{1,10}}?){unit}")
                   for unit in ("局", "委", "办", "厅", "署")}


def self_name(text: str, unit: str, known: Any) -> Clue | None:
    """The placed name a report's 我局/我委 stands for: the name ending in that
    unit the text gives most often (南昌市商务局门户网站 → 南昌市商务局), its
    place trimmed to what ``known`` (a place lookup) recognises."""
    pattern = _SELF_UNIT_NAME.get(unit)
    if pattern is None:
        return None
    counts: Counter[str] = Counter()
    for m in pattern.finditer(text[:20000]):
        place = m.group(1)
        start = next((i for i in range(len(place) - 1) if known(place[i:])), None)
        if start is not None:
            counts[place[start:] + m.group(2) + unit] += 1
    if not counts:
        return None
    name, n = counts.most_common(1)[0]
    return Clue(name, f"自称“我{unit}”所指的全称（{n} 次）", name)


# The scope a text works in (全市建成…), when not a comparison (在全省率先, 居全市第一)
# or a plan's own formula (结合自治区实际).
_SCOPE = re.compile(r"(?<![在居列位于为获占])全(省|市|县|区|旗|镇|乡)(?!第|前|率先|首|排名|唯一|之|各)")
_OWN_SITUATION = re.compile(r"结合(?:我|本)?(自治区|省|市|州|盟|县|区|旗|镇|乡|街道)(?:的)?实际")


def scope(text: str, autonomous_region: bool) -> Clue | None:
    """The level of the area a text works in: 结合X实际, else the 全X it
    names most (one clear winner).  In an autonomous region 全区 is the
    region itself, so there it tells nothing."""
    m = _OWN_SITUATION.search(text[:20000])
    if m:
        return Clue(UNIT_LEVEL[m.group(1)], "结合X实际", m.group(0), 0)
    counts = Counter(u for u in _SCOPE.findall(text[:20000]) if not (u == "区" and autonomous_region))
    ranked = [*counts.most_common(2), ("", 0)]
    if not ranked[0][1] or ranked[0][1] == ranked[1][1]:
        return None
    unit, n = ranked[0]
    return Clue(UNIT_LEVEL[unit], f"工作范围“全{unit}”（{n} 次）", f"全{unit}", 0)


def self_reference(text: str) -> Clue | None:
    """The unit a report most often calls 我X, with the count."""
    counts = Counter(_SELF.findall(text[:20000]))
    if not counts:
        return None
    unit, n = counts.most_common(1)[0]
    return Clue(unit, f"自称“我{unit}”（{n} 次）", f"我{unit}")


def leaders(lines: list[str]) -> Clue | None:
    """The unit whose party committee and government the issuer works under."""
    text = _opening(lines)
    m = _LEADERS.search(text)
    if not m:
        return None
    return Clue(m.group("unit"), "在X委、X政府领导下", m.group(0), _line_of(lines, m.start()))
