"""The explorer's tools on blueprint ``explorer``: search (HTML, JSON, suggestions), query page, graph."""

from __future__ import annotations

from flask import Response, abort, g, jsonify, render_template, request, url_for

from ..namespaces import DSIH
from . import bp, conneg, state
from .context import graph_url, page_url, slug_of
from .examples import read_examples
from .helpers import highlight, page_path, prefix_map
from .i18n import link_kind_name, translate
from .labels import short_name
from .manners import with_language
from .neighbourhood import neighbourhood
from .search import MAX_QUERY_CHARS, answer, grouped

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
                "level": slug_of(h.level) or None,
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
    """The neighbourhood of one resource: a Cytoscape.js view, its JSON (``.json``), and a no-JS list.

    ``?order=1`` adds the previous/next edges between lessons (left out by default: they make a hairball).
    """
    as_json = slug.endswith(".json")
    stem = slug[:-5] if as_json else slug
    st = state()
    try:
        iri = str(st.iris.id(type_, stem))
    except ValueError:
        abort(404, f"No resource /graph/{type_}/{slug}.")
    with_order = request.args.get("order") == "1"
    hood = neighbourhood(st.store, st.iris, iri, with_order=with_order)
    if len(hood.nodes) <= 1 and not hood.edges:
        abort(404, f"Nothing in the graph is about {iri}.")
    st.labels.prefetch(hood.iris())
    reasons = _edge_reasons(hood)
    if as_json:
        return jsonify(_elements(hood, reasons))
    return render_template(
        "graph.html",
        hood=hood,
        iri=iri,
        edge_rows=[
            (e, reasons.get((e.source, e.target)) if e.prop == str(DSIH.relatedAcrossLevels) else None)
            for e in hood.edges
        ],
        with_order=with_order,
        order_url=url_for("explorer.graph_view", type_=type_, slug=stem, order=1),
        json_url=url_for(
            "explorer.graph_view", type_=type_, slug=stem + ".json", **({"order": 1} if with_order else {})
        ),
        alternates=[(f, page_url(iri, f.suffix)) for f in conneg.RDF_FORMATS],
    )


def _edge_reasons(hood) -> dict[tuple[str, str], tuple[str, str | None, str | None]]:
    """(source, target) of a cross-level edge -> (link IRI, kind, reason in the reader's language)."""
    found = {}
    for link in state().crossmap.get().links:
        a, b = link.lessons
        if a in hood.nodes and b in hood.nodes:
            reason = link.reason(g.lang)
            value = (link.iri, link.kind, str(reason) if reason is not None else None)
            found[(a, b)] = found[(b, a)] = value
    return found


def _elements(hood, reasons) -> dict:
    """Cytoscape.js elements: nodes with label, level, kind and pages; edges with the property's label.

    A cross-level edge also carries its kind (named for people) and reason.
    """
    st = state()
    nodes = []
    for node in hood.nodes.values():
        parts = st.iris.split(node.iri)
        level = node.level or (node.iri if parts and parts[1] == "level" else "")
        nodes.append(
            {
                "data": {
                    "id": node.iri,
                    "label": st.labels.label(node.iri, g.lang),
                    "level": slug_of(level),
                    "kind": st.labels.label(node.group, g.lang) if node.group else "",
                    "kindKey": short_name(node.group) if node.group else "",
                    "page": page_url(node.iri),
                    "graph": graph_url(node.iri, json=True),
                    "graphPage": graph_url(node.iri),
                    "center": node.iri == hood.center,
                }
            }
        )
    edges = []
    by_pair: dict[frozenset, dict] = {}
    for i, edge in enumerate(hood.edges):
        label = st.labels.label(edge.prop, g.lang)
        pair = frozenset((edge.source, edge.target))
        if pair in by_pair:  # one line per pair of nodes (a step and its instrument say it both ways)
            if label not in by_pair[pair]["label"].split(" · "):
                by_pair[pair]["label"] += " · " + label
            continue
        data = {
            "id": f"e{i}",
            "source": edge.source,
            "target": edge.target,
            "label": label,
            "prop": short_name(edge.prop),
        }
        by_pair[pair] = data
        across = reasons.get((edge.source, edge.target)) if edge.prop == str(DSIH.relatedAcrossLevels) else None
        if across:
            data.update(
                {
                    "link": page_url(across[0]),
                    "kind": link_kind_name(across[1], g.lang) if across[1] else "",
                    "reason": across[2] or "",
                }
            )
        edges.append({"data": data})
    return {"center": hood.center, "truncated": hood.truncated, "nodes": nodes, "edges": edges}
