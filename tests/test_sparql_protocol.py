"""SPARQL 1.1 Protocol at /sparql (issue 4 point 1), against the real service on 127.0.0.1.

Queries by GET, POST form and POST direct give the same answer as Oxigraph on the built graph; the
default graph is the union of the named graphs unless default-graph-uri narrows it; results come in
every format by Accept or ``format=``; bad requests get a 4xx in the one error shape; GET without a
query is the Service Description; CORS is open for GET and POST; answers carry an ETag and revalidate
with 304.
"""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph
import pytest
import requests
from rdflib import Graph

from http_helpers import assert_error

LESSONS = """PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/>
SELECT ?lesson WHERE { ?lesson a dsih:Lesson } ORDER BY ?lesson"""
BASE = "https://w3id.org/dsih-kg"


@pytest.fixture(scope="module")
def oracle(built_nquads):
    """pyoxigraph over the same build, in this process: the answers to expect."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(built_nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def expected_lessons(oracle) -> list[str]:
    return [s["lesson"].value for s in oracle.query(LESSONS, use_default_graph_as_union=True)]


def bindings(response: requests.Response, name: str) -> list[str]:
    assert response.status_code == 200, response.text[:500]
    return [row[name]["value"] for row in response.json()["results"]["bindings"]]


def test_get_form_and_direct_post_give_the_oracles_answer(live_server, oracle):
    expected = expected_lessons(oracle)
    assert len(expected) > 10
    url = f"{live_server}/sparql"
    accept = {"Accept": "application/sparql-results+json"}
    by_get = requests.get(url, params={"query": LESSONS}, headers=accept)
    by_form = requests.post(url, data={"query": LESSONS}, headers=accept)
    by_body = requests.post(url, data=LESSONS.encode(), headers={**accept, "Content-Type": "application/sparql-query"})
    for response in (by_get, by_form, by_body):
        assert response.headers["Content-Type"] == "application/sparql-results+json"
        assert bindings(response, "lesson") == expected


def test_default_graph_is_the_union_and_default_graph_uri_narrows_it(live_server, oracle):
    graphs = [g.value for g in oracle.named_graphs()]
    ontology = f"{BASE}/id/graph/ontology"
    assert ontology in graphs
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    url = f"{live_server}/sparql"
    union = int(bindings(requests.get(url, params={"query": query}), "n")[0])
    only_ontology = int(bindings(requests.get(url, params={"query": query, "default-graph-uri": ontology}), "n")[0])
    expected = len(list(oracle.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(ontology))))
    assert only_ontology == expected
    assert 0 < only_ontology < union


def test_named_graph_uri_limits_graph_patterns(live_server, oracle):
    ontology = f"{BASE}/id/graph/ontology"
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    everything = bindings(requests.get(f"{live_server}/sparql", params={"query": query}), "g")
    assert len(everything) > 1
    narrowed = bindings(
        requests.get(f"{live_server}/sparql", params={"query": query, "named-graph-uri": ontology}), "g"
    )
    assert narrowed == [ontology]


@pytest.mark.parametrize(
    "accept, content_type",
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("application/json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+xml"),
    ],
)
def test_select_formats_by_accept(live_server, oracle, accept, content_type):
    response = requests.get(f"{live_server}/sparql", params={"query": LESSONS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    expected = expected_lessons(oracle)
    if content_type.startswith("text/csv"):  # lossy: plain values
        assert response.text.split("\r\n")[1:-1] == expected
        return
    parsed = pyoxigraph.parse_query_results(
        response.content, format=pyoxigraph.QueryResultsFormat.from_media_type(content_type.split(";")[0])
    )
    assert [s["lesson"].value for s in parsed] == expected


@pytest.mark.parametrize(
    "fmt, content_type",
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv; charset=utf-8"),
        ("tsv", "text/tab-separated-values; charset=utf-8"),
    ],
)
def test_select_formats_by_format_parameter(live_server, fmt, content_type):
    response = requests.get(
        f"{live_server}/sparql", params={"query": LESSONS, "format": fmt}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type


def test_ask_true_and_false(live_server):
    url = f"{live_server}/sparql"
    assert requests.get(url, params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
    assert requests.get(url, params={"query": "ASK { FILTER(false) }"}).json()["boolean"] is False
    xml = requests.get(
        url, params={"query": "ASK { FILTER(false) }"}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert "<boolean>false</boolean>" in xml.text


CONSTRUCT = """PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/>
CONSTRUCT { ?l a dsih:Lesson } WHERE { ?l a dsih:Lesson }"""


@pytest.mark.parametrize(
    "accept, content_type, rdflib_format",
    [
        ("text/turtle", "text/turtle; charset=utf-8", "turtle"),
        ("application/n-triples", "application/n-triples; charset=utf-8", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("*/*", "text/turtle; charset=utf-8", "turtle"),
    ],
)
def test_construct_and_describe_formats(live_server, oracle, accept, content_type, rdflib_format):
    expected = expected_lessons(oracle)
    response = requests.post(f"{live_server}/sparql", data={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Type"] == content_type
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert sorted(str(s) for s in graph.subjects()) == expected
    lesson = expected[0]
    described = requests.get(
        f"{live_server}/sparql", params={"query": f"DESCRIBE <{lesson}>"}, headers={"Accept": accept}
    )
    assert described.headers["Content-Type"] == content_type
    graph = Graph().parse(data=described.content, format=rdflib_format)
    assert len(graph) > 3 and {str(s) for s in graph.subjects()} >= {lesson}


def test_format_parameter_for_graphs(live_server):
    for fmt, media in (
        ("ttl", "text/turtle"),
        ("nt", "application/n-triples"),
        ("jsonld", "application/ld+json"),
        ("rdfxml", "application/rdf+xml"),
    ):
        response = requests.get(f"{live_server}/sparql", params={"query": CONSTRUCT, "format": fmt})
        assert response.headers["Content-Type"].startswith(media)


def test_csv_is_readable(live_server, oracle):
    response = requests.get(f"{live_server}/sparql", params={"query": LESSONS}, headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["lesson"] and [r[0] for r in rows[1:]] == expected_lessons(oracle)


def test_syntax_error_is_400_with_the_parsers_message(live_server):
    response = requests.get(f"{live_server}/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    body = assert_error(response, 400, "does not parse")
    assert "1:" in body["error"]  # the parser's position


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_wrong_method_is_405_with_allow(live_server, method):
    response = requests.request(method, f"{live_server}/sparql", params={"query": "ASK {}"})
    assert_error(response, 405)
    assert "GET" in response.headers["Allow"] and "POST" in response.headers["Allow"]


def test_missing_doubled_and_empty_queries(live_server):
    url = f"{live_server}/sparql"
    assert_error(requests.post(url, data={"foo": "bar"}), 400, "no query")
    assert_error(requests.get(url, params=[("query", "ASK {}"), ("query", "ASK {}")]), 400, "exactly one")
    assert_error(requests.post(url, params={"query": "ASK {}"}, data={"query": "ASK {}"}), 400, "exactly one")
    assert_error(
        requests.post(
            url,
            params={"query": "ASK {}"},
            data=b"ASK {}",
            headers={"Content-Type": "application/sparql-query"},
        ),
        400,
        "not both",
    )
    assert_error(requests.get(url, params={"query": "   "}), 400, "empty")
    assert_error(requests.post(url, data=b"ASK {}", headers={"Content-Type": "text/plain"}), 415)


def test_406_when_no_format_fits(live_server):
    response = requests.get(f"{live_server}/sparql", params={"query": LESSONS}, headers={"Accept": "image/png"})
    assert_error(response, 406, "offered")
    response = requests.get(f"{live_server}/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert_error(response, 406)
    assert_error(requests.get(f"{live_server}/sparql", params={"query": LESSONS, "format": "pdf"}), 406)
    # an unknown format= next to a usable Accept: Accept decides (SPARQLWrapper sends format=n3 etc.)
    response = requests.get(
        f"{live_server}/sparql", params={"query": LESSONS, "format": "pdf"}, headers={"Accept": "text/csv"}
    )
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")


def test_graph_uris_must_be_iris(live_server):
    response = requests.get(f"{live_server}/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert_error(response, 400, "absolute IRI")


def test_get_without_query_is_the_service_description(live_server):
    response = requests.get(f"{live_server}/sparql")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = f"{live_server}/sparql"
    from rdflib import URIRef

    assert (URIRef(endpoint), URIRef(sd + "endpoint"), URIRef(endpoint)) in graph
    features = {str(o) for o in graph.objects(URIRef(endpoint), URIRef(sd + "feature"))}
    assert sd + "UnionDefaultGraph" in features
    names = {str(o) for o in graph.objects(None, URIRef(sd + "name"))}
    assert f"{BASE}/id/graph/ontology" in names
    as_jsonld = requests.get(f"{live_server}/sparql", headers={"Accept": "application/ld+json"})
    assert as_jsonld.headers["Content-Type"] == "application/ld+json"
    assert json.loads(as_jsonld.text)


def test_cors_for_get_post_and_preflight(live_server):
    response = requests.get(
        f"{live_server}/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://x.example"}
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = requests.options(
        f"{live_server}/sparql",
        headers={
            "Origin": "https://x.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    error = requests.get(f"{live_server}/sparql", params={"query": "SELECT"})
    assert error.headers["Access-Control-Allow-Origin"] == "*"  # clients can read the message


def test_updates_are_refused_at_the_query_endpoint(live_server):
    url = f"{live_server}/sparql"
    insert = "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }"
    assert_error(requests.post(url, data={"update": insert}), 403, "read-only")
    assert_error(requests.post(url, data={"query": insert}), 403, "read-only")
    assert_error(requests.post(url, data=insert, headers={"Content-Type": "application/sparql-update"}), 403)
    assert_error(requests.get(url, params={"update": insert}), 403)
    ask = requests.get(url, params={"query": "ASK { <http://example.org/a> ?p ?o }"})
    assert ask.json()["boolean"] is False


def test_etag_and_304(live_server):
    url = f"{live_server}/sparql"
    first = requests.get(url, params={"query": LESSONS})
    etag = first.headers["ETag"]
    assert etag.startswith('"')
    again = requests.get(url, params={"query": LESSONS}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other_format = requests.get(url, params={"query": LESSONS}, headers={"If-None-Match": etag, "Accept": "text/csv"})
    assert other_format.status_code == 200 and other_format.headers["ETag"] != etag
    assert requests.get(url, params={"query": LESSONS}).content == first.content
    volatile = requests.get(url, params={"query": "SELECT (NOW() AS ?t) {}"})
    assert "ETag" not in volatile.headers


def _same_answer(first: requests.Response, again: requests.Response) -> None:
    """Equal status, body and headers, but for the date and the timing."""
    varying = {"date", "server-timing"}
    assert again.status_code == first.status_code and again.content == first.content
    assert {k.lower(): v for k, v in first.headers.items() if k.lower() not in varying} == {
        k.lower(): v for k, v in again.headers.items() if k.lower() not in varying
    }


@pytest.mark.parametrize("how", ["get", "form", "direct"])
def test_a_repeated_request_gets_the_same_answer(live_server, how):
    """The second answer comes from the fast path's memory; nothing in it may differ from the first."""
    url = f"{live_server}/sparql"
    query = LESSONS + f" # {how}"
    accept = {"Accept": "application/sparql-results+json"}

    def ask(**headers: str) -> requests.Response:
        if how == "get":
            return requests.get(url, params={"query": query}, headers={**accept, **headers})
        if how == "form":
            return requests.post(url, data={"query": query}, headers={**accept, **headers})
        direct = {**accept, "Content-Type": "application/sparql-query", **headers}
        return requests.post(url, data=query.encode(), headers=direct)

    first = ask()
    assert first.status_code == 200 and "Server-Timing" in first.headers
    _same_answer(first, ask())
    not_modified = ask(**{"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified.headers["ETag"] == first.headers["ETag"]
    assert not_modified.headers["Access-Control-Allow-Origin"] == "*"
    assert "Content-Type" not in not_modified.headers


def test_a_304_keeps_the_connection_open(live_server):
    """Revalidating must not cost a new TCP connection (waitress closed it after every 304)."""
    with requests.Session() as session:
        url = f"{live_server}/sparql"
        etag = session.get(url, params={"query": LESSONS}).headers["ETag"]
        for _ in range(2):
            response = session.get(url, params={"query": LESSONS}, headers={"If-None-Match": etag})
            assert response.status_code == 304
            assert response.headers.get("Connection", "").lower() != "close"


def test_errors_keep_their_shape_after_answers_from_memory(live_server):
    url = f"{live_server}/sparql"
    for _ in range(2):
        assert_error(requests.get(url, params={"query": "SELECT ?x WHERE {"}), 400, "does not parse")
        assert_error(requests.get(url, params={"query": LESSONS}, headers={"Accept": "image/png"}), 406)
        assert_error(requests.post(url, data=b"x", headers={"Content-Type": "text/plain"}), 415)
    browser = {"Accept": "text/html, application/json;q=0.9"}
    html = requests.get(url, params={"query": "SELECT ?x WHERE {"}, headers=browser)
    assert html.status_code == 400 and html.headers["Content-Type"].startswith("text/html")


def test_health_readiness_and_void(live_server, oracle):
    assert requests.get(f"{live_server}/healthz").json() == {"status": "ok"}
    ready = requests.get(f"{live_server}/readyz").json()
    assert ready["status"] == "ready" and ready["store"] == "oxigraph-memory" and ready["sandboxed"] is True
    response = requests.get(f"{live_server}/.well-known/void")
    assert response.headers["Content-Type"].startswith("text/turtle")
    from rdflib import URIRef
    from rdflib.namespace import VOID

    void = Graph().parse(data=response.text, format="turtle")
    dataset = URIRef(f"{BASE}/id/dataset/dsih-kg")
    triples = int(void.value(dataset, VOID.triples))
    distinct = len({(q.subject, q.predicate, q.object) for q in oracle})
    assert triples == distinct
    assert int(void.value(dataset, VOID.classes)) > 5
    assert int(void.value(dataset, VOID.properties)) > 10
    lesson_partition = [
        p
        for p in void.objects(dataset, VOID.classPartition)
        if str(void.value(p, VOID["class"])) == "https://w3id.org/dsih-kg/def/dsih/Lesson"
    ]
    assert int(void.value(lesson_partition[0], VOID.entities)) == len(expected_lessons(oracle))
    assert URIRef(f"{live_server}/sparql") == void.value(dataset, VOID.sparqlEndpoint)
