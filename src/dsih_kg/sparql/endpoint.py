"""The endpoint's logic without Flask: check a query, negotiate its format, answer it from cache or store.

Answers to the same query on the same data generation are kept (LRU) and get the same ETag, so
repeated queries cost a dictionary lookup and conditional requests a 304.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field

from ..caching import GenerationLRU, PerGeneration
from ..config import Settings
from ..stores import Store
from . import lexer, limits
from .protocol import (
    GRAPH_MEDIA,
    RESULT_MEDIA,
    Operation,
    ProtocolError,
    content_type,
    negotiate,
    query_args,
    read_query,
)

CACHE_MAX_BODY = 1 << 20  # answers larger than this are not kept
# answers that differ each time (matched in the lower-cased text: 4x faster than re.IGNORECASE)
_VOLATILE = re.compile(r"\b(?:now|rand|uuid|struuid|bnode)\s*\(")


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class Endpoint:
    """Query and update handling shared by the HTTP views and anything else that speaks the protocol."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.policy = limits.Policy.from_setting(settings.federation_allow)
        self.cache_size = settings.result_cache
        #: The one cache of SPARQL answers (media type, body, format) by request, per data generation.
        self.answers: GenerationLRU[tuple[str, bytes, str]] = GenerationLRU(settings.result_cache)
        self._graph_sizes = PerGeneration(store, self._count_graphs, max_age=float("inf"))

    def graph_sizes(self) -> dict[str, int]:
        """Named graph IRI -> number of triples, once per data generation."""
        return self._graph_sizes.get()

    def _count_graphs(self, store: Store) -> dict[str, int]:
        result = store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            timeout=max(self.settings.query_timeout, 30.0),
        )
        return {str(row["g"]): int(row["n"]) for row in result.rows}

    def answer(
        self,
        method: str,
        content_type: str | None,
        query_string: bytes,
        body: bytes,
        accept: str | None,
        if_none_match: str | None = None,
    ) -> Reply | None:
        """A query request to /sparql as the protocol delivers it; None when it asks for the description."""
        op = read_query(method, content_type, query_args(query_string), body)
        if op is None:
            return None
        return self.query(op, accept, op.format, if_none_match)

    def query(
        self,
        op: Operation,
        accept: str | None,
        format_param: str | None = None,
        if_none_match: str | None = None,
    ) -> Reply:
        """Answer a query (raises ProtocolError, or the store's errors, for the views to turn into HTTP)."""
        generation = self.store.generation
        # the key holds what the answer depends on, so a repeat skips the lexer, the checks and the store
        key_source = "\x00".join(
            [
                generation,
                op.text,
                "\x01".join(op.default_graph_uris),
                "\x01".join(op.named_graph_uris),
                accept or "",
                format_param or "",
            ]
        )
        key = hashlib.blake2b(key_source.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        etag = f'"{key}"'
        headers = {"ETag": etag, "Vary": "Accept", "Cache-Control": "no-cache"}
        volatile = bool(_VOLATILE.search(op.text.lower()))
        if volatile:
            headers, if_none_match = {"Vary": "Accept", "Cache-Control": "no-store"}, None
        hit = None if volatile else self.answers.get(key, generation)
        if hit is not None:
            if if_none_match and etag_matches(if_none_match, etag):
                return Reply(304, hit[0], b"", headers)
            return Reply(200, hit[0], hit[1], headers)
        scan = lexer.quick_scan(op.text, self.policy.max_depth) or lexer.scan(op.text)
        if scan.form is None and not scan.is_update:
            # not a query we recognise: let the engine's parser say why, in its own words
            scan.form = "SELECT"
        federated = limits.check_query(scan, self.policy)
        kind = "graph" if scan.form in ("CONSTRUCT", "DESCRIBE") else "results"
        fmt, media = negotiate(kind, accept, format_param)
        if if_none_match and etag_matches(if_none_match, etag) and self.store.generation == generation:
            return Reply(304, media, b"", headers)
        def execute(result_format: str):
            return self.store.execute(
                op.text,
                result_format=result_format,
                default_graph_uris=op.default_graph_uris,
                named_graph_uris=op.named_graph_uris,
                federated=federated,
            )

        answer = execute(fmt)
        if (answer.kind == "graph") != (kind == "graph"):  # the lexer misjudged the form: negotiate again
            kind = "graph" if answer.kind == "graph" else "results"
            fmt, media = negotiate(kind, accept, format_param)
            answer = execute(fmt)
        if federated:
            headers = {"Vary": "Accept", "Cache-Control": "no-store"}  # another endpoint's answer may change
        elif not volatile and len(answer.body) <= CACHE_MAX_BODY:
            self.answers.put(key, generation, (media, answer.body, fmt))
        return Reply(200, media, answer.body, headers)

    def update(self, op: Operation, authorization: str | None) -> Reply:
        """Apply an update if the bearer token matches; 403 when updates are off, 401 without the token."""
        token = self.settings.update_token
        if not token:
            raise ProtocolError(403, "Updates are disabled on this service (no DSIH_UPDATE_TOKEN is set).")
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise ProtocolError(
                401,
                "SPARQL Update needs the header 'Authorization: Bearer <token>'.",
                www_authenticate='Bearer realm="dsih-kg update"',
            )
        if not hmac.compare_digest(given.strip().encode("utf-8", "replace"), token.encode("utf-8")):
            raise ProtocolError(403, "The bearer token is not valid for updates.")
        scan = lexer.scan(op.text)
        if scan.form is not None and not scan.is_update:
            raise ProtocolError(400, f"/update takes SPARQL Update; send {scan.form} queries to /sparql.")
        limits.check_update(scan, self.policy)
        self.store.update(op.text)
        return Reply(204, "text/plain", b"")


def etag_matches(header: str, etag: str) -> bool:
    return header.strip() == "*" or etag in [part.strip().removeprefix("W/") for part in header.split(",")]


__all__ = ["Endpoint", "Reply", "etag_matches", "GRAPH_MEDIA", "RESULT_MEDIA", "content_type"]
