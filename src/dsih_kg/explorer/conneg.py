"""Content negotiation for pages: HTML for people, Turtle, JSON-LD and N-Triples for machines.

``/id/{type}/{slug}`` names a thing and answers 303 See Other to its page ``/doc/{type}/{slug}``; the page
picks its format from a suffix (``.ttl``, ``.jsonld``, ``.nt``) or else from the Accept header. No Flask
here: the views pass the header and suffix in and get a format back.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from ..namespaces import PREFIXES


@dataclass(frozen=True)
class Format:
    name: str  # html, turtle, json-ld, nt
    suffix: str  # "" for html
    media_type: str
    label: str


HTML = Format("html", "", "text/html", "HTML")
TURTLE = Format("turtle", "ttl", "text/turtle", "Turtle")
JSONLD = Format("json-ld", "jsonld", "application/ld+json", "JSON-LD")
NTRIPLES = Format("nt", "nt", "application/n-triples", "N-Triples")
FORMATS = (HTML, TURTLE, JSONLD, NTRIPLES)
RDF_FORMATS = (TURTLE, JSONLD, NTRIPLES)
BY_SUFFIX = {f.suffix: f for f in RDF_FORMATS}

#: Media types accepted for each format; the first is what we answer with.
OFFERS: dict[str, Format] = {
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "text/turtle": TURTLE,
    "application/x-turtle": TURTLE,
    "application/ld+json": JSONLD,
    "application/json": JSONLD,
    "application/n-triples": NTRIPLES,
    "text/plain": NTRIPLES,
}


def split_suffix(slug: str) -> tuple[str, Format | None]:
    """('lesson-x', TURTLE) for 'lesson-x.ttl'; (slug, None) when there is no known suffix."""
    stem, dot, suffix = slug.rpartition(".")
    if dot and suffix in BY_SUFFIX:
        return stem, BY_SUFFIX[suffix]
    return slug, None


def negotiate(accept: list[tuple[str, float]]) -> Format | None:
    """The format for an Accept header given as (media type, quality) pairs; None when nothing fits (406).

    An empty header or ``*/*`` gets HTML. Ties go to the order the client wrote, then to HTML.
    """
    if not accept:
        return HTML
    best: tuple[float, int, Format] | None = None
    for position, (media, quality) in enumerate(accept):
        if quality <= 0:
            continue
        media = media.lower().split(";")[0].strip()
        if media in ("*/*", "text/*"):
            candidate = HTML
        elif media == "application/*":
            candidate = JSONLD
        else:
            candidate = OFFERS.get(media)
        if candidate is None:
            continue
        key = (quality, -position, candidate)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def serialise(graph: Graph, fmt: Format) -> str:
    """The graph in ``fmt``; JSON-LD is compacted with our prefixes, N-Triples sorted for stable diffs."""
    if fmt is JSONLD:
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, auto_compact=True, indent=2)
    if fmt is NTRIPLES:
        text = graph.serialize(format="nt")
        return "".join(sorted(line + "\n" for line in text.splitlines() if line.strip()))
    return graph.serialize(format="turtle")
