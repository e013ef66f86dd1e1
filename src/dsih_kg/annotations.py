"""Our annotations of the lessons (data/annotations.yaml) as RDF in the ``additions`` graph.

Each annotation says that a lesson involves a helix actor type, concerns a transition arena or mission
theme, or is about a topic of the concept scheme, and carries the lesson's own words as evidence. It is
written twice on purpose: as the direct triple (``?lesson dsih:concept ?topic``), the simple way to query,
and as a ``dsih:Annotation`` resource holding the evidence and saying that the claim is ours. A kind the
text gives no ground for is recorded as ``?lesson dsih:noAnnotationFor dsih:theme``, so that "none" reads
differently from "not looked at". The ``meta`` graph describes the set.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO, SKOS

from .curated import ANNOTATION_KINDS, NONE, Curated
from .iri import IriScheme
from .namespaces import DSIH

#: annotation kind (data/annotations.yaml key) -> (property of the direct triple, IRI type of the value)
KIND_PROPERTIES: dict[str, tuple[URIRef, str]] = {
    "helix_actors": (DSIH.helixActor, "helix-actor"),
    "arenas": (DSIH.arena, "arena"),
    "themes": (DSIH.theme, "theme"),
    "concepts": (DSIH.concept, "concept"),
}

OURS_NOTE_EN = (
    "Annotation made for this graph by the dsih-kg project, not a statement of the publication; "
    "the evidence is the lesson's own words."
)
OURS_NOTE_NL = (
    "Annotatie gemaakt voor deze graaf door het project dsih-kg, geen uitspraak van de publicatie; "
    "het bewijs zijn de eigen woorden van de les."
)


def project_agent(iris: IriScheme) -> URIRef:
    """The agent our additions are attributed to: this project."""
    return iris.id("agent", "dsih-kg")


def annotation_iri(iris: IriScheme, lesson: str, kind: str, value: str) -> URIRef:
    return iris.id("annotation", f"{lesson}--{KIND_PROPERTIES[kind][1]}--{value}")


def describe_annotations(curated: Curated, iris: IriScheme, ours: Graph, meta: Graph) -> None:
    """Write every annotation, every recorded "none", the project agent and the set's description."""
    agent = project_agent(iris)
    labels = _labels(curated)
    for lesson in curated.lessons:
        entry = curated.annotations.get(lesson["slug"])
        if entry is None:
            continue
        node = iris.id("lesson", lesson["slug"])
        for kind, (prop, type_) in KIND_PROPERTIES.items():
            if entry[kind] == NONE:
                ours.add((node, DSIH.noAnnotationFor, prop))
                continue
            for item in entry[kind]:
                value = iris.id(type_, item["value"])
                ours.add((node, prop, value))
                _annotation(ours, annotation_iri(iris, lesson["slug"], kind, item["value"]), node, prop, value,
                            item, agent, _label_pair(lesson, labels.get((kind, item["value"]), {})))
    _describe_agent(ours, agent)
    _describe_set(meta, iris, agent)


def _annotation(g: Graph, a: URIRef, lesson: URIRef, prop: URIRef, value: URIRef, item: dict[str, Any],
                agent: URIRef, label: tuple[str, str]) -> None:
    g.add((a, RDF.type, DSIH.Annotation))
    g.add((a, DSIH.annotates, lesson))
    g.add((a, DSIH.annotationProperty, prop))
    g.add((a, DSIH.annotationValue, value))
    g.add((a, DSIH.evidence, Literal(str(item["quote"]), lang="nl")))
    g.add((a, PROV.wasDerivedFrom, lesson))
    g.add((a, PROV.wasAttributedTo, agent))
    g.add((a, DCTERMS.creator, agent))
    g.add((a, RDFS.label, Literal(label[0], lang="nl")))
    g.add((a, RDFS.label, Literal(label[1], lang="en")))
    g.add((a, SKOS.editorialNote, Literal(OURS_NOTE_EN, lang="en")))
    if item.get("note"):
        g.add((a, SKOS.note, Literal(str(item["note"]).strip(), lang="en")))


def _labels(curated: Curated) -> dict[tuple[str, str], dict[str, Any]]:
    return {(kind, item["slug"]): item for kind in ANNOTATION_KINDS for item in curated.entities[kind]}


def _label_pair(lesson: dict[str, Any], value: dict[str, Any]) -> tuple[str, str]:
    nl = value.get("label_nl") or value.get("slug", "")
    en = value.get("label_en") or nl
    return f"{lesson['title']} → {nl}", f"{lesson.get('title_en') or lesson['title']} → {en}"


def _describe_agent(g: Graph, agent: URIRef) -> None:
    g.add((agent, RDF.type, PROV.Agent))
    g.add((agent, RDFS.label, Literal("dsih-kg (het project van deze kennisgraaf)", lang="nl")))
    g.add((agent, RDFS.label, Literal("dsih-kg (the project of this knowledge graph)", lang="en")))
    g.add((agent, SKOS.editorialNote, Literal(
        "The people who curate this graph; what is attributed to this agent is ours, not the publication's.",
        lang="en")))


def _describe_set(meta: Graph, iris: IriScheme, agent: URIRef) -> None:
    """In ``meta``: what the annotations are, where they live and whose they are."""
    node = iris.id("dataset", "lesson-annotations")
    additions = iris.graph("additions")
    meta.add((additions, DCTERMS.hasPart, node))
    meta.add((node, RDF.type, SDO.Dataset))
    meta.add((node, DCTERMS.isPartOf, additions))
    meta.add((node, DSIH.origin, Literal("annotation")))
    meta.add((node, PROV.wasAttributedTo, agent))
    meta.add((node, DCTERMS.creator, agent))
    meta.add((node, DCTERMS.title, Literal("Annotaties van de lessen", lang="nl")))
    meta.add((node, DCTERMS.title, Literal("Annotations of the lessons", lang="en")))
    meta.add((node, DCTERMS.description, Literal(
        "For every lesson with text: the helix actor types that take part in it, the transition arenas and "
        "mission themes it concerns, and the topics of the concept scheme it is about. Each is a dsih:Annotation "
        "with the lesson's own words as dsih:evidence, and also the direct triple (dsih:helixActor, dsih:arena, "
        "dsih:theme, dsih:concept); dsih:noAnnotationFor records that the text gives no ground for a kind. "
        "Made by reading each lesson, not by the publication and not by a program. " + OURS_NOTE_EN, lang="en")))
    meta.add((node, DCTERMS.description, Literal(
        "Voor elke les met tekst: de typen helixactoren die eraan deelnemen, de transitiearena's en "
        "missiethema's die ze betreft en de onderwerpen uit het begrippenschema. Elke annotatie is een "
        "dsih:Annotation met de eigen woorden van de les als dsih:evidence, en ook de directe triple; "
        "dsih:noAnnotationFor legt vast dat de tekst voor een soort geen grond geeft. " + OURS_NOTE_NL, lang="nl")))
