"""Search over titles, texts and labels in Dutch and English, insensitive to case and diacritics.

"ideeen" finds "ideeën", "COORDINATIE" finds "coördinatie". The index (every literal of the searched
properties, normalised once) is built from the store and cached per store generation; a search is a
scan of that index, so it needs no full-text support from the store. Results are grouped by type, and
lessons also by level.

The index holds the curated graphs only, never the ``import-*`` and ``linkset-*`` graphs: an import of
100 000 records would make it a hundred times larger (seconds to build, hundreds of MiB, every search a
scan of 200 000 literals) for records that the explorer already shows where they matter, on the pages
of the lessons and instruments they are linked to; SPARQL and the reconciliation API search them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from rdflib import Literal
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SDO, SKOS

from ..iri import IriScheme
from ..namespaces import DSIH
from ..stores.base import Store

#: Searched properties and their weight (a hit in a title counts more than one in a long text).
FIELDS: dict[str, float] = {
    str(DCTERMS.title): 5.0,
    str(SKOS.prefLabel): 5.0,
    str(RDFS.label): 4.0,
    str(FOAF.name): 4.0,
    str(SDO.name): 4.0,
    str(SKOS.altLabel): 3.0,
    str(DSIH.summary): 1.5,
    str(DSIH.description): 1.0,
    str(SKOS.definition): 1.0,
    str(DCTERMS.description): 1.0,
    str(DSIH.text): 1.0,
    str(DSIH.recommendation): 0.5,
}
#: Types in the order their groups are shown; a resource falls in the group of its first type here.
GROUP_ORDER = (
    DSIH.Lesson,
    DSIH.Instrument,
    DSIH.MissionTheme,
    DSIH.TransitionArena,
    DSIH.HelixActorType,
    DSIH.HelixModel,
    DSIH.Concept,
    DSIH.Work,
    DSIH.Organisation,
    DSIH.Person,
    DSIH.Initiative,
    DSIH.Step,
    DSIH.Principle,
    DSIH.Level,
    DSIH.Category,
    DSIH.CrossLevelLink,
    DSIH.Publication,
)
_GROUP_RANK = {str(t): i for i, t in enumerate(GROUP_ORDER)}


def normalise(text: str) -> str:
    """Lower case, diacritics removed, runs of white space as one space."""
    return _normalise_mapped(text)[0]


def _normalise_mapped(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the original character."""
    out: list[str] = []
    index: list[int] = []
    space = False
    for i, char in enumerate(text):
        if char.isspace():
            if not space and out:
                out.append(" ")
                index.append(i)
            space = True
            continue
        space = False
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(part):
                continue
            for lowered in part.casefold():
                out.append(lowered)
                index.append(i)
    return "".join(out).rstrip(), index


@dataclass
class Entry:
    iri: str
    field: str
    literal: Literal
    norm: str
    index: list[int]


@dataclass
class Index:
    entries: list[Entry] = field(default_factory=list)
    types: dict[str, list[str]] = field(default_factory=dict)
    levels: dict[str, str] = field(default_factory=dict)


def imported_graphs(store: Store, iris: IriScheme) -> list[str]:
    """The graphs of imported records and their links (``import-*``, ``linkset-*``), sorted."""
    return sorted(g for g in store.graph_names() if iris.graph_kind(g) is not None)


def build_index(store: Store, iris: IriScheme) -> Index:
    """Read every searched literal of the curated graphs and the types of their subjects (two queries)."""
    skipped = imported_graphs(store, iris)
    if skipped:
        # Each curated graph on its own, a scan of that graph only (naming the graphs to leave out would
        # still scan the imports, and a VALUES over the properties makes Oxigraph scan every statement).
        wanted = ", ".join(f"<{p}>" for p in FIELDS)
        curated = sorted(store.graph_names() - set(skipped))
        pattern = " UNION ".join(f"{{ GRAPH <{g}> {{ ?s ?p ?o FILTER(?p IN ({wanted})) }} }}" for g in curated)
    else:
        props = " ".join(f"<{p}>" for p in FIELDS)
        pattern = f"VALUES ?p {{ {props} }} ?s ?p ?o"
    rows = store.query(
        f"SELECT DISTINCT ?s ?p ?o WHERE {{ {pattern or 'FILTER(false)'} FILTER(isIRI(?s) && isLiteral(?o)) }}"
    ).rows
    index = Index()
    for row in rows:
        norm, mapping = _normalise_mapped(str(row["o"]))
        index.entries.append(Entry(str(row["s"]), str(row["p"]), row["o"], norm, mapping))
    subjects = sorted({entry.iri for entry in index.entries})
    rows = []
    for start in range(0, len(subjects), 2000):
        values = " ".join(f"<{s}>" for s in subjects[start : start + 2000])
        rows += store.query(
            f"SELECT DISTINCT ?s ?t ?level WHERE {{ VALUES ?s {{ {values} }} ?s <{RDF.type}> ?t "
            f"OPTIONAL {{ ?s <{DSIH.level}> ?level }} }}"
        ).rows
    for row in rows:
        index.types.setdefault(str(row["s"]), []).append(str(row["t"]))
        if row.get("level") is not None:
            index.levels[str(row["s"])] = str(row["level"])
    return index


@dataclass
class Hit:
    iri: str
    group: str
    level: str | None
    score: float
    snippet: str
    field: str


def _group(types: list[str]) -> str:
    ranked = sorted(types, key=lambda t: (_GROUP_RANK.get(t, 99), t))
    return ranked[0] if ranked else ""


def _snippet(entry: Entry, start: int, length: int, width: int = 90) -> str:
    original = str(entry.literal)
    if len(original) <= 2 * width:
        return " ".join(original.split())
    begin = entry.index[start] if start < len(entry.index) else 0
    end = entry.index[min(start + length, len(entry.index)) - 1] + 1
    left = max(0, begin - width // 2)
    right = min(len(original), end + width)
    text = " ".join(original[left:right].split())
    return ("…" if left > 0 else "") + text + ("…" if right < len(original) else "")


def search(index: Index, query: str, limit: int = 200) -> list[Hit]:
    """Resources whose searched literals contain every word of ``query``, best first."""
    words = [w for w in normalise(query).split(" ") if w]
    if not words:
        return []
    phrase = " ".join(words)
    best: dict[str, tuple[float, Entry, int]] = {}
    matched_words: dict[str, set[str]] = {}
    for entry in index.entries:
        found = [w for w in words if w in entry.norm]
        if not found:
            continue
        matched_words.setdefault(entry.iri, set()).update(found)
        weight = FIELDS.get(entry.field, 1.0)
        score = weight * len(found)
        if phrase in entry.norm:
            score += weight * 2
            if entry.norm == phrase:
                score += 10
            elif entry.norm.startswith(phrase):
                score += 4
        current = best.get(entry.iri)
        if current is None:
            best[entry.iri] = (score, entry, entry.norm.find(found[0]))
        else:
            keep = current[1] if FIELDS.get(current[1].field, 1) >= weight else entry
            position = keep.norm.find(found[0]) if keep is entry else current[2]
            best[entry.iri] = (current[0] + score, keep, position)
    hits = []
    for iri, (score, entry, position) in best.items():
        if matched_words[iri] != set(words):
            continue
        first = next((w for w in words if w in entry.norm), words[0])
        position = max(entry.norm.find(first), 0)
        hits.append(
            Hit(
                iri=iri,
                group=_group(index.types.get(iri, [])),
                level=index.levels.get(iri),
                score=score,
                snippet=_snippet(entry, position, len(first)),
                field=entry.field,
            )
        )
    hits.sort(key=lambda h: (-h.score, h.iri))
    return hits[:limit]


def grouped(hits: list[Hit], level_order: list[str]) -> list[tuple[str, list[tuple[str | None, list[Hit]]]]]:
    """Hits as [(type, [(level or None, hits)])], types in GROUP_ORDER, lessons split by level."""
    level_rank = {level: i for i, level in enumerate(level_order)}
    by_group: dict[str, list[Hit]] = {}
    for hit in hits:
        by_group.setdefault(hit.group, []).append(hit)
    result = []
    for group in sorted(by_group, key=lambda g: (_GROUP_RANK.get(g, 99), g)):
        members = by_group[group]
        if group == str(DSIH.Lesson):
            levels: dict[str | None, list[Hit]] = {}
            for hit in members:
                levels.setdefault(hit.level, []).append(hit)
            parts = sorted(levels.items(), key=lambda kv: level_rank.get(kv[0] or "", 99))
        else:
            parts = [(None, members)]
        result.append((group, parts))
    return result
