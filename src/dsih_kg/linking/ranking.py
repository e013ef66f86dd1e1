"""Ranks lessons for a text by meaning: BM25 over each lesson's words.

A lesson's document is its Dutch title and text, its English title and summary, its synonyms and key
phrases from the linking vocabulary, and the labels of the concepts it is annotated with; each part is
stemmed in its own language (linking/text.py). The weights come from `bm25s` (Lucene's BM25); scoring a
text is then a sum of looked-up weights over its distinct stems, so a record costs a few dictionary
lookups, not a pass over the lessons.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import bm25s

from .targets import Target
from .text import LANGUAGES, content_lemmas

#: A stem found in at most this many lessons is "informative": it says which lesson a text is about.
INFORMATIVE_DF = 4
#: A stem in more than this share of the lessons ("innovatie", "samenwerking") is left out of the ranking.
COMMON_SHARE = 0.4
MIN_STEM_LENGTH = 4


@dataclass(frozen=True)
class Ranked:
    """A lesson's BM25 score for a text, and the text's informative stems it shares with the lesson."""

    target: str
    score: float
    shared: tuple[str, ...]


def _stems(text: str, lang: str) -> list[str]:
    return [s for s, _word in content_lemmas(text, lang) if len(s) >= MIN_STEM_LENGTH]


def lesson_document(lesson: Target) -> list[str]:
    """The stems of everything a lesson says or is called, each part in its own language."""
    parts: list[tuple[str, str]] = [(text, lang) for text, lang, _kind in lesson.labels]
    parts += lesson.texts + lesson.concepts
    stems: list[str] = []
    for text, lang in parts:
        for language in (lang,) if lang in LANGUAGES else LANGUAGES:
            stems += _stems(text, language)
    return stems


class LessonRanking:
    """A BM25 index over the lessons, built once; ``rank`` scores a bag of stems against it."""

    def __init__(self, targets: Iterable[Target]):
        lessons = sorted((t for t in targets if t.kind == "lesson"), key=lambda t: t.iri)
        self.lessons = [lesson.iri for lesson in lessons]
        documents = [lesson_document(lesson) for lesson in lessons]
        self.weights: dict[str, list[tuple[int, float]]] = defaultdict(list)
        if not documents:
            return
        vocabulary = sorted({s for doc in documents for s in doc})
        ids = {s: i for i, s in enumerate(vocabulary)}
        retriever = bm25s.BM25()
        retriever.index(bm25s.tokenization.Tokenized(ids=[[ids[s] for s in doc] for doc in documents], vocab=dict(ids)),
                        show_progress=False)
        scores = retriever.scores
        data, indices, indptr = scores["data"], scores["indices"], scores["indptr"]
        common = COMMON_SHARE * len(documents)
        for stem, i in ids.items():
            if indptr[i + 1] - indptr[i] > common:
                continue  # in most lessons: too little weight to tell them apart, and slow to add up
            for k in range(indptr[i], indptr[i + 1]):
                self.weights[stem].append((int(indices[k]), float(data[k])))
        self.weights = dict(self.weights)

    def informative(self, stem: str) -> bool:
        """Whether a stem occurs in few enough lessons to tell them apart."""
        postings = self.weights.get(stem)
        return postings is not None and len(postings) <= INFORMATIVE_DF

    def rank(self, stems: Iterable[str], limit: int | None = None) -> list[Ranked]:
        """Lessons sharing any of the (distinct) stems, best first (the best ``limit`` only, if given)."""
        totals: dict[int, float] = defaultdict(float)
        shared: dict[int, list[str]] = defaultdict(list)
        weights = self.weights
        for stem in set(stems):
            postings = weights.get(stem)
            if postings is None:
                continue
            informative = len(postings) <= INFORMATIVE_DF
            for doc, weight in postings:
                totals[doc] += weight
                if informative:
                    shared[doc].append(stem)
        # lessons are numbered in IRI order, so (-score, number) breaks ties by IRI
        best = [(-score, doc) for doc, score in totals.items()]
        order = heapq.nsmallest(limit, best) if limit is not None else sorted(best)
        return [Ranked(self.lessons[d], round(-s, 3), tuple(sorted(shared[d]))) for s, d in order]
