"""``dsih-kg query`` and ``dsih-kg load`` (issue 4 points 3 and 5), in-process with click's CliRunner.

A query comes as text, a .rq file or stdin and prints a table for people or a SPARQL/RDF format for
machines; a bad query exits 2 with the parser's message. ``load`` fills an on-disk store, and loading
twice leaves the same data.
"""

from __future__ import annotations

import json

import pyoxigraph
import pytest
from click.testing import CliRunner

from dsih_kg.cli import main

LESSONS = "PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/> SELECT ?l WHERE { ?l a dsih:Lesson } ORDER BY ?l"


@pytest.fixture(scope="module")
def lessons(built_nquads) -> list[str]:
    store = pyoxigraph.Store()
    store.bulk_load(path=str(built_nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    return [s["l"].value for s in store.query(LESSONS, use_default_graph_as_union=True)]


@pytest.fixture
def runner(monkeypatch) -> CliRunner:
    for key in [k for k in __import__("os").environ if k.startswith("DSIH_")]:
        monkeypatch.delenv(key)
    return CliRunner()


def test_table_by_default(runner, lessons):
    result = runner.invoke(main, ["query", LESSONS])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].strip() == "l" and lines[-1] == f"({len(lessons)} rows)"
    assert "lesson:" in lines[2]  # IRIs shortened with the graph's prefixes


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "xml"])
def test_machine_formats(runner, lessons, fmt):
    result = runner.invoke(main, ["query", "--format", fmt, LESSONS])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        assert [b["l"]["value"] for b in json.loads(result.output)["results"]["bindings"]] == lessons
    else:
        assert all(lesson in result.output for lesson in lessons)


def test_construct_as_turtle_and_file_argument(runner, lessons, tmp_path):
    query = tmp_path / "lessons.rq"
    query.write_text(
        "PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/> "
        "CONSTRUCT { ?l a dsih:Lesson } WHERE { ?l a dsih:Lesson }",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["query", "-f", "ttl", str(query)])
    assert result.exit_code == 0, result.output
    from rdflib import Graph

    graph = Graph().parse(data=result.output, format="turtle")
    assert sorted(str(s) for s in graph.subjects()) == lessons
    table = runner.invoke(main, ["query", str(query)])
    assert table.output.splitlines()[0].split() == ["subject", "predicate", "object"]


def test_stdin_and_ask(runner):
    result = runner.invoke(main, ["query", "-"], input="ASK { ?s ?p ?o }")
    assert result.exit_code == 0 and result.output.strip() == "true"


def test_bad_query_exits_2_with_the_parsers_message(runner):
    result = runner.invoke(main, ["query", "SELECT * WHERE {"])
    assert result.exit_code == 2
    assert "does not parse" in result.output or "error at" in result.output


def test_wrong_format_for_the_form_exits_2(runner):
    result = runner.invoke(main, ["query", "-f", "csv", "CONSTRUCT WHERE { ?s ?p ?o }"])
    assert result.exit_code == 2 and "does not fit" in result.output


def test_missing_rq_file_exits_2(runner):
    result = runner.invoke(main, ["query", "nope/missing.rq"])
    assert result.exit_code == 2 and "not found" in result.output


def test_load_into_disk_store_is_idempotent(runner, tmp_path, built_nquads):
    store_path = tmp_path / "store"
    first = runner.invoke(main, ["load", "--store-path", str(store_path)])
    assert first.exit_code == 0, first.output
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    one = runner.invoke(main, ["query", "-f", "csv", "--store-path", str(store_path), count])
    second = runner.invoke(main, ["load", "--store-path", str(store_path)])
    assert second.exit_code == 0, second.output
    two = runner.invoke(main, ["query", "-f", "csv", "--store-path", str(store_path), count])
    expected = sum(1 for _ in pyoxigraph.parse(path=str(built_nquads), format=pyoxigraph.RdfFormat.N_QUADS))
    assert one.output.split()[1] == two.output.split()[1] == str(expected)


def test_load_into_memory_is_refused(runner):
    result = runner.invoke(main, ["load"])
    assert result.exit_code == 2 and "in memory" in result.output
