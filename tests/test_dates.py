"""Dates as pages print them (index.dates), the one definition the labels,
the extractor, the signature reader and the corrections share."""

from __future__ import annotations

from govsearch.index import dates
from govsearch.index.issuer import issuer_from_signature


def test_parse_date_reads_every_printed_form():
    assert dates.parse_date("发布时间：2023-04-19 10:30:12") == "2023-04-19"
    assert dates.parse_date("2023/4/9") == "2023-04-09"
    assert dates.parse_date("2023年 4 月 9 日") == "2023-04-09"
    assert dates.parse_date("2023.12.31") == "2023-12-31"


def test_a_day_that_does_not_exist_is_no_date():
    assert dates.parse_date("2022-02-30") == ""
    assert dates.parse_date("2022-02-30 或 2022-03-01") == "2022-03-01"  # the first that exists
    assert not dates.is_iso_date("2022-02-30")
    assert dates.is_iso_date("2024-02-29") and not dates.is_iso_date("2023-02-29")


def test_a_signature_date_in_chinese_numerals():
    assert dates.written_date("二〇二三年一月三十一日") == "2023-01-31"
    assert dates.written_date("二○二二年十二月十日") == "2022-12-10"
    assert dates.written_date("2023年1月31日") == "2023-01-31"
    assert dates.written_date("截至2023年1月31日，共办理") == ""  # a sentence, not a date line


def test_closing_date_and_signature_read_the_same_date_line():
    lines = ["正文最后一段。", "某某县人民政府", "二〇二三年二月十日"]
    assert dates.closing_date(lines) == "2023-02-10"
    assert issuer_from_signature(lines) == "某某县人民政府"


def test_date_only_lines():
    assert dates.DATE_ONLY.match("【2023-04-19 10:30】")
    assert not dates.DATE_ONLY.match("2023-04-19 发布")
