"""Word-level comparison of curated text with the publication's extraction, allowing listed repairs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

EXTRACTION = Path(__file__).resolve().parents[1] / "data" / "source" / "publication-extraction.txt"


def segments() -> list[str]:
    """The extraction's pages: a line that starts with a space begins a new one."""
    return re.split(r"\n (?=\S)", EXTRACTION.read_text(encoding="utf-8"))


def tokens(text: str) -> list[str]:
    """Lowercase words, with hyphenation (also across blank lines) and other hyphens removed."""
    text = re.sub(r"-[ \t]*\n\s*", "", text.lower())
    text = text.replace("-", "").replace("’", "'").replace("‘", "'")
    return re.findall(r"\w+", text)


def repair_alternatives(repairs: Iterable[dict]) -> tuple[dict[str, set[str]], list[tuple[list[str], list[str]]]]:
    """Per-word alternatives (repaired word -> printed forms) and multi-word phrase repairs."""
    words: dict[str, set[str]] = {}
    phrases = []
    for repair in repairs:
        printed, repaired = tokens(repair["printed"]), tokens(repair["repaired"])
        if len(printed) == len(repaired):
            for p, r in zip(printed, repaired, strict=True):
                if p != r:
                    words.setdefault(r, set()).add(p)
        else:
            phrases.append((repaired, printed))
    return words, phrases


def unmatched_words(text: str, source: str, repairs: Iterable[dict]) -> list[str]:
    """Words of ``text`` that cannot be found in ``source`` in the same order ([] when all can)."""
    alternatives, phrases = repair_alternatives(repairs)
    wanted = tokens(text)
    for repaired, printed in phrases:
        i = 0
        while i <= len(wanted) - len(repaired):
            if wanted[i : i + len(repaired)] == repaired:
                wanted[i : i + len(repaired)] = printed
                i += len(printed)
            else:
                i += 1
    have = tokens(source)
    missing, position = [], 0
    for word in wanted:
        options = {word} | alternatives.get(word, set())
        found = next((j for j in range(position, len(have)) if have[j] in options), None)
        if found is None:
            missing.append(word)
        else:
            position = found + 1
    return missing


def appears_contiguously(phrase: str, source: str, repairs: Iterable[dict]) -> bool:
    """Whether the phrase's words stand one after another somewhere in ``source`` (repairs allowed)."""
    alternatives, _phrases = repair_alternatives(repairs)
    wanted = [{w} | alternatives.get(w, set()) for w in tokens(phrase)]
    have = tokens(source)
    return any(
        all(have[i + k] in options for k, options in enumerate(wanted)) for i in range(len(have) - len(wanted) + 1)
    )
