"""Kept so that ``app.py`` (``explorer.views.init_app``) and older imports keep working; the explorer
lives in the package: ``__init__`` (blueprint, state, init_app), ``context``, ``pages`` and ``tools``.
"""

from __future__ import annotations

from ..iri import _SLUG, TYPES
from . import bp, init_app, state

__all__ = ["TYPES", "_SLUG", "bp", "init_app", "state"]
