"""The Flask application factory: open the store, plug in each surface and the HTTP edge.

Errors, headers and the access log are the edge's job (:mod:`dsih_kg.web`). Routes of its own:
/healthz and /readyz.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify

from . import web
from .config import Settings, load_settings
from .stores import StoreUnavailable


def _register_routes(app: Flask) -> None:
    @app.get("/healthz")
    def healthz() -> Response:
        """Liveness: the process answers (the store is not asked)."""
        return jsonify({"status": "ok"})

    @app.get("/readyz")
    def readyz() -> Response:
        """Readiness: the store answers a query now."""
        store = app.extensions["dsih_store"]
        if not store.ready():
            raise StoreUnavailable(f"The store is not ready ({store.name}).")
        return jsonify(
            {
                "status": "ready",
                "store": store.name,
                "generation": store.generation,
                "sandboxed": store.sandboxed,
            }
        )


def create_app(settings: Settings | None = None) -> Flask:
    """Build the WSGI app for ``settings`` (defaults < DSIH_* environment < explicit overrides)."""
    settings = settings or load_settings()
    app = Flask(__name__, static_folder=None)  # static files are the explorer's (/static/explorer)
    app.config["DSIH_SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body

    from .kept import open_store_with_imports

    # imports and linksets are kept as files: an in-memory store starts without them
    store = open_store_with_imports(settings)
    app.extensions["dsih_store"] = store

    from . import advice_views, explorer
    from .reconcile import views as reconcile_views
    from .sparql import views as sparql_views
    from .vocab import views as vocab_views

    web.init_app(app)
    _register_routes(app)
    sparql_views.init_app(app)
    explorer.init_app(app)
    reconcile_views.init_app(app)
    vocab_views.init_app(app)
    advice_views.init_app(app)
    return app
