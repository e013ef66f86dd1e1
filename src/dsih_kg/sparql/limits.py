"""Limits a request must pass before any evaluation: federation allow-list, nesting depth, body size.

SERVICE and LOAD targets must be on ``settings.federation_allow`` (exact IRI after normalising scheme,
host and default port: ``http://127.1/`` is not ``http://127.0.0.1/``). FROM, FROM NAMED, USING and the
``default-graph-uri``/``named-graph-uri`` parameters must name a graph of this dataset or an allowed
IRI. The query workers cannot open network sockets anyway (:mod:`dsih_kg.stores.worker.sandbox`); this is the
first wall, and it answers with a message instead of an error from deep inside the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from .lexer import Scan
from .protocol import Operation, ProtocolError

MAX_DEPTH = 200  # pyoxigraph's parser overflows its stack near 3 000 nested brackets
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_iri(iri: str) -> str:
    """Scheme and host lower-cased, default port dropped, empty path as '/', fragment dropped."""
    try:
        parts = urlsplit(iri.strip())
        port = parts.port
    except ValueError:
        return iri.strip()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    netloc = host
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        netloc += f":{port}"
    if parts.username or parts.password:
        netloc = "userinfo@" + netloc  # never equal to an allowed IRI without it
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


@dataclass(frozen=True)
class Policy:
    """Which outside IRIs a request may name."""

    allow: frozenset[str] = frozenset()
    max_depth: int = MAX_DEPTH

    @classmethod
    def from_setting(cls, federation_allow: str) -> Policy:
        items = [item.strip() for item in federation_allow.replace("\n", ",").split(",")]
        return cls(frozenset(normalise_iri(item) for item in items if item))

    def allows(self, iri: str) -> bool:
        return normalise_iri(iri) in self.allow


def check_depth(scan: Scan, max_depth: int = MAX_DEPTH) -> None:
    """Refuse brackets nested deeper than ``max_depth`` (and long runs of unary operators)."""
    if scan.depth > max_depth or scan.operator_run > max_depth:
        raise ProtocolError(
            400, f"The request nests brackets or operators deeper than {max_depth} levels; simplify it."
        )


def _refuse(what: str, iri: str, hint: str) -> ProtocolError:
    shown = iri if len(iri) <= 200 else iri[:200] + "..."
    return ProtocolError(403, f"{what} <{shown}> is not allowed: {hint} No request was made.", iri=shown)


_FEDERATION_HINT = "it is not on the federation allow-list (DSIH_FEDERATION_ALLOW)."
_GRAPH_HINT = "it names no graph of this dataset and is not on the federation allow-list."


def _check_targets(scan: Scan, policy: Policy) -> bool:
    """True if the request calls SERVICE (every target allowed); raise for any other target."""
    if scan.unresolved:
        raise ProtocolError(400, f"Undeclared prefix in {scan.unresolved[0]}; add a PREFIX declaration.")
    for iri in scan.service:
        if iri.startswith(("?", "$")):
            raise ProtocolError(
                403,
                f"SERVICE {iri} (a variable) cannot be checked against the allow-list; "
                f"name the endpoint. No request was made.",
            )
        if not policy.allows(iri):
            raise _refuse("SERVICE", iri, _FEDERATION_HINT)
    for iri in scan.load:
        if not policy.allows(iri):
            raise _refuse("LOAD", iri, _FEDERATION_HINT)
    return bool(scan.service)


def _check_graphs(
    iris: Iterable[str], what: str, policy: Policy, graphs: Callable[[], frozenset[str]]
) -> None:
    iris = list(iris)
    if not iris:
        return
    known = graphs()
    for iri in iris:
        if iri not in known and not policy.allows(iri):
            raise _refuse(what, iri, _GRAPH_HINT)


def check_query(op: Operation, scan: Scan, policy: Policy, graphs: Callable[[], frozenset[str]]) -> bool:
    """Refuse what a query may not name; True if it federates (runs where outbound requests are possible)."""
    check_depth(scan, policy.max_depth)
    if scan.is_update and scan.form is None:
        raise ProtocolError(403, "This endpoint is read-only: send SPARQL Update to /update.")
    federated = _check_targets(scan, policy)
    _check_graphs(scan.from_default, "FROM", policy, graphs)
    _check_graphs(scan.from_named, "FROM NAMED", policy, graphs)
    _check_graphs(op.default_graph_uris, "default-graph-uri", policy, graphs)
    _check_graphs(op.named_graph_uris, "named-graph-uri", policy, graphs)
    return federated


def check_update(op: Operation, scan: Scan, policy: Policy, graphs: Callable[[], frozenset[str]]) -> None:
    """Refuse what an update may not name (LOAD targets, SERVICE in its WHERE, USING graphs)."""
    check_depth(scan, policy.max_depth)
    if scan.service:
        raise ProtocolError(403, "SERVICE is not allowed inside an update. No request was made.")
    _check_targets(scan, policy)
    _check_graphs(scan.from_default, "USING", policy, graphs)
    _check_graphs(scan.from_named, "USING NAMED", policy, graphs)
