"""The Flask application factory: open the store, plug in each surface, handle errors at app level.

Every error answer has one shape, ``{"error": message, "status": code}`` (plus context), or a short
HTML page when a browser asks for HTML. Routes of its own: /healthz, /readyz, /.well-known/void.
"""

from __future__ import annotations

import html
import logging
import threading
import time

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from .config import Settings, load_settings
from .errors import UserError
from .stores import QuerySyntaxError, QueryTimeout, ResultTooLarge, StoreUnavailable, Unsupported

access_log = logging.getLogger("dsih_kg.access")


def wants_html() -> bool:
    """Whether the client prefers HTML to JSON (a browser)."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes["application/json"]


def error_response(status: int, message: str, headers: dict[str, str] | None = None, **context: object) -> Response:
    """The one error shape: JSON ``{"error", "status", ...}``, or a minimal HTML page for browsers."""
    if wants_html():
        title = f"{status} {html.escape(_reason(status))}"
        page = (
            f'<!doctype html><html lang="en"><meta charset="utf-8"><title>{title}</title>'
            f"<h1>{title}</h1><p>{html.escape(message)}</p></html>"
        )
        response = Response(page, status=status, content_type="text/html; charset=utf-8")
    else:
        response = jsonify({"error": message, "status": status, **context})
        response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _register_errors(app: Flask) -> None:
    from .sparql.protocol import ProtocolError

    @app.errorhandler(ProtocolError)
    def protocol_error(exc: ProtocolError) -> Response:
        headers = {}
        context = dict(exc.context)
        if "allow" in context:
            headers["Allow"] = ", ".join(context.pop("allow"))
        if "www_authenticate" in context:
            headers["WWW-Authenticate"] = str(context.pop("www_authenticate"))
        return error_response(exc.status, exc.message, headers, **context)

    @app.errorhandler(QuerySyntaxError)
    def syntax_error(exc: QuerySyntaxError) -> Response:
        return error_response(400, f"The query does not parse: {exc}")

    @app.errorhandler(ResultTooLarge)
    def too_large(exc: ResultTooLarge) -> Response:
        return error_response(413, f"{exc} Add a LIMIT or narrow the query down.")

    @app.errorhandler(Unsupported)
    def unsupported(exc: Unsupported) -> Response:
        return error_response(400, str(exc))

    @app.errorhandler(UserError)
    def user_error(exc: UserError) -> Response:
        return error_response(400, str(exc))

    @app.errorhandler(QueryTimeout)
    def timeout(exc: QueryTimeout) -> Response:
        return error_response(503, str(exc), {"Retry-After": "1"}, timeout=True)

    @app.errorhandler(StoreUnavailable)
    def unavailable(exc: StoreUnavailable) -> Response:
        return error_response(503, str(exc), {"Retry-After": "1"})

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        messages = {
            404: f"Nothing here: {request.path}",
            405: f"{request.method} is not allowed on {request.path}.",
            413: "The request body is too large.",
        }
        headers = {}
        if status == 405 and exc.valid_methods:  # type: ignore[attr-defined]
            headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
        return error_response(status, messages.get(status, exc.description or exc.name), headers)


ACCESS_FORMAT = '%s "%s %s" %s %s %.2fms'


def log_access(environ: dict, status: int, length: int | None, elapsed_ms: float) -> None:
    """One access-log line for a request answered outside Flask (the /sparql fast path)."""
    path = f"{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}".rstrip("?")
    method, remote = environ.get("REQUEST_METHOD"), environ.get("REMOTE_ADDR")
    access_log.info(ACCESS_FORMAT, remote, method, path[:300], status, "-" if length is None else length, elapsed_ms)


def _register_logging(app: Flask) -> None:
    log_requests = app.config["DSIH_SETTINGS"].log_requests
    if log_requests:
        app.extensions["dsih_access_log"] = log_access

    @app.before_request
    def start_timer() -> None:
        g.dsih_started = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        started = g.get("dsih_started")
        if started is not None:
            elapsed = (time.perf_counter() - started) * 1000
            response.headers["Server-Timing"] = f"app;dur={elapsed:.2f}"
            if log_requests:  # once the body is sent: the client does not wait for the log
                line = (
                    ACCESS_FORMAT,
                    request.remote_addr,
                    request.method,
                    request.full_path.rstrip("?")[:300],
                    response.status_code,
                    response.content_length if response.content_length is not None else "-",
                    elapsed,
                )
                response.call_on_close(lambda: access_log.info(*line))
        return response


def _register_routes(app: Flask) -> None:
    void_cache: dict[str, tuple[str, object]] = {}
    void_lock = threading.Lock()

    @app.get("/healthz")
    def healthz() -> Response:
        """Liveness: the process answers (the store is not asked)."""
        return jsonify({"status": "ok"})

    @app.get("/readyz")
    def readyz() -> Response:
        """Readiness: the store answers a query now."""
        store = app.extensions["dsih_store"]
        if not store.ready():
            return error_response(503, "The store is not ready.", store=store.name)
        return jsonify(
            {
                "status": "ready",
                "store": store.name,
                "generation": store.generation,
                "sandboxed": store.sandboxed,
            }
        )

    @app.get("/.well-known/void")
    def void() -> Response:
        """VoID of the dataset: triples, classes, properties, graphs and linksets (Turtle by default)."""
        from .sparql import protocol
        from .sparql.void import void_description

        store = app.extensions["dsih_store"]
        settings = app.config["DSIH_SETTINGS"]
        fmt, media = protocol.negotiate("graph", _graph_accept(), request.args.get("format"))
        generation = store.generation
        with void_lock:
            cached = void_cache.get("graph")
            if cached is None or cached[0] != generation:
                graph = void_description(store, settings.base_iri, request.host_url.rstrip("/") + "/sparql")
                void_cache["graph"] = cached = (generation, graph)
        name = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}[fmt]
        response = Response(cached[1].serialize(format=name, encoding="utf-8"), content_type=media)
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response


def _graph_accept() -> str:
    from .sparql.protocol import GRAPH_MEDIA, parse_accept

    accept = request.headers.get("Accept") or ""
    for media, _q in parse_accept(accept):
        if any(media in accepted for _, accepted in GRAPH_MEDIA.values()):
            return accept
    return "text/turtle"


def create_app(settings: Settings | None = None) -> Flask:
    """Build the WSGI app for ``settings`` (defaults < DSIH_* environment < explicit overrides)."""
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["DSIH_SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body

    from .importers.run import open_store_with_imports

    # imports and linksets are kept as files: an in-memory store starts without them
    store = open_store_with_imports(settings)
    app.extensions["dsih_store"] = store

    from .explorer import views as explorer_views
    from .reconcile import views as reconcile_views
    from .sparql import views as sparql_views

    _register_errors(app)
    _register_logging(app)
    _register_routes(app)
    sparql_views.init_app(app)
    explorer_views.init_app(app)
    reconcile_views.init_app(app)
    return app
