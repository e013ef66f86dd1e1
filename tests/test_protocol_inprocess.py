"""The SPARQL 1.1 Protocol in-process (issue 15, point 5): the same contracts as test_sparql_protocol.py,
without a server process.

First the Flask-free core (``sparql/protocol.py``): an HTTP request's parts in, a query or a
``ProtocolError`` with its status out; ``Accept`` or ``format=`` in, a result format out. Then /sparql
through the app's WSGI callable (fast path included): GET, POST form and POST direct give the oracle's
answer; the default graph is the union unless ``default-graph-uri`` narrows it; formats by Accept or
``format=``; 405/406/415 and 400 with a message in the one error shape; updates are refused; CORS.
"""

from __future__ import annotations

import json

import pyoxigraph
import pytest
from rdflib import Graph, URIRef

from dsih_kg.sparql.protocol import (
    FORM,
    QUERY_TYPE,
    UPDATE_TYPE,
    ProtocolError,
    negotiate,
    parse_accept,
    query_args,
    read_query,
    read_update,
)
from http_helpers import assert_error
from rdf_helpers import assert_isomorphic
from sparql_support import CONSTRUCT, LESSONS, ONTOLOGY_GRAPH, SRJ, bindings, expected_lessons, oracle_graph

INSERT = "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }"


def refused(status: int, call, *args) -> ProtocolError:
    """``call(*args)`` raises a ProtocolError with ``status`` and a sentence for the client."""
    with pytest.raises(ProtocolError) as info:
        call(*args)
    assert info.value.status == status, info.value.message
    assert len(info.value.message) > 10
    return info.value


# --- request -> query, without Flask -------------------------------------------------------------------


def test_a_query_arrives_by_get_form_or_direct_post():
    by_get = read_query("GET", None, [("query", "ASK {}")], b"")
    by_form = read_query("POST", f"{FORM}; charset=utf-8", [], b"query=ASK+%7B%7D")
    by_body = read_query("POST", QUERY_TYPE, [], b"ASK {}")
    assert by_get.text == by_form.text == by_body.text == "ASK {}"


def test_a_get_without_query_asks_for_the_service_description():
    assert read_query("GET", None, [], b"") is None
    assert read_query("HEAD", None, [("format", "ttl")], b"") is None


def test_graph_parameters_and_format_are_collected_from_url_and_form():
    op = read_query(
        "POST",
        FORM,
        [("default-graph-uri", "http://example.org/d2"), ("format", "csv")],
        b"query=ASK+%7B%7D&default-graph-uri=http%3A%2F%2Fexample.org%2Fd1&named-graph-uri=urn%3Ax%3An",
    )
    assert op.default_graph_uris == ["http://example.org/d1", "http://example.org/d2"]
    assert op.named_graph_uris == ["urn:x:n"]
    assert op.format == "csv"
    assert read_query("GET", None, [("query", "ASK {}"), ("format", "a"), ("format", "b")], b"").format == "b"


@pytest.mark.parametrize(
    "method, content_type, args, body, status, words",
    [
        ("PUT", None, [("query", "ASK {}")], b"", 405, "use GET or POST"),
        ("POST", "text/plain", [], b"ASK {}", 415, "not text/plain"),
        ("POST", None, [], b"ASK {}", 415, "no content type"),
        ("POST", FORM, [], b"foo=bar", 400, "No query"),
        ("GET", None, [("query", "ASK {}"), ("query", "ASK {}")], b"", 400, "Exactly one query"),
        ("POST", FORM, [("query", "ASK {}")], b"query=ASK+%7B%7D", 400, "Exactly one query"),
        ("POST", QUERY_TYPE, [("query", "ASK {}")], b"ASK {}", 400, "not both"),
        ("GET", None, [("query", "   ")], b"", 400, "empty"),
        ("POST", QUERY_TYPE, [], b"ASK { \xff }", 400, "not valid UTF-8"),
        ("GET", None, [("query", "ASK {}"), ("default-graph-uri", "not an iri")], b"", 400, "absolute IRI"),
        ("GET", None, [("query", "ASK {}"), ("named-graph-uri", "<urn:x>")], b"", 400, "absolute IRI"),
        ("GET", None, [("update", INSERT)], b"", 403, "read-only"),
        ("GET", None, [("query", "ASK {}"), ("using-graph-uri", "urn:x")], b"", 403, "read-only"),
        ("POST", FORM, [], b"update=INSERT", 403, "read-only"),
        ("POST", UPDATE_TYPE, [], INSERT.encode(), 403, "read-only"),
    ],
)
def test_requests_the_query_operation_refuses(method, content_type, args, body, status, words):
    error = refused(status, read_query, method, content_type, args, body)
    assert words.lower() in error.message.lower()
    if status == 405:
        assert error.context["allow"] == ["GET", "POST"]


def test_the_url_must_be_utf8():
    assert query_args(b"query=ASK%20%7B%7D") == [("query", "ASK {}")]
    refused(400, query_args, b"query=%FF")
    refused(400, query_args, b"query=\xff")


def test_an_update_arrives_by_form_or_direct_post_only():
    assert read_update("POST", FORM, [], b"update=" + INSERT.encode()).text == INSERT
    assert read_update("POST", UPDATE_TYPE, [], INSERT.encode()).text == INSERT
    assert refused(405, read_update, "GET", None, [("update", INSERT)], b"").context["allow"] == ["POST"]
    refused(400, read_update, "POST", FORM, [("update", INSERT)], b"")  # not in the URL
    refused(400, read_update, "POST", FORM, [], b"update=a&update=b")
    refused(400, read_update, "POST", FORM, [], b"query=ASK")
    refused(400, read_update, "POST", FORM, [], b"update=x&using-graph-uri=urn%3Ag")
    refused(400, read_update, "POST", UPDATE_TYPE, [], b"  ")
    refused(415, read_update, "POST", QUERY_TYPE, [], b"ASK {}")


# --- Accept -> format, without Flask -------------------------------------------------------------------


def test_accept_ranges_come_best_first_and_ties_keep_their_order():
    assert parse_accept(None) == [("*/*", 1.0)]
    assert parse_accept("text/csv;q=0.5, application/json, junk, text/turtle;q=0, application/xml") == [
        ("application/json", 1.0),
        ("application/xml", 1.0),
        ("text/csv", 0.5),
    ]
    assert parse_accept("text/csv;q=abc") == []  # an unreadable quality counts as 0


@pytest.mark.parametrize(
    "kind, accept, fmt, expected",
    [
        ("results", None, None, ("json", "application/sparql-results+json")),
        ("results", "*/*", None, ("json", "application/sparql-results+json")),
        ("results", "application/json", None, ("json", "application/sparql-results+json")),
        ("results", "text/*", None, ("csv", "text/csv; charset=utf-8")),
        ("results", "text/html,application/xml;q=0.9,*/*;q=0.8", None, ("xml", "application/sparql-results+xml")),
        ("results", "text/html", "tsv", ("tsv", "text/tab-separated-values; charset=utf-8")),
        ("results", "text/csv", "pdf", ("csv", "text/csv; charset=utf-8")),  # Accept decides
        ("graph", None, None, ("turtle", "text/turtle; charset=utf-8")),
        ("graph", "application/json", None, ("jsonld", "application/ld+json")),
        ("graph", "text/plain", None, ("nt", "application/n-triples; charset=utf-8")),
        ("graph", None, "rdf", ("rdfxml", "application/rdf+xml")),
        ("graph", None, "application/n-triples", ("nt", "application/n-triples; charset=utf-8")),
    ],
)
def test_negotiation_picks_the_format(kind, accept, fmt, expected):
    assert negotiate(kind, accept, fmt) == expected


@pytest.mark.parametrize(
    "kind, accept, fmt", [("results", "image/png", None), ("graph", "text/csv", None), ("results", "*/*", "pdf")]
)
def test_negotiation_refuses_with_406(kind, accept, fmt):
    refused(406, negotiate, kind, accept, fmt)


# --- /sparql through the app ---------------------------------------------------------------------------


def test_get_form_and_direct_post_give_the_oracles_answer(client, oracle):
    expected = expected_lessons(oracle)
    assert len(expected) > 10
    by_get = client.get("/sparql", query_string={"query": LESSONS}, headers=SRJ)
    by_form = client.post("/sparql", data={"query": LESSONS}, headers=SRJ)
    by_body = client.post("/sparql", data=LESSONS.encode(), content_type=QUERY_TYPE, headers=SRJ)
    for response in (by_get, by_form, by_body):
        assert response.headers["Content-Type"] == "application/sparql-results+json"
        assert bindings(response, "lesson") == expected


def test_default_graph_is_the_union_and_default_graph_uri_narrows_it(client, oracle):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    union = int(bindings(client.get("/sparql", query_string={"query": query}), "n")[0])
    narrowed = client.get("/sparql", query_string={"query": query, "default-graph-uri": ONTOLOGY_GRAPH})
    expected = len(list(oracle.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(ONTOLOGY_GRAPH))))
    assert int(bindings(narrowed, "n")[0]) == expected
    assert 0 < expected < union


def test_named_graph_uri_limits_graph_patterns(client):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert len(bindings(client.get("/sparql", query_string={"query": query}), "g")) > 1
    narrowed = client.get("/sparql", query_string={"query": query, "named-graph-uri": ONTOLOGY_GRAPH})
    assert bindings(narrowed, "g") == [ONTOLOGY_GRAPH]


@pytest.mark.parametrize(
    "accept, content_type",
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_formats_by_accept(client, oracle, accept, content_type):
    response = client.get("/sparql", query_string={"query": LESSONS}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["Content-Type"] == content_type
    media = content_type.split(";")[0]
    parsed = pyoxigraph.parse_query_results(response.data, format=pyoxigraph.QueryResultsFormat.from_media_type(media))
    assert [s["lesson"].value for s in parsed] == expected_lessons(oracle)


def test_csv_by_format_parameter_lists_the_values(client, oracle):
    response = client.get("/sparql", query_string={"query": LESSONS, "format": "csv"}, headers={"Accept": "text/html"})
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.get_data(as_text=True).split("\r\n")[1:-1] == expected_lessons(oracle)


def test_ask_answers_true_and_false(client):
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).get_json()["boolean"] is True
    xml = client.get(
        "/sparql", query_string={"query": "ASK { FILTER(false) }"}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert "<boolean>false</boolean>" in xml.get_data(as_text=True)


@pytest.mark.parametrize(
    "accept, content_type, rdflib_format",
    [
        ("text/turtle", "text/turtle; charset=utf-8", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_construct_and_describe_formats(client, oracle, accept, content_type, rdflib_format):
    describe = f"DESCRIBE <{expected_lessons(oracle)[0]}>"
    constructed = client.post("/sparql", data={"query": CONSTRUCT}, headers={"Accept": accept})
    described = client.get("/sparql", query_string={"query": describe}, headers={"Accept": accept})
    for response, query in ((constructed, CONSTRUCT), (described, describe)):
        assert response.status_code == 200 and response.headers["Content-Type"] == content_type
        assert_isomorphic(Graph().parse(data=response.data, format=rdflib_format), oracle_graph(oracle, query))
    assert len(oracle_graph(oracle, describe)) > 3


def test_syntax_error_is_400_with_the_parsers_message(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p "})
    body = assert_error(response, 400, "does not parse")
    assert "1:" in body["error"]  # the parser's position


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_wrong_method_is_405_with_allow(client, method):
    response = client.open("/sparql", method=method, query_string={"query": "ASK {}"})
    assert_error(response, 405)
    assert "GET" in response.headers["Allow"] and "POST" in response.headers["Allow"]


def test_bad_requests_get_4xx_in_the_one_shape(client):
    assert_error(client.post("/sparql", data={"foo": "bar"}), 400, "no query")
    assert_error(client.get("/sparql", query_string=[("query", "ASK {}"), ("query", "ASK {}")]), 400, "exactly one")
    assert_error(client.post("/sparql", data=b"ASK {}", content_type="text/plain"), 415)
    assert_error(
        client.get("/sparql", query_string={"query": "ASK {}", "default-graph-uri": "x y"}), 400, "absolute IRI"
    )
    assert_error(
        client.get("/sparql", query_string={"query": LESSONS}, headers={"Accept": "image/png"}), 406, "offered"
    )
    assert_error(client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "text/csv"}), 406)
    assert_error(client.get("/sparql", query_string={"query": LESSONS, "format": "pdf"}), 406)


def test_a_browser_gets_its_error_as_html(client):
    browser = {"Accept": "text/html, application/json;q=0.9"}
    response = client.get("/sparql", query_string={"query": "SELECT ?x WHERE {"}, headers=browser)
    assert response.status_code == 400 and response.mimetype == "text/html"


def test_updates_are_refused_at_the_query_endpoint(client):
    assert_error(client.post("/sparql", data={"update": INSERT}), 403, "read-only")
    assert_error(client.post("/sparql", data={"query": INSERT}), 403, "read-only")
    assert_error(client.post("/sparql", data=INSERT, content_type=UPDATE_TYPE), 403)
    assert_error(client.get("/sparql", query_string={"update": INSERT}), 403)
    ask = client.get("/sparql", query_string={"query": "ASK { <http://example.org/a> ?p ?o }"})
    assert ask.get_json()["boolean"] is False


def test_update_is_disabled_without_a_token(client):
    response = client.post("/update", data={"update": INSERT}, headers={"Authorization": "Bearer anything"})
    assert_error(response, 403, "disabled")
    assert_error(client.get("/update", query_string={"update": INSERT}), 405)


def test_get_without_query_is_the_service_description(client):
    response = client.get("/sparql")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef("http://localhost/sparql")
    assert (endpoint, URIRef(sd + "endpoint"), endpoint) in graph
    assert URIRef(sd + "UnionDefaultGraph") in set(graph.objects(endpoint, URIRef(sd + "feature")))
    assert ONTOLOGY_GRAPH in {str(o) for o in graph.objects(None, URIRef(sd + "name"))}
    as_jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert as_jsonld.headers["Content-Type"] == "application/ld+json" and json.loads(as_jsonld.data)


def test_cors_for_get_post_preflight_and_errors(client):
    origin = {"Origin": "https://x.example"}
    assert (
        client.get("/sparql", query_string={"query": "ASK {}"}, headers=origin).headers["Access-Control-Allow-Origin"]
        == "*"
    )
    assert (
        client.post("/sparql", data={"query": "ASK {}"}, headers=origin).headers["Access-Control-Allow-Origin"] == "*"
    )
    preflight = client.options(
        "/sparql",
        headers={**origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
    )
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    assert "authorization" in client.options("/update", headers=origin).headers["Access-Control-Allow-Headers"].lower()
    error = client.get("/sparql", query_string={"query": "SELECT"}, headers=origin)
    assert error.headers["Access-Control-Allow-Origin"] == "*"  # clients can read the message
