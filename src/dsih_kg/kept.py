"""Graphs kept as files beside the store: every import and linkset graph is also an N-Triples file in
``imports_dir``, so that an in-memory store (which starts from the build) can load them again.

One place writes them (:func:`keep_graph_file`), names them (:func:`kept_file`) and loads the ones a store
lacks (:func:`restore_graphs`); the service and every command open their store with
:func:`open_store_with_imports`, so they all see the same graphs.
"""

from __future__ import annotations

import os
from pathlib import Path

from .config import Settings
from .iri import IriScheme
from .stores.base import Store


def kept_file(settings: Settings, graph: str) -> Path:
    """``imports_dir/<graph slug>.nt``: where the file of one of our graphs is kept."""
    slug = IriScheme(settings.base_iri).split(graph)[2]
    return Path(settings.imports_dir) / f"{slug}.nt"


def keep_graph_file(path: Path, graph: str, settings: Settings) -> Path:
    """Move a written graph file to its kept place, durably (fsync, then rename)."""
    target = kept_file(settings, graph)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(path, target)
    return target


def restore_graphs(store: Store, settings: Settings) -> list[str]:
    """Load the kept graphs that the store does not hold, in one write; returns the graphs loaded."""
    directory = Path(settings.imports_dir)
    if not directory.is_dir():
        return []
    iris = IriScheme(settings.base_iri)
    present = store.graph_names()
    missing = [(str(iris.graph(path.stem)), path) for path in sorted(directory.glob("*.nt"))]
    missing = [(graph, path) for graph, path in missing if graph not in present]
    if missing:
        store.replace_graphs(missing)
    return [graph for graph, _ in missing]


def open_store_with_imports(settings: Settings) -> Store:
    """The configured store, with the kept graphs it lacks loaded. A read-only or remote store is left
    as it is (its own process or server keeps what it holds)."""
    from .stores import open_store

    store = open_store(settings)
    if settings.store_read_only or settings.store == "remote":
        return store
    try:
        restore_graphs(store, settings)
    except BaseException:
        store.close()
        raise
    return store
