"""The one store interface the app sees: SPARQL in, plain results out, whatever the backend."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node


@dataclass
class QueryResult:
    """A query's answer: ``kind`` is 'select', 'ask' or 'graph' (CONSTRUCT/DESCRIBE)."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Node]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


class Store(ABC):
    """A SPARQL 1.1 dataset. The default graph of a query is the union of all named graphs."""

    name: str = "store"

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResult:
        """Answer a query; a query that does not parse raises QuerySyntaxError."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Apply a SPARQL Update atomically."""

    @abstractmethod
    def load(self, path: Path, graph: str | None = None) -> int:
        """Load an RDF file (quads keep their graphs; triples go to ``graph``); returns quads added."""

    @abstractmethod
    def replace_graph(self, graph: str, path: Path) -> int:
        """Atomically replace one named graph with the triples of a file; returns its size."""

    @abstractmethod
    def __len__(self) -> int:
        """Number of quads."""

    def close(self) -> None:
        """Release files and connections."""


class QuerySyntaxError(ValueError):
    """The query (or update) does not parse; the message is the parser's."""
