"""One index page per kind of thing (instruments, themes, helix actor types, …), each entry with its lessons.

Plain functions over the store (no Flask). An entry says how many lessons use it on each level, so the
index already answers "where is this used?" before a click.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import SKOS

from ..namespaces import DSIH
from ..stores.base import Store
from .lessons import Catalogue
from .resources import LESSON_PROPERTIES

#: URL path -> (class of its entries, interface string key of its title, of its help line).
INDEXES: dict[str, tuple[URIRef, str, str]] = {
    "instruments": (DSIH.Instrument, "instruments", "index_help_instruments"),
    "helix-actors": (DSIH.HelixActorType, "helix_actors", "index_help_helix_actors"),
    "arenas": (DSIH.TransitionArena, "arenas", "index_help_arenas"),
    "themes": (DSIH.MissionTheme, "themes", "index_help_themes"),
    "concepts": (DSIH.Concept, "concepts", "index_help_concepts"),
    "organisations": (DSIH.Organisation, "organisations", "index_help_organisations"),
    "categories": (DSIH.Category, "categories", "index_help_categories"),
}


@dataclass
class Entry:
    iri: str
    #: level IRI -> number of lessons on that level that use the entry
    per_level: dict[str, int] = field(default_factory=dict)
    broader: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.per_level.values())


def read_index(store: Store, catalogue: Catalogue, cls: URIRef) -> list[Entry]:
    """Every resource of class ``cls`` with its lesson counts per level and (for concepts) its broader ones."""
    props = " ".join(f"<{p}>" for p in LESSON_PROPERTIES)
    rows = store.query(
        f"SELECT DISTINCT ?x ?lesson ?broader WHERE {{ ?x a <{cls}> "
        f"OPTIONAL {{ VALUES ?p {{ {props} }} ?lesson ?p ?x . ?lesson a <{DSIH.Lesson}> }} "
        f"OPTIONAL {{ ?x <{SKOS.broader}> ?broader }} }}"
    ).rows
    entries: dict[str, Entry] = {}
    seen: set[tuple[str, str]] = set()
    for row in rows:
        entry = entries.setdefault(str(row["x"]), Entry(str(row["x"])))
        lesson = row.get("lesson")
        if lesson is not None and (entry.iri, str(lesson)) not in seen:
            seen.add((entry.iri, str(lesson)))
            level = catalogue.level_of(str(lesson))
            if level:
                entry.per_level[level] = entry.per_level.get(level, 0) + 1
        broader = row.get("broader")
        if broader is not None and str(broader) not in entry.broader:
            entry.broader.append(str(broader))
    return list(entries.values())
