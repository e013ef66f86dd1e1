"""The Oxigraph engine of a worker: one pyoxigraph store (in memory, or a handle on disk) answering the
wire's operations, serialising answers inside the worker under a byte cap."""

from __future__ import annotations

import gc
import io
import os
from itertools import islice

from .durability import loading_marker, recover, write_durably
from .wire import STAGING, TOO_LARGE, TooLarge, error, source_steps


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
        ox = self.ox
        options: dict = {}
        if request.get("default_graph_uris"):
            options["default_graph"] = [ox.NamedNode(u) for u in request["default_graph_uris"]]
        else:
            options["use_default_graph_as_union"] = True
        if request.get("named_graph_uris"):
            options["named_graphs"] = [ox.NamedNode(u) for u in request["named_graph_uris"]]
        return options

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
                return error(TOO_LARGE, f"The query returns more than {max_results} triples.")
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
                    return error(TOO_LARGE, f"The query returns more than {max_results} rows.")
                rows.append(tuple(_ox_term(ox, solution[i]) for i in range(len(names))))
            return {"ok": True, "kind": "select", "variables": names, "rows": rows}
        triples = []
        for triple in result:
            if max_results and len(triples) >= max_results:
                return error(TOO_LARGE, f"The query returns more than {max_results} triples.")
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
        recover(self.ox, self.store, self.config["path"] if self.config["kind"] == "disk" else None)

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
