"""A WSGI layer in front of Flask that answers repeated /sparql requests from memory.

A GET or POST to /sparql whose raw request (method, query string, content type, body, ``Accept``) got a
cacheable 200 on this data generation gets the same answer again, or a 304 for a matching
``If-None-Match``, without Flask, the protocol parser or the lexer. Everything else (first requests,
errors, HEAD, chunked bodies) goes to Flask unchanged, which answers and tells this layer what to keep.
"""

from __future__ import annotations

import io
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from .endpoint import CACHE_MAX_BODY, Reply, etag_matches

ENVIRON_KEY = "dsih.sparql.front"  # (raw key, generation) of a request the view may let this layer keep

Key = tuple[str, str, str, bytes, str]
Entry = tuple[str, bytes, list[tuple[str, str]], list[tuple[str, str]]]  # etag, body, 200 and 304 headers


class FastPath:
    """Wraps ``app`` (a WSGI callable); ``generation()`` names the data the answers belong to."""

    def __init__(
        self,
        app: Callable[..., Iterable[bytes]],
        generation: Callable[[], str],
        extra_headers: list[tuple[str, str]],
        size: int,
        max_body: int,
        log: Callable[[dict, int, int | None, float], None] | None = None,
        path: str = "/sparql",
    ) -> None:
        self.app = app
        self.generation = generation
        self.extra_headers = extra_headers
        self.size = size
        self.max_body = max_body
        self.log = log
        self.path = path
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._generation = ""
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        method = environ.get("REQUEST_METHOD")
        if not self.size or environ.get("PATH_INFO") != self.path or method not in ("GET", "POST"):
            return self.app(environ, start_response)
        body = b""
        if method == "POST":
            length = environ.get("CONTENT_LENGTH") or ""
            if not length.isdigit() or int(length) > self.max_body:
                return self.app(environ, start_response)  # chunked or too large: Flask decides
            body = environ["wsgi.input"].read(int(length))
            environ["wsgi.input"] = io.BytesIO(body)
        key = (
            method,
            environ.get("QUERY_STRING", ""),
            environ.get("CONTENT_TYPE", ""),
            body,
            environ.get("HTTP_ACCEPT", ""),
        )
        generation = self.generation()
        entry = self._lookup(key, generation)
        if entry is None:
            environ[ENVIRON_KEY] = (key, generation)
            return self.app(environ, start_response)
        etag, content, ok_headers, not_modified_headers = entry
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match and etag_matches(if_none_match, etag):
            status, headers, content = "304 NOT MODIFIED", not_modified_headers, b""
        else:
            status, headers = "200 OK", ok_headers
        elapsed = (time.perf_counter() - started) * 1000
        start_response(status, [*headers, ("Server-Timing", f"app;dur={elapsed:.2f}")])
        if self.log is not None:
            self.log(environ, int(status[:3]), len(content) if content else None, elapsed)
        return [content]

    def _lookup(self, key: Key, generation: str) -> Entry | None:
        with self._lock:
            if self._generation != generation:
                self._entries.clear()
                self._generation = generation
                return None
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def keep(self, environ: dict, reply: Reply) -> None:
        """Remember ``reply`` for the raw request of ``environ`` if it is a 200 that may be cached."""
        front = environ.get(ENVIRON_KEY)
        if front is None or reply.status != 200 or reply.headers.get("Cache-Control") != "no-cache":
            return
        if len(reply.body) > CACHE_MAX_BODY:
            return
        key, generation = front
        common = [*self.extra_headers, *reply.headers.items()]
        entry = (
            reply.headers["ETag"],
            reply.body,
            [*common, ("Content-Type", reply.content_type), ("Content-Length", str(len(reply.body)))],
            common,
        )
        with self._lock:
            if self._generation != generation:
                return
            self._entries[key] = entry
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
