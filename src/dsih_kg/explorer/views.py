"""Blueprint ``explorer``: home, lesson and resource pages with their RDF twins, language switch.

Search, the query page and the graph view are in tools.py; both register on the same blueprint.
Views only adapt: the data comes from lessons.py, describe.py, search.py and neighbourhood.py.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, g, redirect, render_template, request
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from werkzeug.exceptions import HTTPException

from ..config import PROJECT_ROOT, Settings
from ..iri import TYPES, IriScheme
from ..namespaces import DSIH
from ..stores.base import Store
from . import conneg
from .cache import PageCache, StoreCache
from .describe import Description, describe, twin_graph
from .helpers import EXTERNAL_PROPERTIES, graph_path, linkify, page_path, safe_next, sparql_for
from .i18n import COOKIE, LANGUAGES, choose_language, other_language, translate
from .labels import Labels, pick_language
from .lessons import Catalogue, lesson_page, read_catalogue
from .links import LinkIndex, linked_records, read_link_index
from .manners import did_you_mean, document_iri, require_known, with_language
from .search import Index, build_index

bp = Blueprint(
    "explorer",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/explorer",
)

#: Properties whose values describe a resource, in the order they are tried.
DESCRIPTION_PROPERTIES = (
    DSIH.description,
    SKOS.definition,
    DCTERMS.description,
    DSIH.summary,
    RDFS.comment,
    SKOS.scopeNote,
)
#: Lets the query editor and graph view run (scripts and styles from this site only; Yasgui sets inline
#: styles) while refusing everything from elsewhere.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_SLUG = re.compile(r"^[a-z0-9]+(?:--?[a-z0-9]+)*$")


@dataclass
class Explorer:
    """Per-app state: the store, IRI scheme, label cache and the cached catalogue and search index."""

    store: Store
    iris: IriScheme
    labels: Labels
    catalogue: StoreCache[Catalogue]
    index: StoreCache[Index]
    links: StoreCache[LinkIndex]
    pages: PageCache
    queries_dir: Path


def init_app(app: Flask) -> None:
    """Plug the explorer into ``app``: its state, the blueprint, and HTML 404 pages for browsers."""
    settings: Settings = app.config["DSIH_SETTINGS"]
    store: Store = app.extensions["dsih_store"]
    iris = IriScheme(settings.base_iri)
    app.extensions["dsih_explorer"] = Explorer(
        store=store,
        iris=iris,
        labels=Labels(store, link_prefix=str(iris.id("link", "x"))[: -len("x")]),
        catalogue=StoreCache(store, read_catalogue),
        index=StoreCache(store, lambda s: build_index(s, iris)),
        links=StoreCache(store, lambda s: read_link_index(s, iris)),
        pages=PageCache(store),
        queries_dir=Path(app.config.get("DSIH_QUERIES_DIR", PROJECT_ROOT / "queries")),
    )
    from . import tools  # noqa: F401  (registers its routes on bp)

    if app.config.get("DSIH_EXPLORER_WARM", True):
        threading.Thread(
            target=_warm, args=(app.extensions["dsih_explorer"], app.logger), name="explorer-warm", daemon=True
        ).start()

    app.register_blueprint(bp)
    from . import assets, manners

    assets.init_app(app)  # hashed, compressed, long-cached static files
    manners.init_app(app)  # language in URLs, Vary, sitemap, robots, licence and conditional GET on /doc
    # Unknown URLs outside any blueprint: an HTML 404 page for browsers, unless the app already has a handler.
    if not app.error_handler_spec.get(None, {}).get(404):
        app.register_error_handler(404, _app_not_found)


def _warm(st: Explorer, logger: logging.Logger) -> None:
    """Build the per-generation caches (catalogue, link index, search index, catalogue labels) at start.

    They take a second or two at a million quads, so they are built off the request path; a request that
    arrives earlier waits for the one being built. After the data changes the next request rebuilds them.
    """
    started = time.perf_counter()
    try:
        st.labels.prefetch(st.catalogue.get().iris())
        st.links.get()
        st.index.get()
    except Exception as error:  # noqa: BLE001 - best effort: a request builds whatever is missing
        logger.warning("explorer caches not built at start: %s", error)
        return
    logger.info("explorer caches built in %.2f s", time.perf_counter() - started)


def state() -> Explorer:
    return current_app.extensions["dsih_explorer"]


# ---------------------------------------------------------------- request set-up


@bp.before_app_request
def _choose_language() -> None:
    """Explorer pages and app-level error pages speak the reader's language; /sparql and /reconcile skip this."""
    if request.blueprint in ("sparql", "reconcile"):
        return
    g.lang = choose_language(
        request.args.get("lang"), request.cookies.get(COOKIE), [lang for lang, _q in request.accept_languages]
    )


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


@bp.app_context_processor
def _template_helpers() -> dict:
    lang = getattr(g, "lang", "nl")
    st = current_app.extensions.get("dsih_explorer")
    if st is None:
        return {}

    def label(iri: str) -> str:
        return st.labels.label(str(iri), lang)

    def value_literal(values: list[Literal]) -> Literal | None:
        return pick_language(values, lang)

    return {
        "lang": lang,
        "other_lang": other_language(lang),
        "languages": LANGUAGES,
        "t": lambda key, **values: translate(key, lang, **values),
        "label": label,
        "href": lambda iri: with_language(page_path(st.iris, str(iri))),
        "graph_href": lambda iri: with_language(graph_path(st.iris, str(iri))),
        "has_label": st.labels.has_label,
        "pick": value_literal,
        "linkify": linkify,
        "is_iri": lambda term: isinstance(term, URIRef),
        "is_bnode": lambda term: isinstance(term, BNode),
        "is_literal": lambda term: isinstance(term, Literal),
        "external_properties": EXTERNAL_PROPERTIES,
        "level_slug": lambda iri: str(iri).rsplit("/", 1)[-1] if iri else "",
        "current_path": request.full_path.rstrip("?") if request else "/",
        "sparql_link": lambda iri: with_language("/query?" + _urlencode({"query": sparql_for(str(iri), label(iri))})),
    }


def _urlencode(values: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(values)


# ---------------------------------------------------------------- pages


@bp.get("/")
def home() -> Response:
    st = state()
    key = ("home", request.full_path, g.lang)
    cached = st.pages.get(key)
    if cached is None:
        cat = st.catalogue.get()
        st.labels.prefetch(cat.iris())
        rows = [
            (level, [(category, len(cat.cell(level, category))) for category in cat.categories]) for level in cat.levels
        ]
        level_descriptions = {level: pick_language(cat.descriptions.get(level, []), g.lang) for level in cat.levels}
        intro = pick_language(cat.descriptions.get(cat.publication or "", []), g.lang)
        html = render_template(
            "home.html",
            catalogue=cat,
            rows=rows,
            intro=intro,
            publication=cat.publication,
            level_descriptions=level_descriptions,
        )
        cached = (html.encode("utf-8"), "text/html")
        st.pages.put(key, *cached)
    return _vary(Response(cached[0], mimetype=cached[1]))


@bp.get("/lessons")
def lessons() -> str:
    st = state()
    cat = st.catalogue.get()
    level = _by_slug(cat.levels, request.args.get("level"))
    category = _by_slug(cat.categories, request.args.get("category"))
    if request.args.get("level") and level is None or request.args.get("category") and category is None:
        abort(404, "No such level or category.")
    chosen = [
        r for r in cat.lessons if (level is None or r.level == level) and (category is None or r.category == category)
    ]
    st.labels.prefetch(cat.iris())
    return render_template("lessons.html", catalogue=cat, chosen=chosen, level=level, category=category)


def _by_slug(iris: list[str], slug: str | None) -> str | None:
    if not slug:
        return None
    return next((iri for iri in iris if iri.rsplit("/", 1)[-1] == slug), None)


@bp.get("/id/<type_>/<slug>")
def thing(type_: str, slug: str) -> Response:
    """The IRI of a thing is not a document: 303 See Other to the page about it."""
    stem, fmt = conneg.split_suffix(slug)
    if type_ not in TYPES or not _SLUG.match(stem):
        abort(404, f"No resource /id/{type_}/{slug}.")
    require_known(type_, stem)  # an unknown thing is a 404 at once, not a 303 to one
    response = redirect(f"/doc/{type_}/{slug}", code=303)
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/doc/<type_>/<slug>")
def document(type_: str, slug: str) -> Response | str:
    """The page of a thing of ours, as HTML or (by suffix or Accept) as Turtle, JSON-LD or N-Triples."""
    stem, fmt = conneg.split_suffix(slug)
    if type_ not in TYPES or not _SLUG.match(stem):
        abort(404, f"No resource /doc/{type_}/{slug}.")
    st = state()
    iri = str(st.iris.id(type_, stem))
    return _negotiated(iri, fmt)


@bp.get("/resource")
def resource() -> Response | str:
    """The page of any other IRI in the graph (ontology terms, imported records, external things)."""
    iri = (request.args.get("iri") or "").strip()
    if not iri or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*$", iri):
        abort(400, "Give the IRI of a resource as ?iri=…")
    st = state()
    parts = st.iris.split(iri)
    if parts is not None:
        return redirect(page_path(st.iris, iri), code=303)
    fmt = conneg.BY_SUFFIX.get(request.args.get("format", ""))
    if request.args.get("format") and fmt is None:
        abort(400, "format must be ttl, jsonld or nt.")
    return _negotiated(iri, fmt)


def _negotiated(iri: str, fmt: conneg.Format | None) -> Response:
    """The page of ``iri`` in the negotiated format, from the page cache when the data has not changed."""
    st = state()
    if fmt is None:
        fmt = conneg.negotiate(list(request.accept_mimetypes))
        if fmt is None:
            abort(
                406,
                "This page is available as text/html, text/turtle, application/ld+json and application/n-triples.",
            )
    key = ("doc", request.full_path, fmt.name, g.lang)
    cached = st.pages.get(key)
    if cached is None:
        body = _render(st, iri, fmt)
        cached = (body.encode("utf-8"), fmt.media_type)
        st.pages.put(key, *cached)
    return _vary(Response(cached[0], mimetype=cached[1]))


def _render(st: Explorer, iri: str, fmt: conneg.Format) -> str:
    if fmt is conneg.HTML:
        cat = st.catalogue.get()
        links = st.links.get()
        parts = st.iris.split(iri)
        maybe_lesson = cat.by_iri(iri) is not None or (parts is not None and parts[1] == "lesson")
        page = lesson_page(st.store, cat, links, iri, g.lang) if maybe_lesson else None
        if page is not None:
            st.labels.prefetch(page.iris() | cat.iris())
            return render_template("lesson.html", page=page, catalogue=cat, iri=iri, alternates=_alternates(iri))
        desc = describe(st.store, iri, skip_graphs=links.pointing_at(iri))
        if not desc.exists:
            abort(404, f"Nothing in the graph is about {iri}.")
        records = linked_records(st.store, links, iri)
        st.labels.prefetch(desc.iris() | records.iris())
        groups = _groups(desc, st)
        types = [str(v.term) for prop, values in groups["outbound"] if prop == str(RDF.type) for v in values]
        in_grid = parts is not None and parts[1] in ("level", "category")
        lessons_link = f"/lessons?{parts[1]}={parts[2]}" if in_grid else None
        return render_template(
            "resource.html",
            records=records,
            lessons_link=lessons_link,
            desc=desc,
            iri=iri,
            description=_description(desc),
            groups=groups,
            types=types,
            alternates=_alternates(iri),
        )
    desc = describe(st.store, iri)
    if not desc.exists:
        abort(404, f"Nothing in the graph is about {iri}.")
    return conneg.serialise(twin_graph(desc, st.iris.base, document=document_iri(st.iris, iri)), fmt)


def _vary(response: Response) -> Response:
    response.headers["Vary"] = "Accept, Cookie"
    return response


def _alternates(iri: str) -> list[tuple[conneg.Format, str]]:
    return [(fmt, page_path(state().iris, iri, fmt.suffix)) for fmt in conneg.RDF_FORMATS]


def _description(desc: Description) -> Literal | None:
    for prop in DESCRIPTION_PROPERTIES:
        literals = desc.literals(str(prop))
        if literals:
            return pick_language(literals, g.lang)
    return None


def _groups(desc: Description, st: Explorer) -> dict[str, list]:
    """Asserted and inferred-only values, out and in, each as [(property, values)] sorted by label."""
    inferred = str(st.iris.graph("inferred"))

    def order(prop: str) -> tuple[int, str]:
        return (0 if prop == str(RDF.type) else 1, st.labels.label(prop, g.lang).lower())

    def split(groups: dict[str, list], want_inferred: bool) -> list:
        result = []
        for prop in sorted(groups, key=order):
            values = [v for v in groups[prop] if v.inferred_only(inferred) == want_inferred]
            if values:
                result.append((prop, values))
        return result

    return {
        "outbound": split(desc.outbound, False),
        "inbound": split(desc.inbound, False),
        "inferred_out": split(desc.outbound, True),
        "inferred_in": split(desc.inbound, True),
    }


@bp.get("/lang/<code>")
def switch_language(code: str) -> Response:
    """Remember the chosen interface language in a cookie and go back (works without JavaScript)."""
    if code not in LANGUAGES:
        abort(404, f"No interface language {code!r}.")
    response = redirect(safe_next(request.args.get("next")), code=303)
    response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


# ---------------------------------------------------------------- errors


@bp.errorhandler(HTTPException)
def _explorer_errors(error: HTTPException):
    """Errors inside the explorer's own pages: an HTML page for browsers, the JSON error shape otherwise."""
    return _error_response(error)


def _app_not_found(error: HTTPException):
    return _error_response(error)


def _error_response(error: HTTPException):
    code = error.code or 500
    accept = request.accept_mimetypes
    wants_html = not accept or accept.best_match(["text/html", "application/json"]) == "text/html"
    suggestions = did_you_mean(request.path) if code == 404 else []
    if not wants_html or request.path.startswith(("/sparql", "/update", "/reconcile")):
        extra = {"did_you_mean": [page for page, _label in suggestions]} if suggestions else {}
        return {"error": error.description, "status": code, **extra}, code
    if not hasattr(g, "lang"):
        g.lang = "nl"
    html = render_template("error.html", code=code, message=error.description, suggestions=suggestions)
    response = Response(html, status=code, mimetype="text/html")
    return _headers(response)
