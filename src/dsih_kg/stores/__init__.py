"""Store backends by name; ``open_store`` is the only way the app gets a store."""

from __future__ import annotations

from ..config import Settings
from .base import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    Answer,
    QueryResult,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    Store,
    StoreUnavailable,
    Unsupported,
)


def open_store(settings: Settings) -> Store:
    """Open the store that ``settings.store`` names: oxigraph (default), memory (rdflib) or remote."""
    if settings.store == "oxigraph":
        from .oxigraph import OxigraphStore

        return OxigraphStore.open(settings)
    if settings.store == "memory":
        from .memory import MemoryStore

        return MemoryStore.open(settings)
    from .remote import RemoteStore

    return RemoteStore.open(settings)


__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "Answer",
    "QueryResult",
    "QuerySyntaxError",
    "QueryTimeout",
    "ResultTooLarge",
    "Store",
    "StoreUnavailable",
    "Unsupported",
    "open_store",
]
