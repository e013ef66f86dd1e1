"""The page of anything that is not a lesson: what it is, the lessons that use it, then the rest.

Plain functions over the store (no Flask), beside ``lessons.lesson_page``. An instrument, helix actor
type, arena, theme, concept, category, level or organisation page answers first "which lessons, on which
level?" (lessons that name it, or one of its parts, steps or narrower concepts); then its ordered steps
in their ``dsih:order``, its web addresses, the other statements, and last, folded away, the curation
metadata ("about the source": segment, editorial notes, repairs, raw codes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SDO, SKOS

from ..iri import IriScheme
from ..namespaces import DSIH
from ..stores.base import Store
from .crossmap import CrossLink, CrossMap, placed
from .describe import Description, Value, describe
from .labels import pick_language
from .lessons import Catalogue
from .links import Linked, LinkIndex, linked_records

#: Properties by which a lesson uses a thing (their values get "used in lessons").
LESSON_PROPERTIES = (
    DSIH.instrument,
    DSIH.theme,
    DSIH.helixActor,
    DSIH.helixModel,
    DSIH.arena,
    DSIH.concept,
    DSIH.organisation,
    DSIH.person,
    DSIH.initiative,
    DSIH.cites,
    DSIH.level,
    DSIH.category,
)
#: Properties whose values describe a resource, in the order they are tried for the lead paragraph.
DESCRIPTION_PROPERTIES = (
    DSIH.description,
    SKOS.definition,
    DSIH.definition,
    DCTERMS.description,
    DSIH.summary,
    RDFS.comment,
    SKOS.scopeNote,
)
#: Curation metadata: where a statement sits in the extraction, what we repaired, our notes and raw codes.
SOURCE_PROPERTIES = frozenset(
    str(p)
    for p in (
        DSIH.segment,
        SKOS.editorialNote,
        DSIH.repair,
        DSIH.instrumentKind,
        DSIH.organisationKind,
        DSIH.initiativeKind,
        DSIH.mentionedInPublication,
        PROV.wasDerivedFrom,
        DCTERMS.source,
        DSIH.citationAsPrinted,
        DSIH.linkKind,
        DSIH.origin,
        DSIH.sourceRow,
        DSIH.mapping,
        DSIH.synthetic,
    )
)
#: Web addresses outside the graph, shown as links.
WEB_PROPERTIES = (SDO.url, FOAF.homepage, DSIH.citesURL)
#: Shown as the page's title already.
_TITLE_PROPERTIES = frozenset(str(p) for p in (RDFS.label, SKOS.prefLabel))


@dataclass
class Use:
    """A lesson that uses the resource, directly (``via`` empty) or through its parts, steps or narrower terms."""

    lesson: str
    category: str | None
    via: list[str] = field(default_factory=list)
    #: the lesson's own words that support our annotation (dsih:Annotation with dsih:evidence), if any
    evidence: list[Literal] = field(default_factory=list)


@dataclass
class Group:
    """Values of one property; ``ordered`` when they carry ``dsih:order`` and are listed in that order."""

    prop: str
    values: list[Value]
    ordered: bool = False

    @property
    def short_literals(self) -> bool:
        """Several short texts (synonyms, codes): shown on one line rather than one per row."""
        return len(self.values) > 2 and all(isinstance(v.term, Literal) and len(v.term) < 60 for v in self.values)


@dataclass
class ResourcePage:
    iri: str
    desc: Description
    type_: str | None
    types: list[str]
    description: Literal | None
    used_in: list[tuple[str | None, list[Use]]]
    steps: list[Group]
    web: list[str]
    outbound: list[Group]
    inbound: list[Group]
    inferred: list[Group]
    source: list[Group]
    link: CrossLink | None
    links_via: list[CrossLink]
    records: Linked

    @property
    def lesson_count(self) -> int:
        return sum(len(uses) for _level, uses in self.used_in)

    def iris(self) -> set[str]:
        found = self.desc.iris() | set(self.types) | self.records.iris()
        for level, uses in self.used_in:
            found.update(x for x in (level, *(u.lesson for u in uses), *(u.category or "" for u in uses)) if x)
            found.update(v for u in uses for v in u.via)
        for link in [*self.links_via, *([self.link] if self.link else [])]:
            found.update((link.iri, *link.lessons, *link.via))
        return found


def resource_page(
    store: Store,
    iris: IriScheme,
    catalogue: Catalogue,
    links: LinkIndex,
    crossmap: CrossMap,
    iri: str,
    lang: str,
    label: Callable[[str], str],
) -> ResourcePage | None:
    """Everything the page of ``iri`` shows, or None when the graph says nothing about it.

    ``label`` orders properties and values for the reader (labels are the caller's cache).
    """
    desc = describe(store, iri, skip_graphs=links.pointing_at(iri))
    if not desc.exists:
        return None
    parts = iris.split(iri)
    inferred_graph = str(iris.graph("inferred"))
    used_in = lessons_using(store, catalogue, iri)
    shown_lessons = {u.lesson for _level, uses in used_in for u in uses}
    description, lead_prop = _lead(desc, lang)
    orders = _orders(store, desc)
    level_rank = {level: i for i, level in enumerate(catalogue.levels)}
    link = crossmap.by_iri(iri)

    def by_label(prop: str) -> tuple[int, str]:
        return (0 if prop == str(RDF.type) else 1, label(prop).lower())

    def grouped(values: dict[str, list[Value]], keep: Callable[[str, Value], bool]) -> list[Group]:
        result = []
        for prop in sorted(values, key=by_label):
            kept = [v for v in values[prop] if keep(prop, v)]
            if not kept:
                continue
            if all(str(v.term) in orders for v in kept):
                kept.sort(key=lambda v: (orders[str(v.term)], str(v.term)))
                result.append(Group(prop, kept, ordered=True))
            else:
                result.append(Group(prop, kept))
        return result

    def asserted(value: Value) -> bool:
        return not value.inferred_only(inferred_graph)

    web_props = {str(p) for p in WEB_PROPERTIES}
    # the title shows the labels, the kicker the types
    hidden = _TITLE_PROPERTIES | web_props | SOURCE_PROPERTIES | {str(RDF.type)} | ({lead_prop} if lead_prop else set())
    if link is not None:
        hidden |= {str(DSIH.connects), str(DSIH.reason), str(DSIH.via)}
    outbound_all = grouped(desc.outbound, lambda p, v: asserted(v) and p not in hidden)
    steps = [g for g in outbound_all if g.ordered and g.prop != str(RDF.type)]
    outbound = [g for g in outbound_all if not (g.ordered and g.prop != str(RDF.type))]
    shown_out = {str(v.term) for g in outbound_all for v in g.values}
    inbound = grouped(
        desc.inbound,
        lambda p, v: (
            asserted(v)
            and str(v.term) not in shown_lessons
            and str(v.term) not in shown_out
            and not (p in (str(DSIH.connects), str(DSIH.via)) and crossmap.by_iri(str(v.term)) is not None)
        ),
    )
    inferred = grouped(desc.outbound, lambda p, v: not asserted(v)) + grouped(
        desc.inbound, lambda p, v: not asserted(v)
    )
    source = grouped(desc.outbound, lambda p, v: asserted(v) and p in SOURCE_PROPERTIES)
    web = [str(v) for p in WEB_PROPERTIES for v in desc.values(str(p)) if str(v).startswith(("http://", "https://"))]
    types = [str(v.term) for p, vals in desc.outbound.items() if p == str(RDF.type) for v in vals if asserted(v)]
    links_via = [
        placed(x, {lesson.iri: level_rank.get(lesson.level, 9) for lesson in catalogue.lessons})
        for x in crossmap.links
        if iri in x.via
    ]
    return ResourcePage(
        iri=iri,
        desc=desc,
        type_=parts[1] if parts else None,
        types=types,
        description=description,
        used_in=used_in,
        steps=steps,
        web=web,
        outbound=outbound,
        inbound=inbound,
        inferred=inferred,
        source=source,
        link=placed(link, {r.iri: level_rank.get(r.level, 9) for r in catalogue.lessons}) if link else None,
        links_via=links_via,
        records=linked_records(store, links, iri),
    )


def lessons_using(store: Store, catalogue: Catalogue, iri: str) -> list[tuple[str | None, list[Use]]]:
    """Lessons that name ``iri`` (or its parts, steps or narrower concepts), grouped by level in order."""
    ref = f"<{iri}>"
    props = " ".join(f"<{p}>" for p in LESSON_PROPERTIES)
    rows = store.query(
        f"SELECT DISTINCT ?lesson ?via WHERE {{ "
        f"{{ BIND({ref} AS ?via) }} UNION {{ ?via <{DSIH.partOf}> {ref} }} UNION {{ {ref} <{DSIH.step}> ?via }} "
        f"UNION {{ ?via <{SKOS.broader}> {ref} }} "
        f"VALUES ?p {{ {props} }} ?lesson ?p ?via . ?lesson a <{DSIH.Lesson}> }}"
    ).rows
    uses: dict[str, Use] = {}
    direct = {str(row["lesson"]) for row in rows if str(row["via"]) == iri}
    for row in rows:
        lesson, via = str(row["lesson"]), str(row["via"])
        ref_ = catalogue.by_iri(lesson)
        use = uses.setdefault(lesson, Use(lesson, ref_.category if ref_ else None))
        if lesson not in direct and via not in use.via:
            use.via.append(via)
    for lesson, quote in _evidence(store, iri):
        if lesson in uses and quote not in uses[lesson].evidence:
            uses[lesson].evidence.append(quote)
    position = {ref.iri: i for i, ref in enumerate(catalogue.lessons)}
    by_level: dict[str | None, list[Use]] = {}
    for use in sorted(uses.values(), key=lambda u: (position.get(u.lesson, 9999), u.lesson)):
        by_level.setdefault(catalogue.level_of(use.lesson), []).append(use)
    order = {level: i for i, level in enumerate(catalogue.levels)}
    return sorted(by_level.items(), key=lambda item: order.get(item[0] or "", 99))


#: The annotation vocabulary (issue 12); read only where the ontology has it.
_ANNOTATION_TERMS = tuple(getattr(DSIH, name, None) for name in ("annotates", "annotationValue", "evidence"))


def _evidence(store: Store, iri: str) -> list[tuple[str, Literal]]:
    """(lesson, quote) of the annotations that give ``iri`` to a lesson, with the lesson's words as evidence."""
    annotates, value, evidence = _ANNOTATION_TERMS
    if annotates is None or value is None or evidence is None:
        return []
    rows = store.query(
        f"SELECT ?lesson ?quote WHERE {{ ?a <{value}> <{iri}> ; <{annotates}> ?lesson ; <{evidence}> ?quote "
        f"FILTER(isLiteral(?quote)) }} ORDER BY ?lesson ?quote"
    ).rows
    return [(str(row["lesson"]), row["quote"]) for row in rows]


def _lead(desc: Description, lang: str) -> tuple[Literal | None, str | None]:
    """The description shown under the title and its property (hidden from the table unless it has more)."""
    for prop in DESCRIPTION_PROPERTIES:
        literals = desc.literals(str(prop))
        if literals:
            languages = {(lit.language or "").split("-")[0] for lit in literals}
            return pick_language(literals, lang), (str(prop) if len(literals) == len(languages) else None)
    return None, None


def _orders(store: Store, desc: Description) -> dict[str, int]:
    """``dsih:order`` of every IRI the resource points at (steps, phases, arenas), in one query."""
    values = {str(v.term) for vals in desc.outbound.values() for v in vals if isinstance(v.term, URIRef)}
    if not values:
        return {}
    rows = store.query(
        f"SELECT ?x ?o WHERE {{ VALUES ?x {{ {' '.join(f'<{v}>' for v in sorted(values))} }} ?x <{DSIH.order}> ?o }}"
    ).rows
    orders: dict[str, int] = {}
    for row in rows:
        try:
            orders[str(row["x"])] = int(str(row["o"]))
        except ValueError:
            continue
    return orders
