"""Shared fixtures: the real service and a real Oxigraph server, started on 127.0.0.1 for the tests.

``live_server`` (session scope) is the service as ``dsih-kg serve`` runs it (waitress, query worker
processes, the in-memory Oxigraph store of the built graph, no update token, 3 s query limit). It yields
a :class:`LiveServer`, a ``str`` holding the base URL (``f"{live_server}/sparql"``) with ``.pid`` and
``.env``. Do not write to it; start your own with ``server_factory(DSIH_UPDATE_TOKEN="t", ...)``, which
takes ``DSIH_*`` settings as keyword arguments and stops every server it started at the end of the session.

``oxigraph_factory(nquads=None)`` starts ``oxigraph serve`` (the PyPI ``oxigraph`` binary) on a free
loopback port, optionally loaded with an N-Quads file, and yields its base URL (``/query``, ``/update``).
``built_nquads`` is the cached build of the graph (``graph.cached_build``), built once.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

#: Shared fixtures: the built graph and the curated data, built once per session (tests/graph_fixtures.py);
#: the explorer's in-process app and client (tests/explorer_support.py); the SPARQL oracle
#: (tests/sparql_support.py); the browser (tests/browser_support.py).
pytest_plugins = ["graph_fixtures", "explorer_support", "sparql_support", "browser_support"]

#: Fixtures that start a real process (service, Oxigraph server): a test using one is ``slow``.
PROCESS_FIXTURES = {"live_server", "server_factory", "oxigraph_factory"}
#: Modules that start processes themselves (CLI runs, killed imports, subprocess servers).
SLOW_MODULES = {"test_import_faults.py", "test_cli_query.py", "test_benchmarks.py"}

VENV_BIN = Path(sys.executable).parent
STARTUP_TIMEOUT = 180.0  # the first start may build the graph (reasoning takes seconds)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by what they cost: ``browser`` (Chromium), ``hostile`` (the hostile suite) and ``slow``
    (starts processes), so that ``make test-fast`` can leave them out; ``make test`` runs everything."""
    for item in items:
        parts = item.path.parts
        if "browser" in parts:
            item.add_marker(pytest.mark.browser)
        if "hostile" in parts:
            item.add_marker(pytest.mark.hostile)
        if item.path.name in SLOW_MODULES or PROCESS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _reset_dsih_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees a DSIH_* variable it did not set itself (from the shell, or from another test)."""
    for key in [key for key in os.environ if key.startswith("DSIH_")]:
        monkeypatch.delenv(key)


def _clean_env(**settings: str) -> dict[str, str]:
    """The process environment without anyone's DSIH_* variables, plus ``settings``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DSIH_")}
    env.update({key: str(value) for key, value in settings.items()})
    return env


class LiveServer(str):
    """A running service: the string is its base URL; ``proc``, ``pid``, ``env`` and ``log`` describe it."""

    proc: subprocess.Popen
    env: dict[str, str]
    log: list[str]

    def __new__(cls, url: str, proc: subprocess.Popen, env: dict[str, str], log: list[str]) -> LiveServer:
        self = super().__new__(cls, url)
        self.proc, self.env, self.log = proc, env, log
        return self

    @property
    def url(self) -> str:
        return str(self)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def wait_until_ready(url: str, timeout: float = STARTUP_TIMEOUT, path: str = "/readyz") -> None:
    """Poll ``url + path`` until it answers 200."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(url + path, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url}{path} did not become ready in {timeout:.0f} s")
        time.sleep(0.05)


def start_service(*args: str, **settings: str) -> LiveServer:
    """Run ``dsih-kg serve --port 0 ARGS`` with ``settings`` as DSIH_* variables; wait until it is ready."""
    env = _clean_env(DSIH_HOST="127.0.0.1", DSIH_PORT="0", DSIH_LOG_REQUESTS="false", **settings)
    proc = subprocess.Popen(
        [sys.executable, "-m", "dsih_kg", "serve", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log: list[str] = []
    announced = threading.Event()
    url: list[str] = []

    def drain() -> None:  # keep reading stderr so the pipe never fills
        for line in proc.stderr:
            log.append(line)
            if "serving on " in line and not url:
                url.append(line.rsplit("serving on ", 1)[1].strip())
                announced.set()
        announced.set()

    threading.Thread(target=drain, daemon=True).start()
    if not announced.wait(STARTUP_TIMEOUT) or not url:
        proc.kill()
        raise RuntimeError("dsih-kg serve did not start:\n" + "".join(log[-40:]))
    server = LiveServer(url[0], proc, env, log)
    try:
        wait_until_ready(server.url)
    except RuntimeError:
        server.stop()
        raise RuntimeError("dsih-kg serve never became ready:\n" + "".join(log[-40:])) from None
    return server


@pytest.fixture(scope="session")
def built_nquads() -> Path:
    """The cached build of the graph as N-Quads (built once, reused by every server)."""
    from dsih_kg.config import load_settings
    from dsih_kg.graph import cached_build

    return cached_build(load_settings(environ={}))


@pytest.fixture(scope="session")
def server_factory(built_nquads):
    """Start extra services with their own settings: ``server_factory(DSIH_UPDATE_TOKEN="t")``."""
    started: list[LiveServer] = []

    def start(*args: str, **settings: str) -> LiveServer:
        server = start_service(*args, **settings)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def live_server(server_factory) -> LiveServer:
    """The service on 127.0.0.1 (read-only, 3 s query limit); a ``str`` base URL. Do not write to it."""
    return server_factory(DSIH_QUERY_TIMEOUT="3", DSIH_WORKERS="2")


def free_port() -> int:
    """A port free right now on 127.0.0.1 (for servers that cannot be told to pick one themselves)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oxigraph_factory(tmp_path_factory):
    """Start ``oxigraph serve`` on a free port: ``oxigraph_factory(nquads=None, union_default_graph=...)``.

    Yields the base URL (``/query``, ``/update``); every server started is stopped after the session.
    """
    binary = shutil.which("oxigraph", path=str(VENV_BIN)) or shutil.which("oxigraph")
    if binary is None:
        pytest.fail("The oxigraph server binary is missing: pip install oxigraph (in the test extras).")
    procs: list[subprocess.Popen] = []

    def start(nquads: Path | None = None, union_default_graph: bool = False) -> str:
        location = tmp_path_factory.mktemp("oxigraph")
        if nquads is not None:
            subprocess.run(
                [binary, "load", "--location", str(location), "--file", str(nquads)],
                check=True,
                capture_output=True,
            )
        for _attempt in range(5):
            port = free_port()
            args = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
            if union_default_graph:
                args.append("--union-default-graph")
            proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            url = f"http://127.0.0.1:{port}"
            try:
                wait_until_ready(url, timeout=20, path="/query?query=ASK%7B%7D")
            except RuntimeError:
                proc.kill()
                proc.wait()
                continue
            procs.append(proc)
            return url
        raise RuntimeError("oxigraph serve did not start")

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(10)
