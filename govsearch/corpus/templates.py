"""The generator's words, read from ``templates/*.json`` (package data).

Headings, sentences, title forms, vocabularies and the seeds' place names are
data, not code: changing a heading or adding a slogan is an edit of a JSON
file, and each file's ``about`` says what its fields are and which
``{placeholders}`` they take.  Everything here is loaded once, at import.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def load(name: str) -> dict[str, Any]:
    """One template file, ``templates/<name>.json``, as a dict."""
    return json.loads((TEMPLATES_DIR / f"{name}.json").read_text(encoding="utf-8"))


SEEDS = load("seeds")
ISSUERS = load("issuers")
REPORTS = load("reports")
OTHER_DOCUMENTS = load("other_documents")
PAGES = load("pages")
FILES = ("seeds", "issuers", "reports", "other_documents", "pages")  # every file of templates/

SEED_PLACES: dict[str, dict[str, Any]] = SEEDS["places"]
PROVINCE_APPS: dict[str, str] = ISSUERS["province_apps"]
DEPARTMENTS: dict[str, list[str]] = ISSUERS["departments"]
HEADINGS: dict[str, list[str]] = REPORTS["headings"]
SUBHEADINGS: dict[str, list[str]] = REPORTS["subheadings"]
EXTRA_SENTENCES: dict[str, list[str]] = REPORTS["extra_sentences"]
MEASURE_TEMPLATES: list[str] = REPORTS["measure_templates"]
VOCAB_TEMPLATES: list[str] = REPORTS["vocab_templates"]
PREAMBLES: list[str] = REPORTS["preambles"]
NEWS = OTHER_DOCUMENTS["news"]
INTERPRETATION = OTHER_DOCUMENTS["interpretation"]
PLAN = OTHER_DOCUMENTS["plan"]
