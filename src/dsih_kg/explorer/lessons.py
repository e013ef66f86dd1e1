"""The domain side of the explorer: the catalogue of lessons, the home grid and the lesson page.

Plain functions over the store interface. The catalogue (62 lessons, 3 levels, 6 categories, partners,
themes) is small and read on most pages, so it is computed once per store generation and cached; a
lesson page then costs describe() (its statements, the previous and next lesson pointing at it, its
recommendation list), one query for its cross-level links and, when records are linked to it, one for
the best of them (links.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS
from rdflib.term import Node

from ..namespaces import DSIH
from ..stores.base import Store
from .describe import Description, describe
from .labels import pick_language
from .links import Linked, LinkIndex, linked_records

#: Lesson properties shown as groups of links on the lesson page, with their interface string keys.
#: The inbound statements the lesson page reads (the previous and next lesson of its cell).
INBOUND = (DSIH.nextLesson, DSIH.previousLesson)
LINK_GROUPS = (
    ("instruments", DSIH.instrument),
    ("readiness_scales", DSIH.readinessScale),
    ("themes", DSIH.theme),
    ("helix_actors", DSIH.helixActor),
    ("helix_models", DSIH.helixModel),
    ("arenas", DSIH.arena),
    ("works", DSIH.cites),
    ("organisations", DSIH.organisation),
    ("people", DSIH.person),
    ("initiatives", DSIH.initiative),
    ("concepts", DSIH.concept),
)


@dataclass(frozen=True)
class LessonRef:
    iri: str
    level: str
    category: str
    order: int


@dataclass
class Catalogue:
    """Levels, categories and lessons in the publication's order; partners and themes for the home page."""

    levels: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    lessons: list[LessonRef] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    publication: str | None = None
    #: dsih:description literals of the publication, the levels and the categories (front door, about page)
    descriptions: dict[str, list[Literal]] = field(default_factory=dict)

    def cell(self, level: str, category: str) -> list[LessonRef]:
        return [ref for ref in self.lessons if ref.level == level and ref.category == category]

    def by_iri(self, iri: str) -> LessonRef | None:
        for ref in self.lessons:
            if ref.iri == iri:
                return ref
        return None

    def level_of(self, iri: str) -> str | None:
        ref = self.by_iri(iri)
        return ref.level if ref else None

    def iris(self) -> set[str]:
        return {*self.levels, *self.categories, *(r.iri for r in self.lessons), *self.partners, *self.themes}


def read_catalogue(store: Store) -> Catalogue:
    """The catalogue in five small queries (cached by the caller)."""
    cat = Catalogue()
    rows = store.query(
        f"SELECT DISTINCT ?x ?kind ?order WHERE {{ VALUES ?kind {{ <{DSIH.Level}> <{DSIH.Category}> }} "
        f"?x a ?kind OPTIONAL {{ ?x <{DSIH.order}> ?order }} }}"
    ).rows
    for row in sorted(rows, key=lambda r: (_int(r.get("order")), str(r["x"]))):
        (cat.levels if row["kind"] == DSIH.Level else cat.categories).append(str(row["x"]))
    rows = store.query(
        f"SELECT DISTINCT ?lesson ?level ?category ?order WHERE {{ ?lesson a <{DSIH.Lesson}> ; "
        f"<{DSIH.level}> ?level ; <{DSIH.category}> ?category OPTIONAL {{ ?lesson <{DSIH.order}> ?order }} }}"
    ).rows
    level_rank = {iri: i for i, iri in enumerate(cat.levels)}
    cat_rank = {iri: i for i, iri in enumerate(cat.categories)}
    refs = [LessonRef(str(r["lesson"]), str(r["level"]), str(r["category"]), _int(r.get("order"))) for r in rows]
    cat.lessons = sorted(
        refs, key=lambda r: (level_rank.get(r.level, 99), cat_rank.get(r.category, 99), r.order, r.iri)
    )
    rows = store.query(
        f"SELECT DISTINCT ?x ?kind WHERE {{ "
        f"VALUES ?kind {{ <{DSIH.PartnerOrganisation}> <{DSIH.MissionTheme}> "
        f"<{DSIH.Publication}> }} ?x a ?kind }} ORDER BY ?x"
    ).rows
    for row in rows:
        if row["kind"] == DSIH.PartnerOrganisation:
            cat.partners.append(str(row["x"]))
        elif row["kind"] == DSIH.MissionTheme:
            cat.themes.append(str(row["x"]))
        elif cat.publication is None:
            cat.publication = str(row["x"])
    described = [*cat.levels, *cat.categories, *([cat.publication] if cat.publication else [])]
    if described:
        values = " ".join(f"<{iri}>" for iri in described)
        for row in store.query(
            f"SELECT ?x ?d WHERE {{ VALUES ?x {{ {values} }} ?x <{DSIH.description}> ?d FILTER(isLiteral(?d)) }}"
        ).rows:
            cat.descriptions.setdefault(str(row["x"]), []).append(row["d"])
    return cat


def _int(term: Node | None) -> int:
    try:
        return int(str(term))
    except (TypeError, ValueError):
        return 9999


# ---------------------------------------------------------------- text


@dataclass
class Block:
    """A paragraph (``items`` empty) or a bulleted list (``items`` of (text, sub-items))."""

    text: str = ""
    items: list[tuple[str, list[str]]] = field(default_factory=list)


_BULLET = re.compile(r"^\s*[•●▪*]\s*")
_SUB = re.compile(r"^\s*[–—-]\s+")


def text_blocks(text: str) -> list[Block]:
    """Split a lesson text into paragraphs and bulleted lists ('•' items, '–' sub-items), as printed."""
    blocks: list[Block] = []
    for para in re.split(r"\n\s*\n", text.strip()):
        current: Block | None = None
        for raw in para.splitlines():
            line = raw.strip()
            if not line:
                continue
            if _BULLET.match(line):
                if current is None or not current.items:
                    current = Block()
                    blocks.append(current)
                current.items.append((_BULLET.sub("", line), []))
            elif _SUB.match(line) and current is not None and current.items:
                current.items[-1][1].append(_SUB.sub("", line))
            elif _SUB.match(line):
                current = Block(items=[(_SUB.sub("", line), [])])
                blocks.append(current)
            elif current is not None and current.items:
                # a line that follows a bullet continues it; one that follows its sub-items opens a paragraph
                if current.items[-1][1]:
                    current = Block(text=line)
                    blocks.append(current)
                else:
                    text_, subs = current.items[-1]
                    current.items[-1] = (f"{text_} {line}", subs)
            elif current is not None and not current.items:
                current.text = f"{current.text} {line}"
            else:
                current = Block(text=line)
                blocks.append(current)
    return blocks


def bullet_parts(bullet: str) -> tuple[str, list[str]]:
    """A recommendation with sub-items ('…om:\\n– a;\\n– b') as (head, [a, b])."""
    lines = [line.strip() for line in bullet.splitlines() if line.strip()]
    head = [line for line in lines if not _SUB.match(line)]
    subs = [_SUB.sub("", line) for line in lines if _SUB.match(line)]
    return " ".join(head), subs


# ---------------------------------------------------------------- lesson page


@dataclass
class Across:
    """A related lesson on another level, and why (in the reader's language when we have it)."""

    lesson: str
    level: str | None
    category: str | None
    reason: Literal | None
    link: str | None
    kind: str | None = None


@dataclass
class LessonPage:
    iri: str
    desc: Description
    ref: LessonRef | None
    count: int
    title: Literal | None
    title_other: Literal | None
    summary: Literal | None
    text: list[Block]
    recommendations: list[tuple[str, list[str]]]
    no_text: bool
    no_text_reason: Literal | None
    groups: list[tuple[str, list[str]]]
    urls: list[str]
    across: list[Across]
    previous: str | None
    next: str | None
    records: Linked
    page: int | None

    def iris(self) -> set[str]:
        found = self.desc.iris()
        for a in self.across:
            found.update(x for x in (a.lesson, a.level, a.category) if x)
        return found | self.records.iris()


def lesson_page(store: Store, catalogue: Catalogue, links: LinkIndex, iri: str, lang: str) -> LessonPage | None:
    """Everything the lesson page shows; None when ``iri`` is not a lesson.

    Of the statements that point at the lesson only the order of lessons is read (the linkset graphs may
    point at it thousands of times; those records come from ``links``, best first and bounded).
    """
    desc = describe(store, iri, inbound=INBOUND)
    if URIRef(DSIH.Lesson) not in desc.values(str(RDF.type)):
        return None
    ref = catalogue.by_iri(iri)
    count = len(catalogue.cell(ref.level, ref.category)) if ref else 0
    titles = desc.literals(str(DCTERMS.title)) or desc.literals(str(SKOS.prefLabel))
    title = pick_language(titles, lang)
    title_other = pick_language([t for t in titles if t != title], "nl" if lang == "en" else "en")
    text = pick_language(desc.literals(str(DSIH.text)), "nl")
    heads = [t for t in desc.values(str(DSIH.recommendations))]
    recommendations = [bullet_parts(str(item)) for item in desc.rdf_list(heads[0])] if heads else []
    if not recommendations:
        recommendations = [bullet_parts(str(b)) for b in desc.literals(str(DSIH.recommendation))]
    groups = []
    for key, prop in LINK_GROUPS:
        members = [str(t) for t in desc.values(str(prop)) if isinstance(t, URIRef)]
        if members:
            groups.append((key, members))
    previous = _lesson_value(desc, DSIH.previousLesson) or _inbound_lesson(desc, DSIH.nextLesson)
    following = _lesson_value(desc, DSIH.nextLesson) or _inbound_lesson(desc, DSIH.previousLesson)
    if ref and (previous is None or following is None):
        cell = catalogue.cell(ref.level, ref.category)
        position = next((i for i, r in enumerate(cell) if r.iri == iri), None)
        if position is not None:
            previous = previous or (cell[position - 1].iri if position > 0 else None)
            following = following or (cell[position + 1].iri if position + 1 < len(cell) else None)
    page = desc.first(str(DSIH.page))
    return LessonPage(
        iri=iri,
        desc=desc,
        ref=ref,
        count=count,
        title=title,
        title_other=title_other if title_other is not None and str(title_other) != str(title) else None,
        summary=pick_language(desc.literals(str(DSIH.summary)), lang),
        text=text_blocks(str(text)) if text is not None else [],
        recommendations=recommendations,
        no_text=text is None,
        no_text_reason=pick_language(desc.literals(str(DSIH.noTextReason)), lang),
        groups=groups,
        urls=[str(u) for u in desc.values(str(DSIH.citesURL)) if str(u).startswith(("http://", "https://"))],
        across=cross_level(store, catalogue, iri, lang),
        previous=previous,
        next=following,
        records=linked_records(store, links, iri),
        page=_int(page) if page is not None else None,
    )


def _lesson_value(desc: Description, prop: URIRef) -> str | None:
    value = desc.first(str(prop))
    return str(value) if isinstance(value, URIRef) else None


def _inbound_lesson(desc: Description, prop: URIRef) -> str | None:
    values = desc.inbound.get(str(prop)) or []
    return str(values[0].term) if values else None


def cross_level(store: Store, catalogue: Catalogue, iri: str, lang: str) -> list[Across]:
    """Lessons on other levels linked to ``iri`` (either direction), each with its reason."""
    ref = f"<{iri}>"
    rows = store.query(
        f"SELECT DISTINCT ?other ?link ?reason ?kind WHERE {{ "
        f"{{ {ref} <{DSIH.relatedAcrossLevels}> ?other }} "
        f"UNION {{ ?other <{DSIH.relatedAcrossLevels}> {ref} }} "
        f"UNION {{ ?l <{DSIH.connects}> {ref}, ?other FILTER(?other != {ref}) }} "
        f"OPTIONAL {{ ?link <{DSIH.connects}> {ref}, ?other FILTER(?other != {ref}) "
        f"OPTIONAL {{ ?link <{DSIH.reason}> ?reason }} OPTIONAL {{ ?link <{DSIH.linkKind}> ?kind }} }} }}"
    ).rows
    by_other: dict[str, tuple[str | None, list[Literal]]] = {}
    kinds: dict[str, str] = {}
    for row in rows:
        other = str(row["other"])
        link, reasons = by_other.get(other, (None, []))
        if row.get("link") is not None:
            link = str(row["link"])
        if isinstance(row.get("reason"), Literal) and row["reason"] not in reasons:
            reasons.append(row["reason"])
        if row.get("kind") is not None:
            kinds[other] = str(row["kind"])
        by_other[other] = (link, reasons)
    level_rank = {level: i for i, level in enumerate(catalogue.levels)}
    result = []
    for other, (link, reasons) in by_other.items():
        other_ref = catalogue.by_iri(other)
        result.append(
            Across(
                lesson=other,
                level=other_ref.level if other_ref else None,
                category=other_ref.category if other_ref else None,
                reason=pick_language(reasons, lang),
                link=link,
                kind=kinds.get(other),
            )
        )
    return sorted(result, key=lambda a: (level_rank.get(a.level or "", 99), a.lesson))
