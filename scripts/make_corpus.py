"""Write a deterministic synthetic corpus of 法治政府建设 report pages.

    python scripts/make_corpus.py N OUT [--seed S] [--html-share 0.8] [--force] [--jobs J]

The pages are recombined from the bundled seed reports, so their sentences,
section structure and vocabulary are real:

1. *pools* - each seed is cleaned with :func:`index.clean.clean_file`, split
   into sentences and sub-headings by section kind (measures, responsibility,
   shortcomings, plans, preamble; the news seed feeds measures and news), and
   its own place names, level words (我县, 县委, 全区 …), years and counts are
   turned into placeholders (``⟪S⟫``, ``⟪uc⟫``, ``⟪y0⟫``, ``⟪#26⟫``);
2. *issuers* - a government, party committee or department of any province
   and level (省级 … 乡镇级) drawn from the gazetteer (index/data/divisions.tsv);
3. *documents* - an annual report (title naming the issuer and year,
   salutation, preamble, sections 一、二、三、(四、) of the four kinds with
   (一)(二) sub-items, signature and date) or another document (a news
   feature, a 政策解读, an 实施方案/工作要点), filled to a log-normal length,
   with named measures from seeds/measures.txt at Zipf-like popularity and
   jieba dictionary nouns for vocabulary spread;
4. *pages* - government-CMS HTML (breadcrumb, metadata table, toolbar,
   related links, footer; ~10 % GBK) or plain text in a few layouts, and ~2 %
   traditional-script mirrors (OpenCC s2t, sometimes with pinyin-gloss debris)
   of earlier pages.

Every page depends only on (seed, index), so output is byte-identical for a
seed whatever the number of worker processes.  ``OUT/manifest.jsonl`` holds
the ground truth for each page (issuer, level, province, report year, doc
type, length, measures inserted, duplicate_of).

``generate()`` is the library entry point (the benchmark loads this file with
importlib); ``main()`` is the command line.
"""

# No ``from __future__ import annotations``: the benchmark loads this file by
# path without registering it in sys.modules, where dataclasses cannot resolve
# string annotations.
import argparse
import bisect
import gc
import hashlib
import json
import math
import multiprocessing
import os
import random
import re
import sys
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # runnable from anywhere, importable by file path
    sys.path.insert(0, str(ROOT))

from govsearch.index.clean import clean_file  # noqa: E402
from govsearch.index.gazetteer import read_rows  # noqa: E402

SEEDS_DIR = ROOT / "seeds"
MEASURES_FILE = SEEDS_DIR / "measures.txt"
MANIFEST = "manifest.jsonl"
MIN_LENGTH, MAX_LENGTH = 1000, 40000
MEDIAN_LENGTH = 6000
LENGTH_SIGMA = 0.6
FIRST_YEAR, LAST_YEAR = 2016, 2025
ANNUAL_SHARE = 0.85
DUP_SHARE = 0.02
GBK_SHARE = 0.10  # of the HTML pages
PAGE_NAME = re.compile(r"^\d{6,}_[0-9a-f]{8}\.(?:html|txt)$")

# ---------------------------------------------------------------- seed place names
# The seeds' own regions and level words become placeholders, filled per page
# with the synthetic issuer's names.  Roles: S/s self (full/short), P/p parent,
# G/g grandparent, V/v province, sib1-3 siblings of self; unit is the self
# unit's character (我县, 县委), punit the parent's (市委、市政府).
SEED_PLACES: dict[str, dict] = {
    "000": {"year": 2022, "unit": "县", "punit": "市", "names": {
        "巴彦淖尔市": "P", "巴彦淖尔": "p", "五原县": "S", "五原": "s", "内蒙古自治区": "V", "内蒙古": "v",
        "自治区党委": "vp", "自治区": "vu", "蒙速办": "app"}},
    "001": {"year": 2021, "unit": "区", "punit": "市", "names": {
        "怀化市洪江管理区": "S", "洪江管理区": "S", "洪江区": "S", "洪江": "s", "怀化市": "P", "怀化": "p",
        "湖南省": "V", "湖南": "v"}},
    "002": {"year": 2024, "unit": "区", "punit": "市", "names": {
        "周村区": "S", "周村": "s", "淄博市": "P", "淄博": "p", "山东省": "V", "山东": "v"}},
    "003": {"year": 2022, "unit": "镇", "punit": "县", "names": {
        "沂源县中庄镇": "S", "中庄镇": "S", "中庄": "s", "沂源县": "P", "沂源": "p", "淄博市": "G", "淄博": "g",
        "山东省": "V", "山东": "v"}},
    "004": {"year": 2023, "unit": "区", "punit": "市", "news": True, "names": {
        "赤峰市松山区": "S", "松山区": "S", "松山": "s", "赤峰市": "P", "赤峰": "p", "内蒙古自治区": "V",
        "内蒙古": "v", "自治区": "vu", "元宝山区": "sib1", "宁城县": "sib2", "克什克腾旗": "sib3", "蒙企通": "app"}},
}
# Characters before a unit character that make it part of another word (社区, 乡镇, 市区).
_UNIT_NEG = "社园辖城街景矿郊片小乡山市营治"
_UNIT_AFTER = ("党政|政府|人民政府|人民法院|直|本级|长|内|领导|人大|政协|财政|管委|纪委|党校|综治|调委会|级|属|情"
               "|法院|检察院|司法局")

# Provincial government-service apps (the seed's 蒙速办 becomes the issuer's own).
PROVINCE_APPS = {
    "内蒙古": "蒙速办", "广东": "粤省事", "浙江": "浙里办", "上海": "随申办", "重庆": "渝快办", "江西": "赣服通",
    "安徽": "皖事通", "湖北": "鄂汇办", "湖南": "湘易办", "福建": "闽政通", "河南": "豫事办", "河北": "冀时办",
    "四川": "天府通办", "陕西": "秦务员", "甘肃": "甘快办", "海南": "海易办", "山东": "爱山东", "江苏": "苏服办",
    "贵州": "贵人服务", "云南": "一部手机办事通", "广西": "智桂通", "吉林": "吉事办", "辽宁": "辽事通",
    "黑龙江": "黑龙江全省事", "山西": "三晋通", "宁夏": "我的宁夏", "青海": "青松办", "新疆": "新服办",
    "北京": "京通", "天津": "津心办", "西藏": "西藏政务",
}

# ---------------------------------------------------------------- headings and templates
HEADINGS = {
    "measures": [
        "推进法治政府建设的主要举措和成效", "{Y}年法治政府建设工作开展情况", "{Y}年度推进法治政府建设的主要举措和成效",
        "法治政府建设工作开展情况", "主要工作开展情况", "开展的主要工作", "主要做法和成效",
        "法治政府建设推进情况及成效",
        "{Y}年法治政府建设主要工作",
    ],
    "responsibility": [
        "党政主要负责人履行推进法治建设第一责任人职责情况",
        "党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况",
        "主要负责人履行推进法治建设第一责任人职责情况", "履行推进法治建设第一责任人职责情况",
    ],
    "shortcomings": [
        "存在的不足和原因", "推进法治政府建设存在的不足和原因", "存在的问题和困难", "法治政府建设工作中存在的问题",
        "存在的不足", "存在的问题及原因分析", "工作中的短板和不足",
    ],
    "plans": [
        "下一步工作安排", "{Y1}年推进法治政府建设的主要安排", "下一步工作计划", "{Y1}年工作打算", "下一步工作思路",
        "{Y1}年推进法治政府建设的主要计划安排", "下一步工作打算",
    ],
}
SUBHEADINGS = {
    "measures": [
        "依法全面履行政府职能", "完善依法行政制度体系", "推进严格规范公正文明执法",
        "健全行政决策制度体系，推进行政决策科学化、民主化、法治化", "健全突发事件应对体系，依法预防处置重大突发事件",
        "健全社会矛盾纠纷行政预防调处化解体系，不断促进社会公平正义",
        "健全行政权力制约和监督体系，促进行政权力规范透明运行", "健全法治政府建设科技保障体系，全面建设数字法治政府",
        "加强党的领导，完善法治政府建设推进机制", "深入学习宣传贯彻习近平法治思想", "持续优化法治化营商环境",
        "深化“放管服”改革", "加强行政复议和行政应诉工作", "深入推进“八五”普法", "加强行政规范性文件监督管理",
        "强化行政执法监督", "推进政务公开，自觉接受监督", "加强公共法律服务体系建设",
        "提升政府工作人员法治思维和依法行政能力",
    ],
    "responsibility": [
        "压实法治建设第一责任人职责", "坚持党对法治政府建设的领导", "带头尊法学法守法用法", "健全法治建设工作推进机制",
        "严格落实年终述法制度",
    ],
    "shortcomings": [
        "法治政府建设基础有待夯实", "依法行政能力水平有待提升", "法治宣传教育质效有待加强",
        "行政执法规范化水平有待提高",
        "基层法治建设仍有短板",
    ],
    "plans": [
        "加强党的领导，完善法治政府推进机制", "坚持依法行政，提升法治政府建设水平",
        "聚焦群众需求，夯实法治政府建设基础",
        "深化改革创新，持续优化法治化营商环境", "强化监督制约，规范行政权力运行", "加强队伍建设，提升依法行政能力",
    ],
    "news": [
        "强化组织领导，高位推动法治建设", "聚焦营商环境，护航高质量发展", "规范执法行为，提升执法公信力",
        "创新普法形式，厚植法治土壤", "坚持源头治理，化解矛盾纠纷", "强化理论武装，提升法治素养",
        "深化改革攻坚，激发发展活力",
    ],
}
EXTRA_SENTENCES = {
    "responsibility": [
        "⟪S⟫党政主要负责人认真履行推进法治建设第一责任人职责，坚持重要工作亲自部署、重大问题亲自过问、重点环节亲自协调、重要任务亲自督办。",
        "⟪uc⟫常委会、⟪u⟫政府常务会议先后⟪#6⟫次专题听取法治政府建设工作汇报，研究解决法治建设中的重大问题。",
        "将法治建设纳入经济社会发展总体规划和年度工作计划，与经济社会发展同部署、同推进、同督促、同考核、同奖惩。",
        "严格落实党政主要负责人年终述法制度，⟪#15⟫个部门单位主要负责人进行了现场述法。",
        "制定党政主要负责人履行推进法治建设第一责任人职责清单，明确工作任务和完成时限。",
        "主要负责人带头尊法学法守法用法，全年主持召开专题会议⟪#4⟫次，带头讲授法治课⟪#2⟫次。",
        "将履行推进法治建设第一责任人职责情况纳入政绩考核指标体系，作为考察使用干部的重要依据。",
        "坚持把法治建设与中心工作同部署、同落实，对法治建设不力的单位和个人进行约谈提醒。",
        "⟪u⟫政府常务会议坚持会前学法制度，全年集体学法⟪#12⟫次，学习法律法规⟪#20⟫部。",
        "落实重大事项向⟪uc⟫请示报告制度，确保法治政府建设正确政治方向。",
    ],
    "shortcomings": [
        "部分单位对法治政府建设重要性认识不足，重业务、轻法治的现象依然存在。",
        "基层行政执法力量薄弱，执法人员数量不足、专业化水平不高，与执法任务不相适应。",
        "行政规范性文件合法性审核工作有待进一步规范，个别单位存在程序不规范的问题。",
        "法治宣传教育的针对性和实效性有待增强，群众参与度还不够高。",
        "重大行政决策公众参与、专家论证、风险评估等程序落实还不够到位。",
        "行政复议、行政应诉工作能力有待提高，行政机关负责人出庭应诉的质效仍需提升。",
        "数字法治政府建设相对滞后，信息化手段在行政执法监督中的运用不够充分。",
        "基层合法性审核力量不足，法律顾问作用发挥不够充分。",
        "法治督察考核机制还不够完善，督察结果运用不够有力。",
        "矛盾纠纷多元化解机制有待完善，源头预防能力仍需加强。",
    ],
    "plans": [
        "持续深入学习贯彻习近平法治思想，将其作为⟪uc⟫理论学习中心组学习的重要内容。",
        "进一步压实党政主要负责人推进法治建设第一责任人职责，完善法治建设考核评价机制。",
        "深化“放管服”改革，持续优化法治化营商环境，推动政务服务提质增效。",
        "严格落实重大行政决策程序规定，健全合法性审查机制，提升决策科学化、民主化、法治化水平。",
        "全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度，规范行政执法行为。",
        "加强行政执法队伍建设，常态化开展执法人员业务培训和案卷评查。",
        "坚持和发展新时代“枫桥经验”，健全矛盾纠纷多元预防调处化解机制。",
        "深入推进法治宣传教育，落实“谁执法谁普法”普法责任制，提升全民法治素养。",
        "加快数字法治政府建设，推动政务数据共享和业务协同。",
        "加强行政复议规范化建设，充分发挥行政复议化解行政争议主渠道作用。",
        "自觉接受人大监督、民主监督、司法监督和社会监督，全面推进政务公开。",
    ],
}
MEASURE_TEMPLATES = [
    "持续深化“{m}”工作，全年累计办理相关事项⟪#120⟫件。",
    "积极推行{m}，相关经验做法被上级部门转发推广。",
    "将“{m}”纳入年度重点工作任务，制定实施方案，明确责任分工和完成时限。",
    "扎实推进{m}落地见效，企业和群众满意度进一步提升。",
    "围绕{m}开展专题培训⟪#3⟫期，培训干部⟪#260⟫人次。",
    "认真落实{m}，⟪u⟫本级⟪#32⟫个部门全部完成相关工作。",
    "探索推行“{m}”模式，有效提升了工作效率。",
    "以{m}为抓手，推动各项工作任务落地落实。",
]
VOCAB_TEMPLATES = [
    "针对{w}、{w}等领域群众反映强烈的突出问题，组织开展专项整治⟪#5⟫次。",
    "围绕{w}和{w}管理，开展联合执法检查⟪#12⟫次，发现并督促整改问题⟪#36⟫个。",
    "依法办理涉及{w}的行政许可事项⟪#48⟫件，办结率达到⟪%100⟫%。",
    "全年调处涉及{w}、{w}方面的矛盾纠纷⟪#27⟫起，调解成功率达⟪%96⟫%。",
    "在{w}领域推行说理式执法，制作执法文书⟪#80⟫份。",
    "对{w}、{w}等事项开展合法性审查⟪#15⟫件，提出审查意见⟪#22⟫条。",
    "组织开展{w}主题法治宣传活动⟪#8⟫场次，发放宣传资料⟪#3000⟫余份。",
]
PREAMBLES = [
    "{Y}年，在⟪sup⟫的坚强领导下，{I}坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"
    "全面贯彻落实党中央、国务院关于法治政府建设的决策部署，扎实推进法治政府建设各项工作，取得了积极成效。"
    "现将{Y}年度法治政府建设情况报告如下：",
    "根据《法治政府建设与责任落实督察工作规定》要求，现将{I}{Y}年度法治政府建设工作情况报告如下：",
    "{Y}年以来，{I}始终坚持以习近平法治思想为指引，深入贯彻中央、省、市关于法治建设的有关要求，"
    "严格落实《法治政府建设实施纲要{plan}》，大力推进法治政府建设，现将有关情况报告如下：",
    "{Y}年，{I}认真贯彻落实⟪sup⟫关于法治政府建设的工作部署，紧紧围绕中心工作，全面推进依法行政，"
    "法治政府建设取得新进展。现将{Y}年度法治政府建设工作情况报告如下：",
]
NEWS_TITLES = ["{P}：{slogan}——{P}法治政府建设纪实", "法治政府建设先进典型系列宣传（{cn}）{P}：{slogan}",
               "{P}多措并举推进法治政府建设", "{P}扎实推进法治政府建设工作", "{P}：以法治之力护航高质量发展"]
SLOGANS = ["为高质量发展提供法治支撑", "奋力书写法治政府建设新答卷", "让法治成为核心竞争力", "绘就法治政府建设新画卷",
           "以法治之光照亮发展之路", "推动法治政府建设提质增效"]
DEPARTMENTS = {
    "省级": ["司法厅", "市场监督管理局", "公安厅", "自然资源厅", "生态环境厅", "住房和城乡建设厅", "交通运输厅",
             "教育厅", "民政厅", "财政厅", "人力资源和社会保障厅", "卫生健康委员会", "应急管理厅", "农业农村厅",
             "水利厅"],
    "市级": ["司法局", "市场监督管理局", "公安局", "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局",
             "教育局", "民政局", "财政局", "人力资源和社会保障局", "卫生健康委员会", "应急管理局", "城市管理局",
             "农业农村局", "文化和旅游局", "医疗保障局", "行政审批服务局"],
    "县级": ["司法局", "市场监督管理局", "公安局", "自然资源局", "住房和城乡建设局", "交通运输局", "教育局", "民政局",
             "财政局", "人力资源和社会保障局", "卫生健康局", "应急管理局", "综合行政执法局", "农业农村局", "林业局",
             "水利局", "医疗保障局"],
}
CN_NUMERALS = "一二三四五六七八九十"
SUB_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五"]

# Level mix: government share per level; party committees and departments on top.
LEVEL_WEIGHTS = {"省级": 0.05, "市级": 0.22, "县级": 0.45, "乡镇级": 0.28}
LEVEL_LENGTH = {"省级": 1.8, "市级": 1.3, "县级": 1.0, "乡镇级": 0.65}
SUBTYPE_LENGTH = {"news": 0.6, "interpretation": 0.45, "plan": 1.0}
LENGTH_BASE = 0.93  # keeps the overall median near MEDIAN_LENGTH (see the length check)

# Sentences of the news seed that only make sense in a news feature.
_NEWS_ONLY = re.compile(r"刊发|纪实|系列宣传|先进典型|命名|入围|供稿|这些成绩")
_PLACEHOLDER = re.compile("⟪([^⟫]*)⟫")
_SENTENCE = re.compile(r"[^。！？]*[。！？]+[”’」』）]?|[^。！？]+$")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+是|[①②③④⑤⑥⑦⑧⑨⑩]|[（(]?\d{1,2}[)）.、]|首先，|其次，|此外，|另外，)")
_INNER_ORDINAL = re.compile(r"([；;，,：:])[一二三四五六七八九十]+是")
_SUBITEM = re.compile(r"^[（(]?[一二三四五六七八九十]{1,3}[)）]\s*|^[)）]\s*")
_NUMBER = re.compile(
    r"(?<![\d.〔\-—])(\d+(?:\.\d+)?)(?=\s*(?:余|多)?\s*(?:件次|人次|场次|批次|件|个|次|人|家|项|户|份|场|起|万|亿|条|名|批|期"
    r"|支|篇|处|元|天|小时|所|套|台|辆|宗|单|亩|公里|册|%))")
_YEAR = re.compile(r"(?<![\d〔\-—～~至])(20\d{2})(?=\s*年)(?!\s*年\s*[\-—～~至])")


# ---------------------------------------------------------------- resources
@dataclass
class Pools:
    """Sentences and sub-headings by kind, with placeholders."""

    sentences: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    variants: dict[str, list[list[str]]] = field(default_factory=dict)  # sentences with their counts rendered
    subheadings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    preambles: list[str] = field(default_factory=list)


@dataclass
class Division:
    code: str
    name: str
    level: str
    parent: str
    short: str


class Resources:
    """Everything a page is made from, loaded once per process."""

    def __init__(self) -> None:
        self.pools = build_pools()
        self._load_divisions()
        self.measures, self.measure_cum = _load_measures()
        self.words, self.word_cum = _load_vocabulary()
        self.glosses = _load_glosses()

    def _load_divisions(self) -> None:
        self.div: dict[str, Division] = {}
        children: dict[str, list[str]] = defaultdict(list)
        for code, name, level, parent, short, _aliases in read_rows():
            self.div[code] = Division(code, name, level, parent, short)
            children[parent].append(code)
        self.children = dict(children)
        county_names = Counter(d.name for d in self.div.values() if d.level == "县级")
        self.ambiguous = {name for name, n in county_names.items() if n > 1}
        town_names = Counter(d.name for d in self.div.values() if d.level == "乡镇级")
        self.ambiguous_towns = {name for name, n in town_names.items() if n > 1}
        self.by_level: dict[str, list[str]] = defaultdict(list)
        for d in self.div.values():
            if d.level == "县级" and not re.search(r"(?:县|区|旗|市)$", d.name):
                continue
            if d.level == "县级" and re.search(r"(开发区|管理区|示范区|园区|实验区|新城|林区|特区)$", d.name):
                continue
            if d.level == "乡镇级" and not _good_town(d.name):
                continue
            self.by_level[d.level].append(d.code)
        for codes in self.by_level.values():
            codes.sort()

    def chain(self, code: str) -> list[Division]:
        """Province first, down to the division itself."""
        out = []
        while code:
            d = self.div[code]
            out.append(d)
            code = d.parent
        return out[::-1]


def _good_town(name: str) -> bool:
    if name.endswith(("镇", "乡")):
        return len(name) >= 3 and not re.search(r"(农场|林场|牧场|开发区|管委会|办事处)", name)
    if name.endswith("街道"):
        return len(name) >= 4 and "办事处" not in name
    return False


@lru_cache(maxsize=1)
def resources() -> Resources:
    return Resources()


def _load_measures() -> tuple[list[str], list[float]]:
    """The dictionary's measures in a fixed popularity order, Zipf weights (s=1.1)."""
    words = [line.split()[0] for line in MEASURES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    order = sorted(words, key=lambda w: hashlib.sha1(w.encode()).hexdigest())
    # General terms of the trade are the most popular, whatever the hash says.
    common = [w for w in ("习近平法治思想", "依法行政", "放管服", "双随机一公开", "谁执法谁普法", "行政执法三项制度",
                          "枫桥经验", "八五普法", "合法性审查", "重大行政决策", "一网通办", "证照分离") if w in words]
    order = common + [w for w in order if w not in common]
    cum, total = [], 0.0
    for rank in range(1, len(order) + 1):
        total += 1.0 / rank**1.1
        cum.append(total)
    return order, cum


def _load_vocabulary() -> tuple[list[str], list[float]]:
    """Common nouns of jieba's dictionary, weighted by frequency**0.5."""
    import jieba

    path = Path(jieba.__file__).with_name("dict.txt")
    words, cum, total = [], [], 0.0
    han = re.compile("^[\u4e00-\u9fff]{2,4}$")
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[2] in ("n", "vn") and int(parts[1]) >= 300 and han.match(parts[0]):
                words.append(parts[0])
                total += int(parts[1]) ** 0.5
                cum.append(total)
    return words, cum


def _load_glosses() -> dict[str, str]:
    """Traditional character → pinyin, as the glossing mirror (seed 000) wrote them."""
    glosses: dict[str, str] = {}
    gloss = re.compile(r"([\u4e00-\u9fff])\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6})\)")
    for path in seed_files():
        for char, syllable in gloss.findall(path.read_text(encoding="utf-8")):
            glosses.setdefault(char, syllable)
    return glosses


# ---------------------------------------------------------------- seed pools
def _unit_patterns(unit: str, committee: str, plain: str) -> list[tuple[re.Pattern[str], str]]:
    """Level words of a seed (县委, 全县, 县政府 …) → placeholders."""
    u = re.escape(unit)
    return [
        (re.compile(rf"(?<![{_UNIT_NEG}]){u}党?委(?!员)"), f"⟪{committee}⟫"),
        (re.compile(rf"(?<=[我全本副治]){u}(?!党?委(?!员))"), f"⟪{plain}⟫"),  # 全县, 依法治区委员会
        (re.compile(rf"(?<![{_UNIT_NEG}]){u}(?={_UNIT_AFTER})"), f"⟪{plain}⟫"),
    ]


def templatize(text: str, info: dict) -> str:
    """A seed sentence with its places, level words, years and counts as placeholders."""
    names = info.get("names", {})
    if names:
        alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        text = re.sub(alternation, lambda m: f"⟪{names[m.group(0)]}⟫", text)
    pieces = _PLACEHOLDER.split(text)  # keep existing placeholders intact
    for i in range(0, len(pieces), 2):
        piece = pieces[i]
        if info.get("unit"):
            for pattern, repl in _unit_patterns(info["unit"], "uc", "u"):
                piece = pattern.sub(repl, piece)
        if info.get("punit") and info.get("punit") != info.get("unit"):
            sub_pieces = _PLACEHOLDER.split(piece)
            for j in range(0, len(sub_pieces), 2):
                for pattern, repl in _unit_patterns(info["punit"], "puc", "pu"):
                    sub_pieces[j] = pattern.sub(repl, sub_pieces[j])
            piece = "".join(f"⟪{s}⟫" if j % 2 else s for j, s in enumerate(sub_pieces))
        if info.get("year"):
            piece = _YEAR.sub(partial(_year_placeholder, info["year"]), piece)
        pieces[i] = _NUMBER.sub(_number_placeholder, piece)
    return "".join(f"⟪{s}⟫" if i % 2 else s for i, s in enumerate(pieces))


def _year_placeholder(seed_year: int, m: re.Match[str]) -> str:
    """A year near the seed's report year becomes relative: ⟪y0⟫ is the report year, ⟪y1⟫ the next."""
    delta = int(m.group(1)) - seed_year
    return f"⟪y{delta}⟫" if -3 <= delta <= 1 else m.group(0)


def _number_placeholder(m: re.Match[str]) -> str:
    percent = m.string[m.end() : m.end() + 1] == "%"
    return f"⟪{'%' if percent else '#'}{m.group(1)}⟫"


def _sentences(paragraph: str) -> list[str]:
    out = []
    for s in _SENTENCE.findall(paragraph):
        s = _ORDINAL.sub("", s.strip()).strip("；;，, ")
        s = _INNER_ORDINAL.sub(r"\1", s)  # …倒置；三是执法人员… loses its 三是 out of its list
        if not s.endswith(("。", "！", "？", "”", "）")) and len(s) < 30:
            continue  # a heading or a caption, not a sentence
        if len(s) >= 12 and not s.endswith("：") and "如下" not in s:
            out.append(s if s.endswith(("。", "！", "？", "”", "）")) else s + "。")
    return out


def _split_subitem(line: str) -> tuple[str, str]:
    """A sub-item line → (heading, rest): (一)加强组织领导 or an inline (一)压实职责。正文…"""
    body = _SUBITEM.sub("", line, count=1)
    if len(body) <= 40 and "。" not in body[:-1]:
        return body.rstrip("。；"), ""
    head, sep, rest = body.partition("。")
    if sep and len(head) <= 40:
        return head, rest
    return "", body


def seed_files() -> list[Path]:
    """The bundled seed reports (000_….txt …), not the dictionary or the docs."""
    return sorted(p for p in SEEDS_DIR.iterdir()
                  if p.name[:1].isdigit() and p.suffix.lower() in (".txt", ".html", ".htm"))


def _seed_info(report) -> dict:
    """Placeholders for a seed not in SEED_PLACES, from what the cleaner resolved."""
    names = {name: role for name, role in ((report.county, "S"), (report.city, "P"), (report.province, "V")) if name}
    if not report.county and report.city:
        names = {report.city: "S", **({report.province: "V"} if report.province else {})}
    self_name = report.county or report.city
    unit = next((u for u in ("县", "区", "旗", "市") if self_name.endswith(u)), "")
    return {"year": report.report_year or md_year(report.publish_date), "unit": unit, "names": names,
            "news": report.doc_type != "annual_report"}


def md_year(publish_date: str) -> int | None:
    m = re.match(r"(\d{4})", publish_date or "")
    return int(m.group(1)) if m else None


def build_pools() -> Pools:
    pools = Pools()
    for path in seed_files():
        report = clean_file(path)
        info = SEED_PLACES.get(path.name[:3]) or _seed_info(report)
        text = report.text
        starts = [(s.start, s.end, s.kind) for s in report.sections]
        offset = 0
        for line in text.split("\n"):
            kind = "news" if info.get("news") else "preamble"
            heading_line = False
            for start, end, section_kind in starts:
                if start <= offset <= end:
                    kind = section_kind
                    heading_line = offset == start
            offset += len(line) + 1
            if heading_line or kind == "other":
                continue
            if kind == "preamble":
                pools.preambles.extend(templatize(s, info) for s in _sentences(line) if len(s) > 30)
                continue
            if _SUBITEM.match(line):
                head, line = _split_subitem(line)
                if 6 <= len(head) <= 40:
                    pools.subheadings[kind].append(templatize(head, info))
            for s in _sentences(line):
                t = templatize(s, info)
                pools.sentences[kind].append(t)
                if kind == "news" and not _NEWS_ONLY.search(t):
                    pools.sentences["measures"].append(t)
    for kind, extra in EXTRA_SENTENCES.items():
        pools.sentences[kind].extend(extra)
    for kind, extra in SUBHEADINGS.items():
        pools.subheadings[kind].extend(extra)
    for key in list(pools.sentences):
        pools.sentences[key] = list(dict.fromkeys(pools.sentences[key]))
    for key in list(pools.subheadings):
        pools.subheadings[key] = list(dict.fromkeys(pools.subheadings[key]))
    pools.preambles = list(dict.fromkeys(pools.preambles))
    pools.variants = {kind: number_variants(sentences) for kind, sentences in pools.sentences.items()}
    return pools


# ---------------------------------------------------------------- issuers
@dataclass
class Issuer:
    name: str  # the issuing body as the title names it
    kind: str  # 政府 | 党委 | 部门
    level: str
    province: str
    city: str
    county: str
    town: str
    gov: str  # the government's name (五原县人民政府)
    place: str  # the government's place as written (五原县, 沂源县中庄镇)
    names: dict[str, str]  # placeholder values
    site: str  # the portal that publishes the page
    adcode: str


_UNIT_WORDS = (
    ("街道", ("街道", "街道党工委")), ("镇", ("镇", "镇党委")), ("乡", ("乡", "乡党委")), ("地区", ("地区", "地委")),
    ("自治州", ("州", "州委")), ("盟", ("盟", "盟委")), ("旗", ("旗", "旗委")), ("县", ("县", "县委")),
    ("区", ("区", "区委")), ("市", ("市", "市委")),
)


def _unit_words(name: str, level: str) -> tuple[str, str]:
    """(plain, committee) unit words: 县 → (县, 县委), 镇 → (镇, 镇党委)."""
    if level == "省级":
        if name.endswith("自治区"):
            return "自治区", "自治区党委"
        return ("市", "市委") if name.endswith("市") else ("省", "省委")
    for suffix, words in _UNIT_WORDS:
        if name.endswith(suffix):
            return words
    return name[-1], name[-1] + "委"


def _short(d: Division) -> str:
    if d.short:
        return d.short
    for suffix in ("街道", "镇", "乡"):
        if d.name.endswith(suffix) and len(d.name) - len(suffix) >= 2:
            return d.name[: -len(suffix)]
    return d.name


def _government(d: Division, written: str) -> str:
    if d.level == "乡镇级" and d.name.endswith("街道"):
        return f"{written}办事处"
    if d.level == "市级" and d.name.endswith(("地区", "盟")):
        return f"{written}行政公署"
    return f"{written}人民政府"


def make_issuer(rng: random.Random, res: Resources, *, level: str | None = None) -> Issuer:
    level = level or rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
    body = rng.random()
    # Departments of 省/市/县 governments; party committees of any level.
    kind = "部门" if body < 0.16 and level != "乡镇级" else "党委" if body < 0.24 else "政府"
    code = rng.choice(res.by_level[level])
    chain = res.chain(code)
    me = chain[-1]
    province = chain[0]
    municipality = province.name.endswith("市")
    city = next((d for d in chain if d.level == "市级"), province if municipality and level != "省级" else None)
    county = next((d for d in chain if d.level == "县级"), None)
    town = me if level == "乡镇级" else None

    # How the place is written: a town under its county; an ambiguous county under its city.
    written = me.name
    if level == "乡镇级" and county is not None and (rng.random() < 0.6 or me.name in res.ambiguous_towns):
        written = county.name + me.name
        if county.name in res.ambiguous and city is not None and city is not county and rng.random() < 0.5:
            written = city.name + written  # 沈阳市和平区新华街道: 和平区 alone is in two provinces
    elif (level == "县级" and city is not None and city is not me
          and ((me.name in res.ambiguous and rng.random() < 0.8) or rng.random() < 0.1)):
        written = city.name + me.name
    gov = _government(me, written)
    if kind == "政府":
        name = gov
    elif kind == "党委":
        committee = "工作委员会" if me.name.endswith("街道") else "委员会"
        name = f"中共{written}{committee}"
    else:
        name = written + rng.choice(DEPARTMENTS[level])

    parents = chain[:-1]
    parent = parents[-1] if parents else me
    grand = parents[-2] if len(parents) >= 2 else parent
    u, uc = _unit_words(me.name, level)
    pu, puc = _unit_words(parent.name, parent.level)
    vu, vp = _unit_words(province.name, "省级")
    sup = "党中央、国务院" if level == "省级" else f"{puc}、{pu}政府"
    siblings = [c for c in res.children.get(me.parent, []) if c != me.code and res.div[c].level == level]
    sibs = rng.sample(siblings, 3) if len(siblings) >= 3 else (siblings * 3)[:3] or [me.code] * 3
    prov_short = _short(province)
    names = {
        "S": me.name, "s": _short(me), "P": parent.name, "p": _short(parent), "G": grand.name, "g": _short(grand),
        "V": province.name, "v": prov_short, "vu": vu, "vp": vp, "u": u, "uc": uc, "pu": pu, "puc": puc,
        "sup": sup, "app": PROVINCE_APPS.get(prov_short, f"{prov_short}政务服务"),
        **{f"sib{i + 1}": res.div[c].name for i, c in enumerate(sibs)},
    }
    site_place = written if level != "乡镇级" else (county.name if county else written)
    site = f"{site_place}人民政府" + rng.choice(["门户网站", "网", ""])
    return Issuer(
        name=name, kind=kind, level=level, province=province.name,
        city=city.name if city else "", county=county.name if county else "", town=town.name if town else "",
        gov=gov, place=written, names=names, site=site, adcode=me.code,
    )


# ---------------------------------------------------------------- filling
NUMBER_VARIANTS = 16  # renderings of each template's counts: variant 0 keeps the seed's own numbers


def render_numbers(template: str, rng: random.Random | None) -> str:
    """Fill the count (⟪#26⟫) and percentage (⟪%98⟫) placeholders; ``rng=None`` keeps the originals."""
    if "⟪#" not in template and "⟪%" not in template:
        return template

    def repl(m: re.Match[str]) -> str:
        key = m.group(1)
        if key[0] == "#":
            return key[1:] if rng is None else _perturb(key[1:], rng)
        if key[0] == "%":
            value = float(key[1:])
            if rng is None or (value >= 100 and rng.random() < 0.7):
                return key[1:]
            # High rates (办结率 98%) stay high; low ones (纠错率 18%) move around.
            new = rng.uniform(max(85.0, value - 10), 100) if value >= 85 else min(99.0, value * rng.uniform(0.6, 1.4))
            return f"{new:.1f}".rstrip("0").rstrip(".") if "." in key else str(max(1, round(new)))
        return m.group(0)

    return _PLACEHOLDER.sub(repl, template)


def number_variants(templates: list[str]) -> list[list[str]]:
    """Each template in NUMBER_VARIANTS renderings (a fixed RNG: the corpus seed picks among them)."""
    rng = random.Random("numbers")
    return [[render_numbers(t, None if v == 0 else rng) for v in range(NUMBER_VARIANTS)] for t in templates]


def _perturb(number: str, rng: random.Random) -> str:
    if "." in number:
        decimals = len(number.split(".")[1])
        return f"{float(number) * rng.uniform(0.5, 1.8):.{decimals}f}"
    value = int(number)
    if value <= 10:
        return str(rng.randint(1, 12))
    return str(max(1, round(value * rng.uniform(0.4, 2.0))))


def _fill(text: str, names: dict[str, str], year: int) -> str:
    """Fill place, level-word and year placeholders (counts are filled already)."""
    if "⟪" not in text:
        return text
    parts = _PLACEHOLDER.split(text)  # literal, key, literal, key, …
    get = names.get
    parts[1::2] = [get(key) or _fill_other(key, year) for key in parts[1::2]]
    return "".join(parts)


def _fill_other(key: str, year: int) -> str:
    if key[0] == "y":
        return str(year + int(key[1:]))
    if key[0] in "#%":  # a count in an ad-hoc string
        return key[1:]
    return ""


# ---------------------------------------------------------------- documents
@dataclass
class Document:
    index: int
    issuer: Issuer
    year: int  # the year the content is about
    doc_type: str  # annual_report | other
    subtype: str  # annual | news | interpretation | plan
    title: str
    publisher: str
    publish_date: str  # ISO
    written_date: str
    lines: list[str]  # body lines (no title); headings are lines of their own
    headings: set[int]  # indexes of heading lines in ``lines``
    signature: list[str]
    measures: list[str]
    target: int


_MEASURE = number_variants(MEASURE_TEMPLATES)
_VOCAB = number_variants(VOCAB_TEMPLATES)


def target_length(rng: random.Random, level: str, kind: str, subtype: str) -> int:
    factor = LEVEL_LENGTH[level] * (0.85 if kind == "部门" else 1.0) * SUBTYPE_LENGTH.get(subtype, 1.0)
    value = math.exp(rng.gauss(math.log(MEDIAN_LENGTH * LENGTH_BASE * factor), LENGTH_SIGMA))
    return int(min(MAX_LENGTH, max(MIN_LENGTH, value)))


class _Composer:
    """Builds the body of one document from the pools."""

    def __init__(self, rng: random.Random, res: Resources, issuer: Issuer, year: int) -> None:
        self.rng, self.res, self.issuer, self.year = rng, res, issuer, year
        self.draws: dict[str, list] = {}
        self.measures: list[str] = []
        self.pending_measures: list[str] = []
        self.vocab_rate = rng.uniform(0.05, 0.15)

    def sentence(self, kind: str) -> str:
        """One sentence of ``kind`` (places unfilled): a pool sentence (no repeats until
        the pool is used up), a named measure, or a dictionary-word template."""
        rng = self.rng
        r = rng.random
        if kind in ("measures", "plans") and r() < self.vocab_rate:
            template = _VOCAB[int(r() * len(_VOCAB))][int(r() * NUMBER_VARIANTS)]
            words, cum = self.res.words, self.res.word_cum
            total = cum[-1]
            while "{w}" in template:
                template = template.replace("{w}", words[bisect.bisect(cum, r() * total)], 1)
            return template
        if self.pending_measures and kind in ("measures", "plans", "news") and r() < 0.25:
            return self.measure_sentence(self.pending_measures.pop())
        variants = self.res.pools.variants.get(kind) or self.res.pools.variants["measures"]
        # A lazy Fisher-Yates shuffle: draws without replacement, O(1) each.
        state = self.draws.get(kind)
        size = len(variants)
        if state is None or state[1] >= size:
            state = self.draws[kind] = [list(range(size)), 0]
        order, k = state
        j = k + int(r() * (size - k))
        order[k], order[j] = order[j], order[k]
        state[1] = k + 1
        return variants[order[k]][int(r() * NUMBER_VARIANTS)]

    def measure_sentence(self, measure: str) -> str:
        rng = self.rng
        surface = "双随机、一公开" if measure == "双随机一公开" and rng.random() < 0.5 else measure
        template = _MEASURE[int(rng.random() * len(_MEASURE))][int(rng.random() * NUMBER_VARIANTS)]
        if surface == "双随机、一公开":
            template = template.replace("“{m}”", "{m}")
        return template.replace("{m}", surface)

    def subheading(self, kind: str) -> str:
        pool = self.res.pools.subheadings.get(kind) or self.res.pools.subheadings["measures"]
        return self.rng.choice(pool)

    def paragraph(self, kind: str, budget: int, enumerate_items: bool) -> str:
        parts: list[str] = []
        size = 0
        n = 0
        sentence, r = self.sentence, self.rng.random
        while size < budget or not parts:
            s = sentence(kind)
            if enumerate_items and n < 10 and r() < 0.7:
                s = f"{CN_NUMERALS[n]}是{s}"
                n += 1
            parts.append(s)
            size += len(s)
        return "".join(parts)

    def section_body(self, kind: str, budget: int, style: str) -> tuple[list[str], set[int]]:
        """Lines of one section: sub-items with headings, or plain paragraphs."""
        lines: list[str] = []
        heads: set[int] = set()
        rng = self.rng
        if kind in ("shortcomings", "plans", "responsibility") and (budget < 700 or rng.random() < 0.35):
            size = 0
            while size < budget or not lines:
                para = self.paragraph(kind, min(budget, rng.randint(250, 600)), enumerate_items=rng.random() < 0.6)
                lines.append(para)
                size += len(para)
            return lines, heads
        items = max(2, min(15, round(budget / rng.randint(600, 1400))))
        per_item = budget / items
        seen: set[str] = set()
        for k in range(items):
            head = self.subheading(kind)
            for _ in range(5):
                if head not in seen:
                    break
                head = self.subheading(kind)
            seen.add(head)
            numbered = f"（{SUB_NUMERALS[k]}）{head}"
            size = len(numbered)
            first = True
            while size < per_item or first:
                para = self.paragraph(kind, min(per_item, rng.randint(200, 700)), enumerate_items=rng.random() < 0.4)
                if first and style == "inline":
                    lines.append(f"{numbered}。{para}")
                elif first:
                    heads.add(len(lines))
                    lines.extend([numbered, para])
                else:
                    lines.append(para)
                first = False
                size += len(para)
        return lines, heads


def _dates(rng: random.Random, year: int) -> tuple[str, str]:
    """(written, published) in Jan-Mar of the next year."""
    month = rng.randint(1, 3)
    day = rng.randint(1, 28)
    written_day = max(1, day - rng.randint(0, 7))
    y = year + 1
    return f"{y}-{month:02d}-{written_day:02d}", f"{y}-{month:02d}-{day:02d}"


def _cn_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{y}年{int(m)}月{int(d)}日"


def annual_title(rng: random.Random, issuer: Issuer, year: int) -> str:
    name = issuer.name
    if issuer.kind == "部门":
        forms = ["{n}{Y}年法治政府建设年度报告", "{n}关于{Y}年度法治政府建设工作情况的报告",
                 "{n}{Y}年度法治政府建设情况报告", "{n}关于{Y}年法治政府建设情况的报告"]
    elif issuer.kind == "党委":
        forms = ["{n}关于{Y}年度法治政府建设工作的报告", "{n}{g}关于{Y}年度法治政府建设情况的报告"]
    else:
        forms = ["{n}关于{Y}年度法治政府建设情况的报告", "{n}关于{Y}年法治政府建设工作情况的报告",
                 "{n}{Y}年度法治政府建设情况报告", "{p}{Y}年法治政府建设年度报告", "{n}{Y}年法治政府建设工作报告"]
    return rng.choice(forms).format(n=name, g=issuer.gov, p=issuer.place, Y=year)


def make_document(index: int, seed: int, res: Resources) -> Document:
    """The content of page ``index``: a pure function of (seed, index)."""
    rng = random.Random(f"{seed}/{index}")
    annual = rng.random() < ANNUAL_SHARE
    subtype = "annual" if annual else rng.choices(["news", "interpretation", "plan"], weights=[0.5, 0.25, 0.25])[0]
    issuer = make_issuer(rng, res)
    # News come from a government or a department; interpretations and plans from the government.
    while not annual and (issuer.kind == "党委" or (subtype != "news" and issuer.kind != "政府")):
        issuer = make_issuer(rng, res, level=issuer.level)
    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    target = target_length(rng, issuer.level, issuer.kind, subtype)
    written, published = _dates(rng, year)
    comp = _Composer(rng, res, issuer, year)
    count = min(8, 1 + int(rng.expovariate(1 / 2.2)) + target // 12000)
    picks = [res.measures[bisect.bisect(res.measure_cum, rng.random() * res.measure_cum[-1])] for _ in range(count)]
    comp.pending_measures = list(dict.fromkeys(picks))
    comp.measures = list(comp.pending_measures)
    if annual:
        title, lines, heads, signature = _annual_body(rng, comp, issuer, year, target, written)
        publisher = issuer.name if issuer.kind != "党委" or rng.random() < 0.5 else issuer.gov
    else:
        title, lines, heads, signature, publisher = _other_body(rng, comp, issuer, year, target, written, subtype)
    # Measures that found no slot go into the last paragraph of the body.
    leftover = comp.pending_measures
    if leftover:
        extra = "".join(comp.measure_sentence(m) for m in leftover)
        last = max((i for i in range(len(lines)) if i not in heads), default=0)
        lines[last] += extra
    lines = _fill("\n".join(lines), issuer.names, year).split("\n")
    lines = _fit(lines, heads, title, signature)
    _ensure_min(rng, comp, lines, heads, title, signature)
    return Document(index=index, issuer=issuer, year=year, doc_type="annual_report" if annual else "other",
                    subtype=subtype, title=title, publisher=publisher, publish_date=published, written_date=written,
                    lines=lines, headings=heads, signature=signature, measures=comp.measures, target=target)


def _fit(lines: list[str], heads: set[int], title: str, signature: list[str]) -> list[str]:
    """Trim a body that overshot MAX_LENGTH (sentence by sentence from the longest paragraph)."""
    def total() -> int:
        return len(title) + 1 + sum(len(x) + 1 for x in lines) + sum(len(x) + 1 for x in signature)

    excess = total() - MAX_LENGTH
    while excess > 0:
        i = max((j for j in range(len(lines)) if j not in heads), key=lambda j: len(lines[j]))
        sentences = _SENTENCE.findall(lines[i])
        if len(sentences) <= 1:
            break
        cut = len(sentences[-1])
        lines[i] = lines[i][:-cut]
        excess -= cut
    return lines


def _ensure_min(rng: random.Random, comp: _Composer, lines: list[str], heads: set[int], title: str,
                signature: list[str]) -> None:
    """Lengthen a body that came out under MIN_LENGTH (placeholders fill shorter than they read)."""
    size = len(title) + 1 + sum(len(x) + 1 for x in lines) + sum(len(x) + 1 for x in signature)
    last = max((i for i in range(len(lines)) if i not in heads), default=len(lines) - 1)
    while size < MIN_LENGTH + 20:
        extra = _fill(comp.sentence("measures"), comp.issuer.names, comp.year)
        lines[last] += extra
        size += len(extra)


def _annual_body(rng, comp: _Composer, issuer: Issuer, year: int, target: int, written: str):
    title = annual_title(rng, issuer, year)
    fmt = {"Y": str(year), "Y1": str(year + 1), "I": _self_reference(rng, issuer),
           "plan": "（2015—2020年）" if year <= 2020 else "（2021—2025年）"}
    lines: list[str] = []
    heads: set[int] = set()
    if rng.random() < 0.7:
        if issuer.kind == "部门":
            lines.append(f"{issuer.gov}：")
        elif issuer.level == "省级":
            lines.append("党中央、国务院：")
        else:
            n = issuer.names
            lines.append(rng.choice([f"中共{n['P']}委员会、{_government_of(n['P'])}：", f"{n['sup']}："]))
    pool = comp.res.pools.preambles
    if rng.random() < 0.35 and pool:
        preamble = rng.choice(pool) + _format(rng.choice(PREAMBLES).split("。")[-1], fmt)
    else:
        preamble = _format(rng.choice(PREAMBLES), fmt)
    lines.append(preamble)
    if year <= 2019:
        order = ["measures", "shortcomings", "plans"] if rng.random() < 0.75 else ["measures", "responsibility",
                                                                                   "shortcomings", "plans"]
    else:
        order = rng.choice([["measures", "responsibility", "shortcomings", "plans"],
                            ["responsibility", "measures", "shortcomings", "plans"],
                            ["measures", "shortcomings", "plans"]])
    share = {"measures": 0.66, "responsibility": 0.09, "shortcomings": 0.09, "plans": 0.16}
    fixed = len(title) + sum(len(x) for x in lines) + 60
    budget = max(400, target - fixed)
    caps = {"responsibility": 3500, "shortcomings": 2500, "plans": 5000}
    budgets = {k: min(caps.get(k, 10**9), budget * share[k]) for k in order}
    spare = budget - sum(budgets.values())
    budgets["measures"] += max(0, spare)
    style = "inline" if rng.random() < 0.35 else "own"
    for number, kind in enumerate(order):
        heads.add(len(lines))
        heading = _format(rng.choice(HEADINGS[kind]), fmt)
        lines.append(f"{CN_NUMERALS[number]}、{heading}")
        if kind == "plans" and rng.random() < 0.5:
            lines.append(f"下一步，{fmt['I']}将{comp.sentence('plans')}")
        body, body_heads = comp.section_body(kind, int(max(150, budgets[kind] - len(heading))), style)
        heads.update(len(lines) + i for i in body_heads)
        lines.extend(body)
    signature = []
    if rng.random() < 0.6:
        signature.append("特此报告。")
    signature += [issuer.name, _cn_date(written)]
    return title, lines, heads, signature


def _government_of(place: str) -> str:
    return place + "人民政府"


def _self_reference(rng: random.Random, issuer: Issuer) -> str:
    if issuer.kind == "部门":
        return rng.choice([issuer.name, "我局"])
    return rng.choice([issuer.place, issuer.gov, f"我{issuer.names['u']}"])


def _format(template: str, fmt: dict[str, str]) -> str:
    for key, value in fmt.items():
        template = template.replace("{" + key + "}", value)
    return template


def _other_body(rng, comp: _Composer, issuer: Issuer, year: int, target: int, written: str, subtype: str):
    place = issuer.place
    lines: list[str] = []
    heads: set[int] = set()
    publisher = issuer.name
    signature: list[str] = []
    if subtype == "news":
        title = rng.choice(NEWS_TITLES).format(P=place, slogan=rng.choice(SLOGANS), cn=rng.choice(CN_NUMERALS))
        lines.append(f"近年来，{place}坚持以习近平法治思想为指导，紧紧围绕法治政府建设目标任务，"
                     "不断加强组织领导，强化工作落实，统筹推进法治政府建设不断取得新成效。")
        size = len(lines[0])
        while size < target - len(title):
            head = comp.subheading("news")
            heads.add(len(lines))
            lines.append(head)
            para = comp.paragraph("news", rng.randint(300, 900), enumerate_items=False)
            lines.append(para)
            size += len(head) + len(para)
        signature.append(f"（{place}司法局供稿）" if rng.random() < 0.5 else f"来源：{place}司法局")
    elif subtype == "interpretation":
        doc = rng.choice([f"{place}法治政府建设实施方案（2021—2025年）", f"{place}{year}年法治政府建设工作要点",
                          f"{place}关于加强法治政府建设的实施意见"])
        title = rng.choice([f"《{doc}》政策解读", f"关于《{doc}》的解读", f"一图读懂《{doc}》（文字解读）"])
        lines.append(f"为深入贯彻落实党中央、国务院关于法治政府建设的决策部署，{issuer.gov}制定印发了《{doc}》。"
                     "现就有关内容解读如下：")
        parts = [("起草背景", "measures"), ("主要内容", "plans"), ("主要目标", "plans"), ("保障措施", "responsibility")]
        for k, (head, kind) in enumerate(parts):
            heads.add(len(lines))
            lines.append(f"{CN_NUMERALS[k]}、{head}")
            lines.append(comp.paragraph(kind, max(200, (target - 200) // len(parts)), enumerate_items=kind == "plans"))
    else:
        doc_title = rng.choice([f"{place}法治政府建设实施方案（2021—2025年）", f"{place}{year}年法治政府建设工作要点"])
        title = rng.choice([f"{issuer.gov}关于印发《{doc_title}》的通知", doc_title])
        lines.append(f"为深入贯彻落实《法治政府建设实施纲要（2021—2025年）》，加快建设法治政府，"
                     f"结合{place}实际，制定本方案。")
        heads.add(len(lines))
        lines.append("一、总体要求")
        lines.append(comp.paragraph("plans", 300, enumerate_items=False))
        heads.add(len(lines))
        lines.append("二、主要任务")
        body, body_heads = comp.section_body("plans", max(300, target - 900), "own")
        heads.update(len(lines) + i for i in body_heads)
        lines.extend(body)
        heads.add(len(lines))
        lines.append("三、组织保障")
        lines.append(comp.paragraph("responsibility", 300, enumerate_items=True))
        signature += [issuer.gov, _cn_date(written)]
        publisher = issuer.gov
    return title, lines, heads, signature, publisher


def plain_text(doc: Document) -> str:
    """The document as text: title, body, signature - what ``length`` counts."""
    return "\n".join([doc.title, *doc.lines, *doc.signature])


# ---------------------------------------------------------------- pages
def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


CMS_STYLES = ("trs", "ucap", "dahan", "generic")


def _index_number(rng: random.Random, doc: Document) -> str:
    code = doc.issuer.adcode.ljust(9, "0") + rng.choice("0123456789ABCDEFX")
    return f"{code}/{doc.publish_date[:4]}-{rng.randint(1, 999):05d}"


def _doc_number(rng: random.Random, doc: Document) -> str:
    if rng.random() < 0.5:
        return ""
    short = doc.issuer.names["s"][:2]
    return f"{short}{rng.choice(['政报', '政发', '司发', '法治办'])}〔{doc.publish_date[:4]}〕{rng.randint(1, 60)}号"


def _related_titles(rng: random.Random, doc: Document) -> list[tuple[str, str]]:
    out = []
    for k in range(rng.randint(3, 6)):
        y = doc.year - k - 1
        place = doc.issuer.place
        title = rng.choice([f"{doc.issuer.gov}关于{y}年度法治政府建设情况的报告", f"{place}{y}年法治政府建设工作要点",
                            f"{place}召开全面依法治{doc.issuer.names['u']}委员会会议",
                            f"{place}开展“法律明白人”培训活动"])
        out.append((title, f"{y + 1}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"))
    return out


def render_html(rng: random.Random, doc: Document, lines: list[str], title: str, charset: str) -> str:
    issuer = doc.issuer
    style = CMS_STYLES[int(hashlib.md5(issuer.site.encode()).hexdigest(), 16) % len(CMS_STYLES)]
    meta_tag = (f'<meta charset="{charset}">' if rng.random() < 0.5
                else f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">')
    menu = (("zwgk", "政务公开"), ("zwfw", "政务服务"), ("hdjl", "互动交流"), ("zjxx", f"走进{issuer.names['s']}"),
            ("ztzl", "专题专栏"))
    nav = '<li><a href="/">首页</a></li>' + "".join(f'<li><a href="/{slug}/">{label}</a></li>' for slug, label in menu)
    crumb_label = rng.choice(["您当前的位置：", "当前位置：", "您现在的位置："])
    column = rng.choice(["法治政府建设", "法治政府建设年度报告", "依法行政", "法治政府"])
    crumb_class = "position" if style != "generic" else "breadcrumb"
    crumb = (f'<div class="{crumb_class}">{crumb_label}<a href="/">首页</a> &gt; '
             f'<a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/fzzf/">{column}</a></div>')
    index_no, doc_no = _index_number(rng, doc), _doc_number(rng, doc)
    written, published = doc.written_date, doc.publish_date
    if style in ("trs", "ucap") or rng.random() < 0.3:
        rows = [("索 引 号：", index_no, "主题分类：", rng.choice(["综合政务", "政府法制", "司法"])),
                ("发布机构：", doc.publisher, "发文日期：", written),
                ("文　　号：", doc_no, "发布日期：", published)]
        if rng.random() < 0.5:
            rows.append(("标　　题：", title, "", ""))
        cells = "".join(
            "<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in row if c or row[0] != "标　　题：") + "</tr>"
            for row in rows)
        meta = f'<table class="xxgk-table" width="100%">{cells}</table>'
        info = ""
    else:
        meta = ""
        info = (f'<div class="info"><span>发布时间：{published}</span>　<span>来源：{_esc(doc.publisher)}</span>　'
                f'<span>浏览次数：{rng.randint(30, 9000)}</span></div>')
    tool = ('<div class="tool">【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> '
            '<a href="javascript:doZoom(14)">小</a>】【<a href="javascript:window.print()">打印本页</a>】'
            '【<a href="javascript:window.close()">关闭窗口</a>】</div>')
    container = {"trs": '<div class="TRS_Editor">', "ucap": '<div id="UCAP-CONTENT">', "dahan": '<div id="zoom">',
                 "generic": '<div class="article-content">'}[style]
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
    related = ""
    if rng.random() < 0.7:
        items = "".join(f'<li><a href="/zwgk/fzzf/{rng.randint(10000, 99999)}.html">{_esc(t)}</a><span>{d}</span></li>'
                        for t, d in _related_titles(rng, doc))
        related = f'<div class="related"><h3>相关链接</h3><ul>{items}</ul></div>'
    prov_short = issuer.names["v"][:1] if issuer.names["v"] else "京"
    footer = (f'<div class="footer"><p>版权所有：{_esc(issuer.site)}　主办单位：{_esc(issuer.gov)}办公室</p>'
              f'<p>网站标识码：{issuer.adcode[:6]}{rng.randint(1000, 9999)}　'
              f'<a href="https://beian.miit.gov.cn/">{prov_short}ICP备{rng.randint(10000000, 99999999)}号</a>　'
              f'{prov_short}公网安备 {rng.randint(10**13, 10**14 - 1)}号</p>'
              f'<p>联系电话：0{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}</p></div>')
    heading_tag = f'<h1 class="title">{_esc(title)}</h1>'
    if style == "dahan":
        heading_tag = f'<div class="title"><h1>{_esc(title)}</h1></div>'
    pub_time = f"{published} 09:{rng.randint(10, 59)}"
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n{meta_tag}\n<title>{_esc(title)}_{_esc(issuer.site)}</title>\n'
        f'<meta name="ArticleTitle" content="{_esc(title)}">\n<meta name="PubDate" content="{pub_time}">\n'
        f'<link rel="stylesheet" href="/css/style.css">\n<script src="/js/jquery.min.js"></script>\n</head>\n<body>\n'
        f'<div class="header"><div class="logo"><img src="/images/logo.png" alt="{_esc(issuer.site)}"></div>'
        f'<div class="search"><input type="text" placeholder="请输入关键字"><button>搜索</button></div></div>\n'
        f'<div class="nav"><ul>{nav}</ul></div>\n{crumb}\n<div class="main">\n{meta}\n'
        f'<div class="article">{heading_tag}\n{info}\n{tool}\n{container}\n' + "\n".join(paras) + "\n</div>\n</div>\n"
        f"{related}\n</div>\n{footer}\n</body>\n</html>\n"
    )


def render_text(rng: random.Random, doc: Document, lines: list[str], title: str, signature: list[str]) -> str:
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
        column = rng.choice(["政务公开", "全面依法治市", "法治政府"])
        return "\n".join([f"您当前的位置是:首页 > {column}", "", title, "", *body,
                          *signature, "", "【字体: 】【收藏】 【打印】【关闭"]) + "\n"
    sep = "\n\n" if rng.random() < 0.3 else "\n"
    return sep.join([title, *body, *signature]) + "\n"


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


# ---------------------------------------------------------------- driver
def _write_range(indexes: list[int], out: Path, seed: int, n: int, html_share: float, dup_share: float) -> list[dict]:
    res = resources()
    rows = []
    for i in indexes:
        page = make_page(i, seed, n, html_share, dup_share, res)
        (out / page.name).write_bytes(page.data)
        rows.append(page.row)
    return rows


def _worker(tasks, results, out: Path, seed: int, n: int, html_share: float, dup_share: float) -> None:
    while True:
        start = tasks.get()
        if start is None:
            return
        try:
            indexes = list(range(start, min(n, start + CHUNK)))
            results.put((start, _write_range(indexes, out, seed, n, html_share, dup_share), None))
        except Exception:
            results.put((start, [], traceback.format_exc()))


CHUNK = 100


def _prepare(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a folder")
    if out.exists() and any(out.iterdir()):
        if not force:
            raise FileExistsError(f"{out} exists and is not empty (use --force to write into it)")
        for path in out.iterdir():  # only our own pages and manifest: never anything else
            if path.is_file() and (PAGE_NAME.match(path.name) or path.name == MANIFEST):
                path.unlink()
    out.mkdir(parents=True, exist_ok=True)


def generate(n: int, out: Path, seed: int = 0, html_share: float = 0.8, *, dup_share: float = DUP_SHARE,
             jobs: int | None = None, progress: bool | None = None, force: bool = False) -> list[Path]:
    """Write ``n`` pages and ``manifest.jsonl`` into ``out``; return the page paths in order.

    Raises FileExistsError when ``out`` holds files and ``force`` is false;
    with ``force`` only earlier pages of this generator and the manifest are removed.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    if not 0 <= html_share <= 1 or not 0 <= dup_share < 1:
        raise ValueError("html_share must be in [0, 1] and dup_share in [0, 1)")
    out = Path(out)
    _prepare(out, force)
    resources()  # loaded before forking, shared by the workers
    jobs = jobs if jobs is not None else (min(os.cpu_count() or 1, 8) if n >= 2000 else 1)
    show = progress if progress is not None else n >= 2000
    from tqdm import tqdm

    bar = tqdm(total=n, unit="page", file=sys.stderr, disable=not show, desc="pages")
    rows: list[dict] = []
    try:
        if jobs <= 1 or n < 2 * CHUNK or "fork" not in multiprocessing.get_all_start_methods():
            for start in range(0, n, CHUNK):
                chunk = _write_range(list(range(start, min(n, start + CHUNK))), out, seed, n, html_share, dup_share)
                rows.extend(chunk)
                bar.update(len(chunk))
        else:
            rows = _generate_parallel(n, out, seed, html_share, dup_share, jobs, bar)
    finally:
        bar.close()
    with (out / MANIFEST).open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return [out / row["file"] for row in rows]


def _generate_parallel(n, out, seed, html_share, dup_share, jobs, bar) -> list[dict]:
    ctx = multiprocessing.get_context("fork")
    gc.freeze()  # the workers share the loaded resources; a collection would copy every page of them
    tasks, results = ctx.Queue(), ctx.Queue()
    starts = list(range(0, n, CHUNK))
    for start in starts:
        tasks.put(start)
    for _ in range(jobs):
        tasks.put(None)
    procs = [ctx.Process(target=_worker, args=(tasks, results, out, seed, n, html_share, dup_share), daemon=True)
             for _ in range(jobs)]
    for p in procs:
        p.start()
    chunks: dict[int, list[dict]] = {}
    try:
        while len(chunks) < len(starts):
            start, chunk, error = results.get()
            if error:
                raise RuntimeError(f"page generation failed in chunk {start}:\n{error}")
            chunks[start] = chunk
            bar.update(len(chunk))
    finally:
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():
                p.terminate()
    return [row for start in starts for row in chunks[start]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of pages")
    parser.add_argument("out", type=Path, help="output folder (created; must be empty unless --force)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--html-share", type=float, default=0.8, help="share of .html pages (the rest are .txt)")
    parser.add_argument("--dup-share", type=float, default=DUP_SHARE, help="share of traditional-script mirrors")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPUs for large N)")
    parser.add_argument("--force", action="store_true", help="write into a non-empty folder, replacing earlier pages")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("n must be >= 0")
    try:
        paths = generate(args.n, args.out, seed=args.seed, html_share=args.html_share, dup_share=args.dup_share,
                         jobs=args.jobs, progress=False if args.no_progress else None, force=args.force)
    except FileExistsError as exc:
        print(f"make_corpus: refusing to write: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        parser.error(str(exc))
    print(f"wrote {len(paths)} pages and {MANIFEST} to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
