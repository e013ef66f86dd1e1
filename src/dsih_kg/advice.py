"""Advice for one's own project: a paragraph in Dutch or English -> the most relevant lessons per level
(micro, meso, macro), each with the evidence the linker found for it.

It is the linker's engine read the other way round (linking/matcher.py): the paragraph is scored as a
record would be (phrases, key phrases, the BM25 ranking over the lessons, and the domain rules), and the
lessons with evidence are returned per level, best first, with their words, rules and scores. No Flask
here; the CLI (`dsih-kg advise`) and the web page (/advise) only adapt it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import UserError
from .linking.matcher import Evidence, Matcher
from .linking.targets import Target, load_targets
from .linking.text import language
from .linking.vocabulary import vocabulary_for
from .stores.base import Store

LEVELS = ("micro", "meso", "macro")
MAX_CHARACTERS = 5000
MIN_SCORE = 0.3  # lower than the linker's threshold: advice suggests, a person reads
PER_LEVEL = 3


class EmptyText(UserError):
    """No words to give advice on (HTTP 400, CLI exit 2)."""


class TextTooLong(UserError):
    """More than MAX_CHARACTERS characters (HTTP 413, CLI exit 2)."""


@dataclass(frozen=True)
class AdvisedLesson:
    """One lesson for the paragraph: where to find it, how strongly it fits, and why."""

    iri: str
    title: str
    summary: str
    level: str
    score: float
    evidence: tuple[Evidence, ...]

    def as_dict(self) -> dict:
        return {
            "iri": self.iri,
            "title": self.title,
            "summary": self.summary,
            "level": self.level,
            "score": self.score,
            "evidence": [
                {"score": e.score, "rule": e.rule, "words": e.words, "field": e.field} for e in self.evidence
            ],
        }


@dataclass
class Advice:
    """The lessons per level for one paragraph, and the language it was read in."""

    lang: str
    levels: dict[str, list[AdvisedLesson]] = field(default_factory=dict)
    related: list[tuple[str, str, str, float]] = field(default_factory=list)  # (iri, kind, name, score)

    @property
    def empty(self) -> bool:
        return not any(self.levels.values())

    def as_dict(self) -> dict:
        return {
            "lang": self.lang,
            "levels": {level: [a.as_dict() for a in lessons] for level, lessons in self.levels.items()},
            "related": [{"iri": i, "kind": k, "name": n, "score": s} for i, k, n, s in self.related],
        }


class Advisor:
    """The linker's matcher over the store's targets; build once per data generation."""

    def __init__(self, targets: list[Target], matcher: Matcher | None = None):
        self.matcher = matcher or Matcher(targets, min_score=MIN_SCORE)
        self.targets = self.matcher.targets

    def advise(self, text: str, *, per_level: int = PER_LEVEL, lang: str | None = None) -> Advice:
        """The lessons per level that fit ``text`` best; names and summaries in ``lang`` (default: the
        text's own language)."""
        text = check_text(text)
        lang = lang or language(text)
        advice = Advice(lang=lang, levels={level: [] for level in LEVELS})
        for proposal in self.matcher.score("advice", {"description": [text]}):
            if proposal.score < MIN_SCORE:
                continue
            target = self.targets[proposal.target]
            if target.kind != "lesson":
                if target.kind in ("instrument", "theme"):
                    advice.related.append((target.iri, target.kind, target.name(lang), proposal.score))
                continue
            level = target.level.rsplit("/", 1)[-1]
            lessons = advice.levels.setdefault(level, [])
            if len(lessons) < per_level:
                lessons.append(
                    AdvisedLesson(
                        iri=target.iri,
                        title=target.name(lang),
                        summary=_summary(target, lang),
                        level=level,
                        score=proposal.score,
                        evidence=proposal.evidence,
                    )
                )
        return advice


def check_text(text: object) -> str:
    """The text, stripped, or a UserError a person can act on."""
    if not isinstance(text, str) or not text.strip():
        raise EmptyText("Describe your project or situation in a few sentences (Dutch or English).")
    if len(text) > MAX_CHARACTERS:
        raise TextTooLong(f"A description is at most {MAX_CHARACTERS} characters long; this one has {len(text)}.")
    return text.strip()


def build_advisor(store: Store, data_dir: str) -> Advisor:
    """An advisor over the targets in ``store``, with the vocabulary of ``data_dir``."""
    targets = load_targets(store)
    if not targets:
        raise UserError("The store holds no lessons; is the curated graph loaded?")
    return Advisor(targets, Matcher(targets, vocabulary=vocabulary_for(data_dir), min_score=MIN_SCORE))


def _summary(target: Target, lang: str) -> str:
    """The English summary for English readers, else the start of the Dutch text."""
    wanted = [text for text, text_lang in target.texts if text_lang == lang] or [t for t, _ in target.texts]
    text = min(wanted, key=len) if wanted else ""
    return text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + "…"
