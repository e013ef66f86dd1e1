"""Production serving with waitress (or Flask's development server with ``dev=True``).

Why waitress: it reads whole requests (headers and body, chunked included) in its event loop before a
thread sees them, so slow or idle clients cost a socket, not a thread; the threads only run the app.
The CPU-heavy work happens in the store's query worker processes (``settings.workers``), so threads
mostly wait on pipes and a few of them serve many clients.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable

from flask import Flask

from .config import Settings

log = logging.getLogger("dsih_kg.server")


def configure_logging(settings: Settings) -> None:
    """Access log and server messages on stderr, one line each."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger("dsih_kg")
    if not root.handlers:
        root.addHandler(handler)
    root.setLevel(logging.INFO)


def _keep_alive_channel():
    """waitress's channel, except that a 304 or 204 keeps an HTTP/1.1 connection open.

    waitress 3 closes the connection after any answer it sends without a Content-Length, including
    those that must not have one (304, 204), so every revalidation (``If-None-Match`` -> 304) would cost
    the client a new TCP connection.
    """
    from waitress.channel import HTTPChannel
    from waitress.task import WSGITask

    class KeepAliveTask(WSGITask):
        _bodiless_keep_alive = False

        def build_response_header(self):
            self._bodiless_keep_alive = (
                self.version == "1.1"
                and not self.has_body
                and self.request.headers.get("CONNECTION", "").lower() != "close"
            )
            try:
                return super().build_response_header()
            finally:
                self._bodiless_keep_alive = False

        def set_close_on_finish(self) -> None:
            if not self._bodiless_keep_alive:
                super().set_close_on_finish()

    class KeepAliveChannel(HTTPChannel):
        task_class = KeepAliveTask

    return KeepAliveChannel


def make_server(app: Flask, settings: Settings):
    """A waitress server bound to settings.host:settings.port (port 0: any free port; see .effective_port)."""
    from waitress.server import BaseWSGIServer, create_server

    sockets: dict = {}
    server = create_server(
        app,
        map=sockets,
        host=settings.host,
        port=settings.port,
        threads=settings.threads,
        # bodies a little past the app's cap reach the app and get its JSON 413; far larger ones are
        # cut off by waitress itself (a plain-text 413) before they use memory or disk
        max_request_body_size=max(4 * settings.max_body, settings.max_body + (8 << 20)),
        max_request_header_size=262144,
        connection_limit=1000,
        channel_timeout=60,
        cleanup_interval=10,
        ident="dsih-kg",
        clear_untrusted_proxy_headers=True,
    )
    channel = _keep_alive_channel()
    for listener in list(sockets.values()):
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = channel
    return server


def serve(settings: Settings, dev: bool = False, ready: Callable[[str], None] | None = None) -> None:
    """Open the store, build the app and serve until interrupted; ``ready`` gets the base URL."""
    from .app import create_app

    configure_logging(settings)
    app = create_app(settings)
    store = app.extensions["dsih_store"]
    try:
        if dev:
            url = f"http://{settings.host}:{settings.port}"
            if ready:
                ready(url)
            app.run(host=settings.host, port=settings.port, debug=False, threaded=True, use_reloader=False)
            return
        server = make_server(app, settings)
        url = f"http://{settings.host}:{server.effective_port}"
        log.info(
            "serving %s store (%s) on %s with %d threads, %d query workers",
            store.name,
            "network sandboxed" if store.sandboxed else "no network sandbox",
            url,
            settings.threads,
            settings.workers,
        )
        if ready:
            ready(url)

        def stop(_signum, _frame):
            threading.Thread(target=server.close, daemon=True).start()
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop)
        try:
            server.run()
        except (KeyboardInterrupt, SystemExit):
            pass
    finally:
        store.close()
