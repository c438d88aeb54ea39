"""What every page is made from, loaded once per process: the seed pools,
the gazetteer's divisions (issuers are drawn from them), the measures of
``seeds/measures.txt`` at Zipf-like popularity, jieba's common nouns, and the
pinyin glosses a glossing mirror writes.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from govsearch.corpus.pools import build_pools, seed_files
from govsearch.corpus.templates import REPORTS
from govsearch.index.bundled import MEASURES_FILE
from govsearch.index.gazetteer import read_rows


@dataclass
class Division:
    code: str
    name: str
    level: str
    parent: str
    short: str


class Resources:
    """Everything a page is made from, loaded once per process."""

    def __init__(self) -> None:
        self.pools = build_pools()
        self._load_divisions()
        self.measures, self.measure_cum = _load_measures()
        self.words, self.word_cum = _load_vocabulary()
        self.glosses = _load_glosses()

    def _load_divisions(self) -> None:
        self.div: dict[str, Division] = {}
        children: dict[str, list[str]] = defaultdict(list)
        for code, name, level, parent, short, _aliases in read_rows():
            self.div[code] = Division(code, name, level, parent, short)
            children[parent].append(code)
        self.children = dict(children)
        county_names = Counter(d.name for d in self.div.values() if d.level == "县级")
        self.ambiguous = {name for name, n in county_names.items() if n > 1}
        town_names = Counter(d.name for d in self.div.values() if d.level == "乡镇级")
        self.ambiguous_towns = {name for name, n in town_names.items() if n > 1}
        self.by_level: dict[str, list[str]] = defaultdict(list)
        for d in self.div.values():
            if d.level == "县级" and not re.search(r"(?:县|区|旗|市)$", d.name):
                continue
            if d.level == "县级" and re.search(r"(开发区|管理区|示范区|园区|实验区|新城|林区|特区)$", d.name):
                continue
            if d.level == "乡镇级" and not _good_town(d.name):
                continue
            self.by_level[d.level].append(d.code)
        for codes in self.by_level.values():
            codes.sort()

    def chain(self, code: str) -> list[Division]:
        """Province first, down to the division itself."""
        out = []
        while code:
            d = self.div[code]
            out.append(d)
            code = d.parent
        return out[::-1]


def _good_town(name: str) -> bool:
    if name.endswith(("镇", "乡")):
        return len(name) >= 3 and not re.search(r"(农场|林场|牧场|开发区|管委会|办事处)", name)
    if name.endswith("街道"):
        return len(name) >= 4 and "办事处" not in name
    return False


@lru_cache(maxsize=1)
def resources() -> Resources:
    return Resources()


def _load_measures() -> tuple[list[str], list[float]]:
    """The dictionary's measures in a fixed popularity order, Zipf weights (s=1.1)."""
    words = [line.split()[0] for line in MEASURES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    order = sorted(words, key=lambda w: hashlib.sha1(w.encode()).hexdigest())
    # General terms of the trade are the most popular, whatever the hash says.
    common = [w for w in REPORTS["popular_measures"] if w in words]
    order = common + [w for w in order if w not in common]
    cum, total = [], 0.0
    for rank in range(1, len(order) + 1):
        total += 1.0 / rank**1.1
        cum.append(total)
    return order, cum


def _load_vocabulary() -> tuple[list[str], list[float]]:
    """Common nouns of jieba's dictionary, weighted by frequency**0.5."""
    import jieba

    path = Path(jieba.__file__).with_name("dict.txt")
    words, cum, total = [], [], 0.0
    han = re.compile("^[\u4e00-\u9fff]{2,4}$")
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[2] in ("n", "vn") and int(parts[1]) >= 300 and han.match(parts[0]):
                words.append(parts[0])
                total += int(parts[1]) ** 0.5
                cum.append(total)
    return words, cum


def _load_glosses() -> dict[str, str]:
    """Traditional character → pinyin, as the glossing mirror (seed 000) wrote them."""
    glosses: dict[str, str] = {}
    gloss = re.compile(r"([\u4e00-\u9fff])\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6})\)")
    for path in seed_files():
        for char, syllable in gloss.findall(path.read_text(encoding="utf-8")):
            glosses.setdefault(char, syllable)
    return glosses
