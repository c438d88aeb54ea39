"""One report as a source: issuer identity across years, comparison,
citation and permalinks (issue 18), on generated reports of one county over
three years, a department of it and a neighbour, beside the seeds."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from govsearch.config import PROJECT_ROOT, SEEDS_DIR
from govsearch.index.analysis import dictionary_words
from govsearch.index.build import ingest, reindex
from govsearch.index.issuer_identity import issuer_key
from govsearch.index.normalize import fold
from govsearch.search import citation
from govsearch.search.compare import compare, dice, sentences
from govsearch.search.engine import Engine
from govsearch.webui import create_app
from tests import issuer_reports as gen
from tests.conftest import seed_id


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """(index dir, name → report id) for the seeds and the generated reports."""
    folder = tmp_path_factory.mktemp("issuer-reports") / "reports"
    paths = gen.write_reports(folder)
    index_dir = tmp_path_factory.mktemp("issuer-index") / "index"
    summary = ingest([SEEDS_DIR, folder], index_dir, base=PROJECT_ROOT)
    assert summary.counts()["added"] == 5 + len(paths), summary.outcomes
    engine = Engine(index_dir)
    ids = {}
    for name, path in paths.items():
        (hit,) = [r for r in engine.stored_reports() if r["source"].endswith(path.name)]
        ids[name] = hit["id"]
    return index_dir, ids


@pytest.fixture(scope="module")
def engine(corpus):
    return Engine(corpus[0])


@pytest.fixture(scope="module")
def ids(corpus):
    return corpus[1]


@pytest.fixture()
def client(corpus):
    return create_app(corpus[0], TESTING=True).test_client()


# ---------------------------------------------------------------- issuer identity
@pytest.mark.parametrize(("publisher", "kind", "key"), [
    ("五原县人民政府", "政府", "150821:政府"), ("五原县政府", "政府", "150821:政府"),
    ("内蒙古自治区巴彦淖尔市五原县人民政府", "政府", "150821:政府"), ("五原县", "政府", "150821:政府"),
    ("五原县人民政府办公室", "政府", "150821:政府"), ("隆兴昌镇人民政府", "政府", "150821:政府:隆兴昌镇"),
    ("五原镇人民政府", "政府", "150821:政府:五原镇"),  # 五原 is the county's short name, 五原镇 another place
    ("五原县司法局", "部门", "150821:部门:司法局"), ("巴彦淖尔市五原县司法局", "部门", "150821:部门:司法局"),
    ("司法局", "部门", "150821:部门:司法局"), ("中共五原县委员会", "党委", "150821:党委"),
    ("中共五原县委", "党委", "150821:党委"), ("中共五原县司法局党组", "党委", "150821:党委:司法局党组"),
    ("", "部门", ""), ("五原县人民法院", "其他", "150821:其他:人民法院"),
])
def test_one_issuer_has_one_key_however_its_name_is_written(publisher, kind, key):
    place = {"province": "内蒙古自治区", "city": "巴彦淖尔市", "county": "五原县", "adcode": "150821"}
    assert issuer_key({**place, "publisher": publisher, "issuer_kind": kind}) == key


def test_a_body_of_no_place_keys_on_its_name_only_if_central():
    assert issuer_key({"publisher": "司法部", "issuer_kind": "部门", "level": "国家级"}) == ":部门:司法部"
    ministry = "中华人民共和国生态环境部"
    assert issuer_key({"publisher": ministry, "issuer_kind": "部门"}) == f":部门:{ministry}"
    for relative in ("市司法局", "县政府", "省交通运输厅", "区人民政府"):  # every city's, county's …
        assert issuer_key({"publisher": relative, "issuer_kind": "部门"}) == "", relative
    assert issuer_key({"publisher": "", "issuer_kind": "", "adcode": "150821"}) == ""


def test_the_bundled_real_reports_link_only_what_is_one_body():
    """The bundled corpus's real reports: every key shared by several
    reports names one body - one place or one central organ - and every
    report a key holds is that body's (its publisher reduces to the key)."""
    from collections import defaultdict

    from govsearch.index.clean import clean_file
    from govsearch.index.issuer_identity import own_name

    keyed = defaultdict(list)
    for path in sorted((PROJECT_ROOT / "index" / "data" / "reports").rglob("*.txt")):
        record = vars(clean_file(path))
        keyed[record["issuer_key"]].append(record)
    shared = {k: v for k, v in keyed.items() if k and len(v) > 1}
    assert len(shared) >= 4
    for key, records in shared.items():
        adcode, kind, _ = key.split(":", 2) if key.count(":") == 2 else (*key.split(":"), "")
        assert {r["adcode"] for r in records} == {adcode} and {r["issuer_kind"] for r in records} == {kind}, key
        if not adcode:
            assert len({own_name(r["publisher"], r) for r in records}) == 1, key


def test_three_years_of_one_government_are_linked_and_the_department_apart(engine, ids):
    records = {name: engine.get(i) for name, i in ids.items()}
    assert {records[n]["issuer_key"] for n in gen.GOVERNMENT} == {"150823:政府"}
    assert {records[n]["issuer_key"] for n in gen.DEPARTMENT} == {"150823:部门:司法局"}
    assert records["other-2022"]["issuer_key"] == "150802:政府"


def test_the_report_api_lists_the_issuer_s_other_reports_by_year(client, ids):
    answer = client.get(f"/api/reports/{ids['gov-2022']}").get_json()
    issuer = answer["issuer"]
    assert issuer["key"] == "150823:政府" and issuer["name"] == "乌拉特前旗人民政府"
    assert [(r["id"], r["report_year"]) for r in issuer["reports"]] == [(ids["gov-2021"], 2021),
                                                                        (ids["gov-2023"], 2023)]
    assert issuer["previous"] == ids["gov-2021"]
    assert client.get(f"/api/reports/{ids['gov-2021']}").get_json()["issuer"]["previous"] is None


def test_the_issuers_endpoint_lists_every_report_oldest_first(client, ids):
    answer = client.get("/api/issuers/150823:政府").get_json()
    assert [r["id"] for r in answer["reports"]] == [ids["gov-2021"], ids["gov-2022"], ids["gov-2023"]]
    assert answer["years"] == [2021, 2022, 2023] and answer["name"] == "乌拉特前旗人民政府"
    dept = client.get("/api/issuers/150823:部门:司法局").get_json()
    assert [r["id"] for r in dept["reports"]] == [ids["dept-2022"], ids["dept-2023"]]
    assert client.get("/api/issuers/999999:政府").get_json()["reports"] == []
    for bad in ("150823", "150823:官府", "abc:政府", "150823:政府:a,b", "150823:政府:"):
        response = client.get(f"/api/issuers/{bad}")
        assert response.status_code == 400 and "error" in response.get_json(), bad


def test_issuer_is_a_facet_and_a_filter(client, ids):
    # Uncollapsed: the generated years are near-duplicates of each other, which search collapses.
    answer = client.get("/api/search", query_string={"q": "法治政府", "issuer_key": "150823:政府",
                                                     "per_page": 50, "collapse": 0}).get_json()
    assert {h["id"] for h in answer["hits"]} == {ids[n] for n in gen.GOVERNMENT}
    listed = {v["value"]: v for v in answer["facets"]["issuer_key"]}
    assert listed["150823:政府"]["count"] == 3 and listed["150823:政府"]["label"] == "乌拉特前旗人民政府"
    both = client.get("/api/search", query_string={"q": "法治政府", "issuer_key": "150823:政府,150802:政府",
                                                   "collapse": 0})
    assert both.get_json()["total"] == 4
    bad = client.get("/api/search", query_string={"q": "法治", "issuer_key": "五原县"})
    assert bad.status_code == 400 and "issuer_key" in bad.get_json()["error"]["message"]


def test_a_reindex_keeps_ids_and_keys(corpus, tmp_path):
    """Permalinks: the same reports have the same ids (and keys) after a reindex."""
    index_dir, ids = corpus
    before = {r["id"]: r["issuer_key"] for r in Engine(index_dir).stored_reports()}
    reindex(index_dir)
    after = {r["id"]: r["issuer_key"] for r in Engine(index_dir).stored_reports()}
    assert after == before and set(ids.values()) <= set(after)


# ---------------------------------------------------------------- comparison
def test_comparison_finds_the_added_measure_and_the_removed_sentence(engine, ids):
    got = compare(engine.get(ids["gov-2023"]), engine.get(ids["gov-2022"]))
    new = [line["text"] for s in got["sections"] for line in s["new"]]
    gone = [line["text"] for s in got["sections"] for line in s["gone"]]
    assert new == [gen.ADDED] and gone == [gen.GONE]
    # A direct scan: the dictionary's measures in 2023's text and not in 2022's.
    this, other = fold(engine.get(ids["gov-2023"])["text"]), fold(engine.get(ids["gov-2022"])["text"])
    scanned = {m for m in dictionary_words() if len(m) >= 2 and m in this and m not in other}
    assert {m["measure"] for m in got["measures"]["new"]} == scanned and "蒙速办" in scanned
    assert all(m in fold(gen.ADDED) for m in scanned)  # all of them from the added sentence
    dropped = {m for m in dictionary_words() if len(m) >= 2 and m in other and m not in this}
    assert {m["measure"] for m in got["measures"]["gone"]} == dropped
    assert all(m in fold(gen.GONE) for m in dropped)
    assert "双随机一公开" in {m["measure"] for m in got["measures"]["kept"]}  # punctuation inside ignored
    kept = {p["this"]["text"]: p for s in got["sections"] for p in s["kept"]}
    assert kept[gen.REWORDED[1]]["other"]["text"] == gen.REWORDED[0]  # reworded, still the same sentence
    assert kept[gen.REWORDED[1]]["similarity"] < 1
    assert all(kept[m]["similarity"] == 1 for m in gen.MEASURES if m != gen.REWORDED[0])  # swapped ones too
    measures_section = next(s for s in got["sections"] if s["kind"] == "measures")
    assert [line["text"] for line in measures_section["new"]] == [gen.ADDED]


def test_alignment_is_one_to_one_and_agrees_with_a_direct_dice(engine, ids):
    this, other = engine.get(ids["gov-2023"]), engine.get(ids["gov-2022"])
    a, b = sentences(this["text"], this["sections"]), sentences(other["text"], other["sections"])
    got = compare(this, other)
    pairs = [p for s in got["sections"] for p in s["kept"]]
    assert len({p["this"]["start"] for p in pairs}) == len({p["other"]["start"] for p in pairs}) == len(pairs)
    by_start = {s.start: s for s in a} | {("b", s.start): s for s in b}
    for p in pairs:
        x, y = by_start[p["this"]["start"]], by_start[("b", p["other"]["start"])]
        grams = [{fold(s.text)[i:i + 2] for i in range(len(fold(s.text)) - 1)} for s in (x, y)]
        assert p["similarity"] == round(2 * len(grams[0] & grams[1]) / (len(grams[0]) + len(grams[1])), 3)
        assert p["similarity"] == round(dice(x.grams, y.grams), 3) >= got["similarity_threshold"]
    counts = got["sentences"]
    assert counts["this"] == len(a) and counts["kept"] + counts["new"] == len(a)
    assert counts["kept"] + counts["gone"] == len(b)


def test_the_compare_api_defaults_to_the_previous_year_and_says_what_is_wrong(client, ids):
    answer = client.get(f"/api/reports/{ids['gov-2023']}/compare").get_json()
    assert answer["other"]["id"] == ids["gov-2022"] and answer["same_issuer"]
    named = client.get(f"/api/reports/{ids['gov-2023']}/compare", query_string={"with": ids["gov-2021"]})
    assert named.get_json()["other"]["report_year"] == 2021
    first = client.get(f"/api/reports/{ids['gov-2021']}/compare")
    assert first.status_code == 400 and "更早" in first.get_json()["error"]["message"]
    for value, status in (("xyz", 400), ("0" * 40, 404), (ids["gov-2023"], 400)):
        response = client.get(f"/api/reports/{ids['gov-2023']}/compare", query_string={"with": value})
        assert response.status_code == status and "error" in response.get_json(), value
    across = client.get(f"/api/reports/{ids['gov-2023']}/compare", query_string={"with": ids["dept-2022"]})
    assert across.status_code == 200 and not across.get_json()["same_issuer"]


def test_the_compare_page_shows_new_and_gone_sentences_escaped(client, ids):
    page = client.get(f"/reports/{ids['gov-2023']}/compare").get_data(as_text=True)
    assert gen.ADDED.replace("“", "&#34;") not in page  # quotes are not HTML quotes; the text shows as typed
    assert gen.ADDED in page and gen.GONE in page and "蒙速办" in page
    assert 'id="n-new">1<' in page and 'id="n-gone">1<' in page


# ---------------------------------------------------------------- citation
def test_each_citation_style_for_a_seed_matches_the_hand_written_form(client):
    """Seed 003: publisher, title and publish date from its text; no URL of
    its own, so cited at its permalink; not crawled, so read today."""
    report_id = seed_id("003")
    today = dt.date.today().isoformat()
    link = f"http://localhost/reports/{report_id}"
    title = "中共沂源县中庄镇委员会关于2022年度法治政府建设工作的报告"
    want = {
        "gbt7714": f"沂源县中庄镇人民政府. {title}[EB/OL]. (2023-02-01)[{today}]. {link}.",
        "bibtex": (f"@misc{{govsearch-{report_id[:12]},\n  author = {{{{沂源县中庄镇人民政府}}}},\n"
                   f"  title = {{{{{title}}}}},\n  year = {{2023}},\n  date = {{2023-02-01}},\n"
                   f"  url = {{{link}}},\n  urldate = {{{today}}},\n  note = {{报告年度 2022}}\n}}\n"),
        "ris": (f"TY  - GOVDOC\nAU  - 沂源县中庄镇人民政府\nTI  - {title}\nPY  - 2023\nDA  - 2023/02/01\n"
                f"PB  - 沂源县中庄镇人民政府\nUR  - {link}\nY2  - {today.replace('-', '/')}\nN1  - 报告年度 2022\n"
                f"ID  - {report_id}\nER  - \n"),
        "csl": {"id": report_id, "type": "report", "title": title, "URL": link,
                "accessed": {"date-parts": [[int(p) for p in today.split("-")]]}, "language": "zh-CN",
                "author": [{"literal": "沂源县中庄镇人民政府"}], "publisher": "沂源县中庄镇人民政府",
                "issued": {"date-parts": [[2023, 2, 1]]}, "note": "报告年度 2022"},
    }
    for style, text in want.items():
        answer = client.get(f"/api/reports/{report_id}/cite", query_string={"style": style}).get_json()
        assert answer["citation"] == text, style
        assert answer["permalink"] == link
    assert client.get(f"/api/reports/{report_id}/cite").get_json()["style"] == "gbt7714"
    bad = client.get(f"/api/reports/{report_id}/cite", query_string={"style": "apa"})
    assert bad.status_code == 400 and "style" in bad.get_json()["error"]["message"]


def test_a_crawled_report_is_read_on_its_capture_date_and_at_its_own_url():
    record = {"id": "a" * 40, "publisher": "某县人民政府", "title": "某县2023年度报告", "publish_date": "2024-01-05",
              "url": "http://www.example.gov.cn/art/1.html", "report_year": 2023,
              "archive": {"captured_at": "2024-03-09T10:11:12Z", "record_id": "<urn:uuid:x>"}}
    text = citation.cite(record, "gbt7714", "http://localhost/reports/" + "a" * 40, today=dt.date(2030, 1, 1))
    assert text == "某县人民政府. 某县2023年度报告[EB/OL]. (2024-01-05)[2024-03-09]. http://www.example.gov.cn/art/1.html."


def test_bibtex_escapes_what_latex_would_read():
    record = {"id": "b" * 40, "publisher": "A&B 局", "title": "100% {报告} #1_x", "url": "http://x/a_b%20c"}
    text = citation.cite(record, "bibtex", "", today=dt.date(2030, 1, 1))
    assert r"title = {{100\% \{报告\} \#1\_x}}" in text and r"author = {{A\&B 局}}" in text
    assert "url = {http://x/a_b%20c}" in text  # a URL is verbatim


def test_the_report_page_shows_the_permalink_citations_and_the_issuer_s_years(client, ids):
    page = client.get(f"/reports/{ids['gov-2022']}").get_data(as_text=True)
    assert f'<code id="permalink">http://localhost/reports/{ids["gov-2022"]}</code>' in page
    assert 'id="cite-button"' in page and "[EB/OL]" in page and "@misc{" in page and "TY  - GOVDOC" in page
    csl = page.split('<pre id="cite-csl" tabindex="0">', 1)[1].split("</pre>", 1)[0]
    assert json.loads(csl.replace("&#34;", '"').replace("&#39;", "'"))["id"] == ids["gov-2022"]
    assert f"/reports/{ids['gov-2022']}/compare?with={ids['gov-2021']}" in page
    assert 'id="compare-previous"' in page


def test_a_configured_public_url_makes_the_permalink(corpus, ids):
    public = create_app(corpus[0], TESTING=True, public_url="https://govsearch.example.org/").test_client()
    answer = public.get(f"/api/reports/{ids['gov-2022']}", headers={"Host": "evil.example"}).get_json()
    assert answer["permalink"] == f"https://govsearch.example.org/reports/{ids['gov-2022']}"
    assert "evil.example" not in json.dumps(answer["citations"], ensure_ascii=False)
