"""Search over titles, texts and labels in Dutch and English that forgives: case, diacritics, typos, length.

"ideeen" finds "ideeën", "COORDINATIE" finds "coördinatie", "vertouwen" finds "vertrouwen" (a word that
occurs nowhere is replaced by the closest word of the index, with rapidfuzz, and the page says so), a
word matches inside longer words so no wildcard is needed (``*`` and ``?`` are ignored), and a query
longer than :data:`MAX_QUERY_CHARS` is cut at a word boundary rather than refused. When no resource has
every word, the resources with most of them are shown instead.

The index (every literal of the searched properties, normalised once) is built from the store and cached
per store generation; a search is a scan of that index, so it needs no full-text support from the store.
It holds what people look for: lessons, instruments, themes, organisations…, never ontology terms,
cross-level link resources or graph names (SPARQL has those). Results are grouped by type, lessons first
and by level; a hit whose title matched shows the resource's summary or text as its snippet, not the
title again.

Imported records (``import-*`` graphs) are findable by their titles only, at most
:data:`IMPORTED_TITLES` of them, kept apart from the curated entries: an import of 100 000 records would
otherwise make every search a scan of 200 000 literals. Their descriptions and the linksets stay out;
SPARQL and the reconciliation API search everything.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rdflib import Literal
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SDO, SH, SKOS

from ..iri import IriScheme
from ..namespaces import DSIH
from ..stores.base import Store

#: Longer queries are cut (at a word boundary) to this many characters, with a note; never refused.
MAX_QUERY_CHARS = 200
#: At most this many titles of imported records are indexed (a bound on memory and on every search).
IMPORTED_TITLES = 50_000
#: A word is corrected to the closest indexed word scoring at least this (rapidfuzz ratio, 0-100).
TYPO_CUTOFF = 80.0

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
#: Fields that name a resource: a hit there shows a describing field as its snippet instead.
TITLE_FIELDS = frozenset(p for p, weight in FIELDS.items() if weight >= 3.0)
#: Fields a snippet is taken from when the title matched, in the order they are tried.
SNIPPET_FIELDS = (
    str(DSIH.summary),
    str(DSIH.description),
    str(SKOS.definition),
    str(DCTERMS.description),
    str(DSIH.text),
)
#: Title properties of imported records (the importer writes dcterms:title; RDF imports may keep others).
IMPORTED_TITLE_FIELDS = (str(DCTERMS.title), str(SDO.name), str(RDFS.label), str(SKOS.prefLabel))
#: Resources of these types are machinery, not something a person looks for.
HIDDEN_TYPES = frozenset(
    str(t)
    for t in (
        OWL.Class,
        RDFS.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.TransitiveProperty,
        OWL.SymmetricProperty,
        OWL.FunctionalProperty,
        RDF.Property,
        OWL.Ontology,
        SH.NodeShape,
        SH.PropertyShape,
        DSIH.CrossLevelLink,
    )
)
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
_IMPORTED_RANK = len(GROUP_ORDER) + 1  # after every curated group
_WILDCARDS = re.compile(r"[*?%]+")
_WORD = re.compile(r"\w+")


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
    #: Titles of imported records (bounded by IMPORTED_TITLES), searched after the curated entries.
    imported: list[Entry] = field(default_factory=list)
    #: Every normalised word of the index with its frequency: what a misspelt word is corrected to.
    words: Counter[str] = field(default_factory=Counter)
    #: Describing entries per resource, for snippets of hits whose title matched.
    describing: dict[str, list[Entry]] = field(default_factory=dict)


def imported_graphs(store: Store, iris: IriScheme) -> list[str]:
    """The graphs of imported records and their links (``import-*``, ``linkset-*``), sorted."""
    return sorted(g for g in store.graph_names() if iris.graph_kind(g) is not None)


def _for_people(iri: str, types: list[str], iris: IriScheme) -> bool:
    """Whether a resource belongs in results shown to people (not an ontology term, link or graph)."""
    base = iris.base.rstrip("/")
    if iri.startswith((f"{base}/def/", f"{base}/id/link/", f"{base}/id/graph/")):
        return False
    return not HIDDEN_TYPES.intersection(types)


def build_index(store: Store, iris: IriScheme) -> Index:
    """Read every searched literal of the curated graphs, a bounded set of imported titles, and their types."""
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
    entries = [Entry(str(row["s"]), str(row["p"]), row["o"], *_normalise_mapped(str(row["o"]))) for row in rows]
    imported = _imported_titles(store, iris, skipped)
    index = Index()
    subjects = sorted({entry.iri for entry in entries} | {entry.iri for entry in imported})
    for start in range(0, len(subjects), 2000):
        values = " ".join(f"<{s}>" for s in subjects[start : start + 2000])
        for row in store.query(
            f"SELECT DISTINCT ?s ?t ?level WHERE {{ VALUES ?s {{ {values} }} ?s <{RDF.type}> ?t "
            f"OPTIONAL {{ ?s <{DSIH.level}> ?level }} }}"
        ).rows:
            index.types.setdefault(str(row["s"]), []).append(str(row["t"]))
            if row.get("level") is not None:
                index.levels[str(row["s"])] = str(row["level"])
    index.entries = [e for e in entries if _for_people(e.iri, index.types.get(e.iri, []), iris)]
    index.imported = imported
    for entry in index.entries + index.imported:
        index.words.update(w for w in _WORD.findall(entry.norm) if len(w) >= 3)
        if entry.field in SNIPPET_FIELDS:
            index.describing.setdefault(entry.iri, []).append(entry)
    return index


def _imported_titles(store: Store, iris: IriScheme, skipped: list[str]) -> list[Entry]:
    """Titles of imported records, at most IMPORTED_TITLES, from the ``import-*`` graphs in name order."""
    graphs = [g for g in skipped if g.startswith(str(iris.graph("import")) + "-")]
    props = ", ".join(f"<{p}>" for p in IMPORTED_TITLE_FIELDS)
    found: list[Entry] = []
    for graph in graphs:
        room = IMPORTED_TITLES - len(found)
        if room <= 0:
            break
        rows = store.query(
            f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o FILTER(?p IN ({props})) }} "
            f"FILTER(isIRI(?s) && isLiteral(?o)) }} LIMIT {room}"
        ).rows
        found += [Entry(str(r["s"]), str(r["p"]), r["o"], *_normalise_mapped(str(r["o"]))) for r in rows]
    return found


@dataclass
class Hit:
    iri: str
    group: str
    level: str | None
    score: float
    snippet: str
    field: str
    imported: bool = False


@dataclass
class Answer:
    """What a search found and how the query was read, so the page can say it."""

    query: str  # the query as given (white space collapsed)
    searched: str  # the words actually searched: cut, wildcards dropped, typos corrected
    hits: list[Hit]
    cut: bool = False  # the query was longer than MAX_QUERY_CHARS and was cut
    corrected: bool = False  # a word occurs nowhere and was replaced by the closest indexed word
    partial: bool = False  # no resource has every word; these have most of them


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


def _describing(index: Index, iri: str, lang: str | None) -> Entry | None:
    """The entry a title hit shows as its snippet: a describing field in ``lang``, else in any language."""
    entries = index.describing.get(iri, [])
    rank = {f: i for i, f in enumerate(SNIPPET_FIELDS)}
    ordered = sorted(entries, key=lambda e: (e.literal.language != lang, rank[e.field], str(e.literal)))
    return ordered[0] if ordered else None


def clean_query(query: str) -> tuple[str, bool]:
    """The query with white space collapsed and wildcards dropped, cut at a word boundary if too long."""
    text = " ".join(_WILDCARDS.sub(" ", query or "").split())
    if len(text) <= MAX_QUERY_CHARS:
        return text, False
    cut = text[: MAX_QUERY_CHARS + 1].rsplit(" ", 1)[0] if " " in text[:MAX_QUERY_CHARS] else text[:MAX_QUERY_CHARS]
    return cut[:MAX_QUERY_CHARS].rstrip(), True


def correct(index: Index, words: list[str]) -> list[str]:
    """Each word that occurs nowhere in the index replaced by the closest indexed word, if one is close."""
    fixed = []
    for word in words:
        if len(word) < 4 or word in index.words or any(word in known for known in index.words):
            fixed.append(word)
            continue
        choices = process.extract(word, index.words.keys(), scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=5)
        if choices:
            best = max(choices, key=lambda c: (c[1], index.words[c[0]], -abs(len(c[0]) - len(word))))
            fixed.append(best[0])
        else:
            fixed.append(word)
    return fixed


def answer(index: Index, query: str, lang: str | None = None, limit: int = 200) -> Answer:
    """Search forgivingly: cut, without wildcards, with typos corrected, and with most words if not all."""
    given = " ".join((query or "").split())
    text, cut = clean_query(given)
    words = list(dict.fromkeys(w for w in normalise(text).split(" ") if w))
    if not words:
        return Answer(given, "", [], cut=cut)
    hits = search_words(index, words, lang, limit)
    searched, corrected, partial = " ".join(words), False, False
    if not hits:
        fixed = correct(index, words)
        if fixed != words:
            hits = search_words(index, fixed, lang, limit)
            searched, corrected = " ".join(fixed), True
            words = fixed
    if not hits and len(words) > 1:
        hits = search_words(index, words, lang, limit, at_least=(len(words) + 1) // 2)
        partial = bool(hits)
    return Answer(given, searched, hits, cut=cut, corrected=corrected, partial=partial)


def search(index: Index, query: str, limit: int = 200, lang: str | None = None) -> list[Hit]:
    """Resources whose searched literals contain every word of ``query``, best first (no correction)."""
    words = list(dict.fromkeys(w for w in normalise(clean_query(query)[0]).split(" ") if w))
    return search_words(index, words, lang, limit) if words else []


def search_words(
    index: Index, words: list[str], lang: str | None = None, limit: int = 200, at_least: int | None = None
) -> list[Hit]:
    """Resources whose literals contain ``at_least`` (default: all) of ``words``; lessons first, then by score."""
    need = len(words) if at_least is None else at_least
    phrase = " ".join(words)
    best: dict[str, tuple[float, Entry]] = {}
    matched_words: dict[str, set[str]] = {}
    for entries in (index.entries, index.imported):
        for entry in entries:
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
                best[entry.iri] = (score, entry)
            else:
                keep = current[1] if FIELDS.get(current[1].field, 1) >= weight else entry
                best[entry.iri] = (current[0] + score, keep)
    imported = {entry.iri for entry in index.imported}
    hits = []
    for iri, (score, entry) in best.items():
        matched = matched_words[iri]
        if len(matched) < need:
            continue
        score *= len(matched) / len(words)
        shown = _describing(index, iri, lang) if entry.field in TITLE_FIELDS else None
        if shown is not None:
            first = next((w for w in words if w in shown.norm), None)
            position = shown.norm.find(first) if first else 0
            snippet = _snippet(shown, position, len(first or ""), width=90 if first else 70)
        else:
            shown = entry
            first = next((w for w in words if w in entry.norm), words[0])
            snippet = _snippet(entry, max(entry.norm.find(first), 0), len(first))
        hits.append(
            Hit(
                iri=iri,
                group=_group(index.types.get(iri, [])),
                level=index.levels.get(iri),
                score=score,
                snippet=snippet if shown is not entry or entry.field not in TITLE_FIELDS else "",
                field=shown.field,
                imported=iri in imported,
            )
        )
    hits.sort(key=lambda h: (h.imported, h.group != str(DSIH.Lesson), -h.score, h.iri))
    return hits[:limit]


def grouped(hits: list[Hit], level_order: list[str]) -> list[tuple[str, list[tuple[str | None, list[Hit]]]]]:
    """Hits as [(type, [(level or None, hits)])], types in GROUP_ORDER (imported last), lessons by level."""
    level_rank = {level: i for i, level in enumerate(level_order)}
    by_group: dict[str, list[Hit]] = {}
    imported_groups: set[str] = set()
    for hit in hits:
        by_group.setdefault(hit.group, []).append(hit)
        if hit.imported:
            imported_groups.add(hit.group)

    def rank(group: str) -> tuple[int, str]:
        return (_IMPORTED_RANK if group in imported_groups else _GROUP_RANK.get(group, 99), group)

    result = []
    for group in sorted(by_group, key=rank):
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
