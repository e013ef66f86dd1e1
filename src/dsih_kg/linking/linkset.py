"""Links as resources in a VoID linkset graph, ``{base}/id/graph/linkset-<name>``, one per import.

Each proposed link is a ``dsih:ProposedLink`` with its source record, target, score, matched words,
field and rule, and a status: ``asserted`` (score >= threshold), ``candidate`` (below), or ``accepted``
/ ``rejected`` by the curation file. Asserted and accepted links are also stated as
``record dcterms:relation target`` in the same graph, so SPARQL users can follow them directly.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..config import Settings
from ..errors import UserError
from ..importers.mapping import load_mapping
from ..importers.ntriples import iri, literal, triple, typed
from ..iri import IriScheme
from ..kept import keep_graph_file, kept_file
from ..namespaces import DSIH
from ..stores.base import Store
from .curation import Decision
from .matcher import Matcher, Proposal

RDF_TYPE = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCT = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
PROV = "http://www.w3.org/ns/prov#"
RELATION = iri(DCT + "relation")
IDENTIFIER = DCT + "identifier"
IMPORTED_RECORD = str(DSIH.ImportedRecord)
SCHEMA_NAME = "https://schema.org/name"
#: Record fields the matcher reads, by the column keys of the default mapping.
LINK_FIELDS = (
    "title",
    "description",
    "tags",
    "domain",
    "eu_mission",
    "helix_actors",
    "organisation",
    "trl",
    "srl",
    "crl",
)
_LINK_CLASS = iri(str(DSIH.ProposedLink))
_P = {
    name: iri(str(getattr(DSIH, name)))
    for name in ("linkSource", "linkTarget", "score", "matchedWords", "matchedField", "rule", "linkStatus")
}


@dataclass
class LinkResult:
    """What a link run made: its graph, counts by status and by kind of target, unmatched curation."""

    name: str
    graph: str
    import_graph: str
    records: int = 0
    by_status: Counter = field(default_factory=Counter)
    #: kind of target -> links by status (asserted, candidate, accepted, rejected)
    by_kind: dict[str, Counter] = field(default_factory=dict)
    unknown_decisions: list[Decision] = field(default_factory=list)
    path: Path | None = None

    def count(self, kind: str, status: str) -> None:
        self.by_status[status] += 1
        self.by_kind.setdefault(kind, Counter())[status] += 1

    def summary(self) -> str:
        """Asserted links and candidates (below the threshold), in all and per kind of target."""
        lines = [f"{self.records} records of <{self.import_graph}> -> <{self.graph}>:"]
        lines.append(f"  all: {_statuses(self.by_status)}  (candidates: below the threshold, not asserted)")
        lines.extend(f"  {kind}: {_statuses(self.by_kind[kind])}" for kind in sorted(self.by_kind))
        return "\n".join(lines)


def _statuses(counts: Counter) -> str:
    """'3 asserted, 1 accepted, 2 candidates': asserted and candidates always named, even when 0."""
    parts = [f"{counts['asserted']} asserted"]
    if counts["accepted"]:
        parts.append(f"{counts['accepted']} accepted in curation")
    parts.append(f"{counts['candidate']} candidates")
    if counts["rejected"]:
        parts.append(f"{counts['rejected']} rejected in curation")
    return ", ".join(parts)


def linkset_graph(iris: IriScheme, import_graph: str) -> tuple[str, str]:
    """(name, linkset graph IRI) for an import graph ``.../import-<name>``."""
    kind = iris.graph_kind(import_graph)
    if kind is None or kind[0] != "import":
        raise UserError(f"<{import_graph}> is not an import graph ({iris.base}/id/graph/import-<name>).")
    return kind[1], str(iris.linkset_graph(kind[1]))


def import_graphs(store: Store, iris: IriScheme) -> list[str]:
    """The import graphs the store holds."""
    return sorted(g for g in store.graph_names() if (iris.graph_kind(g) or ("",))[0] == "import")


def record_fields(store: Store, import_graph: str, settings: Settings) -> Iterator[tuple[str, str, dict]]:
    """(record IRI, record id, fields) of every record of an import, read from the import's kept file
    (fast, and exactly what was imported), or from the store when there is no file."""
    path = kept_file(settings, import_graph)
    mapping = load_mapping()
    by_property = {mapping.columns[key].properties[0]: key for key in LINK_FIELDS if key in mapping.columns}
    org_property = (
        mapping.columns["organisation"].properties[0] if "organisation" in mapping.columns else None
    )
    wanted = {*by_property, SCHEMA_NAME, IDENTIFIER, org_property, RDF_TYPE[1:-1]}
    quads = _file_values(path, wanted) if path.exists() else _store_values(store, import_graph)
    records: dict[str, dict] = {}
    ids: dict[str, str] = {}
    names: dict[str, str] = {}
    organisations: list[tuple[str, str]] = []
    imported: set[str] = set()  # an import also keeps what records point to; only records are linked
    for subject, predicate, value in quads:
        if predicate == RDF_TYPE[1:-1]:
            if value == IMPORTED_RECORD:
                imported.add(subject)
        elif predicate == SCHEMA_NAME:
            names[subject] = value
        elif predicate == IDENTIFIER:
            ids[subject] = value
        elif predicate == org_property:
            organisations.append((subject, value))
        elif predicate in by_property:
            records.setdefault(subject, {}).setdefault(by_property[predicate], []).append(value)
    for subject, node in organisations:
        if node in names:
            records.setdefault(subject, {}).setdefault("organisation", []).append(names[node])
    for subject in sorted(ids):
        if subject in imported:
            yield subject, ids[subject], records.get(subject, {})


def _file_values(path: Path, wanted: set) -> Iterator[tuple[str, str, str]]:
    """(subject, predicate, value) of the N-Triples lines we wrote ourselves whose predicate is wanted.

    Our own files have one triple per line and IRIs without spaces, so splitting beats a parser here.
    """
    wanted_terms = {f"<{p}>": p for p in wanted if p}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            subject, predicate, rest = line.split(" ", 2)
            name = wanted_terms.get(predicate)
            if name is None:
                continue
            obj = rest[:-3] if rest.endswith(" .\n") else rest.rstrip().rstrip(".").rstrip()
            if obj.startswith("<"):
                value = obj[1:-1]
            elif obj.startswith('"'):
                value = obj[1 : obj.rindex('"')]
                if "\\" in value:
                    value = _unescape(value)
            else:
                continue
            yield subject[1:-1], name, value


_ESCAPED = re.compile(r"\\(.)")
_UNESCAPE = {"n": "\n", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    """Undo the escapes :func:`..importers.ntriples.literal` writes."""
    return _ESCAPED.sub(lambda m: _UNESCAPE.get(m.group(1), m.group(0)), text)


def _store_values(store: Store, graph: str, page: int = 50_000) -> Iterator[tuple[str, str, str]]:
    offset = 0
    while True:
        result = store.query(
            f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} "
            f"ORDER BY ?s ?p ?o LIMIT {page} OFFSET {offset}",
            timeout=120,
        )
        for row in result.rows:
            yield str(row["s"]), str(row["p"]), str(row["o"])
        if len(result.rows) < page:
            return
        offset += page


def build_linkset(
    import_graph: str,
    records: Iterator[tuple[str, str, dict]],
    matcher: Matcher,
    decisions: list[Decision],
    settings: Settings,
    *,
    curation_source: str | None = None,
    progress: bool = False,
) -> LinkResult:
    """Match every record, apply the curation, and write the linkset graph to a temporary file."""
    iris = IriScheme(settings.base_iri)
    name, graph = linkset_graph(iris, import_graph)
    result = LinkResult(name=name, graph=graph, import_graph=import_graph)
    by_record: dict[str, dict[str, Decision]] = {}
    for decision in decisions:
        by_record.setdefault(decision.record, {})[decision.target] = decision
    used: set[tuple[str, str]] = set()
    directory = Path(settings.imports_dir)
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".linkset-{name}-", suffix=".nt.part", dir=directory)
    g = iri(graph)
    prefix = str(iris.id("link", f"{name}--x"))[:-1]
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            iterator = records
            if progress:
                from tqdm import tqdm

                iterator = tqdm(records, desc=f"linking {name}", unit=" records", mininterval=0.5)
            for record, record_id, fields in iterator:
                result.records += 1
                proposals = {p.target: p for p in matcher.propose(record, fields)}
                curated: dict[str, Decision] = {}
                for key in (record_id, record):
                    for target, decision in by_record.get(key, {}).items():
                        curated[target] = decision
                        used.add((key, target))
                for target, decision in curated.items():
                    if target not in proposals and decision.decision == "accept":
                        proposals[target] = Proposal(
                            record, target, 1.0, "curation", decision.note, "curation"
                        )
                for target in sorted(proposals):
                    proposal = proposals[target]
                    decision = curated.get(target)
                    if decision is not None:
                        status = "accepted" if decision.decision == "accept" else "rejected"
                    else:
                        status = "asserted" if proposal.score >= matcher.threshold else "candidate"
                    out.write(_link_lines(prefix, proposal, status))
                    result.count(matcher.targets[target].kind if target in matcher.targets else "other", status)
            result.unknown_decisions = [d for d in decisions if (d.record, d.target) not in used]
            out.writelines(_describe(iris, g, import_graph, result, matcher.threshold, curation_source))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    result.path = Path(tmp)
    return result


def _link_lines(prefix: str, p: Proposal, status: str) -> str:
    """The triples of one link (``prefix`` is the link IRI up to its hash)."""
    digest = hashlib.blake2b(f"{p.record} {p.target}".encode(), digest_size=8).hexdigest()
    node, source, target = f"<{prefix}{digest}>", f"<{p.record}>", f"<{p.target}>"
    text = (
        f"{node} {RDF_TYPE} {_LINK_CLASS} .\n"
        f"{node} {_P['linkSource']} {source} .\n"
        f"{node} {_P['linkTarget']} {target} .\n"
        f'{node} {_P["score"]} "{p.score:.2f}"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
        f"{node} {_P['rule']} {literal(p.rule)} .\n"
        f"{node} {_P['matchedWords']} {literal(p.words)} .\n"
        f"{node} {_P['matchedField']} {literal(p.field)} .\n"
        f'{node} {_P["linkStatus"]} "{status}" .\n'
    )
    if status in ("asserted", "accepted"):
        text += f"{source} {RELATION} {target} .\n"
    return text


def _describe(
    iris: IriScheme,
    g: str,
    import_graph: str,
    result: LinkResult,
    threshold: float,
    curation_source: str | None,
) -> list[str]:
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    asserted = result.by_status["asserted"] + result.by_status["accepted"]
    lines = [
        triple(g, RDF_TYPE, iri(VOID + "Linkset")),
        triple(g, RDF_TYPE, iri(PROV + "Entity")),
        triple(g, iri(str(DSIH.origin)), literal("linkset")),
        triple(g, iri(DCT + "title"), literal(f"Links from import {result.name} to the DSIH lessons", "en")),
        triple(g, iri(VOID + "subjectsTarget"), iri(import_graph)),
        triple(g, iri(VOID + "objectsTarget"), iri(str(iris.graph("publication")))),
        triple(g, iri(VOID + "linkPredicate"), RELATION),
        triple(g, iri(VOID + "triples"), typed(asserted, "integer")),
        triple(g, iri(str(DSIH.threshold)), typed(f"{threshold:.2f}", "decimal")),
        triple(g, iri(PROV + "wasDerivedFrom"), iri(import_graph)),
        triple(g, iri(PROV + "generatedAtTime"), typed(now, "dateTime")),
    ]
    if curation_source:
        lines.append(triple(g, iri(DCT + "source"), literal(curation_source)))
    return lines


def apply_linkset(result: LinkResult, store: Store, settings: Settings) -> None:
    """Swap the linkset graph into the store and keep its file."""
    if result.path is None:
        return
    store.replace_graph(result.graph, result.path)
    keep_graph_file(result.path, result.graph, settings)
    result.path = None
