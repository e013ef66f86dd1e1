"""`dsih-kg validate` passes on the real data and fails, readably, on a broken lesson (issue 2, point 5)."""

from __future__ import annotations

from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS

from dsih_kg.cli import main
from dsih_kg.config import load_settings
from dsih_kg.iri import IriScheme
from dsih_kg.namespaces import DSIH
from dsih_kg.validation import validate_graph

SETTINGS = load_settings(environ={})
IRIS = IriScheme(SETTINGS.base_iri)
SHAPES = Graph().parse(f"{SETTINGS.ontology_dir}/shapes.ttl")


def test_the_real_graph_conforms(graph):
    report = validate_graph(graph, SHAPES)
    assert report.conforms, "\n".join(map(str, report.violations))


def _broken(graph: Graph) -> Graph:
    broken = Graph()
    broken += graph
    lesson = IRIS.id("lesson", "micro-ontmoeten")
    broken.remove((lesson, DSIH.level, None))
    broken.remove((lesson, DSIH.text, None))
    broken.add((lesson, DCTERMS.title, Literal("Tweede titel", lang="nl")))
    return broken


def test_a_broken_lesson_is_reported_with_focus_node_path_and_message(graph):
    report = validate_graph(_broken(graph), SHAPES)
    assert not report.conforms
    focus = {v.focus_node for v in report.violations}
    assert str(IRIS.id("lesson", "micro-ontmoeten")) in focus
    messages = " ".join(v.message for v in report.violations)
    assert "exactly one level" in messages
    assert "Dutch title" in messages


def test_cli_validate_exits_1_on_a_broken_file(graph, tmp_path):
    path = tmp_path / "broken.ttl"
    _broken(graph).serialize(path, format="turtle")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "violation(s)" in result.output and "micro-ontmoeten" in result.output


def test_cli_validate_passes_on_the_real_data():
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("conforms")
