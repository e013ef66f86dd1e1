"""Facets over the lessons: what each lesson is about, and which lessons a choice of values leaves.

Plain functions over the store (no Flask). Per lesson we read, once per store generation, the values of
the faceted properties (level, category, instrument, helix actor type, arena, theme, concept), the levels
it is linked to across levels, and a one-line summary per language. Filtering is the usual faceted
search: values of one facet are alternatives (OR), facets narrow each other (AND), and each value's count
says how many lessons the list would hold if that value were added to the choice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rdflib import Literal
from rdflib.namespace import DCTERMS

from ..namespaces import DSIH
from ..stores.base import Store
from .labels import pick_language

#: (URL parameter, property of the lesson, IRI type of its values, interface string key), in display order.
FACETS: tuple[tuple[str, str, str, str], ...] = (
    ("level", str(DSIH.level), "level", "facet_level"),
    ("category", str(DSIH.category), "category", "facet_category"),
    ("linked", "", "level", "facet_linked"),
    ("instrument", str(DSIH.instrument), "instrument", "facet_instrument"),
    ("actor", str(DSIH.helixActor), "helix-actor", "facet_actor"),
    ("arena", str(DSIH.arena), "arena", "facet_arena"),
    ("theme", str(DSIH.theme), "theme", "facet_theme"),
    ("concept", str(DSIH.concept), "concept", "facet_concept"),
)
FACET_NAMES = tuple(name for name, *_ in FACETS)
_SENTENCE = re.compile(r"^(.+?[.!?:])(?:\s|$)", re.S)


@dataclass
class LessonFacets:
    """lesson IRI -> facet name -> the IRIs of its values; lesson IRI -> language -> one-line summary."""

    values: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    summaries: dict[str, dict[str, str]] = field(default_factory=dict)

    def of(self, lesson: str, facet: str) -> set[str]:
        return self.values.get(lesson, {}).get(facet, set())

    def summary(self, lesson: str, lang: str) -> str | None:
        by_lang = self.summaries.get(lesson, {})
        return by_lang.get(lang) or by_lang.get("nl" if lang == "en" else "en")


def read_facets(store: Store) -> LessonFacets:
    """Three queries: the faceted values, the levels linked across, the texts the summaries come from."""
    facets = LessonFacets()
    props = {prop: name for name, prop, *_ in FACETS if prop}
    values = " ".join(f"<{p}>" for p in props)
    rows = store.query(
        f"SELECT DISTINCT ?lesson ?p ?x WHERE {{ VALUES ?p {{ {values} }} ?lesson a <{DSIH.Lesson}> ; ?p ?x "
        f"FILTER(isIRI(?x)) }}"
    ).rows
    for row in rows:
        lesson = facets.values.setdefault(str(row["lesson"]), {})
        lesson.setdefault(props[str(row["p"])], set()).add(str(row["x"]))
    rows = store.query(
        f"SELECT DISTINCT ?lesson ?level WHERE {{ ?link a <{DSIH.CrossLevelLink}> ; <{DSIH.connects}> ?lesson, ?other "
        f"FILTER(?other != ?lesson) ?other <{DSIH.level}> ?level }}"
    ).rows
    for row in rows:
        facets.values.setdefault(str(row["lesson"]), {}).setdefault("linked", set()).add(str(row["level"]))
    rows = store.query(
        f"SELECT ?lesson ?p ?text WHERE {{ VALUES ?p {{ <{DSIH.summary}> <{DSIH.text}> <{DCTERMS.description}> }} "
        f"?lesson a <{DSIH.Lesson}> ; ?p ?text FILTER(isLiteral(?text)) }}"
    ).rows
    texts: dict[str, dict[str, list[Literal]]] = {}
    for row in rows:
        texts.setdefault(str(row["lesson"]), {}).setdefault(str(row["p"]), []).append(row["text"])
    for lesson, by_prop in texts.items():
        summaries = by_prop.get(str(DSIH.summary), [])
        english = [s for s in summaries if (s.language or "").startswith("en")]
        dutch_text = pick_language(by_prop.get(str(DSIH.text), []), "nl")
        dutch_summary = [s for s in summaries if (s.language or "").startswith("nl")]
        line = {}
        if english:
            line["en"] = str(english[0])
        if dutch_text is not None and (dutch_text.language or "nl").startswith("nl"):
            line["nl"] = first_sentence(str(dutch_text))
        elif dutch_summary:
            line["nl"] = str(dutch_summary[0])
        facets.summaries[lesson] = line
    return facets


def first_sentence(text: str, limit: int = 240) -> str:
    """The first sentence of a text (up to its first '.', '!', '?' or ':'), cut at a word near ``limit``."""
    flat = " ".join(text.replace("•", " ").split())
    match = _SENTENCE.match(flat)
    sentence = match.group(1) if match else flat
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + " …"
    return sentence


@dataclass
class FacetValue:
    iri: str
    count: int
    chosen: bool


@dataclass
class Filtered:
    """The lessons left by a choice, and per facet its values with counts (chosen values always listed)."""

    lessons: list[str]
    chosen: dict[str, list[str]]
    facets: list[tuple[str, list[FacetValue]]]


def filter_lessons(
    lessons: Sequence[tuple[str, str, str]], facets: LessonFacets, chosen: Mapping[str, Sequence[str]]
) -> Filtered:
    """Apply ``chosen`` (facet -> value IRIs) to ``lessons`` [(iri, level, category)] in their order."""

    def values_of(lesson: tuple[str, str, str], facet: str) -> set[str]:
        if facet == "level":
            return {lesson[1]}
        if facet == "category":
            return {lesson[2]}
        return facets.of(lesson[0], facet)

    def matches(lesson: tuple[str, str, str], skip: str | None = None) -> bool:
        return all(
            not wanted or bool(values_of(lesson, facet) & set(wanted))
            for facet, wanted in chosen.items()
            if facet != skip
        )

    result = [lesson[0] for lesson in lessons if matches(lesson)]
    listed: list[tuple[str, list[FacetValue]]] = []
    for name in FACET_NAMES:
        pool = [lesson for lesson in lessons if matches(lesson, skip=name)]
        counts: dict[str, int] = {}
        order: list[str] = []
        for lesson in pool:
            for value in values_of(lesson, name):
                if value not in counts:
                    order.append(value)
                counts[value] = counts.get(value, 0) + 1
        for value in chosen.get(name, []):
            if value not in counts:
                order.append(value)
                counts[value] = 0
        wanted = set(chosen.get(name, []))
        listed.append((name, [FacetValue(v, counts[v], v in wanted) for v in order]))
    return Filtered(result, {k: list(v) for k, v in chosen.items() if v}, listed)
