"""Read the curated YAML in data/ and check it is whole before anything turns it into RDF.

A mistake in a data file is a UserError that names the file, the entry and what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import UserError

LEVELS = ("micro", "meso", "macro")
CATEGORIES = (
    "missie",
    "samenwerking-en-cultuur",
    "instrumenten",
    "inbedding-in-de-organisatie",
    "meetbaarheid-en-impact",
    "middelen",
)
#: entities.yaml keys; a lesson names the entities of each kind in the field of the same name.
ENTITY_KEYS = (
    "instruments",
    "works",
    "people",
    "organisations",
    "themes",
    "helix_models",
    "helix_actors",
    "arenas",
    "initiatives",
    "concepts",
    "phases",
    "megatrend_domains",
)

#: The kinds data/annotations.yaml records for every lesson with text (each a list of values or "none").
ANNOTATION_KINDS = ("helix_actors", "arenas", "themes", "concepts")
#: The word that records "looked at; the text gives no ground for any value of this kind".
NONE = "none"
#: languages an ``alt_labels`` mapping may use
ALT_LABEL_LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Curated:
    """Everything in data/, as plain Python data."""

    publication: dict[str, Any]
    levels: list[dict[str, Any]]
    categories: list[dict[str, Any]]
    principles: list[dict[str, Any]]
    lessons: list[dict[str, Any]]
    entities: dict[str, list[dict[str, Any]]]
    crosslinks: list[dict[str, Any]]
    raw_publication: dict[str, Any]
    #: lesson slug -> kind -> list of {value, quote, note?} or "none" (data/annotations.yaml; ours)
    annotations: dict[str, dict[str, Any]]

    def entity_index(self) -> dict[tuple[str, str], dict[str, Any]]:
        return {(key, item["slug"]): item for key, items in self.entities.items() for item in items}


def load_yaml(path: Path) -> Any:
    """Parse one YAML file; a syntax error names the file and line."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise UserError(f"{path}: file not found.") from None
    except yaml.YAMLError as exc:
        raise UserError(f"{path}: not valid YAML: {exc}") from None


def read_curated(data_dir: Path) -> Curated:
    """Load publication.yaml, lessons/*.yaml, entities.yaml and crosslinks.yaml, and check references."""
    data_dir = Path(data_dir)
    pub = load_yaml(data_dir / "publication.yaml") or {}
    lessons: list[dict[str, Any]] = []
    for level in LEVELS:
        path = data_dir / "lessons" / f"{level}.yaml"
        items = load_yaml(path) or []
        if not isinstance(items, list):
            raise UserError(f"{path}: expected a list of lessons.")
        for item in items:
            _require(item, ("slug", "level", "category", "order", "title"), path)
            if item["level"] != level:
                raise UserError(f"{path}: lesson {item['slug']} has level {item['level']!r}, not {level!r}.")
            if item["category"] not in CATEGORIES:
                raise UserError(f"{path}: lesson {item['slug']} has unknown category {item['category']!r}.")
            if not item.get("text") and not item.get("no_text_reason"):
                raise UserError(f"{path}: lesson {item['slug']} has neither text nor no_text_reason.")
        lessons.extend(items)
    entities = load_yaml(data_dir / "entities.yaml") or {}
    crosslinks = load_yaml(data_dir / "crosslinks.yaml") or []
    annotations = load_yaml(data_dir / "annotations.yaml") or {}
    _check_annotations(annotations, lessons, data_dir / "annotations.yaml")
    for lesson in lessons:
        for kind in ANNOTATION_KINDS:
            lesson[kind] = annotation_values(annotations.get(lesson["slug"], {}).get(kind))
    curated = Curated(
        publication=pub.get("publication", {}),
        levels=pub.get("levels", []),
        categories=pub.get("categories", []),
        principles=pub.get("principles", []),
        lessons=lessons,
        entities={key: entities.get(key) or [] for key in ENTITY_KEYS},
        crosslinks=crosslinks,
        raw_publication=pub,
        annotations=annotations,
    )
    _check_references(curated, data_dir)
    return curated


def _require(item: Any, keys: tuple[str, ...], path: Path) -> None:
    if not isinstance(item, dict):
        raise UserError(f"{path}: expected a mapping, got {item!r:.80}.")
    missing = [k for k in keys if item.get(k) in (None, "")]
    if missing:
        raise UserError(f"{path}: entry {item.get('slug', item)!r:.80} lacks {', '.join(missing)}.")


def annotation_values(entry: Any) -> list[str]:
    """The slugs an annotation entry names ([] for "none" or a kind not recorded)."""
    return [] if entry in (None, NONE) else [item["value"] for item in entry]


def _check_annotations(annotations: Any, lessons: list[dict[str, Any]], path: Path) -> None:
    """Every lesson with text is annotated for every kind, each value with a quote from its own text;
    the lesson files no longer carry these fields (one place for them)."""
    if not isinstance(annotations, dict):
        raise UserError(f"{path}: expected a mapping from lesson slug to its annotations.")
    texts = {lesson["slug"]: (lesson.get("text") or "").strip() for lesson in lessons}
    for lesson in lessons:
        doubled = [kind for kind in ANNOTATION_KINDS if kind in lesson]
        if doubled:
            raise UserError(
                f"Lesson {lesson['slug']} gives {', '.join(doubled)} in its lesson file; these belong in {path}."
            )
    for slug, entry in annotations.items():
        if slug not in texts:
            raise UserError(f"{path}: {slug!r} is not a lesson.")
        if not texts[slug]:
            raise UserError(f"{path}: lesson {slug} has no text to annotate.")
        for kind in ANNOTATION_KINDS:
            value = (entry or {}).get(kind)
            if value == NONE and kind != "concepts":
                continue
            if not isinstance(value, list) or not value:
                expected = "a list of topics" if kind == "concepts" else f"a list or {NONE!r}"
                raise UserError(f"{path}: {slug} {kind}: expected {expected}, got {value!r}.")
            for item in value:
                if not isinstance(item, dict) or not item.get("value") or not item.get("quote"):
                    raise UserError(f"{path}: {slug} {kind}: {item!r} needs a value and a quote.")
                if str(item["quote"]) not in texts[slug]:
                    raise UserError(f"{path}: {slug} {kind} {item['value']}: quote not in the lesson's text: "
                                    f"{item['quote']!r}.")
    missing = sorted(slug for slug, text in texts.items() if text and slug not in annotations)
    if missing:
        raise UserError(f"{path}: lessons with text but no annotations: {', '.join(missing)}.")


def _check_alt_labels(item: dict[str, Any], key: str, data_dir: Path) -> None:
    """``alt_labels`` is a list, or a mapping from language (nl, en) to a list."""
    alts = item.get("alt_labels")
    if alts is None or isinstance(alts, list):
        return
    where = f"{data_dir / 'entities.yaml'}: {key} {item['slug']!r}"
    if not isinstance(alts, dict):
        raise UserError(f"{where}: alt_labels must be a list or a mapping {{nl: [...], en: [...]}}.")
    for lang, labels in alts.items():
        if lang not in ALT_LABEL_LANGUAGES or not isinstance(labels, list):
            raise UserError(
                f"{where}: alt_labels has {lang!r}; expected languages {', '.join(ALT_LABEL_LANGUAGES)},"
                " each with a list of labels."
            )


def _check_references(curated: Curated, data_dir: Path) -> None:
    """Every slug a lesson or link names must be defined; every slug defined once."""
    seen: set[tuple[str, str]] = set()
    for key, items in curated.entities.items():
        for item in items:
            _require(item, ("slug",), data_dir / "entities.yaml")
            if (key, item["slug"]) in seen:
                raise UserError(f"{data_dir / 'entities.yaml'}: {key} slug {item['slug']!r} is defined twice.")
            seen.add((key, item["slug"]))
            _check_alt_labels(item, key, data_dir)
    for item in curated.entities["concepts"]:
        if item.get("broader") and ("concepts", item["broader"]) not in seen:
            raise UserError(f"{data_dir / 'entities.yaml'}: concept {item['slug']} has unknown broader "
                            f"{item['broader']!r}.")
    lesson_slugs = [lesson["slug"] for lesson in curated.lessons]
    duplicates = {s for s in lesson_slugs if lesson_slugs.count(s) > 1}
    if duplicates:
        raise UserError(f"Lesson slug(s) defined twice: {', '.join(sorted(duplicates))}.")
    for lesson in curated.lessons:
        for key in ENTITY_KEYS:
            for slug in lesson.get(key) or []:
                if (key, slug) not in seen:
                    raise UserError(
                        f"Lesson {lesson['slug']} names {key} {slug!r}, which entities.yaml does not define."
                    )
    levels_of = {lesson["slug"]: lesson["level"] for lesson in curated.lessons}
    for link in curated.crosslinks:
        ends = link.get("lessons") or []
        if len(ends) != 2 or any(end not in levels_of for end in ends):
            raise UserError(f"{data_dir / 'crosslinks.yaml'}: link {ends} must name two known lessons.")
        if levels_of[ends[0]] == levels_of[ends[1]]:
            raise UserError(f"{data_dir / 'crosslinks.yaml'}: link {ends} joins two lessons on the same level.")
