"""Measure one size: start both servers on the same data, check they agree, then time the query mix,
the explorer's lesson pages and memory. Also the cold start of the service on the curated graph."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from urllib.parse import quote

import requests

from .clients import ClientPool, Lane, Request, Timing, alternate
from .prepare import Checkout, Prepared, tool
from .queries import MIX, Query, Vocabulary
from .servers import Server, free_port

ASK = "ASK { ?s ?p ?o }"
WARM = 10**6  # the variant sent, untimed, before the distinct-query rounds
AGREE = (50_000, 50_001)  # the variants both servers' answers are compared on (never timed)
CONCURRENT_BASE = 100_000  # concurrent clients use variants from here, unseen by any cache
CONCURRENT_VARIANTS = 4096  # per turn: more than N clients send in one turn


def ours_server(
    checkout: Checkout, workdir: Path, log: Path, store_path: Path | None = None, cache: Path | None = None
) -> Server:
    """``dsih-kg serve`` (waitress, default workers and threads) on a free port."""
    port = free_port()
    command = checkout.command("serve", "--host", "127.0.0.1", "--port", str(port))
    extra = {"DSIH_STORE": "oxigraph"}
    if store_path is not None:
        command += ["--store-path", str(store_path)]
    if cache is not None:
        extra["DSIH_CACHE_DIR"] = str(cache)
    return Server("dsih-kg", command, port, "/sparql", env=checkout.env(workdir, **extra), cwd=checkout.root, log=log)


def oxigraph_server(store_path: Path, log: Path) -> Server:
    """``oxigraph serve-read-only`` with the union of all graphs as default graph (as our endpoint does)."""
    port = free_port()
    command = [
        tool("oxigraph"),
        "serve-read-only",
        "--location",
        str(store_path),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]
    return Server("oxigraph", command, port, "/query", log=log)


def ask_path(server: Server) -> str:
    return f"{server.query_path}?query={quote(ASK)}"


def start(server: Server, make, attempts: int = 2) -> Server:
    """Start a server; on a failed start (a port taken meanwhile) try once more on another port."""
    for attempt in range(attempts):
        try:
            server.start(ask_path(server))
            return server
        except RuntimeError:
            server.stop()
            if attempt + 1 == attempts:
                raise
            server = make()
    return server


def query_request(server: Server, query: Query, vocab: Vocabulary, n: int) -> Request:
    return server.query_url, {"query": query.text(vocab, n)}, {"Accept": query.accept}


def page_request(server: Server, slug: str) -> Request:
    return f"{server.base}/doc/lesson/{slug}", {}, {"Accept": "text/html"}


# --- cold start -------------------------------------------------------------------------------------


def cold_start(checkout: Checkout, workdir: Path, log: Path, starts: int) -> dict:
    """Start ``dsih-kg serve`` (default in-memory store) repeatedly: first with an empty cache (it builds
    and reasons), then ``starts`` times with the build cached. Seconds from process start to the first
    SPARQL answer and to the first lesson page. A start that found no cached build (the sources changed
    meanwhile: the cache is keyed by them) is reported as such."""
    cache = workdir / "cache"  # the cache every later step uses too: the first start fills it
    cache.mkdir(parents=True, exist_ok=True)
    runs, slug = [], None

    def make() -> Server:
        return ours_server(checkout, workdir, log, cache=cache)

    for _ in range(1 + starts):
        builds_before = set(cache.glob("*.nq"))
        server = start(make(), make)
        try:
            sparql = server.ready_after
            if slug is None:
                slug = _first_lesson(server)
            response = requests.get(page_request(server, slug)[0], timeout=60)
            page = time.perf_counter() - server.started_at
            runs.append(
                {
                    "cached_build": set(cache.glob("*.nq")) == builds_before and bool(builds_before),
                    "sparql_s": sparql,
                    "lesson_page_s": page,
                    "status": response.status_code,
                }
            )
        finally:
            server.stop()
    return {"runs": runs, "lesson": slug}


def _first_lesson(server: Server) -> str:
    query = "SELECT ?l WHERE { ?l a <https://w3id.org/dsih-kg/def/dsih/Lesson> } ORDER BY ?l LIMIT 1"
    answer = requests.get(
        server.query_url,
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    ).json()
    return answer["results"]["bindings"][0]["l"]["value"].rsplit("/", 1)[1]


# --- one size -----------------------------------------------------------------------------------------


def measure_size(
    checkout: Checkout,
    prepared: Prepared,
    vocab: Vocabulary,
    pool: ClientPool,
    opts,
    log: Path,
    progress=print,
) -> dict:
    """Everything measured on one size, as a JSON-able dict."""
    workdir = opts.workdir

    def make() -> Server:
        return ours_server(checkout, workdir, log, prepared.ours_store)

    ours = start(make(), make)
    try:
        ox = start(
            oxigraph_server(prepared.oxigraph_store, log),
            lambda: oxigraph_server(prepared.oxigraph_store, log),
        )
    except BaseException:
        ours.stop()
        raise
    servers = {"ours": ours, "oxigraph": ox}
    result: dict = {
        "records": prepared.records,
        "quads": prepared.quads,
        "disk_mib": prepared.disk_mib,
        "prepare": prepared.steps,
        "records_path": prepared.path,
        "notes": prepared.notes,
        "ready_s": {name: s.ready_after for name, s in servers.items()},
        "queries": {},
    }
    try:
        sessions = {name: requests.Session() for name in ("ours", "ours_etag", "oxigraph")}
        result["agreement"] = {q.key: agree(servers, q, vocab) for q in MIX}
        for query in MIX:
            progress(f"  {query.key}")
            result["queries"][query.key] = measure_query(query, servers, sessions, vocab, pool, opts)
        progress("  lesson pages")
        result["pages"] = measure_pages(ours, sessions["ours"], vocab, pool, opts)
        result["memory"] = {name: server.memory() for name, server in servers.items()}
        for session in sessions.values():
            session.close()
    finally:
        ox.stop()
        ours.stop()
    return result


def agree(servers: dict[str, Server], query: Query, vocab: Vocabulary) -> dict:
    """Whether both servers give the same answer (as a multiset of rows or set of triples) to two
    variants that are not timed (so no cache holds the timed ones); with the sizes compared."""
    out = {"same": True, "sizes": {}}
    for n in AGREE:
        answers = {}
        for name, server in servers.items():
            url, params, headers = query_request(server, query, vocab, n)
            try:
                response = requests.get(url, params=params, headers=headers, timeout=120)
                answers[name] = (
                    _canonical(query, response) if response.status_code == 200 else (f"HTTP {response.status_code}")
                )
            except requests.RequestException as exc:
                answers[name] = type(exc).__name__
        out["sizes"][n] = {name: len(a) if isinstance(a, list) else a for name, a in answers.items()}
        out["same"] = out["same"] and answers["ours"] == answers["oxigraph"] and isinstance(answers["ours"], list)
    return out


def _canonical(query: Query, response: requests.Response) -> list:
    if query.form == "select":
        rows = response.json()["results"]["bindings"]
        return sorted(json.dumps(row, sort_keys=True) for row in rows)
    import pyoxigraph

    return sorted({str(t) for t in pyoxigraph.parse(response.content, pyoxigraph.RdfFormat.TURTLE)})


def measure_query(
    query: Query,
    servers: dict[str, Server],
    sessions: dict[str, requests.Session],
    vocab: Vocabulary,
    pool: ClientPool,
    opts,
) -> dict:
    """Distinct (1 client), repeated (1 client, plain and with ETag), and N concurrent clients."""
    ours, ox = servers["ours"], servers["oxigraph"]
    by_lane = {"ours": ours, "ours_etag": ours, "oxigraph": ox}

    def make_distinct(lane: Lane, i: int) -> Request:
        return query_request(by_lane[lane.name], query, vocab, i)

    def make_repeated(lane: Lane, i: int) -> Request:
        return query_request(by_lane[lane.name], query, vocab, 0)

    distinct = alternate(
        [Lane("ours", sessions["ours"]), Lane("oxigraph", sessions["oxigraph"])],
        make_distinct,
        rounds=opts.rounds,
        seconds=opts.seconds,
        warm=WARM,
    )
    repeated = alternate(
        [
            Lane("ours", sessions["ours"]),
            Lane("ours_etag", sessions["ours_etag"], revalidate=True),
            Lane("oxigraph", sessions["oxigraph"]),
        ],
        make_repeated,
        rounds=opts.rounds,
        seconds=opts.seconds,
        warm=0,
    )
    p50s = [t.p50 for t in distinct.values() if t.p50 is not None]
    heavy = not p50s or max(p50s) > opts.heavy_seconds
    concurrent = concurrently(
        pool,
        {name: partial(query_request, s, query, vocab) for name, s in servers.items()},
        {name: (s.base + ask_path(s), {}) for name, s in servers.items()},
        opts,
        once=heavy,
    )
    return {
        "distinct": _summaries(distinct),
        "repeated": _summaries(repeated),
        "concurrent": _summaries(concurrent),
        "concurrent_once": heavy,
    }


def concurrently(
    pool: ClientPool,
    request_for: dict[str, Callable[[int], Request]],
    warm: dict[str, tuple[str, dict]],
    opts,
    once: bool = False,
) -> dict[str, Timing]:
    """N clients against each server in turn, in two halves ordered A B B A, so drift hits both. Every
    turn sends variants no earlier request used (so no cache answers them), the same ones to both.

    ``once``: for a slow query (one answer takes longer than ``opts.heavy_seconds``), every client sends
    one request, to each server once (A B): N answers at once, which bounds the time this takes."""
    names = list(request_for)
    order = names if once else names + names[::-1]
    timings = {name: Timing() for name in names}
    for turn, name in enumerate(order):
        first = CONCURRENT_BASE + (turn // len(names)) * CONCURRENT_VARIANTS
        part = pool.run(
            [request_for[name](first + i) for i in range(CONCURRENT_VARIANTS)],
            duration=0.0 if once else opts.concurrent_seconds / 2,
            warm=warm[name],
            timeout=opts.request_timeout,
            max_requests=1 if once else 100_000,
        )
        merged = timings[name]
        merged.seconds.extend(part.seconds)
        merged.errors += part.errors
        merged.error_examples.extend(part.error_examples[: max(0, 3 - len(merged.error_examples))])
        merged.wall += part.wall
    return timings


def measure_pages(ours: Server, session: requests.Session, vocab: Vocabulary, pool: ClientPool, opts) -> dict:
    """Lesson pages on our service only: the first visit of each lesson, the same page again, N clients."""
    lane = Lane("ours", session)
    lessons = vocab.lessons
    first = alternate(
        [lane],
        lambda _lane, i: page_request(ours, lessons[i % len(lessons)]),
        rounds=len(lessons),
        seconds=10 * opts.seconds,  # every lesson once if it fits: a first visit happens only once
        min_rounds=min(10, len(lessons)),
    )
    repeated = alternate(
        [lane],
        lambda _lane, i: page_request(ours, lessons[0]),
        rounds=opts.rounds,
        seconds=opts.seconds,
        warm=0,
    )
    concurrent = pool.run(
        [page_request(ours, slug) for slug in lessons],
        duration=opts.concurrent_seconds / 2,
        warm=(ours.base + ask_path(ours), {}),
        timeout=opts.request_timeout,
    )
    return {
        "first": first["ours"].summary(),
        "repeated": repeated["ours"].summary(),
        "concurrent": concurrent.summary(),
    }


def _summaries(timings: dict[str, Timing]) -> dict:
    return {name: timing.summary() for name, timing in timings.items()}
