"""What the in-process SPARQL tests share: the queries they ask, the oracle that says what to expect, and
a WSGI call that returns everything a client would see.

The in-process tests drive the app that ``dsih-kg serve`` runs (``explorer_app``, session scope: its
query workers start once) through its WSGI callable, the fast path included, without a server process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph
import pytest
from rdflib import Graph
from werkzeug.test import Client, TestResponse, run_wsgi_app

BASE = "https://w3id.org/dsih-kg"
ONTOLOGY_GRAPH = f"{BASE}/id/graph/ontology"
LESSONS = """PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/>
SELECT ?lesson WHERE { ?lesson a dsih:Lesson } ORDER BY ?lesson"""
CONSTRUCT = """PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/>
CONSTRUCT { ?l a dsih:Lesson } WHERE { ?l a dsih:Lesson }"""
SRJ = {"Accept": "application/sparql-results+json"}
#: headers that differ between two answers of the same request (time of day, time taken)
VARYING = {"date", "server-timing"}


@pytest.fixture(scope="session")
def oracle(built_nquads) -> pyoxigraph.Store:
    """pyoxigraph over the same build, in this process: the answers to expect."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(built_nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def expected_lessons(oracle: pyoxigraph.Store) -> list[str]:
    return [s["lesson"].value for s in oracle.query(LESSONS, use_default_graph_as_union=True)]


def oracle_graph(oracle: pyoxigraph.Store, query: str) -> Graph:
    """The oracle's answer to a CONSTRUCT or DESCRIBE query, as an rdflib graph."""
    answer = oracle.query(query, use_default_graph_as_union=True)
    return Graph().parse(data=answer.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt")


def bindings(response: TestResponse, name: str) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return [row[name]["value"] for row in response.get_json(force=True)["results"]["bindings"]]


def wsgi(app: Callable[[dict, Callable], Iterable[bytes]], *args, **kwargs) -> TestResponse:
    """Call any WSGI callable (the fast path, or the Flask app behind it) as werkzeug's test client does:
    ``wsgi(app, "/sparql", query_string=..., headers=...)``; GET unless ``method=`` says otherwise.
    A single environ dict is passed as it is (werkzeug's client would rebuild it)."""
    if len(args) == 1 and isinstance(args[0], dict) and not kwargs:
        body, status, headers = run_wsgi_app(app, args[0], buffered=True)
        return TestResponse(body, status, headers, request=None)
    return Client(app).open(*args, **kwargs)


def visible_headers(response: TestResponse) -> dict[str, str]:
    """The headers a client compares, lower-cased, without those that differ each time."""
    return {key.lower(): value for key, value in response.headers.items() if key.lower() not in VARYING}
