"""The data of each size, in both servers' on-disk stores, prepared the way a data steward would.

Our store is filled with ``dsih-kg load`` (the curated graph), then ``dsih-kg import`` of the synthetic
records CSV and ``dsih-kg link``, each timed end to end as a subprocess. Oxigraph server's store is then
filled with ``oxigraph load`` from a dump of ours, so that both hold exactly the same quads. Without an
importer (or when it fails) the records are written directly as N-Quads and loaded with ``dsih-kg load``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .records import write_csv, write_nquads
from .servers import run_timed

REPO = Path(__file__).resolve().parent.parent


def tool(name: str) -> str:
    """An executable of the virtual environment this runs in (dsih-kg, oxigraph), else from PATH."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"benchmarks: {name} is not installed (pip install -e '.[test]')")
    return found


@dataclass(frozen=True)
class Checkout:
    """The dsih-kg code a run measures: this checkout, or a snapshot of its src/, data/ and ontology/
    taken at the start, so that edits made to the tree during a run do not change what is measured."""

    root: Path
    snapshot: bool = False

    @classmethod
    def take(cls, workdir: Path, snapshot: bool) -> Checkout:
        if not snapshot:
            return cls(REPO)
        tree = workdir / "tree"
        ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
        for part in ("src", "data", "ontology"):
            shutil.copytree(REPO / part, tree / part, ignore=ignore, dirs_exist_ok=True)
        return cls(tree, snapshot=True)

    def command(self, *args: str) -> list[str]:
        """``dsih-kg ARGS`` from this code (``python -m dsih_kg`` with the snapshot first on the path)."""
        return [sys.executable, "-m", "dsih_kg", *args]

    def env(self, workdir: Path, **extra: str) -> dict[str, str]:
        """The environment of every dsih-kg command: no DSIH_* from outside, caches inside ``workdir``."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("DSIH_")}
        env.update(
            DSIH_CACHE_DIR=str(workdir / "cache"),
            DSIH_IMPORTS_DIR=str(workdir / "imports"),
            PYTHONUNBUFFERED="1",
            PYTHONPATH=str(self.root / "src"),
        )
        env.update(extra)
        return env

    def has_command(self, name: str) -> bool:
        """Whether ``dsih-kg NAME`` exists in this code."""
        proc = subprocess.run(
            self.command(name, "--help"),
            capture_output=True,
            cwd=self.root,
            timeout=60,
            env=self.env(Path(tempfile.gettempdir())),
        )
        return proc.returncode == 0


@dataclass
class Prepared:
    """One size's data: where both stores are, how many quads, what each step cost."""

    records: int
    ours_store: Path
    oxigraph_store: Path
    quads: int = 0
    disk_mib: dict[str, float] = field(default_factory=dict)  # store -> size of its directory
    steps: dict[str, float] = field(default_factory=dict)  # step -> seconds
    path: str = ""  # how the records came in
    notes: list[str] = field(default_factory=list)


def prepare(
    checkout: Checkout,
    records: int,
    workdir: Path,
    *,
    seed: int,
    use_importer: bool,
    timeout: float,
    import_timeout: float,
    log: Path,
) -> Prepared:
    """Fill both stores for a graph of the curated data plus ``records`` synthetic records.

    ``import_timeout`` bounds ``dsih-kg import`` and ``dsih-kg link`` each; past it (or on failure) the
    records are loaded as N-Quads instead, so the run goes on and RESULTS.md says what happened.
    """
    name = f"size-{records}"
    prepared = Prepared(records, workdir / f"{name}-ours", workdir / f"{name}-oxigraph")
    env = checkout.env(
        workdir,
        DSIH_STORE="oxigraph",
        DSIH_STORE_PATH=str(prepared.ours_store),
        DSIH_IMPORTS_DIR=str(workdir / f"{name}-imports"),
    )
    _wipe(prepared)
    _step(prepared, "dsih-kg load (curated)", checkout.command("load"), checkout, env, timeout, log)
    if records:
        imported = False
        if use_importer:
            csv_path = write_csv(workdir / f"synthetic-records-{records}.csv", records, seed)
            imported = _import_and_link(checkout, prepared, csv_path, env, import_timeout, log)
            if not imported:  # start again from the curated graph: no half-done import stays behind
                _wipe(prepared)
                _step(
                    prepared,
                    "dsih-kg load (curated, again)",
                    checkout.command("load"),
                    checkout,
                    env,
                    timeout,
                    log,
                )
        if not imported:
            nq = write_nquads(
                workdir / f"synthetic-records-{records}.nq",
                records,
                seed,
                name=f"synthetic-records-{records}",
            )
            prepared.steps["bulk load of the records N-Quads (pyoxigraph)"] = bulk_load(prepared.ours_store, nq)
            prepared.path = (
                "N-Quads of the importer's shape with one asserted link per lesson-topic record, "
                "bulk-loaded with pyoxigraph (not through dsih-kg import/link)"
            )
            nq.unlink()
    dump = workdir / f"{name}.nq"
    prepared.quads = dump_store(prepared.ours_store, dump)
    command = [tool("oxigraph"), "load", "--location", str(prepared.oxigraph_store), "--file", str(dump)]
    _step(prepared, "oxigraph load", command, checkout, None, timeout, log)
    dump.unlink()
    prepared.disk_mib = {"ours": directory_mib(prepared.ours_store), "oxigraph": directory_mib(prepared.oxigraph_store)}
    return prepared


def directory_mib(path: Path) -> float:
    """Bytes in the files under ``path``, in MiB (a store's size on disk)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def _wipe(prepared: Prepared) -> None:
    for store in (prepared.ours_store, prepared.oxigraph_store):
        shutil.rmtree(store, ignore_errors=True)
    Path(f"{prepared.ours_store}.generation").unlink(missing_ok=True)


def _import_and_link(
    checkout: Checkout, prepared: Prepared, csv_path: Path, env: dict[str, str], timeout: float, log: Path
) -> bool:
    if not checkout.has_command("import"):
        prepared.notes.append("dsih-kg import does not exist in this checkout: records loaded as N-Quads")
        return False
    if not _step(prepared, "dsih-kg import", checkout.command("import", str(csv_path)), checkout, env, timeout, log):
        prepared.notes.append("dsih-kg import did not finish: records loaded as N-Quads instead")
        return False
    prepared.path = "CSV through dsih-kg import"
    if not checkout.has_command("link"):
        prepared.notes.append("dsih-kg link does not exist in this checkout: records not linked")
        return True
    if _step(prepared, "dsih-kg link", checkout.command("link"), checkout, env, timeout, log):
        prepared.path += " + dsih-kg link"
        return True
    prepared.notes.append("dsih-kg link did not finish: records loaded as N-Quads instead")
    return False


def _step(
    prepared: Prepared,
    title: str,
    command: list[str],
    checkout: Checkout,
    env: dict[str, str] | None,
    timeout: float,
    log: Path,
) -> bool:
    seconds, code, tail = run_timed(command, env=env, cwd=checkout.root, timeout=timeout, log=log)
    if code == 0:
        prepared.steps[title] = seconds
        return True
    why = f"stopped at the {timeout:.0f} s limit" if code == -9 else f"exit {code}"
    prepared.steps[f"{title} ({why})"] = seconds
    prepared.notes.append(f"{title}: {why} after {seconds:.0f} s: {tail[-300:]}")
    return False


def bulk_load(store_path: Path, nquads: Path) -> float:
    """Add an N-Quads file to the on-disk store with pyoxigraph's bulk loader; seconds taken."""
    import time

    import pyoxigraph

    started = time.perf_counter()
    store = pyoxigraph.Store(str(store_path))
    try:
        store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
        store.flush()
    finally:
        del store
    return time.perf_counter() - started


def dump_store(path: Path, output: Path) -> int:
    """Write every quad of the on-disk store at ``path`` to an N-Quads file; the number of quads."""
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(path))
    try:
        store.dump(str(output), pyoxigraph.RdfFormat.N_QUADS)
        return len(store)
    finally:
        del store
