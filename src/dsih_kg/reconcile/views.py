"""Blueprint ``reconcile``: the W3C Reconciliation Service API at /reconcile, as OpenRefine speaks it.

GET /reconcile is the manifest; ``queries`` (form-encoded JSON as OpenRefine sends it, or a JSON body)
is a batch; /reconcile/suggest/{entity,type,property} complete what a person types;
/reconcile/preview?id= shows a candidate. Batches and query texts are capped (400 beyond). The views
raise (``BadQuery``, ``abort``); the app's error handler answers and sets CORS (:mod:`dsih_kg.web`).
"""

from __future__ import annotations

import html

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, request

from .. import jsonsafe
from ..caching import PerGeneration
from .service import PROPERTIES, TYPES, BadQuery, Reconciler, build_reconciler

bp = Blueprint("reconcile", __name__, url_prefix="/reconcile")


def _settings():
    return current_app.config["DSIH_SETTINGS"]


def _reconciler() -> Reconciler:
    """The index for the store's current data (rebuilt when the data generation changes)."""
    return current_app.extensions["dsih_reconciler"].get()


def _json_input(data: str | bytes, what: str) -> object:
    """``data`` parsed with the bounds every JSON input gets (depth, numbers, text)."""
    try:
        return jsonsafe.loads(data)
    except jsonsafe.JSONInputError as exc:
        where = "" if exc.where == "document" else f" ({exc.where})"
        raise BadQuery(f"{what}{where} {exc.problem}") from None


def _service_url() -> str:
    return request.url_root.rstrip("/") + "/reconcile"


def manifest() -> dict:
    settings = _settings()
    base = settings.base_iri.rstrip("/")
    service = _service_url()
    return {
        "versions": ["0.2"],
        "name": "DSIH lessons learned (Dutch Societal Innovation Hub)",
        "identifierSpace": f"{base}/id/",
        "schemaSpace": str(TYPES[0]["id"]).rsplit("/", 1)[0] + "/",
        "defaultTypes": [{"id": t["id"], "name": t["name"]} for t in TYPES],
        "view": {"url": "{{id}}"},
        "preview": {"url": f"{service}/preview?id={{{{id}}}}", "width": 420, "height": 160},
        "suggest": {
            "entity": {"service_url": service, "service_path": "/suggest/entity"},
            "type": {"service_url": service, "service_path": "/suggest/type"},
            "property": {"service_url": service, "service_path": "/suggest/property"},
        },
    }


def _queries_from_request() -> tuple[object, str] | None:
    """The batch (and its style: 'v02' object of named queries or 'v1' list), or None for the manifest."""
    raw = request.values.get("queries")
    if raw is None and request.method == "POST" and request.is_json:
        body = _json_input(request.get_data(cache=False) or b"null", "The body")
        if not isinstance(body, dict) or "queries" not in body:
            raise BadQuery('A JSON body must be {"queries": ...}.')
        raw = body["queries"]
    elif raw is not None:
        raw = _json_input(raw, "'queries'")
    elif request.values.get("query") is not None:
        single = request.values["query"]
        try:
            parsed = jsonsafe.loads(single)
        except jsonsafe.JSONInputError as exc:
            if not exc.problem.startswith("is not valid JSON"):
                raise BadQuery(f"'query' {exc.problem}") from None
            parsed = single  # not JSON at all: the query text itself
        return parsed, "single"
    else:
        return None
    if isinstance(raw, dict):
        return raw, "v02"
    if isinstance(raw, list):
        return raw, "v1"
    raise BadQuery("'queries' must be a JSON object of named queries (or a list).")


@bp.route("", methods=["GET", "POST", "OPTIONS"])
def reconcile() -> Response:
    """Manifest, or the answers to a batch of queries."""
    if request.method == "OPTIONS":
        return Response(status=204)
    found = _queries_from_request()
    if found is None:
        return jsonify(manifest())
    queries, style = found
    if style == "single":
        return jsonify({"result": _reconciler().reconcile(queries)})
    cap = _settings().reconcile_max_queries
    if len(queries) > cap:
        raise BadQuery(f"A batch holds at most {cap} queries; this one has {len(queries)}. Send smaller batches.")
    reconciler = _reconciler()
    if style == "v02":
        return jsonify({str(key): {"result": reconciler.reconcile(q)} for key, q in queries.items()})
    return jsonify({"results": [{"candidates": reconciler.reconcile(q)} for q in queries]})


@bp.route("/suggest/entity")
def suggest_entity() -> Response:
    reconciler = _reconciler()
    kinds = reconciler._kinds(request.args.get("type")) if request.args.get("type") else None
    prefix = request.args.get("prefix", "")
    return jsonify({"result": reconciler.suggest(prefix, kinds, _int_arg("limit", 10))})


def _prefix() -> str:
    """The typed prefix of a suggest request, as long as a query may be."""
    prefix = request.args.get("prefix", "")
    cap = _settings().reconcile_max_query_length
    if len(prefix) > cap:
        raise BadQuery(f"A prefix is at most {cap} characters long; this one has {len(prefix)}.")
    return prefix.strip().lower()


@bp.route("/suggest/type")
def suggest_type() -> Response:
    prefix = _prefix()
    return jsonify(
        {
            "result": [
                {"id": t["id"], "name": t["name"]}
                for t in TYPES
                if prefix in t["name"].lower() or prefix in t["kind"]
            ]
        }
    )


@bp.route("/suggest/property")
def suggest_property() -> Response:
    prefix = _prefix()
    return jsonify(
        {"result": [p for p in PROPERTIES if prefix in p["name"].lower() or prefix in p["id"].lower()]}
    )


@bp.route("/preview")
def preview() -> Response:
    """A small HTML card for OpenRefine's preview pane (everything escaped)."""
    target = _reconciler().targets.get(request.args.get("id", ""))
    if target is None:
        abort(404, "No lesson, instrument, theme or organisation with that id.")
    entry = _reconciler().describe(target)
    page = (
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>{name}</title>'
        '<body style="font:14px sans-serif;margin:8px">'
        '<p><a href="{iri}" target="_blank" rel="noopener"><strong>{name}</strong></a> <em>({kind})</em></p>'
        "<p>{description}</p></body></html>"
    ).format(
        name=html.escape(entry["name"]),
        iri=html.escape(target.iri, quote=True),
        kind=html.escape(entry["type"][0]["name"]),
        description=html.escape(entry.get("description", "")),
    )
    return Response(page, content_type="text/html; charset=utf-8")


def _int_arg(name: str, default: int) -> int:
    try:
        return max(1, min(int(request.args.get(name, default)), 50))
    except ValueError:
        raise BadQuery(f"'{name}' must be a number.") from None


def init_app(app: Flask) -> None:
    max_length = app.config["DSIH_SETTINGS"].reconcile_max_query_length
    app.extensions["dsih_reconciler"] = PerGeneration(
        app.extensions["dsih_store"], lambda store: build_reconciler(store, max_length), max_age=float("inf")
    )
    app.register_blueprint(bp)
