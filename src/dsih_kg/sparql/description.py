"""The SPARQL 1.1 Service Description of the endpoint (answered to a GET without a query).

It lists no ``sd:DereferencesURIs`` feature and says so in words: a dataset IRI (FROM, FROM NAMED,
default-graph-uri, named-graph-uri) only picks graphs of this store, and one it does not hold is empty.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, VOID, XSD

from ..namespaces import FORMATS, SD

NO_DEREFERENCE = (
    "This service does not dereference dataset IRIs: FROM, FROM NAMED, default-graph-uri and "
    "named-graph-uri pick graphs of this store, and a graph it does not hold is empty. SERVICE calls go "
    "only to the endpoints on its federation allow-list."
)
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)


def service_description(endpoint_url: str, graphs: dict[str, int], void_url: str | None = None) -> Graph:
    """The description of the endpoint at ``endpoint_url``: languages, formats, features, dataset."""
    g = Graph(bind_namespaces="none")
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", FORMATS)
    service = URIRef(endpoint_url)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS:
        g.add((service, SD.resultFormat, FORMATS[name]))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add((service, SD.feature, SD.BasicFederatedQuery))  # only to allow-listed endpoints
    g.add((service, RDFS.comment, Literal(NO_DEREFERENCE, lang="en")))  # and no sd:DereferencesURIs
    dataset = BNode("dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default")
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(sum(graphs.values()), datatype=XSD.integer)))
    if void_url:
        g.add((service, URIRef("http://rdfs.org/ns/void#inDataset"), URIRef(void_url)))
    for name, size in sorted(graphs.items()):
        named = BNode()
        graph = BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
        g.add((named, SD.graph, graph))
        g.add((graph, RDF.type, SD.Graph))
        g.add((graph, VOID.triples, Literal(size, datatype=XSD.integer)))
    return g
