"""Normalization stages, each on its own."""

import pytest

from govsearch.index.normalize import (
    collapse_punctuation,
    fold,
    is_pinyin_gloss,
    normalize_query,
    normalize_text,
    remove_pinyin_glosses,
    to_simplified,
    unify_punctuation,
)
from tests.conftest import seed_path


@pytest.mark.parametrize("text, expected", [
    ("自治區(qū)黨委", "自治區黨委"),
    ("環(huán)節(jié)", "環節"),
    ("優(yōu)化", "優化"),
    ("世界贸易组织(WTO)", "世界贸易组织(WTO)"),  # not pinyin
    ("附件(a)", "附件(a)"),  # no tone mark: not a gloss
    ("镇(街道)", "镇(街道)"),
    ("县(shi)", "县(shi)"),
])
def test_pinyin_glosses(text, expected):
    assert remove_pinyin_glosses(text)[0] == expected


def test_gloss_syllables_are_validated():
    assert is_pinyin_gloss("zhí") and is_pinyin_gloss("lǜ") and is_pinyin_gloss("qū")
    assert not is_pinyin_gloss("xyz") and not is_pinyin_gloss("ábc")


def test_traditional_is_detected_and_converted():
    text, script = to_simplified("全面落實自治區黨委關於法治政府建設的工作要求")
    assert script == "traditional" and text == "全面落实自治区党委关于法治政府建设的工作要求"
    assert to_simplified("全面落实自治区党委的工作要求") == ("全面落实自治区党委的工作要求", "simplified")


@pytest.mark.parametrize("text, expected", [
    ("指导,,深入", "指导,深入"),
    ("党中央,、国务院", "党中央、国务院"),
    ("问题,;二是", "问题;二是"),
    ("推进,。", "推进。"),
    ("甲、、乙", "甲、乙"),
])
def test_collapse_punctuation(text, expected):
    assert collapse_punctuation(text) == expected


def test_unify_punctuation_only_in_chinese_context():
    assert unify_punctuation("(一)加强") == "（一）加强"
    assert unify_punctuation("方案(2021-2025)》") == "方案（2021-2025）》"
    assert unify_punctuation("a,b 10:30 ２０２２") == "a,b 10:30 2022"


def test_whitespace_nbsp_and_ideographic_space():
    text, _ = normalize_text("第一段\u00a0\u00a0内容\u3000\u3000。\n\n  \n第二段")
    assert text == "第一段 内容。\n第二段"


def test_seed_000_is_simplified_without_glosses():
    text, script = normalize_text(seed_path("000").read_text(encoding="utf-8"))
    assert script == "traditional"
    assert "(qū)" not in text and "區" not in text and "环节" in text
    assert "营商环境" in text
    assert ",," not in text and ",、" not in text and "，、" not in text


def test_fold_ignores_punctuation_and_width():
    assert fold("双随机、一公开") == fold("双随机一公开") == "双随机一公开"
    assert fold("ＡＰＰ 应用") == "app应用"


def test_query_normalization_matches_documents():
    assert normalize_query("營商環境") == "营商环境"
