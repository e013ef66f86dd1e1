"""Ontology terms as code, so that a typo fails loudly, and the prefixes bound everywhere.

The DSIH class is generated from ontology/dsih.ttl (tests/test_ontology.py checks they agree).
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, VOID, XSD, DefinedNamespace


class DSIH(DefinedNamespace):
    """The DSIH lessons ontology."""

    _NS = Namespace("https://w3id.org/dsih-kg/def/dsih/")
    _fail = True

    # classes
    Category: URIRef
    CitizenScienceProject: URIRef
    Concept: URIRef
    CrossLevelLink: URIRef
    Event: URIRef
    HelixActorType: URIRef
    HelixModel: URIRef
    Initiative: URIRef
    Instrument: URIRef
    Lesson: URIRef
    Level: URIRef
    Method: URIRef
    MissionTheme: URIRef
    Model: URIRef
    Organisation: URIRef
    PartnerOrganisation: URIRef
    Person: URIRef
    Principle: URIRef
    Programme: URIRef
    Publication: URIRef
    ReadinessScale: URIRef
    Service: URIRef
    Step: URIRef
    Tool: URIRef
    Training: URIRef
    TransitionArena: URIRef
    Work: URIRef
    # properties
    actorInModel: URIRef
    actorType: URIRef
    arena: URIRef
    category: URIRef
    citationAsPrinted: URIRef
    cites: URIRef
    citesURL: URIRef
    concept: URIRef
    connects: URIRef
    creator: URIRef
    crossLevelLink: URIRef
    definition: URIRef
    describedIn: URIRef
    description: URIRef
    euMission: URIRef
    extendsModel: URIRef
    firstPage: URIRef
    hasPart: URIRef
    hasPartner: URIRef
    helixActor: URIRef
    helixModel: URIRef
    includesActor: URIRef
    initiative: URIRef
    initiativeKind: URIRef
    instrument: URIRef
    instrumentKind: URIRef
    lessonInCategory: URIRef
    lessonOfLevel: URIRef
    level: URIRef
    linkKind: URIRef
    mentionedIn: URIRef
    mentionedInPublication: URIRef
    mentions: URIRef
    metaphor: URIRef
    nextLesson: URIRef
    noTextInPublication: URIRef
    noTextReason: URIRef
    order: URIRef
    organisation: URIRef
    organisationKind: URIRef
    origin: URIRef
    page: URIRef
    partOf: URIRef
    partnerIn: URIRef
    person: URIRef
    previousLesson: URIRef
    principle: URIRef
    reason: URIRef
    recommendation: URIRef
    recommendations: URIRef
    relatedAcrossLevels: URIRef
    relatedLesson: URIRef
    repair: URIRef
    segment: URIRef
    step: URIRef
    stepOf: URIRef
    summary: URIRef
    text: URIRef
    theme: URIRef
    via: URIRef
    # linked records (importers/, linking/; ontology block "Linked records")
    ImportedRecord: URIRef
    ProposedLink: URIRef
    crl: URIRef
    declaredHelixActor: URIRef
    declaredMission: URIRef
    linkSource: URIRef
    linkStatus: URIRef
    linkTarget: URIRef
    mapping: URIRef
    matchedField: URIRef
    matchedWords: URIRef
    rule: URIRef
    score: URIRef
    sourceRow: URIRef
    srl: URIRef
    synthetic: URIRef
    threshold: URIRef
    trl: URIRef
    # annotations of the lessons (annotations.py; ontology block "annotations of the lessons")
    Annotation: URIRef
    annotates: URIRef
    annotationProperty: URIRef
    annotationValue: URIRef
    evidence: URIRef
    noAnnotationFor: URIRef


#: Prefixes bound in every graph we serialise and preloaded in the query editor.
PREFIXES: dict[str, Namespace] = {
    "dsih": Namespace(str(DSIH._NS)),
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "org": ORG,
    "foaf": FOAF,
    "schema": SDO,
    "dcat": DCAT,
    "void": VOID,
}


def bind_prefixes(graph, base: str) -> None:
    """Bind our prefixes, and the instance prefixes under the configured base, on a graph."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    for type_ in ("lesson", "level", "category", "instrument", "organisation", "concept"):
        graph.bind(type_, Namespace(f"{base}/id/{type_}/"), override=True)
