"""The benchmark's data generator (benchmarks/records.py) writes what the importer reads.

Contract: the same seed gives the same records; the CSV has the documented Living-in.eu layout (the header
of data/livingin/synthetic-sample.csv), unique ids and every record marked synthetic, and the importer
accepts it; the N-Quads fallback has the importer's shape (~10 triples a record, in one import graph); and
every query of the benchmark's mix parses and runs. The benchmark itself is not run here (``make bench``).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pyoxigraph
import pytest

ROOT = Path(__file__).parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # benchmarks/ sits beside the package, not inside it

from benchmarks.queries import MIX, Vocabulary  # noqa: E402
from benchmarks.records import generate, write_csv, write_nquads  # noqa: E402

SAMPLE = ROOT / "data" / "livingin" / "synthetic-sample.csv"
COUNT = 50


def test_same_seed_same_records():
    assert [r.row for r in generate(COUNT, seed=3)] == [r.row for r in generate(COUNT, seed=3)]
    assert [r.row for r in generate(COUNT, seed=3)] != [r.row for r in generate(COUNT, seed=4)]


def test_csv_has_the_documented_layout(tmp_path):
    path = write_csv(tmp_path / "records.csv", COUNT)
    with path.open(encoding="utf-8") as handle, SAMPLE.open(encoding="utf-8") as sample:
        rows = list(csv.DictReader(handle))
        assert list(rows[0]) == next(csv.reader(sample))
    assert len(rows) == COUNT
    assert len({row["id"] for row in rows}) == COUNT
    assert all(row["synthetic"] == "true" and row["title"] and row["type"] for row in rows)


def test_the_importer_accepts_the_csv(tmp_path):
    from dsih_kg.config import load_settings
    from dsih_kg.importers.run import discard, plan_import

    path = write_csv(tmp_path / "records.csv", COUNT)
    plan = plan_import(path, load_settings({}), workdir=tmp_path / "imports")
    try:
        assert plan.records == COUNT
        assert plan.synthetic
        assert 8 * COUNT < plan.triples < 16 * COUNT
    finally:
        discard(plan)


def test_nquads_have_the_importers_shape(tmp_path):
    path = write_nquads(tmp_path / "records.nq", COUNT, name="bench")
    quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads}
    assert graphs == {
        "https://w3id.org/dsih-kg/id/graph/import-bench",
        "https://w3id.org/dsih-kg/id/graph/linkset-bench",
    }
    records = {
        q.subject for q in quads if q.object.value == "https://w3id.org/dsih-kg/def/dsih/ImportedRecord"
    }
    assert len(records) == COUNT
    assert 8 * COUNT < len(quads) < 16 * COUNT


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    path = write_nquads(tmp_path_factory.mktemp("bench") / "records.nq", COUNT)
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


@pytest.mark.parametrize("query", MIX, ids=lambda q: q.key)
def test_every_query_of_the_mix_runs(query, small_store):
    vocab = Vocabulary(
        "https://w3id.org/dsih-kg", ["micro-a", "meso-b"], ["macro", "meso", "micro"], ["missie", "middelen"]
    )
    texts = {query.text(vocab, n) for n in (0, 1, 2, 10_000, 10**6)}
    assert len(texts) == 5, "variants must differ, or a cache could answer them"
    for text in texts:
        small_store.query(text, use_default_graph_as_union=True)


def test_the_lessons_records_are_about_exist():
    from benchmarks.records import LESSON_TOPICS

    slugs = set()
    for path in (ROOT / "data" / "lessons").glob("*.yaml"):
        slugs |= {
            line.split(":", 1)[1].strip()
            for line in path.read_text().splitlines()
            if line.startswith("- slug:")
        }
    assert {lesson for _nl, _en, lesson in LESSON_TOPICS if lesson} <= slugs
