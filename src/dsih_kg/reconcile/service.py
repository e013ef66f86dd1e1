"""The reconciliation service without Flask: match names against lessons, instruments, themes,
organisations, helix actor types and readiness scales, as the W3C Reconciliation API describes.

Names are compared with diacritics and case removed (rapidfuzz WRatio over every Dutch and English label
and synonym); a property value that agrees with the candidate (a lesson's level or category, an
organisation's kind...) raises the score, one that disagrees lowers it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..errors import UserError
from ..linking.targets import KIND_NAMES, KINDS, Target
from ..linking.text import tokens
from ..namespaces import DSIH

#: Types offered to OpenRefine: id (class IRI), name, kind.
TYPES = [
    {"id": KINDS[kind], "name": KIND_NAMES[kind][1].capitalize(), "kind": kind}
    for kind in ("lesson", "instrument", "theme", "organisation", "helix-actor", "readiness")
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
MATCH_SCORE = 95.0
SUGGEST_FUZZY_SCORE = 80.0
PROPERTY_WEIGHT = 0.2
MAX_LIMIT = 50


class BadQuery(UserError):
    """A reconciliation query that cannot be answered as given (HTTP 400)."""


@dataclass
class Candidate:
    target: Target
    score: float


class Reconciler:
    """An index over the targets' labels; build it once per data generation."""

    def __init__(self, targets: list[Target], values: dict[str, dict[str, set[str]]], max_query_length: int):
        self.targets = {t.iri: t for t in targets}
        self.values = values
        self.max_query_length = max_query_length
        self._labels: list[str] = []
        self._owners: list[str] = []
        for target in targets:
            for text, _lang, _kind in target.labels:
                folded = " ".join(tokens(text))
                if folded:
                    self._labels.append(folded)
                    self._owners.append(target.iri)

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
        candidates = self.search(text, kinds, limit=max(limit * 3, 10))
        if properties:
            for candidate in candidates:
                agreement = self._agreement(candidate.target, properties)
                candidate.score = round(
                    (1 - PROPERTY_WEIGHT) * candidate.score + PROPERTY_WEIGHT * 100 * agreement, 1
                )
            candidates.sort(key=lambda c: (-c.score, c.target.iri))
        candidates = candidates[:limit]
        results = []
        for i, candidate in enumerate(candidates):
            unique = len(candidates) == 1 or candidates[1].score < candidate.score - 5 if i == 0 else False
            results.append(
                self.describe(
                    candidate.target,
                    candidate.score,
                    match=i == 0 and candidate.score >= MATCH_SCORE and unique,
                )
            )
        return results

    def search(self, text: str, kinds: set[str] | None, limit: int) -> list[Candidate]:
        """Targets whose labels resemble ``text``, best first (score 0-100)."""
        folded = " ".join(tokens(text))
        if not folded:
            return []
        best: dict[str, float] = {}
        hits = process.extract(folded, self._labels, scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=50)
        for label, score, index in hits:
            owner = self._owners[index]
            if kinds and self.targets[owner].kind not in kinds:
                continue
            score = 100.0 if label == folded else min(float(score), 99.0)
            if score > best.get(owner, -1):
                best[owner] = score
        if kinds:  # a type filter may leave too few: look at that type's labels alone
            for i, owner in enumerate(self._owners):
                if self.targets[owner].kind in kinds and owner not in best:
                    score = fuzz.WRatio(folded, self._labels[i])
                    if score >= 50:
                        best[owner] = max(best.get(owner, 0), min(float(score), 99.0))
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [Candidate(self.targets[iri], round(score, 1)) for iri, score in ranked]

    def suggest(self, prefix: str, kinds: set[str] | None, limit: int = 10) -> list[dict]:
        """Entities for a typed prefix (suggest/entity)."""
        self._check_length(prefix)
        folded = " ".join(tokens(prefix))
        results = []
        if folded:
            starts = [
                (0 if label.startswith(folded) else 1, label, owner)
                for label, owner in zip(self._labels, self._owners, strict=True)
                if folded in label and (not kinds or self.targets[owner].kind in kinds)
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
        return [self.describe(self.targets[iri]) for iri in results[:limit]]

    def describe(self, target: Target, score: float | None = None, match: bool | None = None) -> dict:
        kind = next(t for t in TYPES if t["kind"] == target.kind)
        entry: dict = {
            "id": target.iri,
            "name": target.name("en"),
            "type": [{"id": kind["id"], "name": kind["name"]}],
        }
        description = target.description("en")
        if description:
            entry["description"] = description[:300]
        if score is not None:
            entry["score"] = score
            entry["match"] = bool(match)
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
