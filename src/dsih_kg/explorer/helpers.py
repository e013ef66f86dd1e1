"""Template helpers: where an IRI's page is, how a literal or external link is shown, safe linkified text.

Everything returned as Markup is built from escaped parts; nothing from the graph reaches a page unescaped.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape
from rdflib.namespace import FOAF, SDO

from ..iri import IriScheme
from ..namespaces import DSIH, PREFIXES

#: Properties whose values are web pages outside the graph: shown as outgoing links with their URL.
EXTERNAL_PROPERTIES = frozenset({str(DSIH.citesURL), str(SDO.url), str(FOAF.homepage)})

_URL = re.compile(r"https?://[^\s<>\"')\]]+[^\s<>\"')\].,;:!?]")


def page_path(iris: IriScheme, iri: str, suffix: str = "") -> str:
    """The local path of the page of ``iri``: /doc/{type}/{slug} for ours, /resource?iri=… for others."""
    parts = iris.split(str(iri))
    if parts is not None:
        return f"/doc/{parts[1]}/{quote(parts[2])}" + (f".{suffix}" if suffix else "")
    query = {"iri": str(iri)}
    if suffix:
        query["format"] = suffix
    return "/resource?" + urlencode(query)


def linkify(text: str) -> Markup:
    """Escape ``text`` and turn the web addresses in it into links that leave the site."""
    out = []
    last = 0
    for match in _URL.finditer(text):
        out.append(escape(text[last : match.start()]))
        url = match.group(0)
        out.append(Markup('<a class="external" rel="noopener nofollow" href="{0}">{0}</a>').format(url))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def highlight(text: str, query: str) -> Markup:
    """Escape ``text`` and mark the words of ``query`` in it, matched as search matches them."""
    from .search import _normalise_mapped, normalise

    norm, index = _normalise_mapped(text)
    spans: list[tuple[int, int]] = []
    for word in {w for w in normalise(query).split(" ") if w}:
        start = norm.find(word)
        while start >= 0:
            spans.append((index[start], index[start + len(word) - 1] + 1))
            start = norm.find(word, start + len(word))
    out, last = [], 0
    for begin, end in sorted(spans):
        if begin < last:
            continue
        out.append(escape(text[last:begin]))
        out.append(Markup("<mark>{}</mark>").format(text[begin:end]))
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def sparql_for(iri: str, label: str) -> str:
    """The query behind 'open in SPARQL': every statement about the resource, by named graph."""
    safe_label = " ".join(label.split())[:120]
    return (
        f"# Everything stated about: {safe_label}\n"
        "SELECT ?property ?value ?graph WHERE {\n"
        f"  GRAPH ?graph {{ <{iri}> ?property ?value }}\n"
        "}\nORDER BY ?property ?value\n"
    )


def prefix_map(iris: IriScheme) -> dict[str, str]:
    """The prefixes the query editor starts with: the vocabularies and our instance namespaces."""
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    for type_ in (
        "lesson",
        "level",
        "category",
        "instrument",
        "organisation",
        "theme",
        "arena",
        "helix-actor",
        "helix-model",
        "work",
        "concept",
        "link",
        "graph",
    ):
        prefixes[type_.replace("-", "")] = f"{iris.base}/id/{type_}/"
    return prefixes


def safe_next(target: str | None) -> str:
    """A local path to go back to after switching language; anything else (other hosts) becomes '/'."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
