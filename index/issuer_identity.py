"""The same issuer across years: one key for every report of one body.

A county's 2021 and 2022 reports name their issuer differently (五原县人民政府,
五原县政府, 内蒙古自治区巴彦淖尔市五原县人民政府, or only 五原县 in the text);
a department is named with or without its government (五原县司法局, 司法局).
The key rests on what the record already resolved - the division code and
the kind of issuer - and adds only what names the body within its place:
the publisher less the record's places in front (in every form the
gazetteer knows them), with the formulae official names vary in folded
(人民政府 = 政府):

- a government is its place's: ``150821:政府``; only a town's or street's
  government whose code is its county's names itself (``150821:政府:隆兴昌镇``);
  a management committee or an office speaking for the government is the
  government;
- a party committee is its place's (``150821:党委``) unless it belongs to a
  body of the place (``150821:党委:司法局党组``);
- a department or another body by its own name: ``150821:部门:司法局``.

A body of no known place keys on its whole name only if it is a central
one (``:部门:司法部``): 市司法局 or 县政府 with no place is every city's or
county's.  Such a body, and a department with no name, has no key
(``""``): it is linked to nothing rather than to every body like it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from govsearch.index.gazetteer import CITY, COUNTY, PROVINCE, TOWN, TOWN_SUFFIXES, derive_names
from govsearch.index.issuer import national_body
from govsearch.index.normalize import HAN

SEPARATOR = ":"
GOVERNMENT, PARTY = "政府", "党委"
# What begins a place's name, not a body's: 五原 of 五原镇 is not 五原县.
_UNIT_START = ("省", "市", "州", "盟", "县", "区", "旗", "镇", "乡", "街道", "苏木", "自治")
_GOVERNMENT_END = re.compile(r"(?:人民政府|政府)$")
_PARTY_START = re.compile(r"^(?:中国共产党|中共)")
_COMMITTEE_END = re.compile(r"(?:党委|工委|委员会|委)$")
_NOT_NAME = re.compile(f"[^{HAN}A-Za-z0-9]")


def _places(record: Mapping[str, Any]) -> list[str]:
    """The record's place names in every form reports write them (the
    gazetteer's: 内蒙古自治区, 内蒙古; 巴彦淖尔市, 巴彦淖尔), its town's too
    when its code is a town's, longest first."""
    from govsearch.index.gazetteer import load

    names = [record.get(f) or "" for f in ("province", "city", "county")]
    chain = list(zip(names, (PROVINCE, CITY, COUNTY), strict=True))
    place = load().get(record.get("adcode") or "") if len(record.get("adcode") or "") > 6 else None
    if place is not None and place.town:
        chain.append((place.town, TOWN))
    forms: set[str] = set()
    for i, (name, level) in enumerate(chain):
        if name:
            short, aliases = derive_names(name, level, [n for n, _ in chain[:i]])
            forms.update((name, short, *aliases))
    return sorted((f for f in forms if len(f) >= 2), key=len, reverse=True)


def own_name(publisher: str, record: Mapping[str, Any]) -> str:
    """The publisher less 中共 and the record's places in front of it, 人民政府
    folded to 政府: what names the body within its place."""
    name = _PARTY_START.sub("", _NOT_NAME.sub("", publisher or ""))
    places = _places(record)
    stripped = True
    while stripped:
        stripped = False
        for place in places:
            rest = name[len(place):]
            if name.startswith(place) and not rest.startswith(_UNIT_START):
                name, stripped = rest, True
                break
    return _GOVERNMENT_END.sub(GOVERNMENT, name)


def _government(own: str) -> str:
    """A government's own name: a town's or street's the code does not
    reach (隆兴昌镇政府 → 隆兴昌镇), else none (the place's government)."""
    base = own.removesuffix(GOVERNMENT)
    return base if own.endswith(GOVERNMENT) and len(base) >= 3 and base.endswith(TOWN_SUFFIXES) else ""


def _party(own: str) -> str:
    """A party body's own name: a body of the place's (司法局党组), else none
    (the place's committee, or a government named beside it)."""
    base = _COMMITTEE_END.sub("", own)
    return "" if not base or GOVERNMENT in own else own


def issuer_key(record: Mapping[str, Any]) -> str:
    """The key every report of one issuer shares (see the module notes)."""
    kind, adcode = record.get("issuer_kind") or "", record.get("adcode") or ""
    if not kind:
        return ""
    own = own_name(record.get("publisher") or "", record)
    if not adcode:  # no place: only a central body's name is its own (市司法局 is every city's)
        return SEPARATOR.join(("", kind, own)) if own and national_body(own) else ""
    if kind in (GOVERNMENT, PARTY):
        own = (_government if kind == GOVERNMENT else _party)(own)
        return SEPARATOR.join((adcode, kind, own) if own else (adcode, kind))
    return SEPARATOR.join((adcode, kind, own)) if own else ""


def key_parts(key: str) -> tuple[str, str, str]:
    """(division code, kind, own name) of a key; ValueError if it is none."""
    parts = key.split(SEPARATOR)
    if len(parts) not in (2, 3) or not parts[1]:
        raise ValueError(key)
    adcode, kind, own = (*parts, "")[:3]
    return adcode, kind, own
