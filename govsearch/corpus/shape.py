"""The corpus's shape: page lengths, years, the shares of document kinds,
levels, encodings and mirrors, and the numerals that number sections.

Numbers, not words: the words are in ``templates/``.  A change here changes
every generated corpus (the benchmark's cached corpora notice it).
"""

from __future__ import annotations

import re

MANIFEST = "manifest.jsonl"
MIN_LENGTH, MAX_LENGTH = 1000, 40000
MEDIAN_LENGTH = 6000
LENGTH_SIGMA = 0.6
FIRST_YEAR, LAST_YEAR = 2016, 2025
ANNUAL_SHARE = 0.85
DUP_SHARE = 0.02
GBK_SHARE = 0.10  # of the HTML pages
PAGE_NAME = re.compile(r"^\d{6,}_[0-9a-f]{8}\.(?:html|txt)$")

# Level mix: government share per level; party committees and departments on top.
LEVEL_WEIGHTS = {"省级": 0.05, "市级": 0.22, "县级": 0.45, "乡镇级": 0.28}
LEVEL_LENGTH = {"省级": 1.8, "市级": 1.3, "县级": 1.0, "乡镇级": 0.65}
SUBTYPE_LENGTH = {"news": 0.6, "interpretation": 0.45, "plan": 1.0}
LENGTH_BASE = 0.93  # keeps the overall median near MEDIAN_LENGTH (see the length check)

CN_NUMERALS = "一二三四五六七八九十"
SUB_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五"]
