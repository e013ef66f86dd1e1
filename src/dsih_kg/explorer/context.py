"""What every explorer page shares: the reader's language, security headers, template helpers, error pages.

Links in templates are built with ``url_for`` (through ``href``, ``graph_href`` and ``url_for`` itself),
so URL defaults registered on the blueprint (such as the language) reach every link.
"""

from __future__ import annotations

from flask import Response, abort, current_app, g, redirect, request, url_for
from rdflib import BNode, Literal, URIRef

from . import bp, state
from .helpers import EXTERNAL_PROPERTIES, linkify, safe_next, sparql_for
from .i18n import COOKIE, LANGUAGES, choose_language, link_kind_name, other_language, translate
from .labels import pick_language


@bp.before_app_request
def _choose_language() -> None:
    """Explorer pages and app-level error pages speak the reader's language; /sparql and /reconcile skip this."""
    if request.blueprint in ("sparql", "reconcile"):
        return
    g.lang = choose_language(
        request.args.get("lang"), request.cookies.get(COOKIE), [lang for lang, _q in request.accept_languages]
    )


def page_url(iri: str, suffix: str = "") -> str:
    """The explorer page of ``iri``: /doc/{type}/{slug} for ours, /resource?iri=… for any other IRI."""
    parts = state().iris.split(str(iri))
    if parts is not None:
        return url_for("explorer.document", type_=parts[1], slug=parts[2] + (f".{suffix}" if suffix else ""))
    return url_for("explorer.resource", iri=str(iri), **({"format": suffix} if suffix else {}))


def graph_url(iri: str, json: bool = False) -> str | None:
    parts = state().iris.split(str(iri))
    if parts is None:
        return None
    return url_for("explorer.graph_view", type_=parts[1], slug=parts[2] + (".json" if json else ""))


def slug_of(iri: str | None) -> str:
    """The slug of one of our IRIs ('' for others): CSS classes and URL parameters use it."""
    parts = state().iris.split(str(iri)) if iri else None
    return parts[2] if parts else ""


@bp.app_context_processor
def _template_helpers() -> dict:
    lang = getattr(g, "lang", "nl")
    if "dsih_explorer" not in current_app.extensions:
        return {}
    st = state()

    def label(iri: str) -> str:
        return st.labels.label(str(iri), lang)

    return {
        "lang": lang,
        "other_lang": other_language(lang),
        "languages": LANGUAGES,
        "t": lambda key, **values: translate(key, lang, **values),
        "kind_name": lambda kind: link_kind_name(kind, lang),
        "label": label,
        "href": page_url,
        "graph_href": graph_url,
        "has_label": st.labels.has_label,
        "pick": lambda values: pick_language(values, lang),
        "linkify": linkify,
        "is_iri": lambda term: isinstance(term, URIRef),
        "is_bnode": lambda term: isinstance(term, BNode),
        "is_literal": lambda term: isinstance(term, Literal),
        "external_properties": EXTERNAL_PROPERTIES,
        "level_slug": slug_of,
        "slug_of": slug_of,
        "current_path": request.full_path.rstrip("?") if request else "/",
        "sparql_link": lambda iri: url_for("explorer.query_page", query=sparql_for(str(iri), label(iri))),
        "has_view": lambda endpoint: endpoint in current_app.view_functions,
    }


@bp.get("/lang/<code>")
def switch_language(code: str) -> Response:
    """Remember the chosen interface language in a cookie and go back (works without JavaScript)."""
    if code not in LANGUAGES:
        abort(404, f"No interface language {code!r}.")
    response = redirect(safe_next(request.args.get("next")), code=303)
    response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response
