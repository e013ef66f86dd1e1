"""The one store interface the app sees: SPARQL in, plain results out, whatever the backend.

Two ways to ask a query:

* :meth:`Store.query` returns a :class:`QueryResult` of rdflib terms, for the explorer and the CLI;
* :meth:`Store.execute` returns an :class:`Answer`, the result already serialised in one of the
  SPARQL/RDF formats, for the HTTP endpoint (no conversion to rdflib on that hot path).

Both take ``timeout`` (seconds, default the store's) and raise :class:`QueryTimeout` when it passes,
:class:`QuerySyntaxError` when the query does not parse and :class:`ResultTooLarge` past the caps.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node

from ..errors import DsihError, UserError
from .worker.wire import GRAPH_FORMATS as GRAPH_FORMATS  # one list of format names, for both sides of the wire
from .worker.wire import RESULT_FORMATS as RESULT_FORMATS


@dataclass
class QueryResult:
    """A query's answer: ``kind`` is 'select', 'ask' or 'graph' (CONSTRUCT/DESCRIBE)."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Node]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


@dataclass
class Answer:
    """A serialised answer: ``kind`` as in QueryResult, ``body`` in the format that was asked for."""

    kind: str
    format: str
    body: bytes


class QuerySyntaxError(UserError, ValueError):
    """The query (or update) does not parse; the message is the parser's."""


class ResultTooLarge(UserError):
    """The answer is larger than the configured caps (max_results rows, max_result_bytes)."""


class Unsupported(UserError):
    """This store cannot do what the request asks (e.g. named-graph-uri on the rdflib store)."""


class QueryTimeout(DsihError):
    """The query ran past its time limit and was stopped."""


class StoreUnavailable(DsihError):
    """The store cannot answer now (workers busy or restarting, remote store down)."""


class Store(ABC):
    """A SPARQL 1.1 dataset. The default graph of a query is the union of all named graphs."""

    name: str = "store"
    #: Changes whenever the data may have changed (ETags and caches key on it).
    generation: str = "0"
    #: Whether the engine can be asked to make no outbound request at all (see stores.worker.sandbox).
    sandboxed: bool = False
    #: Seconds the calling thread's last query waited for the engine (reported in Server-Timing).
    queue_wait: float = 0.0

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
    ) -> QueryResult:
        """Answer a query with rdflib terms; a query that does not parse raises QuerySyntaxError."""

    @abstractmethod
    def execute(
        self,
        sparql: str,
        *,
        result_format: str,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
        federated: bool = False,
    ) -> Answer:
        """Answer a query serialised as ``result_format`` (see RESULT_FORMATS and GRAPH_FORMATS).

        ``federated`` says the query holds SERVICE calls to allowed endpoints, so it must run where
        outbound requests are possible; every other query runs where they are not.
        """

    @abstractmethod
    def update(self, sparql: str, *, timeout: float | None = None) -> None:
        """Apply a SPARQL Update atomically."""

    @abstractmethod
    def load(self, path: Path, graph: str | None = None, *, replace: bool = False) -> int:
        """Load an RDF file (quads keep their graphs; triples go to ``graph``); returns quads added.

        With ``replace`` every graph the file mentions is emptied first, so loading twice changes nothing.
        """

    def replace_graph(self, graph: str, path: Path) -> int:
        """Replace one named graph with the triples of a file; returns the quads added."""
        return self.load(path, graph, replace=True)

    def replace_graphs(self, graphs: Sequence[tuple[str, Path]]) -> int:
        """Replace several named graphs, each with the triples of an N-Triples file, in one write.

        This default writes them to one N-Quads file and loads it with ``replace``; stores that can do
        better (no copy, no staging) override it.
        """
        if len(graphs) == 1:
            return self.replace_graph(*graphs[0])
        import os
        import tempfile

        fd, combined = tempfile.mkstemp(prefix=".combined-", suffix=".nq", dir=Path(graphs[0][1]).parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                for graph, path in graphs:
                    suffix = f" <{graph}> .\n"
                    with open(path, encoding="utf-8") as handle:
                        out.writelines(line[:-3] + suffix for line in handle)
            return self.load(Path(combined), None, replace=True)
        finally:
            Path(combined).unlink(missing_ok=True)

    def graph_names(self) -> frozenset[str]:
        """IRIs of the named graphs (cached per generation by the callers that need speed)."""
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return frozenset(str(row["g"]) for row in result.rows if "g" in row)

    @abstractmethod
    def __len__(self) -> int:
        """Number of quads."""

    def ready(self) -> bool:
        """Whether the store can answer a query now."""
        return True

    def close(self) -> None:  # noqa: B027 - optional hook, most stores hold something to release
        """Release files, processes and connections."""
