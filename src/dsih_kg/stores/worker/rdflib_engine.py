"""The rdflib engine of a worker (store=memory): rdflib's own store and SPARQL engine, for small
experiments, answering in the same shapes as the Oxigraph engine."""

from __future__ import annotations

import os

from .wire import TOO_LARGE, Unsupported, error, source_steps


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
                    return error(TOO_LARGE, f"The query returns more than {max_results} rows.")
                return {"ok": True, "kind": kind, "variables": names, "rows": rows}
            triples = [tuple(_rdflib_term(t) for t in triple) for triple in result.graph]
            if max_results and len(triples) > max_results:
                return error(TOO_LARGE, f"The query returns more than {max_results} triples.")
            return {"ok": True, "kind": kind, "triples": triples}
        fmt = request["format"]
        if kind == "graph":
            if max_results and len(result.graph) > max_results:
                return error(TOO_LARGE, f"The query returns more than {max_results} triples.")
            name = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}[fmt]
            body = result.graph.serialize(format=name, encoding="utf-8")
        elif fmt == "tsv":
            body = _rdflib_tsv(result)
        else:
            body = result.serialize(format=fmt)
        if len(body) > (request.get("max_bytes") or 1 << 62):
            return error(TOO_LARGE, f"The result is larger than {request['max_bytes']} bytes.")
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
