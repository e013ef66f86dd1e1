"""Blueprint ``sparql``: /sparql (queries, service description), /update and /.well-known/void.

The views only raise; the app's one error handler (:mod:`dsih_kg.web`) answers, and sets CORS.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, request

from .. import web
from ..caching import GenerationLRU
from . import protocol
from .description import service_description
from .endpoint import Endpoint
from .fastpath import FastPath
from .protocol import GRAPH_MEDIA, ProtocolError

bp = Blueprint("sparql", __name__)
_RDFLIB_NAMES = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def _endpoint() -> Endpoint:
    return current_app.extensions["dsih_endpoint"]


def _body() -> bytes:
    """The request body, refused past ``max_body`` (also when it came chunked, without a length)."""
    limit = current_app.config["DSIH_SETTINGS"].max_body
    if request.content_length is not None and request.content_length > limit:
        raise ProtocolError(413, f"The request body is larger than {limit} bytes.")
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        raise ProtocolError(413, f"The request body is larger than {limit} bytes.")
    return body


@bp.route("/sparql", methods=["GET", "HEAD", "POST", "OPTIONS"])
def query() -> Response:
    """SPARQL 1.1 Protocol query operation; a GET without a query answers the service description."""
    if request.method == "OPTIONS":
        return Response(status=204)
    reply = _endpoint().answer(
        request.method,
        request.content_type,
        request.query_string,
        _body() if request.method == "POST" else b"",
        request.headers.get("Accept"),
        request.headers.get("If-None-Match"),
    )
    if reply is None:
        return _description()
    headers = [*reply.headers.items(), ("Content-Type", reply.content_type)]
    return Response(reply.body, status=reply.status, headers=headers)


@bp.route("/update", methods=["GET", "HEAD", "POST", "OPTIONS"])
def update() -> Response:
    """SPARQL 1.1 Protocol update operation: POST with ``Authorization: Bearer <DSIH_UPDATE_TOKEN>``."""
    if request.method == "OPTIONS":
        return Response(status=204)
    op = protocol.read_update(
        request.method,
        request.content_type,
        protocol.query_args(request.query_string),
        _body() if request.method == "POST" else b"",
    )
    reply = _endpoint().update(op, request.headers.get("Authorization"))
    return Response(status=reply.status)


@bp.get("/.well-known/void")
def void() -> Response:
    """VoID of the dataset: triples, classes, properties, graphs and linksets (Turtle by default)."""
    from .void import void_description

    store = current_app.extensions["dsih_store"]
    settings = current_app.config["DSIH_SETTINGS"]
    fmt, media = protocol.negotiate("graph", _graph_accept(), request.args.get("format"))
    generation, endpoint_url = store.generation, request.host_url.rstrip("/") + "/sparql"
    cache = current_app.extensions["dsih_void"]
    graph = cache.get(endpoint_url, generation)
    if graph is None:
        graph = void_description(store, settings.base_iri, endpoint_url)
        cache.put(endpoint_url, generation, graph)
    return Response(graph.serialize(format=_RDFLIB_NAMES[fmt], encoding="utf-8"), content_type=media)


def _description() -> Response:
    endpoint = _endpoint()
    fmt, media = protocol.negotiate("graph", _graph_accept(), request.args.get("format"))
    void_url = request.host_url.rstrip("/") + "/.well-known/void"
    graph = service_description(request.base_url, endpoint.graph_sizes(), void_url)
    return Response(graph.serialize(format=_RDFLIB_NAMES[fmt], encoding="utf-8"), content_type=media)


def _graph_accept() -> str:
    """Browsers ask for HTML first: give them Turtle, which they show as text."""
    accept = request.headers.get("Accept") or ""
    for media, _q in protocol.parse_accept(accept):
        if any(media in accepted for _, accepted in GRAPH_MEDIA.values()):
            return accept
    return "text/turtle"


def init_app(app: Flask) -> None:
    """Register the blueprint, the endpoint logic over the app's store, and the fast path for repeats."""
    settings = app.config["DSIH_SETTINGS"]
    store = app.extensions["dsih_store"]
    app.extensions["dsih_endpoint"] = Endpoint(store, settings)
    app.extensions["dsih_void"] = GenerationLRU(8)  # the VoID graph per endpoint URL (host) it names
    app.register_blueprint(bp)
    flask_wsgi = app.wsgi_app
    front = FastPath(
        flask_wsgi,
        app.extensions["dsih_endpoint"],
        web.edge_headers("/sparql"),
        settings.max_body,
        log=app.extensions.get("dsih_access_log"),
        fail=lambda environ, start_response, exc, started: web.answer_exception(
            app, environ, start_response, exc, started
        ),
    )
    app.extensions["dsih_fastpath"] = front
    app.wsgi_app = front  # type: ignore[method-assign]
