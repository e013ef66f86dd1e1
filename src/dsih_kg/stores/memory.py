"""rdflib's own store and SPARQL engine (store=memory), for small experiments.

Same process model as Oxigraph's (queries in killable workers), so the time limit holds; about 20-50
times slower, and ``named-graph-uri`` is not supported.
"""

from __future__ import annotations

from pathlib import Path

from ..config import Settings
from .oxigraph import prefixes_for
from .process import ProcessStore


class MemoryStore(ProcessStore):
    """rdflib Dataset in worker processes."""

    @classmethod
    def open(cls, settings: Settings, source: Path | None = None) -> MemoryStore:
        from ..graph import cached_build

        return cls(
            engine="rdflib",
            source=source or cached_build(settings),
            workers=settings.workers,
            timeout=settings.query_timeout,
            queue_timeout=settings.queue_timeout,
            max_results=settings.max_results,
            max_bytes=settings.max_result_bytes,
            prefixes=prefixes_for(settings),
            snapshot_dir=Path(settings.cache_dir),
            allow_network=bool(settings.federation_allow.strip()),
        )
