"""The ontology's IRIs dereference (issue 12, point 3): /def/dsih and /def/dsih/{Term} answer HTML
documentation made from ontology/dsih.ttl to a browser, and the same statements as Turtle, JSON-LD,
N-Triples or RDF/XML to an RDF client, by Accept or by suffix; an unknown term is a 404 in the one error
shape."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from dsih_kg.namespaces import DSIH
from http_helpers import assert_error

ONTOLOGY = Graph().parse(Path(__file__).resolve().parents[1] / "ontology" / "dsih.ttl", format="turtle")
NS = str(DSIH._NS)
TERMS = sorted(
    str(s)[len(NS) :]
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    for s in ONTOLOGY.subjects(RDF.type, kind)
    if str(s).startswith(NS)
)
FORMATS = [
    ("text/turtle", "ttl", "turtle"),
    ("application/ld+json", "jsonld", "json-ld"),
    ("application/n-triples", "nt", "nt"),
    ("application/rdf+xml", "rdf", "xml"),
]
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def term_graph(name: str) -> Graph:
    iri = URIRef(NS + name)
    graph = Graph()
    for triple in ONTOLOGY.triples((iri, None, None)):
        graph.add(triple)
    graph.add((iri, RDFS.isDefinedBy, URIRef("https://w3id.org/dsih-kg/def/dsih")))
    return graph


@pytest.mark.parametrize("path", ["/def/dsih", "/def/dsih/"])
def test_the_ontology_page_documents_every_term(live_server, path):
    response = requests.get(live_server + path, headers=BROWSER)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    page = response.text
    assert "DSIH lessons ontology" in page and "1.0.0" in page
    for name in TERMS:
        assert f'id="{name}"' in page and f'href="/def/dsih/{name}"' in page, name
    # the language-neutral properties are listed, reused ones too
    assert "skos:notation" in page and "dsih:instrumentKind" in page


@pytest.mark.parametrize("name", TERMS)
def test_every_term_has_a_page_with_labels_definitions_domain_and_range(live_server, name):
    response = requests.get(f"{live_server}/def/dsih/{name}", headers=BROWSER)
    assert response.status_code == 200, name
    page = html.unescape(response.text)
    iri = URIRef(NS + name)
    for label in ONTOLOGY.objects(iri, RDFS.label):
        assert str(label) in page, (name, label)
    definitions = [*ONTOLOGY.objects(iri, URIRef("http://www.w3.org/2004/02/skos/core#definition"))]
    for definition in definitions or ONTOLOGY.objects(iri, RDFS.comment):
        assert str(definition) in page, name
    for prop, heading in ((RDFS.domain, "Domain"), (RDFS.range, "Range")):
        for value in ONTOLOGY.objects(iri, prop):
            assert heading in page and str(value).rsplit("/", 1)[-1].rsplit("#", 1)[-1] in page, (name, value)
    for parent in ONTOLOGY.objects(iri, RDFS.subPropertyOf | RDFS.subClassOf):
        if str(parent).startswith(NS):
            assert f'href="/def/dsih/{str(parent)[len(NS):]}"' in response.text, (name, parent)


def test_a_sub_property_page_links_both_ways(live_server):
    names = requests.get(f"{live_server}/def/dsih/namesInstrument", headers=BROWSER).text
    broad = requests.get(f"{live_server}/def/dsih/instrument", headers=BROWSER).text
    assert 'href="/def/dsih/instrument"' in names and "Sub-property of" in names
    assert 'href="/def/dsih/namesInstrument"' in broad and "Super-property of" in broad


@pytest.mark.parametrize("media, suffix, parser", FORMATS)
def test_a_term_answers_rdf_by_accept_and_by_suffix(live_server, media, suffix, parser):
    expected = term_graph("ReadinessScale")
    by_accept = requests.get(f"{live_server}/def/dsih/ReadinessScale", headers={"Accept": media})
    assert by_accept.status_code == 200 and by_accept.headers["Content-Type"].startswith(media)
    assert by_accept.headers["Vary"] == "Accept"
    by_suffix = requests.get(f"{live_server}/def/dsih/ReadinessScale.{suffix}")
    assert by_suffix.status_code == 200 and by_suffix.headers["Content-Type"].startswith(media)
    for response in (by_accept, by_suffix):
        assert isomorphic(Graph().parse(data=response.text, format=parser), expected)


@pytest.mark.parametrize("media, suffix, parser", FORMATS)
def test_the_ontology_answers_all_of_dsih_ttl_as_rdf(live_server, media, suffix, parser):
    for response in (
        requests.get(f"{live_server}/def/dsih", headers={"Accept": media}),
        requests.get(f"{live_server}/def/dsih.{suffix}"),
    ):
        assert response.status_code == 200 and response.headers["Content-Type"].startswith(media)
        assert isomorphic(Graph().parse(data=response.text, format=parser), ONTOLOGY)


def test_the_version_iri_answers_the_ontology(live_server):
    response = requests.get(f"{live_server}/def/dsih/1.0.0", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert isomorphic(Graph().parse(data=response.text, format="turtle"), ONTOLOGY)


def test_an_unknown_term_is_a_404_in_the_one_error_shape(live_server):
    missing = requests.get(f"{live_server}/def/dsih/NoSuchTerm", headers={"Accept": "application/json"})
    assert_error(missing, 404, "NoSuchTerm")
    page = requests.get(f"{live_server}/def/dsih/NoSuchTerm", headers=BROWSER)
    assert page.status_code == 404 and page.headers["Content-Type"].startswith("text/html")
    assert "<script>" not in requests.get(f"{live_server}/def/dsih/%3Cscript%3E", headers=BROWSER).text


def test_an_accept_nothing_fits_is_a_406(live_server):
    assert_error(requests.get(f"{live_server}/def/dsih/Lesson", headers={"Accept": "image/png"}), 406, "offered")
