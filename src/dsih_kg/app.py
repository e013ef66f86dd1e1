"""The Flask application factory: open the store, plug in each surface, handle errors at app level."""

from __future__ import annotations

from flask import Flask

from .config import Settings, load_settings


def create_app(settings: Settings | None = None) -> Flask:
    """Build the WSGI app for ``settings`` (defaults < DSIH_* environment < explicit overrides)."""
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["DSIH_SETTINGS"] = settings

    from .stores import open_store

    app.extensions["dsih_store"] = open_store(settings)

    from .explorer import views as explorer_views
    from .reconcile import views as reconcile_views
    from .sparql import views as sparql_views

    sparql_views.init_app(app)
    explorer_views.init_app(app)
    reconcile_views.init_app(app)
    return app
