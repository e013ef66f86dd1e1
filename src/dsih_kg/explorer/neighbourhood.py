"""The neighbourhood of one resource as nodes and edges, for the graph view (and its no-JS list).

Only asserted statements count (the inferred graph repeats them under other names); among the
neighbours, cross-level links are drawn too, so an instrument's view shows how the lessons that use it
connect across levels. The order of lessons (previous/next) ties every lesson of a level to the next and
turns a level's picture into a hairball, so it is left out unless asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib.namespace import DCTERMS, FOAF, RDF, SDO, SKOS

from ..iri import IriScheme
from ..namespaces import DSIH
from ..stores.base import Store
from .search import GROUP_ORDER

#: Properties left out of the picture: bookkeeping, or links every node shares.
SKIP = (
    RDF.type,
    DCTERMS.source,
    DCTERMS.isPartOf,
    SKOS.inScheme,
    SKOS.topConceptOf,
    "http://www.w3.org/ns/prov#wasDerivedFrom",
    DSIH.recommendations,
    DSIH.noAnnotationFor,  # "no theme named" points at a property, not at a thing to show
    DSIH.annotates,  # the annotation resources: their evidence is on the lesson page
)
#: Values that are web pages, not resources of the graph.
_EXTERNAL = frozenset({str(DSIH.citesURL), str(SDO.url), str(FOAF.homepage)})
#: Drawn between neighbours as well as from the centre.
BETWEEN = (DSIH.relatedAcrossLevels,)
#: The order of lessons: drawn only on request.
ORDER = (DSIH.previousLesson, DSIH.nextLesson)
#: Left out when they point at the centre (the link resources that connect a lesson).
_HIDDEN_INBOUND = frozenset({str(DSIH.connects), str(DSIH.via)})
MAX_NODES = 80


@dataclass
class Node:
    iri: str
    types: list[str] = field(default_factory=list)
    level: str | None = None

    @property
    def group(self) -> str:
        rank = {str(t): i for i, t in enumerate(GROUP_ORDER)}
        ranked = sorted(self.types, key=lambda t: (rank.get(t, 99), t))
        return ranked[0] if ranked else ""


@dataclass
class Edge:
    source: str
    target: str
    prop: str


@dataclass
class Neighbourhood:
    center: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    truncated: bool = False

    def iris(self) -> set[str]:
        return set(self.nodes) | {e.prop for e in self.edges} | {t for n in self.nodes.values() for t in n.types}


def neighbourhood(store: Store, iris: IriScheme, iri: str, with_order: bool = False) -> Neighbourhood:
    """Nodes one step from ``iri`` (either direction) and the edges among them, capped at MAX_NODES."""
    inferred = iris.graph("inferred")
    skip = ", ".join(f"<{p}>" for p in (*SKIP, *(() if with_order else ORDER)))
    ref = f"<{iri}>"
    rows = store.query(
        f"SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ "
        f"{{ BIND({ref} AS ?s) {ref} ?p ?o FILTER(isIRI(?o)) }} "
        f"UNION {{ BIND({ref} AS ?o) ?s ?p {ref} FILTER(isIRI(?s)) }} }} "
        f"FILTER(?g != <{inferred}> && ?p NOT IN ({skip})) }} ORDER BY ?p ?s ?o LIMIT 1000"
    ).rows
    hood = Neighbourhood(iri)
    hood.nodes[iri] = Node(iri)
    seen: set[tuple[str, str, str]] = set()
    for row in rows:
        s, p, o = str(row["s"]), str(row["p"]), str(row["o"])
        if p in _EXTERNAL or (p in _HIDDEN_INBOUND and o == iri):
            continue  # a lesson's link resources: the relatedAcrossLevels edge already draws them
        other = o if s == iri else s
        if other not in hood.nodes:
            if len(hood.nodes) >= MAX_NODES:
                hood.truncated = True
                continue
            hood.nodes[other] = Node(other)
        if (s, p, o) not in seen:
            seen.add((s, p, o))
            hood.edges.append(Edge(s, o, p))
    values = " ".join(f"<{n}>" for n in hood.nodes)
    between = " ".join(f"<{p}>" for p in BETWEEN)
    rows = store.query(
        f"SELECT DISTINCT ?a ?p ?b WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} "
        f"VALUES ?p {{ {between} }} GRAPH ?g {{ ?a ?p ?b }} FILTER(?g != <{inferred}>) }}"
    ).rows
    for row in rows:
        key = (str(row["a"]), str(row["p"]), str(row["b"]))
        if key not in seen:
            seen.add(key)
            hood.edges.append(Edge(key[0], key[2], key[1]))
    rows = store.query(
        f"SELECT DISTINCT ?n ?t ?level WHERE {{ VALUES ?n {{ {values} }} "
        f"{{ ?n <{RDF.type}> ?t }} UNION {{ ?n <{DSIH.level}> ?level }} }}"
    ).rows
    for row in rows:
        node = hood.nodes[str(row["n"])]
        if row.get("t") is not None:
            node.types.append(str(row["t"]))
        if row.get("level") is not None:
            node.level = str(row["level"])
    return hood
