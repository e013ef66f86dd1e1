"""A query worker process: holds one copy of the store and answers requests framed on stdin/stdout.

Run as a script (``python -I worker.py``), not as a package module, so that it starts in a few tens of
milliseconds without importing rdflib when the engine is Oxigraph. The parent (:mod:`.pool`) ends it
with SIGKILL at a query's deadline, which is the only way to stop a pyoxigraph query.

Frames are a 4-byte big-endian length followed by a pickle. The first frame configures the worker::

    {"engine": "oxigraph" | "rdflib", "kind": "memory" | "disk", "path": str, "writable": bool,
     "sandbox": bool, "prefixes": {prefix: namespace}}

Then each request is a dict with ``op`` (query, update, load, count, dump) and each answer a dict with
``ok`` and either the result or ``error`` (syntax, too_large, unsupported, io) and ``message``.
"""

from __future__ import annotations

import gc
import io
import os
import pickle
import struct
import sys
import threading
import time
from itertools import islice

STAGING = "urn:dsih-kg:staging:"
RESULT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "nt", "jsonld", "rdfxml")


class TooLarge(Exception):
    """The serialised answer outgrew its byte cap."""


class CappedBuffer:
    """A binary writer that refuses to grow past ``limit`` bytes (so a huge result is stopped early)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.buffer = io.BytesIO()

    def write(self, data: bytes) -> int:
        if self.buffer.tell() + len(data) > self.limit:
            raise TooLarge(f"The result is larger than {self.limit} bytes.")
        return self.buffer.write(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return self.buffer.getvalue()


# --- Oxigraph engine ---------------------------------------------------------------------------------


class OxigraphEngine:
    def __init__(self, config: dict) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.config = config
        self.prefixes = config.get("prefixes") or {}
        self.result_formats = {
            "json": ox.QueryResultsFormat.JSON,
            "xml": ox.QueryResultsFormat.XML,
            "csv": ox.QueryResultsFormat.CSV,
            "tsv": ox.QueryResultsFormat.TSV,
        }
        self.graph_formats = {
            "turtle": ox.RdfFormat.TURTLE,
            "nt": ox.RdfFormat.N_TRIPLES,
            "jsonld": ox.RdfFormat.JSON_LD,
            "rdfxml": ox.RdfFormat.RDF_XML,
            "nq": ox.RdfFormat.N_QUADS,
        }
        self.store = None
        self.open(config["path"])

    def open(self, source) -> None:
        """Open ``source``: on disk a directory; in memory an N-Quads file or a list of steps."""
        ox = self.ox
        self.store = None  # release the old handle (and its files) first
        if self.config["kind"] == "disk":
            self.store = ox.Store(source) if self.config.get("writable") else ox.Store.read_only(source)
            return
        self.store = ox.Store()
        self.apply(source_steps(source))

    def apply(self, steps) -> None:
        """Bring an in-memory copy forward: ``("nq", path)`` adds a snapshot, ``("graphs", [(graph,
        path)])`` replaces each graph with an N-Triples file (what the writer did, done again here)."""
        ox = self.ox
        for step in steps:
            if step[0] == "nq":
                self.store.bulk_load(path=step[1], format=ox.RdfFormat.N_QUADS)
                continue
            for graph, path in step[1]:
                target = ox.NamedNode(graph)
                self.store.remove_graph(target)
                self.store.load(path=path, format=ox.RdfFormat.N_TRIPLES, to_graph=target)

    def _dataset(self, request: dict) -> dict:
        """The protocol's dataset replaces the query's (exactly the graphs named, unknown ones empty); a
        query's own FROM / FROM NAMED is left to the engine; else the default graph is the union."""
        ox = self.ox
        default, named = request.get("default_graph_uris") or [], request.get("named_graph_uris") or []
        if default or named:
            return {
                "default_graph": [ox.NamedNode(u) for u in default],
                "named_graphs": [ox.NamedNode(u) for u in named],
            }
        if request.get("own_dataset"):
            return {}
        return {"use_default_graph_as_union": True}

    def query(self, request: dict) -> dict:
        ox = self.ox
        result = self.store.query(request["query"], **self._dataset(request))
        max_results = request.get("max_results") or 0
        if request.get("mode") == "terms":
            return self._terms(result, max_results)
        buffer = CappedBuffer(request.get("max_bytes") or 1 << 62)
        if isinstance(result, ox.QueryBoolean):
            kind = "ask"
            result.serialize(buffer, format=self.result_formats[request["format"]])
        elif isinstance(result, ox.QuerySolutions):
            kind = "select"
            result.serialize(buffer, format=self.result_formats[request["format"]])
        else:
            kind = "graph"
            triples = list(islice(result, max_results + 1)) if max_results else list(result)
            if max_results and len(triples) > max_results:
                return _error("too_large", f"The query returns more than {max_results} triples.")
            fmt = self.graph_formats[request["format"]]
            prefixes = self.prefixes if request["format"] == "turtle" else None
            ox.serialize(triples, buffer, format=fmt, prefixes=prefixes)
        return {"ok": True, "kind": kind, "body": buffer.getvalue()}

    def _terms(self, result, max_results: int) -> dict:
        ox = self.ox
        if isinstance(result, ox.QueryBoolean):
            return {"ok": True, "kind": "ask", "boolean": bool(result)}
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if max_results and len(rows) >= max_results:
                    return _error("too_large", f"The query returns more than {max_results} rows.")
                rows.append(tuple(_ox_term(ox, solution[i]) for i in range(len(names))))
            return {"ok": True, "kind": "select", "variables": names, "rows": rows}
        triples = []
        for triple in result:
            if max_results and len(triples) >= max_results:
                return _error("too_large", f"The query returns more than {max_results} triples.")
            triples.append(
                (_ox_term(ox, triple.subject), _ox_term(ox, triple.predicate), _ox_term(ox, triple.object))
            )
        return {"ok": True, "kind": "graph", "triples": triples}

    def _writable(self) -> None:
        """On disk the writer opens the store only for the length of one write (see _after_write)."""
        if self.store is None:
            self.open(self.config["path"])
            self.drop_staging()

    def update(self, request: dict) -> dict:
        self._writable()
        self.store.update(request["update"])
        return self._after_write(request)

    def load(self, request: dict) -> dict:
        """Load an RDF file; with ``replace``, each graph it holds replaces the old one in one transaction.

        The file goes into staging graphs first (``urn:dsih-kg:staging:N``, not atomic, dropped again if
        a crash left them), then one SPARQL update swaps every staged graph in: a reader or a crash sees
        either the old graphs or the new ones, never a half-written one.
        """
        ox = self.ox
        path, graph = request["path"], request.get("graph")
        fmt = ox.RdfFormat.from_extension(os.path.splitext(path)[1].lstrip(".")) or ox.RdfFormat.N_QUADS
        target = ox.NamedNode(graph) if graph else None
        self._writable()
        before = len(self.store)
        if not request.get("replace"):
            if target is not None:
                self.store.load(path=path, format=fmt, to_graph=target)
            else:
                self.store.load(path=path, format=fmt)
            added = len(self.store) - before
            self._after_write(request)
            return {"ok": True, "added": added}
        self.drop_staging()
        staging: dict = {}

        def staged(name):
            if target is not None:
                name = target
            if name not in staging:
                staging[name] = ox.NamedNode(f"{STAGING}{len(staging)}")
            return staging[name]

        batch = []
        for quad in ox.parse(path=path, format=fmt):
            batch.append(ox.Quad(quad.subject, quad.predicate, quad.object, staged(quad.graph_name)))
            if len(batch) >= 100_000:
                self.store.extend(batch)
                batch = []
        self.store.extend(batch)
        operations = []
        for name, stage in staging.items():
            old = "DEFAULT" if isinstance(name, ox.DefaultGraph) else f"GRAPH <{name.value}>"
            new = "DEFAULT" if isinstance(name, ox.DefaultGraph) else f"<{name.value}>"
            operations.append(
                f"DROP SILENT {old} ; ADD SILENT <{stage.value}> TO {new} ; DROP SILENT GRAPH <{stage.value}>"
            )
        if operations:
            self.store.update(" ;\n".join(operations))
        added = len(self.store) - before
        self._after_write(request)
        return {"ok": True, "added": added}

    def load_graphs(self, request: dict) -> dict:
        """Replace several named graphs, each with an N-Triples file, as one write.

        In memory the writer's copy is private (a crash discards it), so each graph is simply emptied
        and loaded. On disk a graph the store does not hold yet is bulk-loaded under its own name (fast,
        not transactional), announced first in a ``.loading`` file beside the store so that a crash
        leaves nothing behind (:func:`recover_disk_store` drops it at the next open); a graph that
        exists is bulk-loaded into a staging graph and swapped in by one SPARQL update.
        """
        ox = self.ox
        graphs = [(g, p) for g, p in request["graphs"]]
        self._writable()
        before = len(self.store)
        if self.config["kind"] != "disk":
            self.apply([("graphs", graphs)])
            added = len(self.store) - before
            self._after_write(request)
            return {"ok": True, "added": added}
        self.drop_staging()
        present = {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}
        new = [(g, p) for g, p in graphs if g not in present]
        staged = [(g, p, f"{STAGING}{n}") for n, (g, p) in enumerate(graphs) if g in present]
        marker = loading_marker(self.config["path"])
        write_durably(marker, "".join(g + "\n" for g, _ in new))
        for graph, path in new:
            self.store.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
        for _, path, stage in staged:
            self.store.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(stage))
        self.store.flush()
        if staged:
            self.store.update(
                " ;\n".join(
                    f"DROP SILENT GRAPH <{g}> ; ADD SILENT <{stage}> TO <{g}> ; DROP SILENT GRAPH <{stage}>"
                    for g, _, stage in staged
                )
            )
            self.store.flush()
        os.unlink(marker)  # from here on the new graphs are the store's: the write is done
        added = len(self.store) - before
        self._after_write(request)
        return {"ok": True, "added": added}

    def drop_staging(self) -> None:
        if self.config["kind"] == "disk":
            recover(self.ox, self.store, self.config["path"])
        for name in list(self.store.named_graphs()):
            if isinstance(name, self.ox.NamedNode) and name.value.startswith(STAGING):
                self.store.remove_graph(name)

    def _after_write(self, request: dict) -> dict:
        if request.get("snapshot"):  # in-memory primary: readers reload from this N-Quads file
            tmp = request["snapshot"] + ".part"
            self.store.dump(tmp, format=self.ox.RdfFormat.N_QUADS)
            os.replace(tmp, request["snapshot"])
        elif self.config["kind"] == "disk":
            # close the read-write handle: RocksDB's read-only handles (the query workers, another
            # service) are only safe to open while no writer is compacting the files under them
            self.store.flush()
            self.store = None
            gc.collect()
        return {"ok": True}

    def count(self, request: dict) -> dict:
        if self.store is None:
            self._writable()
        return {"ok": True, "count": len(self.store)}


def _ox_term(ox, term) -> tuple | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("u", term.value)
    if isinstance(term, ox.BlankNode):
        return ("b", term.value)
    if isinstance(term, ox.Literal):
        return ("l", term.value, term.language, None if term.language else term.datatype.value)
    return ("l", str(term), None, None)  # RDF-star triple terms: shown as text


def source_steps(source) -> list:
    """A worker's source as steps: a path is one N-Quads snapshot, an empty one nothing."""
    if not source:
        return []
    if isinstance(source, str):
        return [("nq", source)]
    return list(source)


def loading_marker(store_path: str) -> str:
    """The file beside an on-disk store that names the graphs a bulk load is writing."""
    return store_path.rstrip("/") + ".loading"


def write_durably(path: str, text: str) -> None:
    """Write ``path`` and make it survive a crash (fsync the file and its directory)."""
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    directory = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def recover(ox, store, store_path: str) -> bool:
    """Drop what a crashed bulk load left (the graphs its ``.loading`` file names); True if it did."""
    marker = loading_marker(store_path)
    try:
        with open(marker, encoding="utf-8") as handle:
            names = [line.strip() for line in handle if line.strip()]
    except FileNotFoundError:
        return False
    for name in names:
        store.remove_graph(ox.NamedNode(name))
    store.flush()
    os.unlink(marker)
    return True


# --- rdflib engine (store=memory) ----------------------------------------------------------------------


class RdflibEngine:
    """rdflib's own store and SPARQL engine, for small experiments; same answers shape as Oxigraph's."""

    def __init__(self, config: dict) -> None:
        import rdflib
        import rdflib.plugins.sparql as rdflib_sparql

        rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # FROM <http://...> must never be fetched
        rdflib_sparql.SPARQL_DEFAULT_GRAPH_UNION = True
        self.rdflib = rdflib
        self.config = config
        self.prefixes = config.get("prefixes") or {}
        self.open(config["path"])

    def open(self, source) -> None:
        self.dataset = self.rdflib.Dataset(default_union=True)
        self.apply(source_steps(source))
        for prefix, namespace in self.prefixes.items():
            self.dataset.bind(prefix, namespace, override=True)

    def apply(self, steps) -> None:
        for step in steps:
            if step[0] == "nq":
                self.dataset.parse(step[1], format="nquads")
                continue
            for graph, path in step[1]:
                target = self.dataset.graph(self.rdflib.URIRef(graph))
                target.remove((None, None, None))
                target.parse(path, format="nt")

    def load_graphs(self, request: dict) -> dict:
        before = len(self.dataset)
        self.apply([("graphs", [(g, p) for g, p in request["graphs"]])])
        self._after_write(request)
        return {"ok": True, "added": len(self.dataset) - before}

    def _graph(self, request: dict):
        from rdflib.graph import ReadOnlyGraphAggregate

        if request.get("named_graph_uris"):
            raise Unsupported("named-graph-uri is not supported by the memory store; use store=oxigraph.")
        uris = request.get("default_graph_uris")
        if uris and request.get("own_dataset"):  # rdflib would keep the query's FROM: refuse, not mislead
            raise Unsupported(
                "default-graph-uri with FROM in the query is not supported by the memory store; use store=oxigraph."
            )
        if uris:
            return ReadOnlyGraphAggregate([self.dataset.graph(self.rdflib.URIRef(u)) for u in uris])
        return self.dataset

    def query(self, request: dict) -> dict:
        from pyparsing import ParseException

        try:
            result = self._graph(request).query(request["query"])
        except ParseException as exc:
            raise SyntaxError(str(exc)) from None
        kind = {"SELECT": "select", "ASK": "ask"}.get(result.type, "graph")
        max_results = request.get("max_results") or 0
        if request.get("mode") == "terms":
            if kind == "ask":
                return {"ok": True, "kind": kind, "boolean": bool(result.askAnswer)}
            if kind == "select":
                names = [str(v) for v in result.vars]
                rows = [tuple(_rdflib_term(row[i]) for i in range(len(names))) for row in result]
                if max_results and len(rows) > max_results:
                    return _error("too_large", f"The query returns more than {max_results} rows.")
                return {"ok": True, "kind": kind, "variables": names, "rows": rows}
            triples = [tuple(_rdflib_term(t) for t in triple) for triple in result.graph]
            if max_results and len(triples) > max_results:
                return _error("too_large", f"The query returns more than {max_results} triples.")
            return {"ok": True, "kind": kind, "triples": triples}
        fmt = request["format"]
        if kind == "graph":
            if max_results and len(result.graph) > max_results:
                return _error("too_large", f"The query returns more than {max_results} triples.")
            name = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}[fmt]
            body = result.graph.serialize(format=name, encoding="utf-8")
        elif fmt == "tsv":
            body = _rdflib_tsv(result)
        else:
            body = result.serialize(format=fmt)
        if len(body) > (request.get("max_bytes") or 1 << 62):
            return _error("too_large", f"The result is larger than {request['max_bytes']} bytes.")
        return {"ok": True, "kind": kind, "body": body}

    def update(self, request: dict) -> dict:
        from pyparsing import ParseException

        try:
            self.dataset.update(request["update"])
        except ParseException as exc:
            raise SyntaxError(str(exc)) from None
        return self._after_write(request)

    def load(self, request: dict) -> dict:
        path, graph = request["path"], request.get("graph")
        incoming = self.rdflib.Dataset()
        fmt = "nquads" if path.endswith(".nq") else None
        if graph:
            incoming.graph(self.rdflib.URIRef(graph)).parse(path, format=fmt)
        else:
            incoming.parse(path, format=fmt)
        before = len(self.dataset)
        for context in incoming.graphs():
            if len(context) == 0:
                continue
            target = self.dataset.graph(context.identifier)
            if request.get("replace"):
                target.remove((None, None, None))
            for triple in context:
                target.add(triple)
        self._after_write(request)
        return {"ok": True, "added": len(self.dataset) - before}

    def _after_write(self, request: dict) -> dict:
        if request.get("snapshot"):
            tmp = request["snapshot"] + ".part"
            self.dataset.serialize(tmp, format="nquads")
            os.replace(tmp, request["snapshot"])
        return {"ok": True}

    def count(self, request: dict) -> dict:
        return {"ok": True, "count": sum(1 for _ in self.dataset.quads((None, None, None, None)))}


class Unsupported(Exception):
    """The engine cannot answer this request as asked."""


def _rdflib_term(term) -> tuple | None:
    from rdflib import BNode, Literal

    if term is None:
        return None
    if isinstance(term, Literal):
        return (
            "l",
            str(term),
            term.language,
            None if term.language else (str(term.datatype) if term.datatype else None),
        )
    if isinstance(term, BNode):
        return ("b", str(term))
    return ("u", str(term))


def _rdflib_tsv(result) -> bytes:
    lines = ["\t".join("?" + str(v) for v in result.vars)]
    for row in result:
        lines.append("\t".join("" if t is None else t.n3() for t in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- the loop ------------------------------------------------------------------------------------------


def _error(kind: str, message: str) -> dict:
    return {"ok": False, "error": kind, "message": message}


def _read(stream) -> dict | None:
    header = stream.read(4)
    if len(header) < 4:
        return None
    (size,) = struct.unpack(">I", header)
    return pickle.loads(stream.read(size))


def _write(stream, message: dict) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">I", len(data)) + data)
    stream.flush()


def handle(engine, request: dict) -> dict:
    op = request.get("op")
    try:
        if "reopen" in request:
            engine.open(request["reopen"])
        if request.get("apply"):
            engine.apply(request["apply"])
        if op == "query":
            return engine.query(request)
        if op == "update":
            return engine.update(request)
        if op == "load":
            return engine.load(request)
        if op == "load_graphs":
            return engine.load_graphs(request)
        if op == "count":
            return engine.count(request)
        if op == "ping":
            return {"ok": True}
        return _error("unsupported", f"Unknown operation {op!r}.")
    except SyntaxError as exc:
        return _error("syntax", str(exc))
    except TooLarge as exc:
        return _error("too_large", str(exc))
    except Unsupported as exc:
        return _error("unsupported", str(exc))
    except (OSError, RuntimeError) as exc:  # pyoxigraph: store (RocksDB) and HTTP failures
        return _error("io", f"{type(exc).__name__}: {exc}")
    except (ValueError, TypeError) as exc:  # bad terms, unknown formats
        return _error("unsupported", f"{type(exc).__name__}: {exc}")
    except RecursionError:
        return _error("unsupported", "The request is nested too deeply for the engine.")
    except Exception as exc:  # noqa: BLE001 - the process boundary: report, never die (rdflib raises anything)
        return _error(
            "unsupported", f"The engine could not evaluate this request: {type(exc).__name__}: {exc}"
        )


def main() -> None:
    try:
        _serve()
    except BrokenPipeError:  # the parent went away
        pass


def _die_with_parent() -> None:
    """End this worker when the service dies (kill -9 included), even in the middle of a query.

    (PR_SET_PDEATHSIG would fire when the *thread* that started the worker ends, so a watchdog thread
    polls the parent instead; pyoxigraph releases the GIL while it evaluates.)
    """
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _serve() -> None:
    _die_with_parent()
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames may reach the parent's pipe
    config = _read(stdin)
    if config is None:
        return
    engine = OxigraphEngine(config) if config["engine"] == "oxigraph" else RdflibEngine(config)
    sandboxed = False
    if config.get("sandbox"):
        import importlib.util

        spec = importlib.util.spec_from_file_location(
            "dsih_sandbox", os.path.join(os.path.dirname(os.path.abspath(__file__)), "sandbox.py")
        )
        sandbox = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sandbox)
        sandboxed = sandbox.deny_network()
    _write(stdout, {"ok": True, "ready": True, "sandboxed": sandboxed, "pid": os.getpid()})
    while True:
        request = _read(stdin)
        if request is None:
            return
        _write(stdout, handle(engine, request))


if __name__ == "__main__":
    main()
