"""The one reader of printed metadata (index.labels): which lines are
metadata, and the label/value pairs they hold, in every shape CMSs print."""

from __future__ import annotations

from govsearch.index import labels


def test_glued_labels_come_apart():
    assert labels.label_pairs("来源：访问量：199发布日期：2017-05-15") == [
        ("来源", ""), ("访问量", "199"), ("发布日期", "2017-05-15")]
    assert labels.fields_of(labels.label_pairs("发布时间:2022-04-11 15:09信息来源:辰溪县统计局")) == {
        "publish_date": "2022-04-11 15:09", "source_name": "辰溪县统计局"}


def test_table_rows_bracketed_labels_and_bare_dates():
    assert labels.fields_of(labels.label_pairs("索引号 | 620721125/2026-00002 | 发文字号 | 肃林草发〔2026〕6号")) == {
        "index_number": "620721125/2026-00002", "doc_number": "肃林草发〔2026〕6号"}
    assert labels.label_pairs("[发文机构] 北京市人民政府办公厅") == [("发文机构", "北京市人民政府办公厅")]
    assert labels.label_pairs("【2023-04-19】") == [("发布时间", "2023-04-19")]
    assert labels.label_pairs("2020-07-04 12:10:24 来源：求是网") == [
        ("发布时间", "2020-07-04 12:10:24"), ("来源", "求是网")]


def test_spaced_and_traditional_labels():
    assert labels.fields_of(labels.label_pairs("索 引 号：11A00-2023")) == {"index_number": "11A00-2023"}
    assert labels.fields_of(labels.label_pairs("發布機構：辰溪縣統計局 成文日期：2022年4月11日")) == {
        "publisher": "辰溪縣統計局", "written_date": "2022年4月11日"}


def test_which_lines_are_metadata():
    assert labels.is_metadata_line("发布日期：2023-04-19")
    assert labels.is_metadata_line("| 生成日期 | 2026-01-16 18:00:00 | 是否有效 |")
    assert not labels.is_metadata_line("2023年，我局坚持以习近平新时代中国特色社会主义思想为指导。")
    assert not labels.is_metadata_line("发布日期：" + "长" * 300)  # a sentence, however it starts
    assert labels.is_lone_label("发布机构：") and not labels.is_lone_label("发布机构：县政府")


def test_a_text_keeps_its_body_and_gives_its_fields():
    meta, body = labels.extract_metadata_lines(
        ["索引号：001", "发布机构：", "某某县司法局", "2023年，我局坚持依法行政。"])
    assert meta.fields == {"index_number": "001", "publisher": "某某县司法局"}
    assert body == ["2023年，我局坚持依法行政。"]
