"""Importers: records from outside (Living-in.eu-style CSV, JSON, RDF) into their own named graphs.

An :class:`Importer` reads one kind of source into :class:`~.readers.RawRecord` values; the rest
(checking, mapping, provenance, writing atomically) is shared and lives in :mod:`.run`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path

from ..errors import UserError
from .mapping import Mapping
from .readers import RawRecord


class Importer(ABC):
    """One source of records, known by ``name`` (e.g. ``livingin``)."""

    name: str = ""
    description: str = ""
    #: Suffixes of the files it reads.
    suffixes: tuple[str, ...] = ()

    @abstractmethod
    def records(self, path: Path, data: bytes, mapping: Mapping) -> Iterator[RawRecord]:
        """The records of a file (its bytes already read, so the checksum and the records agree)."""


def importers() -> dict[str, Importer]:
    """The registry: every importer by name."""
    from .livingin import LivingInImporter

    return {imp.name: imp for imp in (LivingInImporter(),)}


def get_importer(name: str) -> Importer:
    registry = importers()
    if name not in registry:
        raise UserError(f"No importer {name!r}; known: {', '.join(sorted(registry))}.")
    return registry[name]


__all__ = ["Importer", "get_importer", "importers"]
