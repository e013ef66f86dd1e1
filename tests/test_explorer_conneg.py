"""Linked-data behaviour (issue 5, point 4): /id → 303 /doc; /doc negotiates HTML, Turtle, JSON-LD and
N-Triples by Accept and by suffix with the same content; HTML pages link their RDF alternates; unknown
IRIs get a real 404 page.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from explorer_support import BASE, INSTRUMENT, MICRO, parse_links
from rdf_helpers import assert_isomorphic

LESSON = URIRef(f"{BASE}/id/lesson/{MICRO}")
FORMATS = [
    ("text/turtle", "ttl", "turtle"),
    ("application/ld+json", "jsonld", "json-ld"),
    ("application/n-triples", "nt", "nt"),
]


def test_id_answers_303_see_other_to_doc(client):
    response = client.get(f"/id/lesson/{MICRO}", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/doc/lesson/{MICRO}")


def test_doc_is_html_for_browsers(client):
    response = client.get(
        f"/doc/lesson/{MICRO}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("media, suffix, fmt", FORMATS)
def test_accept_and_suffix_give_the_same_graph(client, media, suffix, fmt):
    by_accept = client.get(f"/doc/lesson/{MICRO}", headers={"Accept": media})
    by_suffix = client.get(f"/doc/lesson/{MICRO}.{suffix}")
    for response in (by_accept, by_suffix):
        assert response.status_code == 200 and response.mimetype == media
    a = Graph().parse(data=by_accept.get_data(as_text=True), format=fmt)
    b = Graph().parse(data=by_suffix.get_data(as_text=True), format=fmt)
    assert_isomorphic(a, b)
    assert (LESSON, DCTERMS.title, Literal("Gezamenlijke missie formuleren", lang="nl")) in a
    assert (LESSON, DCTERMS.title, Literal("Formulating a joint mission", lang="en")) in a
    # the recommendations list comes along with its blank nodes
    assert len(list(a.objects(LESSON, URIRef(f"{BASE}/def/dsih/recommendations")))) == 1


def test_twin_holds_inbound_links_like_the_page(client):
    g = Graph().parse(
        data=client.get(f"/doc/instrument/{INSTRUMENT}.ttl").get_data(as_text=True), format="turtle"
    )
    assert (LESSON, URIRef(f"{BASE}/def/dsih/instrument"), URIRef(f"{BASE}/id/instrument/{INSTRUMENT}")) in g


def test_every_html_page_links_its_rdf_alternates(client):
    for path, twin in (
        (f"/doc/lesson/{MICRO}", f"/doc/lesson/{MICRO}"),
        (f"/doc/instrument/{INSTRUMENT}", f"/doc/instrument/{INSTRUMENT}"),
    ):
        links = parse_links(client.get(path).get_data(as_text=True)).links
        alternates = {link["type"]: link["href"] for link in links if link.get("rel") == "alternate" and "type" in link}
        assert alternates == {
            "text/turtle": f"{twin}.ttl",
            "application/ld+json": f"{twin}.jsonld",
            "application/n-triples": f"{twin}.nt",
        }
        for href in alternates.values():
            assert client.get(href).status_code == 200


def test_other_iris_negotiate_too(client):
    iri = f"{BASE}/def/dsih/Lesson"
    response = client.get(f"/resource?iri={iri}", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    assert len(Graph().parse(data=response.get_data(as_text=True), format="turtle")) > 3
    assert client.get(f"/resource?iri={iri}&format=nt").mimetype == "application/n-triples"


def test_unknown_iris_get_a_real_404_page(client):
    for path in (
        "/doc/lesson/no-such-lesson",
        "/id/nonsense/x",
        "/doc/lesson/Bad..Slug",
        "/resource?iri=https://example.org/nothing-here",
    ):
        response = client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 404, path
        assert response.mimetype == "text/html"
        assert "404" in response.get_data(as_text=True)
    machine = client.get("/doc/lesson/no-such-lesson", headers={"Accept": "application/json"})
    assert machine.status_code == 404 and machine.get_json()["status"] == 404


def test_unsupported_accept_is_406(client):
    assert client.get(f"/doc/lesson/{MICRO}", headers={"Accept": "application/pdf"}).status_code == 406
