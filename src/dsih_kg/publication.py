"""Turn the curated data into RDF: what the publication says in one named graph, what we add in another.

``publication`` holds the publication's own words (Dutch titles and texts, definitions, the things it
names, positions); ``additions`` holds what this project wrote (English titles, labels and summaries,
cross-level links and their reasons), so that nobody mistakes our text for the publication's. The
``meta`` graph says where each graph comes from.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SDO, SKOS, XSD

from .annotations import describe_annotations, project_agent
from .curated import ANNOTATION_KINDS, Curated
from .iri import IriScheme
from .namespaces import DSIH

GRAPHS = {
    "publication": ("publication", "Uitspraken woordelijk uit de publicatie (titels, teksten, genoemde bronnen)."),
    "additions": (
        "translation",
        "Translations, English labels and summaries, cross-level links and reasons, the topic scheme and the "
        "annotations of the lessons with their evidence, made for this graph (not from the publication).",
    ),
    "ontology": ("ontology", "The DSIH lessons ontology."),
    "inferred": ("inference", "Triples inferred by the OWL-RL reasoner (owlrl) from ontology and data."),
}

#: entities.yaml key -> (IRI type, class, concept scheme slug or None)
ENTITY_TYPES: dict[str, tuple[str, URIRef, str | None]] = {
    "instruments": ("instrument", DSIH.Instrument, None),
    "works": ("work", DSIH.Work, None),
    "people": ("person", DSIH.Person, None),
    "organisations": ("organisation", DSIH.Organisation, None),
    "themes": ("theme", DSIH.MissionTheme, "themes"),
    "helix_models": ("helix-model", DSIH.HelixModel, "helix-models"),
    "helix_actors": ("helix-actor", DSIH.HelixActorType, "helix-actors"),
    "arenas": ("arena", DSIH.TransitionArena, "arenas"),
    "initiatives": ("initiative", DSIH.Initiative, None),
    "concepts": ("concept", DSIH.Concept, "concepts"),
    "phases": ("step", DSIH.Step, None),
    "megatrend_domains": ("concept", DSIH.Concept, "concepts"),
}
INSTRUMENT_CLASSES = {
    "method": DSIH.Method,
    "model": DSIH.Model,
    "tool": DSIH.Tool,
    "service": DSIH.Service,
    "training": DSIH.Training,
    "readiness-scale": DSIH.ReadinessScale,
    "event": DSIH.Event,
}
INITIATIVE_CLASSES = {"programme": DSIH.Programme, "citizen-science": DSIH.CitizenScienceProject}
#: organisation kind -> helix actor type slug
ACTOR_OF_KIND = {
    "government": "overheid",
    "business": "bedrijven",
    "knowledge-institution": "kennisinstellingen",
    "civil-society": "maatschappelijke-partijen",
}
#: lesson field -> property that links a lesson to that kind of entity
LESSON_LINKS = {
    "instruments": DSIH.instrument,
    "works": DSIH.cites,
    "people": DSIH.person,
    "organisations": DSIH.organisation,
    "themes": DSIH.theme,
    "helix_actors": DSIH.helixActor,
    "helix_models": DSIH.helixModel,
    "arenas": DSIH.arena,
    "initiatives": DSIH.initiative,
    "concepts": DSIH.concept,
}
SCHEMES = {
    "levels": ("Niveaus", "Levels"),
    "categories": ("Categorieën", "Categories"),
    "themes": ("Missiethema's", "Mission themes"),
    "arenas": ("Transitiearena's", "Transition arenas"),
    "helix-models": ("Helixmodellen", "Helix models"),
    "helix-actors": ("Helixactoren", "Helix actor types"),
    "principles": ("Principes van de bijenkorfmetafoor", "Bee-metaphor principles"),
    "concepts": ("Begrippen", "Concepts"),
}
#: The topic scheme is ours: its hierarchy and definitions were written for this graph.
TOPIC_SCHEME_DEFINITION = {
    "nl": "De onderwerpen waarover de lessen van de publicatie gaan, tweetalig, met een hiërarchie "
    "(skos:broader) onder enkele topbegrippen; gemaakt voor deze graaf.",
    "en": "The topics the lessons of the publication are about, in Dutch and English, with a hierarchy "
    "(skos:broader) under a few top concepts; made for this graph.",
}


@dataclass
class _Writer:
    """Adds triples to the publication graph (their words) or the additions graph (ours)."""

    iris: IriScheme
    pub: Graph
    ours: Graph
    publication: URIRef
    known: frozenset[tuple[str, str]]

    def nl(self, node: URIRef, prop: URIRef, text: Any) -> None:
        if text:
            self.pub.add((node, prop, Literal(str(text).strip(), lang="nl")))

    def en(self, node: URIRef, prop: URIRef, text: Any) -> None:
        if text:
            self.ours.add((node, prop, Literal(str(text).strip(), lang="en")))

    def labels(self, node: URIRef, item: dict[str, Any]) -> None:
        """rdfs:label and skos:prefLabel in Dutch (publication) and English (ours), altLabels as synonyms."""
        label_nl = item.get("label_nl") or item.get("label") or item.get("title") or item.get("name")
        label_en = item.get("label_en") or item.get("title_en")
        dutch = self.nl if item.get("mentioned_in_publication", True) else self._nl_ours
        for prop in (RDFS.label, SKOS.prefLabel):
            if label_nl:
                dutch(node, prop, label_nl)
            self.en(node, prop, label_en or label_nl)
        for alt, lang in alt_labels(item.get("alt_labels")):
            self.ours.add((node, SKOS.altLabel, Literal(alt, lang=lang)))

    def source(self, node: URIRef, item: dict[str, Any]) -> None:
        mentioned = item.get("mentioned_in_publication", True)
        graph = self.pub if mentioned else self.ours
        graph.add((node, DSIH.mentionedInPublication, Literal(bool(mentioned))))
        if mentioned:
            self.pub.add((node, PROV.wasDerivedFrom, self.publication))
        segment = item.get("source_segment", item.get("segment"))
        if segment is not None:
            graph.add((node, DSIH.segment, Literal(int(segment))))
        for url in item.get("urls") or []:
            graph.add((node, SDO.url, URIRef(url)))
        if item.get("homepage"):
            graph.add((node, FOAF.homepage, URIRef(item["homepage"])))
        for key, prop in (("description_nl", DSIH.description), ("definition_nl", DSIH.definition)):
            if item.get(key):
                (self.nl if mentioned else self._nl_ours)(node, prop, item[key])
        self.en(node, DSIH.description, item.get("description_en"))
        self.en(node, SKOS.editorialNote, item.get("note"))

    def entity(self, slug: str) -> URIRef:
        """The IRI of the entity a slug names, whatever its kind (entities.yaml keys are searched in order)."""
        for key, (type_, _cls, _scheme) in ENTITY_TYPES.items():
            if (key, slug) in self.known:
                return self.iris.id(type_, slug)
        raise KeyError(f"entities.yaml defines no {slug!r}")

    def _nl_ours(self, node: URIRef, prop: URIRef, text: Any) -> None:
        self.ours.add((node, prop, Literal(str(text).strip(), lang="nl")))


def publication_dataset(curated: Curated, iris: IriScheme) -> Dataset:
    """The curated data as a Dataset with the named graphs ``publication``, ``additions`` and ``meta``."""
    ds = Dataset()
    pub = ds.graph(iris.graph("publication"))
    ours = ds.graph(iris.graph("additions"))
    publication = iris.id("publication", "dsih-geleerde-lessen")
    w = _Writer(iris, pub, ours, publication, frozenset(curated.entity_index()))

    _describe_graphs(ds, iris, publication)
    _describe_publication(w, curated, publication)
    _describe_schemes(w)
    _describe_levels_and_categories(w, curated)
    _describe_entities(w, curated)
    _describe_lessons(w, curated)
    _describe_crosslinks(w, curated)
    describe_annotations(curated, iris, ours, ds.graph(iris.graph("meta")))
    return ds


def _describe_graphs(ds: Dataset, iris: IriScheme, publication: URIRef) -> None:
    meta = ds.graph(iris.graph("meta"))
    for name, (origin, description) in GRAPHS.items():
        g = iris.graph(name)
        meta.add((g, RDF.type, SDO.Dataset))
        meta.add((g, DSIH.origin, Literal(origin)))
        meta.add((g, DCTERMS.description, Literal(description, lang="nl" if name == "publication" else "en")))
        if name in ("publication", "additions"):
            meta.add((g, PROV.wasDerivedFrom, publication))
    meta.add((iris.graph("additions"), PROV.wasAttributedTo, Literal("dsih-kg contributors")))
    meta.add((iris.graph("additions"), DCTERMS.type, Literal("translation made for this graph", lang="en")))


def _describe_publication(w: _Writer, curated: Curated, publication: URIRef) -> None:
    item = curated.publication
    w.pub.add((publication, RDF.type, DSIH.Publication))
    w.pub.add((publication, DCTERMS.language, Literal(item.get("language", "nl"))))
    w.nl(publication, DCTERMS.title, item.get("title"))
    w.labels(publication, {"label_nl": item.get("title"), "label_en": item.get("title_en")})
    if item.get("year"):
        w.pub.add((publication, DCTERMS.issued, Literal(str(item["year"]), datatype=XSD.gYear)))
    w.nl(publication, DSIH.description, item.get("introduction"))
    w.en(publication, DSIH.description, item.get("introduction_en"))
    w.en(publication, SKOS.editorialNote, item.get("note"))
    w.nl(publication, DSIH.metaphor, curated.raw_publication.get("metaphor_intro_nl"))
    for slug in item.get("authors") or []:
        w.pub.add((publication, DCTERMS.creator, w.iris.id("organisation", slug)))
    if item.get("publisher"):
        w.pub.add((publication, DCTERMS.publisher, w.iris.id("initiative", item["publisher"])))
    for repair in item.get("repairs") or curated.raw_publication.get("repairs") or []:
        w.ours.add((publication, DSIH.repair, Literal(f"{repair['printed']} → {repair['repaired']}")))
    for principle in curated.principles:
        node = w.iris.id("principle", principle["slug"])
        w.pub.add((publication, DSIH.principle, node))
        w.pub.add((node, RDF.type, DSIH.Principle))
        w.pub.add((node, DSIH.order, Literal(int(principle["order"]))))
        w.pub.add((node, SKOS.inScheme, w.iris.id("scheme", "principles")))
        w.labels(node, principle)
        w.nl(node, DSIH.description, principle.get("text_nl"))
        w.en(node, DSIH.description, principle.get("text_en"))
        w.pub.add((node, PROV.wasDerivedFrom, publication))


def _describe_schemes(w: _Writer) -> None:
    for slug, (label_nl, label_en) in SCHEMES.items():
        node = w.iris.id("scheme", slug)
        w.pub.add((node, RDF.type, SKOS.ConceptScheme))
        w.labels(node, {"label_nl": label_nl, "label_en": label_en})
    topics = w.iris.id("scheme", "concepts")
    for lang, text in TOPIC_SCHEME_DEFINITION.items():
        w.ours.add((topics, SKOS.definition, Literal(text, lang=lang)))
        w.ours.add((topics, DCTERMS.creator, project_agent(w.iris)))


def _describe_levels_and_categories(w: _Writer, curated: Curated) -> None:
    for scheme, type_, cls, items in (
        ("levels", "level", DSIH.Level, curated.levels),
        ("categories", "category", DSIH.Category, curated.categories),
    ):
        scheme_node = w.iris.id("scheme", scheme)
        for item in items:
            node = w.iris.id(type_, item["slug"])
            w.pub.add((node, RDF.type, cls))
            w.pub.add((node, SKOS.inScheme, scheme_node))
            w.pub.add((node, SKOS.topConceptOf, scheme_node))
            w.pub.add((node, SKOS.notation, Literal(item["slug"])))
            w.pub.add((node, DSIH.order, Literal(int(item["order"]))))
            w.pub.add((node, PROV.wasDerivedFrom, w.publication))
            w.labels(node, item)
            w.nl(node, DSIH.description, item.get("description_nl"))
            w.nl(node, SKOS.scopeNote, item.get("short_description_nl") or item.get("scope_note_nl"))
            w.nl(node, DSIH.metaphor, item.get("metaphor_nl"))
            w.en(node, DSIH.description, item.get("description_en"))
            if item.get("first_page"):
                w.pub.add((node, DSIH.firstPage, Literal(int(item["first_page"]))))


def _describe_entities(w: _Writer, curated: Curated) -> None:
    iris = w.iris
    for key, items in curated.entities.items():
        type_, cls, scheme = ENTITY_TYPES[key]
        for item in items:
            node = iris.id(type_, item["slug"])
            graph = w.pub if item.get("mentioned_in_publication", True) else w.ours
            graph.add((node, RDF.type, cls))
            if scheme:
                graph.add((node, SKOS.inScheme, iris.id("scheme", scheme)))
            w.labels(node, item)
            w.source(node, item)
            getattr(_Entity, key)(w, graph, node, item)


class _Entity:
    """What each kind of entity adds beyond labels and source (one function per entities.yaml key)."""

    @staticmethod
    def instruments(w: _Writer, g: Graph, node: URIRef, item: dict[str, Any]) -> None:
        kind = item.get("kind")
        if kind in INSTRUMENT_CLASSES:
            g.add((node, RDF.type, INSTRUMENT_CLASSES[kind]))
            g.add((node, DSIH.instrumentKind, Literal(kind)))
        if item.get("part_of"):
            g.add((node, DSIH.partOf, w.iris.id("instrument", item["part_of"])))
        for slug in item.get("scales") or []:
            g.add((node, DSIH.hasPart, w.iris.id("instrument", slug)))
        for slug in item.get("arenas") or []:
            g.add((node, DSIH.arena, w.iris.id("arena", slug)))
        for key, prop in (("variant_of", SKOS.related), ("see_also", RDFS.seeAlso)):
            for slug in _as_list(item.get(key)):
                w.ours.add((node, prop, w.entity(slug)))
        for slug in _as_list(item.get("data_from")):
            g.add((node, PROV.used, w.iris.id("initiative", slug)))
        for purpose in item.get("purposes_nl") or []:
            w.nl(node, SKOS.scopeNote, purpose)
        for slug in item.get("works") or []:
            g.add((node, DSIH.describedIn, w.iris.id("work", slug)))
        _creators(w, g, node, item.get("creators") or [])

    @staticmethod
    def works(w: _Writer, g: Graph, node: URIRef, item: dict[str, Any]) -> None:
        if item.get("title"):
            g.add((node, DCTERMS.title, Literal(item["title"])))
        if item.get("year"):
            g.add((node, DCTERMS.date, Literal(str(item["year"]), datatype=XSD.gYear)))
        for slug in item.get("authors") or []:
            g.add((node, DCTERMS.creator, w.iris.id("person", slug)))
        if item.get("publisher"):
            g.add((node, DCTERMS.publisher, w.iris.id("organisation", item["publisher"])))
        if item.get("citation_as_printed"):
            g.add((node, DSIH.citationAsPrinted, Literal(item["citation_as_printed"], lang="nl")))

    @staticmethod
    def people(w: _Writer, g: Graph, node: URIRef, item: dict[str, Any]) -> None:
        if item.get("name"):
            g.add((node, FOAF.name, Literal(item["name"])))

    @staticmethod
    def organisations(w: _Writer, g: Graph, node: URIRef, item: dict[str, Any]) -> None:
        if item.get("partner"):
            g.add((node, RDF.type, DSIH.PartnerOrganisation))
            g.add((node, DSIH.partnerIn, w.iris.id("initiative", "dsih")))
        for slug in _as_list(item.get("part_of")):
            g.add((node, DSIH.partOf, w.iris.id("organisation", slug)))
        if item.get("kind"):
            w.ours.add((node, DSIH.organisationKind, Literal(item["kind"])))
            if item["kind"] in ACTOR_OF_KIND:
                w.ours.add((node, DSIH.actorType, w.iris.id("helix-actor", ACTOR_OF_KIND[item["kind"]])))

    @staticmethod
    def themes(w: _Writer, g: Graph, node: URIRef, item: dict[str, Any]) -> None:
        if item.get("eu_mission"):
            w.ours.add((node, DSIH.euMission, Literal(item["eu_mission"], lang="en")))

    @staticmethod
    def helix_models(w: _Writer, g: Graph, node: URIRef, item: dict[str, Any]) -> None:
        for slug in item.get("includes") or []:
            g.add((node, DSIH.includesActor, w.iris.id("helix-actor", slug)))
        if item.get("extends"):
            g.add((node, DSIH.extendsModel, w.iris.id("helix-model", item["extends"])))

    @staticmethod
    def helix_actors(w: _Writer, g: Graph, node: URIRef, item: dict[str, Any]) -> None:
        pass

    @staticmethod
    def arenas(w: _Writer, g: Graph, node: URIRef, item: dict[str, Any]) -> None:
        if item.get("order") is not None:
            g.add((node, DSIH.order, Literal(int(item["order"]))))

    @staticmethod
    def initiatives(w: _Writer, g: Graph, node: URIRef, item: dict[str, Any]) -> None:
        for key, prop in (("start_year", SDO.startDate), ("end_year", SDO.endDate)):
            if item.get(key):
                g.add((node, prop, Literal(str(item[key]), datatype=XSD.gYear)))
        if item.get("publisher"):
            g.add((node, DCTERMS.publisher, w.entity(item["publisher"])))
        for slug in item.get("members") or []:
            g.add((w.iris.id("organisation", slug), DSIH.partnerIn, node))
        kind = item.get("kind")
        if kind:
            w.ours.add((node, DSIH.initiativeKind, Literal(kind)))
            if kind in INITIATIVE_CLASSES:
                g.add((node, RDF.type, INITIATIVE_CLASSES[kind]))

    @staticmethod
    def concepts(w: _Writer, g: Graph, node: URIRef, item: dict[str, Any]) -> None:
        """A topic of the scheme: its place in the hierarchy and our definition (both ours)."""
        w.nl(node, SKOS.scopeNote, item.get("scope_note_nl"))
        scheme = w.iris.id("scheme", "concepts")
        if item.get("top"):
            w.ours.add((node, SKOS.topConceptOf, scheme))
            w.ours.add((scheme, SKOS.hasTopConcept, node))
        if item.get("broader"):
            w.ours.add((node, SKOS.broader, w.iris.id("concept", item["broader"])))
        _our_definition(w, node, item)

    @staticmethod
    def phases(w: _Writer, g: Graph, node: URIRef, item: dict[str, Any]) -> None:
        """A phase or step of an instrument (Theory U's phases, transition management's steps)."""
        instrument = w.iris.id("instrument", item["part_of"])
        g.add((node, DSIH.partOf, instrument))
        g.add((instrument, DSIH.step, node))
        g.add((node, DSIH.order, Literal(int(item["order"]))))

    @staticmethod
    def megatrend_domains(w: _Writer, g: Graph, node: URIRef, item: dict[str, Any]) -> None:
        if item.get("domain_of"):
            g.add((node, SKOS.broader, w.iris.id("concept", item["domain_of"])))
        if item.get("order") is not None:
            g.add((node, DSIH.order, Literal(int(item["order"]))))
        _our_definition(w, node, item)


def _our_definition(w: _Writer, node: URIRef, item: dict[str, Any]) -> None:
    """skos:definition we wrote (``our_definition: {nl:, en:}``); the publication's own stays dsih:definition."""
    for lang, text in (item.get("our_definition") or {}).items():
        w.ours.add((node, SKOS.definition, Literal(" ".join(str(text).split()), lang=lang)))


def alt_labels(value: Any) -> list[tuple[str, str | None]]:
    """(label, language) pairs from ``alt_labels``: a mapping ``{nl: [...], en: [...]}`` tags each label
    with its language; the older flat list gives untagged labels (kept until every kind is converted)."""
    if isinstance(value, dict):
        return [(str(alt).strip(), lang) for lang, alts in value.items() for alt in alts or []]
    return [(str(alt).strip(), None) for alt in value or []]


def _as_list(value: Any) -> list[Any]:
    return [] if value is None else list(value) if isinstance(value, list) else [value]


def _creators(w: _Writer, g: Graph, node: URIRef, slugs: list[str]) -> None:
    for slug in slugs:
        g.add((node, DSIH.creator, w.entity(slug)))


def _describe_lessons(w: _Writer, curated: Curated) -> None:
    iris = w.iris
    by_cell: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for lesson in curated.lessons:
        by_cell[(lesson["level"], lesson["category"])].append(lesson)
    for lesson in curated.lessons:
        node = iris.id("lesson", lesson["slug"])
        pub = w.pub
        pub.add((node, RDF.type, DSIH.Lesson))
        pub.add((node, DSIH.level, iris.id("level", lesson["level"])))
        pub.add((node, DSIH.category, iris.id("category", lesson["category"])))
        pub.add((node, DSIH.order, Literal(int(lesson["order"]))))
        pub.add((node, PROV.wasDerivedFrom, w.publication))
        pub.add((node, DCTERMS.source, w.publication))
        pub.add((node, DCTERMS.isPartOf, w.publication))
        if lesson.get("segment") is not None:
            pub.add((node, DSIH.segment, Literal(int(lesson["segment"]))))
        if lesson.get("page") is not None:
            pub.add((node, DSIH.page, Literal(int(lesson["page"]))))
        w.nl(node, DCTERMS.title, lesson["title"])
        w.en(node, DCTERMS.title, lesson.get("title_en"))
        w.labels(node, lesson)
        w.en(node, DSIH.summary, lesson.get("summary_en"))
        if lesson.get("text"):
            w.nl(node, DSIH.text, lesson["text"])
        else:
            pub.add((node, DSIH.noTextInPublication, Literal(True)))
            w.en(node, DSIH.noTextReason, lesson.get("no_text_reason"))
        bullets = [Literal(b.strip(), lang="nl") for b in lesson.get("bullets") or []]
        if bullets:
            pub.add((node, DSIH.recommendations, _stable_list(pub, bullets, lesson["slug"], "recommendations")))
            for bullet in bullets:
                pub.add((node, DSIH.recommendation, bullet))
        for repair in lesson.get("repairs") or []:
            w.ours.add((node, DSIH.repair, Literal(f"{repair['printed']} → {repair['repaired']}")))
        for url in lesson.get("urls") or []:
            pub.add((node, DSIH.citesURL, URIRef(url)))
        for field_name, prop in LESSON_LINKS.items():
            if field_name in ANNOTATION_KINDS:
                continue  # ours, with evidence: written by annotations.py into the additions graph
            type_ = ENTITY_TYPES[field_name][0]
            for slug in lesson.get(field_name) or []:
                pub.add((node, prop, iris.id(type_, slug)))
    for cell in by_cell.values():
        ordered = sorted(cell, key=lambda lesson: lesson["order"])
        for before, after in zip(ordered, ordered[1:], strict=False):
            w.ours.add((iris.id("lesson", after["slug"]), DSIH.previousLesson, iris.id("lesson", before["slug"])))


def _describe_crosslinks(w: _Writer, curated: Curated) -> None:
    for link in curated.crosslinks:
        a, b = link["lessons"]
        node = w.iris.id("link", f"{a}--{b}")
        ours = w.ours
        ours.add((node, RDF.type, DSIH.CrossLevelLink))
        ours.add((node, DSIH.connects, w.iris.id("lesson", a)))
        ours.add((node, DSIH.connects, w.iris.id("lesson", b)))
        ours.add((w.iris.id("lesson", a), DSIH.relatedAcrossLevels, w.iris.id("lesson", b)))
        if link.get("kind"):
            ours.add((node, DSIH.linkKind, Literal(link["kind"])))
        w.en(node, DSIH.reason, link.get("reason_en"))
        if link.get("reason_nl"):
            ours.add((node, DSIH.reason, Literal(link["reason_nl"].strip(), lang="nl")))
        ours.add((node, RDFS.label, Literal(f"{a} ↔ {b}")))
        for slug in link.get("via") or []:
            ours.add((node, DSIH.via, w.entity(slug)))


def _stable_list(graph: Graph, items: list[Literal], *parts: str) -> BNode:
    """Add an rdf:List whose blank nodes have the same ids on every build, so output diffs cleanly."""
    ids = ("b" + hashlib.sha1("/".join((*parts, str(i))).encode()).hexdigest()[:16] for i in range(len(items)))
    cells = [BNode(cell_id) for cell_id in ids]
    for cell, item, rest in zip(cells, items, [*cells[1:], RDF.nil], strict=True):
        graph.add((cell, RDF.first, item))
        graph.add((cell, RDF.rest, rest))
    return cells[0]
