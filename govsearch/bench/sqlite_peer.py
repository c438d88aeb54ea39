"""The SQLite peer: FTS5 with the trigram tokenizer (stdlib ``sqlite3``) -
what a researcher who wants substring search without a search engine
builds: one file, any substring of three or more characters found, ranked
by ``bm25()``, highlighted by ``snippet()``, facets by GROUP BY.

The text is stored once: the FTS table indexes an external content table
(``docs``) that also holds the metadata.  Trigrams cannot find a string
shorter than three characters, so a query word of one or two characters
(法治, 普法, 复议) is matched by ``LIKE '%…%'`` over the text - a scan of
every row - and the notes say how many of the mix's queries needed one.
An exact lookup searches the phrase as typed: trigrams keep punctuation,
so unlike govsearch it does not find 双随机一公开 for 双随机、一公开.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from govsearch.bench.console import bar, log
from govsearch.bench.corpus import read_page
from govsearch.bench.protocol import Peer, Work, bullets
from govsearch.bench.queries import PER_PAGE
from govsearch.bench.stats import by_kind, dir_mb, page_and_exact, timed_pages

DB = "fts.sqlite3"
FACET_COLUMNS = {"years": "year", "levels": "level", "provinces": "province"}
TRIGRAM = 3  # the shortest string the trigram tokenizer can match
BATCH = 500


class SqlitePeer(Peer):
    name = "sqlite"

    def missing(self) -> str | None:
        try:
            sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
        except sqlite3.OperationalError as exc:
            return f"this Python's SQLite ({sqlite3.sqlite_version}) has no FTS5 trigram tokenizer: {exc}"
        return None

    def ingest(self, work: Work) -> dict[str, Any]:
        return sqlite_ingest(work.pages, work.rows, work.index_dir, work.chars)

    def queries(self, work: Work) -> dict[str, Any]:
        return sqlite_queries(work.index_dir, work.mix)

    def notes(self, results: dict[str, Any]) -> list[str]:
        mine = results[self.name]
        return bullets(mine["queries"]["notes"]) if mine.get("queries") else []


def _connect(index_dir: Path) -> sqlite3.Connection:
    db = sqlite3.connect(index_dir / DB)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    return db


def sqlite_ingest(pages: list[Path], rows: list[dict[str, Any]], index_dir: Path, chars: int) -> dict[str, Any]:
    index_dir.mkdir(parents=True, exist_ok=True)
    (index_dir / DB).unlink(missing_ok=True)
    log(f"sqlite: ingesting {len(pages)} pages (BeautifulSoup text, FTS5 trigram) …")
    started = time.perf_counter()
    db = _connect(index_dir)
    db.executescript("""
        CREATE TABLE docs(id INTEGER PRIMARY KEY, path TEXT, title TEXT, body TEXT,
                          year INTEGER, level TEXT, province TEXT);
        CREATE VIRTUAL TABLE fts USING fts5(title, body, content='docs', content_rowid='id',
                                            tokenize='trigram');
    """)
    batch = []
    for i, (path, row) in enumerate(bar(zip(pages, rows, strict=True), total=len(pages), desc="sqlite ingest")):
        title, text = read_page(path)
        year = int(row["report_year"]) if str(row.get("report_year") or "").isdigit() else None
        batch.append((i + 1, str(path), title, text, year, row.get("level") or None, row.get("province") or None))
        if len(batch) >= BATCH:
            _insert(db, batch)
    _insert(db, batch)
    db.execute("INSERT INTO fts(fts) VALUES('optimize')")
    db.commit()
    db.close()
    seconds = time.perf_counter() - started
    log(f"sqlite: ingested in {seconds:.1f} s")
    return {"seconds": round(seconds, 3), "files": len(pages), "reports_per_s": len(pages) / seconds,
            "chars_per_s": chars / seconds, "index_mb": round(dir_mb(index_dir), 3), "workers": "1"}


def _insert(db: sqlite3.Connection, batch: list[tuple]) -> None:
    db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
    db.executemany("INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)", [(b[0], b[2], b[3]) for b in batch])
    batch.clear()


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _parts(item: dict[str, Any]) -> list[str]:
    """What must occur: the exact phrase as typed, or each jieba word of each part."""
    from govsearch.index.analysis import query_words

    if item["exact"]:
        return [item["q"]]
    return [w for part in item["q"].split() for w in query_words(part)]


def _conditions(item: dict[str, Any], skip: str | None = None) -> tuple[str, list[str], list[Any], bool]:
    """(the FTS5 MATCH expression or "", the other conditions on docs d,
    their parameters, whether a LIKE scan is needed); ``skip`` leaves one
    filter out."""
    parts = _parts(item)
    match = " AND ".join(_phrase(p) for p in parts if len(p) >= TRIGRAM)
    short = [p for p in parts if len(p) < TRIGRAM]
    clauses, params = [], []
    for p in short:
        clauses.append("(d.title LIKE ? OR d.body LIKE ?)")
        params += [f"%{p}%", f"%{p}%"]
    for key, values in (item.get("filters") or {}).items():
        if key != skip:
            clauses.append(f"d.{FACET_COLUMNS[key]} IN ({', '.join('?' * len(values))})")
            params += list(values)
    return match, clauses, params, bool(short)


def _where(item: dict[str, Any], skip: str | None = None) -> tuple[str, list[Any]]:
    """Every condition as one WHERE clause over docs d, and its parameters."""
    match, clauses, params, _ = _conditions(item, skip)
    if match:
        return " AND ".join(["d.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)", *clauses]), [match, *params]
    return " AND ".join(clauses) or "1", params


class _Searcher:
    def __init__(self, index_dir: Path) -> None:
        self.db = sqlite3.connect(f"file:{index_dir / DB}?mode=ro", uri=True)

    def page(self, item: dict[str, Any]) -> tuple[int, int, bool]:
        """(total, snippets, scanned) of one results page with its facets."""
        match, clauses, params, scanned = _conditions(item)
        if match:  # ranked and highlighted by FTS5 itself
            rows = self.db.execute(
                "SELECT d.id, snippet(fts, 1, '<mark>', '</mark>', '…', 24) FROM fts JOIN docs d ON d.id = fts.rowid "
                f"WHERE {' AND '.join(['fts MATCH ?', *clauses])} ORDER BY bm25(fts, 2.0, 1.0) LIMIT {PER_PAGE}",
                [match, *params]).fetchall()
        else:  # nothing FTS5 can match: the scan's first rows, unranked
            rows = self.db.execute(f"SELECT d.id, substr(d.body, 1, 80) FROM docs d WHERE "
                                   f"{' AND '.join(clauses) or '1'} LIMIT {PER_PAGE}", params).fetchall()
        where, where_params = _where(item)
        total = self.db.execute(f"SELECT count(*) FROM docs d WHERE {where}", where_params).fetchone()[0]
        for column in FACET_COLUMNS.values():
            self.db.execute(f"SELECT d.{column}, count(*) FROM docs d WHERE {where} GROUP BY d.{column}",
                            where_params).fetchall()
        for key in item.get("filters") or {}:  # counts that ignore their own selection, as govsearch's facets
            own, own_params = _where(item, skip=key)
            column = FACET_COLUMNS[key]
            self.db.execute(f"SELECT d.{column}, count(*) FROM docs d WHERE {own} GROUP BY d.{column}",
                            own_params).fetchall()
        return total, len(rows), scanned


def sqlite_queries(index_dir: Path, mix: list[dict[str, Any]]) -> dict[str, Any]:
    searcher = _Searcher(index_dir)
    per_query = timed_pages("sqlite", mix, lambda item: dict(zip(("total", "snippets", "scanned"),
                                                                 searcher.page(item), strict=True)))
    scans = sum(r["scanned"] for r in per_query)
    return {**page_and_exact(per_query), "by_kind": {"results_page": by_kind(per_query)},
            "notes": ["sqlite: FTS5 trigram, top 10 by bm25() (title weight 2), snippet() highlights, "
                      "facets by GROUP BY on year/level/province; metadata from the manifest",
                      f"{scans} of {len(per_query)} queries hold a word of 1-2 characters: matched by LIKE, "
                      "a scan of every row (trigrams cannot match it)",
                      "exact lookups search the phrase as typed (punctuation inside is not ignored)"],
            "per_query": per_query}
