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
    steps: dict[str, float] = field(default_factory=dict)  # step -> seconds
    path: str = ""  # how the records came in: "dsih-kg import + link" or "N-Quads (dsih-kg load)"
    notes: list[str] = field(default_factory=list)


def prepare(
    checkout: Checkout,
    records: int,
    workdir: Path,
    *,
    seed: int,
    use_importer: bool,
    timeout: float,
    log: Path,
) -> Prepared:
    """Fill both stores for a graph of the curated data plus ``records`` synthetic records."""
    name = f"size-{records}"
    prepared = Prepared(records, workdir / f"{name}-ours", workdir / f"{name}-oxigraph")
    for store in (prepared.ours_store, prepared.oxigraph_store):
        shutil.rmtree(store, ignore_errors=True)
    env = checkout.env(
        workdir,
        DSIH_STORE="oxigraph",
        DSIH_STORE_PATH=str(prepared.ours_store),
        DSIH_IMPORTS_DIR=str(workdir / f"{name}-imports"),
    )
    _step(prepared, "dsih-kg load (curated)", checkout.command("load"), checkout, env, timeout, log)
    if records:
        imported = False
        if use_importer:
            csv_path = write_csv(workdir / f"synthetic-records-{records}.csv", records, seed)
            imported = _import_and_link(checkout, prepared, csv_path, env, timeout, log)
        if not imported:
            nq = write_nquads(
                workdir / f"synthetic-records-{records}.nq",
                records,
                seed,
                name=f"synthetic-records-{records}",
            )
            _step(
                prepared,
                "dsih-kg load (records N-Quads)",
                checkout.command("load", str(nq)),
                checkout,
                env,
                timeout,
                log,
            )
            prepared.path = (
                "N-Quads in the importer's shape, loaded with dsih-kg load (not imported, not linked)"
            )
    dump = workdir / f"{name}.nq"
    prepared.quads = dump_store(prepared.ours_store, dump)
    _step(
        prepared,
        "oxigraph load",
        [tool("oxigraph"), "load", "--location", str(prepared.oxigraph_store), "--file", str(dump)],
        checkout,
        None,
        timeout,
        log,
    )
    dump.unlink()
    return prepared


def _import_and_link(
    checkout: Checkout, prepared: Prepared, csv_path: Path, env: dict[str, str], timeout: float, log: Path
) -> bool:
    if not checkout.has_command("import"):
        prepared.notes.append("dsih-kg import does not exist yet: records loaded as N-Quads")
        return False
    if not _step(
        prepared, "dsih-kg import", checkout.command("import", str(csv_path)), checkout, env, timeout, log
    ):
        prepared.notes.append("dsih-kg import failed (see the run log): records loaded as N-Quads instead")
        return False
    prepared.path = "CSV through dsih-kg import"
    if not checkout.has_command("link"):
        prepared.notes.append("dsih-kg link does not exist yet: records not linked")
        return True
    if _step(prepared, "dsih-kg link", checkout.command("link"), checkout, env, timeout, log):
        prepared.path += " + dsih-kg link"
    else:
        prepared.notes.append("dsih-kg link failed (see the run log): records not linked")
    return True


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
    prepared.steps[title] = seconds
    if code != 0:
        prepared.steps[title + " (failed)"] = prepared.steps.pop(title)
        prepared.notes.append(f"{title} exited with {code}: {tail[-300:]}")
    return code == 0


def dump_store(path: Path, output: Path) -> int:
    """Write every quad of the on-disk store at ``path`` to an N-Quads file; the number of quads."""
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(path))
    try:
        store.dump(str(output), pyoxigraph.RdfFormat.N_QUADS)
        return len(store)
    finally:
        del store
