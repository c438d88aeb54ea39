"""The jieba analyzer: words, positions and character offsets Whoosh can use."""

from govsearch.index.analysis import JiebaTokenizer, cut_words, query_words
from govsearch.index.normalize import normalize_text
from tests.conftest import seed_path


def test_offsets_slice_back_to_the_token():
    text, _ = normalize_text(seed_path("002").read_text(encoding="utf-8"))
    tokens = [(t.text, t.pos, t.startchar, t.endchar)
              for t in JiebaTokenizer()(text, positions=True, chars=True)]
    assert len(tokens) > 1000
    for i, (word, pos, start, end) in enumerate(tokens):
        assert text[start:end].lower() == word
        assert pos == i


def test_punctuation_and_whitespace_are_dropped():
    words = [w for w, _, _ in cut_words("优化营商环境，  双随机、一公开！APP")]
    assert "，" not in words and "、" not in words and " " not in words and "！" not in words
    assert "营商" in words and "app" in words


def test_search_mode_emits_sub_words():
    words = [w for w, _, _ in cut_words("中华人民共和国监察法")]
    assert "中华人民共和国" in words and "人民" in words


def test_query_words_are_distinct_and_ordered():
    assert query_words("法治 法治 政府") == ["法治", "政府"]


def test_nested_dictionary_words_are_indexed():
    words = [w for w, _, _ in cut_words("坚持和发展新时代枫桥经验，推进法治政府建设")]
    assert {"新时代枫桥经验", "枫桥经验", "法治政府建设", "法治政府"} <= set(words)


def test_measures_dictionary_is_loaded_by_default():
    words = [w for w, _, _ in cut_words("大力推广应用蒙速办")]
    assert "蒙速办" in words
