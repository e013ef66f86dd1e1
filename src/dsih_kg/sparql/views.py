"""Blueprint ``sparql``: /sparql (queries, service description) and /update; protocol errors become HTTP."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, request

from ..stores import QuerySyntaxError
from . import protocol
from .description import service_description
from .endpoint import Endpoint
from .fastpath import FAILED, FastPath
from .protocol import GRAPH_MEDIA, ProtocolError

bp = Blueprint("sparql", __name__)

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type, Authorization, If-None-Match",
    "Access-Control-Expose-Headers": "ETag, Content-Type",
    "Access-Control-Max-Age": "86400",
}


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
    failed = request.environ.pop(FAILED, None)
    if failed is not None:  # the fast path met an error: answer it here, with the app's error handlers
        raise failed
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
    headers = [*CORS_ITEMS, *reply.headers.items(), ("Content-Type", reply.content_type)]
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
    try:
        reply = _endpoint().update(op, request.headers.get("Authorization"))
    except QuerySyntaxError as exc:
        raise ProtocolError(400, f"The update does not parse: {exc}") from None
    return Response(status=reply.status)


def _description() -> Response:
    endpoint = _endpoint()
    url = request.base_url
    fmt, media = protocol.negotiate("graph", _description_accept(), request.args.get("format"))
    graph = service_description(url, endpoint.graph_sizes(), request.host_url.rstrip("/") + "/.well-known/void")
    name = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}[fmt]
    return Response(graph.serialize(format=name, encoding="utf-8"), content_type=media)


def _description_accept() -> str:
    """Browsers ask for HTML first: give them Turtle, which they show as text."""
    accept = request.headers.get("Accept") or ""
    for media, _q in protocol.parse_accept(accept):
        if any(media in accepted for _, accepted in GRAPH_MEDIA.values()):
            return accept
    return "text/turtle"


CORS_ITEMS = list(CORS_HEADERS.items())


@bp.after_request
def cors(response: Response) -> Response:
    """Every answer of the blueprint (errors included) may be read by any origin."""
    if "Access-Control-Allow-Origin" not in response.headers:
        response.headers.extend(CORS_ITEMS)
    return response


def init_app(app: Flask) -> None:
    """Register the blueprint, the endpoint logic over the app's store, and the fast path for repeats."""
    settings = app.config["DSIH_SETTINGS"]
    store = app.extensions["dsih_store"]
    app.extensions["dsih_endpoint"] = Endpoint(store, settings)
    app.register_blueprint(bp)
    front = FastPath(
        app.wsgi_app,
        app.extensions["dsih_endpoint"],
        CORS_ITEMS,
        settings.result_cache,
        settings.max_body,
        log=app.extensions.get("dsih_access_log"),
    )
    app.extensions["dsih_fastpath"] = front
    app.wsgi_app = front  # type: ignore[method-assign]
