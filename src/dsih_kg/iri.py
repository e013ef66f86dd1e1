"""The URI strategy: things under {base}/id/{type}/{slug}, their pages under {base}/doc/{type}/{slug},
vocabularies under {base}/def/ (Dutch "URI-strategie Linked Open Data", NEN 3610).

Nothing else in the package builds IRIs of ours.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rdflib import URIRef

from .config import DEFAULT_BASE_IRI

#: The vocabulary keeps its canonical IRI whatever base the instance data uses.
ONTOLOGY_IRI = f"{DEFAULT_BASE_IRI}/def/dsih"
VOCAB_NS = f"{DEFAULT_BASE_IRI}/def/dsih/"

TYPES = (
    "lesson", "level", "category", "instrument", "step", "work", "person", "organisation", "theme",
    "helix-model", "helix-actor", "arena", "initiative", "concept", "principle", "link", "scheme",
    "publication", "graph", "record", "linkset", "dataset", "annotation", "agent",
)

_SLUG = re.compile(r"^[a-z0-9]+(?:--?[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by '-' ("Ideeën pitchen" -> "ideeen-pitchen")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass(frozen=True)
class IriScheme:
    """Mints and parses IRIs under one base."""

    base: str = DEFAULT_BASE_IRI

    def __post_init__(self) -> None:
        object.__setattr__(self, "base", self.base.rstrip("/"))

    def id(self, type_: str, slug: str) -> URIRef:
        if type_ not in TYPES:
            raise ValueError(f"Unknown IRI type {type_!r}; known: {', '.join(TYPES)}.")
        if not _SLUG.match(slug):
            raise ValueError(f"Slug {slug!r} is not lowercase ASCII words joined by '-'.")
        return URIRef(f"{self.base}/id/{type_}/{slug}")

    def doc(self, type_: str, slug: str) -> URIRef:
        return URIRef(f"{self.base}/doc/{type_}/{slug}")

    def graph(self, name: str) -> URIRef:
        return self.id("graph", name)

    def split(self, iri: str) -> tuple[str, str, str] | None:
        """(kind, type, slug) of an IRI of ours, kind being 'id' or 'doc'; None for other IRIs."""
        prefix = self.base + "/"
        if not iri.startswith(prefix):
            return None
        parts = iri[len(prefix):].split("/")
        if len(parts) != 3 or parts[0] not in {"id", "doc"} or parts[1] not in TYPES:
            return None
        return parts[0], parts[1], parts[2]

    def doc_for(self, iri: str) -> URIRef | None:
        """The page IRI of a thing IRI."""
        parts = self.split(iri)
        if parts is None or parts[0] != "id":
            return None
        return self.doc(parts[1], parts[2])
