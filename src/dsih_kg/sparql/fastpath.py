"""A WSGI layer in front of Flask that answers GET and POST queries to /sparql without it.

Flask's request and response machinery costs more than a cached answer: here a query goes straight to
:meth:`Endpoint.answer`, which answers a repeat from the endpoint's one answer cache (or with a 304 for
a matching ``If-None-Match``) before lexing it or asking the store. Anything else (HEAD, OPTIONS, chunked or
oversized bodies, the service description) goes to Flask. An error is answered by ``fail``, which hands
it to the app's one error handler (:func:`dsih_kg.web.answer_exception`): the query is not run twice.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from ..web import server_timing
from .endpoint import Endpoint, Reply

_STATUS = {code: f"{code} {HTTPStatus(code).phrase.upper()}" for code in (200, 304)}  # as Werkzeug writes them


class FastPath:
    """Wraps ``app`` (the Flask app's WSGI callable) for ``path``; the endpoint keeps the answers.

    ``extra_headers`` go on every answer it sends itself (the edge's CORS and security headers).
    """

    def __init__(
        self,
        app: Callable[..., Iterable[bytes]],
        endpoint: Endpoint,
        extra_headers: list[tuple[str, str]],
        max_body: int,
        log: Callable[[dict, int, int | None, float], None] | None = None,
        path: str = "/sparql",
        fail: Callable[[dict, Callable[..., Any], Exception, float], Iterable[bytes]] | None = None,
    ) -> None:
        self.app = app
        self.endpoint = endpoint
        self.extra_headers = extra_headers
        self.max_body = max_body
        self.log = log
        self.path = path
        self.fail = fail

    def __call__(self, environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        method = environ.get("REQUEST_METHOD")
        if environ.get("PATH_INFO") != self.path or method not in ("GET", "POST"):
            return self.app(environ, start_response)
        body = b""
        if method == "POST":
            length = environ.get("CONTENT_LENGTH") or ""
            if not length.isdigit() or int(length) > self.max_body:
                return self.app(environ, start_response)  # chunked or too large: Flask answers
            body = environ["wsgi.input"].read(int(length))
            environ["wsgi.input"] = io.BytesIO(body)
        query_string = environ.get("QUERY_STRING", "")
        content_type = environ.get("CONTENT_TYPE", "")
        accept = environ.get("HTTP_ACCEPT")
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        try:
            reply = self.endpoint.answer(
                method, content_type or None, query_string.encode("latin-1"), body, accept, if_none_match
            )
        except Exception as exc:  # noqa: BLE001 - not handled here: the app's one error handler answers
            if self.fail is None:
                raise
            return self.fail(environ, start_response, exc, started)
        if reply is None:  # the service description
            return self.app(environ, start_response)
        headers, content = self._headers(reply)
        return self._respond(environ, start_response, started, reply.status, headers, content)

    def _respond(
        self,
        environ: dict,
        start_response: Callable[..., Any],
        started: float,
        status: int,
        headers: list[tuple[str, str]],
        content: bytes,
    ) -> list[bytes]:
        elapsed = (time.perf_counter() - started) * 1000
        timing = server_timing(elapsed, self.endpoint.store.take_queue_wait())
        start_response(_STATUS[status], [*headers, ("Server-Timing", timing)])
        if self.log is None:
            return [content]
        return _Body(content, self.log, (environ, status, len(content) if content else None, elapsed))

    def _headers(self, reply: Reply) -> tuple[list[tuple[str, str]], bytes]:
        """Headers and body of ``reply`` as Flask would send them (a 304 has no Content-Type or length)."""
        headers = [*self.extra_headers, *reply.headers.items()]
        if reply.status == 304:
            return headers, b""
        return [*headers, ("Content-Type", reply.content_type), ("Content-Length", str(len(reply.body)))], reply.body


class _Body(list):
    """The answer's body; the access log line is written on ``close()``, which the WSGI server calls once
    the body is sent, so the client does not wait for the log."""

    def __init__(self, content: bytes, log: Callable[..., None], record: tuple) -> None:
        super().__init__([content])
        self._log, self._record = log, record

    def close(self) -> None:
        self._log(*self._record)
