"""Link imports: load the targets, match every record of each import, write one linkset per import."""

from __future__ import annotations

from pathlib import Path

from ..config import Settings
from ..errors import UserError
from ..iri import IriScheme
from ..stores.base import Store
from .curation import read_curation
from .linkset import LinkResult, apply_linkset, build_linkset, import_graphs, record_fields
from .matcher import Matcher
from .targets import load_targets
from .vocabulary import vocabulary_for


def link_imports(
    store: Store,
    settings: Settings,
    *,
    graphs: list[str] | None = None,
    curation: Path | None = None,
    threshold: float | None = None,
    dry_run: bool = False,
    progress: bool = False,
    records: list | None = None,
    apply: bool = True,
) -> list[LinkResult]:
    """Propose, curate and store the links of the given import graphs (all of them by default).

    ``records`` may give the records of a single graph as (IRI, id, fields), e.g. from an import plan.
    With ``apply`` false the linksets are written to files (``result.path``) but not stored.
    """
    iris = IriScheme(settings.base_iri)
    graphs = graphs or import_graphs(store, iris)
    if not graphs:
        raise UserError("There are no imports to link; run dsih-kg import FILE first.")
    threshold = settings.link_threshold if threshold is None else threshold
    if not 0 < threshold <= 1:
        raise UserError(f"The threshold must be above 0 and at most 1, not {threshold}.")
    targets = load_targets(store)
    if not targets:
        raise UserError("The store holds no lessons or instruments to link to; is the curated graph loaded?")
    matcher = Matcher(
        targets,
        vocabulary=vocabulary_for(settings.data_dir),
        min_score=settings.link_min_score,
        threshold=threshold,
    )
    decisions = read_curation(curation, iris) if curation else []
    results = []
    for graph in graphs:
        if records is not None and len(graphs) == 1:
            graph_records = iter(records)
        else:
            graph_records = record_fields(store, graph, settings)
        result = build_linkset(
            graph,
            graph_records,
            matcher,
            decisions,
            settings,
            curation_source=Path(curation).name if curation else None,
            progress=progress,
        )
        if dry_run:
            if result.path:
                result.path.unlink(missing_ok=True)
                result.path = None
        elif apply:
            apply_linkset(result, store, settings)
        results.append(result)
    return results


def import_and_link(path: Path, settings: Settings, store: Store, *, progress: bool = False, **options):
    """Import a file and link its records, storing both graphs in one write; returns (plan, results).

    The records are linked from the import's own checked fields, so the file is read only once.
    """
    from ..importers.run import apply_graphs, discard, plan_import
    from .linkset import LINK_FIELDS

    plan = plan_import(path, settings, store=store, progress=progress, keep_fields=LINK_FIELDS, **options)
    if plan.unchanged:
        return plan, link_imports(store, settings, graphs=[plan.graph], progress=progress)
    results: list[LinkResult] = []
    try:
        results = link_imports(
            store, settings, graphs=[plan.graph], records=plan.link_fields, apply=False, progress=progress
        )
        apply_graphs([(plan.graph, plan.path), (results[0].graph, results[0].path)], store, settings)
        plan.path = results[0].path = None
    finally:
        discard(plan)
        for result in results:
            if result.path is not None:
                result.path.unlink(missing_ok=True)
                result.path = None
    return plan, results
