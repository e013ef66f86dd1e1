"""The embedded default store: Oxigraph's engine (pyoxigraph), in memory or on disk.

In memory every worker loads the cached build (N-Quads, a few thousand triples: tens of milliseconds).
On disk (``settings.store_path``) the directory survives restarts; it is filled with the build on first
use, ``dsih-kg load`` refreshes it, and the workers open it read-only.
"""

from __future__ import annotations

from pathlib import Path

from ..config import Settings
from ..errors import UserError
from .process import ProcessStore


def prefixes_for(settings: Settings) -> dict[str, str]:
    """The prefixes Turtle answers are written with (the ones the graph binds)."""
    from rdflib import Graph

    from ..namespaces import bind_prefixes

    graph = Graph(bind_namespaces="none")
    bind_prefixes(graph, settings.base_iri.rstrip("/"))
    return {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}


def initialise_disk_store(path: Path, source: Path) -> bool:
    """Create the on-disk store at ``path`` from ``source`` when it is new or empty; True if it did."""
    import pyoxigraph

    path.mkdir(parents=True, exist_ok=True)
    try:
        store = pyoxigraph.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            return False  # another process holds it read-write: it exists and is that process's to fill
        raise UserError(f"Cannot open the store at {path}: {exc}") from None
    try:
        recover_disk_store(store, path)
        if len(store) == 0:
            store.bulk_load(path=str(source), format=pyoxigraph.RdfFormat.N_QUADS)
            store.flush()
            return True
        return False
    finally:
        del store


def recover_disk_store(store, path: Path) -> None:
    """Drop what a crashed write left behind: the graphs of an unfinished bulk load (named in the
    ``.loading`` file beside the store) and staging graphs, before any reader opens the store."""
    import pyoxigraph

    from .worker.durability import recover

    recover(pyoxigraph, store, str(path))


class OxigraphStore(ProcessStore):
    """Oxigraph in worker processes; see :class:`ProcessStore`."""

    @classmethod
    def open(cls, settings: Settings, source: Path | None = None) -> OxigraphStore:
        from ..graph import cached_build

        disk = bool(settings.store_path)
        if disk:
            path = Path(settings.store_path)
            if not settings.store_read_only:
                initialise_disk_store(path, source or cached_build(settings))
            elif not path.exists():
                raise UserError(f"DSIH_STORE_READ_ONLY is set but {path} does not exist; run dsih-kg load.")
            src: Path | None = path
        else:
            src = source or cached_build(settings)
        return cls(
            engine="oxigraph",
            source=src,
            disk=disk,
            workers=settings.workers,
            timeout=settings.query_timeout,
            queue_timeout=settings.queue_timeout,
            max_results=settings.max_results,
            max_bytes=settings.max_result_bytes,
            prefixes=prefixes_for(settings),
            snapshot_dir=Path(settings.cache_dir),
            read_only=settings.store_read_only,
            allow_network=bool(settings.federation_allow.strip()),
        )
