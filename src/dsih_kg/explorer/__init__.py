"""The explorer: HTML pages over the graph for people, with RDF twins for machines.

This module owns the blueprint, the per-app state and ``init_app``. The jobs live beside it:
``context`` (language, headers, template helpers), ``pages`` (front door, lessons, resource pages,
indexes, the map of links), ``tools`` (search, query editor, graph view). The data behind the pages
comes from Flask-free modules (``lessons``, ``resources``, ``facets``, ``crossmap``, ``describe``).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, current_app

from ..caching import GenerationLRU, PerGeneration
from ..config import PROJECT_ROOT, Settings
from ..iri import IriScheme
from ..stores.base import Store
from .crossmap import CrossMap, read_crossmap
from .facets import LessonFacets, read_facets
from .labels import Labels
from .lessons import Catalogue, read_catalogue
from .links import LinkIndex, read_link_index
from .search import Index, build_index

bp = Blueprint(
    "explorer",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/explorer",
)
#: Finished pages kept per data generation (a page is a pure function of the data, the language and the URL).
PAGES_KEPT = 2048


@dataclass
class Explorer:
    """Per-app state: the store, IRI scheme, label cache and the per-generation caches of the pages."""

    store: Store
    iris: IriScheme
    labels: Labels
    catalogue: PerGeneration[Catalogue]
    index: PerGeneration[Index]
    links: PerGeneration[LinkIndex]
    facets: PerGeneration[LessonFacets]
    crossmap: PerGeneration[CrossMap]
    pages: GenerationLRU[tuple[bytes, str]]
    queries_dir: Path


def state() -> Explorer:
    return current_app.extensions["dsih_explorer"]


def init_app(app: Flask) -> None:
    """Plug the explorer into ``app``: its state, the blueprint with its pages, and HTML 404s for browsers."""
    settings: Settings = app.config["DSIH_SETTINGS"]
    store: Store = app.extensions["dsih_store"]
    iris = IriScheme(settings.base_iri)
    explorer = Explorer(
        store=store,
        iris=iris,
        labels=Labels(store, link_prefix=str(iris.id("link", "x"))[: -len("x")]),
        catalogue=PerGeneration(store, read_catalogue),
        index=PerGeneration(store, lambda s: build_index(s, iris)),
        links=PerGeneration(store, lambda s: read_link_index(s, iris)),
        facets=PerGeneration(store, read_facets),
        crossmap=PerGeneration(store, read_crossmap),
        pages=GenerationLRU(PAGES_KEPT),
        queries_dir=Path(app.config.get("DSIH_QUERIES_DIR", PROJECT_ROOT / "queries")),
    )
    app.extensions["dsih_explorer"] = explorer
    from . import context, pages, tools  # noqa: F401  (they register their routes and hooks on bp)

    if app.config.get("DSIH_EXPLORER_WARM", True):
        threading.Thread(target=_warm, args=(explorer, app.logger), name="explorer-warm", daemon=True).start()

    app.register_blueprint(bp)  # errors (HTML pages for browsers) and headers: dsih_kg.web
    from . import assets, manners

    assets.init_app(app)  # hashed, compressed, long-cached static files
    manners.init_app(app)  # language in URLs, Vary, sitemap, robots, licence and conditional GET on /doc
    app.extensions["dsih_did_you_mean"] = manners.did_you_mean  # the edge's 404s offer close pages


def _warm(st: Explorer, logger: logging.Logger) -> None:
    """Build the per-generation caches (catalogue, link index, search index, catalogue labels) at start.

    They take a second or two at a million quads, so they are built off the request path; a request that
    arrives earlier waits for the one being built. After the data changes the next request rebuilds them.
    """
    started = time.perf_counter()
    try:
        st.labels.prefetch(st.catalogue.get().iris())
        st.links.get()
        st.facets.get()
        st.index.get()
    except Exception as error:  # noqa: BLE001 - best effort: a request builds whatever is missing
        logger.warning("explorer caches not built at start: %s", error)
        return
    logger.info("explorer caches built in %.2f s", time.perf_counter() - started)
