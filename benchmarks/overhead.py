"""Where a request's time goes: ``python -m benchmarks.overhead [--profile]``.

A ladder of servers and requests on the curated graph, each rung adding one layer, timed with the same
client as the benchmark (requests.Session, keep-alive, 1 client, rungs alternating request by request):

- Oxigraph server: ``ASK {}`` and the lookup query (HTTP + engine, in Rust);
- a bare WSGI app and a one-route Flask app under waitress with our settings (HTTP in Python);
- our service: /healthz (the whole Flask app, no store), a repeated lookup (answered from the result
  cache), the same with ``If-None-Match`` (304), distinct trivial queries (lexer, limits, the pipe to a
  worker, no data work) and distinct lookups (everything);
- in-process pyoxigraph on the same store: the lookup executed and serialised (the engine's floor).

With ``--profile`` it also samples our service with py-spy (main process and query workers) during
distinct lookups and lesson pages, and lists where the CPU time goes. Writes benchmarks/OVERHEAD.md (the raw
py-spy samples go to build/bench/).
"""

from __future__ import annotations

import argparse
import collections
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import requests

from .clients import Lane, Request, alternate
from .machine import describe
from .measure import ours_server, oxigraph_server, page_request, start
from .prepare import REPO, Checkout, prepare, tool
from .queries import MIX, Vocabulary
from .servers import Server, free_port

LOOKUP = next(q for q in MIX if q.key == "lookup")
JSON = "application/sparql-results+json"

WSGI_APP = """
import sys
from waitress import serve
{app}
serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=8, connection_limit=1000, channel_timeout=60,
      ident="bench", clear_untrusted_proxy_headers=True, _quiet=True)
"""
BARE = """
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
"""
FLASK = """
from flask import Flask
app = Flask("bench")
@app.get("/")
def index():
    return "ok"
"""


def python_server(name: str, app: str, log: Path) -> Server:
    port = free_port()
    command = [sys.executable, "-c", WSGI_APP.format(app=textwrap.dedent(app)), str(port)]
    return Server(name, command, port, "/", log=log)


def engine_floor(store_path: Path, vocab: Vocabulary, n: int) -> dict:
    """The lookup executed and serialised to SPARQL JSON in this process, ``n`` times (ms)."""
    import io

    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(store_path))
    seconds = []
    for i in range(n):
        text = LOOKUP.text(vocab, 20_000 + i)
        started = time.perf_counter()
        result = store.query(text, use_default_graph_as_union=True)
        result.serialize(io.BytesIO(), format=pyoxigraph.QueryResultsFormat.JSON)
        seconds.append(time.perf_counter() - started)
    del store
    return {"p50_ms": statistics.median(seconds) * 1000, "n": n}


def ladder(servers: dict[str, Server], vocab: Vocabulary, rounds: int) -> dict[str, dict]:
    """Every rung, alternating request by request."""
    ours, ox = servers["ours"], servers["oxigraph"]
    session = requests.Session
    rungs: dict[str, tuple[Lane, object]] = {
        "Oxigraph: ASK {}": (
            Lane("a", session()),
            lambda i: (ox.query_url, {"query": "ASK {}"}, {"Accept": JSON}),
        ),
        "Oxigraph: lookup": (Lane("b", session()), lambda i: _query(ox, LOOKUP.text(vocab, 0))),
        "waitress, bare WSGI app": (Lane("c", session()), lambda i: (servers["bare"].base + "/", {}, {})),
        "waitress + Flask, one route": (
            Lane("d", session()),
            lambda i: (servers["flask"].base + "/", {}, {}),
        ),
        "ours: /healthz (Flask app, no store)": (
            Lane("e", session()),
            lambda i: (ours.base + "/healthz", {}, {}),
        ),
        "ours: repeated lookup (result cache)": (
            Lane("f", session()),
            lambda i: _query(ours, LOOKUP.text(vocab, 0)),
        ),
        "ours: repeated lookup, If-None-Match (304)": (
            Lane("g", session(), revalidate=True),
            lambda i: _query(ours, LOOKUP.text(vocab, 0)),
        ),
        "ours: distinct trivial query (worker round trip)": (
            Lane("h", session()),
            lambda i: _query(ours, f"SELECT ({30_000 + i} AS ?n) {{}}"),
        ),
        "ours: distinct lookup": (
            Lane("i", session()),
            lambda i: _query(ours, LOOKUP.text(vocab, 40_000 + i)),
        ),
        "Oxigraph: distinct lookup": (
            Lane("j", session()),
            lambda i: _query(ox, LOOKUP.text(vocab, 40_000 + i)),
        ),
    }
    lanes = [lane for lane, _ in rungs.values()]
    makers = {lane.name: make for lane, make in rungs.values()}
    timings = alternate(lanes, lambda lane, i: makers[lane.name](i), rounds=rounds, seconds=60, warm=10**6)
    return {title: timings[lane.name].summary() for title, (lane, _) in rungs.items()}


def _query(server: Server, text: str) -> Request:
    return server.query_url, {"query": text}, {"Accept": JSON}


# --- profiling -------------------------------------------------------------------------------------------


def profile(server: Server, load, seconds: float, out: Path) -> str:
    """Sample ``server`` and its children with py-spy while ``load()`` runs; a summary of the hot spots."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    raw = out.with_suffix(".txt")
    proc = subprocess.Popen(
        [spy, "record", "--pid", str(server.proc.pid), "--subprocesses", "--format", "raw", "--rate", "500",
         "--duration", str(int(seconds) + 2), "--output", str(raw), "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(1.0)
    load(seconds)
    proc.wait(timeout=seconds + 60)
    return summarise(raw) if raw.exists() else "(py-spy wrote nothing: is ptrace allowed here?)"


def summarise(raw: Path, top: int = 18) -> str:
    """Per process kind (main process, query workers): the share of CPU samples in each function,
    inclusive (the function and what it calls) and self (the function itself)."""
    totals: collections.Counter = collections.Counter()
    inclusive: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    own: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        labels = [f for f in frames if f.startswith("process ")]
        kind = "query workers" if labels and "worker.loop" in labels[-1] else "main process (waitress + Flask)"
        names = [_short(f) for f in frames if not f.startswith("process ")]
        totals[kind] += int(count)
        for name in set(names):
            inclusive[kind][name] += int(count)
        if names:
            own[kind][names[-1]] += int(count)
    lines = []
    for kind, total in totals.most_common():
        lines.append(f"\n{kind}: {total} samples")
        lines.append("  inclusive:")
        lines += [f"    {100 * c / total:5.1f}%  {n}" for n, c in inclusive[kind].most_common(top)]
        lines.append("  self:")
        lines += [f"    {100 * c / total:5.1f}%  {n}" for n, c in own[kind].most_common(top // 2)]
    return "\n".join(lines)


def _short(frame: str) -> str:
    """``func (path/to/module.py:12)`` -> ``func (module.py)``."""
    name, _, where = frame.partition(" (")
    return f"{name} ({where.split(':')[0].rsplit('/', 1)[-1]})" if where else name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.overhead", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--profile", action="store_true", help="also sample our service with py-spy")
    parser.add_argument("--output", type=Path, default=REPO / "benchmarks" / "OVERHEAD.md")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="dsih-overhead-"))
    log = workdir / "run.log"
    servers: dict[str, Server] = {}
    try:
        checkout = Checkout.take(workdir, snapshot=True)
        prepared = prepare(checkout, 0, workdir, seed=7, use_importer=False, timeout=600, import_timeout=60, log=log)
        build = sorted((workdir / "cache").glob("dsih-*.nq"))[-1]
        vocab = Vocabulary.from_nquads(build)

        def make_ours() -> Server:
            return ours_server(checkout, workdir, log, prepared.ours_store)

        servers["ours"] = start(make_ours(), make_ours)
        servers["oxigraph"] = start(oxigraph_server(prepared.oxigraph_store, log), lambda: None)
        for name, app in (("bare", BARE), ("flask", FLASK)):
            server = python_server(name, app, log)
            server.start("/")
            servers[name] = server
        results = ladder(servers, vocab, args.rounds)
        floor = engine_floor(prepared.oxigraph_store, vocab, args.rounds)
        machine = describe(REPO, tool("oxigraph"))
        lines = ["# Where a request's time goes (curated graph, 1 client, p50)", "",
                 f"Written by `python -m benchmarks.overhead{' --profile' if args.profile else ''}` on "
                 f"{machine['date']} (commit {machine['commit']}, load average "
                 f"{' / '.join(map(str, machine['load_before']))}); measured, not edited. Each rung adds one "
                 "layer; rungs alternate request by request.", "",
                 "| rung | p50 ms | ours in app p50 ms | n |", "|---|---|---|---|"]  # fmt: skip
        for title, summary in results.items():
            app_ms = f"{summary['app_p50_ms']:.2f}" if summary["app_p50_ms"] is not None else "–"
            lines.append(f"| {title} | {summary['p50_ms']:.2f} | {app_ms} | {summary['n']} |")
        lines.append(f"| pyoxigraph in process: lookup + JSON | {floor['p50_ms']:.3f} | – | {floor['n']} |")
        if args.profile:
            ours = servers["ours"]
            lessons = vocab.lessons

            def queries(seconds: float) -> None:
                lane = Lane("p", requests.Session())
                alternate([lane], lambda _l, i: _query(ours, LOOKUP.text(vocab, 60_000 + i)), rounds=100_000,
                          seconds=seconds)  # fmt: skip

            def pages(seconds: float) -> None:
                # a fresh server would be needed for first visits only; the page cache is per lesson
                lane = Lane("q", requests.Session())
                alternate([lane], lambda _l, i: page_request(ours, lessons[i % len(lessons)]),
                          rounds=len(lessons), seconds=seconds)  # fmt: skip

            out = REPO / "build" / "bench"
            out.mkdir(parents=True, exist_ok=True)
            lines += ["", "## py-spy: distinct lookups, 1 client", "```",
                      profile(ours, queries, 10, out / "profile-lookups"), "```"]  # fmt: skip
            ours.stop()
            servers["ours"] = ours = start(make_ours(), make_ours)
            lines += ["", "## py-spy: first visits of the 62 lesson pages, 1 client", "```",
                      profile(ours, pages, 8, out / "profile-pages"), "```"]  # fmt: skip
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
