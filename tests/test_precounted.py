"""Words counted in an ingest worker index exactly as the analyzer would."""

from __future__ import annotations

from govsearch.index.build import ingest, write_reports
from govsearch.index.clean import clean_file
from govsearch.index.schema import open_index
from tests.conftest import PROJECT_ROOT, SEEDS_DIR, seed_path, seed_source


def postings(index_dir, field):
    with open_index(index_dir).searcher() as searcher:
        reader = searcher.reader()
        by_doc = {}
        for docnum, stored in searcher.iter_docs():
            vectors = {}
            by_doc[stored["id"]] = (vectors, reader.doc_field_length(docnum, field))
        for term in reader.lexicon(field):
            m = reader.postings(field, term)
            while m.is_active():
                by_doc[searcher.stored_fields(m.id())["id"]][0][term] = (m.weight(), m.value())
                m.next()
        return by_doc


def test_worker_counts_equal_the_analyzer(tmp_path):
    ingest([SEEDS_DIR], tmp_path / "workers", base=PROJECT_ROOT)  # counts from the ingest workers' step
    reports = [clean_file(seed_path(s), seed_source(s)) for s in ("000", "001", "002", "003", "004")]
    write_reports(tmp_path / "analyzer", reports)  # the field's analyzer cuts the text
    for field in ("title", "text", "publisher"):
        ours, theirs = postings(tmp_path / "workers", field), postings(tmp_path / "analyzer", field)
        assert ours.keys() == theirs.keys(), field
        for report_id in ours:
            assert ours[report_id] == theirs[report_id], (field, report_id)
        assert sum(len(v[0]) for v in ours.values()) > 10  # the comparison is not vacuous
