"""A remote SPARQL 1.1 store (Oxigraph server, Fuseki, GraphDB, Virtuoso...) through SPARQLWrapper.

Many stateless service processes can share one remote store. The time limit is the HTTP timeout: the
client stops waiting and answers 503; stopping the work on the remote side is that server's own limit.
``dsih-kg load`` writes each named graph and also copies their union into the default graph, so that
queries without GRAPH see all data on every server (most servers' default graph is not the union).
"""

from __future__ import annotations

import json
import socket
import urllib.error
from collections.abc import Sequence
from pathlib import Path

from rdflib import Dataset, Graph
from SPARQLWrapper import POST, POSTDIRECTLY, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from ..config import Settings
from ..sparql.prefixes import explain_syntax_error
from .base import Answer, QueryResult, QuerySyntaxError, QueryTimeout, Store, StoreUnavailable, Unsupported

MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


class RemoteStore(Store):
    """SPARQL 1.1 Protocol client; ``update_url`` empty means read-only."""

    name = "remote"

    def __init__(self, url: str, update_url: str = "", timeout: float = 5.0, max_bytes: int = 0) -> None:
        self.url = url
        self.update_url = update_url
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._version = 0

    @classmethod
    def open(cls, settings: Settings) -> RemoteStore:
        return cls(
            settings.store_url, settings.store_update_url, settings.query_timeout, settings.max_result_bytes
        )

    @property
    def generation(self) -> str:  # type: ignore[override]
        # another process may write to the remote store: only our own writes are seen here
        return f"remote.{self._version}"

    def _client(
        self,
        endpoint: str,
        accept: str,
        timeout: float | None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> SPARQLWrapper:
        client = SPARQLWrapper(endpoint, updateEndpoint=self.update_url or None, agent="dsih-kg")
        client.setMethod(POST)
        client.setRequestMethod(POSTDIRECTLY)
        client.setTimeout(max(1, int(round(self.timeout if timeout is None else timeout))))
        client.addCustomHttpHeader("Accept", accept)
        # no format=xml&output=xml parameters of SPARQLWrapper's own: a server that reads them (this one
        # does) would answer XML whatever the Accept header asks for
        client.setOnlyConneg(True)
        for uri in default_graph_uris:
            client.addParameter("default-graph-uri", uri)
        for uri in named_graph_uris:
            client.addParameter("named-graph-uri", uri)
        return client

    def _fetch(
        self,
        sparql: str,
        accept: str,
        timeout: float | None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> tuple[str, bytes]:
        client = self._client(self.url, accept, timeout, default_graph_uris, named_graph_uris)
        client.setQuery(sparql)
        try:
            response = client.query().response
            body = response.read()
            return response.headers.get("Content-Type", ""), body
        except QueryBadFormed as exc:
            raise QuerySyntaxError(explain_syntax_error(_remote_message(exc), sparql)) from None
        except TimeoutError:
            raise QueryTimeout(f"The remote store did not answer within {self.timeout:g} s.") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise QueryTimeout(f"The remote store did not answer within {self.timeout:g} s.") from None
            raise StoreUnavailable(
                f"The remote store at {self.url} cannot be reached: {exc.reason}"
            ) from None
        except SPARQLWrapperException as exc:
            raise StoreUnavailable(
                f"The remote store answered with an error: {_remote_message(exc)}"
            ) from None

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
        content_type, body = self._fetch(
            sparql, MEDIA_TYPES[result_format], timeout, default_graph_uris, named_graph_uris
        )
        kind = _kind_of(content_type, body)
        if kind == "graph" and result_format not in ("turtle", "nt", "jsonld", "rdfxml"):
            raise Unsupported("The query returns a graph; ask for an RDF format.")
        return Answer(kind, result_format, body)

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
    ) -> QueryResult:
        from rdflib.plugins.sparql.results.jsonresults import JSONResult

        accept = "application/sparql-results+json, application/n-triples;q=0.9"
        content_type, body = self._fetch(sparql, accept, timeout, default_graph_uris, named_graph_uris)
        if "json" in content_type:
            result = JSONResult(json.loads(body))
            if result.type == "ASK":
                return QueryResult("ask", boolean=bool(result.askAnswer))
            names = [str(v) for v in result.vars]
            rows = [{name: row[name] for name in names if row[name] is not None} for row in result]
            return QueryResult("select", variables=names, rows=rows)
        graph = Graph()
        graph.parse(data=body.decode("utf-8"), format=_rdf_format(content_type))
        return QueryResult("graph", graph=graph)

    def update(self, sparql: str, *, timeout: float | None = None) -> None:
        if not self.update_url:
            raise Unsupported("The remote store is read-only here: set DSIH_STORE_UPDATE_URL to write to it.")
        client = self._client(self.url, "*/*", timeout)
        client.setQuery(sparql)
        try:
            client.query().response.read()
        except QueryBadFormed as exc:
            raise QuerySyntaxError(explain_syntax_error(_remote_message(exc), sparql)) from None
        except (urllib.error.URLError, SPARQLWrapperException, TimeoutError) as exc:
            raise StoreUnavailable(f"The remote update failed: {_remote_message(exc)}") from None
        self._version += 1

    def load(self, path: Path, graph: str | None = None, *, replace: bool = False) -> int:
        """Write each graph of the file with SPARQL Update (DROP + INSERT DATA); refresh the union copy."""
        data = Dataset()
        if graph:
            data.graph(graph).parse(path)
        else:
            data.parse(path, format="nquads" if str(path).endswith(".nq") else None)
        added = 0
        for context in data.graphs():
            if len(context) == 0 or context.identifier == data.default_context.identifier:
                continue
            name = context.identifier.n3()
            if replace:
                self.update(f"DROP SILENT GRAPH {name}", timeout=120)
            triples = [f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in context]
            for start in range(0, len(triples), 2000):
                chunk = "\n".join(triples[start : start + 2000])
                self.update(f"INSERT DATA {{ GRAPH {name} {{\n{chunk}\n}} }}", timeout=120)
            added += len(triples)
        self.update("DROP SILENT DEFAULT ; INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", timeout=300)
        return added

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(result.rows[0]["n"]) if result.rows else 0

    def ready(self) -> bool:
        try:
            self.query("ASK { }", timeout=2)
            return True
        except (StoreUnavailable, QueryTimeout, QuerySyntaxError):
            return False


def _remote_message(exc: Exception) -> str:
    text = str(exc)
    return text.split("Response:", 1)[-1].strip().strip("b'\"") or text


def _kind_of(content_type: str, body: bytes) -> str:
    if "sparql-results" in content_type or content_type.startswith(("text/csv", "text/tab-separated")):
        head = body[:200]
        return "ask" if b"boolean" in head else "select"
    return "graph"


def _rdf_format(content_type: str) -> str:
    for media, name in (
        ("turtle", "turtle"),
        ("n-triples", "nt"),
        ("ld+json", "json-ld"),
        ("rdf+xml", "xml"),
    ):
        if media in content_type:
            return name
    return "turtle"
