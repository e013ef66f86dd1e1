"""Blueprint ``vocab``: the ontology's IRIs dereference (``/def/dsih``, ``/def/dsih/{Term}``).

A browser gets HTML documentation made from ontology/dsih.ttl with our own template; an RDF client gets
Turtle, JSON-LD, N-Triples or RDF/XML by ``Accept``, or by a suffix (``.ttl`` ``.jsonld`` ``.nt``
``.rdf``) as on the explorer's /doc pages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, render_template, request
from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL

from ..config import Settings
from ..iri import VOCAB_NS
from ..namespaces import PREFIXES
from .terms import Term, Vocabulary, read_vocabulary

bp = Blueprint("vocab", __name__, template_folder="templates")


@dataclass(frozen=True)
class Format:
    name: str  # rdflib serializer name, or html
    suffix: str
    media_type: str
    label: str


HTML = Format("html", "", "text/html", "HTML")
FORMATS = (
    HTML,
    Format("turtle", "ttl", "text/turtle", "Turtle"),
    Format("json-ld", "jsonld", "application/ld+json", "JSON-LD"),
    Format("nt", "nt", "application/n-triples", "N-Triples"),
    Format("xml", "rdf", "application/rdf+xml", "RDF/XML"),
)
BY_SUFFIX = {f.suffix: f for f in FORMATS if f.suffix}
#: Accepted media types, in the order that wins a tie (HTML first, so */* is a page).
OFFERS = {f.media_type: f for f in FORMATS} | {
    "application/xhtml+xml": HTML,
    "application/x-turtle": FORMATS[1],
    "application/json": FORMATS[2],
    "text/plain": FORMATS[3],
}


def init_app(app: Flask) -> None:
    """Read the ontology once and register the routes."""
    settings: Settings = app.config["DSIH_SETTINGS"]
    app.extensions["dsih_vocabulary"] = read_vocabulary(Path(settings.ontology_dir) / "dsih.ttl")
    app.register_blueprint(bp)


def vocabulary() -> Vocabulary:
    return current_app.extensions["dsih_vocabulary"]


@bp.get("/def/dsih")
@bp.get("/def/dsih/")
def ontology() -> Response:
    """The whole ontology: an index of its classes and properties, or all of dsih.ttl as RDF."""
    return _answer(None, _negotiate())


@bp.get("/def/dsih.<suffix>")
def ontology_as(suffix: str) -> Response:
    return _answer(None, _by_suffix(suffix))


@bp.get("/def/dsih/<name>")
def term(name: str) -> Response:
    """One class or property (``Lesson``, ``Lesson.ttl``); the version IRI answers as the ontology."""
    vocab = vocabulary()
    stem, dot, suffix = name.rpartition(".")
    fmt = None
    if dot and suffix in BY_SUFFIX and stem in vocab.terms:
        name, fmt = stem, BY_SUFFIX[suffix]
    if name == vocab.value(OWL.versionInfo):
        return _answer(None, fmt or _negotiate())
    found = vocab.terms.get(name)
    if found is None:
        abort(404, description=f"The DSIH ontology has no term {name!r}; /def/dsih lists them all.")
    return _answer(found, fmt or _negotiate())


def _by_suffix(suffix: str) -> Format:
    if suffix not in BY_SUFFIX:
        abort(404, description=f"No format .{suffix}; the ontology is at /def/dsih.ttl, .jsonld, .nt and .rdf.")
    return BY_SUFFIX[suffix]


def _negotiate() -> Format:
    accept = request.accept_mimetypes
    if not accept:
        return HTML
    best = accept.best_match(list(OFFERS))
    if best is None:
        offered = ", ".join(f.media_type for f in FORMATS)
        body = json.dumps({"error": f"No format fits the Accept header; offered: {offered}.", "status": 406})
        abort(Response(body, status=406, content_type="application/json"))
    return OFFERS[best]


def _answer(found: Term | None, fmt: Format) -> Response:
    vocab = vocabulary()
    if fmt is HTML:
        template = "vocab/term.html" if found else "vocab/ontology.html"
        body = render_template(template, vocab=vocab, term=found, formats=FORMATS[1:], path=_path(found), **_helpers())
        response = Response(body, content_type="text/html; charset=utf-8")  # security headers: dsih_kg.web
    else:
        graph = vocab.describe(found)
        if fmt.name == "json-ld":
            context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
            text = graph.serialize(format="json-ld", context=context, auto_compact=True, indent=2)
        else:
            text = graph.serialize(format=fmt.name)
        response = Response(text, content_type=f"{fmt.media_type}; charset=utf-8")
        response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = ", ".join(
        f'<{_path(found)}.{f.suffix}>; rel="alternate"; type="{f.media_type}"' for f in FORMATS[1:]
    )
    return response


def _path(found: Term | None) -> str:
    return f"/def/dsih/{found.name}" if found else "/def/dsih"


def _helpers() -> dict:
    vocab = vocabulary()

    def href(iri: URIRef) -> str:
        """Our terms link to their page here; other IRIs to themselves."""
        name = vocab.local(iri)
        return f"/def/dsih/{name}" if name else str(iri)

    return {
        "curie": vocab.curie,
        "href": href,
        "vocab_ns": VOCAB_NS,
        "dcterms_title": DCTERMS.title,
        "dcterms_description": DCTERMS.description,
        "dcterms_license": DCTERMS.license,
        "owl_version": OWL.versionInfo,
    }
