"""The VoID description of the dataset: sizes, class and property partitions, graphs and linksets.

Computed with SPARQL over the store, once per data generation. Linksets are graphs that describe
themselves with ``void:Linkset`` (the linking step writes them into {base}/id/graph/linkset-...); their
description is copied here and they become subsets of the dataset.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD

from ..licence import add_licence
from ..namespaces import SD
from ..stores import Store

TIMEOUT = 60.0

_DISTINCT = "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def _number(result, name: str) -> int:
    return int(result.rows[0][name]) if result.rows and name in result.rows[0] else 0


def void_description(store: Store, base_iri: str, endpoint_url: str | None = None) -> Graph:
    """VoID of everything in ``store``, as an rdflib Graph."""
    base = base_iri.rstrip("/")
    dataset = URIRef(f"{base}/id/dataset/dsih-kg")
    g = Graph(bind_namespaces="none")
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    g.bind("sd", SD)
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, DCTERMS.title, Literal("DSIH lessons learned knowledge graph", lang="en")))
    g.add((dataset, VOID.uriSpace, Literal(f"{base}/id/")))
    add_licence(g, dataset)  # dcterms:license, and dcterms:rights on what it does not cover
    if endpoint_url:
        g.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint_url)))

    totals = store.query(
        "SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) "
        "(COUNT(DISTINCT ?p) AS ?properties) "
        f"(COUNT(DISTINCT ?o) AS ?objects) WHERE {{ {_DISTINCT} }}",
        timeout=TIMEOUT,
    )
    classes = store.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?c ORDER BY ?c",
        timeout=TIMEOUT,
    )
    properties = store.query(
        f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {_DISTINCT} }} GROUP BY ?p ORDER BY ?p", timeout=TIMEOUT
    )
    entities = store.query(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
        f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}/id/")) }}',
        timeout=TIMEOUT,
    )
    for name, predicate in (
        ("triples", VOID.triples),
        ("subjects", VOID.distinctSubjects),
        ("properties", VOID.properties),
        ("objects", VOID.distinctObjects),
    ):
        g.add((dataset, predicate, Literal(_number(totals, name), datatype=XSD.integer)))
    g.add((dataset, VOID.entities, Literal(_number(entities, "n"), datatype=XSD.integer)))
    g.add((dataset, VOID.classes, Literal(len(classes.rows), datatype=XSD.integer)))
    for row in classes.rows:
        part = URIRef(f"{dataset}/class/{_slug(row['c'])}")
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], row["c"]))
        g.add((part, VOID.entities, Literal(int(row["n"]), datatype=XSD.integer)))
    for row in properties.rows:
        part = URIRef(f"{dataset}/property/{_slug(row['p'])}")
        g.add((dataset, VOID.propertyPartition, part))
        g.add((part, VOID.property, row["p"]))
        g.add((part, VOID.triples, Literal(int(row["n"]), datatype=XSD.integer)))

    graphs = store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g", timeout=TIMEOUT
    )
    for row in graphs.rows:
        subset = row["g"]
        g.add((dataset, VOID.subset, subset))
        g.add((subset, SD.name, subset))
        g.add((subset, VOID.triples, Literal(int(row["n"]), datatype=XSD.integer)))
    linksets = store.query(
        "CONSTRUCT { ?l ?p ?o } WHERE { GRAPH ?g { ?l a <http://rdfs.org/ns/void#Linkset> ; ?p ?o } }",
        timeout=TIMEOUT,
    )
    for linkset in set(linksets.graph.subjects(RDF.type, VOID.Linkset)):
        g.add((dataset, VOID.subset, linkset))
    if linksets.graph is not None:
        for triple in linksets.graph:
            g.add(triple)
    return g


def _slug(iri) -> str:
    import hashlib

    text = str(iri)
    tail = text.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    safe = "".join(c if c.isalnum() else "-" for c in tail)[:40]
    return f"{safe}-{hashlib.sha1(text.encode()).hexdigest()[:6]}"
