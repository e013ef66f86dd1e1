"""One store interface, four backends (issue 4 point 3): the same tests on each give the same answers.

Backends: Oxigraph in memory (the default), Oxigraph on disk, rdflib's memory store, and a remote
store, a real ``oxigraph serve`` on a free loopback port filled by ``RemoteStore.load``. Every answer
is compared with pyoxigraph over the built graph in this process.
"""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef

from dsih_kg.config import load_settings
from dsih_kg.stores import QuerySyntaxError, QueryTimeout, open_store
from rdf_helpers import assert_isomorphic
from timing import baseline, bound

BASE = "https://w3id.org/dsih-kg"
P = "PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
QUERIES = {
    "lessons": P + "SELECT ?l WHERE { ?l a dsih:Lesson } ORDER BY ?l",
    "per-class": "SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c ORDER BY ?c",
    "labels-nl": P + "SELECT ?x ?label WHERE { ?x skos:prefLabel "
    "?label FILTER(lang(?label) = 'nl') } ORDER BY ?x ?label LIMIT 50",
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "optional": P
    + "SELECT ?l ?label WHERE { ?l a dsih:Lesson OPTIONAL { ?l skos:prefLabel ?label FILTER(lang(?label)"
    " = 'en') } } ORDER BY ?l ?label",
}
STORES = ["oxigraph-memory", "oxigraph-disk", "memory", "remote"]


@pytest.fixture(scope="module")
def oracle(built_nquads):
    store = pyoxigraph.Store()
    store.bulk_load(path=str(built_nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def _oracle_rows(oracle, query: str) -> list[tuple[str, ...]]:
    solutions = oracle.query(query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [tuple("" if s[n] is None else s[n].value for n in names) for s in solutions]


def _rows(result) -> list[tuple[str, ...]]:
    return [tuple(str(row.get(v, "")) for v in result.variables) for row in result.rows]


@pytest.fixture(scope="module", params=STORES)
def store(request, built_nquads, tmp_path_factory, oxigraph_factory):
    kind = request.param
    overrides = {"query_timeout": 2.0, "workers": 2}
    if kind == "oxigraph-disk":
        overrides.update(store="oxigraph", store_path=str(tmp_path_factory.mktemp("disk") / "store"))
    elif kind == "memory":
        # rdflib's engine is 20-50x slower and a fresh worker reparses the graph: give ordinary
        # queries room on a loaded machine (the timeout test passes its own 1 s limit)
        overrides.update(store="memory", query_timeout=15.0)
    elif kind == "remote":
        url = oxigraph_factory()
        overrides.update(store="remote", store_url=f"{url}/query", store_update_url=f"{url}/update")
    settings = load_settings(environ={}, **overrides)
    opened = open_store(settings)
    if kind == "remote":
        opened.load(built_nquads, replace=True)
    yield opened
    opened.close()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_same_answers_as_oxigraph(store, oracle, name):
    expected = _oracle_rows(oracle, QUERIES[name])
    assert expected, name
    assert _rows(store.query(QUERIES[name])) == expected


def test_ask_false(store):
    if store.name.startswith("rdflib"):
        pytest.xfail("rdflib 7.6 evaluates ASK { FILTER(false) } as true (a reason Oxigraph is the default)")
    assert store.query("ASK { FILTER(false) }").boolean is False


def test_ask_and_construct(store, oracle):
    assert store.query("ASK { ?s ?p ?o }").boolean is True
    assert store.query("ASK { ?s <http://example.org/nothing> ?o }").boolean is False
    lessons = [row[0] for row in _oracle_rows(oracle, QUERIES["lessons"])]
    result = store.query(
        "PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/> "
        "CONSTRUCT { ?l a dsih:Lesson } WHERE { ?l a dsih:Lesson }"
    )
    assert result.kind == "graph"
    assert sorted(str(s) for s in result.graph.subjects()) == lessons


def test_terms_keep_language_and_datatype(store):
    result = store.query(
        'SELECT ?a ?b ?c WHERE { BIND("x"@nl AS ?a) BIND(3 AS ?b) BIND(<http://e.org/i> AS ?c) }'
    )
    row = result.rows[0]
    assert row["a"] == Literal("x", lang="nl")
    assert row["b"] == Literal(3)
    assert row["c"] == URIRef("http://e.org/i")


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_execute_serialises_results(store, oracle, fmt):
    answer = store.execute(QUERIES["lessons"], result_format=fmt)
    assert answer.kind == "select"
    lessons = [row[0] for row in _oracle_rows(oracle, QUERIES["lessons"])]
    text = answer.body.decode("utf-8")
    assert all(lesson in text for lesson in lessons)


@pytest.mark.parametrize(
    "fmt, parser", [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")]
)
def test_execute_serialises_graphs(store, fmt, parser):
    lesson_query = P + "CONSTRUCT { ?l a dsih:Lesson } WHERE { ?l a dsih:Lesson }"
    answer = store.execute(lesson_query, result_format=fmt)
    expected = store.query(lesson_query).graph
    assert_isomorphic(Graph().parse(data=answer.body, format=parser), expected)
    assert len(expected) > 10


def test_dataset_parameters(store, oracle):
    ontology = f"{BASE}/id/graph/ontology"
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    expected = len(list(oracle.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(ontology))))
    assert int(store.query(query, default_graph_uris=[ontology]).rows[0]["n"]) == expected


def test_syntax_error(store):
    with pytest.raises(QuerySyntaxError):
        store.query("SELECT * WHERE { ?s ")


def test_graph_names(store, oracle):
    assert store.graph_names() >= {g.value for g in oracle.named_graphs()}


def test_update_load_and_replace_are_idempotent(store, tmp_path: Path):
    graph = "http://example.org/test-graph"
    data = tmp_path / "one.nt"
    data.write_text(
        '<http://example.org/s> <http://example.org/p> "1" .\n'
        '<http://example.org/s> <http://example.org/p> "2" .\n'
    )
    before = store.generation
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    store.replace_graph(graph, data)
    store.replace_graph(graph, data)
    assert int(store.query(count).rows[0]["n"]) == 2
    assert store.generation != before
    data.write_text('<http://example.org/s> <http://example.org/p> "3" .\n')
    store.replace_graph(graph, data)
    assert [
        str(r["o"]) for r in store.query(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
    ] == ["3"]
    store.update(f"DROP GRAPH <{graph}>")
    assert int(store.query(count).rows[0]["n"]) == 0
    assert not any(g.startswith("urn:dsih-kg:staging:") for g in store.graph_names())


def test_replace_graphs_is_one_write_that_readers_see(store, tmp_path: Path):
    """Several graphs in one write; the readers see them even when the files are moved away after."""
    one, two = "http://example.org/graph-one", "http://example.org/graph-two"
    count = "SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?g {{ <{}> <{}> }} }} GROUP BY ?g"
    files = []
    for name, lines in (("one.nt", 3), ("two.nt", 2)):
        path = tmp_path / name
        path.write_text("".join(f'<http://example.org/s> <http://example.org/p> "{n}" .\n' for n in range(lines)))
        files.append(path)
    for _ in range(2):  # twice: the second replaces, and changes nothing
        store.replace_graphs([(one, files[0]), (two, files[1])])
    three = "http://example.org/graph-three"
    store.update(f"INSERT DATA {{ GRAPH <{three}> {{ <http://example.org/s> <http://example.org/p> 1 }} }}")
    files[1].write_text('<http://example.org/s> <http://example.org/p> "x" .\n')
    store.replace_graphs([(two, files[1])])
    files[1].rename(tmp_path / "moved.nt")  # as the importer does once the write returns
    rows = store.query(count.format(one, two)).rows
    assert {str(r["g"]): int(r["n"]) for r in rows} == {one: 3, two: 1}
    store.update(f"DROP GRAPH <{three}> ; DROP GRAPH <{one}> ; DROP GRAPH <{two}>")
    assert not store.query(count.format(one, two)).rows
    assert not any(g.startswith("urn:dsih-kg:staging:") for g in store.graph_names())


def test_timeout_stops_the_query(store, request):
    if request.node.callspec.params["store"] == "remote":
        pytest.skip("a remote store stops its own work with its own limit; here only the HTTP wait ends")
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    trivial = baseline(lambda: store.query("ASK { ?s ?p ?o }"))
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        store.query(runaway, timeout=1.0)
    # the limit itself is absolute (1 s); stopping the worker and answering may take longer on a loaded machine
    assert time.monotonic() - started < 1.0 + bound(trivial, factor=10)
    assert store.query("ASK { ?s ?p ?o }").boolean is True  # a fresh worker answers
