"""dsih-kg: the lessons learned of the Dutch Societal Innovation Hub as linked data."""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

#: Public API, imported on first use: the service should not pay for the reasoner and pySHACL at start.
_EXPORTS = {
    "Settings": "config",
    "load_settings": "config",
    "build_graph": "graph",
    "write_graph": "graph",
    "validate_graph": "validation",
    "create_app": "app",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'dsih_kg' has no attribute {name!r}")
