"""OWL-RL reasoning with owlrl; what it infers goes into its own named graph, apart from what we assert."""

from __future__ import annotations

from collections.abc import Iterable

import owlrl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

#: Vocabulary-level noise the OWL-RL rules always produce and nobody queries for.
_TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, RDF.Property}


def infer(asserted: Graph, keep: Iterable[str]) -> Graph:
    """Materialise the OWL-RL closure of ``asserted`` and return only the new, useful triples.

    Args:
        asserted: ontology and data together.
        keep: IRI prefixes (instance base, vocabulary) whose subjects' new triples are kept; the rules'
            consequences about external vocabularies (RDFS, OWL, SKOS…) are dropped.
    """
    closure = Graph()
    for triple in asserted:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    prefixes = tuple(keep)
    inferred = Graph()
    for s, p, o in closure:
        if (s, p, o) in asserted or not isinstance(s, URIRef) or not str(s).startswith(prefixes):
            continue
        if p == OWL.sameAs or (p == RDF.type and o in _TRIVIAL_TYPES):
            continue
        if isinstance(o, BNode) or (isinstance(o, Literal) and p == RDF.type):
            continue
        if p in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty) and s == o:
            continue
        inferred.add((s, p, o))
    return inferred
