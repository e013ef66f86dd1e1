"""The explorer's pages: front door, about, lessons with facets, indexes per kind, the map of links, and
the page of any IRI (lesson or not) with its RDF twins.

Views only adapt: the data comes from lessons.py, resources.py, facets.py, crossmap.py and indexes.py,
which know nothing of Flask.
"""

from __future__ import annotations

import re

from flask import Response, abort, g, redirect, render_template, request
from rdflib import Literal

from . import Explorer, bp, conneg, state
from .context import page_url
from .crossmap import choose_links, placed
from .describe import describe, twin_graph
from .facets import FACETS, filter_lessons
from .indexes import INDEXES, read_index
from .labels import pick_language
from .lessons import lesson_page
from .manners import document_iri, require_known
from .resources import resource_page

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*$")


def our_iri(type_: str, slug: str, what: str = "resource") -> str:
    """The IRI of ours with this type and slug (minted by IriScheme), or a 404 that names what was asked."""
    try:
        return str(state().iris.id(type_, slug))
    except ValueError:
        abort(404, f"No {what} {type_}/{slug}.")


def _cached(key: tuple, render) -> Response:
    """A page from the page cache (keyed by the data's generation, URL and language) or rendered now."""
    st = state()
    generation = getattr(st.store, "generation", None)  # a store without one: pages are not kept
    cached = None if generation is None else st.pages.get(key, generation)
    if cached is None:
        body, mimetype = render()
        cached = (body.encode("utf-8"), mimetype)
        if generation is not None:
            st.pages.put(key, generation, cached)
    return _vary(Response(cached[0], mimetype=cached[1]))


def _vary(response: Response) -> Response:
    response.headers["Vary"] = "Accept, Cookie"
    return response


# ---------------------------------------------------------------- front door and about


@bp.get("/")
def home() -> Response:
    """Two sentences, the honeycomb of levels × categories, and the ways in (map, search, indexes)."""

    def render() -> tuple[str, str]:
        st = state()
        cat = st.catalogue.get()
        st.labels.prefetch(cat.iris())
        rows = [
            (level, [(category, len(cat.cell(level, category))) for category in cat.categories]) for level in cat.levels
        ]
        level_descriptions = {level: pick_language(cat.descriptions.get(level, []), g.lang) for level in cat.levels}
        return (
            render_template(
                "home.html",
                catalogue=cat,
                rows=rows,
                level_descriptions=level_descriptions,
                link_count=len(st.crossmap.get().links),
            ),
            "text/html",
        )

    return _cached(("home", request.full_path, g.lang), render)


@bp.get("/about")
def about() -> Response:
    """The publication's introduction and partners, levels and categories, the data model and its sources."""

    def render() -> tuple[str, str]:
        st = state()
        cat = st.catalogue.get()
        st.labels.prefetch(cat.iris())
        intro = pick_language(cat.descriptions.get(cat.publication or "", []), g.lang)
        describe_ = {iri: pick_language(cat.descriptions.get(iri, []), g.lang) for iri in cat.levels + cat.categories}
        return (
            render_template(
                "about.html",
                catalogue=cat,
                intro=intro,
                publication=cat.publication,
                descriptions=describe_,
                link_count=len(st.crossmap.get().links),
            ),
            "text/html",
        )

    return _cached(("about", request.full_path, g.lang), render)


# ---------------------------------------------------------------- lessons with facets


def _chosen(st: Explorer) -> dict[str, list[str]]:
    """The facet values in the URL as IRIs; an unknown value is a 404 that names it."""
    chosen: dict[str, list[str]] = {}
    for name, _prop, type_, _key in FACETS:
        for slug in request.args.getlist(name):
            if not slug:
                continue
            chosen.setdefault(name, []).append(our_iri(type_, slug, name))
    return chosen


@bp.get("/lessons")
def lessons() -> str:
    """All lessons, narrowed by facets in GET parameters (shareable, no JavaScript needed), with counts."""
    st = state()
    cat = st.catalogue.get()
    facets = st.facets.get()
    chosen = _chosen(st)
    known = {"level": set(cat.levels), "category": set(cat.categories), "linked": set(cat.levels)}
    for name, values in chosen.items():
        every = known.get(name) or {v for lesson in facets.values.values() for v in lesson.get(name, set())}
        unknown = [v for v in values if v not in every]
        if unknown:
            abort(404, f"No such {name}: {', '.join(st.iris.split(v)[2] for v in unknown)}.")
    rows = [(ref.iri, ref.level, ref.category) for ref in cat.lessons]
    result = filter_lessons(rows, facets, chosen)
    st.labels.prefetch(cat.iris() | {v.iri for _n, values in result.facets for v in values})
    order = {iri: i for i, iri in enumerate(cat.levels + cat.categories)}

    def sort_values(name: str, values: list) -> list:
        if name in ("level", "category", "linked"):
            return sorted(values, key=lambda v: order.get(v.iri, 99))
        return sorted(values, key=lambda v: (not v.chosen, -v.count, st.labels.label(v.iri, g.lang).lower()))

    facet_lists = [
        (name, key, sort_values(name, values))
        for (name, values), (_n, _p, _t, key) in zip(result.facets, FACETS, strict=True)
    ]
    params = {name: [st.iris.split(v)[2] for v in values] for name, values in chosen.items()}
    by_level: list[tuple[str, list]] = []
    for iri in result.lessons:
        ref = cat.by_iri(iri)
        if not by_level or by_level[-1][0] != ref.level:
            by_level.append((ref.level, []))
        by_level[-1][1].append(ref)
    return render_template(
        "lessons.html",
        catalogue=cat,
        facets=facets,
        facet_lists=facet_lists,
        result=result,
        by_level=by_level,
        params=params,
        toggle=lambda name, slug: _toggled(params, name, slug),
        without=lambda name: {k: v for k, v in params.items() if k != name},
    )


def _toggled(params: dict[str, list[str]], name: str, slug: str) -> dict[str, list[str]]:
    """The URL parameters with ``slug`` added to (or, when chosen, removed from) facet ``name``."""
    values = list(params.get(name, []))
    values = [v for v in values if v != slug] if slug in values else [*values, slug]
    changed = {k: list(v) for k, v in params.items() if k != name}
    if values:
        changed[name] = values
    return changed


# ---------------------------------------------------------------- indexes and the map of links


@bp.get("/<any(" + ", ".join(f'"{kind}"' for kind in INDEXES) + "):kind>")
def index_page(kind: str) -> str:
    """Every instrument (theme, helix actor type, …) with the number of lessons that use it per level."""
    st = state()
    cat = st.catalogue.get()
    cls, title_key, help_key = INDEXES[kind]
    entries = read_index(st.store, cat, cls)
    st.labels.prefetch({e.iri for e in entries} | set(cat.levels))
    entries.sort(key=lambda e: st.labels.label(e.iri, g.lang).lower())
    present = {e.iri for e in entries}
    children: dict[str, list] = {}
    roots = []
    for entry in entries:
        parents = [b for b in entry.broader if b in present]
        if parents:
            for parent in parents:
                children.setdefault(parent, []).append(entry)
        else:
            roots.append(entry)
    return render_template(
        "index.html",
        kind=kind,
        title_key=title_key,
        help_key=help_key,
        roots=roots,
        children=children,
        entries=entries,
        catalogue=cat,
    )


@bp.get("/links")
def crossmap_page() -> str:
    """All links across levels: three columns micro | meso | macro and, as its twin, a plain list."""
    st = state()
    cat = st.catalogue.get()
    crossmap = st.crossmap.get()
    categories = []
    for slug in request.args.getlist("category"):
        iri = our_iri("category", slug, "category")
        if iri not in cat.categories:
            abort(404, f"No category {slug!r}.")
        categories.append(iri)
    kinds = [k for k in request.args.getlist("kind") if k]
    unknown = [k for k in kinds if k not in crossmap.kinds()]
    if unknown:
        abort(404, f"No kind of link {unknown[0]!r}; the kinds are {', '.join(crossmap.kinds())}.")
    level_rank = {level: i for i, level in enumerate(cat.levels)}
    rank = {ref.iri: level_rank.get(ref.level, 9) for ref in cat.lessons}
    category_of = {ref.iri: ref.category for ref in cat.lessons}
    chosen = [placed(link, rank) for link in choose_links(crossmap.links, category_of, categories, kinds)]
    order = {ref.iri: i for i, ref in enumerate(cat.lessons)}
    chosen.sort(
        key=lambda link: (
            rank.get(link.lessons[0], 9),
            rank.get(link.lessons[1], 9),
            order.get(link.lessons[0], 0),
            order.get(link.lessons[1], 0),
        )
    )
    linked = {lesson for link in chosen for lesson in link.lessons}
    count = {}
    for link in chosen:
        for lesson in link.lessons:
            count[lesson] = count.get(lesson, 0) + 1
    columns = [
        (level, [ref for ref in cat.lessons if ref.level == level and ref.iri in linked]) for level in cat.levels
    ]
    st.labels.prefetch(cat.iris() | {link.iri for link in chosen})
    return render_template(
        "crossmap.html",
        catalogue=cat,
        links=chosen,
        total=len(crossmap.links),
        columns=columns,
        count=count,
        kinds=crossmap.kinds(),
        chosen_categories=[st.iris.split(c)[2] for c in categories],
        chosen_kinds=kinds,
        data=[
            {
                "id": st.iris.split(link.iri)[2],
                "a": st.iris.split(link.lessons[0])[2],
                "b": st.iris.split(link.lessons[1])[2],
                "kind": link.kind or "",
            }
            for link in chosen
        ],
    )


# ---------------------------------------------------------------- the page of one IRI


@bp.get("/id/<type_>/<slug>")
def thing(type_: str, slug: str) -> Response:
    """The IRI of a thing is not a document: 303 See Other to the page about it."""
    stem, fmt = conneg.split_suffix(slug)
    iri = our_iri(type_, stem)
    require_known(type_, stem)  # an unknown thing is a 404 at once, not a 303 to one
    response = redirect(page_url(iri, fmt.suffix if fmt else ""), code=303)
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/doc/<type_>/<slug>")
def document(type_: str, slug: str) -> Response:
    """The page of a thing of ours, as HTML or (by suffix or Accept) as Turtle, JSON-LD or N-Triples."""
    stem, fmt = conneg.split_suffix(slug)
    return _negotiated(our_iri(type_, stem), fmt)


@bp.get("/resource")
def resource() -> Response:
    """The page of any other IRI in the graph (ontology terms, imported records, external things)."""
    iri = (request.args.get("iri") or "").strip()
    if not iri or not _IRI.match(iri):
        abort(400, "Give the IRI of a resource as ?iri=…")
    st = state()
    if st.iris.split(iri) is not None:
        return redirect(page_url(iri), code=303)
    fmt = conneg.BY_SUFFIX.get(request.args.get("format", ""))
    if request.args.get("format") and fmt is None:
        abort(400, "format must be ttl, jsonld or nt.")
    return _negotiated(iri, fmt)


def _negotiated(iri: str, fmt: conneg.Format | None) -> Response:
    """The page of ``iri`` in the negotiated format, from the page cache when the data has not changed."""
    if fmt is None:
        fmt = conneg.negotiate(list(request.accept_mimetypes))
        if fmt is None:
            abort(
                406,
                "This page is available as text/html, text/turtle, application/ld+json and application/n-triples.",
            )
    return _cached(("doc", request.full_path, fmt.name, g.lang), lambda: (_render(state(), iri, fmt), fmt.media_type))


def _render(st: Explorer, iri: str, fmt: conneg.Format) -> str:
    alternates = [(f, page_url(iri, f.suffix)) for f in conneg.RDF_FORMATS]
    if fmt is not conneg.HTML:
        desc = describe(st.store, iri)
        if not desc.exists:
            abort(404, f"Nothing in the graph is about {iri}.")
        return conneg.serialise(twin_graph(desc, st.iris.base, document=document_iri(st.iris, iri)), fmt)
    cat = st.catalogue.get()
    links = st.links.get()
    parts = st.iris.split(iri)
    if cat.by_iri(iri) is not None or (parts is not None and parts[1] == "lesson"):
        page = lesson_page(st.store, cat, links, iri, g.lang)
        if page is not None:
            st.labels.prefetch(page.iris() | cat.iris())
            return render_template("lesson.html", page=page, catalogue=cat, iri=iri, alternates=alternates)
    page = resource_page(
        st.store, st.iris, cat, links, st.crossmap.get(), iri, g.lang, lambda x: st.labels.label(x, g.lang)
    )
    if page is None:
        abort(404, f"Nothing in the graph is about {iri}.")
    st.labels.prefetch(page.iris() | set(cat.levels))
    facet = next((name for name, _p, type_, _k in FACETS if parts and type_ == parts[1] and name != "linked"), None)
    lessons_link = {facet: parts[2]} if facet and page.lesson_count else None
    return render_template(
        "resource.html",
        page=page,
        iri=iri,
        catalogue=cat,
        lessons_link=lessons_link,
        alternates=alternates,
        reason=page.link.reason(g.lang) if page.link else None,
        literal=lambda x: isinstance(x, Literal),
    )
