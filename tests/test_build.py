"""Building loads ontology and data, materialises OWL-RL consequences into their own graph, and is
deterministic (issue 2, point 6)."""

from __future__ import annotations

from rdflib.namespace import ORG, RDF, SDO

from dsih_kg.config import load_settings
from dsih_kg.graph import build_graph, serialise
from dsih_kg.iri import IriScheme
from dsih_kg.namespaces import DSIH

IRIS = IriScheme(load_settings(environ={}).base_iri)


def test_the_reasoner_makes_cross_level_links_symmetric(dataset):
    asserted = dataset.graph(IRIS.graph("additions"))
    inferred = dataset.graph(IRIS.graph("inferred"))
    s, o = next(iter(asserted.subject_objects(DSIH.relatedAcrossLevels)))
    assert (o, DSIH.relatedAcrossLevels, s) not in asserted
    assert (o, DSIH.relatedAcrossLevels, s) in inferred


def test_the_reasoner_adds_inverse_and_subclass_typing(dataset):
    inferred = dataset.graph(IRIS.graph("inferred"))
    micro = IRIS.id("level", "micro")
    assert (micro, DSIH.lessonOfLevel, IRIS.id("lesson", "micro-ontmoeten")) in inferred
    # typing by subclass and equivalent class in the reused vocabularies, and mentions have an inverse
    assert (IRIS.id("lesson", "micro-ontmoeten"), RDF.type, SDO.CreativeWork) in inferred
    assert (IRIS.id("organisation", "vng"), RDF.type, ORG.Organization) in inferred
    assert any(inferred.triples((None, DSIH.mentionedIn, None)))


def test_inferred_triples_are_not_asserted(dataset):
    inferred = set(dataset.graph(IRIS.graph("inferred")))
    asserted = set(dataset.graph(IRIS.graph("publication"))) | set(dataset.graph(IRIS.graph("additions")))
    assert inferred and not (inferred & asserted)


def test_build_is_deterministic(dataset):
    again = build_graph(load_settings(environ={}))
    assert serialise(again, "nquads") == serialise(dataset, "nquads")


def test_cli_build_writes_the_format_of_the_suffix(tmp_path):
    from click.testing import CliRunner

    from dsih_kg.cli import main

    runner = CliRunner()
    for suffix, marker in ((".ttl", "@prefix"), (".nt", "> ."), (".jsonld", '"@id"')):
        out = tmp_path / f"g{suffix}"
        result = runner.invoke(main, ["build", "--no-reasoning", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert marker in out.read_text(encoding="utf-8")


def test_cli_build_refuses_an_unknown_suffix(tmp_path):
    from click.testing import CliRunner

    from dsih_kg.cli import main

    result = CliRunner().invoke(main, ["build", "--no-reasoning", "-o", str(tmp_path / "g.xlsx")])
    assert result.exit_code == 2
    assert "Cannot tell the format" in result.output


def test_the_cache_key_covers_every_module_the_build_imports():
    """A module the build runs but the cache key leaves out would let a stale cached build be served
    (it happened when annotations.py was added)."""
    import ast
    from pathlib import Path

    from dsih_kg.graph import BUILD_MODULES

    package = Path(__file__).resolve().parents[1] / "src" / "dsih_kg"
    reached, todo = set(), ["graph.py"]
    while todo:
        name = todo.pop()
        reached.add(name)
        tree = ast.parse((package / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                module = node.module.split(".")[0] + ".py"
                if (package / module).exists() and module not in reached:
                    todo.append(module)
    # settings are hashed as values (base IRI, paths); error messages do not change the graph
    assert reached - {"config.py", "errors.py"} <= set(BUILD_MODULES)
