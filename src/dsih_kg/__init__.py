"""dsih-kg: the lessons learned of the Dutch Societal Innovation Hub as linked data."""

from __future__ import annotations

__version__ = "0.1.0"

from .config import Settings, load_settings  # noqa: E402
from .graph import build_graph, write_graph  # noqa: E402
from .validation import validate_graph  # noqa: E402

__all__ = ["Settings", "__version__", "build_graph", "load_settings", "validate_graph", "write_graph"]
