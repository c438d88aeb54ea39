"""A tile-grid map of China's provinces: one equal tile each, placed roughly
where the province lies, so that a share reads the same for 宁夏 as for 新疆.
No geodata and nothing fetched: the grid is this table, the tiles CSS."""

from __future__ import annotations

from typing import Any

# (row, column) of each province-level division, by the name its full name begins with.
GRID = {
    "黑龙江": (0, 7),
    "新疆": (1, 0), "内蒙古": (1, 4), "北京": (1, 5), "辽宁": (1, 6), "吉林": (1, 7),
    "西藏": (2, 0), "青海": (2, 1), "甘肃": (2, 2), "宁夏": (2, 3), "山西": (2, 4), "河北": (2, 5), "天津": (2, 6),
    "四川": (3, 2), "陕西": (3, 3), "河南": (3, 4), "山东": (3, 5),
    "重庆": (4, 2), "湖北": (4, 3), "安徽": (4, 4), "江苏": (4, 5), "上海": (4, 6),
    "云南": (5, 1), "贵州": (5, 2), "湖南": (5, 3), "江西": (5, 4), "浙江": (5, 5),
    "广西": (6, 2), "广东": (6, 3), "福建": (6, 4), "台湾": (6, 5),
    "海南": (7, 2), "香港": (7, 3), "澳门": (7, 4),
}
SHADES = 5  # share buckets: 1..5 (0: reports, none matching; None: no report)
NATIONAL = "国家级"


def short_name(province: str) -> str | None:
    """The grid's name for a full province name (内蒙古自治区 → 内蒙古)."""
    return next((short for short in GRID if province.startswith(short)), None)


def shade(share: float, reports: int) -> int:
    """The tile's shade: 0 when nothing matches, else 1..SHADES by share."""
    return 0 if not reports else min(SHADES, 1 + int(share * SHADES))


def tiles(cells: dict[Any, dict[str, Any]]) -> list[dict[str, Any]]:
    """A tile per grid province with its cell's counts (``cells``: per
    province name, as search.distribution.summed gives them)."""
    by_short = {short_name(name): (name, cell) for name, cell in cells.items() if name}
    out = []
    for short, (row, column) in GRID.items():
        name, cell = by_short.get(short, (None, None))
        out.append({"short": short, "name": name, "row": row, "column": column, "cell": cell,
                    "shade": None if cell is None or not cell["total"] else shade(cell["share"], cell["reports"])})
    return out
