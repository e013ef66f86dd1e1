"""A small pool of long-lived worker processes that really stops a query at its deadline.

Each worker (:mod:`.worker`) holds its own copy of the store and answers over a pipe, so a simple query
costs one pipe round trip. At the deadline the worker is killed with SIGKILL, which frees its CPU at
once, and a fresh one is started in the background; the caller gets :class:`QueryTimeout` right away.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

from .base import QueryTimeout, StoreUnavailable
from .worker import BOOT, wire

#: The folder whose ``worker`` package a worker process imports (without importing dsih_kg).
STORES_DIR = str(Path(__file__).parent)
#: Requests that may wait in line for a worker at once; one more is refused at once with 503.
MAX_WAITING = 64
#: Seconds a worker may take to bring its copy up to date after a write (a million triples: ~10 s).
REFRESH_TIMEOUT = 600.0


class WorkerDied(Exception):
    """The worker process ended or broke its pipe."""


class Worker:
    """One worker process and its pipes."""

    def __init__(self, config: dict, startup_timeout: float = 120.0) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-c", BOOT, STORES_DIR],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
        )
        self.pid = self.proc.pid
        self._in = self.proc.stdin.fileno()
        self._out = self.proc.stdout.fileno()
        self.source: str | None = config.get("path")
        self.sandboxed = False
        try:
            self._send(config)
            ready = self._receive(time.monotonic() + startup_timeout)
        except (WorkerDied, QueryTimeout):
            self.kill()
            raise StoreUnavailable("A query worker could not start; see the server log.") from None
        self.sandboxed = bool(ready.get("sandboxed"))

    def _send(self, message: dict) -> None:
        try:
            wire.write_fd(self._in, message)
        except (BrokenPipeError, OSError) as exc:
            raise WorkerDied(str(exc)) from None

    def _read_exactly(self, size: int, deadline: float) -> bytes:
        chunks, remaining = [], size
        while remaining:
            wait = deadline - time.monotonic()
            if wait <= 0:
                raise QueryTimeout("deadline")
            ready, _, _ = select.select([self._out], [], [], wait)
            if not ready:
                continue
            chunk = os.read(self._out, min(remaining, 1 << 20))
            if not chunk:
                raise WorkerDied("the worker closed its pipe")
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _receive(self, deadline: float) -> dict:
        size = wire.frame_size(self._read_exactly(4, deadline))
        return wire.decode(self._read_exactly(size, deadline))

    def call(self, request: dict, deadline: float) -> dict:
        self._send(request)
        return self._receive(deadline)

    def kill(self) -> None:
        try:
            self.proc.send_signal(signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass


class WorkerPool:
    """``size`` workers built from ``config``; ``run`` sends one request to an idle one.

    ``source``/``generation`` say which data the workers must hold: a worker whose copy is older is
    told to reopen before it answers (after an update, or when another process changed the store). An
    in-memory source can be a list of steps that only grows (:meth:`add_step`): a worker then applies
    just the steps it lacks. Bringing a copy up to date has its own, long deadline, so a big write
    never makes the next query time out.
    """

    def __init__(self, config: dict, size: int, name: str = "query") -> None:
        self.config = dict(config)
        self.size = max(1, size)
        self.name = name
        self._epoch = 0
        self._idle: deque[Worker] = deque()
        self._waiting: deque[object] = deque()
        #: Per request thread: ``seconds`` the last request of this thread waited for a worker.
        self.waited = threading.local()
        self._all: set[Worker] = set()
        self._versions: dict[int, tuple[int, int]] = {}
        self._cond = threading.Condition()
        self._closed = False
        threads = [threading.Thread(target=self._spawn, daemon=True) for _ in range(self.size)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if not self._all:
            raise StoreUnavailable(f"No {name} worker could start; see the server log.")

    @property
    def sandboxed(self) -> bool:
        with self._cond:
            return bool(self._all) and all(w.sandboxed for w in self._all)

    def set_source(self, path: str | list | None) -> None:
        """From now on workers must hold the data at ``path`` (reopened lazily, before their next answer)."""
        with self._cond:
            self.config["path"] = path
            self._epoch += 1

    def add_step(self, step: tuple) -> None:
        """Append a step to a list source; workers apply it (and only it) before their next answer."""
        with self._cond:
            source = self.config.get("path")
            self.config["path"] = [*wire.source_steps(source), step]

    def _version(self) -> tuple[int, int]:
        source = self.config.get("path")
        return (self._epoch, len(source) if isinstance(source, list) else 0)

    def _spawn(self) -> None:
        with self._cond:
            config, version = dict(self.config), self._version()
        try:
            worker = Worker(config)
        except StoreUnavailable:
            return
        with self._cond:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
            self._versions[worker.pid] = version
            self._idle.append(worker)
            self._cond.notify_all()

    def _acquire(self, deadline: float) -> Worker:
        """The next idle worker, first come first served: a request waits in line until ``deadline``."""
        with self._cond:
            if self._idle and not self._waiting:
                return self._idle.popleft()
            if len(self._waiting) >= MAX_WAITING:
                raise StoreUnavailable(
                    f"{MAX_WAITING} requests are already waiting for a query worker; try again in a moment."
                )
            ticket = object()
            self._waiting.append(ticket)
            try:
                while not (self._idle and self._waiting[0] is ticket):
                    wait = deadline - time.monotonic()
                    if wait <= 0 or self._closed:
                        raise StoreUnavailable(
                            f"All {self.size} query workers stayed busy; try again in a moment."
                        )
                    self._cond.wait(wait)
                return self._idle.popleft()
            finally:
                self._waiting.remove(ticket)
                self._cond.notify_all()  # the next in line may be served now

    def _release(self, worker: Worker) -> None:
        with self._cond:
            self._idle.append(worker)
            self._cond.notify_all()

    def _replace(self, worker: Worker) -> None:
        worker.kill()
        with self._cond:
            self._all.discard(worker)
            self._versions.pop(worker.pid, None)
            if self._closed:
                return
        threading.Thread(target=self._spawn, daemon=True).start()

    def run(self, request: dict, timeout: float, queue_timeout: float | None = None) -> dict:
        """Answer ``request`` in a worker within ``timeout`` seconds, or kill it and raise QueryTimeout.

        A request first waits in line for an idle worker, up to ``queue_timeout`` seconds (default
        ``timeout``); how long it waited is kept in :attr:`waited` for this thread (Server-Timing).
        """
        queued = time.monotonic()
        worker = self._acquire(queued + (timeout if queue_timeout is None else queue_timeout))
        self.waited.seconds = time.monotonic() - queued
        with self._cond:
            have, version, source = self._versions.get(worker.pid), self._version(), self.config.get("path")
        if have != version:
            if isinstance(source, list) and have and have[0] == version[0] and have[1] < version[1]:
                refresh = {"apply": source[have[1] :]}
            else:
                refresh = {"reopen": source or ""}
            try:
                reply = worker.call({"op": "ping", **refresh}, time.monotonic() + REFRESH_TIMEOUT)
            except (QueryTimeout, WorkerDied):
                self._replace(worker)
                raise StoreUnavailable("A query worker could not load the new data; see the server log.") from None
            if not reply.get("ok"):
                self._release(worker)
                return reply
            with self._cond:
                self._versions[worker.pid] = version
        deadline = time.monotonic() + timeout
        try:
            reply = worker.call(request, deadline)
        except QueryTimeout:
            self._replace(worker)
            raise QueryTimeout(
                f"The query ran longer than {timeout:g} s and was stopped. Narrow it down (LIMIT, more "
                f"specific patterns) or ask for a longer limit."
            ) from None
        except WorkerDied:
            self._replace(worker)
            raise StoreUnavailable(
                "The query worker stopped unexpectedly; the query was not answered."
            ) from None
        self._release(worker)
        return reply

    def close(self) -> None:
        with self._cond:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._idle.clear()
            self._cond.notify_all()
        for worker in workers:
            worker.kill()
