"""Living-in.eu-style records of solutions, use cases, tools, commitments and organisations.

Living-in.eu publishes no export format, so this importer takes the shapes in which data stewards
hold such records: a CSV (or TSV) sheet, a JSON array, or RDF (Turtle, JSON-LD, RDF/XML) using
DCAT / DCTERMS / schema.org. All three go through the same mapping (``mappings/livingin-default.yaml``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from . import Importer
from .mapping import Mapping
from .readers import SUFFIXES, RawRecord, read_records


class LivingInImporter(Importer):
    name = "livingin"
    description = "Living-in.eu-style records (solutions, use cases, tools, commitments, organisations)."
    suffixes = tuple(sorted(SUFFIXES))

    def records(self, path: Path, data: bytes, mapping: Mapping) -> Iterator[RawRecord]:
        return read_records(path, data, mapping)
