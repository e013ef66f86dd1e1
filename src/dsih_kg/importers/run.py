"""Import one file: check every record, write the graph to a file, then swap it into the store.

All or nothing: records are checked and written to a temporary N-Triples file first; the store is only
touched when the whole file is good, and then by one ``replace_graph``. Importing the same file with
the same mapping again changes nothing (the checksums in the graph's provenance say so).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..config import Settings
from ..errors import UserError
from ..iri import IriScheme, slugify
from ..kept import keep_graph_file
from ..namespaces import DSIH
from ..stores.base import Store
from . import get_importer
from .mapping import Mapping, load_mapping
from .ntriples import iri, literal, triple, typed
from .readers import RecordProblem
from .records import RDF_TYPE, RecordWriter

MAX_PROBLEMS = 20
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SPDX = "http://spdx.org/rdf/terms#"
SCHEMA = "https://schema.org/"
VOID = "http://rdfs.org/ns/void#"
MEDIA_TYPES = {
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
    ".json": "application/json",
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".xml": "application/rdf+xml",
    ".owl": "application/rdf+xml",
}


class SkipsRefused(UserError):
    """``--strict``: some subjects that look like records would be skipped; nothing was imported."""

    def __init__(self, path: Path, skipped: list[tuple[str, str]]):
        self.skipped = skipped
        lines = [f"{path.name}: {where}: skipped: {why}" for where, why in skipped]
        super().__init__(
            f"{path} was not imported (--strict, {len(skipped)} record(s) would be skipped); nothing was added:\n  "
            + "\n  ".join(lines)
        )


class ImportRefused(UserError):
    """The file has problems; nothing was imported. ``problems`` lists (where, column, why)."""

    def __init__(self, path: Path, problems: list[RecordProblem], more: bool):
        self.problems = problems
        lines = [f"{path.name}: {_where(p)}: {p.why}" for p in problems]
        tail = f"\n(stopped after {MAX_PROBLEMS} problems)" if more else ""
        super().__init__(
            f"{path} was not imported ({len(problems)} problem(s)); nothing was added:\n  "
            + "\n  ".join(lines)
            + tail
        )


def _where(problem: RecordProblem) -> str:
    return f"{problem.where}, column {problem.column}" if problem.column else problem.where


@dataclass
class ImportPlan:
    """What an import adds: its graph, counts, and the N-Triples file holding it (until applied)."""

    name: str
    graph: str
    source: Path
    sha256: str
    records: int = 0
    triples: int = 0
    by_type: Counter = field(default_factory=Counter)
    #: (where, why) of every subject that looks like a record but was not imported
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: (where, record) of every subject read as a part of a record (a publisher, a distribution)
    parts: list[tuple[str, str]] = field(default_factory=list)
    path: Path | None = None
    unchanged: bool = False
    synthetic: bool = False
    #: (record IRI, id, fields) of every record, kept when asked for, so linking need not read the file
    link_fields: list | None = None

    def summary(self) -> str:
        if self.unchanged:
            return f"{self.source.name}: unchanged since its last import into <{self.graph}>; nothing to do."
        types = ", ".join(f"{n} {t}" for t, n in sorted(self.by_type.items()))
        lines = [
            f"{self.source.name}: {self.records} records imported ({types}), {len(self.skipped)} skipped, "
            f"{self.triples} triples -> <{self.graph}>"
        ]
        if self.parts:
            lines.append(
                f"  read as parts of records, not as records of their own (publishers, distributions, "
                f"places…): {len(self.parts)}"
            )
        lines.extend(f"  skipped {where}: {why}" for where, why in self.skipped)
        return "\n".join(lines)


def import_name(path: Path, name: str | None) -> str:
    """The import's name (a slug): given, or the file name without suffix."""
    slug = slugify(name or path.stem)
    if not slug:
        raise UserError(
            f"Cannot make an import name from {name or path.stem!r}; pass --name with letters or digits."
        )
    return slug


def import_graph(iris: IriScheme, name: str, graph: str | None) -> str:
    """``{base}/id/graph/import-<name>``, or ``graph`` if it is such an IRI."""
    if not graph:
        return str(iris.import_graph(name))
    kind = iris.graph_kind(graph)
    if kind is None or kind[0] != "import":
        raise UserError(
            f"--graph must be an import graph of ours, {iris.base}/id/graph/import-<name>, "
            f"not {graph}: imports are kept apart from the curated graphs."
        )
    return graph


def plan_import(
    path: Path,
    settings: Settings,
    *,
    mapping_path: Path | None = None,
    name: str | None = None,
    graph: str | None = None,
    importer: str = "livingin",
    store: Store | None = None,
    progress: bool = False,
    workdir: Path | None = None,
    keep_fields: tuple[str, ...] = (),
    strict: bool = False,
) -> ImportPlan:
    """Check and write an import without touching the store (the store is only asked whether this file
    was imported already). Raises :class:`ImportRefused` listing the problems, and with ``strict``
    :class:`SkipsRefused` when a subject that looks like a record would be skipped.

    ``keep_fields`` names record fields to keep in ``plan.link_fields`` for linking right away.
    """
    path = Path(path)
    iris = IriScheme(settings.base_iri)
    mapping = load_mapping(mapping_path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read the file ({exc.strerror}).") from None
    name = import_name(path, name)
    plan = ImportPlan(
        name=name, graph=import_graph(iris, name, graph), source=path, sha256=hashlib.sha256(data).hexdigest()
    )
    if store is not None and already_imported(store, plan.graph, plan.sha256, mapping.digest):
        plan.unchanged = True
        return plan
    source_node = str(iris.id("dataset", f"{name}--sha256-{plan.sha256[:16]}"))
    writer = RecordWriter(mapping, iris, name, plan.graph, source_node)
    directory = Path(workdir or settings.imports_dir)
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".nt.part", dir=directory)
    problems: list[RecordProblem] = []
    synthetic = 0
    if keep_fields:
        plan.link_fields = []
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            records = get_importer(importer).records(path, data, mapping)
            for record in _progress(records, progress, path):
                if record.part_of is not None:
                    plan.parts.append((record.where, record.part_of))
                    continue
                if record.skipped is not None:
                    plan.skipped.append((record.where, record.skipped))
                    continue
                try:
                    lines = writer.write(record)
                except RecordProblem as problem:
                    problems.append(problem)
                    if len(problems) >= MAX_PROBLEMS:
                        break
                    continue
                if problems:
                    continue  # keep checking, but write nothing more
                plan.records += 1
                plan.triples += len(lines)
                type_value = record.fields["type"][0].text if record.fields.get("type") else "?"
                plan.by_type[mapping.record_type(type_value) or type_value] += 1
                synthetic += any(
                    v.text.strip().lower() in ("true", "yes", "1") for v in record.fields.get("synthetic", [])
                )
                out.writelines(lines)
                if plan.link_fields is not None:
                    kept = {k: [v.text for v in record.fields[k]] for k in keep_fields if k in record.fields}
                    record_id = record.fields["id"][0].text
                    plan.link_fields.append((writer.record_iri(record_id), record_id, kept))
                if writer.extra:
                    plan.triples += len(writer.extra)
                    out.writelines(writer.extra)
                    writer.extra.clear()
            if not problems:
                plan.synthetic = plan.records > 0 and synthetic == plan.records
                meta = provenance(plan, mapping, source_node, writer, data, iris)
                plan.triples += len(meta)
                out.writelines(meta)
    except RecordProblem as problem:  # a file-level problem: the reader cannot go on
        problems.append(problem)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if problems:
        Path(tmp).unlink(missing_ok=True)
        raise ImportRefused(path, problems, more=len(problems) >= MAX_PROBLEMS)
    if strict and plan.skipped:
        Path(tmp).unlink(missing_ok=True)
        raise SkipsRefused(path, plan.skipped)
    if plan.records == 0:
        Path(tmp).unlink(missing_ok=True)
        skipped = "".join(f"\n  {where}: skipped: {why}" for where, why in plan.skipped)
        raise UserError(f"{path}: holds no records; nothing was imported.{skipped}")
    plan.path = Path(tmp)
    return plan


def _progress(records, enabled: bool, path: Path):
    if not enabled:
        return records
    from tqdm import tqdm

    return tqdm(records, desc=f"importing {path.name}", unit=" records", mininterval=0.5)


def provenance(
    plan: ImportPlan, mapping: Mapping, source_node: str, writer: RecordWriter, data: bytes, iris: IriScheme
) -> list[str]:
    """The graph describes itself: a dcat:Dataset derived from the source file (checksum, size, type) by
    the mapping (its checksum), at a time, with its record count."""
    g, src = iri(plan.graph), iri(source_node)
    plan_node = iri(str(iris.id("dataset", f"mapping-{slugify(mapping.name)}--sha256-{mapping.digest[:16]}")))
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    origin = iri(str(DSIH.origin))
    lines = [
        triple(g, RDF_TYPE, iri(DCAT + "Dataset")),
        triple(g, RDF_TYPE, iri(SCHEMA + "Dataset")),
        triple(g, RDF_TYPE, iri(PROV + "Entity")),
        triple(g, origin, literal("import")),
        triple(
            g,
            iri(DCT + "title"),
            literal(f"Import {plan.name}" + (" (synthetic)" if plan.synthetic else ""), "en"),
        ),
        triple(
            g,
            iri(DCT + "description"),
            literal(
                f"{plan.records} records imported from {plan.source.name} with the mapping {mapping.name}"
                + (
                    "; every record is marked synthetic (not real Living-in.eu data)."
                    if plan.synthetic
                    else "."
                ),
                "en",
            ),
        ),
        triple(g, iri(PROV + "wasDerivedFrom"), src),
        triple(g, iri(PROV + "generatedAtTime"), typed(now, "dateTime")),
        triple(g, iri(str(DSIH.mapping)), plan_node),
        triple(g, iri(VOID + "entities"), typed(plan.records, "integer")),
        triple(src, RDF_TYPE, iri(DCAT + "Distribution")),
        triple(src, RDF_TYPE, iri(PROV + "Entity")),
        triple(src, iri(SPDX + "fileName"), literal(plan.source.name)),  # a name, not a title in a language
        triple(src, iri(DCAT + "byteSize"), typed(len(data), "nonNegativeInteger")),
        triple(
            src,
            iri(DCAT + "mediaType"),
            iri(
                "https://www.iana.org/assignments/media-types/"
                + MEDIA_TYPES.get(plan.source.suffix.lower(), "text/plain")
            ),
        ),
        triple(src, iri(SPDX + "checksum"), "_:filechecksum"),
        triple("_:filechecksum", iri(SPDX + "algorithm"), iri(SPDX + "checksumAlgorithm_sha256")),
        triple("_:filechecksum", iri(SPDX + "checksumValue"), typed(plan.sha256, "hexBinary")),
        triple(plan_node, RDF_TYPE, iri(PROV + "Plan")),
        triple(plan_node, iri(DCT + "identifier"), literal(mapping.name)),
        triple(plan_node, iri(SPDX + "checksum"), "_:mappingchecksum"),
        triple("_:mappingchecksum", iri(SPDX + "algorithm"), iri(SPDX + "checksumAlgorithm_sha256")),
        triple("_:mappingchecksum", iri(SPDX + "checksumValue"), typed(mapping.digest, "hexBinary")),
    ]
    if plan.synthetic:
        lines.append(triple(g, iri(str(DSIH.synthetic)), typed("true", "boolean")))
    return lines


def already_imported(store: Store, graph: str, sha256: str, mapping_digest: str) -> bool:
    """Whether ``graph`` holds exactly this file imported with this mapping."""
    query = f"""
        PREFIX spdx: <{SPDX}> PREFIX prov: <{PROV}> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        ASK {{ GRAPH <{graph}> {{
            <{graph}> prov:wasDerivedFrom/spdx:checksum/spdx:checksumValue "{sha256}"^^xsd:hexBinary ;
                      <{DSIH.mapping}>/spdx:checksum/spdx:checksumValue "{mapping_digest}"^^xsd:hexBinary .
        }} }}"""
    return bool(store.query(query).boolean)


def apply_import(plan: ImportPlan, store: Store, settings: Settings) -> None:
    """Swap the planned graph into the store, then keep its file in ``imports_dir`` (atomic rename)."""
    if plan.unchanged or plan.path is None:
        return
    store.replace_graph(plan.graph, plan.path)
    keep_graph_file(plan.path, plan.graph, settings)
    plan.path = None


def apply_graphs(graphs: list[tuple[str, Path]], store: Store, settings: Settings) -> None:
    """Swap several written graphs (an import and its linkset) into the store in one write, then keep
    their files. One write instead of two: both appear together, and a big import is written once."""
    store.replace_graphs(graphs)
    for graph, path in graphs:
        keep_graph_file(path, graph, settings)


def discard(plan: ImportPlan) -> None:
    """Forget a plan that is not applied (a dry run)."""
    if plan.path is not None:
        plan.path.unlink(missing_ok=True)
        plan.path = None


def import_file(
    path: Path, settings: Settings, store: Store | None, *, dry_run: bool = False, **options
) -> ImportPlan:
    """Plan an import and, unless ``dry_run``, apply it; the plan tells what was (or would be) added.

    With ``dry_run`` the plan's file is left for the caller to show and then :func:`discard`.
    """
    plan = plan_import(path, settings, store=store, **options)
    if not dry_run:
        if store is None:
            raise UserError("An import needs a store to write into.")
        try:
            apply_import(plan, store, settings)
        finally:
            discard(plan)
    return plan
