"""The ontology is valid Turtle with its metadata, and every term has Dutch and English labels and a
definition (issue 2, point 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from dsih_kg.namespaces import DSIH

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology" / "dsih.ttl"
SHAPES = Path(__file__).resolve().parents[1] / "ontology" / "shapes.ttl"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def test_ontology_has_iri_version_licence_and_creator(ontology):
    onto = URIRef("https://w3id.org/dsih-kg/def/dsih")
    assert (onto, RDF.type, OWL.Ontology) in ontology
    for prop in (OWL.versionIRI, OWL.versionInfo, DCTERMS.license, DCTERMS.creator):
        assert ontology.value(onto, prop) is not None, prop


def _terms(ontology):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return sorted({s for kind in kinds for s in ontology.subjects(RDF.type, kind) if str(s).startswith(str(DSIH._NS))})


def test_every_term_has_dutch_and_english_labels_and_a_definition(ontology):
    for term in _terms(ontology):
        languages = {label.language for label in ontology.objects(term, RDFS.label)}
        assert {"nl", "en"} <= languages, term
        assert ontology.value(term, RDFS.comment) or ontology.value(term, SKOS.definition), term


def test_the_namespace_in_code_matches_the_ontology(ontology):
    in_code = {name for name in DSIH.__annotations__}
    in_ontology = {str(t)[len(str(DSIH._NS)):] for t in _terms(ontology)}
    assert in_code == in_ontology


def test_cross_level_relation_is_symmetric(ontology):
    assert (DSIH.relatedAcrossLevels, RDF.type, OWL.SymmetricProperty) in ontology


@pytest.mark.parametrize(
    "term, external",
    [
        (DSIH.Organisation, OWL.equivalentClass),
        (DSIH.Person, OWL.equivalentClass),
        (DSIH.Lesson, RDFS.subClassOf),
        (DSIH.text, RDFS.subPropertyOf),
        (DSIH.cites, RDFS.subPropertyOf),
    ],
)
def test_alignments_with_reused_vocabularies_are_stated(ontology, term, external):
    targets = [str(o) for o in ontology.objects(term, external)]
    assert any(not t.startswith(str(DSIH._NS)) for t in targets), targets


def test_shapes_are_valid_turtle():
    assert len(Graph().parse(SHAPES, format="turtle")) > 100
