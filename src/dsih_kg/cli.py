"""The ``dsih-kg`` command: thin wrappers that parse arguments, call one library function and print.

Exit codes: 0 ok; 1 violations found or query failed; 2 bad usage or input.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .config import STORES, load_settings
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

    from .validation import validate_data

    report = validate_data(load_settings(), files, shapes)
    if fmt == "json":
        click.echo(json.dumps({"conforms": report.conforms, "violations": [v.__dict__ for v in report.violations]},
                              indent=2, ensure_ascii=False))
    elif report.conforms:
        click.echo(f"conforms: {report.checked} triples checked against {report.shape_triples} shape triples")
    else:
        click.echo(f"{len(report.violations)} violation(s):")
        for violation in report.violations:
            click.echo(f"  {violation}")
    sys.exit(0 if report.conforms else 1)


def _setting_option(name: str, flag: str | None = None, **kwargs):
    """A click option for a setting, its help taken from the settings table (declared once)."""
    from .config import SETTINGS

    setting = next(s for s in SETTINGS if s.name == name)
    flag = flag or "--" + name.replace("_", "-")
    return click.option(flag, name, default=None, help=f"{setting.help} [{setting.env}]", **kwargs)


@main.command()
@_setting_option("host")
@_setting_option("port", type=int)
@_setting_option("store", type=click.Choice(STORES))
@_setting_option("store_path")
@_setting_option("store_url")
@_setting_option("store_update_url")
@_setting_option("workers", type=int)
@_setting_option("threads", type=int)
@_setting_option("query_timeout", type=float)
@click.option("--dev", is_flag=True, help="Flask's development server instead of waitress (not for production).")
def serve(dev: bool, **overrides) -> None:
    """Serve the SPARQL endpoint and the explorer (waitress, unless --dev).

    Prints "dsih-kg serving on URL" on stderr once it accepts requests; port 0 picks a free port.
    """
    from .server import serve as run_server

    settings = load_settings(**overrides)

    def ready(url: str) -> None:
        click.echo(f"dsih-kg serving on {url}", err=True)
        sys.stderr.flush()

    run_server(settings, dev=dev, ready=ready)


def _read_query_argument(text: str) -> str:
    """The query text of the argument: '-' reads stdin, an existing file is read, anything else is the query."""
    if text == "-":
        return sys.stdin.read()
    if len(text) < 4096 and "\n" not in text and "{" not in text:
        path = Path(text)
        if path.is_file():
            try:
                return path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise UserError(f"{text}: not UTF-8 text.") from None
        if path.suffix in (".rq", ".sparql"):
            raise UserError(f"{text}: file not found.")
    return text


#: Machine formats of ``dsih-kg query -f``, read like the endpoint's ``format=`` values (json/xml of a
#: CONSTRUCT mean JSON-LD/RDF-XML).
QUERY_FORMATS = ("json", "xml", "csv", "tsv", "ttl", "turtle", "nt", "jsonld", "rdfxml")


@main.command()
@click.argument("sparql")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", *QUERY_FORMATS]), default="table",
              show_default=True, help="table for people; a SPARQL results or RDF format for machines.")
@_setting_option("store", type=click.Choice(STORES))
@_setting_option("store_path")
@_setting_option("store_url")
@_setting_option("query_timeout", type=float)
@_setting_option("imports_dir")
def query(sparql: str, fmt: str, **overrides) -> None:
    """Run a SPARQL query (a .rq file, '-' for stdin, or the query text) against the configured store,
    which holds the kept imports and linksets as the service's does.

    Exit codes: 0 answered, 1 the query failed (time limit, store), 2 the query or the options are wrong.
    """
    from .kept import open_store_with_imports
    from .stores import QueryTimeout, StoreUnavailable

    text = _read_query_argument(sparql)
    settings = load_settings(workers=1, **overrides)
    store = open_store_with_imports(settings)
    try:
        if fmt == "table":
            from .sparql.table import format_table

            click.echo(format_table(store.query(text), settings.base_iri), nl=False)
            return
        from .sparql.lexer import scan
        from .sparql.protocol import FORMAT_ALIASES

        form = scan(text).form
        kind = "graph" if form in ("CONSTRUCT", "DESCRIBE") else "results"
        name = FORMAT_ALIASES[kind].get(fmt)  # the names of the endpoint's format= parameter
        if name is None:
            raise UserError(f"--format {fmt} does not fit a {form or 'SELECT'} query.")
        answer = store.execute(text, result_format=name)
        sys.stdout.buffer.write(answer.body)
        sys.stdout.flush()
    except (QueryTimeout, StoreUnavailable) as exc:
        error = click.ClickException(str(exc))
        error.exit_code = 1
        raise error from None
    finally:
        store.close()


@main.command()
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--graph", default=None, help="Named graph for the triples of FILE (quads keep their graphs).")
@_setting_option("store", type=click.Choice(STORES))
@_setting_option("store_path")
@_setting_option("store_url")
@_setting_option("store_update_url")
def load(file: Path | None, graph: str | None, **overrides) -> None:
    """Load the built graph (or FILE) into the configured store, replacing the graphs it contains.

    Idempotent: loading the same file twice leaves the same data. Needs a store that outlives this
    command: --store-path DIR (on-disk Oxigraph) or --store remote with --store-update-url.
    """
    from .graph import cached_build
    from .stores import open_store

    settings = load_settings(workers=1, **overrides)
    if settings.store != "remote" and not settings.store_path:
        raise UserError("Nothing to load into: the store is in memory. Use --store-path DIR or --store remote.")
    if settings.store == "remote" and not settings.store_update_url:
        raise UserError("--store remote needs --store-update-url (DSIH_STORE_UPDATE_URL) to load.")
    source = file or cached_build(settings)
    store = open_store(settings)
    try:
        added = store.load(source, graph, replace=True)
        click.echo(f"loaded {source} into {store.name}: {added} quads added, {len(store)} in the store", err=True)
    finally:
        store.close()


# --- import and link: Living-in.eu-style records (importers/, linking/; docs/livingin.md) ---------------


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Mapping file (default: the Living-in.eu mapping, see docs/livingin.md).",
)
@click.option("--name", default=None, help="Name of the import (default: the file name without suffix).")
@click.option(
    "--graph", default=None, help="Import graph IRI, {base}/id/graph/import-<name> (default from --name)."
)
@click.option("--dry-run", is_flag=True, help="Check the file and show what would be added; change nothing.")
@click.option(
    "--strict", is_flag=True, help="Refuse the file (exit 2, nothing written) if any record would be skipped."
)
@click.option(
    "--link/--no-link", "then_link", default=False, help="Link the import right after importing it."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_setting_option("store", type=click.Choice(STORES))
@_setting_option("store_path")
@_setting_option("imports_dir")
def import_command(
    file: Path,
    mapping: Path | None,
    name: str | None,
    graph: str | None,
    dry_run: bool,
    strict: bool,
    then_link: bool,
    fmt: str,
    **overrides,
) -> None:
    """Import Living-in.eu-style records (CSV, JSON, Turtle, JSON-LD, RDF/XML) into their own graph.

    All or nothing: a bad record stops the import with its row, column and why (exit 2); importing
    the same file again changes nothing. A subject that looks like a record but cannot be one is
    listed as skipped with the reason (with --strict the file is refused instead).
    """
    import json
    import sys

    from .importers.run import discard, import_file
    from .kept import open_store_with_imports

    settings = load_settings(workers=1, **overrides)
    store = open_store_with_imports(settings)
    try:
        options = dict(mapping_path=mapping, name=name, graph=graph, strict=strict)
        links = []
        if then_link and not dry_run:
            from .linking.run import import_and_link

            plan, links = import_and_link(file, settings, store, progress=sys.stderr.isatty(), **options)
        else:
            progress = sys.stderr.isatty()
            plan = import_file(file, settings, store, dry_run=dry_run, progress=progress, **options)
        if dry_run and plan.path is not None and fmt == "text":
            click.echo(f"dry run, nothing changed. {plan.summary()}")
            with open(plan.path, encoding="utf-8") as handle:
                for number, line in enumerate(handle):
                    if number == 15:
                        click.echo(f"... and {plan.triples - 15} more triples")
                        break
                    click.echo(line.rstrip("\n"))
        elif fmt == "text":
            click.echo(plan.summary())
        if dry_run:
            discard(plan)
        if fmt == "text":
            for result in links:
                click.echo(result.summary())
        if fmt == "json":
            click.echo(
                json.dumps(
                    {
                        "graph": plan.graph,
                        "records": plan.records,
                        "triples": plan.triples,
                        "unchanged": plan.unchanged,
                        "dry_run": dry_run,
                        "by_type": dict(plan.by_type),
                        "skipped": [{"where": where, "why": why} for where, why in plan.skipped],
                        "parts": [{"where": where, "part_of": record} for where, record in plan.parts],
                        "sha256": plan.sha256,
                        "links": [{"graph": r.graph, "by_status": dict(r.by_status)} for r in links],
                    },
                    indent=2,
                )
            )
    finally:
        store.close()


@main.command("link")
@click.option(
    "--graph", "graphs", multiple=True, help="Import graph to link (repeatable; default: every import)."
)
@click.option(
    "--curation",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Curation file (YAML or CSV: record, target, decision accept|reject, note).",
)
@click.option(
    "--threshold", type=float, default=None, help="Score from which a link is asserted [DSIH_LINK_THRESHOLD]."
)
@click.option("--dry-run", is_flag=True, help="Match and count, but store nothing.")
@click.option(
    "--evaluate",
    "expected",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="After linking, score the asserted links against a labelled set (YAML, see "
    "data/livingin/devset/README.md): precision, recall and F1 per kind and pooled, and the negatives.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_setting_option("store", type=click.Choice(STORES))
@_setting_option("store_path")
@_setting_option("imports_dir")
def link_command(
    graphs: tuple[str, ...],
    curation: Path | None,
    threshold: float | None,
    dry_run: bool,
    expected: Path | None,
    fmt: str,
    **overrides,
) -> None:
    """Propose links from imported records to lessons, instruments, themes, helix actors and readiness
    scales; store them in one linkset graph per import (see docs/livingin.md)."""
    import json
    import sys

    from .kept import open_store_with_imports
    from .linking.run import link_imports

    if expected is not None and dry_run:
        raise UserError("--evaluate scores the stored links; it cannot be used with --dry-run.")
    settings = load_settings(workers=1, **overrides)
    store = open_store_with_imports(settings)
    evaluation = None
    try:
        results = link_imports(
            store,
            settings,
            graphs=list(graphs) or None,
            curation=curation,
            threshold=threshold,
            dry_run=dry_run,
            progress=sys.stderr.isatty(),
        )
        if expected is not None:
            from .linking.evaluate import evaluate

            evaluation = evaluate(store, expected, linksets=[r.graph for r in results])
    finally:
        store.close()
    if fmt == "json" and evaluation is not None:
        linksets = [r.graph for r in results]
        click.echo(json.dumps({"linksets": linksets, "evaluation": evaluation.as_dict()}, indent=2))
        return
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "graph": r.graph,
                        "import": r.import_graph,
                        "records": r.records,
                        "by_status": dict(r.by_status),
                        "by_kind": {kind: dict(counts) for kind, counts in r.by_kind.items()},
                        "unknown_decisions": [d.where for d in r.unknown_decisions],
                    }
                    for r in results
                ],
                indent=2,
            )
        )
        return
    for result in results:
        click.echo(("dry run, nothing stored. " if dry_run else "") + result.summary())
        for decision in result.unknown_decisions:
            click.echo(
                f"  curation {decision.where}: no record {decision.record!r} in this import; ignored",
                err=True,
            )
    if evaluation is not None:
        click.echo(evaluation.table())


@main.command("advise")
@click.argument("text")
@click.option("--per-level", type=click.IntRange(1, 10), default=3, show_default=True, help="Lessons per level.")
@click.option(
    "--lang", type=click.Choice(["nl", "en"]), default=None, help="Language of the answer (default: the text's)."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_setting_option("store", type=click.Choice(["oxigraph", "memory", "remote"]))
@_setting_option("store_path")
def advise_command(text: str, per_level: int, lang: str | None, fmt: str, **overrides) -> None:
    """Advice for your own project: TEXT (a paragraph in Dutch or English, or '-' to read stdin) -> the most
    relevant lessons per level (micro, meso, macro), each with the words and rules that led to it."""
    import json

    from .advice import build_advisor
    from .stores import open_store

    if text == "-":
        text = sys.stdin.read()
    settings = load_settings(workers=1, **overrides)
    store = open_store(settings)
    try:
        advice = build_advisor(store, settings.data_dir).advise(text, per_level=per_level, lang=lang)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps(advice.as_dict(), indent=2, ensure_ascii=False))
        return
    if advice.empty:
        click.echo("No lesson fits this text; say more about the project, its partners and its aim.")
        return
    for level, lessons in advice.levels.items():
        if not lessons:
            continue
        click.echo(f"{level}:")
        for lesson in lessons:
            click.echo(f"  {lesson.score:.2f}  {lesson.title}  <{lesson.iri}>")
            for piece in lesson.evidence:
                click.echo(f"        {piece.rule} ({piece.score:.2f}): {piece.words}")
    for iri, kind, name, score in advice.related:
        click.echo(f"related {kind}: {name} ({score:.2f}) <{iri}>")
