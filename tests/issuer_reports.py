"""Generated reports of one county government (乌拉特前旗, no seed's) over three years, a
department of it over two, and a neighbouring county - each naming its
issuer the way real reports vary it - for the issuer and comparison tests.

The 2023 government report is the 2022 one rewritten as a year's report is:
one sentence dropped (GONE), one added that names a measure the earlier
years never do (ADDED, 蒙速办), one reworded (REWORDED), and two swapped.
"""

from __future__ import annotations

from pathlib import Path

MEASURES = [
    "全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度，执法行为进一步规范。",
    "深入开展“八五”普法，组织领导干部集中学法四次，覆盖全旗各部门主要负责人。",
    "推进“双随机、一公开”监管全覆盖，抽查市场主体三百余户，结果全部向社会公开。",
    "健全行政复议工作机制，全年受理行政复议案件二十一件，依法审结十九件。",
    "完善重大行政决策程序，对涉及群众切身利益的决策事项全部开展风险评估。",
]
GONE = "聘请法律顾问十二名，为县政府重大事项提供法律意见八十余条。"
ADDED = "全面推广“蒙速办”政务服务平台，企业和群众办事实现网上可办、掌上能办。"
REWORDED = ("深入开展“八五”普法，组织领导干部集中学法四次，覆盖全旗各部门主要负责人。",
            "深入开展“八五”普法，组织领导干部集中学法六次，覆盖全旗各部门和乡镇主要负责人。")
SHORTCOMINGS = ["基层执法人员法治素养有待进一步提升，执法能力与新形势要求还有差距。",
                "法治宣传的针对性和实效性不够强，群众参与度还不够高。"]
PLANS = ["持续深化行政执法体制改革，加强执法队伍建设，提升执法规范化水平。",
         "压实党政主要负责人履行推进法治建设第一责任人职责，推动法治政府建设再上新台阶。"]


def report(title: str, year: int, measures: list[str], signature: str, date: str) -> str:
    """A report as a county site prints it: title, opening, three sections, signature and date."""
    body = [title, f"{year}年，在旗委的坚强领导下，我们坚持以习近平法治思想为指导，扎实推进法治政府建设。",
            f"一、{year}年推进法治政府建设的主要举措和成效", *measures,
            "二、存在的不足和原因", *SHORTCOMINGS,
            f"三、{year + 1}年推进法治政府建设的主要安排", *PLANS, signature, date]
    return "\n".join(body) + "\n"


def government_measures(year: int) -> list[str]:
    if year < 2023:
        return [*MEASURES, GONE]
    kept = [REWORDED[1] if m == REWORDED[0] else m for m in MEASURES]
    kept[2], kept[3] = kept[3], kept[2]  # moved, not changed
    return [*kept, ADDED]


# name → (title, year, signature, date); the issuer spelt three ways for one government.
GOVERNMENT = {
    "gov-2021": ("乌拉特前旗人民政府2021年度法治政府建设情况报告", 2021, "乌拉特前旗人民政府", "2022年1月25日"),
    "gov-2022": ("乌拉特前旗政府2022年度法治政府建设情况报告", 2022, "乌拉特前旗人民政府", "2023年1月20日"),
    "gov-2023": ("内蒙古自治区巴彦淖尔市乌拉特前旗人民政府2023年度法治政府建设情况报告", 2023, "乌拉特前旗人民政府",
                 "2024年1月18日"),
}
DEPARTMENT = {
    "dept-2022": ("乌拉特前旗司法局2022年度法治政府建设情况报告", 2022, "乌拉特前旗司法局", "2023年1月10日"),
    "dept-2023": ("乌拉特前旗司法局2023年度法治政府建设情况报告", 2023, "乌拉特前旗司法局", "2024年1月12日"),
}
NEIGHBOUR = {"other-2022": ("临河区人民政府2022年度法治政府建设情况报告", 2022, "临河区人民政府", "2023年2月1日")}


def write_reports(folder: Path) -> dict[str, Path]:
    """The reports as text files in ``folder``: name → path."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, (title, year, signature, date) in {**GOVERNMENT, **DEPARTMENT, **NEIGHBOUR}.items():
        measures = government_measures(year) if name.startswith("gov") else MEASURES[:3]
        path = folder / f"{name}.txt"
        path.write_text(report(title, year, measures, signature, date), encoding="utf-8")
        out[name] = path
    return out
