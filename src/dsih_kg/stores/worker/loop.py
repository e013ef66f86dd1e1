"""A worker's life: read a request frame, answer it with the engine, write the reply; die with the parent.

The parent (:mod:`dsih_kg.stores.pool`) ends a worker with SIGKILL at a query's deadline, which is the
only way to stop a pyoxigraph query. Whatever the engine raises becomes a reply with an error kind of
:mod:`.wire`; nothing but frames reaches the parent's pipe.
"""

from __future__ import annotations

import os
import sys
import threading
import time

from . import wire
from .wire import IO, SYNTAX, TOO_LARGE, UNSUPPORTED, TooLarge, Unsupported, error


def handle(engine, request: dict) -> dict:
    """One request in, one reply out; an engine's failure is a reply, never the worker's death."""
    op = request.get("op")
    try:
        if "reopen" in request:
            engine.open(request["reopen"])
        if request.get("apply"):
            engine.apply(request["apply"])
        if op == "ping":
            return {"ok": True}
        if op not in wire.OPERATIONS:
            return error(UNSUPPORTED, f"Unknown operation {op!r}.")
        return getattr(engine, op)(request)
    except SyntaxError as exc:
        return error(SYNTAX, str(exc))
    except TooLarge as exc:
        return error(TOO_LARGE, str(exc))
    except Unsupported as exc:
        return error(UNSUPPORTED, str(exc))
    except (OSError, RuntimeError) as exc:  # pyoxigraph: store (RocksDB) and HTTP failures
        return error(IO, f"{type(exc).__name__}: {exc}")
    except (ValueError, TypeError) as exc:  # bad terms, unknown formats
        return error(UNSUPPORTED, f"{type(exc).__name__}: {exc}")
    except RecursionError:
        return error(UNSUPPORTED, "The request is nested too deeply for the engine.")
    except Exception as exc:  # noqa: BLE001 - the process boundary: report, never die (rdflib raises anything)
        return error(UNSUPPORTED, f"The engine could not evaluate this request: {type(exc).__name__}: {exc}")


def _die_with_parent() -> None:
    """End this worker when the service dies (kill -9 included), even in the middle of a query.

    (PR_SET_PDEATHSIG would fire when the *thread* that started the worker ends, so a watchdog thread
    polls the parent instead; pyoxigraph releases the GIL while it evaluates.)
    """
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _engine(config: dict):
    if config["engine"] == "oxigraph":
        from .oxigraph_engine import OxigraphEngine

        return OxigraphEngine(config)
    from .rdflib_engine import RdflibEngine

    return RdflibEngine(config)


def serve(stdin, stdout) -> None:
    """Configure from the first frame, announce readiness, then answer frames until stdin closes."""
    config = wire.read(stdin)
    if config is None:
        return
    engine = _engine(config)
    sandboxed = False
    if config.get("sandbox"):
        from .sandbox import deny_network

        sandboxed = deny_network()
    wire.write(stdout, {"ok": True, "ready": True, "sandboxed": sandboxed, "pid": os.getpid()})
    while (request := wire.read(stdin)) is not None:
        wire.write(stdout, handle(engine, request))


def main() -> None:
    _die_with_parent()
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames may reach the parent's pipe
    try:
        serve(stdin, stdout)
    except BrokenPipeError:  # the parent went away
        pass
