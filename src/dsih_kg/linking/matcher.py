"""The matcher: proposes links from a record to targets, each with a score, the words and a rule.

Transparent by design: every link says which of the record's words matched which kind of label by
which rule, and the score is a product of a few documented factors (docs/livingin.md, "How links are
scored"). Words are compared without diacritics or case; words of five letters or more may match a
label word fuzzily (rapidfuzz ratio >= 88); all-capital acronyms (TRL, VNG) only match as written.

Speed comes from indexes, never from record x label loops: label phrases are indexed by their first
word, lesson keywords by word, and each distinct record word or field value is looked up once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .targets import Target
from .text import STOPWORDS, WORD, fold, is_acronym, tokens

_WORDS = WORD.findall

#: Record fields whose free text is searched for labels, with the weight of a match found there.
TEXT_FIELDS = {"title": 1.0, "tags": 1.0, "description": 0.9, "domain": 0.9}
#: Fields whose words count for the lesson keyword overlap.
OVERLAP_FIELDS = ("title", "description", "tags")
#: Kinds whose labels are searched for in free text.
TEXT_KINDS = ("lesson", "instrument", "theme", "readiness")
#: Structured fields -> (kind of target, rule).
FIELD_RULES = {
    "eu_mission": ("theme", "field-mission"),
    "helix_actors": ("helix-actor", "field-helix-actor"),
    "organisation": ("organisation", "field-organisation"),
}
READINESS_FIELDS = ("trl", "srl", "crl")
ALT_FACTOR = 0.95
GENERIC_FACTOR = 0.7
FUZZY_CUTOFF = 88
FIELD_FUZZY_CUTOFF = 85
MIN_FUZZY_LENGTH = 5
OVERLAP_STEP, OVERLAP_MAX, OVERLAP_MIN_WORDS, KEYWORD_MAX_LESSONS = 0.2, 0.7, 2, 3
EXTRA_EVIDENCE_BONUS, MAX_BONUS = 0.05, 0.1


@dataclass(frozen=True)
class Proposal:
    """A proposed link from a record to a target."""

    record: str
    target: str
    score: float
    rule: str
    words: str
    field: str


@dataclass(frozen=True)
class _Phrase:
    tokens: tuple[str, ...]
    target: str
    rule: str
    factor: float


class Matcher:
    """Built once from the targets; ``propose`` is then called for every record."""

    def __init__(
        self,
        targets: Iterable[Target],
        *,
        min_score: float = 0.4,
        max_candidates: int = 5,
        threshold: float = 0.8,
    ):
        self.targets = {t.iri: t for t in targets}
        self.min_score, self.max_candidates, self.threshold = min_score, max_candidates, threshold
        self._phrases: dict[str, list[_Phrase]] = defaultdict(list)
        self._acronyms: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._field_labels: dict[str, dict[str, str]] = defaultdict(dict)
        self._readiness: dict[str, str] = {}
        self._keywords: dict[str, list[str]] = {}
        self._canonical: dict[str, tuple[str, float]] = {}
        self._words: dict[str, tuple[str, str, float, bool, bool]] = {}
        self._by_length: dict[int, list[str]] = {}
        self._field_cache: dict[tuple[str, str], tuple[str, float, bool] | None] = {}
        self._index()

    # --- building the indexes ----------------------------------------------------------------------

    def _index(self) -> None:
        vocabulary: set[str] = set()
        lesson_words: dict[str, set[str]] = {}
        for target in self.targets.values():
            for text, _lang, kind in target.labels:
                if target.kind in TEXT_KINDS:
                    self._index_label(target, text, kind, vocabulary)
                for field, (field_kind, _rule) in FIELD_RULES.items():
                    if target.kind == field_kind:
                        self._field_labels[field].setdefault(
                            text if is_acronym(text) else " ".join(tokens(text)), target.iri
                        )
                if target.kind == "readiness" and is_acronym(text):
                    self._readiness[text.lower()] = target.iri
            if target.kind == "lesson":
                lesson_words[target.iri] = {
                    t
                    for text, *_ in (*target.labels, *target.texts)
                    for t in tokens(text)
                    if len(t) >= 5 and t not in STOPWORDS and not t.isdigit()
                }
        self._vocabulary = sorted(vocabulary)
        self._vocabulary_set = frozenset(vocabulary)
        counts: dict[str, list[str]] = defaultdict(list)
        for lesson, found in lesson_words.items():
            for word in found:
                counts[word].append(lesson)
        self._keywords = {w: ls for w, ls in counts.items() if len(ls) <= KEYWORD_MAX_LESSONS}

    def _index_label(self, target: Target, text: str, kind: str, vocabulary: set[str]) -> None:
        rule = "label" if kind == "label" else "altlabel"
        factor = 1.0 if kind == "label" else ALT_FACTOR
        if is_acronym(text):
            self._acronyms[text.replace("'s", "").replace("’s", "")].append((target.iri, rule))
            return
        toks = tuple(tokens(text))
        if not toks:
            return
        if len(toks) == 1 and len(text) < 10:
            factor *= GENERIC_FACTOR
        self._phrases[toks[0]].append(_Phrase(toks, target.iri, rule, factor))
        vocabulary.update(t for t in toks if len(t) >= MIN_FUZZY_LENGTH)

    # --- matching ----------------------------------------------------------------------------------

    def canonical(self, token: str) -> tuple[str, float]:
        """The label word a record word stands for, and how similar they are (100 = the same word).

        Only words of letters, five or more, are matched fuzzily, and only against label words of a
        length that can reach the cutoff at all (fuzz.ratio >= 88 needs lengths within a factor 1.27).
        """
        known = self._canonical.get(token)
        if known is not None:
            return known
        result = (token, 100.0)
        if len(token) >= MIN_FUZZY_LENGTH and token.isalpha() and token not in self._vocabulary_set:
            choices = self._vocabulary_near(len(token))
            if choices:
                best = process.extractOne(token, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
                if best is not None:
                    result = (best[0], float(best[1]))
        self._canonical[token] = result
        return result

    def _vocabulary_near(self, length: int) -> list[str]:
        choices = self._by_length.get(length)
        if choices is None:
            spread = 2 * 100 / FUZZY_CUTOFF - 1
            choices = [w for w in self._vocabulary if length / spread <= len(w) <= length * spread]
            self._by_length[length] = choices
        return choices

    def _word(self, word: str) -> tuple[str, str, float, bool, bool]:
        """(folded, canonical label word, similarity, starts a label or is an acronym, is a lesson keyword)
        of a record word, computed once per distinct word."""
        folded = fold(word)
        canon, similarity = self.canonical(folded)
        interesting = canon in self._phrases or word in self._acronyms
        known = self._words[word] = (folded, canon, similarity, interesting, folded in self._keywords)
        return known

    def _labels_in(
        self, text: str, field: str, weight: float, found: dict, seen: dict[str, str] | None
    ) -> None:
        """Label phrases and acronyms in one text; its lesson keywords go to ``seen`` (overlap rule)."""
        original = _WORDS(text)
        cache = self._words
        info = [cache.get(w) or self._word(w) for w in original]
        for i, entry in enumerate(info):
            if seen is not None and entry[4]:
                seen.setdefault(entry[0], original[i])
            if entry[3]:
                self._label_at(i, original, info, field, weight, found)

    def _label_at(
        self, i: int, original: list[str], info: list, field: str, weight: float, found: dict
    ) -> None:
        word = original[i]
        for target, rule in self._acronyms.get(word, ()):
            self._add(found, target, weight * (1.0 if rule == "label" else ALT_FACTOR), rule, word, field)
        for phrase in self._phrases.get(info[i][1], ()):
            n = len(phrase.tokens)
            if n > 1 and tuple(e[1] for e in info[i : i + n]) != phrase.tokens:
                continue
            similarity = min(e[2] for e in info[i : i + n])
            rule = phrase.rule if similarity >= 100 else f"fuzzy-{phrase.rule}"
            score = weight * phrase.factor * similarity / 100
            self._add(found, phrase.target, score, rule, " ".join(original[i : i + n]), field)

    def _field_value(self, field: str, value: str) -> tuple[str, float, bool] | None:
        key = (field, value)
        if key in self._field_cache:
            return self._field_cache[key]
        labels = self._field_labels.get(field, {})
        folded = " ".join(tokens(value))
        answer = None
        if value in labels:
            answer = (labels[value], 1.0, True)
        elif folded in labels:
            answer = (labels[folded], 1.0, True)
        elif labels and folded:
            choices = [label for label in labels if not is_acronym(label)]
            best = process.extractOne(
                folded, choices, scorer=fuzz.token_set_ratio, score_cutoff=FIELD_FUZZY_CUTOFF
            )
            if best is not None:
                answer = (labels[best[0]], float(best[1]) / 100, False)
        self._field_cache[key] = answer
        return answer

    def _add(self, found: dict, target: str, score: float, rule: str, matched: str, field: str) -> None:
        evidence = found.setdefault(target, [])
        evidence.append((round(score, 3), rule, matched, field))

    def propose(self, record: str, fields: dict[str, list[str]]) -> list[Proposal]:
        """The links worth keeping for one record: every one at or above the threshold, and the best
        ``max_candidates`` below it that reach ``min_score``."""
        found: dict[str, list] = {}
        seen: dict[str, str] = {}
        for field, weight in TEXT_FIELDS.items():
            for text in fields.get(field, ()):
                self._labels_in(text, field, weight, found, seen if field in OVERLAP_FIELDS else None)
        for field, (_kind, rule) in FIELD_RULES.items():
            for value in fields.get(field, ()):
                hit = self._field_value(field, value)
                if hit is not None:
                    target, score, exact = hit
                    self._add(found, target, score, rule if exact else f"fuzzy-{rule}", value, field)
        for field in READINESS_FIELDS:
            for value in fields.get(field, ()):
                target = self._readiness.get(field)
                if target:
                    level = "".join(c for c in value if c.isdigit()) or value
                    self._add(found, target, 1.0, "field-readiness", f"{field.upper()} {level}", field)
        self._overlap(seen, found)
        proposals = [self._combine(record, target, evidence) for target, evidence in found.items()]
        proposals = [p for p in proposals if p.score >= self.min_score]
        proposals.sort(key=lambda p: (-p.score, p.target))
        kept = [p for p in proposals if p.score >= self.threshold]
        below = [p for p in proposals if p.score < self.threshold][: self.max_candidates]
        return kept + below

    def _overlap(self, seen: dict[str, str], found: dict) -> None:
        """Lesson keywords (words of five letters or more found in at most three lessons) in the record."""
        shared: dict[str, list[str]] = defaultdict(list)
        keywords = self._keywords
        for token, word in seen.items():
            lessons = keywords.get(token)
            if lessons:
                for lesson in lessons:
                    shared[lesson].append(word)
        for lesson, matched in shared.items():
            if len(matched) >= OVERLAP_MIN_WORDS:
                score = min(OVERLAP_MAX, OVERLAP_STEP * len(matched))
                self._add(
                    found, lesson, score, "text-overlap", " ".join(sorted(matched, key=str.lower)), "text"
                )

    def _combine(self, record: str, target: str, evidence: list) -> Proposal:
        evidence.sort(key=lambda e: (-e[0], e[1], e[3]))
        best = evidence[0]
        kinds = {(rule, field) for _, rule, _, field in evidence}
        bonus = min(MAX_BONUS, EXTRA_EVIDENCE_BONUS * (len(kinds) - 1))
        matched = []
        for _, _, text, _ in evidence:
            if text not in matched:
                matched.append(text)
        return Proposal(
            record=record,
            target=target,
            score=round(min(1.0, best[0] + bonus), 2),
            rule=best[1],
            words="; ".join(matched),
            field=best[3],
        )
