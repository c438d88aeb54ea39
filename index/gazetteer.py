"""Administrative divisions of China: names → places, issuers → governments.

Reports name their issuer the way people write it (五原县, 沂源县中庄镇人民政府,
中共洪江区工委洪江区管理委员会), and the same name often exists in several
provinces (松山区, 朝阳区).  This module turns such a name into one division of
the 2023 NBS list, resolved up to its province, using two kinds of evidence:

1. the higher-level names inside the issuer itself (沂源县 before 中庄镇);
2. the place names the report's text mentions (赤峰市 … 内蒙古 → 赤峰市松山区).

The data is ``index/data/divisions.tsv``, built by ``scripts/make_gazetteer.py``
(see ``index/data/DIVISIONS.md``).  The alias rules (suffix stripping, ethnic
autonomy names, 管理区/开发区 base names) live here, in :func:`derive_names`, so
the build script and the library share one definition.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from govsearch.index.bundled import data_file

DATA_FILE = data_file("divisions.tsv")
COLUMNS = ("code", "name", "level", "parent", "short", "aliases")

PROVINCE, CITY, COUNTY, TOWN = "省级", "市级", "县级", "乡镇级"
LEVEL_BY_CODE_LENGTH = {2: PROVINCE, 4: CITY, 6: COUNTY, 9: TOWN}

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# ---------------------------------------------------------------- naming rules
# The 55 recognised minorities, as written inside autonomous-area names
# (宁夏回族自治区, 黔东南苗族侗族自治州, 伊犁哈萨克自治州 - the 族 is optional).
_ETHNIC = sorted(
    [
        "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼",
        "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜",
        "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒",
        "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴",
        "珞巴", "基诺",
    ],
    key=len,
    reverse=True,
)

# Division suffixes by level, longest first.  Special zones (管理区, 开发区, …)
# are county-level units whose reports usually write "base + 区".
_ZONE_SUFFIXES = (
    "高新技术产业开发区", "高新技术产业园区", "高技术产业开发区", "高新技术开发区", "经济技术开发区",
    "综合改革示范区", "城乡一体化示范区", "经济综合实验区", "现代产业园区", "综合实验区", "经济开发区",
    "产业开发区", "风景名胜区", "行政委员会", "管理委员会", "工业园区", "产业园区", "开发区", "管理区", "示范区",
    "实验区", "管委会", "新区", "新城",
)
# Short forms a zone is written as: 净月高新区, 芦台开发区, 洪江区.
_ZONE_ABBREVIATIONS = {
    "高新技术产业开发区": ("高新区", "区"),
    "高新技术产业园区": ("高新区", "区"),
    "高技术产业开发区": ("高新区", "区"),
    "高新技术开发区": ("高新区", "区"),
    "经济技术开发区": ("经开区", "开发区", "区"),
    "经济开发区": ("开发区", "区"),
    "产业开发区": ("开发区", "区"),
    "开发区": ("区",),
    "管理区": ("区",),
    "新区": ("区",),
}
_SUFFIXES = {
    PROVINCE: ("自治区", "省", "市"),
    CITY: ("自治州", "地区", "市", "盟"),
    COUNTY: ("自治县", "自治旗", "特区", "林区", "县", "区", "市", "旗"),
    TOWN: ("街道办事处", "办事处", "街道", "苏木", "镇", "乡"),
}
_AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗")

TOWN_SUFFIXES = ("街道", "镇", "乡", "苏木")
COUNTY_SUFFIXES = (*_ZONE_SUFFIXES, "自治县", "自治旗", "县", "区", "旗")

# What may follow a division name inside an issuer: the organ itself.
_ORGAN = (
    "人民政府|政府|人民代表大会|人大|党工委|纪工委|党委|工委|纪委|管理委员会|管委会|委员会|办事处|行政公署"
    "|办公室|委|办|局|所|站|中心|院"
)
# A division suffix right after a short form means the short form is part of a longer name.
_SUFFIX_START = re.compile("街道|苏木|[镇乡县区市旗州盟省]")
# Characters between two names that may be part of the second one (大 of 大石桥镇).
_LEAD = re.compile(f"[{_HAN}]+")
_NOT_LEAD = re.compile(f"中共|驻|和|与|及|的|{_ORGAN}")
_TAIL = re.compile(
    rf"(?:中共|中国共产党)?([{_HAN}]{{1,12}}?(?:{'|'.join(TOWN_SUFFIXES + COUNTY_SUFFIXES)}))(?:{_ORGAN}|$)"
)


def _strip_ethnic(base: str) -> str:
    """黔东南苗族侗族 → 黔东南, 新疆维吾尔 → 新疆; keeps 内蒙古 and 鄂温克 whole."""
    while True:
        if base.endswith("族"):
            stem = base[:-1]
            ethnic = next((e for e in _ETHNIC if stem.endswith(e)), "")
            if not ethnic:
                return base
            if len(stem) - len(ethnic) < 2:
                return stem  # 鄂温克族(自治旗): the people is the name
            base = stem[: -len(ethnic)]
            continue
        # Without 族 only multi-character names are safe to strip (伊犁哈萨克).
        ethnic = next((e for e in _ETHNIC if len(e) > 1 and base.endswith(e)), "")
        if ethnic and len(base) - len(ethnic) >= 2:
            base = base[: -len(ethnic)]
            continue
        return base


def split_suffix(name: str, level: str) -> tuple[str, str]:
    """(base, suffix) of an official name: 内蒙古自治区 → (内蒙古, 自治区).

    Autonomous names lose their peoples too (广西壮族自治区 → 广西); a name
    that is only a suffix (经济技术开发区) has an empty base, and a name with no
    known suffix is its own base.
    """
    if level == COUNTY:
        for suffix in _ZONE_SUFFIXES:
            if name.endswith(suffix):
                base = name[: -len(suffix)]
                if len(base) == 1:
                    break  # not a zone of its own name: 港经济开发区
                if suffix in ("管委会", "管理委员会", "行政委员会") and base:
                    inner, zone = split_suffix(base, level)  # 乌拉盖管理区管委会
                    if zone in _ZONE_SUFFIXES:
                        return inner, zone
                return base, suffix
    for suffix in _SUFFIXES[level]:
        if not name.endswith(suffix):
            continue
        base = name[: -len(suffix)]
        if suffix in _AUTONOMOUS:
            return _strip_ethnic(base), suffix
        if level in (COUNTY, TOWN) and base.endswith("民族"):
            return _strip_ethnic(base[:-2]), suffix  # 巴彦塔拉达斡尔民族乡
        if level in (COUNTY, TOWN) and base.endswith("族"):
            return _strip_ethnic(base), suffix  # 管城回族区, 某某满族乡
        return base, suffix
    return name, ""


def _written_forms(base: str, suffix: str, name: str, level: str) -> list[str]:
    """How a report may write a division with this base and suffix."""
    if len(base) < 2:
        return []
    if suffix in _ZONE_ABBREVIATIONS:
        return [base + s for s in _ZONE_ABBREVIATIONS[suffix]]
    if suffix in ("管委会", "管理委员会", "行政委员会", *_ZONE_SUFFIXES):
        return [base + "区"]
    if suffix == "自治州":
        return [base + "州"]  # 延边州, 恩施州
    if suffix in ("自治县", "自治旗"):
        return [base + suffix[-1]]  # 本溪县, 鄂温克旗
    if suffix in ("街道办事处", "办事处"):
        return [base + "街道"]
    if level in (COUNTY, TOWN) and base + suffix != name:
        return [base + suffix]  # 管城回族区 → 管城区, 某某回族乡 → 某某乡
    return []


def derive_names(
    name: str, level: str, ancestors: list[str], reserved: frozenset[str] = frozenset()
) -> tuple[str, list[str]]:
    """(short, aliases) of a division, the forms reports use besides ``name``.

    ``short`` is the bare base (内蒙古, 赤峰, 五原), "" when under two
    characters.  ``aliases`` keep a division suffix: 怀化市洪江管理区 →
    洪江管理区, 洪江区; 延边朝鲜族自治州 → 延边州.  ``ancestors`` are the
    official names above the division (province, city, county; "" where
    missing), stripped as prefixes where a name repeats them
    (唐山市汉沽管理区, 河北唐山芦台经济开发区).  A zone whose base is an
    ancestor's or a ``reserved`` name (长春经济技术开发区, 阜阳合肥现代产业园区)
    has no short form of its own.
    """
    zone = level == COUNTY and name.endswith(_ZONE_SUFFIXES)
    prefixes: list[str] = []
    for ancestor_level, ancestor in zip((PROVINCE, CITY, COUNTY), ancestors, strict=False):
        prefixes.append(ancestor)
        if zone:  # 河北唐山芦台经济开发区 drops 河北 and 唐山; 中原西路街道 keeps 中原
            prefixes.append(split_suffix(ancestor, ancestor_level)[0])
    prefixes = sorted({p for p in prefixes if len(p) >= 2}, key=len, reverse=True)

    forms = [name]
    while True:  # peel ancestor prefixes while a specific name remains
        current = forms[-1]
        prefix = next((p for p in prefixes if current.startswith(p)), "")
        if not prefix:
            break
        rest = current[len(prefix):]
        base, suffix = split_suffix(rest, level)
        if len(base) < 2 or not suffix or (zone and suffix not in _ZONE_SUFFIXES):
            break
        forms.append(rest)

    base, suffix = split_suffix(forms[-1], level)
    if zone and (base in prefixes or base in reserved):
        return "", forms[1:]
    aliases = forms[1:] + _written_forms(base, suffix, forms[-1], level)
    short = base if len(base) >= 2 and base != name and level != TOWN else ""
    unique = [a for a in dict.fromkeys(aliases) if a not in (name, short)]
    return short, unique


# ---------------------------------------------------------------- the records
@dataclass(frozen=True)
class Place:
    """One division with its chain of names, as the Report record stores it."""

    code: str  # adcode: 2 digits province, 4 city, 6 county, 9 town/street
    name: str  # official name, e.g. "五原县"
    level: str  # "省级" | "市级" | "县级" | "乡镇级"
    province: str  # full official province name, e.g. "内蒙古自治区"
    city: str  # prefecture ("" for a province); a 直辖市's own name for its districts
    county: str  # county/district/banner ("" above county level)
    town: str  # town/street ("" above town level)


@dataclass(frozen=True)
class _Mention:
    """A name found in a text (or an issuer) and the divisions it may mean."""

    start: int
    end: int
    surface: str
    codes: tuple[str, ...]
    lead: str = ""  # up to 3 unmatched characters just before, to name an unlisted unit


def _add(index: dict[str, list[str]], key: str, code: str) -> None:
    """index[key] += [code], once; a plain loop because load time matters."""
    codes = index.get(key)
    if codes is None:
        index[key] = [code]
    elif code not in codes:
        codes.append(code)


class _Table:
    """Leftmost-longest matching of many names: one dict, probed by leading bigram."""

    def __init__(self, names: dict[str, list[str]], bare: set[str]) -> None:
        self.names = names
        self.bare = bare  # short forms: 大石桥 is no mention inside 大石桥镇
        longest: dict[str, int] = {}
        for key in names:
            if len(key) > longest.get(key[:2], 1):
                longest[key[:2]] = len(key)
        self.longest = longest

    def scan(self, text: str) -> list[_Mention]:
        """Non-overlapping leftmost-longest matches, in text order."""
        found: list[_Mention] = []
        names, longest, bare = self.names, self.longest.get, self.bare
        i, n = 0, len(text) - 1
        while i < n:
            size = longest(text[i : i + 2], 0)
            while size >= 2:
                codes = names.get(text[i : i + size])
                if codes and not (text[i : i + size] in bare and _SUFFIX_START.match(text, i + size)):
                    found.append(_Mention(i, i + size, text[i : i + size], tuple(codes)))
                    i += size - 1
                    break
                size -= 1
            i += 1
        return found


def _specific_town(name: str) -> bool:
    """Whether a town's name can be told apart inside an issuer: not 街道, 城区, 龙镇 or 林场."""
    last = name[-1]
    if last in "镇乡":
        return len(name) >= 3
    if name.endswith(("街道", "苏木")):
        return len(name) >= 4
    return len(name) >= 4 and len(split_suffix(name, COUNTY)[0]) >= 2


def _telling(written: str, level: str) -> bool:
    """Whether a name in free text points at one place: not 城区, 郊区 or 矿区."""
    return level != COUNTY or len(written) > 2 or not written.endswith("区")


class Gazetteer:
    """The division list with name indexes; build it with :func:`load`."""

    def __init__(self, rows: list[tuple[str, str, str, str, str, str]]) -> None:
        self._name: dict[str, str] = {}
        self._parent: dict[str, str] = {}
        self._places: dict[str, Place] = {}
        self._exact: dict[str, list[str]] = {}
        self._alias: dict[str, list[str]] = {}  # short forms and aliases, for lookup
        self._written: dict[str, list[str]] = {}  # the forms an issuer may use besides official names
        self._shorts: set[str] = set()  # bare forms among them, not read inside a longer name
        context: dict[str, list[str]] = {}  # provinces, cities, counties: for free text
        exact, names, parents = self._exact, self._name, self._parent
        for code, name, level, parent, short, aliases in rows:
            names[code] = name
            parents[code] = parent
            if name in exact:
                exact[name].append(code)
            else:
                exact[name] = [code]
            if not (aliases or short):
                if level != TOWN and _telling(name, level):
                    _add(context, name, code)
                continue
            written = aliases.split(",") if aliases else []
            for alias in written:
                _add(self._alias, alias, code)
            if short:
                _add(self._alias, short, code)
                if level != COUNTY or (len(short) >= 3 and not name.endswith(_ZONE_SUFFIXES)):
                    written.append(short)  # not 2-character county bases (惠民, 光明, 新华): ordinary words
                    self._shorts.add(short)
            if level == TOWN:
                if _specific_town(name):
                    for w in written:
                        _add(self._written, w, code)
                continue
            for w in [name, *written]:
                if w != name:
                    _add(self._written, w, code)
                if _telling(w, level):
                    _add(context, w, code)
        self._context = _Table(context, self._shorts - exact.keys())  # an official name is never bare
        self._longest_name = max(map(len, exact))
        self._last_context: tuple[str, Counter[str]] = ("", Counter())

    # ------------------------------------------------------------ records
    def __len__(self) -> int:
        return len(self._name)

    def get(self, code: str) -> Place | None:
        """The division with this adcode, or None."""
        return self._place(code) if code in self._name else None

    def _place(self, code: str) -> Place:
        """The Place of a listed code, built once: most codes are never asked for."""
        place = self._places.get(code)
        if place is None:
            by_length = {len(c): self._name[c] for c in self._chain(code)}
            province = by_length.get(2, "")
            city = by_length.get(4, "")
            if not city and len(code) > 2 and province.endswith("市"):
                city = province  # 直辖市: 北京市朝阳区 has city 北京市
            place = Place(code, self._name[code], LEVEL_BY_CODE_LENGTH[len(code)], province, city,
                          by_length.get(6, ""), by_length.get(9, ""))
            self._places[code] = place
        return place

    def _chain(self, code: str) -> list[str]:
        """The code and its ancestors, lowest first."""
        chain = [code]
        while self._parent.get(chain[-1]):
            chain.append(self._parent[chain[-1]])
        return chain

    def lookup(self, name: str) -> list[Place]:
        """Every division called ``name``: official names first, then aliases (each by code)."""
        codes = sorted(self._exact.get(name, ())) + sorted(self._alias.get(name, ()))
        return [self._place(c) for c in dict.fromkeys(codes)]

    # ------------------------------------------------------------ free text
    def _mentions(self, text: str) -> Counter[str]:
        """How often each division is (possibly) named in ``text``; an ambiguous name counts for all."""
        last_text, last_counts = self._last_context  # one report is resolved several times in a row
        if text == last_text:
            return last_counts
        counts: Counter[str] = Counter()
        for mention in self._context.scan(text):
            counts.update(mention.codes)
        self._last_context = (text, counts)
        return counts

    def find_places(self, text: str) -> list[Place]:
        """Provinces, cities and counties ``text`` names, in order of first mention.

        A longest-match scan over official names and aliases.  A name shared
        by several divisions (朝阳区) is kept only when the text's other,
        unambiguous names single one out (长春市 … 朝阳区); otherwise dropped.
        """
        mentions = self._context.scan(text)
        sure = Counter(m.codes[0] for m in mentions if len(m.codes) == 1)
        found: list[str] = []
        for mention in mentions:
            codes = mention.codes
            if len(codes) > 1:
                scores = [(self._evidence(c, sure)[0], c) for c in codes]
                best = max(s for s, _ in scores)
                winners = [c for s, c in scores if s == best]
                codes = tuple(winners) if best > 0 and len(winners) == 1 else ()
            found += codes
        return [self._place(c) for c in dict.fromkeys(found)]

    def _evidence(self, code: str, mentions: Counter[str]) -> tuple[int, int]:
        """(ancestors named, times named): how strongly a text points at ``code``."""
        ancestors = self._chain(code)[1:]
        return sum(1 for a in ancestors if mentions[a]), sum(mentions[a] for a in ancestors)

    # ------------------------------------------------------------ issuers
    def resolve_issuer(self, issuer: str, context: str = "") -> Place | None:
        """The lowest division an issuer names, resolved up to its province.

        The issuer is read as a chain of place names (沂源县 → 中庄镇); organ
        words around them (中共, 人民政府, 工委, 司法局 …) are simply not names.
        Each higher name must contain the lowest one, and so must a name the
        context writes right before it (北京市朝阳区); remaining ties go to the
        candidate whose ancestors ``context`` names most, then to an official
        name over an alias.  Candidates in different provinces with equal
        evidence give None rather than a guess; within one province they give
        a Place that keeps only what they share (城关镇 in 甘肃省, no county).
        A town or zone missing from the list (沂源县某某镇) becomes a Place at
        its level under the resolved parent, with the parent's code.
        """
        chain = self._issuer_chain(re.sub(r"\s+", "", issuer))
        return self._resolve_chain(chain, context) if chain else None

    def _issuer_chain(self, text: str) -> list[_Mention]:
        """Known names in ``text`` (a repeated name once), plus an unlisted town or zone at the end."""
        chain: list[_Mention] = []
        for mention in self._issuer_scan(text):
            gap = text[chain[-1].end if chain else 0 : mention.start]
            if chain and set(chain[-1].codes) == set(mention.codes):
                chain.pop()  # 中共洪江区工委洪江区管理委员会
            lead = gap if len(gap) <= 3 and _LEAD.fullmatch(gap) and not _NOT_LEAD.search(gap) else ""
            if len(lead) == 1 and mention.surface.endswith(TOWN_SUFFIXES + COUNTY_SUFFIXES):
                # 大中庄镇 is not 中庄镇: one stray character belongs to the name.
                name = lead + mention.surface
                mention, lead = _Mention(mention.start - 1, mention.end, name, tuple(self._exact.get(name, ()))), ""
            chain.append(replace(mention, lead=lead))
        tail = _TAIL.match(text, chain[-1].end if chain else 0)  # what follows the last known name
        if tail:
            name = tail.group(1)
            chain.append(_Mention(tail.start(1), tail.end(1), name, tuple(self._exact.get(name, ()))))
        return chain

    def _issuer_scan(self, text: str) -> list[_Mention]:
        """Leftmost-longest names of any level in a short text (an issuer is a few dozen characters)."""
        found: list[_Mention] = []
        i, n = 0, len(text)
        while i < n - 1:
            for size in range(min(self._longest_name, n - i), 1, -1):
                surface = text[i : i + size]
                codes = [c for c in self._exact.get(surface, ()) if len(c) < 9 or _specific_town(surface)]
                if not (surface in self._shorts and _SUFFIX_START.match(text, i + size)):
                    codes += [c for c in self._written.get(surface, ()) if c not in codes]
                if codes:
                    found.append(_Mention(i, i + size, surface, tuple(codes)))
                    i += size - 1
                    break
            i += 1
        return found

    def _resolve_chain(self, chain: list[_Mention], context: str, nested: bool = False) -> Place | None:
        target, higher = chain[-1], [h for h in chain[:-1] if h.codes]
        lineages = {code: set(self._chain(code)) for code in target.codes}
        fits = [c for c in target.codes if all(lineages[c].intersection(h.codes) for h in higher)]
        if not higher and not nested:
            # The text may write the missing higher names itself: 沂源县某某镇, 北京市朝阳区.
            parent = self._parent_in_context(target.surface, context)
            if parent is not None:
                inside = [c for c in fits if parent.code in lineages[c] and c != parent.code]
                if inside:
                    return self._pick(inside, target.surface, context)
                unit = _unit(target.lead + target.surface, parent)
                if unit is not None:
                    return unit
        if fits:
            return self._pick(fits, target.surface, context)
        if not higher:
            return None
        # The lowest name does not fit under the higher ones (or is unlisted):
        # the higher names win, and the lowest becomes a unit beneath them.
        parent = self._resolve_chain(higher, context, nested)
        if parent is None:
            return None
        return _unit(target.lead + target.surface, parent) or parent

    def _pick(self, codes: list[str], surface: str, context: str) -> Place | None:
        """The candidate the context supports best; None when the best lie in different provinces.

        Ties go to the official name over an alias, then to the higher level
        (滨海新区 the district over 滨海新区 the zone of a town).  Candidates
        still tied within one province give a Place that keeps only what they
        share: 城关镇 in 甘肃省, with no county.
        """
        mentions = self._mentions(context)
        ranked: dict[tuple[int, bool, int, int], list[str]] = {}
        for code in dict.fromkeys(codes):
            distinct, total = self._evidence(code, mentions)
            ranked.setdefault((distinct, self._name[code] == surface, total, -len(code)), []).append(code)
        best = sorted(ranked[max(ranked)])
        if len(best) == 1:
            return self._place(best[0])
        if len({c[:2] for c in best}) > 1:
            return None
        shared = set.intersection(*(set(self._chain(c)) for c in best))
        parent = self._place(max(shared, key=len))
        names = {self._name[c] for c in best}
        return _below(parent, names.pop() if len(names) == 1 else surface, LEVEL_BY_CODE_LENGTH[len(best[0])])

    def _parent_in_context(self, name: str, context: str) -> Place | None:
        """The place ``context`` writes right before ``name`` most often (沂源县 in 沂源县某某镇)."""
        votes: Counter[str] = Counter()
        start, seen = context.find(name), 0
        while start >= 0 and seen < 200:
            window = context[max(0, start - 20) : start]
            prefix: list[_Mention] = []
            for mention in reversed(self._context.scan(window)):
                if mention.end != (prefix[-1].start if prefix else len(window)):
                    break
                prefix.append(mention)
            if prefix:
                place = self._resolve_chain(prefix[::-1], context, nested=True)
                if place is not None:
                    votes[place.code] += 1
            start, seen = context.find(name, start + len(name)), seen + 1
        if not votes:
            return None
        (code, n), *rest = [*votes.most_common(2), ("", 0)]
        return self._place(code) if n > rest[0][1] else None


def _below(parent: Place, name: str, level: str) -> Place:
    """A place at ``level`` under ``parent`` that the list does not pin down: it takes the parent's code."""
    municipality = parent.province.endswith("市")  # 直辖市: the province is the city
    return replace(
        parent,
        name=name,
        level=level,
        city=name if level == CITY else parent.city or (parent.province if municipality else ""),
        county=name if level == COUNTY else parent.county,
        town=name if level == TOWN else "",
    )


def _unit(name: str, parent: Place) -> Place | None:
    """An unlisted town or zone under ``parent``, if its suffix fits there."""
    municipality = parent.level == PROVINCE and parent.province.endswith("市")
    if name.endswith(TOWN_SUFFIXES) and (parent.level in (CITY, COUNTY) or municipality):
        return _below(parent, name, TOWN)
    if name.endswith(COUNTY_SUFFIXES) and (parent.level == CITY or municipality):
        return _below(parent, name, COUNTY)
    return None


def read_rows(path: Path = DATA_FILE) -> list[tuple[str, str, str, str, str, str]]:
    """Rows of the divisions file, header skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines[1:] if line]  # type: ignore[misc]


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """The shipped gazetteer, parsed once per process."""
    return Gazetteer(read_rows())
