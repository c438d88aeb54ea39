"""Who issued a report, at what level, and where.

The issuer is read from the title (周村区人民政府2024年度…), the metadata
block (发布机构), the signature above the closing date, or - for untitled
reports - the government the text keeps naming.  The gazetteer turns it into
level, province, city and county; suffix rules (县/区/旗 → 县级, 镇/乡/街道 →
乡镇级) remain the fallback when a name is not in the gazetteer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from govsearch.index.dates import written_date
from govsearch.index.normalize import HAN
from govsearch.index.report import LEVELS

# The issuer a title opens with, before 关于 or its year (shared with index.metadata).
ISSUER_PREFIX = re.compile(f"^([{HAN}（）()]{{2,40}}?)(?:关于|(?:19|20)\\d{{2}}\\s*年)")
_GOV_MENTION = re.compile(f"([{HAN}]{{2,8}}?(?:县|旗|区|市|镇|乡|街道|苏木))(?:人民)?政府")
# Organisation names end like this; a signature line is one of them.
_ORG_END = re.compile(
    r"(人民政府|政府|委员会|工委|党委|党组|管委会|办事处|办公室|办公厅|局|厅|委|办|署|中心|院|站|所|队)$")

# issuer_kind: a government, one of its departments, a party committee - or
# another body (legislature, court, procuratorate, CPPCC).
# 议事协调机构 (领导小组 and their offices) are neither a government nor a department.
_OTHER_BODY = re.compile(r"人民代表大会|人大|政协|政治协商|法院|检察院|领导小组")
_GOVERNMENT = re.compile(r"(人民政府|政府|管理委员会|管委会|办事处|行政公署|^国务院)$")
_GOVERNMENT_ANYWHERE = re.compile(r"人民政府|管理委员会|管委会")
_PARTY = re.compile(r"^(中共|中国共产党)|(党委|党工委|工委|党组|[省市州盟县区旗镇乡]委)$")
_DEPARTMENT = re.compile(r"(局|厅|委|办|办公室|办公厅|署|中心|院|站|所|队|支队|大队|司|部|处|委员会|小组|系统)$")
# Central bodies: the State Council and its ministries, commissions and
# administrations, the NPC, the central Party organs.
_NATIONAL = re.compile(
    r"^(国务院|中共中央|中央[^\s]{0,12}(委员会|办公厅|部)|全国人民代表大会|全国人大|全国政协|最高人民(法院|检察院)"
    r"|中华人民共和国|国家[^\s省市县区]{1,14}(局|委员会|署|院|部))")


# A repost's note before a title: （湖南省）2016年桂阳县人民政府工作报告.
_TITLE_NOTE = re.compile(r"^[（(][^（）()]{1,10}[）)]\s*")


# What a title names after its issuer: the subject of the report.
_TOPIC = re.compile(r"(?:政府信息公开|政务公开|法治政府建设|法治建设|依法行政|依法治[省市县区]|年度|工作).*$")
# The issuer between the year and the topic: 2020年上海市生态环境局政府信息公开工作年度报告.
_YEAR_THEN_ISSUER = re.compile(f"^(?:19|20)\\d{{2}}\\s*年度?([{HAN}（）()]{{2,30}}?)(?=政府信息公开|政务公开|法治政府|"
                               "依法行政|法治建设)")


def issuer_from_title(title: str) -> str:
    """The issuing body a title names before 关于/20XX年 (周村区人民政府…),
    or between the year and the topic (2020年上海市生态环境局政府信息公开…);
    a topic run into the name (湖南省司法厅政府信息公开工作2023年度报告) is cut off."""
    title = _TITLE_NOTE.sub("", title)
    m = ISSUER_PREFIX.match(title)
    if m:
        name = m.group(1)
        cut = _TOPIC.sub("", name)
        return cut if cut != name and (_ORG_END.search(cut) or _GOVERNMENT.search(cut)) else name
    m = _YEAR_THEN_ISSUER.match(title)
    return m.group(1) if m and _ORG_END.search(m.group(1)) else ""


_MINISTRY = re.compile(f"^[{HAN}]{{2,8}}(?:部|总署)$")
_PLACE_START = re.compile(r"^(?:省|自治区|市|州|盟|县|区|旗|镇|乡|街道|中共|党)")


def national_body(name: str) -> bool:
    """A central organ: the State Council and its ministries (司法部, 生态环境部),
    commissions and administrations (国家XX局), the central Party organs -
    a ministry's name carries no place."""
    name = name.strip()
    if _NATIONAL.match(name):
        return True
    return bool(_MINISTRY.match(name)) and not _PLACE_START.match(name) and not _gazetteer().find_places(name)


def issuer_from_signature(lines: list[str]) -> str:
    """The body that signs off above the closing date (中共某某镇委员会)."""
    tail = [line.strip() for line in lines[-4:]]
    for i in range(len(tail) - 1, 0, -1):
        if written_date(tail[i]):
            candidate = tail[i - 1]
            if len(candidate) <= 30 and _ORG_END.search(candidate):
                return candidate
            return ""
    return ""


def issuer_from_text(text: str) -> str:
    """The government a report most often names as itself (XX县政府)."""
    counts = Counter(name for m in _GOV_MENTION.findall(text[:8000]) if (name := _known_place(m)))
    return counts.most_common(1)[0][0] if counts else ""


def known_place(name: str) -> bool:
    """Whether the gazetteer lists ``name`` as a division."""
    return bool(_gazetteer().lookup(name))


def _known_place(mention: str) -> str:
    """The place a mention of XX政府 names, without the words that ran into it
    from the left (由两城镇, 我代表县, 报告组织工作由各市): its longest ending
    the gazetteer knows, else the bare unit (县政府 → 县政府), else ""."""
    for i in range(len(mention) - 1):
        if _gazetteer().lookup(mention[i:]):
            return mention[i:]
    bare = re.search(r"(?<![各全本我])(县|旗|区|市|镇|乡|街道)$", mention)
    return bare.group(1) + "政府" if bare and len(mention) > len(bare.group(1)) else ""


def issuer_kind(issuer: str) -> str:
    """政府 | 部门 | 党委 | 其他, from the form of the issuer's name.

    A joint party-and-government report (中共某区工委某区管理委员会) is the
    government's; a 司法局 of a county is a department.
    """
    name = issuer.strip()
    if not name:
        return ""
    if _OTHER_BODY.search(name):
        return "其他"
    if _GOVERNMENT.search(name):
        return "政府"
    if _PARTY.search(name):
        return "党委"
    if _DEPARTMENT.search(name):  # 县人民政府办公室, 州人民政府新闻办公室: an office of the government
        return "部门"
    if _GOVERNMENT_ANYWHERE.search(name):
        return "政府"
    if re.search(r"(县|旗|区|市|镇|乡|街道|苏木|省|自治区|州|盟)$", name):
        return "政府"  # a place name, or the bare word (街道), stands for its government
    return "其他"


# ---------------------------------------------------------------- level by suffix
# The level a place's unit word gives (县 → 县级): read from a name's end here, from a bare
# name's start, a self-reference (我县), the leaders named (区委、区政府) or the area worked in.
UNIT_LEVEL = {"自治区": "省级", "省": "省级", "市": "市级", "州": "市级", "盟": "市级", "县": "县级", "区": "县级",
              "旗": "县级", "街道": "乡镇级", "镇": "乡镇级", "乡": "乡镇级", "苏木": "乡镇级"}
# The order a name's end is tried in (the lowest units first).
_LEVEL_SUFFIXES = [(unit, UNIT_LEVEL[unit])
                   for unit in ("街道", "镇", "乡", "苏木", "县", "旗", "区", "市", "州", "盟", "自治区", "省")]
_PLACE_RE = re.compile(
    f"([{HAN}]{{1,8}}?(?:自治区|自治州|自治县|自治旗|街道|苏木|省|市|州|盟|县|旗|区|镇|乡))"
)
# A level's depth: 国家级 0 … 乡镇级 4.
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}


def level_from_suffix(issuer: str) -> str:
    """Level of the lowest unit an issuer names: 沂源县中庄镇 → 乡镇级."""
    best = ""
    for place in _PLACE_RE.findall(issuer):
        for suffix, level in _LEVEL_SUFFIXES:
            if place.endswith(suffix):
                if LEVEL_RANK[level] > LEVEL_RANK.get(best, 0):
                    best = level
                break
    return best


# ---------------------------------------------------------------- resolution
@dataclass
class Region:
    issuer: str = ""
    issuer_kind: str = ""
    level: str = ""
    province: str = ""
    city: str = ""
    county: str = ""
    adcode: str = ""


def _gazetteer():
    from govsearch.index.gazetteer import load

    return load()


def resolve(candidates: list[str], context: str) -> Region:
    """The first issuer candidate the gazetteer resolves, with its region.

    ``candidates`` come in order of trust (title, metadata, signature, text).
    With no resolvable candidate the first one still gives kind and a
    suffix-rule level.
    """
    gazetteer = _gazetteer()
    names = [c for c in dict.fromkeys(candidates) if c]
    for name in names:
        if _NATIONAL.match(name):
            return Region(issuer=name, issuer_kind=issuer_kind(name), level="国家级")
        place = gazetteer.resolve_issuer(name, context)
        if place is not None:
            # 宜春市 (title) and 宜春市统计局 (发布机构): the longer name says who.
            body = name if _ORG_END.search(name) else max((c for c in names if c.startswith(name)), key=len)
            return Region(issuer=body, issuer_kind=issuer_kind(body), level=place.level,
                          province=place.province, city=place.city, county=place.county,
                          adcode=place.code)
    if names:
        return Region(issuer=names[0], issuer_kind=issuer_kind(names[0]),
                      level=level_from_suffix(names[0]))
    return Region()


def find_places(text: str) -> list:
    """The divisions a text names (index.gazetteer.Gazetteer.find_places)."""
    return _gazetteer().find_places(text)


# A 索引号 that starts with a division code (620702/2025-…, a town's 620702081/…), or with a
# body's unified social credit code, whose characters 3-8 are its division's (11500230008689762A).
_CODE_IN_INDEX = re.compile(r"^(?:1[1-9](\d{6})[0-9A-Z]{10}|(\d{6})(?:\d{3})?)(?![0-9A-Z])")


def province_from_index_number(index_number: str) -> str:
    """The province a 索引号's division code names, or ""."""
    m = _CODE_IN_INDEX.match((index_number or "").strip())
    if not m:
        return ""
    code = m.group(1) or m.group(2)
    for key in (code, code[:4], code[:2]):  # a county, a city (4401), a province (44)
        if (place := _gazetteer().get(key)) is not None:
            return place.province
    return ""


def province_from_text(text: str) -> str:
    """The province a text is about: the one its place names point to most."""
    counts: Counter[str] = Counter()
    for place in _gazetteer().find_places(text):
        counts[place.province] += 1
    if not counts:
        return ""
    ranked = [*counts.most_common(2), ("", 0)]
    return ranked[0][0] if ranked[0][1] > ranked[1][1] else ""
