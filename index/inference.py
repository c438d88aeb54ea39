"""The precedence of every clue about a report's kind, year and issuer, in one place.

Document kind (annual_report or other):
  1. a title that names a document decides by its form (index.metadata);
  2. else the formulae of the opening: 政府信息公开 annual report, 政府工作报告,
     ``现将…报告如下``; a text whose names are placeholders (XX镇) is a
     template, never a report;
  3. else the sections an annual report must have (two of measures,
     responsibility, shortcomings, plans), with or without an opening year.

Year reported on (annual reports only):
  1. a 政府工作报告: the year before its delivery, its review section, its
     title year less one;
  2. the title's year;  3. ``现将N年…报告如下``;  4. the statistical period;
  5. the first sentence's year (``N年，…``);  6. the opening lines' first year;
  7. the publish-date rule (first half of N+1 → N).
  A page-header date or a widget never counts: only the title and the body do.

Issuer, in order of trust: the title's prefix (a 统计公报's is the place's
统计局), a 政府工作报告's government (or the standing committee that reports),
a headline's subject, 发布机构, an organisation's name above the title, then
under it, the first sentence's subject, the body ``现将`` names, the
signature, the general office of ``经X同意，现印发``, the full name the text
gives its 我局/我委, the government the text keeps naming.  The gazetteer
places the first it can; a national body (XX部, 国家XX局) is 国家级 with no
province; a name without its place (省司法厅, 区政府) takes the level its
prefix says, and failing a name, how the text calls itself (我县, 我厅) gives
level and kind, then the bodies it works under, then the area it works in
(结合X实际; the 全X it names most, comparisons aside).  A 政府工作报告 with
no issuer is still a government's.  Every inferred field keeps the clue it
came from, as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from govsearch.index import metadata as md
from govsearch.index import opening
from govsearch.index.issuer import (
    LEVEL_RANK,
    UNIT_LEVEL,
    Region,
    find_places,
    issuer_from_signature,
    issuer_from_text,
    issuer_from_title,
    issuer_kind,
    known_place,
    national_body,
    province_from_index_number,
    province_from_text,
    resolve,
)
from govsearch.index.opening import Clue

# A template's stand-in names: XX镇, 某某县; ×× stands in for anything (2008年是××历史上…).
_PLACEHOLDER = re.compile(r"××|ＸＸ|(?:XX|xx|某某)(?:省|市|县|区|镇|乡|街道|局|厅|委|办|部)")
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
AUTONOMOUS_REGIONS = ("内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区")
# Issuer clues read from the body rather than from the document's own heading.
WEAK_ISSUER_RULES = ("正文最常提到的政府", "现将XX…报告如下", "首句主语：N年，XX坚持…", "标题开头的机关或地方",
                     "新闻主语：XX近日印发/召开…")
# How a report calls itself → (level, kind): a place (我县) is its government; a department
# (我局) takes its level from elsewhere, but for 我厅 (provincial) and 我部 (national).
_SELF = {**{unit: (level, "政府") for unit, level in UNIT_LEVEL.items()}, "厅": ("省级", "部门"),
         "部": ("国家级", "部门"), "局": (None, "部门"), "委": (None, "部门"), "办": (None, "部门"),
         "署": (None, "部门")}


@dataclass
class Inferred:
    doc_type: str
    report_year: int | None
    region: Region
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict)


def _note(evidence: dict, name: str, clue: Clue | None) -> None:
    if clue is not None:
        evidence[name] = clue.evidence()


def _doc_type(title: str, names_document: bool, lines: list[str], text: str, section_kinds: set[str],
              work: Clue | None, gov_info: Clue | None, now: tuple[Clue, str] | None) -> Clue:
    if m := _PLACEHOLDER.search(f"{title}\n{text[:3000]}"):  # a template, whatever its title says
        return Clue("other", "范文：机关名称是占位符", m.group(0))
    if names_document:
        kind = md.doc_type_for(title, title_inferred=False, section_kinds=section_kinds)
        if kind != "annual_report" and work is not None and work.line:  # 最高人民检察院工作报告, delivered
            return Clue("annual_report", work.rule, work.text, work.line)
        return Clue(kind, "标题的文种", title)
    if (lead := opening.news_lead(lines) or opening.enacts(lines)) is not None:
        return Clue("other", lead.rule, lead.text, lead.line)
    if title and opening.is_headline(title):  # 【工作推进】固镇县召开…年报编制和发布部署会
        return Clue("other", "新闻标题：XX召开/发布…", title)
    for clue in (gov_info, work, now[0] if now else None):
        if clue is not None:
            return Clue("annual_report", clue.rule, clue.text, clue.line)
    if not title and (clue := opening.opening_year(lines)) is not None:
        return Clue("annual_report", "无标题，首句：N年，…", clue.text, clue.line)
    covered = section_kinds & md.REPORT_SECTION_KINDS
    if len(covered) >= 2:
        return Clue("annual_report", "年度报告的章节：" + "、".join(sorted(covered)), "")
    return Clue("other", "无报告标题、公式或章节", "")


def _year(title: str, names_document: bool, lines: list[str], text: str, publish_date: str,
          work: Clue | None, now: tuple[Clue, str] | None) -> Clue | None:
    if work is not None:
        clue = opening.work_report_year(title, lines)
        if clue is not None:
            return clue
    if names_document and (year := md.report_year_from(title)) is not None:
        return Clue(year, "标题年份", title)
    for clue in (now[0] if now else None, opening.statistical_period(text, lines), opening.opening_year(lines)):
        if clue is not None and clue.value is not None:
            return clue
    if (year := md.report_year_from("\n".join(lines[:3]))) is not None:
        line = next((i for i, text in enumerate(lines[:3]) if str(year) in text), 0)
        where = lines[line].find(str(year))
        return Clue(year, "开头几行的第一个年份", lines[line][max(0, where - 20):where + 40], line + 1)
    if (year := md.year_from_publish_date(publish_date)) is not None:
        return Clue(year, "发布日期：上半年发布的报告写上一年", publish_date)
    return None


def _issuer_clues(title: str, names_document: bool, meta_publisher: str, lines: list[str], above: list[str],
                  now: tuple[Clue, str] | None, work: Clue | None, annual: bool, text: str,
                  title_inferred: bool, itself: Clue | None) -> list[Clue]:
    clues = []
    if names_document and (name := issuer_from_title(title)):
        clues.append(Clue(name, "标题前的机关名称", title))
    if title.endswith("统计公报") and (place := opening.body_name(re.sub(r"^(?:19|20)\d{2}\s*年", "", title))) \
            and not opening.is_org_name(place):  # the 统计法 has the place's bureau publish it
        clues.insert(0, Clue(place + "统计局", "统计公报由当地统计局发布", title))
    if work is not None and (clue := opening.work_report_issuer(title, lines)) is not None:
        clues.append(clue)
    if title and not names_document and (clue := opening.headline_subject(title)) is not None:
        clues.append(clue)
    if title and not title_inferred and not opening.is_headline(title) \
            and (clue := opening.title_body(title)) is not None:
        clues.append(clue)
    if (clue := opening.adopted_by(title, lines)) is not None:
        clues.append(clue)
    if meta_publisher and not opening.is_website(meta_publisher):  # 发布机构：县政府网站 names no organ
        clues.append(Clue(meta_publisher, "发布机构", meta_publisher))
    if (clue := opening.heading_issuer(above)) is not None:
        clues.append(clue)
    if (clue := opening.byline_issuer(lines)) is not None:
        clues.append(clue)
    if work is None and (clue := opening.reported_by(title, lines)) is not None:  # news of a congress session
        clues.append(clue)
    # a text without a title: its first line, taken for one, is the first sentence
    if (clue := opening.opening_subject(lines if names_document or not title else [title, *lines])) is not None:
        clues.append(clue)
    if now and now[1]:
        clues.append(Clue(now[1], "现将XX…报告如下", now[0].text, now[0].line))
    if name := issuer_from_signature(lines):
        clues.append(Clue(name, "落款", name, len(lines)))
    if (clue := opening.consent_issuer(lines)) is not None:
        clues.append(clue)
    if itself is not None and (clue := opening.self_name(text, itself.value, known_place)) is not None:
        clues.append(clue)
    if annual and (name := issuer_from_text(text)):
        clues.append(Clue(name, "正文最常提到的政府", name))
    return clues


def _municipal(level: str, province: str) -> str:
    """A 市 of a municipality (北京市 …) is the province itself: 省级."""
    return "省级" if level == "市级" and province in MUNICIPALITIES else level


def _prefix_level(name: str) -> str:
    """The level a name without its place gives: 省司法厅 → 省级, 区政府 → 县级;
    a 厅 is a provincial department wherever no lower place is named."""
    for unit, level in UNIT_LEVEL.items():  # no unit word begins another
        if name.startswith(unit):
            return level
    return "省级" if name.endswith("厅") and not re.search("[市州盟县区旗镇乡]", name) else ""


def _bare(name: str) -> bool:
    """A name that leaves its place out (省司法厅, 区政府, 街道): the gazetteer has
    nothing to place, and a same-sounding division (a 区 named 自治区…) would mislead."""
    return bool(_prefix_level(name)) and not find_places(name)


def _chosen(clues: list[Clue], region: Region) -> Clue | None:
    """The clue the region's issuer was read from."""
    return next((c for c in clues if c.value == region.issuer or region.issuer.startswith(c.value)), None)


def _region(clues: list[Clue], context: str, itself: Clue | None, lines: list[str], evidence: dict) -> Region:
    """The issuer and its place: the first clue the gazetteer resolves,
    else a national body, else a name's prefix, else the self-reference."""
    for clue in clues:
        if national_body(clue.value):
            _note(evidence, "issuer", clue)
            _note(evidence, "level", Clue("国家级", "中央国家机关", clue.value, clue.line))
            return Region(issuer=clue.value, issuer_kind=issuer_kind(clue.value), level="国家级")
    bare = next((c for c in clues if _bare(c.value)), None)
    named = [c for c in clues if not _bare(c.value)]
    region = resolve([c.value for c in named], context=context)
    resolved = _chosen(named, region)
    if bare is not None and (resolved is None or clues.index(bare) < clues.index(resolved)):
        region = Region(issuer=bare.value, issuer_kind=issuer_kind(bare.value))
    chosen = _chosen(clues, region)
    _note(evidence, "issuer", chosen)
    if region.level and region.province:
        _note(evidence, "level", Clue(region.level, "行政区划代码", region.issuer, chosen.line if chosen else 0))
        return region
    if region.level:  # a name the gazetteer does not list, by its suffix (某某乡 → 乡镇级)
        _note(evidence, "level", Clue(region.level, "名称的后缀（乡/镇/县/市…）", region.issuer,
                                      chosen.line if chosen else 0))
    if not region.level and chosen is not None and (level := _prefix_level(chosen.value)):
        rule = "名称开头的层级（省/市/县/区/镇…）"
        if _municipal(level, province_from_text(context)) != level:
            level, rule = "省级", "直辖市的“市”"  # 市司法局 of 天津市 is a provincial department
        region.level = level
        _note(evidence, "level", Clue(level, rule, chosen.value, chosen.line))
    if itself is not None and itself.value in _SELF:
        level, kind = _SELF[itself.value]
        weak = chosen is None or chosen.rule in WEAK_ISSUER_RULES
        if level and weak and region.level and LEVEL_RANK.get(level, 0) > LEVEL_RANK.get(region.level, 0):
            # 我镇 in a text whose issuer was read from the district it keeps naming: the town's
            region = Region(province=region.province)  # its kind too is the self-reference's, noted below
            evidence.pop("issuer", None)
        if not region.level and level:
            region.level = level
            _note(evidence, "level", itself)
        # 我局 outweighs a government read only from the body: the body names its government.
        if not region.issuer_kind or (kind == "部门" and region.issuer_kind == "政府" and weak):
            region.issuer_kind = kind
            _note(evidence, "issuer_kind", itself)
    if not region.level and (lead := opening.leaders(lines)) is not None:
        # a department working under 区委、区政府 is the district's: 县级
        region.level = UNIT_LEVEL[lead.value] if region.issuer_kind == "部门" else ""
        if region.level:
            _note(evidence, "level", lead)
    return region


def infer(title: str, title_inferred: bool, lines: list[str], *, above: list[str],
          meta_publisher: str, publish_date: str, section_kinds: set[str], index_number: str = "") -> Inferred:
    """Kind, year and issuer of a cleaned text (``lines``, the title out of
    them; ``above``: the short lines the title stood under)."""
    text = "\n".join(lines)
    names_document = (bool(title) and not title_inferred and md.names_document(title)
                      and not opening.is_headline(title))
    work = opening.work_report(title, lines)
    gov_info = opening.gov_info_report(lines)
    now = opening.now_report(lines)
    evidence: dict[str, dict[str, Any]] = {}
    kind = _doc_type(title, names_document, lines, text, section_kinds, work, gov_info, now)
    _note(evidence, "doc_type", kind)
    annual = kind.value == "annual_report"
    year = _year(title, names_document, lines, text, publish_date, work, now) if annual else None
    _note(evidence, "report_year", year)
    itself = opening.self_reference(text)
    clues = _issuer_clues(title, names_document, meta_publisher, lines, above, now, work, annual, text,
                          title_inferred, itself)
    region = _region(clues, f"{title}\n{text}", itself, lines, evidence)
    if not region.province and region.level != "国家级":
        region.province = province_from_text(f"{title}\n{text}")
        if region.province:
            _note(evidence, "province", Clue(region.province, "正文提到最多的省份", region.province))
        elif province := province_from_index_number(index_number):
            region.province = province
            _note(evidence, "province", Clue(province, "索引号中的行政区划代码", index_number))
    elif region.province:
        evidence.setdefault("province", {**evidence.get("level", {}), "rule": "行政区划代码"})
    if region.issuer_kind and "issuer_kind" not in evidence and "issuer" in evidence:
        evidence["issuer_kind"] = {**evidence["issuer"], "rule": "机关名称的形式"}
    if not region.issuer_kind and work is not None:  # a 政府工作报告 is a government's
        region.issuer_kind = "政府"
        _note(evidence, "issuer_kind", Clue("政府", "政府工作报告由政府所作", work.text, work.line))
    if not region.level and (area := opening.scope(text, region.province in AUTONOMOUS_REGIONS)) is not None:
        region.level = _municipal(area.value, region.province)
        _note(evidence, "level", area)
    return Inferred(kind.value, year.value if year else None, region, evidence)
