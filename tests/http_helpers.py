"""The one assertion for the HTTP error shape, and small helpers the HTTP tests share."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import requests
from werkzeug.test import TestResponse

JSON = {"Accept": "application/json"}


def assert_error(response: requests.Response | TestResponse, status: int | tuple[int, ...], contains: str = "") -> dict:
    """The response is an error with the one JSON shape ``{"error": message, "status": code}``."""
    statuses = (status,) if isinstance(status, int) else status
    assert response.status_code in statuses, (response.status_code, response.text[:500])
    assert response.headers["Content-Type"].startswith("application/json"), response.headers["Content-Type"]
    body = response.json() if callable(response.json) else response.json  # requests, or werkzeug's test client
    assert body["status"] == response.status_code
    assert isinstance(body["error"], str) and len(body["error"]) > 10, body
    if contains:
        assert contains.lower() in body["error"].lower(), body["error"]
    return body


@contextmanager
def loopback_listener(backlog: int = 64) -> Iterator[tuple[int, list[bytes]]]:
    """A TCP listener on 127.0.0.1 that records the first bytes of every connection it gets: a test that
    expects no outbound request asserts that the list stays empty."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(backlog)
    sock.settimeout(0.2)
    hits: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            conn.settimeout(0.5)
            try:
                hits.append(conn.recv(300))
            except OSError:
                hits.append(b"")
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1], hits
    finally:
        stop.set()
        thread.join()
        sock.close()
