"""The tantivy peer: tantivy-py over the same jieba words (govsearch's
``cut_words``) in whitespace-tokenized fields, folded bigrams for exact
lookups, fast fields for facet aggregations - the speed limit of an embedded
engine.  tantivy comes with the test extras only: it is imported inside the
functions, and a run that asks for this peer without it stops at the start
with the command that installs it.
"""

from __future__ import annotations

import html
import importlib.util
import itertools
import re
import time
from pathlib import Path
from typing import Any

from govsearch.bench.console import bar, log
from govsearch.bench.corpus import read_page
from govsearch.bench.protocol import Peer, Work, bullets
from govsearch.bench.queries import PER_PAGE
from govsearch.bench.stats import by_kind, dir_mb, page_and_exact, timed_pages

# The exact field: folded bigrams per line, the last character marked by END
# (fold() drops "$", so no bigram can contain it).
END = "$"
FACET_FIELDS = {"years": "year", "levels": "level", "provinces": "province"}
AGGREGATION = {name: {"terms": {"field": name, "size": 100}} for name in ("year", "level", "province")}


class TantivyPeer(Peer):
    name = "tantivy"

    def missing(self) -> str | None:
        if importlib.util.find_spec("tantivy") is None:
            return "tantivy is not installed: .venv/bin/pip install tantivy (or --peers naive)"
        return None

    def ingest(self, work: Work) -> dict[str, Any]:
        return tantivy_ingest(work.pages, work.rows, work.index_dir, work.chars)

    def queries(self, work: Work) -> dict[str, Any]:
        return tantivy_queries(work.index_dir, work.mix)

    def notes(self, results: dict[str, Any]) -> list[str]:
        mine = results[self.name]
        if not mine.get("queries"):
            return []
        return [f"tantivy: {mine['ingest']['tokenize_s']:.1f} s of its {mine['ingest']['seconds']:.1f} s "
                "ingest is jieba and bigrams in Python", *bullets(mine["queries"]["notes"])]


def bigrams(folded: str) -> list[str]:
    """Overlapping bigrams of an already folded string, plus the end marker."""
    if not folded:
        return []
    return [folded[i : i + 2] for i in range(len(folded) - 1)] + [folded[-1] + END]


def exact_terms(text: str) -> list[str]:
    """The bigrams a phrase query needs for an exact lookup of ``text``."""
    from govsearch.index.normalize import fold

    folded = fold(text)
    return [folded[i : i + 2] for i in range(len(folded) - 1)] if len(folded) > 1 else list(folded)


def _schema():
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("title", tokenizer_name="whitespace")  # jieba words, joined by spaces
    sb.add_text_field("content", tokenizer_name="whitespace")
    sb.add_text_field("exact", tokenizer_name="whitespace")  # folded bigrams, one value per line
    sb.add_text_field("path", stored=True, tokenizer_name="raw")
    sb.add_bytes_field("stored_title", stored=True, indexed=False)
    sb.add_bytes_field("stored_text", stored=True, indexed=False)
    sb.add_integer_field("year", stored=True, indexed=True, fast=True)
    sb.add_text_field("level", stored=True, tokenizer_name="raw", fast=True)
    sb.add_text_field("province", stored=True, tokenizer_name="raw", fast=True)
    return sb.build()


def tantivy_ingest(pages: list[Path], rows: list[dict[str, Any]], index_dir: Path, chars: int) -> dict[str, Any]:
    import tantivy

    schema = _schema()
    index_dir.mkdir(parents=True, exist_ok=True)
    log(f"tantivy: ingesting {len(pages)} pages (BeautifulSoup text, govsearch's jieba words) …")
    started = time.perf_counter()
    ix = tantivy.Index(schema, path=str(index_dir), reuse=False)
    writer = ix.writer(heap_size=256_000_000, num_threads=0)
    tokenize_s = 0.0
    for path, row in bar(zip(pages, rows, strict=True), total=len(pages), desc="tantivy ingest"):
        doc, seconds = _document(path, row)
        tokenize_s += seconds
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - started
    log(f"tantivy: ingested in {seconds:.1f} s ({tokenize_s:.1f} s of it in jieba and bigrams)")
    return {"seconds": round(seconds, 3), "files": len(pages), "reports_per_s": len(pages) / seconds,
            "chars_per_s": chars / seconds, "tokenize_s": round(tokenize_s, 3),
            "index_mb": round(dir_mb(index_dir), 3), "workers": "tantivy writer threads: auto; jieba: 1"}


def _document(path: Path, row: dict[str, Any]):
    """One page as a tantivy document, and the seconds spent in jieba and bigrams."""
    import tantivy

    from govsearch.index.analysis import cut_words
    from govsearch.index.normalize import fold

    title, text = read_page(path)
    t = time.perf_counter()
    title_words = " ".join(w for w, _, _ in cut_words(title))
    text_words = " ".join(w for w, _, _ in cut_words(text))
    line_bigrams = [" ".join(bigrams(fold(line))) for line in text.split("\n")]
    seconds = time.perf_counter() - t
    doc = tantivy.Document()
    doc.add_text("title", title_words)
    doc.add_text("content", text_words)
    for value in line_bigrams:
        if value:
            doc.add_text("exact", value)
    doc.add_text("path", str(path))
    doc.add_bytes("stored_title", title.encode("utf-8"))
    doc.add_bytes("stored_text", text.encode("utf-8"))
    if str(row.get("report_year") or "").isdigit():
        doc.add_integer("year", int(row["report_year"]))
    for name in ("level", "province"):
        if row.get(name):
            doc.add_text(name, str(row[name]))
    return doc, seconds


class _Searcher:
    """Top 10 with stored fields and a regex snippet per hit, plus terms
    aggregations on year/level/province (one more per active filter, for
    counts that ignore their own selection, as govsearch's facets do)."""

    def __init__(self, index_dir: Path) -> None:
        import tantivy

        self.tantivy, self.schema = tantivy, _schema()
        ix = tantivy.Index(self.schema, path=str(index_dir), reuse=True)
        ix.reload()
        self.searcher = ix.searcher()

    def match(self, item: dict[str, Any]) -> tuple[Any, re.Pattern | None]:
        """The query of a mix item, and the pattern its snippets mark."""
        from govsearch.index.analysis import query_words
        from govsearch.index.normalize import fold

        query, occur, schema = self.tantivy.Query, self.tantivy.Occur, self.schema
        if item["exact"]:
            terms = exact_terms(item["q"])
            found = (query.phrase_query(schema, "exact", terms) if len(terms) > 1
                     else query.term_query(schema, "exact", terms[0]))
            return found, re.compile(r"(?:[^\w\n]|_)*".join(re.escape(c) for c in fold(item["q"])), re.IGNORECASE)
        clauses, words_all = [], []
        for part in item["q"].split():
            for word in query_words(part):
                words_all.append(word)
                clauses.append((occur.Must, query.boolean_query([
                    (occur.Should, query.boost_query(query.term_query(schema, "title", word), 2.0)),
                    (occur.Should, query.term_query(schema, "content", word))])))
        pattern = "|".join(re.escape(w) for w in sorted(set(words_all), key=len, reverse=True))
        return query.boolean_query(clauses), re.compile(pattern, re.IGNORECASE) if pattern else None

    def filtered(self, query, filters: dict[str, list], skip: str | None = None):
        occur, schema = self.tantivy.Occur, self.schema
        clauses = [(occur.Must, query)]
        for key, values in filters.items():
            if key == skip:
                continue
            clauses.append((occur.Must, self.tantivy.Query.boolean_query(
                [(occur.Should, self.tantivy.Query.term_query(schema, FACET_FIELDS[key], v)) for v in values])))
        return self.tantivy.Query.boolean_query(clauses) if len(clauses) > 1 else query

    def page(self, item: dict[str, Any]) -> tuple[int, int]:
        """(total, snippets) of one results page with its facets."""
        query, highlight = self.match(item)
        filters = item.get("filters") or {}
        full = self.filtered(query, filters)
        result = self.searcher.search(full, PER_PAGE)
        snippets = 0
        for _, address in result.hits:
            doc = self.searcher.doc(address).to_dict()
            text = bytes(doc["stored_text"][0]).decode("utf-8")  # tantivy 0.24 gives a list of ints
            if highlight is not None:
                for m in itertools.islice(highlight.finditer(text), 3):
                    left, right = text[max(0, m.start() - 40) : m.start()], text[m.end() : m.end() + 40]
                    _ = f"{html.escape(left)}<mark>{html.escape(m.group(0))}</mark>{html.escape(right)}"
                    snippets += 1
        self.searcher.aggregate(full, AGGREGATION)
        for key in filters:
            field = FACET_FIELDS[key]
            self.searcher.aggregate(self.filtered(query, filters, skip=key), {field: AGGREGATION[field]})
        return result.count, snippets


def tantivy_queries(index_dir: Path, mix: list[dict[str, Any]]) -> dict[str, Any]:
    searcher = _Searcher(index_dir)
    per_query = timed_pages("tantivy", mix, lambda item: dict(zip(("total", "snippets"), searcher.page(item),
                                                                  strict=True)))
    return {**page_and_exact(per_query), "by_kind": {"results_page": by_kind(per_query)},
            "notes": ["top 10 by BM25 (exact lookups too: govsearch ranks those by occurrences over every match)",
                      "snippets: first 3 regex matches per hit, cut from the stored text in Python",
                      "facets: terms aggregations on fast fields year/level/province; metadata from the manifest"],
            "per_query": per_query}
