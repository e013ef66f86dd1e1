"""The HTTP edge every blueprint shares: the error answer, content choice, access log, CORS and security headers.

Views only raise (``abort()``, :class:`~dsih_kg.errors.UserError` and its kinds, the store's errors); one
app-level handler turns every one of them into the one error shape, ``{"error": message, "status": code}``
(plus context), or the explorer's HTML error page when a browser asks for HTML. The headers are chosen
here for every answer, so error pages, 304s, static files and the /sparql fast path get them too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, current_app, g, render_template, request
from jinja2.utils import htmlsafe_json_dumps
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_accept_header

from .errors import DsihError, UserError
from .sparql.protocol import ProtocolError
from .stores import QuerySyntaxError, QueryTimeout, ResultTooLarge, StoreUnavailable, Unsupported

access_log = logging.getLogger("dsih_kg.access")
ACCESS_FORMAT = '%s "%s %s" %s %s %.2fms'

#: Scripts, styles and connections from this site only (Yasgui sets inline styles, so 'unsafe-inline' for
#: styles); no plugins, no framing, forms post here. Strict enough for every page, the query editor included.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", CSP),
    ("Referrer-Policy", "same-origin"),
)
#: The reconciliation preview card is shown inside OpenRefine's page (an iframe from another origin).
PREVIEW_SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", CSP.replace("frame-ancestors 'none'", "frame-ancestors *")),
    ("Referrer-Policy", "same-origin"),
)
#: Machine surfaces any web page may call (Yasgui elsewhere, OpenRefine in a browser).
SPARQL_CORS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Accept, Content-Type, Authorization, If-None-Match"),
    ("Access-Control-Expose-Headers", "ETag, Content-Type"),
    ("Access-Control-Max-Age", "86400"),
)
RECONCILE_CORS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Content-Type"),
)
_CORS_BY_PATH = (
    ("/sparql", SPARQL_CORS),
    ("/update", SPARQL_CORS),
    ("/.well-known/void", SPARQL_CORS),
    ("/reconcile", RECONCILE_CORS),
)


def edge_headers(path: str) -> list[tuple[str, str]]:
    """The headers every answer to ``path`` carries: security headers, and CORS on the machine surfaces."""
    security = PREVIEW_SECURITY_HEADERS if path == "/reconcile/preview" else SECURITY_HEADERS
    for prefix, cors in _CORS_BY_PATH:
        if path == prefix or path.startswith(prefix + "/"):
            return [*security, *cors]
    return list(security)


def wants_html(accept: str | None) -> bool:
    """Whether the client ranks HTML above JSON. Browsers name text/html; ``*/*`` (curl, requests, SPARQL
    clients) and no header at all get JSON, the shape a program can read."""
    if not accept:
        return False
    ranges = parse_accept_header(accept, MIMEAccept)
    return ranges["text/html"] > ranges["application/json"]


# --- the one error answer ------------------------------------------------------------------------------

_HTTP_MESSAGES = {
    404: "Nothing here: {path}",
    405: "{method} is not allowed on {path}.",
    413: "The request body is too large.",
}


def describe(exc: BaseException) -> tuple[int, str, dict[str, str], dict[str, object]]:
    """(status, message, headers, context) for an exception a view raised."""
    if isinstance(exc, ProtocolError):
        context = dict(exc.context)
        headers = {}
        if "allow" in context:
            headers["Allow"] = ", ".join(context.pop("allow"))  # type: ignore[arg-type]
        if "www_authenticate" in context:
            headers["WWW-Authenticate"] = str(context.pop("www_authenticate"))
        return exc.status, exc.message, headers, context
    if isinstance(exc, QuerySyntaxError):
        what = "update" if request.path == "/update" else "query"
        return 400, f"The {what} does not parse: {exc}", {}, {}
    if isinstance(exc, ResultTooLarge):
        return 413, f"{exc} Add a LIMIT or narrow the query down.", {}, {}
    if isinstance(exc, (Unsupported, UserError)):
        return 400, str(exc), {}, {}
    if isinstance(exc, QueryTimeout):
        return 503, str(exc), {"Retry-After": "1"}, {"timeout": True}
    if isinstance(exc, StoreUnavailable):
        return 503, str(exc), {"Retry-After": "1"}, {}
    if isinstance(exc, HTTPException):
        status = exc.code or 500
        headers = {}
        valid = getattr(exc, "valid_methods", None)
        if status == 405 and valid:
            headers["Allow"] = ", ".join(valid)
        message = vars(exc).get("description")  # the sentence of abort(status, sentence), if any
        template = _HTTP_MESSAGES.get(status)
        if not message and template:
            message = template.format(path=request.path, method=request.method)
        return status, message or exc.description or exc.name, headers, {}
    return 500, "An internal error occurred; it has been logged.", {}, {}


def error_response(status: int, message: str, headers: dict[str, str] | None = None, **context: object) -> Response:
    """The one error shape: JSON ``{"error", "status", ...}``, or the HTML error page for browsers. A 404
    offers close pages (``did_you_mean``) when a blueprint registered a way to find them."""
    suggest = current_app.extensions.get("dsih_did_you_mean") if status == 404 else None
    suggestions = suggest(request.path) if suggest else []
    if suggestions:
        context = {**context, "did_you_mean": [page for page, _label in suggestions]}
    if wants_html(request.headers.get("Accept")):
        page = _error_page(status, message, suggestions)
        response = Response(page, status=status, content_type="text/html; charset=utf-8")
    else:  # < > & ' as \u escapes: the message may quote the request, and JSON ends up in pages too
        body = htmlsafe_json_dumps({"error": message, "status": status, **context})
        response = Response(f"{body}\n", status=status, content_type="application/json")
    response.headers.update(headers or {})
    return response


def _error_page(status: int, message: str, suggestions: list | None = None) -> str:
    """The explorer's error page (explorer/templates/error.html), in the reader's language if chosen."""
    if not hasattr(g, "lang"):
        g.lang = "nl"
    return render_template("error.html", code=status, message=message, suggestions=suggestions or [])


def handle_error(exc: Exception) -> Response:
    """The app-level handler for every error a view raises."""
    status, message, headers, context = describe(exc)
    return error_response(status, message, headers, **context)


def answer_exception(
    app: Flask, environ: dict, start_response: Callable[..., Any], exc: Exception, started: float
) -> Iterable[bytes]:
    """Answer ``exc`` for a request served outside Flask's dispatch (the /sparql fast path), exactly as the
    app would: same handler, same headers, same access log line."""
    with app.request_context(environ):
        g.dsih_started = started
        try:
            response = app.finalize_request(app.handle_user_exception(exc))
        except Exception as unhandled:  # noqa: BLE001 - a bug: Flask logs it and answers 500 in our shape
            response = app.handle_exception(unhandled)
        return response(environ, start_response)


# --- access log and headers ----------------------------------------------------------------------------


def server_timing(elapsed_ms: float, queue_wait: float | None) -> str:
    """The Server-Timing value: the whole answer, and the wait in line for a query worker when one was asked."""
    timing = f"app;dur={elapsed_ms:.2f}"
    return timing if queue_wait is None else f"{timing}, queue;dur={queue_wait * 1000:.2f}"


def log_access(environ: dict, status: int, length: int | None, elapsed_ms: float) -> None:
    """One access-log line for a request answered outside Flask (the /sparql fast path)."""
    path = f"{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}".rstrip("?")
    method, remote = environ.get("REQUEST_METHOD"), environ.get("REMOTE_ADDR")
    access_log.info(ACCESS_FORMAT, remote, method, path[:300], status, "-" if length is None else length, elapsed_ms)


def init_app(app: Flask) -> None:
    """Install the edge on ``app``: the error handler, the headers of every answer, the access log."""
    app.register_error_handler(HTTPException, handle_error)
    app.register_error_handler(DsihError, handle_error)
    log_requests = app.config["DSIH_SETTINGS"].log_requests
    app.extensions["dsih_access_log"] = log_access if log_requests else None

    @app.before_request
    def start_timer() -> None:
        g.dsih_started = time.perf_counter()

    @app.after_request
    def edge(response: Response) -> Response:
        for key, value in edge_headers(request.path):
            response.headers.setdefault(key, value)
        started = g.get("dsih_started")
        if started is not None:
            elapsed = (time.perf_counter() - started) * 1000
            store = current_app.extensions.get("dsih_store")
            waited = None if store is None else store.take_queue_wait()
            response.headers["Server-Timing"] = server_timing(elapsed, waited)
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
