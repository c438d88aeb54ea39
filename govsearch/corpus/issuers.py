"""Issuers: a government, party committee or department of any province and
level (省级 … 乡镇级), drawn from the gazetteer, with the names its pages use.

An issuer's ``names`` are the values of the pools' placeholders: its own
place (full and short), its parent's and grandparent's, its province's, its
level words (县, 县委), its superiors, siblings and the provincial app.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from govsearch.corpus.resources import Division, Resources
from govsearch.corpus.shape import LEVEL_WEIGHTS
from govsearch.corpus.templates import DEPARTMENTS, ISSUERS, PROVINCE_APPS


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
    written = _written(rng, res, level, me, city, county)
    gov = _government(me, written)
    if kind == "政府":
        name = gov
    elif kind == "党委":
        committee = "工作委员会" if me.name.endswith("街道") else "委员会"
        name = f"中共{written}{committee}"
    else:
        name = written + rng.choice(DEPARTMENTS[level])
    names = _names(rng, res, chain, level)
    site_place = written if level != "乡镇级" else (county.name if county else written)
    site = f"{site_place}人民政府" + rng.choice(ISSUERS["site_endings"])
    return Issuer(
        name=name, kind=kind, level=level, province=province.name,
        city=city.name if city else "", county=county.name if county else "", town=town.name if town else "",
        gov=gov, place=written, names=names, site=site, adcode=me.code,
    )


def _written(rng: random.Random, res: Resources, level: str, me: Division, city: Division | None,
             county: Division | None) -> str:
    """How the place is written: a town under its county; an ambiguous county under its city."""
    written = me.name
    if level == "乡镇级" and county is not None and (rng.random() < 0.6 or me.name in res.ambiguous_towns):
        written = county.name + me.name
        if county.name in res.ambiguous and city is not None and city is not county and rng.random() < 0.5:
            written = city.name + written  # 沈阳市和平区新华街道: 和平区 alone is in two provinces
    elif (level == "县级" and city is not None and city is not me
          and ((me.name in res.ambiguous and rng.random() < 0.8) or rng.random() < 0.1)):
        written = city.name + me.name
    return written


def _names(rng: random.Random, res: Resources, chain: list[Division], level: str) -> dict[str, str]:
    """The placeholder values of an issuer whose divisions, province first, are ``chain``."""
    me, province = chain[-1], chain[0]
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
    return {
        "S": me.name, "s": _short(me), "P": parent.name, "p": _short(parent), "G": grand.name, "g": _short(grand),
        "V": province.name, "v": prov_short, "vu": vu, "vp": vp, "u": u, "uc": uc, "pu": pu, "puc": puc,
        "sup": sup, "app": PROVINCE_APPS.get(prov_short, f"{prov_short}政务服务"),
        **{f"sib{i + 1}": res.div[c].name for i, c in enumerate(sibs)},
    }
