"""Every input accounted for: a file over the size cap, a symbolic link that
loops or leads nowhere, a file too short to be a report, a WARC record that
is no web page, a file with a few damaged bytes - each is in the ingest
summary with its reason.  And sources are shown relative to what was
ingested, never as a path of the machine that indexed them."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter
from whoosh import index as whoosh_index

from govsearch.config import PROJECT_ROOT, SEEDS_DIR
from govsearch.index.build import ingest, reindex, write_reports
from govsearch.index.report import document_id, report_id
from govsearch.index.schema import INDEX_NAME
from tests.conftest import seed_path, seed_source
from tests.crawl_site import report_page, seed_lines
from tests.test_cli import run


def outcomes(summary) -> dict[str, tuple[str, str]]:
    """File (or URL) name → (status, reason)."""
    return {Path(o.path).name: (o.status, o.reason) for o in summary.outcomes}


def stored(index_dir: Path) -> list[dict]:
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    with ix.searcher() as searcher:
        return list(searcher.all_stored_fields())


def seed_copy(folder: Path, name: str, prefix: str = "002") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(seed_path(prefix), folder / name))


# ------------------------------------------------------------------ size cap
def test_a_file_over_the_size_cap_fails_unread_with_its_size_and_the_cap(tmp_path):
    from govsearch.index.crawl.sites import CrawlerSettings
    from govsearch.index.limits import MAX_INPUT_MB

    corpus = tmp_path / "pages"
    seed_copy(corpus, "good.txt")
    big = corpus / "big.html"
    with open(big, "wb") as f:  # 33 MB, sparse: nothing is written, and reading it whole would take 33 MB
        f.truncate(33 * 1024 * 1024)
    summary = ingest([corpus], tmp_path / "ix")
    found = outcomes(summary)
    assert found["good.txt"][0] == "added"
    status, reason = found["big.html"]
    assert status == "failed" and "too large: 33 MB" in reason and "over the 32 MB cap" in reason
    assert MAX_INPUT_MB == CrawlerSettings().max_size_mb == 32  # one default for the crawler and ingest

    # The cap is a keyword of ingest and an option of the command.
    small = ingest([corpus / "good.txt"], tmp_path / "ix2", max_size_mb=0.005)
    assert small.counts()["failed"] == 1 and "over the 0.005 MB cap" in small.outcomes[0].reason
    proc = run("ingest", "-q", str(corpus / "good.txt"), "--max-size-mb", "0.005", index=tmp_path / "ix3")
    assert proc.returncode == 1 and "too large" in proc.stdout and "over the 0.005 MB cap" in proc.stdout
    for bad in ("0", "-1", "nan"):
        proc = run("ingest", "-q", str(corpus), "--max-size-mb", bad, index=tmp_path / "ix3")
        assert proc.returncode == 2 and "--max-size-mb" in proc.stderr and "Traceback" not in proc.stderr
    assert run("ingest", "-q", str(corpus / "good.txt"), "--max-size-mb", "1", index=tmp_path / "ix3").returncode == 0


# -------------------------------------------------------------- symlinks
def test_symbolic_link_loops_and_broken_links_are_in_the_summary(tmp_path):
    root = tmp_path / "reports"
    seed_copy(root / "2022", "a.txt", "002")
    seed_copy(tmp_path / "elsewhere", "c.txt", "003")
    (root / "2022" / "up").symlink_to("..")  # a loop: reports/2022/up/2022/up/…
    seed_copy(tmp_path / "x", "x.txt", "000")
    seed_copy(tmp_path / "y", "y.txt", "001")
    (tmp_path / "x" / "to-y").symlink_to(tmp_path / "y")  # a loop through two links
    (tmp_path / "y" / "to-x").symlink_to(tmp_path / "x")
    (root / "elsewhere").symlink_to(tmp_path / "elsewhere")  # a linked folder is read
    (root / "same.txt").symlink_to(root / "2022" / "a.txt")  # a second name for a file: read once
    (root / "gone.html").symlink_to(tmp_path / "missing.html")
    (root / "self.txt").symlink_to("self.txt")
    (root / "picture.jpg").symlink_to("missing.jpg")  # not a report either way: ignored, like any .jpg

    summary = ingest([root, tmp_path / "x"], tmp_path / "ix")
    found = outcomes(summary)
    assert found["up"][0] == "skipped" and "symbolic link loop" in found["up"][1]
    assert found["to-x"][0] == "skipped" and "symbolic link loop" in found["to-x"][1]
    assert found["gone.html"][0] == "failed" and "broken symbolic link" in found["gone.html"][1]
    assert found["self.txt"][0] == "failed" and "broken symbolic link" in found["self.txt"][1]
    assert "picture.jpg" not in found
    added = sorted(Path(o.path).name for o in summary.by_status("added"))
    assert added == ["a.txt", "c.txt", "x.txt", "y.txt"]
    assert len(stored(tmp_path / "ix")) == 4
    broken = run("ingest", "-q", str(root / "gone.html"), index=tmp_path / "ix")
    assert broken.returncode == 1 and "broken symbolic link" in broken.stdout


# ------------------------------------------------------------- tiny files
def test_tiny_files_are_skipped_as_too_short(tmp_path):
    corpus = tmp_path / "pages"
    seed_copy(corpus, "good.txt")
    (corpus / "one-byte.txt").write_bytes(b"a")
    (corpus / "empty.html").write_bytes(b"")
    stub = "某县2022年度法治政府建设情况报告\n现将报告印发给你们，请认真贯彻执行。"
    (corpus / "stub.txt").write_text(stub, encoding="utf-8")
    summary = ingest([corpus], tmp_path / "ix")
    found = outcomes(summary)
    assert found["good.txt"][0] == "added"
    assert found["one-byte.txt"][0] == "skipped" and "too short: 1 characters" in found["one-byte.txt"][1]
    assert found["empty.html"][0] == "skipped" and "too short: 0 characters" in found["empty.html"][1]
    assert found["stub.txt"][0] == "skipped" and "too short: 18 characters" in found["stub.txt"][1]
    assert "a report has at least 50" in found["stub.txt"][1]  # index.clean.MIN_BODY_CHARS
    assert len(stored(tmp_path / "ix")) == 1
    proc = run("ingest", "-q", str(corpus), index=tmp_path / "ix2")
    assert proc.returncode == 0 and "skipped  " in proc.stdout and "too short: 1 characters" in proc.stdout


# ------------------------------------------------------ undecodable bytes
def with_stray_bytes(text: str, every: int) -> bytes:
    """UTF-8 of ``text`` with a 0xFF byte after every ``every``-th character."""
    chars = [c.encode("utf-8") + (b"\xff" if i % every == every - 1 else b"") for i, c in enumerate(text)]
    return b"".join(chars)


def test_a_few_undecodable_bytes_are_replaced_with_a_warning_and_a_mostly_undecodable_file_fails(tmp_path):
    text = seed_path("002").read_text(encoding="utf-8")
    corpus = tmp_path / "pages"
    corpus.mkdir()
    damaged = b"\xff".join(part.encode() for part in (text[:500], text[500:1500], text[1500:3000], text[3000:]))
    (corpus / "damaged.txt").write_bytes(damaged)
    (corpus / "garbled.txt").write_bytes(with_stray_bytes(text, 20))  # 1 byte in about 55 (1.8%)
    summary = ingest([corpus], tmp_path / "ix")
    by_name = {Path(o.path).name: o for o in summary.outcomes}
    assert by_name["damaged.txt"].status == "added"
    assert by_name["damaged.txt"].warnings == ["3 个无法解码的字节已替换为 U+FFFD (3 undecodable byte(s) replaced "
                                               "with U+FFFD)"]
    (record,) = stored(tmp_path / "ix")
    assert record["text"].count("\ufffd") == 3
    assert by_name["garbled.txt"].status == "failed"
    assert "of" in by_name["garbled.txt"].reason and "are undecodable; at most 1% are replaced" in \
        by_name["garbled.txt"].reason
    proc = run("ingest", "-q", str(corpus / "damaged.txt"), index=tmp_path / "ix2")
    assert proc.returncode == 0
    assert "warnings) 1" in proc.stdout and "3 undecodable byte(s) replaced" in proc.stdout


# -------------------------------------------------------------------- WARC
def _record(writer: WARCWriter, url: str, body: bytes, *, status: str | None = "200 OK", rec_type="response",
            content_type="text/html; charset=utf-8") -> None:
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1") if status else None
    writer.write_record(writer.create_warc_record(url, rec_type, payload=io.BytesIO(body), http_headers=http,
                                                  warc_content_type="" if http else content_type))


def test_every_warc_record_that_could_hold_a_page_is_indexed_or_in_the_summary(tmp_path):
    lines = seed_lines(seed_path("002"))
    page = report_page(lines[0], lines[1:]).encode()
    warc = tmp_path / "foreign.warc.gz"
    with open(warc, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        _record(writer, "https://www.example.gov.cn/art/2023/1.html", page)
        _record(writer, "dns:www.example.gov.cn", b"20230301 www.example.gov.cn. 300 IN A 192.0.2.1",
                status=None, content_type="text/dns")
        _record(writer, "ftp://ftp.example.gov.cn/reports/2.html", page, status=None)
        _record(writer, "file:///srv/site/3.html", page, status=None, rec_type="resource")
        _record(writer, "https://www.example.gov.cn/art/2023/4.html", page[:2000], status="206 Partial Content")
        writer.write_record(writer.create_revisit_record("https://www.example.gov.cn/art/2023/5.html", "sha1:AAAA",
                                                         "https://www.example.gov.cn/art/2023/1.html",
                                                         "2023-03-01T00:00:00Z"))
        # A crawl's bookkeeping, passed over in silence: an error answer and a redirect.
        _record(writer, "https://www.example.gov.cn/art/2023/6.html", b"<p>Not Found</p>", status="404 Not Found")
        _record(writer, "https://www.example.gov.cn/old.html", b"", status="301 Moved Permanently")
    proc = run("ingest", "--warc", "-q", str(warc), index=tmp_path / "ix")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines_out = proc.stdout.splitlines()
    assert "added 1, updated 0, skipped 5, failed 0" in lines_out[0]

    def line(url: str) -> str:
        (match,) = [x for x in lines_out if f" {url}:" in x]
        return match

    assert line("dns:www.example.gov.cn").lstrip().startswith("skipped") and "not an http(s) URL: dns:" in \
        line("dns:www.example.gov.cn")
    assert "not an http(s) URL: ftp:" in line("ftp://ftp.example.gov.cn/reports/2.html")
    assert "not an http(s) URL: file:" in line("file:///srv/site/3.html")
    assert "HTTP 206" in line("https://www.example.gov.cn/art/2023/4.html")
    assert "a WARC revisit record, not a response" in line("https://www.example.gov.cn/art/2023/5.html")
    assert "6.html" not in proc.stdout and "old.html" not in proc.stdout
    assert run("ingest", "--warc", str(warc), "--max-size-mb", "1", index=tmp_path / "ix").returncode == 2


# ----------------------------------------------------------------- sources
def test_sources_are_relative_to_what_was_ingested_and_ids_do_not_change(tmp_path):
    one, two = tmp_path / "one" / "reports", tmp_path / "two" / "reports"
    a = seed_copy(one / "2022", "a.txt", "002")
    seed_copy(two / "2022", "a.txt", "003")  # the same layout in another folder
    single = seed_copy(tmp_path / "loose", "single.txt", "000")
    index_dir = tmp_path / "ix"
    summary = ingest([SEEDS_DIR, one, two, single], index_dir, base=PROJECT_ROOT)
    assert summary.counts()["added"] == 8, summary.outcomes
    records = {r["id"]: r for r in stored(index_dir)}
    sources = sorted(r["source"] for r in records.values())
    assert "reports/2022/a.txt" in sources and sources.count("reports/2022/a.txt") == 2 and "single.txt" in sources
    assert not [s for s in sources if s.startswith("/") or str(tmp_path) in s]
    assert seed_source("002") in sources  # files inside the project keep their project-relative source
    # Ids come from what a file is (its source and bytes), not from where its folder sits:
    # the two copies of the same layout differ in their bytes, so in their ids.
    first_id = document_id(a.read_bytes(), "reports/2022/a.txt")
    assert first_id in records and records[first_id]["source"] == "reports/2022/a.txt"
    assert document_id(seed_path("002").read_bytes(), seed_source("002")) in records
    # A re-ingest replaces instead of duplicating, however the file is named on the command line;
    # the old id is kept as an alias.
    a.write_text(a.read_text(encoding="utf-8") + "\n新增一段：数字政府建设持续推进。", encoding="utf-8")
    again = ingest([a], index_dir, base=PROJECT_ROOT)
    assert again.counts()["updated"] == 1 and len(stored(index_dir)) == 8
    after = {r["id"]: r for r in stored(index_dir)}
    new_id = document_id(a.read_bytes(), "a.txt")
    assert set(after) == set(records) - {first_id} | {new_id}
    assert after[new_id]["source"] == "a.txt" and after[new_id]["aliases"].split() == [first_id]
    # The CLI (what a user runs) stores no path of the machine either.
    cli_index = tmp_path / "cli-ix"
    run("ingest", "-q", str(one), index=cli_index, check=True)
    hits = json.loads(run("search", "法治政府", "--json", index=cli_index, check=True).stdout)["hits"]
    assert [h["source"] for h in hits] == ["reports/2022/a.txt"]


def test_reindex_rewrites_absolute_sources_and_keeps_ids(tmp_path):
    """Records stored before sources were relative carry an absolute path."""
    from govsearch.index.clean import clean_file

    index_dir = tmp_path / "ix"
    old = clean_file(seed_path("002"), "/srv/govsearch/reports/2022/周村区.txt")
    old.id = report_id(old.source)
    crawled = clean_file(seed_path("003"), "https://www.example.gov.cn/art/2023/1.html")
    crawled.url = crawled.source
    write_reports(index_dir, [old, crawled])
    assert reindex(index_dir) == 2
    by_id = {r["id"]: r for r in stored(index_dir)}
    assert by_id[old.id]["source"] == "周村区.txt"
    assert by_id[crawled.id]["source"] == "https://www.example.gov.cn/art/2023/1.html"
    assert [r["id"] for r in stored(index_dir)].count(old.id) == 1
