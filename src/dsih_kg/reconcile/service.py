"""The reconciliation service without Flask: match names against lessons, instruments, themes,
organisations, helix actor types, readiness scales and transition arenas, as the W3C Reconciliation API
describes.

Scores come from the linker's words (linking/text.py: Snowball stems, no diacritics or case): a query is
compared with every label, synonym and key phrase of a candidate by the share of *informative* weight the
two have in common (each stem weighs its inverse document frequency over all labels, so "of", "the" or a
word on many labels count for little), with a typo-tolerant whole-string comparison for near-spellings
and, for a lesson, the BM25 ranking of the linker when the query is a sentence. ``match`` is true when the
top candidate scores at least MATCH_SCORE and leads the next by MATCH_LEAD. Names and descriptions come in
the query's language (told from its words, else from the label it matched). A property value that agrees
with the candidate (a lesson's level or category, an organisation's kind...) raises the score, one that
disagrees lowers it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from ..errors import UserError
from ..linking.matcher import RANK_FULL, RANK_MIN_RELATIVE
from ..linking.ranking import LessonRanking
from ..linking.targets import KIND_NAMES, KINDS, Target
from ..linking.text import LANGUAGES, content_lemmas, language, tokens
from ..namespaces import DSIH

#: Types offered to OpenRefine: id (class IRI), name, kind.
TYPES = [
    {"id": KINDS[kind], "name": KIND_NAMES[kind][1].capitalize(), "kind": kind}
    for kind in ("lesson", "instrument", "theme", "organisation", "helix-actor", "readiness", "arena")
]
TYPE_BY_ID = {t["id"]: t for t in TYPES}
#: Properties a query may give, with the target property they compare with.
PROPERTIES = [
    {"id": str(DSIH.level), "name": "level (micro, meso, macro)"},
    {"id": str(DSIH.category), "name": "category"},
    {"id": str(DSIH.instrumentKind), "name": "kind of instrument"},
    {"id": str(DSIH.organisationKind), "name": "kind of organisation"},
    {"id": "type", "name": "kind of thing (lesson, instrument, theme, organisation...)"},
]
PROPERTY_IDS = {p["id"] for p in PROPERTIES}
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_NOTATION = "http://www.w3.org/2004/02/skos/core#notation"
#: How much a label counts by what it is: the name, a synonym, or a key phrase of the vocabulary.
LABEL_FACTORS = {"label": 1.0, "altlabel": 0.97, "keyphrase": 0.85}
MATCH_SCORE, MATCH_LEAD = 90.0, 10.0
FUZZY_CUTOFF = 85.0  # whole-string similarity for near-spellings ("opschalings canvas")
SENTENCE_WORDS = 5  # a query of 5+ words is also ranked by meaning (lessons), as the linker does
SUGGEST_FUZZY_SCORE = 80.0
PROPERTY_WEIGHT = 0.4
MAX_LIMIT = 50


class BadQuery(UserError):
    """A reconciliation query that cannot be answered as given (HTTP 400)."""


@dataclass
class Candidate:
    target: Target
    score: float
    lang: str = ""
    features: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Label:
    owner: str
    text: str
    folded: str
    lang: str
    factor: float
    stems: frozenset[str]


class Reconciler:
    """An index over the targets' labels; build it once per data generation."""

    def __init__(self, targets: list[Target], values: dict[str, dict[str, set[str]]], max_query_length: int):
        self.targets = {t.iri: t for t in targets}
        self.values = values
        self.max_query_length = max_query_length
        self._labels: list[_Label] = []
        self._by_stem: dict[str, list[int]] = defaultdict(list)
        for target in targets:
            for text, lang, kind in target.labels:
                folded = " ".join(tokens(text))
                if not folded:
                    continue
                stems = frozenset(s for language_ in LANGUAGES for s, _w in content_lemmas(text, language_))
                index = len(self._labels)
                self._labels.append(_Label(target.iri, text, folded, lang, LABEL_FACTORS[kind], stems))
                for stem in stems:
                    self._by_stem[stem].append(index)
        owners: dict[str, set[str]] = defaultdict(set)
        for label in self._labels:
            for stem in label.stems:
                owners[stem].add(label.owner)
        total = max(1, len(self.targets))
        self._idf = {stem: math.log(1 + total / len(found)) for stem, found in owners.items()}
        self._rare = math.log(1 + total)
        self._folded = [label.folded for label in self._labels]
        self._exact: dict[str, list[int]] = defaultdict(list)
        for index, label in enumerate(self._labels):
            self._exact[label.folded].append(index)
        self.ranking = LessonRanking(targets)

    # --- queries ------------------------------------------------------------------------------------

    def reconcile(self, query: object) -> list[dict]:
        """One query ({"query", "type", "limit", "properties", "type_strict"} or a string) -> results."""
        if isinstance(query, str):
            query = {"query": query}
        if not isinstance(query, dict):
            raise BadQuery("Each query must be a JSON object with a 'query' string.")
        text = query.get("query")
        if not isinstance(text, str):
            raise BadQuery("Each query needs a 'query' string.")
        self._check_length(text)
        kinds = self._kinds(query.get("type"))
        limit = _limit(query.get("limit"), default=3)
        properties = _properties(query.get("properties"))
        strict = query.get("type_strict") != "should"
        candidates = self.search(text, kinds if strict else None, limit=max(limit * 3, 10))
        if properties:
            for candidate in candidates:
                agreement = self._agreement(candidate.target, properties)
                candidate.score = round(
                    (1 - PROPERTY_WEIGHT) * candidate.score + PROPERTY_WEIGHT * 100 * agreement, 1
                )
                candidate.features["properties"] = round(agreement, 2)
        # the requested type first, then by score
        candidates.sort(key=lambda c: (bool(kinds) and c.target.kind not in kinds, -c.score, c.target.iri))
        candidates = candidates[:limit]
        lang = _query_language(text, candidates)
        results = []
        for i, candidate in enumerate(candidates):
            runner_up = candidates[1].score if len(candidates) > 1 else 0.0
            match = i == 0 and candidate.score >= MATCH_SCORE and candidate.score - runner_up >= MATCH_LEAD
            results.append(self.describe(candidate.target, candidate.score, match, lang, candidate.features))
        return results

    def search(self, text: str, kinds: set[str] | None, limit: int) -> list[Candidate]:
        """Targets whose labels (or, for a sentence, whose lessons) resemble ``text``, best first (0-100)."""
        folded = " ".join(tokens(text))
        if not folded:
            return []
        lang = language(text, default="")
        languages = (lang,) if lang else LANGUAGES
        query_stems = {s for language_ in languages for s, _w in content_lemmas(text, language_)}
        best: dict[str, Candidate] = {}

        def offer(owner: str, score: float, label_lang: str, feature: str) -> None:
            if kinds and self.targets[owner].kind not in kinds:
                return
            candidate = best.get(owner)
            if candidate is None:
                candidate = best[owner] = Candidate(self.targets[owner], 0.0, label_lang)
            candidate.features[feature] = max(candidate.features.get(feature, 0.0), round(score, 1))
            if score > candidate.score:
                candidate.score, candidate.lang = round(score, 1), label_lang

        exact = set(self._exact.get(folded, ()))
        for index in exact:
            label = self._labels[index]
            offer(label.owner, 100.0 * min(1.0, label.factor + 0.03), label.lang, "exact_name")
        seen: set[int] = set()
        for stem in query_stems:
            seen.update(self._by_stem.get(stem, ()))
        covered: dict[str, set[str]] = defaultdict(set)  # query stems found on any label of a target
        for index in seen:
            label = self._labels[index]
            covered[label.owner] |= query_stems & label.stems
        weight = self._weight(query_stems)
        for index in seen - exact:
            label = self._labels[index]
            precision = self._weight(covered[label.owner]) / weight if weight else 0.0
            recall = self._weight(query_stems & label.stems) / self._weight(label.stems)
            if precision and recall:
                dice = 2 * precision * recall / (precision + recall)
                offer(label.owner, 100.0 * label.factor * dice, label.lang, "shared_words")
        for _label, score, index in process.extract(
            folded, self._folded, scorer=fuzz.ratio, limit=limit * 2, score_cutoff=FUZZY_CUTOFF
        ):
            label = self._labels[index]
            if label.folded != folded:
                offer(label.owner, min(float(score), 99.0) * label.factor, label.lang, "spelling")
        if len(folded.split()) >= SENTENCE_WORDS and (not kinds or "lesson" in kinds):
            ranked = self.ranking.rank(query_stems)
            for lesson in ranked[:limit]:
                if len(lesson.shared) >= 2 and lesson.score >= RANK_MIN_RELATIVE * ranked[0].score:
                    offer(lesson.target, 100.0 * min(1.0, lesson.score / RANK_FULL) * 0.95, lang, "meaning")
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.target.iri))
        return [c for c in ranked if c.score > 0][:limit]

    def _weight(self, stems: set[str] | frozenset[str]) -> float:
        """How informative some stems are together: the sum of their idf over all labels (an unknown
        stem weighs like a rare one, so a query's unmatched words lower its score)."""
        rare = self._rare
        return sum(self._idf.get(s, rare) for s in stems)

    def suggest(self, prefix: str, kinds: set[str] | None, limit: int = 10) -> list[dict]:
        """Entities for a typed prefix (suggest/entity)."""
        self._check_length(prefix)
        folded = " ".join(tokens(prefix))
        results = []
        if folded:
            starts = [
                (0 if label.folded.startswith(folded) else 1, label.folded, label.owner)
                for label in self._labels
                if folded in label.folded and (not kinds or self.targets[label.owner].kind in kinds)
            ]
            seen = set()
            for _, _, owner in sorted(starts):
                if owner not in seen:
                    seen.add(owner)
                    results.append(owner)
            if len(results) < limit:
                for candidate in self.search(prefix, kinds, limit):
                    if candidate.score >= SUGGEST_FUZZY_SCORE and candidate.target.iri not in seen:
                        seen.add(candidate.target.iri)
                        results.append(candidate.target.iri)
        lang = language(prefix, default="en")
        return [self.describe(self.targets[iri], lang=lang) for iri in results[:limit]]

    def describe(
        self,
        target: Target,
        score: float | None = None,
        match: bool | None = None,
        lang: str = "en",
        features: dict[str, float] | None = None,
    ) -> dict:
        kind = next(t for t in TYPES if t["kind"] == target.kind)
        entry: dict = {
            "id": target.iri,
            "name": target.name(lang),
            "type": [{"id": kind["id"], "name": kind["name"]}],
        }
        description = target.description(lang)
        if description:
            entry["description"] = description[:300]
        if score is not None:
            entry["score"] = score
            entry["match"] = bool(match)
            entry["features"] = [{"id": name, "value": value} for name, value in sorted((features or {}).items())]
        return entry

    # --- helpers ------------------------------------------------------------------------------------

    def _check_length(self, text: str) -> None:
        if len(text) > self.max_query_length:
            raise BadQuery(
                f"A query is at most {self.max_query_length} characters long; this one has {len(text)}."
            )

    def _kinds(self, type_: object) -> set[str] | None:
        if type_ in (None, "", []):
            return None
        ids = type_ if isinstance(type_, list) else [type_]
        kinds = set()
        for value in ids:
            if isinstance(value, dict):
                value = value.get("id")
            kind = _kind_of(value)
            if kind is None:
                known = ", ".join(t["id"] for t in TYPES)
                raise BadQuery(f"Unknown type {value!r}; known types: {known}.")
            kinds.add(kind)
        return kinds

    def _agreement(self, target: Target, properties: list[tuple[str, str]]) -> float:
        """The share of the query's properties the candidate agrees with."""
        agree = 0
        for pid, value in properties:
            wanted = " ".join(tokens(value))
            if pid == "type":
                have = {target.kind, *tokens(KIND_NAMES[target.kind][1]), *tokens(KIND_NAMES[target.kind][0])}
            else:
                have = self.values.get(target.iri, {}).get(pid, set())
            if value in have or wanted in have:
                agree += 1
        return agree / len(properties)


def _kind_of(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    if value in TYPE_BY_ID:
        return TYPE_BY_ID[value]["kind"]
    lowered = value.strip().lower()
    for t in TYPES:
        if lowered in (t["kind"], t["name"].lower(), t["id"].rsplit("/", 1)[-1].lower()):
            return t["kind"]
    return None


def _limit(value: object, default: int) -> int:
    if value is None:
        return default
    try:
        limit = int(value)
    except (TypeError, ValueError):
        raise BadQuery(f"'limit' must be a number, not {value!r}.") from None
    return max(1, min(limit, MAX_LIMIT))


def _properties(value: object) -> list[tuple[str, str]]:
    if value in (None, []):
        return []
    if not isinstance(value, list):
        raise BadQuery("'properties' must be a list of {pid, v} objects.")
    out = []
    for item in value[:20]:
        if not isinstance(item, dict):
            raise BadQuery("Each property must be an object with 'pid' and 'v'.")
        pid, v = item.get("pid"), item.get("v")
        if isinstance(v, dict):
            v = v.get("id") or v.get("name")
        if pid not in PROPERTY_IDS:
            raise BadQuery(f"Unknown property {pid!r}; known: {', '.join(sorted(PROPERTY_IDS))}.")
        if isinstance(v, list):
            v = v[0] if v else ""
        if v is None or isinstance(v, (dict, list)):
            continue
        out.append((pid, str(v)))
    return out


def load_values(store) -> dict[str, dict[str, set[str]]]:
    """For each target, the values of the query properties: the IRI, its last segment and its labels,
    folded (so "Meso", "meso" and the level's IRI all agree)."""
    props = " ".join(f"<{p['id']}>" for p in PROPERTIES if p["id"] != "type")
    result = store.query(f"""
        SELECT ?s ?p ?o ?label WHERE {{
          VALUES ?p {{ {props} }}
          ?s ?p ?o .
          OPTIONAL {{ ?o <{RDFS_LABEL}>|<{SKOS_NOTATION}> ?label }}
        }}""")
    values: dict[str, dict[str, set[str]]] = {}
    for row in result.rows:
        have = values.setdefault(str(row["s"]), {}).setdefault(str(row["p"]), set())
        obj = str(row["o"])
        have.update({obj, " ".join(tokens(obj.rsplit("/", 1)[-1]))})
        if row.get("label") is not None:
            have.add(" ".join(tokens(str(row["label"]))))
    return values


def build_reconciler(store, max_query_length: int) -> Reconciler:
    from ..linking.targets import load_targets

    return Reconciler(load_targets(store), load_values(store), max_query_length)


def _query_language(text: str, candidates: list[Candidate]) -> str:
    """The query's language: told from its words, else the language of the label the top candidate
    matched, else the language of that candidate's name the query is closer to ("opschalings canvas" is
    nearer "Opschalingscanvas" than "Scaling canvas")."""
    lang = language(text, default="")
    if lang or not candidates:
        return lang or "en"
    top = candidates[0]
    if top.lang in LANGUAGES:
        return top.lang
    folded = " ".join(tokens(text))
    nl, en = (fuzz.ratio(folded, " ".join(tokens(top.target.name(code)))) for code in ("nl", "en"))
    return "nl" if nl > en else "en"
