"""SHACL validation with pySHACL: returns data (conforms, violations), callers format it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH


@dataclass(frozen=True)
class Violation:
    focus_node: str
    path: str
    message: str
    severity: str = "Violation"

    def __str__(self) -> str:
        return f"{self.focus_node}  {self.path}: {self.message}"


@dataclass(frozen=True)
class Report:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    text: str = ""
    #: Triples of data checked, and of the shapes they were checked against.
    checked: int = 0
    shape_triples: int = 0


def validate_data(settings, files: Sequence[Path] = (), shapes: Path | None = None) -> Report:
    """Validate the built graph, or ``files`` read beside the ontology, against the shapes (ours by
    default): what ``dsih-kg validate`` and the tests run."""
    from .graph import build_graph, load_file, union_graph

    ontology_dir = Path(settings.ontology_dir)
    if files:
        data = Graph().parse(ontology_dir / "dsih.ttl")
        for path in files:
            data += union_graph(load_file(path))
    else:
        data = union_graph(build_graph(settings))
    shapes_graph = Graph().parse(shapes or ontology_dir / "shapes.ttl")
    report = validate_graph(data, shapes_graph)
    return replace(report, checked=len(data), shape_triples=len(shapes_graph))


def validate_graph(data: Graph, shapes: Graph, ontology: Graph | None = None) -> Report:
    """Validate ``data`` against ``shapes``; the ontology gives the class hierarchy for sh:class."""
    conforms, results, text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    violations = []
    for result in results.subjects(SH.resultSeverity, None):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus_node=_short(focus),
                path=_short(path),
                message=str(message) if isinstance(message, Literal) else "does not conform",
                severity=str(severity).rsplit("#", 1)[-1],
            )
        )
    violations.sort(key=lambda v: (v.focus_node, v.path, v.message))
    return Report(conforms=bool(conforms), violations=violations, text=str(text))


def _short(node: object) -> str:
    if node is None:
        return "-"
    return str(node) if isinstance(node, URIRef) else repr(node) if not isinstance(node, Literal) else str(node)
