"""Real SPARQL clients need no workaround (issue 4 point 4): SPARQLWrapper in every format and rdflib's
SPARQLStore, for SELECT, ASK, CONSTRUCT and DESCRIBE, against the live service on 127.0.0.1."""

from __future__ import annotations

import csv
import io

import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.Wrapper import JSONLD, POST

LESSONS = "PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/> SELECT ?l WHERE { ?l a dsih:Lesson } ORDER BY ?l"
CONSTRUCT = (
    "PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/> "
    "CONSTRUCT { ?l a dsih:Lesson } WHERE { ?l a dsih:Lesson }"
)


@pytest.fixture(scope="module")
def lessons(built_nquads) -> list[str]:
    store = pyoxigraph.Store()
    store.bulk_load(path=str(built_nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    return [s["l"].value for s in store.query(LESSONS, use_default_graph_as_union=True)]


def client(live_server, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(f"{live_server}/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_select_json(live_server, lessons, method):
    result = client(live_server, LESSONS, JSON, method).queryAndConvert()
    assert [b["l"]["value"] for b in result["results"]["bindings"]] == lessons


def test_sparqlwrapper_select_xml(live_server, lessons):
    document = client(live_server, LESSONS, XML).queryAndConvert()
    uris = [node.firstChild.data for node in document.getElementsByTagName("uri")]
    assert uris == lessons


@pytest.mark.parametrize("fmt, delimiter", [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_select_csv_tsv(live_server, lessons, fmt, delimiter):
    text = client(live_server, LESSONS, fmt).queryAndConvert().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    values = [row[0].strip("<>") for row in rows[1:] if row]
    assert values == lessons


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(live_server, fmt):
    yes = client(live_server, "ASK { ?s ?p ?o }", fmt).query().convert()
    no = client(live_server, "ASK { FILTER(false) }", fmt).query().convert()
    if fmt == JSON:
        assert yes["boolean"] is True and no["boolean"] is False
    else:
        assert yes.getElementsByTagName("boolean")[0].firstChild.data == "true"
        assert no.getElementsByTagName("boolean")[0].firstChild.data == "false"


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD, XML])
@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
def test_sparqlwrapper_graphs(live_server, lessons, fmt, form):
    query = CONSTRUCT if form == "CONSTRUCT" else f"DESCRIBE <{lessons[0]}>"
    graph = client(live_server, query, fmt).queryAndConvert()
    if not isinstance(graph, Graph):  # SPARQLWrapper returns bytes for Turtle/N3/JSON-LD
        parser = {TURTLE: "turtle", N3: "turtle", JSONLD: "json-ld"}[fmt]
        graph = Graph().parse(data=graph, format=parser)
    subjects = {str(s) for s in graph.subjects()}
    if form == "CONSTRUCT":
        assert sorted(subjects) == lessons
    else:
        assert lessons[0] in subjects and len(graph) > 3


def test_rdflib_sparqlstore(live_server, lessons):
    graph = Graph(SPARQLStore(f"{live_server}/sparql"))
    rows = list(graph.query(LESSONS))
    assert [str(r.l) for r in rows] == lessons
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    assert graph.query("ASK { FILTER(false) }").askAnswer is False
    constructed = graph.query(CONSTRUCT).graph
    assert sorted(str(s) for s in constructed.subjects()) == lessons
    described = graph.query(f"DESCRIBE <{lessons[0]}>").graph
    assert (URIRef(lessons[0]), None, None) in described
    # triple patterns through the store API become SELECT queries on the endpoint
    lesson_type = URIRef("https://w3id.org/dsih-kg/def/dsih/Lesson")
    from rdflib.namespace import RDF

    assert sorted(str(s) for s in graph.subjects(RDF.type, lesson_type)) == lessons


def test_rdflib_sparqlstore_post(live_server, lessons):
    graph = Graph(SPARQLStore(f"{live_server}/sparql", method="POST"))
    assert [str(r.l) for r in graph.query(LESSONS)] == lessons
