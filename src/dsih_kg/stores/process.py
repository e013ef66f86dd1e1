"""A store whose queries run in killable worker processes; the engine is Oxigraph or rdflib.

Readers: a pool of ``settings.workers`` processes, each with its own copy (in memory, loaded from an
N-Quads file) or its own read-only handle (on disk). Writer: one more process, started at the first
update, that holds the primary copy; after each write it publishes the new data and the readers catch
up before their next answer. On disk that is the store's generation file (readers reopen). In memory,
replaced graphs (imports, linksets) are published as the N-Triples files themselves, which the readers
load in turn (a few seconds for a million triples, instead of a full snapshot dumped and reloaded);
a SPARQL update is published as a full N-Quads snapshot.
"""

from __future__ import annotations

import os
import secrets
import shutil
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from .base import (
    Answer,
    QueryResult,
    QuerySyntaxError,
    ResultTooLarge,
    Store,
    StoreUnavailable,
    Unsupported,
)
from .pool import WorkerPool
from .worker import wire

#: A worker's error kind -> the exception the store raises for it (anything else: StoreUnavailable).
_ERRORS = {wire.SYNTAX: QuerySyntaxError, wire.TOO_LARGE: ResultTooLarge, wire.UNSUPPORTED: Unsupported}


def _raise_for(reply: dict, failure: str) -> None:
    """Raise what a failed reply means; ``failure`` opens the message of an I/O failure."""
    kind, message = reply.get("error"), reply.get("message", "")
    if kind in _ERRORS:
        raise _ERRORS[kind](message)
    raise StoreUnavailable(f"{failure}: {message}")


def to_rdflib(term: tuple | None):
    """A worker's term tuple as an rdflib term."""
    if term is None:
        return None
    kind = term[0]
    if kind == "u":
        return URIRef(term[1])
    if kind == "b":
        return BNode(term[1])
    _, value, language, datatype = term
    return Literal(value, lang=language, datatype=URIRef(datatype) if datatype else None)


def _ntriples(path: Path) -> bool:
    """Whether a graph file is N-Triples (ours are ``.nt``, or ``.nt.part`` while being written)."""
    return ".nt" in Path(path).suffixes


class ProcessStore(Store):
    """Queries in worker processes (hard time limit), writes through one writer process."""

    def __init__(
        self,
        *,
        engine: str,
        source: Path | None,
        disk: bool = False,
        workers: int = 2,
        timeout: float = 5.0,
        queue_timeout: float | None = None,
        max_results: int = 0,
        max_bytes: int = 0,
        prefixes: dict[str, str] | None = None,
        snapshot_dir: Path | None = None,
        read_only: bool = False,
        allow_network: bool = False,
    ) -> None:
        self.engine = engine
        self.name = f"{engine}-{'disk' if disk else 'memory'}"
        self.disk = disk
        self.source = str(source) if source else ""
        self.timeout = timeout
        self.queue_timeout = queue_timeout
        self.max_results = max_results
        self.max_bytes = max_bytes
        self.read_only = read_only
        self.snapshot_dir = Path(snapshot_dir) if snapshot_dir else None
        self._config = {
            "engine": engine,
            "kind": "disk" if disk else "memory",
            "path": self.source,
            "writable": False,
            "sandbox": True,
            "prefixes": prefixes or {},
        }
        self._workers = workers
        self._allow_network = allow_network
        self._lock = threading.Lock()
        self._writer: WorkerPool | None = None
        self._federation: WorkerPool | None = None
        self._updates = 0
        self._steps = 0
        self._nonce = secrets.token_hex(4)
        self._generation_stamp: tuple[int, int] | None = None
        if disk:
            self._read_generation_file(force=True)
        else:
            self._generation = Path(self.source).stem if self.source else "empty"
        self.pool = WorkerPool(self._config, workers, "query")

    # --- generations ----------------------------------------------------------------------------------

    @property
    def _generation_file(self) -> Path:
        return Path(self.source.rstrip("/") + ".generation")

    def _read_generation_file(self, force: bool = False) -> None:
        """On disk the generation lives beside the store, so every process on the directory sees writes."""
        path = self._generation_file
        try:
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            if self.read_only:
                self._generation, self._generation_stamp = "disk", None
                return
            self._write_generation_file()
            return self._read_generation_file(force=True)
        if force or stamp != self._generation_stamp:
            self._generation = path.read_text().strip() or "disk"
            changed = self._generation_stamp is not None
            self._generation_stamp = stamp
            if changed:
                self.pool.set_source(self.source)
                if self._federation:
                    self._federation.set_source(self.source)

    def _write_generation_file(self) -> None:
        path = self._generation_file
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(secrets.token_hex(8) + "\n")
        os.replace(tmp, path)

    @property
    def generation(self) -> str:  # type: ignore[override]
        if self.disk:
            self._read_generation_file()
        return self._generation

    @property
    def sandboxed(self) -> bool:  # type: ignore[override]
        return self.pool.sandboxed

    @property
    def queue_wait(self) -> float:  # type: ignore[override]
        """Seconds this thread's last query waited in line for a worker."""
        return getattr(self.pool.waited, "seconds", 0.0)

    # --- reading --------------------------------------------------------------------------------------

    def _run(self, request: dict, timeout: float | None, federated: bool = False) -> dict:
        if self.disk:
            self._read_generation_file()
        pool = self._federation_pool() if federated else self.pool
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        reply = pool.run(request, limit, self.queue_timeout)
        for pause in (0.05, 0.2, 0.5):
            # on disk a read-only handle can see files a writer has just compacted away: reopen, retry
            if reply.get("ok") or reply.get("error") != wire.IO or not self.disk:
                break
            time.sleep(pause)
            pool.set_source(self.source)
            reply = pool.run(request, max(deadline - time.monotonic(), 0.5))
        if not reply.get("ok"):
            _raise_for(reply, "The store could not answer")
        return reply

    def _federation_pool(self) -> WorkerPool:
        if not self._allow_network:
            raise Unsupported("Federation is not enabled on this service (DSIH_FEDERATION_ALLOW is empty).")
        with self._lock:
            if self._federation is None:
                config = dict(self._config, path=self.pool.config.get("path"), sandbox=False)
                self._federation = WorkerPool(config, 1, "federation")
            return self._federation

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
        reply = self._run(
            {
                "op": "query",
                "query": sparql,
                "format": result_format,
                "mode": "bytes",
                "default_graph_uris": list(default_graph_uris),
                "named_graph_uris": list(named_graph_uris),
                "max_results": self.max_results,
                "max_bytes": self.max_bytes,
            },
            timeout,
            federated,
        )
        return Answer(reply["kind"], result_format, reply["body"])

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
    ) -> QueryResult:
        reply = self._run(
            {
                "op": "query",
                "query": sparql,
                "mode": "terms",
                "default_graph_uris": list(default_graph_uris),
                "named_graph_uris": list(named_graph_uris),
                "max_results": self.max_results,
            },
            timeout,
        )
        kind = reply["kind"]
        if kind == "ask":
            return QueryResult("ask", boolean=reply["boolean"])
        if kind == "select":
            names = reply["variables"]
            rows = [
                {name: to_rdflib(term) for name, term in zip(names, row, strict=False) if term is not None}
                for row in reply["rows"]
            ]
            return QueryResult("select", variables=names, rows=rows)
        graph = Graph()
        for triple in reply["triples"]:
            graph.add(tuple(to_rdflib(t) for t in triple))
        return QueryResult("graph", graph=graph)

    def __len__(self) -> int:
        return self._run({"op": "count"}, None)["count"]

    def ready(self) -> bool:
        try:
            return bool(self._run({"op": "ping"}, 2.0).get("ok"))
        except (StoreUnavailable, Exception):  # noqa: BLE001 - readiness must answer, not raise
            return False

    # --- writing --------------------------------------------------------------------------------------

    def _writer_pool(self) -> WorkerPool:
        if self.read_only:
            raise Unsupported("This service opened the store read-only; send updates to the read-write one.")
        if self._writer is None:
            # in memory the writer starts from the data the readers hold (base, snapshot and steps)
            path = self.source if self.disk else self.pool.config.get("path")
            self._writer = WorkerPool(
                dict(self._config, path=path, writable=True, sandbox=not self._allow_network), 1, "writer"
            )
        return self._writer

    def _snapshot_path(self) -> Path:
        directory = self.snapshot_dir or Path(self.source).parent
        directory.mkdir(parents=True, exist_ok=True)
        return directory / f"runtime-{os.getpid()}-{self._nonce}.nq"

    def _write(self, request: dict, timeout: float | None, step: tuple | None = None) -> dict:
        """Send one write to the writer and publish it: ``step`` (in memory) is what readers replay
        instead of reloading a snapshot."""
        with self._lock:
            writer = self._writer_pool()
            if not self.disk and step is None:
                request = dict(request, snapshot=str(self._snapshot_path()))
            try:
                reply = writer.run(request, self.timeout if timeout is None else timeout)
            except Exception:
                # the writer was killed mid-write: its copy is gone; the next write starts from the last
                # published data, which never contains a half-applied update
                self._writer.close()
                self._writer = None
                raise
            if not reply.get("ok"):
                _raise_for(reply, "The update failed")
            self._updates += 1
            if self.disk:
                self._write_generation_file()
                self._read_generation_file(force=True)
                self.pool.set_source(self.source)
                if self._federation:
                    self._federation.set_source(self.source)
            else:
                self._generation = f"{Path(self.source).stem}.{self._nonce}.{self._updates}"
                for pool in (self.pool, self._federation):
                    if pool is None:
                        continue
                    if step is None:
                        pool.set_source(str(self._snapshot_path()))
                    else:
                        pool.add_step(step)
            return reply

    def update(self, sparql: str, *, timeout: float | None = None) -> None:
        self._write({"op": "update", "update": sparql}, timeout)

    def load(self, path: Path, graph: str | None = None, *, replace: bool = False) -> int:
        reply = self._write(
            {"op": "load", "path": str(Path(path).resolve()), "graph": graph, "replace": replace},
            max(self.timeout, 600.0),
        )
        return reply.get("added", 0)

    def replace_graph(self, graph: str, path: Path) -> int:
        if not _ntriples(path):
            return self.load(path, graph, replace=True)
        return self.replace_graphs([(graph, path)])

    def replace_graphs(self, graphs: Sequence[tuple[str, Path]]) -> int:
        """Replace each named graph with the triples of its N-Triples file, all in one write."""
        if not all(_ntriples(path) for _, path in graphs):
            return super().replace_graphs(graphs)
        if self.disk:
            pairs = [(graph, str(Path(path).resolve())) for graph, path in graphs]
            reply = self._write({"op": "load_graphs", "graphs": pairs}, max(self.timeout, 3600.0))
            return reply.get("added", 0)
        # the readers load these files after the write returns, when the caller may have moved or
        # deleted them: publish links (or copies) of our own
        pairs = [(graph, str(self._keep_step_file(Path(path)))) for graph, path in graphs]
        try:
            reply = self._write(
                {"op": "load_graphs", "graphs": pairs}, max(self.timeout, 3600.0), step=("graphs", pairs)
            )
        except BaseException:
            for _, path in pairs:
                Path(path).unlink(missing_ok=True)
            raise
        return reply.get("added", 0)

    def _keep_step_file(self, path: Path) -> Path:
        self._steps += 1
        target = self._snapshot_path().with_name(f"{self._snapshot_path().stem}-{self._steps}.nt")
        target.unlink(missing_ok=True)
        try:
            os.link(path, target)
        except OSError:  # another file system, or links not allowed
            shutil.copyfile(path, target)
        return target

    def close(self) -> None:
        for pool in (self.pool, self._writer, self._federation):
            if pool is not None:
                pool.close()
        if not self.disk and self._updates:
            self._snapshot_path().unlink(missing_ok=True)
            for n in range(1, self._steps + 1):
                self._snapshot_path().with_name(f"{self._snapshot_path().stem}-{n}.nt").unlink(missing_ok=True)
