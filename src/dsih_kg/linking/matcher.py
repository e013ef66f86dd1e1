"""The matcher: proposes links from a record to targets, each with a score, the words, field and rule.

Transparent by design: every piece of evidence is (score, rule, the record's words, field), and a
target's score combines its pieces as independent evidence, 1 - (1 - s1)(1 - s2)...; the rules and their
scores are in docs/livingin.md ("How links are scored"). Words are compared as Snowball stems in the
record's language, without diacritics or case (linking/text.py); all-capital acronyms (TRL, PR) only
match as written.

Evidence comes from: phrases (labels, synonyms and the key phrases of the linking vocabulary) found in
the record's text; the record's structured fields (EU mission, declared helix actors, organisation,
readiness levels); a BM25 ranking of the lessons over the whole record (linking/ranking.py); and, for
helix actor types, who the text says takes part. Two rules keep everyday words from linking: a record
that says nothing of societal innovation gets no links at all, and a target whose words are also
everyday words ("PR", "storytelling") needs other words of that domain in the same record.

Speed comes from indexes, never from record x label loops: phrases are indexed by their first stem, the
ranking by stem, and each distinct word is stemmed once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from rapidfuzz import fuzz, process

from .ranking import LessonRanking
from .targets import Target
from .text import LANGUAGES, STOPWORDS, WORD, fold, is_acronym, language, stem, tokens
from .vocabulary import Vocabulary, load_vocabulary

_WORDS = WORD.findall

#: Record fields whose free text is read, with the weight of a phrase found there.
TEXT_FIELDS = {"title": 1.0, "tags": 1.0, "description": 0.9, "domain": 0.9}
#: Kinds whose phrases are searched for in free text.
TEXT_KINDS = ("lesson", "instrument", "theme", "readiness", "helix-actor", "arena")
#: Structured fields -> (kind of target, rule).
FIELD_RULES = {
    "eu_mission": ("theme", "field-mission"),
    "helix_actors": ("helix-actor", "field-helix-actor"),
    "organisation": ("organisation", "field-organisation"),
}
READINESS_FIELDS = ("trl", "srl", "crl")
#: Score of a phrase by what it is: a label, a synonym (altLabel), or a key phrase (hiddenLabel).
PHRASE_SCORES = {"label": 1.0, "altlabel": 0.95, "keyphrase": 0.45}
#: A theme's key phrases name its topic ("cloudbursts", "aardgasvrij"): they weigh more, short or long.
KEYPHRASE_SCORES = {"theme": 0.65}
GENERIC_FACTOR, GENERIC_LENGTH = 0.7, 10  # a short one-word phrase: "toolkit", "meeting", "trust"
FIELD_FUZZY_CUTOFF = 85
#: Typos: a record word of MIN_FUZZY_LENGTH+ letters may stand for a phrase word this alike (rapidfuzz ratio).
FUZZY_CUTOFF, MIN_FUZZY_LENGTH = 90, 5
#: How many texts the matcher remembers having read (it forgets them all when full).
TEXT_CACHE = 50_000
#: Compound heads (helix actors): a one-word actor phrase of MIN_HEAD_LENGTH+ letters at a word's end.
MIN_HEAD_LENGTH, HEAD_KEY = 7, 5
#: The ranking: a lesson is evidence when it shares >= RANK_MIN_SHARED informative stems with the
#: record, scores >= RANK_MIN_RELATIVE of the top lesson; its score is RANK_MAX * min(1, bm25 / RANK_FULL).
RANK_MIN_SHARED, RANK_MIN_RELATIVE, RANK_FULL, RANK_MAX, RANK_TOP = 2, 0.8, 8.0, 0.85, 3
#: Helix actor types named in the text: a mention, and a mention of someone who takes part.
ACTOR_MENTION, ACTOR_TAKES_PART = 0.8, 0.85
#: Kinds whose own labels show that a record speaks of the domain.
DOMAIN_KINDS, DOMAIN_EVIDENCE = ("lesson", "instrument", "theme"), 0.75
ALL_OF_SCORE = 0.9
#: How many domain phrases (other than the target's own words) a context-needing target needs.
CONTEXT_MIN = 1


@dataclass(frozen=True)
class Evidence:
    """One reason for a link: its score, rule, the record's words and the field they stand in."""

    score: float
    rule: str
    words: str
    field: str


@dataclass(frozen=True)
class Proposal:
    """A proposed link from a record to a target."""

    record: str
    target: str
    score: float
    rule: str
    words: str
    field: str
    evidence: tuple[Evidence, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class _Phrase:
    stems: tuple[str, ...]
    target: str
    rule: str
    score: float


#: Where a sentence ends: a key phrase's words must stand in one sentence.
SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")
_MAY_SPLIT = re.compile(r"[.!?;:\n]")


@dataclass
class _Reading:
    """A record as the matcher reads it: what each of its texts says, and its meaningful words."""

    lang: str
    words: dict[str, str]  # stem -> the word as written, for the words that carry meaning
    texts: list[_Text]
    actors: int = 0  # helix actor types named
    cues: list[str] = field(default_factory=list)  # words saying someone takes part
    domain: list[str] = field(default_factory=list)  # words of the domain of societal innovation


class _Text(NamedTuple):
    """One text of a record, read once: the phrases found in it (target, score, rule, words), its
    meaningful words (stem -> word), and the domain and participation phrases it holds."""

    field: str
    hits: tuple[tuple[str, float, str, str], ...]
    words: dict[str, str]
    domain: tuple[str, ...]
    cues: tuple[str, ...]


class Matcher:
    """Built once from the targets (and the vocabulary's rules); ``propose`` is then called per record."""

    def __init__(
        self,
        targets: Iterable[Target],
        *,
        vocabulary: Vocabulary | None = None,
        min_score: float = 0.4,
        max_candidates: int = 5,
        threshold: float = 0.8,
    ):
        self.targets = {t.iri: t for t in targets}
        self.vocabulary = vocabulary or load_vocabulary()
        self.min_score, self.max_candidates, self.threshold = min_score, max_candidates, threshold
        # first stem -> number of words -> stems -> phrases: a window of the record is compared once
        self._phrases: dict[str, dict[int, dict[tuple[str, ...], list[_Phrase]]]] = defaultdict(dict)
        self._loose: dict[str, list[tuple[frozenset[str], _Phrase]]] = defaultdict(list)
        self._heads: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._acronyms: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._field_labels: dict[str, dict[str, str]] = defaultdict(dict)
        self._readiness: dict[str, str] = {}
        self._field_cache: dict[tuple[str, str], tuple[str, float, bool] | None] = {}
        self._domain: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        self._taking_part: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        self._context = {iri for iri in self.targets if _key(iri) in self.vocabulary.context}
        self._equivalents = [tuple(tuple(tokens(w)) for w in group) for group in self.vocabulary.equivalents]
        by_key = {_key(iri): iri for iri in self.targets}
        self._implied = {
            by_key[key]: [by_key[p] for p in parts]
            for key, parts in self.vocabulary.all_of.items()
            if key in by_key and all(p in by_key for p in parts)
        }
        self.ranking = LessonRanking(self.targets.values())
        self._canonical: dict[str, tuple[str, float]] = {}
        self._words: dict[str, dict[str, tuple]] = {}  # language -> word -> what _word says of it
        self._texts: dict[tuple[str, str, str], _Text] = {}
        self._by_length: dict[int, list[str]] = {}
        self._index()
        self._loose_stems = frozenset(s for entries in self._loose.values() for content, _p in entries for s in content)
        self._phrase_stems = frozenset(
            s
            for by_length in self._phrases.values()
            for by_stems in by_length.values()
            for stems in by_stems
            for s in stems
            if len(s) >= MIN_FUZZY_LENGTH
        )

    # --- building the indexes ----------------------------------------------------------------------

    def _index(self) -> None:
        for target in self.targets.values():
            for text, _lang, kind in target.labels:
                if target.kind in TEXT_KINDS:
                    self._index_phrase(target, text, kind)
                for field_name, (field_kind, _rule) in FIELD_RULES.items():
                    if target.kind == field_kind and kind != "keyphrase":
                        self._field_labels[field_name].setdefault(
                            text if is_acronym(text) else " ".join(tokens(text)), target.iri
                        )
                if target.kind == "readiness" and is_acronym(text):
                    self._readiness[text.lower()] = target.iri
        for phrases in self.vocabulary.domain.values():
            for phrase in phrases:
                _index_words(self._domain, phrase)
        for phrase in (*self.vocabulary.participation["nl"], *self.vocabulary.participation["en"]):
            _index_words(self._taking_part, phrase)

    def _index_phrase(self, target: Target, text: str, kind: str) -> None:
        score = KEYPHRASE_SCORES.get(target.kind, PHRASE_SCORES[kind]) if kind == "keyphrase" else PHRASE_SCORES[kind]
        rule = kind
        if is_acronym(text):
            self._acronyms[text.replace("'s", "").replace("’s", "")].append((target.iri, rule))
            return
        folded = tokens(text)
        if target.kind == "helix-actor" and len(folded) == 1 and len(folded[0]) >= MIN_HEAD_LENGTH:
            # Dutch compounds end in their head: "bewonerscooperatie" is a "cooperatie"
            self._heads[folded[0][-HEAD_KEY:]].append((folded[0], target.iri))
        for variant in _variants(text, self._equivalents):
            topical = kind == "keyphrase" and target.kind in KEYPHRASE_SCORES
            generic = len(variant) == 1 and len(text) < GENERIC_LENGTH and not topical
            factor = GENERIC_FACTOR if generic else 1.0
            phrase = _Phrase(variant, target.iri, rule, score * factor)
            content = frozenset(s for s in variant if s not in STOPWORDS)
            if kind == "keyphrase" and len(content) > 1 and target.kind != "helix-actor":
                # a key phrase's words may stand in any order within one sentence
                self._loose[min(content)].append((content, phrase))
            else:
                by_stems = self._phrases[variant[0]].setdefault(len(variant), {})
                by_stems.setdefault(variant, []).append(phrase)

    def canonical(self, stem_: str) -> tuple[str, float]:
        """The phrase stem a record's stem stands for, and how alike they are (100: the same).

        Words of five letters or more that no phrase has are compared with the phrases' stems of a
        length that can reach FUZZY_CUTOFF (rapidfuzz ratio: "forsight" ~ "foresight"); memoised.
        """
        known = self._canonical.get(stem_)
        if known is not None:
            return known
        result = (stem_, 100.0)
        if len(stem_) >= MIN_FUZZY_LENGTH and stem_.isalpha() and stem_ not in self._phrase_stems:
            length = len(stem_)
            choices = self._by_length.get(length)
            if choices is None:
                spread = 2 * 100 / FUZZY_CUTOFF - 1
                choices = [w for w in self._phrase_stems if length / spread <= len(w) <= length * spread]
                self._by_length[length] = choices
            best = process.extractOne(stem_, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if best is not None:
                result = (best[0], float(best[1]))
        self._canonical[stem_] = result
        return result

    # --- reading a record --------------------------------------------------------------------------

    def read(self, fields: dict[str, list[str]]) -> _Reading:
        """The record's texts read in its language (told from its title and description)."""
        sample = " ".join(v for f in ("title", "description") for v in fields.get(f, ()))
        lang = language(sample)
        reading = _Reading(lang, {}, [])
        cache = self._texts
        for field_name in TEXT_FIELDS:
            for text in fields.get(field_name, ()):
                key = (text, field_name, lang)
                read = cache.get(key)
                if read is None:
                    if len(cache) >= TEXT_CACHE:
                        cache.clear()
                    read = cache[key] = self._read_text(text, field_name, lang)
                reading.texts.append(read)
                for stem_, word in read.words.items():
                    reading.words.setdefault(stem_, word)
                reading.domain.extend(d for d in read.domain if d not in reading.domain)
                reading.cues.extend(c for c in read.cues if c not in reading.cues)
        return reading

    def _read_text(self, text: str, field_name: str, lang: str) -> _Text:
        """One text, sentence by sentence: phrases, words, domain and participation phrases. Many
        records share a text (a boilerplate description), so a text is read once (TEXT_CACHE)."""
        known = self._words.setdefault(lang, {})
        weight = TEXT_FIELDS[field_name]
        hits: list[tuple[str, float, str, str]] = []
        words: dict[str, str] = {}
        domain: dict[tuple[str, ...], str] = {}
        cues: dict[tuple[str, ...], str] = {}
        sentences = SENTENCE.split(text) if _MAY_SPLIT.search(text) else (text,)
        for sentence in sentences:
            original = _WORDS(sentence)
            infos = [known.get(w) or self._word(w, lang) for w in original]
            loose = False
            for i, info in enumerate(infos):
                if info[4]:
                    words.setdefault(info[0], original[i])
                if info[3]:
                    self._phrases_at(i, infos, original, weight, hits)
                if info[6]:
                    _phrase_at(i, infos, original, self._domain, domain)
                    _phrase_at(i, infos, original, self._taking_part, cues)
                loose = loose or info[5]
            if loose:
                present = {info[0] for info in infos}
                for s in present:
                    for content, phrase in self._loose.get(s, ()):
                        if content <= present:
                            matched = " ".join(w for w, info in zip(original, infos, strict=True) if info[0] in content)
                            hits.append((phrase.target, phrase.score * weight, phrase.rule, matched))
        return _Text(field_name, tuple(hits), words, tuple(domain.values()), tuple(cues.values()))

    def _word(self, word: str, lang: str) -> tuple:
        """What the matcher needs to know of a word, worked out once per word and language:
        (stem, canonical phrase stem, similarity, may start a phrase, carries meaning, may complete a
        key phrase, may start a domain or participation phrase)."""
        folded = fold(word)
        stem_ = stem(folded, lang)
        canon, similarity = self.canonical(stem_)
        starts = (
            canon in self._phrases
            or word in self._acronyms
            or (len(folded) > MIN_HEAD_LENGTH + 2 and folded[-HEAD_KEY:] in self._heads)
        )
        meaning = len(folded) > 2 and folded not in STOPWORDS and not folded.isdigit()
        info = (
            stem_,
            canon,
            similarity,
            starts,
            meaning,
            stem_ in self._loose_stems,
            stem_ in self._domain or stem_ in self._taking_part,
        )
        self._words.setdefault(lang, {})[word] = info
        return info

    # --- evidence ----------------------------------------------------------------------------------

    def evidence(self, fields: dict[str, list[str]], reading: _Reading | None = None) -> dict[str, list[Evidence]]:
        """Every piece of evidence for every target, before the context rules and thresholds."""
        reading = reading or self.read(fields)
        found: dict[str, list[Evidence]] = defaultdict(list)
        actors: dict[str, list[Evidence]] = defaultdict(list)
        targets = self.targets
        for read in reading.texts:
            for target, score, rule, words in read.hits:
                piece = Evidence(score, rule, words, read.field)
                (actors if targets[target].kind == "helix-actor" else found)[target].append(piece)
        self._fields(fields, found)
        self._ranked(reading, found)
        self._actors(reading, actors, found)
        return found

    def _phrases_at(self, i: int, infos: list, original: list[str], weight: float, hits: list) -> None:
        """The acronyms, compound heads and phrases that start at word ``i``."""
        word = original[i]
        if len(word) > MIN_HEAD_LENGTH + 2:
            self._compound(word, weight, hits)
        for target, rule in self._acronyms.get(word, ()):
            hits.append((target, PHRASE_SCORES[rule] * weight, rule, word))
        for n, by_stems in self._phrases.get(infos[i][1], {}).items():
            if n == 1:
                window = (infos[i],)
                phrases = by_stems.get((infos[i][1],))
            else:
                window = infos[i : i + n]
                phrases = by_stems.get(tuple([info[1] for info in window]))
            if not phrases:
                continue
            similarity = min(info[2] for info in window)
            words = " ".join(original[i : i + n])
            for phrase in phrases:
                rule = phrase.rule if similarity >= 100 else f"fuzzy-{phrase.rule}"
                hits.append((phrase.target, phrase.score * weight * similarity / 100, rule, words))

    def _compound(self, word: str, weight: float, hits: list) -> None:
        """A helix actor named as the head of a compound word ("natuurorganisaties", "buurtvereniging")."""
        folded = fold(word)
        for head, target in self._heads.get(folded[-HEAD_KEY:], ()):
            if len(folded) > len(head) + 2 and folded.endswith(head):
                hits.append((target, PHRASE_SCORES["keyphrase"] * weight, "keyphrase", word))

    def _fields(self, fields: dict[str, list[str]], found: dict) -> None:
        for field_name, (_kind, rule) in FIELD_RULES.items():
            for value in fields.get(field_name, ()):
                hit = self._field_value(field_name, value)
                if hit is not None:
                    target, score, exact = hit
                    found[target].append(Evidence(score, rule if exact else f"fuzzy-{rule}", value, field_name))
        for field_name in READINESS_FIELDS:
            for value in fields.get(field_name, ()):
                target = self._readiness.get(field_name)
                if target:
                    level = "".join(c for c in value if c.isdigit()) or value
                    found[target].append(Evidence(1.0, "field-readiness", f"{field_name.upper()} {level}", field_name))

    def _ranked(self, reading: _Reading, found: dict) -> None:
        """The lessons the whole record is about (BM25), when they share enough informative words."""
        words = reading.words
        ranked = self.ranking.rank(words, limit=RANK_TOP)
        if not ranked:
            return
        top = ranked[0].score
        for r in ranked[:RANK_TOP]:
            if len(r.shared) < RANK_MIN_SHARED or r.score < RANK_MIN_RELATIVE * top:
                continue
            score = RANK_MAX * min(1.0, r.score / RANK_FULL)
            matched = " ".join(sorted({words[s] for s in r.shared}, key=str.lower))
            found[r.target].append(Evidence(round(score, 3), "ranking", matched, "text"))

    def _actors(self, reading: _Reading, actors: dict, found: dict) -> None:
        """Helix actor types the text names; asserted when it says they take part (or names several)."""
        if not actors:
            return
        cues = reading.cues
        reading.actors = len(actors)
        several = len(actors) >= 2
        for target, pieces in actors.items():
            declared = any(p.field != "description" and p.rule == "label" for p in pieces)
            score = ACTOR_TAKES_PART if cues or several or declared else ACTOR_MENTION
            words = "; ".join(dict.fromkeys(p.words for p in pieces))
            if cues:
                words += " (" + "; ".join(cues[:3]) + ")"
            found[target].append(Evidence(score, "text-helix-actor", words, pieces[0].field))

    def _field_value(self, field_name: str, value: str) -> tuple[str, float, bool] | None:
        key = (field_name, value)
        if key in self._field_cache:
            return self._field_cache[key]
        labels = self._field_labels.get(field_name, {})
        folded = " ".join(tokens(value))
        answer = None
        if value in labels:
            answer = (labels[value], 1.0, True)
        elif folded in labels:
            answer = (labels[folded], 1.0, True)
        elif labels and folded:
            choices = [label for label in labels if not is_acronym(label)]
            best = process.extractOne(folded, choices, scorer=fuzz.token_set_ratio, score_cutoff=FIELD_FUZZY_CUTOFF)
            if best is not None:
                answer = (labels[best[0]], float(best[1]) / 100, False)
        self._field_cache[key] = answer
        return answer

    # --- deciding ----------------------------------------------------------------------------------

    def propose(self, record: str, fields: dict[str, list[str]]) -> list[Proposal]:
        """The links worth keeping for one record: every one at or above the threshold, and the best
        ``max_candidates`` below it that reach ``min_score``."""
        proposals = self.score(record, fields, self.min_score)
        proposals = [p for p in proposals if p.score >= self.min_score]
        kept = [p for p in proposals if p.score >= self.threshold]
        below = [p for p in proposals if p.score < self.threshold][: self.max_candidates]
        return kept + below

    def score(self, record: str, fields: dict[str, list[str]], min_score: float = 0.0) -> list[Proposal]:
        """Every target with evidence that can reach ``min_score``, scored and after the domain rules,
        best first."""
        reading = self.read(fields)
        found = self.evidence(fields, reading)
        domain = reading.domain + self._domain_targets(found)
        collaboration = reading.actors >= 3 or (reading.actors >= 2 and reading.cues)
        if not domain and not collaboration:
            return []
        self._all_of(found)
        proposals = []
        for target, pieces in found.items():
            if min_score > 0:
                remaining = 1.0
                for piece in pieces:
                    remaining *= 1.0 - min(piece.score, 1.0)
                if 1.0 - remaining < min_score:  # an upper bound: cannot reach min_score
                    continue
            if target in self._context:
                own = {fold(w) for p in pieces for w in _WORDS(p.words)}
                if len([d for d in domain if not set(tokens(d)) <= own]) < CONTEXT_MIN:
                    continue
            proposals.append(_combine(record, target, pieces))
        proposals.sort(key=lambda p: (-p.score, p.target))
        return proposals

    def _domain_targets(self, found: dict) -> list[str]:
        """The words of a declared mission, or of a lesson, instrument or theme (one that needs no
        context) with evidence of at least DOMAIN_EVIDENCE: they too say the record is about the domain."""
        words = []
        for target, pieces in found.items():
            if target in self._context or self.targets[target].kind not in DOMAIN_KINDS:
                continue
            words += [p.words for p in pieces if p.score >= DOMAIN_EVIDENCE or p.rule.endswith("field-mission")]
        return words

    def _all_of(self, found: dict) -> None:
        """A target the vocabulary says is evidenced by several others together (the maturity model by
        TRL, SRL and CRL) gets ALL_OF_SCORE when the record has evidence for all of them."""
        for target, parts in self._implied.items():
            if all(part in found for part in parts):
                words = "; ".join(found[part][0].words for part in parts)
                found.setdefault(target, []).append(Evidence(ALL_OF_SCORE, "all-of", words, "text"))


def _key(iri: str) -> str:
    """``lesson/micro-ontmoeten`` for ``{base}/id/lesson/micro-ontmoeten``."""
    parts = iri.rsplit("/", 2)
    return f"{parts[-2]}/{parts[-1]}" if len(parts) == 3 else iri


def _variants(text: str, equivalents: list[tuple[tuple[str, ...], ...]] = ()) -> set[tuple[str, ...]]:
    """A phrase's stems in each language (a record is stemmed in its own, so either may be met), also
    with each group of equivalent words of the vocabulary in place of another ("mission-oriented
    innovation" is also "mission-driven innovation")."""
    spellings = {tuple(tokens(text))}
    for group in equivalents:
        for words in list(spellings):
            for member in group:
                at = _find(words, member)
                if at >= 0:
                    spellings.update(words[:at] + other + words[at + len(member) :] for other in group)
    return {tuple(stem(t, lang) for t in words) for words in spellings for lang in LANGUAGES if words}


def _find(words: tuple[str, ...], part: tuple[str, ...]) -> int:
    for i in range(len(words) - len(part) + 1):
        if words[i : i + len(part)] == part:
            return i
    return -1


def _index_words(index: dict[str, list[tuple[str, ...]]], phrase: str) -> None:
    for variant in _variants(phrase):
        index[variant[0]].append(variant)


def _phrase_at(i: int, infos: list, original: list[str], index: dict, found: dict) -> None:
    """The phrases of ``index`` (domain, participation) that start at word ``i``, once each."""
    for phrase in index.get(infos[i][0], ()):
        n = len(phrase)
        if phrase not in found and tuple(x[0] for x in infos[i : i + n]) == phrase:
            found[phrase] = " ".join(original[i : i + n])


def _combine(record: str, target: str, pieces: list[Evidence]) -> Proposal:
    """Independent evidence: the best piece per distinct matched words, combined as 1 - prod(1 - s)."""
    best: dict[str, Evidence] = {}
    for piece in pieces:
        key = piece.words.casefold()
        if key not in best or piece.score > best[key].score:
            best[key] = piece
    kept = sorted(
        (Evidence(round(e.score, 3), e.rule, e.words, e.field) for e in best.values()),
        key=lambda e: (-e.score, e.rule, e.field),
    )
    remaining = 1.0
    for piece in kept:
        remaining *= 1.0 - min(piece.score, 1.0)
    top = kept[0]
    return Proposal(
        record=record,
        target=target,
        score=round(1.0 - remaining, 2),
        rule=top.rule,
        words="; ".join(p.words for p in kept),
        field=top.field,
        evidence=tuple(kept),
    )


__all__ = ["Evidence", "Matcher", "Proposal"]
