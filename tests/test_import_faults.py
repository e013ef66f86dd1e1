"""An import killed with SIGKILL leaves no half-written import (issue 8, point 9, for imports).

The contract: on the on-disk store, killing ``dsih-kg import`` at any moment leaves the import graph
either absent or complete (never a part of it), no kept graph file but whole ones, and a later import of
the same file succeeds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dsih_kg.config import load_settings
from dsih_kg.importers.run import discard, plan_import
from dsih_kg.stores import open_store

GRAPH = "https://w3id.org/dsih-kg/id/graph/import-faults"
HEADER = "id,type,title,description,tags,language,synthetic\n"


def records_csv(path: Path, count: int) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEADER)
        for n in range(1, count + 1):
            out.write(
                f"F-{n},tool,Theory U kit {n},Synthetic record {n} about design thinking,kit;test,en,true\n"
            )
    return path


def graph_size(store_path: Path, imports: Path) -> int:
    settings = load_settings(environ={}, workers=1, store_path=str(store_path), imports_dir=str(imports))
    store = open_store(settings)
    try:
        rows = store.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}", timeout=60
        ).rows
        return int(rows[0]["n"])
    finally:
        store.close()


def wait_for(condition, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    """Poll until ``condition()`` holds or the process has ended (then there is nothing left to kill)."""
    deadline = time.monotonic() + timeout
    while not condition() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)


@pytest.mark.parametrize("moment", ["while-reading", "while-loading"])
def test_a_killed_import_is_absent_or_whole(tmp_path, moment):
    source = records_csv(tmp_path / "faults.csv", 10_000)
    whole = plan_import(source, load_settings(environ={}, imports_dir=str(tmp_path / "plan")), name="faults")
    expected = whole.triples
    discard(whole)
    store_path, imports = tmp_path / "store", tmp_path / "imports"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DSIH_")}
    env.update(DSIH_STORE_PATH=str(store_path), DSIH_IMPORTS_DIR=str(imports), DSIH_WORKERS="1")
    command = [sys.executable, "-m", "dsih_kg", "import", str(source), "--name", "faults", "--format", "json"]
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    marker = Path(str(store_path) + ".loading")  # the store announces a bulk load in this file
    if moment == "while-reading":
        wait_for(lambda: store_path.exists(), proc)  # the store is open, the records are being read
    else:
        wait_for(marker.exists, proc)  # the graphs are being written into the store
        assert marker.exists(), "the import ended before it began to load: nothing was killed mid-load"
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)  # the command and its store worker, as a crash would
    proc.wait(30)
    assert graph_size(store_path, imports) in (0, expected)  # absent or whole, never a part
    for kept in imports.glob("*.nt"):  # a kept file is whole too
        assert sum(1 for _ in open(kept, encoding="utf-8")) == expected
    # the same import afterwards succeeds (or finds it done) and is whole
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert graph_size(store_path, imports) == expected
