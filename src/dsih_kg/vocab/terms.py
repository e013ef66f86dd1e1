"""The ontology as documentation: its terms with labels, definitions, domain, range and hierarchy.

Read once from ``ontology/dsih.ttl``; no Flask here. The HTML pages and the RDF answers of ``/def/dsih``
are made from this, so the documentation can never say something the ontology does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ..iri import ONTOLOGY_IRI, VOCAB_NS
from ..namespaces import DSIH, PREFIXES

KINDS = (
    (OWL.Class, "class"),
    (OWL.ObjectProperty, "object property"),
    (OWL.DatatypeProperty, "datatype property"),
)
_EXTRA_PREFIXES = {"vann": "http://purl.org/vocab/vann/", "spdx": "http://spdx.org/rdf/terms#"}


@dataclass
class Term:
    """One class or property of the ontology, as a page shows it."""

    iri: URIRef
    name: str  # the local name: Lesson, namesInstrument
    kind: str  # class, object property, datatype property
    labels: dict[str, str] = field(default_factory=dict)  # language -> label
    definitions: dict[str, str] = field(default_factory=dict)  # language -> definition
    parents: list[URIRef] = field(default_factory=list)  # rdfs:subClassOf / rdfs:subPropertyOf
    children: list[URIRef] = field(default_factory=list)
    equivalents: list[URIRef] = field(default_factory=list)
    domains: list[URIRef] = field(default_factory=list)
    ranges: list[URIRef] = field(default_factory=list)
    inverses: list[URIRef] = field(default_factory=list)
    disjoint: list[URIRef] = field(default_factory=list)
    characteristics: list[str] = field(default_factory=list)  # symmetric, functional, language-neutral
    deprecated: bool = False
    used_as_domain_of: list[URIRef] = field(default_factory=list)  # for classes
    used_as_range_of: list[URIRef] = field(default_factory=list)

    @property
    def is_class(self) -> bool:
        return self.kind == "class"


@dataclass
class Vocabulary:
    """The parsed ontology and its terms, keyed by local name."""

    graph: Graph
    terms: dict[str, Term]
    language_neutral: list[URIRef]

    @property
    def iri(self) -> URIRef:
        return URIRef(ONTOLOGY_IRI)

    def metadata(self, prop: URIRef) -> dict[str, str]:
        """A property of the ontology itself (title, description) per language ('' for untagged)."""
        return {(o.language or ""): str(o) for o in self.graph.objects(self.iri, prop) if isinstance(o, Literal)}

    def value(self, prop: URIRef) -> str:
        found = self.graph.value(self.iri, prop)
        return "" if found is None else str(found)

    def classes(self) -> list[Term]:
        return [t for t in self.terms.values() if t.is_class]

    def properties(self) -> list[Term]:
        return [t for t in self.terms.values() if not t.is_class]

    def describe(self, term: Term | None = None) -> Graph:
        """The RDF of one term (its own statements, and those naming it as language-neutral), or of all."""
        if term is None:
            return self.graph
        out = Graph()
        for prefix, ns in {**PREFIXES, **_EXTRA_PREFIXES}.items():
            out.bind(prefix, ns)
        for triple in self.graph.triples((term.iri, None, None)):
            out.add(triple)
            if isinstance(triple[2], BNode):  # e.g. an owl:unionOf list, whole
                for inner in self.graph.triples((triple[2], None, None)):
                    out.add(inner)
        out.add((term.iri, RDFS.isDefinedBy, self.iri))
        return out

    def curie(self, iri: URIRef) -> str:
        """``dsih:Lesson``, ``skos:Concept``: a short name for an IRI, or the IRI itself."""
        for prefix, ns in {**PREFIXES, **_EXTRA_PREFIXES}.items():
            if str(iri).startswith(str(ns)) and len(str(iri)) > len(str(ns)):
                return f"{prefix}:{str(iri)[len(str(ns)):]}"
        return str(iri)

    def local(self, iri: URIRef) -> str | None:
        """The local name of one of our terms, or None for any other IRI."""
        name = str(iri)[len(VOCAB_NS) :] if str(iri).startswith(VOCAB_NS) else None
        return name if name in self.terms else None


def read_vocabulary(path: Path) -> Vocabulary:
    """Parse the ontology and index its terms (classes first, then properties, each by local name)."""
    graph = Graph().parse(path, format="turtle")
    terms: dict[str, Term] = {}
    for kind_iri, kind in KINDS:
        for iri in sorted(graph.subjects(RDF.type, kind_iri)):
            if isinstance(iri, URIRef) and str(iri).startswith(VOCAB_NS) and str(iri)[len(VOCAB_NS) :] not in terms:
                terms[str(iri)[len(VOCAB_NS) :]] = _term(graph, iri, kind)
    _link_usage(graph, terms)
    neutral = sorted(s for s in graph.subjects(RDF.type, DSIH.LanguageNeutralProperty) if isinstance(s, URIRef))
    return Vocabulary(graph, terms, neutral)


def _by_language(graph: Graph, node: URIRef, *props: URIRef) -> dict[str, str]:
    out: dict[str, str] = {}
    for prop in props:
        for value in graph.objects(node, prop):
            if isinstance(value, Literal):
                out.setdefault(value.language or "", str(value))
    return out


def _uris(graph: Graph, node: URIRef, prop: URIRef, inverse: bool = False) -> list[URIRef]:
    values = graph.subjects(prop, node) if inverse else graph.objects(node, prop)
    return sorted(v for v in values if isinstance(v, URIRef))


def _term(graph: Graph, iri: URIRef, kind: str) -> Term:
    hierarchy = RDFS.subClassOf if kind == "class" else RDFS.subPropertyOf
    equivalence = OWL.equivalentClass if kind == "class" else OWL.equivalentProperty
    characteristics = [
        name
        for cls, name in (
            (OWL.SymmetricProperty, "symmetric"),
            (OWL.FunctionalProperty, "functional"),
            (OWL.TransitiveProperty, "transitive"),
            (DSIH.LanguageNeutralProperty, "language-neutral"),
        )
        if (iri, RDF.type, cls) in graph
    ]
    return Term(
        iri=iri,
        name=str(iri)[len(VOCAB_NS) :],
        kind=kind,
        labels=_by_language(graph, iri, RDFS.label),
        definitions=_by_language(graph, iri, SKOS.definition, RDFS.comment),
        parents=_uris(graph, iri, hierarchy),
        children=_uris(graph, iri, hierarchy, inverse=True),
        equivalents=_uris(graph, iri, equivalence),
        domains=_uris(graph, iri, RDFS.domain),
        ranges=_uris(graph, iri, RDFS.range),
        inverses=sorted({*_uris(graph, iri, OWL.inverseOf), *_uris(graph, iri, OWL.inverseOf, inverse=True)}),
        disjoint=sorted({*_uris(graph, iri, OWL.disjointWith), *_uris(graph, iri, OWL.disjointWith, inverse=True)}),
        characteristics=characteristics,
        deprecated=(iri, OWL.deprecated, Literal(True)) in graph,
    )


def _link_usage(graph: Graph, terms: dict[str, Term]) -> None:
    """On each class: the properties that have it as domain or range."""
    by_iri = {t.iri: t for t in terms.values()}
    for term in terms.values():
        if term.is_class:
            continue
        for domain in term.domains:
            if domain in by_iri:
                by_iri[domain].used_as_domain_of.append(term.iri)
        for range_ in term.ranges:
            if range_ in by_iri:
                by_iri[range_].used_as_range_of.append(term.iri)
