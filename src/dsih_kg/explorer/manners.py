"""Linked-data manners of the explorer: what a good citizen of the web of data does besides answering.

- the language kept in the URL: every ``url_for`` (and every ``href`` of a resource) carries ``lang``
  when the page was asked for with one (the language switch writes it), so ``?lang=en`` lasts;
- ``Vary`` naming what an answer depends on (Accept, Accept-Language, Cookie);
- canonical and ``hreflang`` links, a meta description and schema.org JSON-LD in every page (helpers for
  base.html);
- ``/sitemap.xml`` and ``/robots.txt``;
- on the data documents (``/doc/…``, ``/resource``): the licence, CORS, ``ETag``/``Last-Modified`` and
  ``304`` on ``If-None-Match``/``If-Modified-Since``;
- an unknown ``/id/…`` answers 404 at once, with "did you mean" (also on the 404 of ``/doc/…``).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from flask import Blueprint, Flask, Response, abort, current_app, g, has_request_context, request
from markupsafe import Markup
from rapidfuzz import fuzz, process
from rdflib import URIRef

from ..iri import TYPES, IriScheme
from ..licence import LICENCE, RIGHTS
from ..namespaces import DSIH
from .i18n import DEFAULT_LANGUAGE, LANGUAGES

bp = Blueprint("manners", __name__)

#: Answers from these blueprints are pages and data documents of the explorer.
EXPLORER_BLUEPRINTS = ("explorer", "manners", "advice", "vocab")
#: Media types of the data documents (the RDF twins of pages).
DATA_TYPES = frozenset({"text/turtle", "application/ld+json", "application/n-triples"})
#: Request headers another origin may send with a data document request (answered in the preflight).
CORS_REQUEST_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since"
#: Paths crawlers are asked to leave alone: endless spaces (queries, searches) and machine endpoints.
ROBOTS_DISALLOW = ("/sparql", "/update", "/reconcile", "/search", "/lang/", "/resource", "/query?", "/graph/")
#: schema.org types of our classes (others are schema:Thing).
SCHEMA_TYPES = {
    str(DSIH.Lesson): "CreativeWork",
    str(DSIH.Publication): "Book",
    str(DSIH.Work): "CreativeWork",
    str(DSIH.Organisation): "Organization",
    str(DSIH.Person): "Person",
    str(DSIH.Instrument): "DefinedTerm",
    str(DSIH.Concept): "DefinedTerm",
    str(DSIH.MissionTheme): "DefinedTerm",
    str(DSIH.TransitionArena): "DefinedTerm",
    str(DSIH.HelixActorType): "DefinedTerm",
    str(DSIH.Level): "DefinedTerm",
    str(DSIH.Category): "DefinedTerm",
}


def init_app(app: Flask) -> None:
    """Plug the manners in: routes, url defaults, after-request headers and the template helpers."""
    app.register_blueprint(bp)
    app.url_defaults(_keep_language)
    app.after_request(_after)
    app.context_processor(_template_helpers)
    app.extensions["dsih_manners"] = {"generation": None, "since": time.time()}


# ---------------------------------------------------------------- the language in the URL


def url_language() -> str | None:
    """The ``lang`` every link of this page carries: the one this page was asked for with, if any.

    A language that came from the cookie or from Accept-Language is not written into links: the next
    page finds it the same way, and the links stay the same for everyone.
    """
    if not has_request_context() or request.blueprint not in EXPLORER_BLUEPRINTS:
        return None
    lang = request.args.get("lang")
    return lang if lang in LANGUAGES else None


def _keep_language(endpoint: str, values: dict) -> None:
    if "lang" in values or not endpoint.startswith(("explorer.", "manners.", "advice.", "vocab.")):
        return
    if endpoint in ("explorer.static", "explorer.switch_language", "manners.sitemap", "manners.robots"):
        return
    lang = url_language()
    if lang:
        values["lang"] = lang


def with_language(path: str | None, lang: str | None = None) -> str | None:
    """``path`` with ``lang=`` added (for links built without url_for, such as a resource's page)."""
    lang = lang or url_language()
    if not path or not lang or not path.startswith("/") or "lang=" in path:
        return path
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def _url_in(lang: str | None, absolute: bool = True) -> str:
    """This page's URL in ``lang`` (None: without lang=, the reader's own choice), absolute or as a path."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    if lang:
        args.append(("lang", lang))
    query = urlencode(args)
    return (request.base_url if absolute else request.path) + (f"?{query}" if query else "")


def nav_current(path: str) -> Markup:
    """``aria-current="page"`` on the menu item of the page being shown."""
    return Markup(' aria-current="page"') if has_request_context() and request.path == path else Markup("")


# ---------------------------------------------------------------- headers


def _after(response: Response) -> Response:
    if request.blueprint not in EXPLORER_BLUEPRINTS and not (response.status_code == 404 and request.blueprint is None):
        return response
    if request.endpoint == "explorer.static":
        return response
    mimetype = response.mimetype or ""
    if mimetype in ("text/html", "application/json") and not 300 <= response.status_code < 400:
        response.vary.update(("Accept", "Accept-Language", "Cookie"))
    if request.path.startswith(("/doc/", "/resource", "/id/")):
        response.headers.setdefault("Access-Control-Allow-Origin", "*")
        response.headers.setdefault("Access-Control-Expose-Headers", "ETag, Last-Modified, Link, Vary")
        if request.method == "OPTIONS":  # a preflight, e.g. for If-None-Match from another origin
            response.headers.setdefault("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
            response.headers.setdefault("Access-Control-Allow-Headers", CORS_REQUEST_HEADERS)
            response.headers.setdefault("Access-Control-Max-Age", "86400")
        if response.status_code == 200 and request.method in ("GET", "HEAD"):
            response.headers.setdefault("Link", f'<{LICENCE}>; rel="license"')
            if mimetype in DATA_TYPES or mimetype == "text/html":
                return _conditional(response)
    return response


def _conditional(response: Response) -> Response:
    """ETag from the body, Last-Modified from when the data last changed; 304 when the client has it."""
    if not response.direct_passthrough and not response.headers.get("ETag"):
        response.add_etag()
    response.last_modified = data_changed()
    return response.make_conditional(request)


def data_changed() -> datetime:
    """When the store's data last changed, as far as this process has seen (its start, or a later load)."""
    state = current_app.extensions["dsih_manners"]
    generation = getattr(current_app.extensions["dsih_store"], "generation", None)
    if generation != state["generation"]:
        if state["generation"] is not None:
            state["since"] = time.time()
        state["generation"] = generation
    return datetime.fromtimestamp(int(state["since"]), tz=UTC)


# ---------------------------------------------------------------- unknown /id/…: 404 with "did you mean"


def require_known(type_: str, slug: str) -> None:
    """404 (with suggestions) unless the store says something about {base}/id/{type_}/{slug}."""
    st = current_app.extensions["dsih_explorer"]
    iri = str(st.iris.id(type_, slug))
    if not st.store.query(f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}").boolean:
        abort(404, f"Nothing in the graph is about {iri}.")


def did_you_mean(path: str, limit: int = 3) -> list[tuple[str, str]]:
    """For a 404 on /id/{type}/{slug} or /doc/{type}/{slug}: [(page, label)] of the closest known slugs."""
    parts = path.strip("/").split("/")
    if len(parts) != 3 or parts[0] not in ("id", "doc", "graph") or parts[1] not in TYPES:
        return []
    st = current_app.extensions["dsih_explorer"]
    prefix = str(st.iris.id(parts[1], "x"))[:-1]
    slug = parts[2].rsplit(".", 1)[0] if parts[2].endswith((".ttl", ".jsonld", ".nt", ".json")) else parts[2]
    rows = st.store.query(
        f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{prefix}")) }} LIMIT 5000'
    ).rows
    known = {str(r["s"])[len(prefix) :]: str(r["s"]) for r in rows}
    best = process.extract(slug, list(known), scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
    lang = getattr(g, "lang", DEFAULT_LANGUAGE)
    from .helpers import page_path

    return [(with_language(page_path(st.iris, known[s])), st.labels.label(known[s], lang)) for s, _score, _ in best]


# ---------------------------------------------------------------- sitemap.xml, robots.txt


@bp.get("/robots.txt")
def robots() -> Response:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), "Allow: /", ""]
    lines.append(f"Sitemap: {request.host_url}sitemap.xml")
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """Every page for people (overviews and resources of ours) with its Dutch and English alternates."""
    st = current_app.extensions["dsih_explorer"]
    root = request.host_url.rstrip("/")
    paths = sorted(_overview_paths()) + sorted(_resource_paths(st.iris, st.index.get()))
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    modified = data_changed().strftime("%Y-%m-%d")
    for path in paths:
        out.append(f"<url><loc>{_xml(root + path)}</loc><lastmod>{modified}</lastmod>")
        for lang in LANGUAGES:
            href = _xml(root + with_language(path, lang))
            out.append(f'<xhtml:link rel="alternate" hreflang="{lang}" href="{href}"/>')
        out.append("</url>")
    out.append("</urlset>")
    return Response("\n".join(out) + "\n", mimetype="application/xml")


def _overview_paths() -> set[str]:
    """Explorer pages without arguments (home, lists, indexes, about…), minus search and machine routes."""
    skip = ("/search", "/resource", "/robots.txt", "/sitemap.xml", "/sparql", "/update", "/healthz", "/readyz")
    found = set()
    for rule in current_app.url_map.iter_rules():
        if rule.arguments or "GET" not in (rule.methods or ()) or not rule.endpoint.startswith("explorer."):
            continue
        if rule.rule.startswith(skip) or rule.endpoint == "explorer.static":
            continue
        found.add(rule.rule)
    return found


def _resource_paths(iris: IriScheme, index) -> set[str]:
    """The pages of our resources that search shows people (so no ontology terms, links or graphs)."""
    from .helpers import page_path

    return {page_path(iris, entry.iri) for entry in index.entries if iris.split(entry.iri) is not None}


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# ---------------------------------------------------------------- data documents


def document_iri(iris: IriScheme, iri: str) -> URIRef:
    """The IRI of the data document about ``iri``: {base}/doc/… for ours, this service's /resource?iri=… else."""
    parts = iris.split(iri)
    if parts is not None:
        return URIRef(f"{iris.base.rstrip('/')}/doc/{parts[1]}/{quote(parts[2])}")
    return URIRef(request.host_url + "resource?" + urlencode({"iri": iri}))


# ---------------------------------------------------------------- template helpers (base.html)


def _template_helpers() -> dict:
    if not has_request_context():  # every page of base.html needs them, error pages of any blueprint too
        return {}
    return {
        "url_in": _url_in,
        "url_lang": url_language,
        "nav_current": nav_current,
        "citation": citation,
        "canonical_url": lambda: _url_in(getattr(g, "lang", DEFAULT_LANGUAGE)),
        "schema_org": schema_org,
        "licence_url": LICENCE,
        "rights_text": lambda: RIGHTS.get(getattr(g, "lang", DEFAULT_LANGUAGE), RIGHTS["en"]),
        "with_language": with_language,
    }


def citation(iri: str):
    """'Cite this' of a lesson (APA and BibTeX from the data), or None."""
    from .citation import cite

    st = current_app.extensions["dsih_explorer"]
    return cite(st.store, str(iri), lambda x: st.labels.label(x, "nl"))


def schema_org(iri: str | None = None, name: str | None = None, description: str | None = None) -> Markup:
    """The page as schema.org JSON-LD (a WebPage, about the resource when there is one), safe in <script>."""
    lang = getattr(g, "lang", DEFAULT_LANGUAGE)
    page: dict = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "url": _url_in(lang),
        "inLanguage": lang,
        "license": LICENCE,
        "copyrightNotice": RIGHTS.get(lang, RIGHTS["en"]),
        "isPartOf": {"@type": "WebSite", "name": "DSIH lessons learned", "url": request.host_url},
    }
    if name:
        page["name"] = name
    if description:
        page["description"] = description
    st = current_app.extensions.get("dsih_explorer")
    if iri and st is not None:
        types = st.index.get().types.get(str(iri), [])
        kind = next((SCHEMA_TYPES[t] for t in types if t in SCHEMA_TYPES), "Thing")
        about: dict = {"@type": kind, "@id": str(iri), "name": st.labels.label(str(iri), lang)}
        if description:
            about["description"] = description
        if kind == "CreativeWork" and str(DSIH.Lesson) in types:
            about["inLanguage"] = "nl"
            cat = st.catalogue.get()
            if cat.publication:
                about["isPartOf"] = {
                    "@type": "Book",
                    "@id": cat.publication,
                    "name": st.labels.label(cat.publication, "nl"),
                }
        page["mainEntity"] = about
    else:
        page["mainEntity"] = {
            "@type": "Dataset",
            "name": "DSIH lessons learned knowledge graph",
            "license": LICENCE,
            "url": request.host_url,
            "distribution": [
                {
                    "@type": "DataDownload",
                    "encodingFormat": "application/sparql-results+json",
                    "contentUrl": request.host_url + "sparql",
                },
            ],
        }
    text = json.dumps(page, ensure_ascii=False, indent=1)
    # </script> and <!-- cannot end or open anything inside the JSON (the JSON stays the same data)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
