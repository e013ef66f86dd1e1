"""The explorer's tools on blueprint ``explorer``: search (HTML, JSON, suggestions), query page, graph."""

from __future__ import annotations

from flask import Response, abort, g, jsonify, render_template, request

from . import conneg
from .examples import read_examples
from .helpers import highlight, page_path, prefix_map
from .i18n import translate
from .manners import with_language
from .neighbourhood import neighbourhood
from .search import MAX_QUERY_CHARS, answer, grouped
from .views import _SLUG, TYPES, bp, state

SUGGESTIONS = 8


def _search_terms() -> str:
    return " ".join((request.args.get("q") or "").split())


@bp.get("/search")
def search_page() -> Response | str:
    """One box over titles, texts and labels; HTML, or JSON for ``Accept: application/json``."""
    st = state()
    q = _search_terms()
    found = answer(st.index.get(), q, g.lang)
    hits = found.hits
    wants_json = request.args.get("format") == "json" or (
        request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"
    )
    st.labels.prefetch({h.iri for h in hits} | {h.group for h in hits} | {h.level for h in hits if h.level})
    if wants_json:
        response = jsonify(
            {
                "query": q,
                "searched": found.searched,
                "cut": found.cut,
                "corrected": found.corrected,
                "partial": found.partial,
                "count": len(hits),
                "results": [
                    {
                        "iri": h.iri,
                        "label": st.labels.label(h.iri, g.lang),
                        "type": h.group or None,
                        "type_label": st.labels.label(h.group, g.lang) if h.group else None,
                        "level": h.level,
                        "level_label": st.labels.label(h.level, g.lang) if h.level else None,
                        "page": with_language(page_path(st.iris, h.iri)),
                        "snippet": h.snippet,
                        "score": round(h.score, 2),
                    }
                    for h in hits
                ],
            }
        )
        response.headers["Vary"] = "Accept"
        return response
    cat = st.catalogue.get()
    groups = grouped(hits, cat.levels)
    return render_template(
        "search.html",
        q=q,
        found=found,
        hits=hits,
        groups=groups,
        highlight=highlight,
        max_chars=MAX_QUERY_CHARS,
    )


@bp.get("/search/suggest")
def suggest() -> Response:
    """A few best matches while typing: [{label, type, page}] (JSON)."""
    st = state()
    q = _search_terms()
    # while typing, the best matches whatever their kind (the results page puts lessons first)
    found = answer(st.index.get(), q, g.lang).hits if len(q) >= 2 else []
    hits = sorted(found, key=lambda h: (h.imported, -h.score, h.iri))[:SUGGESTIONS]
    st.labels.prefetch({h.iri for h in hits} | {h.group for h in hits if h.group})
    return jsonify(
        [
            {
                "label": st.labels.label(h.iri, g.lang),
                "type": st.labels.label(h.group, g.lang) if h.group else "",
                "level": h.level.rsplit("/", 1)[-1] if h.level else None,
                "page": with_language(page_path(st.iris, h.iri)),
            }
            for h in hits
        ]
    )


@bp.get("/query")
def query_page() -> str:
    """The SPARQL editor (Yasgui, served locally) on our own endpoint, with every example preloaded."""
    st = state()
    examples = read_examples(st.queries_dir)
    config = {
        "endpoint": "/sparql",
        "prefixes": prefix_map(st.iris),
        "examples": [{"name": e.name, "title": e.title, "answers": e.answers, "query": e.query} for e in examples],
        "query": request.args.get("query") or "",
        "base": st.iris.base,
        "resourcePath": "/resource?iri=",
        "labels": {key: translate(f"query_{key}", g.lang) for key in ("editor", "endpoint", "rows", "filter")},
    }
    return render_template("query.html", examples=examples, config=config)


@bp.get("/graph/<type_>/<slug>")
def graph_view(type_: str, slug: str) -> Response | str:
    """The neighbourhood of one resource: a Cytoscape.js view, its JSON (``.json``), and a no-JS list."""
    as_json = slug.endswith(".json")
    stem = slug[:-5] if as_json else slug
    if type_ not in TYPES or not _SLUG.match(stem):
        abort(404, f"No resource /graph/{type_}/{slug}.")
    st = state()
    iri = str(st.iris.id(type_, stem))
    hood = neighbourhood(st.store, st.iris, iri)
    if len(hood.nodes) <= 1 and not hood.edges:
        abort(404, f"Nothing in the graph is about {iri}.")
    st.labels.prefetch(hood.iris())
    if as_json:
        return jsonify(_elements(hood))
    return render_template(
        "graph.html",
        hood=hood,
        iri=iri,
        alternates=[(f, page_path(st.iris, iri, f.suffix)) for f in conneg.RDF_FORMATS],
    )


def _elements(hood) -> dict:
    """Cytoscape.js elements: nodes with label, level, kind and page; edges with the property's label."""
    st = state()
    nodes = []
    for node in hood.nodes.values():
        nodes.append(
            {
                "data": {
                    "id": node.iri,
                    "label": st.labels.label(node.iri, g.lang),
                    "level": node.level.rsplit("/", 1)[-1]
                    if node.level
                    else (node.iri.rsplit("/", 1)[-1] if "/id/level/" in node.iri else ""),
                    "kind": st.labels.label(node.group, g.lang) if node.group else "",
                    "kindKey": node.group.rsplit("/", 1)[-1] if node.group else "",
                    "page": page_path(st.iris, node.iri),
                    "center": node.iri == hood.center,
                }
            }
        )
    edges = []
    for i, edge in enumerate(hood.edges):
        edges.append(
            {
                "data": {
                    "id": f"e{i}",
                    "source": edge.source,
                    "target": edge.target,
                    "label": st.labels.label(edge.prop, g.lang),
                    "prop": edge.prop.rsplit("/", 1)[-1],
                }
            }
        )
    return {"center": hood.center, "truncated": hood.truncated, "nodes": nodes, "edges": edges}
