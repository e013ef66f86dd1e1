"""Store backends by name; ``open_store`` is the only way the app gets a store."""

from __future__ import annotations

from ..config import Settings
from .base import QueryResult, QuerySyntaxError, Store


def open_store(settings: Settings) -> Store:
    """Open the store that ``settings.store`` names, loaded with the built graph when it is empty."""
    if settings.store == "oxigraph":
        from .oxigraph import OxigraphStore

        return OxigraphStore.open(settings)
    raise NotImplementedError(f"store {settings.store!r} is not built yet")


__all__ = ["QueryResult", "QuerySyntaxError", "Store", "open_store"]
