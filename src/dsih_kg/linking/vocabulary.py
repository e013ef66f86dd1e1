"""The linking vocabulary (data/linking-vocabulary.yaml): our Dutch and English key phrases for each
target, the words that mark the domain of societal innovation, and the words that say someone takes part.

The build publishes the phrases as ``skos:hiddenLabel`` in the ``additions`` graph (ours), so the linker,
/reconcile and SPARQL users all read the same words; the linker reads them back from the store, and the
rules (domain, participation, which targets need context) from this file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from ..errors import UserError
from ..iri import IriScheme

FILE_NAME = "linking-vocabulary.yaml"
FORMAT = "dsih-kg-linking-vocabulary/1"
#: Kinds of target a vocabulary entry may name (the first segment of its key).
TARGET_TYPES = ("lesson", "instrument", "theme", "helix-actor", "arena")
PHRASE_KEYS = ("strong", "nl", "en")


@dataclass(frozen=True)
class Vocabulary:
    """The file, read and checked: phrases per target key (``lesson/micro-ontmoeten``) and the rules."""

    phrases: dict[str, dict[str, tuple[str, ...]]]
    context: frozenset[str]
    domain: dict[str, tuple[str, ...]] = field(default_factory=dict)
    participation: dict[str, tuple[str, ...]] = field(default_factory=dict)
    all_of: dict[str, tuple[str, ...]] = field(default_factory=dict)
    equivalents: tuple[tuple[str, ...], ...] = ()


def default_path() -> Path:
    """data/linking-vocabulary.yaml of the checkout (next to the curated data)."""
    return Path(__file__).resolve().parents[3] / "data" / FILE_NAME


def vocabulary_for(data_dir: str | Path) -> Vocabulary:
    """The vocabulary of a data directory, or the checkout's when that directory has none."""
    path = Path(data_dir) / FILE_NAME
    return load_vocabulary(path if path.exists() else None)


@lru_cache(maxsize=4)
def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """Read and check the vocabulary; a mistake names the file and the entry."""
    path = Path(path or default_path())
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: the linking vocabulary is missing.") from None
    except yaml.YAMLError as exc:
        raise UserError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise UserError(f"{path}: expected 'format: {FORMAT}'.")
    phrases: dict[str, dict[str, tuple[str, ...]]] = {}
    context = set()
    all_of: dict[str, tuple[str, ...]] = {}
    for key, entry in (raw.get("targets") or {}).items():
        if key.split("/", 1)[0] not in TARGET_TYPES or "/" not in key:
            raise UserError(f"{path}: target {key!r} must be type/slug with a type of {', '.join(TARGET_TYPES)}.")
        if not isinstance(entry, dict) or set(entry) - {*PHRASE_KEYS, "context", "all_of"}:
            raise UserError(f"{path}: target {key!r} may only have {', '.join(PHRASE_KEYS)}, context and all_of.")
        phrases[key] = {k: tuple(str(p) for p in entry.get(k) or ()) for k in PHRASE_KEYS}
        if entry.get("context"):
            context.add(key)
        if entry.get("all_of"):
            all_of[key] = tuple(str(p) for p in entry["all_of"])
    return Vocabulary(
        phrases=phrases,
        context=frozenset(context),
        domain=_by_language(raw, "domain", path),
        participation=_by_language(raw, "participation", path),
        all_of=all_of,
        equivalents=_equivalents(raw, path),
    )


def _equivalents(raw: dict, path: Path) -> tuple[tuple[str, ...], ...]:
    groups = raw.get("equivalents") or []
    if not isinstance(groups, list) or not all(isinstance(g, list) and len(g) >= 2 for g in groups):
        raise UserError(f"{path}: 'equivalents' must be a list of lists of two or more words.")
    return tuple(tuple(str(w) for w in group) for group in groups)


def _by_language(raw: dict, key: str, path: Path) -> dict[str, tuple[str, ...]]:
    section = raw.get(key) or {}
    if not isinstance(section, dict) or set(section) - {"nl", "en"}:
        raise UserError(f"{path}: {key!r} must have 'nl' and 'en' lists.")
    return {lang: tuple(str(p) for p in section.get(lang) or ()) for lang in ("nl", "en")}


def vocabulary_graph(iris: IriScheme, path: Path | None = None) -> Graph:
    """The phrases as triples for the additions graph: a ``strong`` phrase is a synonym
    (``skos:altLabel``, tagged @nl and @en: practitioners use it in both, and every text for people carries
    a language), a key phrase is a ``skos:hiddenLabel`` in its language."""
    vocabulary = load_vocabulary(path)
    g = Graph()
    for key, by_key in vocabulary.phrases.items():
        type_, slug = key.split("/", 1)
        node = URIRef(str(iris.id(type_, slug)))
        for phrase in by_key["strong"]:
            for lang in ("nl", "en"):
                g.add((node, SKOS.altLabel, Literal(phrase, lang=lang)))
        for lang in ("nl", "en"):
            for phrase in by_key[lang]:
                g.add((node, SKOS.hiddenLabel, Literal(phrase, lang=lang)))
    return g
