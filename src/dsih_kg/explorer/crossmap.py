"""The map of links across levels: every ``dsih:CrossLevelLink`` with its two lessons, kind and reasons.

Plain functions over the store (no Flask), read once per store generation (one query). The map page
lays the lessons out in three columns (micro | meso | macro) and draws these links between them; its
plain list is the same data, so the picture and the list can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rdflib import Literal

from ..namespaces import DSIH
from ..stores.base import Store
from .labels import pick_language


@dataclass
class CrossLink:
    """One curated link: its IRI, its two lessons (lower level first once placed), kind, reasons and via."""

    iri: str
    lessons: tuple[str, str]
    kind: str | None
    reasons: list[Literal] = field(default_factory=list)
    via: list[str] = field(default_factory=list)

    def reason(self, lang: str) -> Literal | None:
        return pick_language(self.reasons, lang)


@dataclass
class CrossMap:
    links: list[CrossLink] = field(default_factory=list)

    def kinds(self) -> list[str]:
        return sorted({link.kind for link in self.links if link.kind})

    def by_iri(self, iri: str) -> CrossLink | None:
        return next((link for link in self.links if link.iri == iri), None)


def read_crossmap(store: Store) -> CrossMap:
    rows = store.query(
        f"SELECT ?link ?lesson ?kind ?reason ?via WHERE {{ ?link a <{DSIH.CrossLevelLink}> ; "
        f"<{DSIH.connects}> ?lesson OPTIONAL {{ ?link <{DSIH.linkKind}> ?kind }} "
        f"OPTIONAL {{ ?link <{DSIH.reason}> ?reason }} OPTIONAL {{ ?link <{DSIH.via}> ?via }} }}"
    ).rows
    found: dict[str, dict] = {}
    for row in rows:
        item = found.setdefault(str(row["link"]), {"lessons": [], "kind": None, "reasons": [], "via": []})
        lesson = str(row["lesson"])
        if lesson not in item["lessons"]:
            item["lessons"].append(lesson)
        if row.get("kind") is not None:
            item["kind"] = str(row["kind"])
        if isinstance(row.get("reason"), Literal) and row["reason"] not in item["reasons"]:
            item["reasons"].append(row["reason"])
        if row.get("via") is not None and str(row["via"]) not in item["via"]:
            item["via"].append(str(row["via"]))
    links = [
        CrossLink(iri, (item["lessons"][0], item["lessons"][1]), item["kind"], item["reasons"], sorted(item["via"]))
        for iri, item in sorted(found.items())
        if len(item["lessons"]) == 2
    ]
    return CrossMap(links)


def placed(link: CrossLink, level_of: dict[str, int]) -> CrossLink:
    """The same link with its lower-level lesson first (micro before meso before macro)."""
    a, b = link.lessons
    if level_of.get(a, 9) > level_of.get(b, 9):
        a, b = b, a
    return CrossLink(link.iri, (a, b), link.kind, link.reasons, link.via)


def choose_links(
    links: Sequence[CrossLink], category_of: dict[str, str], categories: Sequence[str], kinds: Sequence[str]
) -> list[CrossLink]:
    """Links with an end in one of ``categories`` (any when empty) and of one of ``kinds`` (any when empty)."""
    return [
        link
        for link in links
        if (not categories or any(category_of.get(lesson) in categories for lesson in link.lessons))
        and (not kinds or link.kind in kinds)
    ]
