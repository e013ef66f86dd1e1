"""HTTP clients that measure: one client alternating between servers, and N concurrent clients.

Every loop is bounded twice, by a count and by seconds; every request by a timeout. All clients use
``requests.Session`` (keep-alive) the same way for both servers, and read the whole body.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

#: A request: URL, query parameters, headers.
Request = tuple[str, dict[str, str], dict[str, str]]


@dataclass
class Timing:
    """What one lane measured: latencies of good answers (seconds), errors, statuses."""

    seconds: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0
    error_examples: list[str] = field(default_factory=list)
    app_ms: list[float] = field(default_factory=list)  # Server-Timing app;dur, when the server sends it
    wall: float = 0.0  # seconds from first request sent to last answer read
    bytes: int = 0

    def add(self, seconds: float, response: requests.Response | None, error: str | None = None) -> None:
        if response is not None:
            self.statuses[response.status_code] += 1
            self.bytes += len(response.content)
            timing = response.headers.get("Server-Timing", "")
            if "dur=" in timing and response.status_code in (200, 304):
                try:
                    self.app_ms.append(float(timing.split("dur=")[1].split(",")[0].split(";")[0]))
                except ValueError:
                    pass
        if error is None and response is not None and response.status_code in (200, 304):
            self.seconds.append(seconds)
        else:
            self.errors += 1
            if len(self.error_examples) < 3:
                self.error_examples.append(error or f"{response.status_code}: {response.text[:200]}")

    @property
    def n(self) -> int:
        return len(self.seconds)

    def percentile(self, p: float) -> float | None:
        """The p-th percentile (nearest rank), in seconds; None without samples."""
        if not self.seconds:
            return None
        ordered = sorted(self.seconds)
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1]

    @property
    def p50(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    @property
    def p99(self) -> float | None:
        return self.percentile(99)

    @property
    def throughput(self) -> float | None:
        """Good answers per second over the lane's wall time."""
        return self.n / self.wall if self.wall > 0 and self.n else None

    def summary(self) -> dict:
        return {
            "n": self.n,
            "errors": self.errors,
            "p50_ms": _ms(self.p50),
            "p99_ms": _ms(self.p99),
            "mean_ms": _ms(statistics.fmean(self.seconds)) if self.seconds else None,
            "throughput": self.throughput,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "app_p50_ms": statistics.median(self.app_ms) if self.app_ms else None,
            "error_examples": self.error_examples,
            "bytes": self.bytes,
        }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


@dataclass
class Lane:
    """One stream of requests from the single client: a server, and whether it revalidates by ETag."""

    name: str
    session: requests.Session
    revalidate: bool = False
    etags: dict[str, str] = field(default_factory=dict)


def send(lane: Lane, request: Request, timeout: float, timing: Timing | None) -> requests.Response | None:
    """Send one request (with If-None-Match when the lane revalidates and knows the ETag); time it."""
    url, params, headers = request
    key = url + repr(sorted(params.items())) + repr(sorted(headers.items()))
    if lane.revalidate and key in lane.etags:
        headers = {**headers, "If-None-Match": lane.etags[key]}
    started = time.perf_counter()
    try:
        response = lane.session.get(url, params=params, headers=headers, timeout=timeout)
        response.content  # noqa: B018 (read the whole body inside the timing)
    except requests.RequestException as exc:
        if timing is not None:
            timing.add(time.perf_counter() - started, None, f"{type(exc).__name__}: {exc}"[:200])
        return None
    elapsed = time.perf_counter() - started
    if lane.revalidate and response.status_code == 200 and response.headers.get("ETag"):
        lane.etags[key] = response.headers["ETag"]
    if timing is not None:
        timing.add(elapsed, response)
    return response


def alternate(
    lanes: list[Lane],
    make: Callable[[Lane, int], Request],
    *,
    rounds: int,
    seconds: float,
    min_rounds: int = 3,
    timeout: float = 60.0,
    warm: int | None = None,
) -> dict[str, Timing]:
    """Round ``i`` sends request ``make(lane, i)`` on every lane, rotating which lane goes first, so that
    noise hits all lanes alike. Stops after ``rounds`` rounds, or after ``seconds`` once ``min_rounds``
    are done. ``warm``: a request number sent once on every lane first, not timed."""
    timings = {lane.name: Timing() for lane in lanes}
    if warm is not None:
        for lane in lanes:
            send(lane, make(lane, warm), timeout, None)
    started = time.perf_counter()
    for i in range(rounds):
        if i >= min_rounds and time.perf_counter() - started > seconds:
            break
        shift = i % len(lanes)
        for lane in lanes[shift:] + lanes[:shift]:
            t0 = time.perf_counter()
            send(lane, make(lane, i), timeout, timings[lane.name])
            timings[lane.name].wall += time.perf_counter() - t0
    return timings


# --- concurrent clients (processes, so that the client's own GIL does not cap the rate) ---------------

_SESSIONS: dict[str, requests.Session] = {}


def _client(task: dict) -> dict:
    """One client process: warm its connection, wait for the common start, then send requests in turn
    until ``duration`` has passed (the request in flight finishes) or ``max_requests`` are sent."""
    session = _SESSIONS.setdefault(task["warm"][0], requests.Session())
    try:
        session.get(task["warm"][0], params=task["warm"][1], timeout=task["timeout"]).content  # noqa: B018
    except requests.RequestException:
        pass
    while time.monotonic() < task["start"]:
        time.sleep(min(0.005, max(0.0, task["start"] - time.monotonic())))
    stop = task["start"] + task["duration"]
    seconds, errors, examples, i = [], 0, [], 0
    reqs = task["requests"]
    while i < task["max_requests"] and (i == 0 or time.monotonic() < stop):  # at least one request
        url, params, headers = reqs[i % len(reqs)]
        i += 1
        t0 = time.perf_counter()
        try:
            response = session.get(url, params=params, headers=headers, timeout=task["timeout"])
            response.content  # noqa: B018
            ok = response.status_code in (200, 304)
            why = None if ok else f"{response.status_code}: {response.text[:200]}"
        except requests.RequestException as exc:
            ok, why = False, f"{type(exc).__name__}: {exc}"[:200]
        if ok:
            seconds.append(time.perf_counter() - t0)
        else:
            errors += 1
            if len(examples) < 2:
                examples.append(why)
    return {"seconds": seconds, "errors": errors, "examples": examples, "end": time.monotonic()}


class ClientPool:
    """``clients`` long-lived client processes (each keeps its keep-alive session between runs)."""

    def __init__(self, clients: int) -> None:
        self.clients = clients
        self._pool = multiprocessing.get_context("fork").Pool(clients)

    def run(
        self,
        requests_: list[Request],
        *,
        duration: float,
        warm: tuple[str, dict[str, str]],
        timeout: float = 60.0,
        max_requests: int = 100_000,
    ) -> Timing:
        """All clients send ``requests_`` for ``duration`` seconds: client k takes requests k, k + N,
        k + 2N... so that no two clients send the same request (when there are at least N of them)."""
        start = time.monotonic() + 0.3
        n = self.clients
        tasks = [
            {
                "requests": requests_[k::n] if len(requests_) >= n else requests_[k % len(requests_) :] + requests_,
                "start": start,
                "duration": duration,
                "timeout": timeout,
                "warm": warm,
                "max_requests": max_requests,
            }
            for k in range(self.clients)
        ]
        results = self._pool.map(_client, tasks, chunksize=1)
        timing = Timing()
        for result in results:
            timing.seconds.extend(result["seconds"])
            timing.errors += result["errors"]
            timing.error_examples.extend(result["examples"][: max(0, 3 - len(timing.error_examples))])
        timing.wall = max(r["end"] for r in results) - start
        return timing

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()
