"""A query result as a plain-text table for people (the CLI's default output)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager

from ..stores import QueryResult


def _short(term, names: NamespaceManager) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            return names.normalizeUri(term)
        except Exception:  # noqa: BLE001 - rdflib raises several types for IRIs it cannot shorten
            return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term).replace("\n", " ")
        return f"{text}@{term.language}" if term.language else text
    return f"_:{term}"


def format_table(result: QueryResult, base_iri: str, width: int = 60) -> str:
    """Columns padded to their widest cell (cells cut at ``width``), a header and a row count."""
    from ..namespaces import bind_prefixes

    graph = Graph(bind_namespaces="none")
    bind_prefixes(graph, base_iri.rstrip("/"))
    names = graph.namespace_manager
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    if result.kind == "graph":
        header = ["subject", "predicate", "object"]
        cells = [[_short(t, names) for t in triple] for triple in sorted(result.graph or [])]
    else:
        header = list(result.variables)
        cells = [[_short(row.get(v), names) for v in header] for row in result.rows]
    cells = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(header)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip() for row in cells]
    lines.append(f"({len(cells)} {'row' if len(cells) == 1 else 'rows'})")
    return "\n".join(lines) + "\n"
