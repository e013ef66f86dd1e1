"""Human labels for IRIs, in the reader's language with a fixed fallback order, cached.

Order within one language: skos:prefLabel, rdfs:label, dcterms:title, foaf:name, schema:name.
Order of languages: the reader's, the other of Dutch/English, untagged, any other. Without any label,
a prefixed name (``schema:CreativeWork``) or the IRI's last segment stands in, never the raw IRI.
Labels are fetched in batches (one VALUES query per page) and kept until the store changes or the
cache gets old, so a page costs at most one label query.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from rdflib import Literal
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SDO, SKOS

from ..namespaces import DSIH, PREFIXES
from ..stores.base import Store

CONNECTS = str(DSIH.connects)
LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label, DCTERMS.title, FOAF.name, SDO.name)
_RANK = {str(p): i for i, p in enumerate(LABEL_PROPERTIES)}

#: Labels of the common vocabulary terms the ontology does not label itself: (Dutch, English).
WELL_KNOWN: dict[str, tuple[str, str]] = {
    str(RDF.type): ("soort", "type"),
    str(RDF.first): ("eerste", "first"),
    str(RDF.rest): ("rest", "rest"),
    str(RDFS.label): ("label", "label"),
    str(RDFS.comment): ("toelichting", "comment"),
    str(RDFS.seeAlso): ("zie ook", "see also"),
    str(SKOS.prefLabel): ("voorkeurslabel", "preferred label"),
    str(SKOS.altLabel): ("alternatief label", "alternative label"),
    str(SKOS.inScheme): ("in schema", "in scheme"),
    str(SKOS.topConceptOf): ("topbegrip van", "top concept of"),
    str(SKOS.hasTopConcept): ("heeft topbegrip", "has top concept"),
    str(SKOS.notation): ("notatie", "notation"),
    str(SKOS.scopeNote): ("toepassingsnotitie", "scope note"),
    str(SKOS.definition): ("definitie", "definition"),
    str(SKOS.editorialNote): ("redactionele notitie", "editorial note"),
    str(SKOS.related): ("gerelateerd", "related"),
    str(SKOS.broader): ("breder", "broader"),
    str(SKOS.narrower): ("smaller", "narrower"),
    str(DCTERMS.title): ("titel", "title"),
    str(DCTERMS.description): ("beschrijving", "description"),
    str(DCTERMS.source): ("bron", "source"),
    str(DCTERMS.isPartOf): ("deel van", "part of"),
    str(DCTERMS.hasPart): ("heeft deel", "has part"),
    str(DCTERMS.creator): ("maker", "creator"),
    str(DCTERMS.publisher): ("uitgever", "publisher"),
    str(DCTERMS.issued): ("uitgegeven", "issued"),
    str(DCTERMS.date): ("datum", "date"),
    str(DCTERMS.language): ("taal", "language"),
    str(DCTERMS.subject): ("onderwerp", "subject"),
    str(DCTERMS.relation): ("relatie", "relation"),
    str(DCTERMS.references): ("verwijst naar", "references"),
    str(DCTERMS.isReferencedBy): ("genoemd in", "referenced by"),
    str(DCTERMS.abstract): ("samenvatting", "abstract"),
    str(DCTERMS.type): ("soort", "type"),
    str(DCTERMS.license): ("licentie", "license"),
    str(DCTERMS.created): ("gemaakt", "created"),
    str(DCTERMS.modified): ("gewijzigd", "modified"),
    str(DCTERMS.identifier): ("kenmerk", "identifier"),
    str(FOAF.name): ("naam", "name"),
    str(FOAF.homepage): ("homepage", "homepage"),
    str(SDO.url): ("webadres", "URL"),
    str(SDO.name): ("naam", "name"),
    str(SDO.text): ("tekst", "text"),
    str(SDO.description): ("beschrijving", "description"),
    "http://www.w3.org/ns/prov#wasDerivedFrom": ("afgeleid van", "derived from"),
    "http://www.w3.org/ns/prov#wasAttributedTo": ("toegeschreven aan", "attributed to"),
    "http://www.w3.org/ns/prov#Entity": ("entiteit (PROV)", "entity (PROV)"),
    str(SDO.CreativeWork): ("creatief werk", "creative work"),
    str(SKOS.Concept): ("begrip", "concept"),
    str(SKOS.ConceptScheme): ("begrippenschema", "concept scheme"),
    "http://www.w3.org/2002/07/owl#Class": ("klasse", "class"),
    "http://www.w3.org/2002/07/owl#ObjectProperty": ("objecteigenschap", "object property"),
    "http://www.w3.org/2002/07/owl#DatatypeProperty": ("gegevenseigenschap", "datatype property"),
    "http://www.w3.org/2002/07/owl#Thing": ("ding", "thing"),
    "http://www.w3.org/2000/01/rdf-schema#Resource": ("bron", "resource"),
}


def pick_language(literals: Iterable[Literal], lang: str) -> Literal | None:
    """The literal in ``lang``, else the other of nl/en, else untagged, else any; None if there is none."""
    order = {lang: 0, ("en" if lang == "nl" else "nl"): 1, None: 2}
    best: Literal | None = None
    best_rank = 99
    for literal in literals:
        tag = (literal.language or "").split("-")[0].lower() or None
        rank = order.get(tag, 3)
        if rank < best_rank:
            best, best_rank = literal, rank
    return best


def short_name(iri: str) -> str:
    """A prefixed name for IRIs in a known namespace, else the last path segment; a stand-in label."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)) and len(iri) > len(str(ns)):
            return f"{prefix}:{iri[len(str(ns)) :]}"
    tail = iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return tail.replace("-", " ") or iri


class Labels:
    """Label look-up for one store, cached; thread-safe enough for a threaded WSGI server."""

    def __init__(self, store: Store, max_age: float = 60.0, batch: int = 400, link_prefix: str | None = None) -> None:
        self.store = store
        #: Only IRIs with this prefix can be cross-level links (all when None): the others skip that query.
        self.link_prefix = link_prefix
        self.max_age = max_age
        self.batch = batch
        self._cache: dict[str, dict[str, tuple[int, str]]] = {}
        self._born = time.monotonic()
        self._generation = self._store_generation()
        self._lock = threading.Lock()

    def _store_generation(self) -> object:
        # A store that counts its changes lets the cache live until the next change.
        return getattr(self.store, "generation", None)

    def _fresh(self) -> None:
        generation = self._store_generation()
        if generation != self._generation or time.monotonic() - self._born > self.max_age:
            with self._lock:
                self._cache = {}
                self._born = time.monotonic()
                self._generation = generation

    def prefetch(self, iris: Iterable[str]) -> None:
        """Fetch the labels of every IRI not cached yet, in as few queries as possible."""
        self._fresh()
        missing = sorted({str(i) for i in iris if str(i) not in self._cache and _is_iri(str(i))})
        for start in range(0, len(missing), self.batch):
            chunk = missing[start : start + self.batch]
            found: dict[str, dict[str, tuple[int, str]]] = {iri: {} for iri in chunk}
            values = " ".join(f"<{iri}>" for iri in chunk)
            props = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
            # Anchored on the subjects: a second VALUES for ?p makes Oxigraph scan every label (seconds
            # once a million imported triples are in the store).
            result = self.store.query(
                f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} "
                f"?s ?p ?o FILTER(?p IN ({props}) && isLiteral(?o)) }}"
            )
            for row in result.rows:
                iri, prop, literal = str(row["s"]), str(row["p"]), row["o"]
                tag = (getattr(literal, "language", None) or "").lower()
                rank = _RANK.get(prop, 99)
                current = found[iri].get(tag)
                if current is None or rank < current[0] or (rank == current[0] and str(literal) < current[1]):
                    found[iri][tag] = (rank, str(literal))
            links = [iri for iri in chunk if self.link_prefix is None or iri.startswith(self.link_prefix)]
            if links:
                self._link_labels(" ".join(f"<{iri}>" for iri in links), found)
            self._cache.update(found)

    def _link_labels(self, values: str, found: dict[str, dict[str, tuple[int, str]]]) -> None:
        """Cross-level links are named after the lessons they connect ("A ↔ B", per language)."""
        rows = self.store.query(
            f"SELECT ?s ?lesson ?o WHERE {{ VALUES ?s {{ {values} }} ?s <{CONNECTS}> ?lesson . "
            f"?lesson <{SKOS.prefLabel}> ?o }}"
        ).rows
        ends: dict[str, dict[str, dict[str, str]]] = {}
        for row in rows:
            tag = (getattr(row["o"], "language", None) or "").lower()
            ends.setdefault(str(row["s"]), {}).setdefault(tag, {})[str(row["lesson"])] = str(row["o"])
        for iri, by_tag in ends.items():
            for tag, titles in by_tag.items():
                if len(titles) == 2:
                    ordered = sorted(titles, key=lambda lesson: (_level_rank(lesson), lesson))
                    found[iri][tag] = (-1, " ↔ ".join(titles[lesson] for lesson in ordered))

    def label(self, iri: str, lang: str) -> str:
        """The best label of ``iri`` for a reader of ``lang`` (fetched now if not cached)."""
        iri = str(iri)
        if iri not in self._cache:
            self.prefetch([iri])
        by_tag = self._cache.get(iri) or {}
        if by_tag:
            other = "en" if lang == "nl" else "nl"
            for tag in (lang, other, ""):
                if tag in by_tag:
                    return by_tag[tag][1]
            for key in by_tag:
                if key.split("-")[0] == lang:
                    return by_tag[key][1]
            return by_tag[sorted(by_tag)[0]][1]
        if iri in WELL_KNOWN:
            return WELL_KNOWN[iri][1 if lang == "en" else 0]
        return short_name(iri)

    def has_label(self, iri: str) -> bool:
        iri = str(iri)
        if iri not in self._cache:
            self.prefetch([iri])
        return bool(self._cache.get(iri)) or iri in WELL_KNOWN


def _level_rank(lesson: str) -> int:
    slug = lesson.rsplit("/", 1)[-1]
    return next((i for i, level in enumerate(("micro", "meso", "macro")) if slug.startswith(level + "-")), 9)


def _is_iri(text: str) -> bool:
    # Only well-formed absolute IRIs go into a query; anything with characters that end an IRIREF is skipped.
    return ":" in text and not any(c in text for c in '<>"{}|^`\\ \n\t')
