"""Linked external records: what the ``linkset-*`` graphs say points at a resource, cheaply at any size.

An import of 100 000 records links ~1 500 of them to a popular lesson; asking the store for them on
every page visit (a join over the linkset graphs) costs tens to hundreds of milliseconds. So the
explorer reads, once per store generation, a :class:`LinkIndex`: which IRIs each linkset graph points
at, how many records point at each, and the best-scored link resources (``dsih:ProposedLink`` with
``dsih:score``) per target, ``SHOWN`` of them. A page then costs nothing when nothing points at its IRI
and one small query (``VALUES`` over those links) when something does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ..iri import IriScheme
from ..namespaces import DSIH
from ..stores.base import Store

LINK_SOURCE, LINK_TARGET = str(DSIH.linkSource), str(DSIH.linkTarget)
LINK_STATUS, LINK_SCORE = str(DSIH.linkStatus), str(DSIH.score)
#: Records shown per resource, best score first; the panel says how many there are in all.
SHOWN = 12
_SEPARATOR = "\u001f"


@dataclass
class Record:
    """A resource in a linkset graph that points at the page's IRI, with its own statements there."""

    iri: str
    graph: str
    statements: list[tuple[str, Node]]
    score: float | None = None


@dataclass
class Linked:
    """The records that point at one IRI: the best ``SHOWN`` and how many there are in all."""

    records: list[Record] = field(default_factory=list)
    total: int = 0

    def __bool__(self) -> bool:
        return bool(self.records)

    def __iter__(self):
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def iris(self) -> set[str]:
        """The IRIs the panel shows, for one batched label look-up."""
        found: set[str] = set()
        for record in self.records:
            found.update((record.iri, record.graph))
            found.update(p for p, _ in record.statements)
            found.update(str(o) for _, o in record.statements if isinstance(o, URIRef))
        return found


@dataclass
class Targets:
    """One linkset graph: per target, how many resources point at it and its best link resources."""

    graph: str
    #: target -> number of distinct resources with a statement pointing at it (links and records)
    pointed: dict[str, int] = field(default_factory=dict)
    #: target -> [(score, link)] of its link resources that are not rejected, best first, at most SHOWN
    best: dict[str, list[tuple[float, str]]] = field(default_factory=dict)
    #: target -> number of its link resources that are not rejected
    links: dict[str, int] = field(default_factory=dict)


@dataclass
class LinkIndex:
    graphs: list[Targets] = field(default_factory=list)

    def pointing_at(self, iri: str) -> list[str]:
        """The linkset graphs with statements that point at ``iri``."""
        return [t.graph for t in self.graphs if iri in t.pointed]


def linkset_graphs(store: Store, iris: IriScheme) -> list[str]:
    """The names of the ``linkset-*`` graphs, sorted (one cheap query; cache it per generation)."""
    return sorted(g for g in store.graph_names() if (iris.graph_kind(g) or ("",))[0] == "linkset")


def read_link_index(store: Store, iris: IriScheme) -> LinkIndex:
    """Two aggregate queries per linkset graph; the store does the counting, Python parses a few strings."""
    index = LinkIndex()
    for graph in linkset_graphs(store, iris):
        targets = Targets(graph)
        rows = store.query(
            f"SELECT ?t (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?x ?p ?t }} "
            f"FILTER(isIRI(?t) && ?p != <{LINK_SOURCE}> && ?p != <{RDF.type}>) }} GROUP BY ?t"
        ).rows
        for row in rows:
            targets.pointed[str(row["t"])] = int(row["n"])
        rejected = {
            str(row["link"])
            for row in store.query(
                f"SELECT ?link WHERE {{ GRAPH <{graph}> {{ ?link <{LINK_STATUS}> ?status }} "
                f'FILTER(LCASE(STR(?status)) = "rejected") }}'
            ).rows
        }
        rows = store.query(
            f'SELECT ?t (GROUP_CONCAT(CONCAT(COALESCE(STR(?score), ""), " ", STR(?link)); '
            f'separator="{_SEPARATOR}") AS ?links) '
            f"WHERE {{ GRAPH <{graph}> {{ ?link <{LINK_TARGET}> ?t OPTIONAL {{ ?link <{LINK_SCORE}> ?score }} }} "
            f"FILTER(isIRI(?t)) }} GROUP BY ?t"
        ).rows
        for row in rows:
            scored = []
            for item in str(row["links"]).split(_SEPARATOR):
                score, _, link = item.partition(" ")
                if link and link not in rejected:
                    scored.append((_float(score), link))
            scored.sort(key=lambda pair: (-pair[0], pair[1]))
            target = str(row["t"])
            targets.best[target] = scored[:SHOWN]
            targets.links[target] = len(scored)
        index.graphs.append(targets)
    return index


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def linked_records(store: Store, index: LinkIndex, iri: str) -> Linked:
    """Records in the linkset graphs that point at ``iri``, best score first, with their statements.

    A link resource that names its source record (``dsih:linkSource``) stands for that record; links with
    the status "rejected" are left out. A linkset graph without link resources for ``iri`` (plain
    ``record dcterms:relation iri`` statements) shows ``SHOWN`` of its records in IRI order. No query at
    all when nothing points at ``iri``.
    """
    linked = Linked()
    pairs: list[tuple[str, str]] = []
    plain: list[str] = []
    for targets in index.graphs:
        if iri not in targets.pointed:
            continue
        if iri in targets.links:
            linked.total += targets.links[iri]
            pairs.extend((targets.graph, link) for _score, link in targets.best[iri])
        else:
            linked.total += targets.pointed[iri]
            plain.append(targets.graph)
    if not pairs and not plain:
        return linked
    parts = []
    if pairs:
        values = " ".join(f"(<{g}> <{link}>)" for g, link in pairs)
        parts.append(f"{{ VALUES (?g ?link) {{ {values} }} GRAPH ?g {{ ?link ?p ?o }} }}")
    for graph in plain:
        parts.append(
            f"{{ {{ SELECT DISTINCT ?link WHERE {{ GRAPH <{graph}> {{ ?link ?lp <{iri}> }} }} "
            f"ORDER BY ?link LIMIT {SHOWN} }} BIND(<{graph}> AS ?g) GRAPH <{graph}> {{ ?link ?p ?o }} }}"
        )
    rows = store.query(f"SELECT ?g ?link ?p ?o WHERE {{ {' UNION '.join(parts)} }}").rows
    by_link: dict[tuple[str, str], list[tuple[str, Node]]] = {}
    for row in rows:
        statements = by_link.setdefault((str(row["g"]), str(row["link"])), [])
        if (str(row["p"]), row["o"]) not in statements:
            statements.append((str(row["p"]), row["o"]))
    records: dict[str, Record] = {}
    for (graph, link), statements in by_link.items():
        values = dict(statements)
        if str(values.get(LINK_STATUS, "")).lower() == "rejected":
            continue
        source = values.get(LINK_SOURCE)
        record_iri = str(source) if isinstance(source, URIRef) else link
        shown = [(p, o) for p, o in statements if str(o) != iri and p not in (LINK_SOURCE, LINK_TARGET)]
        score = values.get(LINK_SCORE)
        current = records.get(record_iri)
        if current is None or len(shown) > len(current.statements):
            records[record_iri] = Record(record_iri, graph, shown, _float(str(score)) if score else None)
    linked.records = sorted(records.values(), key=lambda r: (-(r.score or 0.0), r.graph, r.iri))[:SHOWN]
    linked.total = max(linked.total, len(linked.records))
    return linked
