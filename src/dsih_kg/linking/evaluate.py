"""Link quality against a labelled set: precision, recall and F1 per kind of target and pooled.

A labelled set (``data/livingin/devset/*-expected.yaml``) says per record id which links a domain expert
would certainly make (*must*), which are acceptable (*may*), or that a record must get no link at all
(*negative*). The links judged are the asserted ones of a linkset, read from the store as ``dsih-kg link``
wrote them (``record dcterms:relation target`` in the linkset graph), so what is measured is what users
get. A predicted link is correct when it is in must or may; recall counts must only; a negative is clean
when it has no link to a lesson, instrument, theme, helix actor type or readiness scale. Links to kinds
the set does not label (an organisation, such as the record's own publisher when the graph knows it) are
listed, neither scored nor held against a negative.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import UserError
from ..namespaces import DSIH
from ..stores.base import Store

#: The kinds of target a labelled set scores, in the order of the table.
KINDS = ("lesson", "instrument", "theme", "helix-actor", "readiness")
#: kind -> class; a target with several classes takes the first kind listed (a readiness scale is also
#: an instrument). Organisations are recognised so that their links can be listed.
CLASSES = {
    "readiness": str(DSIH.ReadinessScale),
    "lesson": str(DSIH.Lesson),
    "instrument": str(DSIH.Instrument),
    "theme": str(DSIH.MissionTheme),
    "helix-actor": str(DSIH.HelixActorType),
    "organisation": str(DSIH.Organisation),
}
FORMAT = "dsih-kg-expected-links/1"
_PREFIXES = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/>
PREFIX void: <http://rdfs.org/ns/void#>
"""

Link = tuple[str, str]  # (kind, slug)


@dataclass(frozen=True)
class Expectation:
    """What a record should link to: must and may as (kind, slug) sets, or negative (nothing at all)."""

    must: frozenset[Link] = frozenset()
    may: frozenset[Link] = frozenset()
    negative: bool = False
    category: str = ""
    lang: str = ""


@dataclass
class Predicted:
    """One asserted link, with the linker's reasons when the linkset gives them."""

    kind: str
    slug: str
    score: str = ""
    rule: str = ""
    words: str = ""

    @property
    def key(self) -> Link:
        return (self.kind, self.slug)

    def describe(self) -> str:
        why = " ".join(part for part in (self.rule, self.score, repr(self.words) if self.words else "") if part)
        return f"{self.kind}/{self.slug}" + (f" [{why}]" if why else "")


@dataclass
class Counts:
    """Predicted and correct links, must links and how many of them were found."""

    predicted: int = 0
    correct: int = 0
    must: int = 0
    found: int = 0

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.found / self.must if self.must else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "predicted": self.predicted,
            "correct": self.correct,
            "must": self.must,
            "found": self.found,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


@dataclass
class RecordResult:
    """Where one record went wrong: links outside must and may, must links not made, unscored links."""

    false_positives: list[Predicted] = field(default_factory=list)
    misses: list[Link] = field(default_factory=list)
    unscored: list[Predicted] = field(default_factory=list)


@dataclass
class Evaluation:
    """The figures of one labelled set against the asserted links."""

    source: str
    per_kind: dict[str, Counts]
    records: dict[str, RecordResult]
    clean_negatives: list[str]
    dirty_negatives: dict[str, list[Predicted]]
    not_imported: list[str]
    labelled: int
    unlabelled_with_links: int = 0

    @property
    def pooled(self) -> Counts:
        total = Counts()
        for counts in self.per_kind.values():
            total.predicted += counts.predicted
            total.correct += counts.correct
            total.must += counts.must
            total.found += counts.found
        return total

    def as_dict(self) -> dict:
        return {
            "expected": self.source,
            "labelled_records": self.labelled,
            "not_imported": self.not_imported,
            "unlabelled_records_with_links": self.unlabelled_with_links,
            "per_kind": {kind: counts.as_dict() for kind, counts in self.per_kind.items()},
            "pooled": self.pooled.as_dict(),
            "negatives": {
                "clean": self.clean_negatives,
                "with_links": {r: [p.describe() for p in links] for r, links in self.dirty_negatives.items()},
            },
            "records": {
                record: {
                    "false_positives": [p.describe() for p in result.false_positives],
                    "misses": [f"{kind}/{slug}" for kind, slug in result.misses],
                    "unscored": [p.describe() for p in result.unscored],
                }
                for record, result in self.records.items()
                if result.false_positives or result.misses or result.unscored
            },
        }

    def table(self) -> str:
        """The figures as text: one row per kind and pooled, the negatives, then the errors per record."""
        lines = [
            f"Link quality against {self.source}: {self.labelled} labelled records"
            + (f", {len(self.not_imported)} not imported" if self.not_imported else ""),
            f"{'kind':<12}{'predicted':>10}{'correct':>9}{'must':>6}{'found':>7}"
            f"{'precision':>11}{'recall':>8}{'F1':>7}",
        ]
        for kind, counts in [*self.per_kind.items(), ("pooled", self.pooled)]:
            lines.append(
                f"{kind:<12}{counts.predicted:>10}{counts.correct:>9}{counts.must:>6}{counts.found:>7}"
                f"{_fmt(counts.precision):>11}{_fmt(counts.recall):>8}{_fmt(counts.f1):>7}"
            )
        unscored = sum(len(result.unscored) for result in self.records.values())
        if unscored:
            lines.append(f"links to kinds not labelled (listed in --format json, not scored): {unscored}")
        negatives = len(self.clean_negatives) + len(self.dirty_negatives)
        lines.append(f"negatives without a link: {len(self.clean_negatives)} of {negatives}")
        for record, links in self.dirty_negatives.items():
            lines.append(f"  {record} has links: " + "; ".join(p.describe() for p in links))
        if self.not_imported:
            lines.append("not imported (their must links count as misses): " + ", ".join(self.not_imported))
        details = [(r, res) for r, res in self.records.items() if res.false_positives or res.misses]
        if details:
            lines.append("per record:")
        for record, result in details:
            for p in result.false_positives:
                lines.append(f"  {record}  false positive  {p.describe()}")
            for kind, slug in result.misses:
                lines.append(f"  {record}  missed          {kind}/{slug}")
        return "\n".join(lines)


def load_expected(path: Path | str) -> dict[str, Expectation]:
    """Read a labelled set; any mistake in it is a :class:`UserError` naming the record and key."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UserError(f"{path.name}: cannot read the labelled set: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("records"), dict):
        raise UserError(f"{path.name}: a labelled set is a mapping with 'records: {{id: ...}}' ({FORMAT}).")
    if data.get("format", FORMAT) != FORMAT:
        raise UserError(f"{path.name}: format {data['format']!r} is not {FORMAT!r}.")
    return {str(record): _expectation(path.name, str(record), entry) for record, entry in data["records"].items()}


def _expectation(source: str, record: str, entry: object) -> Expectation:
    where = f"{source}: record {record}"
    if not isinstance(entry, dict):
        raise UserError(f"{where}: expected a mapping with must/may or negative: true.")
    unknown = set(entry) - {"must", "may", "negative", "category", "lang", "title", "note"}
    if unknown:
        raise UserError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}.")
    parts = {part: _links(where, part, entry.get(part)) for part in ("must", "may")}
    negative = entry.get("negative", False)
    if not isinstance(negative, bool):
        raise UserError(f"{where}: negative must be true or false, not {negative!r}.")
    if negative and (parts["must"] or parts["may"]):
        raise UserError(f"{where}: a negative record has no must or may links.")
    if not negative and not parts["must"] and not parts["may"]:
        raise UserError(f"{where}: give must/may links, or negative: true for a record that gets none.")
    both = parts["must"] & parts["may"]
    if both:
        raise UserError(f"{where}: {', '.join(f'{k}/{s}' for k, s in sorted(both))} is both must and may.")
    return Expectation(
        parts["must"], parts["may"], negative, str(entry.get("category", "")), str(entry.get("lang", ""))
    )


def _links(where: str, part: str, value: object) -> frozenset[Link]:
    if value is None:
        return frozenset()
    if not isinstance(value, dict):
        raise UserError(f"{where}: {part} is a mapping kind -> [slugs], kinds {', '.join(KINDS)}.")
    links = set()
    for kind, slugs in value.items():
        if kind not in KINDS:
            raise UserError(f"{where}: {part} names kind {kind!r}; known kinds: {', '.join(KINDS)}.")
        if not isinstance(slugs, list) or not all(isinstance(s, str) and s for s in slugs):
            raise UserError(f"{where}: {part}.{kind} is a list of slugs.")
        links.update((kind, slug) for slug in slugs)
    return frozenset(links)


def score(
    expected: Mapping[str, Expectation],
    predicted: Mapping[str, Iterable[Predicted]],
    present: Iterable[str],
    *,
    source: str = "the labelled set",
) -> Evaluation:
    """Compare predicted links (record id -> links) with the expectations; ``present`` are the record ids
    that were imported. Pure: no store, so the arithmetic can be tested on toy cases."""
    present = set(present)
    per_kind = {kind: Counts() for kind in KINDS}
    records: dict[str, RecordResult] = {}
    clean: list[str] = []
    dirty: dict[str, list[Predicted]] = {}
    for record in sorted(expected):
        expectation = expected[record]
        links = sorted(predicted.get(record, ()), key=lambda p: p.key)
        result = records[record] = RecordResult()
        scored = {p.key: p for p in links if p.kind in per_kind}
        result.unscored = [p for p in links if p.kind not in per_kind]
        for key, p in scored.items():
            per_kind[key[0]].predicted += 1
            if key in expectation.must or key in expectation.may:
                per_kind[key[0]].correct += 1
            else:
                result.false_positives.append(p)
        for key in sorted(expectation.must):
            per_kind[key[0]].must += 1
            if key in scored:
                per_kind[key[0]].found += 1
            else:
                result.misses.append(key)
        if expectation.negative and record in present:
            if scored:
                dirty[record] = list(scored.values())
            else:
                clean.append(record)
    unlabelled = sum(1 for record, links in predicted.items() if record not in expected and links)
    return Evaluation(
        source=source,
        per_kind=per_kind,
        records=records,
        clean_negatives=clean,
        dirty_negatives=dirty,
        not_imported=sorted(set(expected) - present),
        labelled=len(expected),
        unlabelled_with_links=unlabelled,
    )


def linkset_graphs(store: Store) -> list[str]:
    """The linkset graphs the store holds (each says which import it links from)."""
    rows = store.query(_PREFIXES + "SELECT DISTINCT ?ls WHERE { GRAPH ?ls { ?ls a void:Linkset } }").rows
    return sorted(str(row["ls"]) for row in rows)


def asserted_links(store: Store, linksets: Iterable[str]) -> tuple[dict[str, list[Predicted]], set[str]]:
    """(record id -> its asserted links, ids of every record of the linked imports), read from the store."""
    values = " ".join(f"<{g}>" for g in linksets)
    if not values:
        return {}, set()
    kinds = _target_kinds(store)
    rows = store.query(
        _PREFIXES
        + f"""SELECT ?id ?target ?score ?rule ?words WHERE {{
          VALUES ?ls {{ {values} }}
          GRAPH ?ls {{ ?ls void:subjectsTarget ?import . ?record dcterms:relation ?target .
            OPTIONAL {{ ?link dsih:linkSource ?record ; dsih:linkTarget ?target .
              OPTIONAL {{ ?link dsih:score ?score }} OPTIONAL {{ ?link dsih:rule ?rule }}
              OPTIONAL {{ ?link dsih:matchedWords ?words }} }} }}
          GRAPH ?import {{ ?record dcterms:identifier ?id }}
        }}""",
        timeout=120,
    ).rows
    links: dict[str, dict[str, Predicted]] = {}
    for row in rows:
        target = str(row["target"])
        slug = target.rstrip("/").rsplit("/", 1)[-1]
        text = {k: str(row[k]) if row.get(k) is not None else "" for k in ("score", "rule", "words")}
        links.setdefault(str(row["id"]), {})[target] = Predicted(kinds.get(target, "other"), slug, **text)
    present = store.query(
        _PREFIXES
        + f"""SELECT DISTINCT ?id WHERE {{ VALUES ?ls {{ {values} }}
          GRAPH ?ls {{ ?ls void:subjectsTarget ?import }} GRAPH ?import {{ ?record dcterms:identifier ?id }} }}""",
        timeout=120,
    ).rows
    return {r: list(by_target.values()) for r, by_target in links.items()}, {str(row["id"]) for row in present}


def _target_kinds(store: Store) -> dict[str, str]:
    """target IRI -> kind, the first kind of :data:`CLASSES` whose class it has."""
    values = " ".join(f"<{c}>" for c in CLASSES.values())
    rows = store.query(f"SELECT ?t ?c WHERE {{ VALUES ?c {{ {values} }} ?t a ?c }}", timeout=120).rows
    by_class = {c: k for k, c in CLASSES.items()}
    classes: dict[str, set[str]] = {}
    for row in rows:
        classes.setdefault(str(row["t"]), set()).add(by_class[str(row["c"])])
    order = list(CLASSES)
    return {t: min(ks, key=order.index) for t, ks in classes.items()}


def known_targets(store: Store) -> set[Link]:
    """(kind, slug) of every target in the store, to check a labelled set against."""
    return {(kind, t.rstrip("/").rsplit("/", 1)[-1]) for t, kind in _target_kinds(store).items()}


def evaluate(store: Store, expected_path: Path | str, linksets: Iterable[str] | None = None) -> Evaluation:
    """Evaluate the asserted links of ``linksets`` (default: every linkset in the store) against a labelled
    set; a slug in the set that names no target in the store is an error, not a silent miss."""
    expected = load_expected(expected_path)
    known = known_targets(store)
    for record, expectation in expected.items():
        unknown = sorted((expectation.must | expectation.may) - known)
        if unknown:
            names = ", ".join(f"{kind}/{slug}" for kind, slug in unknown)
            raise UserError(f"{Path(expected_path).name}: record {record} names unknown target(s): {names}.")
    graphs = list(linksets) if linksets is not None else linkset_graphs(store)
    if not graphs:
        raise UserError("There are no linksets to evaluate; run dsih-kg link first.")
    predicted, present = asserted_links(store, graphs)
    return score(expected, predicted, present, source=Path(expected_path).name)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
