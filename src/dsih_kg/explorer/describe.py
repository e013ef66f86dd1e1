"""What the graph says about one IRI: its statements out and in, grouped by property, and its RDF twin.

Plain functions over the store interface (no Flask): the resource page, the lesson page and the
Turtle/JSON-LD/N-Triples answers all come from the same :class:`Description`, so the HTML page and its
machine twin give the same content.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import FOAF, RDF
from rdflib.term import Node

from ..licence import add_licence
from ..namespaces import bind_prefixes
from ..stores.base import Store

#: Inbound statements shown (and served) per resource; beyond this the page says how many were left off.
INBOUND_LIMIT = 500


@dataclass
class Value:
    """One object (or, inbound, one subject) of a property, with the named graphs that state it."""

    term: Node
    graphs: set[str] = field(default_factory=set)

    def inferred_only(self, inferred_graph: str) -> bool:
        return bool(self.graphs) and self.graphs <= {inferred_graph}


@dataclass
class Description:
    """Statements about ``iri``: ``outbound[p]`` and ``inbound[p]`` list values in a stable order."""

    iri: str
    outbound: dict[str, list[Value]] = field(default_factory=dict)
    inbound: dict[str, list[Value]] = field(default_factory=dict)
    #: blank node id -> its statements (property, object), for blank nodes the IRI points at
    blank: dict[str, list[tuple[str, Node]]] = field(default_factory=dict)
    inbound_truncated: bool = False

    @property
    def exists(self) -> bool:
        return bool(self.outbound or self.inbound)

    def values(self, prop: str) -> list[Node]:
        return [v.term for v in self.outbound.get(str(prop), [])]

    def first(self, prop: str) -> Node | None:
        values = self.values(prop)
        return values[0] if values else None

    def literals(self, prop: str) -> list[Literal]:
        return [t for t in self.values(prop) if isinstance(t, Literal)]

    def rdf_list(self, head: Node) -> list[Node]:
        """The members of the RDF list that starts at blank node ``head``, in order."""
        items: list[Node] = []
        seen: set[str] = set()
        node: Node | None = head
        while isinstance(node, BNode) and str(node) not in seen:
            seen.add(str(node))
            cell = dict(self.blank.get(str(node), []))
            if str(RDF.first) not in cell:
                break
            items.append(cell[str(RDF.first)])
            node = cell.get(str(RDF.rest))
        return items

    def iris(self) -> set[str]:
        """Every IRI on the page (properties, values, types), for one batched label look-up."""
        found = {self.iri}
        for groups in (self.outbound, self.inbound):
            for prop, values in groups.items():
                found.add(prop)
                found.update(str(v.term) for v in values if isinstance(v.term, URIRef))
        for statements in self.blank.values():
            for prop, term in statements:
                found.add(prop)
                if isinstance(term, URIRef):
                    found.add(str(term))
        return found


def _sort_key(term: Node) -> tuple[int, str]:
    return (0 if isinstance(term, URIRef) else 1, str(term))


def describe(
    store: Store, iri: str, *, inbound: Sequence[str] | None = None, skip_graphs: Sequence[str] = ()
) -> Description:
    """Everything stated about ``iri`` (out, in, and the blank nodes it points at) in three queries.

    ``inbound`` names the only properties read inbound (all of them when None); statements pointing at
    ``iri`` from ``skip_graphs`` are left out (the linkset graphs, shown as linked records instead).
    """
    ref = f"<{iri}>"
    desc = Description(iri)
    out: dict[str, dict[Node, Value]] = defaultdict(dict)
    result = store.query(f"SELECT ?p ?v ?g WHERE {{ {ref} ?p ?v OPTIONAL {{ GRAPH ?g {{ {ref} ?p ?v }} }} }}")
    for row in result.rows:
        value = out[str(row["p"])].setdefault(row["v"], Value(row["v"]))
        if row.get("g") is not None:
            value.graphs.add(str(row["g"]))
    incoming: dict[str, dict[Node, Value]] = defaultdict(dict)
    if inbound is not None:
        # One anchored pattern per property: Oxigraph would join a VALUES ?p with every statement in.
        pattern = " UNION ".join(f"{{ BIND(<{p}> AS ?p) ?v <{p}> {ref} }}" for p in inbound) or "FILTER(false)"
    elif skip_graphs:
        skipped = ", ".join(f"<{g}>" for g in skip_graphs)
        pattern = f"GRAPH ?h {{ ?v ?p {ref} }} FILTER(?h NOT IN ({skipped}))"
    else:
        pattern = f"?v ?p {ref}"
    result = store.query(
        f"SELECT ?p ?v ?g WHERE {{ "
        f"{{ SELECT DISTINCT ?v ?p WHERE {{ {pattern} }} LIMIT {INBOUND_LIMIT + 1} }} "
        f"OPTIONAL {{ GRAPH ?g {{ ?v ?p {ref} }} }} }}"
    )
    pairs = set()
    for row in result.rows:
        pairs.add((row["p"], row["v"]))
        if len(pairs) > INBOUND_LIMIT:
            desc.inbound_truncated = True
            break
        value = incoming[str(row["p"])].setdefault(row["v"], Value(row["v"]))
        if row.get("g") is not None:
            value.graphs.add(str(row["g"]))
    desc.outbound = {p: sorted(vals.values(), key=lambda v: _sort_key(v.term)) for p, vals in sorted(out.items())}
    desc.inbound = {p: sorted(vals.values(), key=lambda v: _sort_key(v.term)) for p, vals in sorted(incoming.items())}
    if any(isinstance(v.term, BNode) for vals in desc.outbound.values() for v in vals):
        # Blank node ids are local to the query worker that answers, so the blank values of the first
        # query are replaced by the ones this query returns together with what they lead to.
        result = store.query(
            f"SELECT ?x ?h ?g ?b ?p ?o WHERE {{ {ref} ?x ?h FILTER(isBlank(?h)) "
            f"OPTIONAL {{ GRAPH ?g {{ {ref} ?x ?h }} }} ?h <{RDF.rest}>* ?b . ?b ?p ?o }}"
        )
        blank_values: dict[str, dict[Node, Value]] = defaultdict(dict)
        for row in result.rows:
            value = blank_values[str(row["x"])].setdefault(row["h"], Value(row["h"]))
            if row.get("g") is not None:
                value.graphs.add(str(row["g"]))
            statements = desc.blank.setdefault(str(row["b"]), [])
            if (str(row["p"]), row["o"]) not in statements:
                statements.append((str(row["p"]), row["o"]))
        for prop in list(desc.outbound):
            kept = [v for v in desc.outbound[prop] if not isinstance(v.term, BNode)]
            kept += sorted(blank_values.get(prop, {}).values(), key=lambda v: _sort_key(v.term))
            if kept:
                desc.outbound[prop] = kept
            else:
                del desc.outbound[prop]
    return desc


def twin_graph(desc: Description, base: str, document: URIRef | None = None) -> Graph:
    """The RDF twin of a page: the same statements as the HTML, as a graph ready to serialise.

    With ``document`` (the data document's own IRI) it also says what the document is about and its licence.
    """
    graph = Graph()
    bind_prefixes(graph, base)
    subject = URIRef(desc.iri)
    if document is not None:
        graph.add((document, FOAF.primaryTopic, subject))
        add_licence(graph, document)
    for prop, values in desc.outbound.items():
        for value in values:
            graph.add((subject, URIRef(prop), value.term))
    for prop, values in desc.inbound.items():
        for value in values:
            graph.add((value.term, URIRef(prop), subject))
    for node, statements in desc.blank.items():
        for prop, term in statements:
            graph.add((BNode(node), URIRef(prop), term))
    return graph
