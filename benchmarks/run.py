"""Run the benchmark and write RESULTS.md: ``python -m benchmarks.run`` (``make bench``), ``--quick`` for
a short run. See benchmarks/README.md for what is measured and how.

The run stops by itself: every loop is bounded by a count and by seconds, every subprocess by a
timeout, and the servers it started are stopped on the way out (also on Ctrl-C).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .clients import ClientPool
from .machine import describe
from .measure import cold_start, measure_size
from .prepare import REPO, Checkout, prepare, tool
from .queries import Vocabulary
from .report import render
from .servers import run_timed

HERE = Path(__file__).resolve().parent

#: The two modes: a full run (~15 minutes on 2 cores) and --quick (~2 minutes).
FULL = {
    "records": "0,10000,100000",
    "rounds": 200,
    "seconds": 3.0,
    "concurrent_seconds": 2.0,
    "starts": 3,
    "step_timeout": 600.0,
    "import_timeout": 120.0,
    "heavy_seconds": 0.5,
}
QUICK = {
    "records": "0,2000",
    "rounds": 30,
    "seconds": 0.8,
    "concurrent_seconds": 1.0,
    "starts": 1,
    "step_timeout": 300.0,
    "import_timeout": 120.0,
    "heavy_seconds": 0.5,
}


@dataclass
class Options:
    records: list[int]
    rounds: int
    seconds: float
    concurrent_seconds: float
    clients: int
    starts: int
    seed: int
    quick: bool
    use_importer: bool
    step_timeout: float
    import_timeout: float
    heavy_seconds: float
    request_timeout: float
    snapshot: bool
    workdir: Path
    keep: bool
    output: Path

    def public(self) -> dict:
        return {
            k: (str(v) if isinstance(v, Path) else v)
            for k, v in self.__dict__.items()
            if k not in ("workdir", "output", "keep")
        }


def parse_args(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="curated + 2 000 records, short loops (~2 min); "
        "writes build/bench/RESULTS-quick.md unless --output is given",
    )
    parser.add_argument(
        "--records",
        help="comma-separated record counts, one size each; 0 is the curated graph "
        f"alone (default {FULL['records']}; quick {QUICK['records']})",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        help="most requests per server per query and mode, 1 client "
        f"(default {FULL['rounds']}; quick {QUICK['rounds']})",
    )
    parser.add_argument(
        "--seconds",
        type=float,
        help="time bound per query and mode, 1 client, after 3 rounds "
        f"(default {FULL['seconds']}; quick {QUICK['seconds']})",
    )
    parser.add_argument(
        "--concurrent-seconds",
        type=float,
        help="seconds of concurrent clients per server and "
        f"query, in two halves (default {FULL['concurrent_seconds']}; quick {QUICK['concurrent_seconds']})",
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--starts", type=int, help="cold starts with a cached build (after one without)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic records (default 7)")
    parser.add_argument(
        "--no-import",
        dest="use_importer",
        action="store_false",
        help="load the records as N-Quads instead of through dsih-kg import and link",
    )
    parser.add_argument(
        "--import-timeout",
        type=float,
        help="seconds dsih-kg import and dsih-kg link may each take before the records are loaded as "
        f"N-Quads instead (default {FULL['import_timeout']:g}; quick {QUICK['import_timeout']:g})",
    )
    parser.add_argument(
        "--heavy-seconds",
        type=float,
        help="a query whose 1-client p50 is above this is sent once per client with N clients, not for "
        f"--concurrent-seconds (default {FULL['heavy_seconds']:g})",
    )
    parser.add_argument(
        "--live",
        dest="snapshot",
        action="store_false",
        help="run the checkout as it is, instead of a snapshot of src/, data/ and ontology/ "
        "taken at the start (edits during the run would then change what is measured)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where stores and data go (default: a new temporary directory, removed afterwards)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    parser.add_argument(
        "--output",
        type=Path,
        help="the Markdown file to write (default benchmarks/RESULTS.md; "
        "with --quick build/bench/RESULTS-quick.md); the raw numbers go beside it as .json",
    )
    parser.add_argument(
        "--render",
        type=Path,
        metavar="JSON",
        help="measure nothing: write the Markdown of an earlier run's .json again",
    )
    args = parser.parse_args(argv)
    if args.render:
        output = args.output or args.render.with_suffix(".md")
        output.write_text(render(json.loads(args.render.read_text(encoding="utf-8"))), encoding="utf-8")
        print(f"benchmark: wrote {output} from {args.render}")
        raise SystemExit(0)
    mode = QUICK if args.quick else FULL
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="dsih-bench-"))
    output = args.output or (REPO / "build" / "bench" / "RESULTS-quick.md" if args.quick else HERE / "RESULTS.md")
    return Options(
        records=[int(x) for x in (args.records or mode["records"]).split(",") if x.strip()],
        rounds=args.rounds or mode["rounds"],
        seconds=args.seconds or mode["seconds"],
        concurrent_seconds=args.concurrent_seconds or mode["concurrent_seconds"],
        clients=args.clients,
        starts=args.starts if args.starts is not None else mode["starts"],
        seed=args.seed,
        quick=args.quick,
        use_importer=args.use_importer,
        snapshot=args.snapshot,
        step_timeout=mode["step_timeout"],
        import_timeout=args.import_timeout or mode["import_timeout"],
        heavy_seconds=args.heavy_seconds or mode["heavy_seconds"],
        request_timeout=60.0,
        workdir=workdir.resolve(),
        keep=args.keep or args.workdir is not None,
        output=output.resolve(),
    )


def run(opts: Options, say=print) -> dict:
    """Measure everything; returns the results as a JSON-able dict (with how long each phase took)."""
    started = time.perf_counter()
    phases: dict[str, float] = {}
    last = [started]

    def progress(message: str) -> None:
        now = time.perf_counter()
        say(f"[{(now - started) / 60:5.1f} min] {message}")

    def phase(name: str) -> None:
        now = time.perf_counter()
        phases[name] = round(now - last[0], 1)
        last[0] = now

    opts.workdir.mkdir(parents=True, exist_ok=True)
    log = opts.workdir / "run.log"
    pool = ClientPool(opts.clients)  # forked first, before any server or thread exists
    results: dict = {"machine": describe(REPO, tool("oxigraph")), "options": opts.public(), "sizes": []}
    try:
        progress(f"benchmark: working in {opts.workdir} (log: {log})")
        checkout = Checkout.take(opts.workdir, opts.snapshot)
        progress("cold start of dsih-kg serve")
        results["cold_start"] = cold_start(checkout, opts.workdir, log, opts.starts)
        vocab = Vocabulary.from_nquads(curated_build(checkout, opts, log))
        phase("cold start")
        for records in opts.records:
            progress(f"size: curated + {records} records: preparing")
            prepared = prepare(
                checkout,
                records,
                opts.workdir,
                seed=opts.seed,
                use_importer=opts.use_importer,
                timeout=opts.step_timeout,
                import_timeout=opts.import_timeout,
                log=log,
            )
            phase(f"prepare {records} records")
            progress(f"size: {prepared.quads} quads ({prepared.path or 'curated'}); measuring")
            results["sizes"].append(measure_size(checkout, prepared, vocab, pool, opts, log, progress))
            phase(f"measure {records} records")
            if not opts.keep:
                shutil.rmtree(prepared.ours_store, ignore_errors=True)
                shutil.rmtree(prepared.oxigraph_store, ignore_errors=True)
    finally:
        pool.close()
        results["phases"] = phases
        results["load_after"] = [round(x, 2) for x in os.getloadavg()]
        results["duration_s"] = time.perf_counter() - started
    return results


def curated_build(checkout: Checkout, opts: Options, log: Path) -> Path:
    """The built curated graph: the build the cold starts cached, else ``dsih-kg build``."""
    builds = sorted((opts.workdir / "cache").glob("dsih-*.nq"), key=lambda p: p.stat().st_mtime)
    if builds:
        return builds[-1]
    curated = opts.workdir / "curated.nq"
    command = checkout.command("build", "-o", str(curated))
    _seconds, code, tail = run_timed(
        command, env=checkout.env(opts.workdir), cwd=checkout.root, timeout=opts.step_timeout, log=log
    )
    if code != 0:
        raise SystemExit(f"benchmarks: dsih-kg build failed:\n{tail}")
    return curated


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    try:
        results = run(opts)
    except KeyboardInterrupt:
        print("benchmark: interrupted; nothing written", file=sys.stderr)
        return 130
    finally:
        if not opts.keep:
            shutil.rmtree(opts.workdir, ignore_errors=True)
    opts.output.parent.mkdir(parents=True, exist_ok=True)
    # the numbers first, so that a mistake in the Markdown never loses a run (--render writes it again)
    opts.output.with_suffix(".json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    opts.output.write_text(render(results), encoding="utf-8")
    print(f"benchmark: wrote {opts.output} in {results['duration_s'] / 60:.1f} minutes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
