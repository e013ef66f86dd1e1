"""SPARQL 1.1 Protocol without Flask: an HTTP request's parts in, a query or update (or an error) out.

Also content negotiation: ``Accept`` (or a ``format`` parameter, for browsers and download links) picks
the result format for the query's form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from ..errors import UserError

#: name -> (media type sent, media types and aliases accepted)
RESULT_MEDIA = {
    "json": ("application/sparql-results+json", ("application/sparql-results+json", "application/json")),
    "xml": (
        "application/sparql-results+xml",
        ("application/sparql-results+xml", "application/xml", "text/xml"),
    ),
    "csv": ("text/csv", ("text/csv",)),
    "tsv": ("text/tab-separated-values", ("text/tab-separated-values",)),
}
GRAPH_MEDIA = {
    "turtle": ("text/turtle", ("text/turtle", "application/x-turtle")),
    "nt": ("application/n-triples", ("application/n-triples", "text/plain")),
    "jsonld": ("application/ld+json", ("application/ld+json", "application/json")),
    "rdfxml": ("application/rdf+xml", ("application/rdf+xml", "application/xml", "text/xml")),
}
#: ``format=`` values (short names) for each kind
FORMAT_ALIASES = {
    "results": {"json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv"},
    "graph": {
        "turtle": "turtle",
        "ttl": "turtle",
        "n3": "turtle",
        "nt": "nt",
        "ntriples": "nt",
        "n-triples": "nt",
        "jsonld": "jsonld",
        "json-ld": "jsonld",
        "json": "jsonld",
        "rdfxml": "rdfxml",
        "rdf": "rdfxml",
        "xml": "rdfxml",
        "owl": "rdfxml",
    },
}
CHARSET_TYPES = {"text/csv", "text/tab-separated-values", "text/turtle", "application/n-triples"}

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")


class ProtocolError(UserError):
    """A request the protocol does not allow; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str, **context: object) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.context = context


@dataclass
class Operation:
    """A query or update as the protocol delivered it."""

    text: str
    default_graph_uris: list[str] = field(default_factory=list)
    named_graph_uris: list[str] = field(default_factory=list)
    format: str | None = None  # the ``format`` parameter, if any (browsers and download links)


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"The {what} is not valid UTF-8 (byte {exc.start}).") from None


def query_args(raw: bytes) -> list[tuple[str, str]]:
    """The URL's query string as (key, value) pairs; invalid UTF-8 is the client's error (400)."""
    return _form(raw, "URL query string")


def _form(body: bytes, what: str = "form body") -> list[tuple[str, str]]:
    text = _decode(body, what)
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(400, f"A field of the {what} is not valid UTF-8 once percent-decoded.") from None


def _graph_uris(pairs: Sequence[tuple[str, str]], name: str) -> list[str]:
    uris = [value.strip() for key, value in pairs if key == name]
    for uri in uris:
        if not _IRI.match(uri):
            raise ProtocolError(400, f"{name} must be an absolute IRI, not {uri[:200]!r}.")
    return uris


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def read_query(
    method: str, content_type: str | None, args: Sequence[tuple[str, str]], body: bytes
) -> Operation | None:
    """The query of a request to the query endpoint; None for a GET without one (service description)."""
    if method not in ("GET", "HEAD", "POST"):
        raise ProtocolError(405, f"{method} is not allowed here; use GET or POST.", allow=["GET", "POST"])
    args = list(args)
    if any(key in ("update", "using-graph-uri", "using-named-graph-uri") for key, _ in args):
        raise ProtocolError(403, "This endpoint is read-only: send SPARQL Update to /update.")
    media = _media_type(content_type)
    if method in ("GET", "HEAD"):
        pairs, texts = args, [v for k, v in args if k == "query"]
        if not texts:
            return None
    elif media == FORM:
        form = _form(body)
        if any(key == "update" for key, _ in form):
            raise ProtocolError(403, "This endpoint is read-only: send SPARQL Update to /update.")
        texts = [v for k, v in form if k == "query"] + [v for k, v in args if k == "query"]
        pairs = form + args
    elif media == QUERY_TYPE:
        if any(key == "query" for key, _ in args):
            raise ProtocolError(400, "Send the query either in the body or as ?query=, not both.")
        texts, pairs = [_decode(body, "query")], args
    elif media == UPDATE_TYPE:
        raise ProtocolError(403, "This endpoint is read-only: send SPARQL Update to /update.")
    else:
        raise ProtocolError(415, f"POST a query as {QUERY_TYPE} or {FORM}, not {media or 'no content type'}.")
    if not texts:
        raise ProtocolError(400, "No query: pass it as the query parameter or in the body.")
    if len(texts) > 1:
        raise ProtocolError(400, f"Exactly one query per request, not {len(texts)}.")
    if not texts[0].strip():
        raise ProtocolError(400, "The query is empty.")
    formats = [value for key, value in pairs if key == "format"]
    return Operation(
        texts[0],
        _graph_uris(pairs, "default-graph-uri"),
        _graph_uris(pairs, "named-graph-uri"),
        formats[-1] if formats else None,
    )


def read_update(
    method: str, content_type: str | None, args: Sequence[tuple[str, str]], body: bytes
) -> Operation:
    """The update of a request to the update endpoint (POST only)."""
    if method != "POST":
        raise ProtocolError(405, "SPARQL Update needs POST.", allow=["POST"])
    args = list(args)
    if any(key in ("update", "query") for key, _ in args):
        raise ProtocolError(400, "Send the update in the POST body, not in the URL.")
    media = _media_type(content_type)
    if media == FORM:
        form = _form(body)
        texts, pairs = [v for k, v in form if k == "update"], form + args
        if any(key == "query" for key, _ in form):
            raise ProtocolError(400, "A query goes to /sparql; /update takes update=.")
    elif media == UPDATE_TYPE:
        texts, pairs = [_decode(body, "update")], args
    else:
        raise ProtocolError(
            415, f"POST an update as {UPDATE_TYPE} or {FORM}, not {media or 'no content type'}."
        )
    if len(texts) != 1:
        raise ProtocolError(
            400, "Exactly one update= field per request." if texts else "No update in the request."
        )
    if any(key in ("using-graph-uri", "using-named-graph-uri") for key, _ in pairs):
        raise ProtocolError(
            400,
            "using-graph-uri and using-named-graph-uri are not supported; write USING in the update instead.",
        )
    if not texts[0].strip():
        raise ProtocolError(400, "The update is empty.")
    return Operation(texts[0])


# --- content negotiation ------------------------------------------------------------------------------


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first (ties keep their order); junk is skipped."""
    if not header:
        return [("*/*", 1.0)]
    ranges = []
    for index, part in enumerate(header[:4096].split(",")[:64]):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        if q > 0:
            ranges.append((media, q, -index))
    ranges.sort(key=lambda r: (r[1], r[2]), reverse=True)
    return [(m, q) for m, q, _ in ranges]


def negotiate(kind: str, accept: str | None, format_param: str | None = None) -> tuple[str, str]:
    """(format name, content type) for a 'results' (SELECT/ASK) or 'graph' answer; 406 if none fits."""
    table = RESULT_MEDIA if kind == "results" else GRAPH_MEDIA
    if format_param:
        name = FORMAT_ALIASES[kind].get(format_param.strip().lower())
        if name is None:  # a media type as format= value
            name = next(
                (n for n, (_, accepted) in table.items() if format_param.strip().lower() in accepted), None
            )
        if name is not None:
            return name, content_type(table[name][0])
        if not accept or accept.strip() == "*/*":
            raise ProtocolError(
                406, f"Unknown format {format_param[:100]!r} for this query; use one of {', '.join(table)}."
            )
        # clients such as SPARQLWrapper add format= values of their own: the Accept header decides
    for media, _q in parse_accept(accept):
        if media == "*/*":
            name = next(iter(table))
            return name, content_type(table[name][0])
        if media.endswith("/*"):
            major = media[:-1]
            for name, (sent, _accepted) in table.items():
                if sent.startswith(major):
                    return name, content_type(sent)
            continue
        for name, (sent, accepted) in table.items():
            if media in accepted:
                return name, content_type(sent)
    offered = ", ".join(sent for sent, _ in table.values())
    raise ProtocolError(
        406, f"None of the accepted media types fits this query's answer; offered: {offered}."
    )


def content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media in CHARSET_TYPES else media


def pairs(mapping: Mapping[str, Sequence[str]] | Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(key, value) pairs from a multi-dict (``{key: [values]}``) or a list of pairs."""
    if isinstance(mapping, Mapping):
        return [(key, value) for key, values in mapping.items() for value in values]
    return list(mapping)
