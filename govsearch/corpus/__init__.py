"""The synthetic corpus: deterministic 法治政府建设 report pages for the
benchmark and the tests (``scripts/make_corpus.py`` is its command line).

The pages are recombined from the bundled seed reports, so their sentences,
section structure and vocabulary are real:

1. *pools* (:mod:`~govsearch.corpus.pools`) - each seed is cleaned, split
   into sentences and sub-headings by section kind, and its own place names,
   level words (我县, 县委, 全区 …), years and counts are turned into
   placeholders (``⟪S⟫``, ``⟪uc⟫``, ``⟪y0⟫``, ``⟪#26⟫``);
2. *issuers* (:mod:`~govsearch.corpus.issuers`) - a government, party
   committee or department of any province and level drawn from the
   gazetteer;
3. *documents* (:mod:`~govsearch.corpus.documents`,
   :mod:`~govsearch.corpus.compose`) - an annual report or another document
   filled to a log-normal length, with named measures from
   seeds/measures.txt at Zipf-like popularity and jieba dictionary nouns;
4. *pages* (:mod:`~govsearch.corpus.render`, :mod:`~govsearch.corpus.pages`)
   - government-CMS HTML (~10 % GBK) or plain text, and ~2 % traditional-script
   mirrors of earlier pages.

The words (headings, sentences, title forms, vocabularies, the seeds' place
names) are data in ``templates/*.json``, read by
:mod:`~govsearch.corpus.templates`.  ``OUT/manifest.jsonl`` holds the ground
truth for each page (issuer, level, province, report year, doc type, length,
measures inserted, duplicate_of).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from govsearch.corpus.driver import generate
from govsearch.corpus.shape import MANIFEST

__all__ = ["MANIFEST", "fingerprint", "generate"]


def fingerprint() -> str:
    """The sha1 of the generator's code and templates: a corpus cached by another generator is stale."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha1()
    for path in sorted([*package.glob("*.py"), *package.glob("templates/*.json")]):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
