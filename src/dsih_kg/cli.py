"""The ``dsih-kg`` command: thin wrappers that parse arguments, call one library function and print.

Exit codes: 0 ok; 1 violations found or query failed; 2 bad usage or input.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .config import load_settings
from .errors import DsihError, UserError


class _Group(click.Group):
    """Turns our errors into click's, so every command reports them the same way."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except UserError as exc:
            raise click.UsageError(str(exc)) from None
        except DsihError as exc:
            error = click.ClickException(str(exc))
            error.exit_code = getattr(exc, "exit_code", 1)
            raise error from None


@click.group(cls=_Group)
@click.version_option(package_name="dsih-kg")
def main() -> None:
    """Knowledge graph, SPARQL endpoint and explorer of the DSIH lessons learned.

    Settings come from DSIH_* environment variables (see the README); flags override them.
    """


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("build/dsih.nq"),
              show_default=True, help="File to write; the suffix picks the format (.ttl .nt .jsonld .rdf .trig .nq).")
@click.option("--no-reasoning", is_flag=True, help="Write only the asserted graph, without OWL-RL inferences.")
@click.option("--base-iri", default=None, help="Base of the minted IRIs (DSIH_BASE_IRI).")
def build(output: Path, no_reasoning: bool, base_iri: str | None) -> None:
    """Build the graph from ontology/ and data/ and write it, with OWL-RL inferences, to a file."""
    from .graph import build_graph, write_graph

    settings = load_settings(base_iri=base_iri)
    ds = build_graph(settings, reason=not no_reasoning)
    write_graph(ds, output)
    click.echo(f"wrote {len(ds)} quads to {output}", err=True)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--shapes", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="SHACL shapes (default: ontology/shapes.ttl).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def validate(files: tuple[Path, ...], shapes: Path | None, fmt: str) -> None:
    """Validate the built graph (or FILES) against the SHACL shapes; exit 1 on violations."""
    import json

    from rdflib import Graph

    from .graph import build_graph, load_file, union_graph
    from .validation import validate_graph

    settings = load_settings()
    ontology_dir = Path(settings.ontology_dir)
    if files:
        data = Graph().parse(ontology_dir / "dsih.ttl")
        for path in files:
            data += union_graph(load_file(path))
    else:
        data = union_graph(build_graph(settings))
    shapes_graph = Graph().parse(shapes or ontology_dir / "shapes.ttl")
    report = validate_graph(data, shapes_graph)
    if fmt == "json":
        click.echo(json.dumps({"conforms": report.conforms, "violations": [v.__dict__ for v in report.violations]},
                              indent=2, ensure_ascii=False))
    elif report.conforms:
        click.echo(f"conforms: {len(data)} triples checked against {len(shapes_graph)} shape triples")
    else:
        click.echo(f"{len(report.violations)} violation(s):")
        for violation in report.violations:
            click.echo(f"  {violation}")
    sys.exit(0 if report.conforms else 1)
