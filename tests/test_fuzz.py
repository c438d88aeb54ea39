"""Fuzzing, bounded in time: any input gives a result or the module's own error.

- the query parser, for any string: a ParsedQuery or a QueryError;
- the cleaner, for any bytes (and for random HTML): a Report or a
  CleanError / DecodeError;
- attachments and WARC replay, for any bytes: text or their own errors;
- the JSON API, driven by schemathesis from /api/openapi.json: no 5xx.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govsearch.config import PROJECT_ROOT, SEEDS_DIR
from govsearch.index.build import ingest
from govsearch.index.clean import CleanError, clean_bytes
from govsearch.index.crawl.attachments import AttachmentError, Skipped
from govsearch.index.crawl.documents import Fetched, clean_fetched
from govsearch.index.decode import DecodeError
from govsearch.index.report import Report
from govsearch.search.query import ParsedQuery, QueryError, parse
from govsearch.webui import create_app
from govsearch.webui.inputs import check_query_string

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Query text that reaches the parser's corners: operators, fields, quotes of
# both kinds, CJK, punctuation and any other character.
QUERY_ATOMS = st.sampled_from(["OR", "-", '"', "“", "”", ":", "year:", "level:", "province:", "section:",
                               "type:", "2022", "2020-2023", "县级", "山东", "法治", "双随机、一公开", " ", "(", ")",
                               "\\", "*", "?", "AND", "NOT", "\u3000", "\x00", "\ud7ff"])
QUERIES = st.one_of(st.text(max_size=600), st.lists(st.one_of(QUERY_ATOMS, st.text(max_size=3)),
                                                     max_size=30).map("".join))


@FUZZ
@given(QUERIES, st.booleans())
def test_query_parser_parses_or_raises_its_own_error(q, exact):
    try:
        parsed = parse(q, exact=exact)
    except QueryError as exc:
        assert str(exc)
    else:
        assert isinstance(parsed, ParsedQuery)


TAGS = st.sampled_from(["p", "div", "span", "table", "tr", "td", "h1", "script", "style", "a", "br", "ul", "li",
                        "meta", "title", "font", "iframe", "!--", "![CDATA["])
TEXT = st.sampled_from(["法治政府建设", "索引号：", "发布机构：某县人民政府", "2023-03-01", "打印本页",
                        "【字体：大 中 小】", "區(qū)", "一、主要举措", "&nbsp;", "&#0;", "&#xD800;",
                        "<", ">", "&", "。", "\x00", "\ufeff"])


@st.composite
def html_pages(draw) -> bytes:
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        tag = draw(TAGS)
        if draw(st.booleans()):
            parts.append(f"<{tag} class='{draw(st.text(max_size=5))}'>")
        parts.append(draw(st.one_of(TEXT, st.text(max_size=20))))
        if draw(st.booleans()):
            parts.append(f"</{tag}>")
    encoding = draw(st.sampled_from(["utf-8", "gb18030", "utf-16"]))
    return "".join(parts).encode(encoding, errors="ignore")


def _clean_or_own_error(data: bytes, is_html: bool) -> None:
    try:
        report = clean_bytes(data, "fuzz.html", is_html=is_html)
    except (CleanError, DecodeError) as exc:
        assert str(exc)
    else:
        assert isinstance(report, Report) and report.text.strip()


@FUZZ
@given(st.binary(max_size=4096), st.booleans())
def test_cleaner_gives_a_report_or_a_clean_error_for_any_bytes(data, is_html):
    _clean_or_own_error(data, is_html)


@FUZZ
@given(html_pages())
def test_cleaner_survives_random_html(data):
    _clean_or_own_error(data, True)


@FUZZ
@given(st.one_of(st.binary(max_size=2048), st.binary(max_size=2048).map(lambda b: b"%PDF-1.7\n" + b),
                 st.binary(max_size=2048).map(lambda b: b"PK\x03\x04" + b)),
       st.sampled_from(["report", "attachment"]), st.sampled_from(["", "application/pdf", "text/html"]))
def test_fetched_bytes_give_a_report_or_their_own_error(body, role, content_type):
    fetched = Fetched(url="http://a.gov.cn/x.pdf", status=200, headers={"content-type": content_type},
                      body=body, role=role)
    try:
        assert isinstance(clean_fetched(fetched), Report)
    except (Skipped, AttachmentError, CleanError, DecodeError) as exc:
        assert str(exc)


@FUZZ
@given(st.binary(max_size=300))
def test_query_string_check_accepts_or_rejects_with_400(raw):
    from werkzeug.exceptions import BadRequest

    try:
        check_query_string(raw)
    except BadRequest as exc:
        assert exc.code == 400 and exc.description


# ---------------------------------------------------------------- the API
@pytest.fixture(scope="module")
def api_app(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("fuzz-index") / "ix"
    ingest([SEEDS_DIR], index_dir, base=PROJECT_ROOT)
    return create_app(index_dir, TESTING=True)


def test_api_never_answers_5xx(api_app):
    """Every operation in the OpenAPI spec, with schemathesis-generated
    parameters (valid and not): 4xx with a JSON error at worst, never 5xx."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", api_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6
    for operation in operations:
        @given(operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call()
            assert response.status_code < 500, (case.path, case.query, response.text[:300])
            if response.status_code >= 400:
                assert response.json()["error"]["message"]

        check()
