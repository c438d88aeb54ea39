"""The query language, table-driven: parsed structure or the error message."""

import pytest

from govsearch.search.query import QueryError, parse


def shape(q: str, **kwargs) -> dict:
    """A compact view of the parse: groups as lists of text (exact terms quoted)."""
    p = parse(q, **kwargs)
    def term(t):
        return f'"{t.text}"' if t.exact else t.text
    out = {"groups": [[term(t) for t in g] for g in p.groups]}
    if p.excluded:
        out["not"] = [term(t) for t in p.excluded]
    for name in ("years", "levels", "provinces", "doc_types"):
        if getattr(p.filters, name):
            out[name] = getattr(p.filters, name)
    if p.sections:
        out["sections"] = p.sections
    return out


VALID = [
    ("营商环境", {"groups": [["营商环境"]]}),
    ("营商环境 法治", {"groups": [["营商环境"], ["法治"]]}),
    ("  营商环境\u3000法治  ", {"groups": [["营商环境"], ["法治"]]}),
    ('"双随机、一公开"', {"groups": [['"双随机、一公开"']]}),
    ("“双随机、一公开”", {"groups": [['"双随机、一公开"']]}),
    ("“双随机一公开\"", {"groups": [['"双随机一公开"']]}),
    ('"双随机 一公开" 监管', {"groups": [['"双随机 一公开"'], ["监管"]]}),
    ("蒙速办 OR 蒙企通", {"groups": [["蒙速办", "蒙企通"]]}),
    ("蒙速办 OR 蒙企通 OR 一网通办", {"groups": [["蒙速办", "蒙企通", "一网通办"]]}),
    ("法治 蒙速办 OR 蒙企通", {"groups": [["法治"], ["蒙速办", "蒙企通"]]}),
    ('"枫桥经验" OR 枫桥精神', {"groups": [['"枫桥经验"', "枫桥精神"]]}),
    ("法治 or 营商", {"groups": [["法治"], ["or"], ["营商"]]}),  # only upper-case OR is an operator
    ("法治 -新闻", {"groups": [["法治"]], "not": ["新闻"]}),
    ('法治 -"纪实"', {"groups": [["法治"]], "not": ['"纪实"']}),
    ("year:2022 法治", {"groups": [["法治"]], "years": [2022]}),
    ("法治 year:2020-2023", {"groups": [["法治"]], "years": [2020, 2021, 2022, 2023]}),
    ("法治 year:2023-2020", {"groups": [["法治"]], "years": [2020, 2021, 2022, 2023]}),  # the span either way
    ("法治 year:2021,2023", {"groups": [["法治"]], "years": [2021, 2023]}),
    ("法治 year：2022", {"groups": [["法治"]], "years": [2022]}),  # full-width colon
    ("法治 年份:2022", {"groups": [["法治"]], "years": [2022]}),
    ("year:2022", {"groups": [], "years": [2022]}),
    ("法治 level:县级", {"groups": [["法治"]], "levels": ["县级"]}),
    ("法治 level:县", {"groups": [["法治"]], "levels": ["县级"]}),
    ("法治 level:县级,乡镇级", {"groups": [["法治"]], "levels": ["县级", "乡镇级"]}),
    ("法治 province:山东", {"groups": [["法治"]], "provinces": ["山东"]}),
    ('法治 province:"内蒙古"', {"groups": [["法治"]], "provinces": ["内蒙古"]}),
    ("法治 province:廣東", {"groups": [["法治"]], "provinces": ["广东"]}),
    ("section:shortcomings 执法人员", {"groups": [["执法人员"]], "sections": ["shortcomings"]}),
    ("section:不足 执法人员", {"groups": [["执法人员"]], "sections": ["shortcomings"]}),
    ("section:plans,measures 数字政府", {"groups": [["数字政府"]], "sections": ["plans", "measures"]}),
    ("法治 type:annual_report", {"groups": [["法治"]], "doc_types": ["annual_report"]}),
    ("法治 doc_type:other", {"groups": [["法治"]], "doc_types": ["other"]}),
    ("法治 type:年度报告", {"groups": [["法治"]], "doc_types": ["annual_report"]}),
    ("營商環境", {"groups": [["营商环境"]]}),  # traditional is normalized
    ('"蒙速辦"', {"groups": [['"蒙速办"']]}),
    ("ＡＰＰ", {"groups": [["APP"]]}),  # full-width letters fold
    ("12345热线", {"groups": [["12345热线"]]}),
    ("法", {"groups": [["法"]]}),
    ("10:30", {"groups": [["10:30"]]}),  # not a field: digits before the colon
    ("法治政府-建设", {"groups": [["法治政府-建设"]]}),  # a '-' inside a word is not exclusion
]

EXACT_MODE = [
    ("双随机、一公开", {"groups": [['"双随机、一公开"']]}),
    ("蒙速办 year:2022", {"groups": [['"蒙速办"']], "years": [2022]}),
    ("蒙速办 OR 蒙企通", {"groups": [['"蒙速办"', '"蒙企通"']]}),
]

INVALID = [
    ('"双随机、一公开', "引号不成对"),
    ("“双随机", "引号不成对"),
    ('法治 "', "引号不成对"),
    ("", "查询为空"),
    ("   ", "查询为空"),
    ("、、，", "没有可检索"),
    ('""', "没有可检索"),
    ("OR 法治", "OR 前面缺少"),
    ("法治 OR", "OR 后面缺少"),
    ("法治 OR OR 营商", "OR 后面缺少"),
    ("法治 OR year:2022", "OR 后面缺少"),
    ("法治 - 新闻", "“-” 后面"),
    ("-新闻", "只有排除条件"),
    ("法治 OR -新闻", "不能用 OR"),
    ("foo:bar 法治", "未知字段 foo"),
    ("http://example.com", "未知字段 http"),
    ("法治 year:abc", "年份无效"),
    ("法治 year:1800", "年份超出范围"),
    ("法治 year:", "缺少取值"),
    ("法治 level:村级", "层级无效"),
    ("法治 type:news", "文档类型无效"),
    ("法治 section:summary", "章节无效"),
    ("section:shortcomings", "section: 需要和检索词一起使用"),
    ("法治 -year:2022", "字段条件不能排除"),
    ("法" * 501, "查询过长"),
]


@pytest.mark.parametrize("q, expected", VALID)
def test_valid(q, expected):
    assert shape(q) == expected


@pytest.mark.parametrize("q, expected", EXACT_MODE)
def test_exact_mode(q, expected):
    assert shape(q, exact=True) == expected


@pytest.mark.parametrize("q, message", INVALID)
def test_invalid(q, message):
    with pytest.raises(QueryError) as info:
        parse(q)
    assert message in str(info.value)


def test_table_size():
    assert len(VALID) + len(EXACT_MODE) + len(INVALID) >= 40
