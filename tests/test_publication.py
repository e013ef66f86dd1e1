"""The graph holds every lesson of the publication, word for word, and nothing it does not say
unless marked as ours (issue 3, point 5)."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Literal
from rdflib.namespace import RDF

from dsih_kg.config import load_settings
from dsih_kg.iri import IriScheme
from dsih_kg.namespaces import DSIH
from fidelity import EXTRACTION, appears_contiguously, segments, unmatched_words

IRIS = IriScheme(load_settings(environ={}).base_iri)

#: Lessons per level and category, counted in the publication's menus.
EXPECTED_CELLS = {
    ("micro", "missie"): 2, ("micro", "samenwerking-en-cultuur"): 8, ("micro", "instrumenten"): 4,
    ("micro", "inbedding-in-de-organisatie"): 6, ("micro", "meetbaarheid-en-impact"): 1, ("micro", "middelen"): 2,
    ("meso", "missie"): 3, ("meso", "samenwerking-en-cultuur"): 4, ("meso", "instrumenten"): 8,
    ("meso", "inbedding-in-de-organisatie"): 6, ("meso", "meetbaarheid-en-impact"): 2, ("meso", "middelen"): 1,
    ("macro", "missie"): 2, ("macro", "samenwerking-en-cultuur"): 5, ("macro", "instrumenten"): 3,
    ("macro", "inbedding-in-de-organisatie"): 1, ("macro", "meetbaarheid-en-impact"): 2, ("macro", "middelen"): 2,
}


def test_lessons_per_level_and_category_match_the_menus(graph):
    cells = Counter()
    for lesson in graph.subjects(RDF.type, DSIH.Lesson):
        level = str(graph.value(lesson, DSIH.level)).rsplit("/", 1)[-1]
        category = str(graph.value(lesson, DSIH.category)).rsplit("/", 1)[-1]
        cells[(level, category)] += 1
    assert dict(cells) == EXPECTED_CELLS
    assert sum(cells.values()) == 62


def test_orders_within_a_cell_run_from_one_without_gaps(curated):
    by_cell: dict[tuple[str, str], list[int]] = {}
    for lesson in curated.lessons:
        by_cell.setdefault((lesson["level"], lesson["category"]), []).append(lesson["order"])
    for cell, orders in by_cell.items():
        assert sorted(orders) == list(range(1, len(orders) + 1)), cell


def test_every_lesson_has_its_text_or_the_no_text_marker(graph):
    for lesson in graph.subjects(RDF.type, DSIH.Lesson):
        has_text = graph.value(lesson, DSIH.text) is not None
        marked = (lesson, DSIH.noTextInPublication, Literal(True)) in graph
        assert has_text != marked, lesson


def test_the_lessons_without_text_are_the_ones_the_extraction_lacks(curated):
    assert sorted(lesson["slug"] for lesson in curated.lessons if not lesson.get("text")) == [
        "macro-storytelling",
        "meso-pr",
    ]


def _all_repairs(curated):
    return [r for lesson in curated.lessons for r in lesson.get("repairs") or []] + [
        {"printed": "ideeén", "repaired": "ideeën"},
        {"printed": "creéren", "repaired": "creëren"},
        {"printed": "financiéle", "repaired": "financiële"},
    ]


def test_every_title_appears_in_the_publication(curated):
    source = EXTRACTION.read_text(encoding="utf-8")
    missing = [
        lesson["slug"]
        for lesson in curated.lessons
        if not appears_contiguously(lesson["title"], source, _all_repairs(curated))
    ]
    assert missing == []


def test_every_lesson_text_is_the_publications_words_in_order(curated):
    pages = segments()
    failures = {}
    for lesson in curated.lessons:
        if not lesson.get("text"):
            continue
        source = pages[lesson["segment"]]
        missing = unmatched_words(lesson["text"], source, lesson.get("repairs") or [])
        if missing:
            failures[lesson["slug"]] = missing[:5]
    assert failures == {}


def test_bullets_are_part_of_the_text_in_order(curated):
    for lesson in curated.lessons:
        text = lesson.get("text") or ""
        position = 0
        for bullet in lesson.get("bullets") or []:
            first_line = bullet.strip().splitlines()[0]
            found = text.find(first_line, position)
            assert found >= 0, (lesson["slug"], first_line)
            position = found


def test_the_fidelity_check_catches_an_invented_word():
    source = segments()[3]
    assert unmatched_words("Voor het laten slagen van het innovatietraject", source, []) == []
    assert unmatched_words("Voor het laten mislukken van het innovatietraject", source, []) == ["mislukken"]
    assert unmatched_words("van het laten Voor", source, []) != []


def test_recommendations_are_an_ordered_list(graph):
    from rdflib.collection import Collection

    lesson = IRIS.id("lesson", "micro-draagvlak-binnen-de-organisatie")
    items = [str(x) for x in Collection(graph, graph.value(lesson, DSIH.recommendations))]
    assert items[0] == "het vroegtijdig betrekken van medewerkers;"
    assert len(items) == 4


def test_english_text_is_only_in_the_additions_graph(dataset):
    publication = dataset.graph(IRIS.graph("publication"))
    english = [(s, p, o) for s, p, o in publication if isinstance(o, Literal) and o.language == "en"]
    assert english == []
    additions = dataset.graph(IRIS.graph("additions"))
    for lesson in publication.subjects(RDF.type, DSIH.Lesson):
        assert additions.value(lesson, DSIH.summary) is not None, lesson


def test_every_iri_of_ours_that_is_referenced_is_described(graph):
    base = IRIS.base + "/id/"
    subjects = {s for s in graph.subjects() if str(s).startswith(base)}
    referenced = {o for o in graph.objects() if str(o).startswith(base) and not isinstance(o, Literal)}
    assert sorted(referenced - subjects) == []


def test_every_term_of_the_vocabulary_used_is_defined_in_the_ontology(graph):
    vocab = str(DSIH._NS)
    used = {p for p in graph.predicates() if str(p).startswith(vocab)}
    used |= {o for o in graph.objects(None, RDF.type) if str(o).startswith(vocab)}
    undefined = {t for t in used if (t, RDF.type, None) not in graph}
    assert undefined == set()


@pytest.mark.parametrize("slug", ["micro-vertrouwen-als-basis", "meso-vertrouwen-in-missiegedreven-werken"])
def test_trust_lessons_mention_trust(graph, slug):
    text = str(graph.value(IRIS.id("lesson", slug), DSIH.text))
    assert "ertrouwen" in text


def test_alt_labels_by_language_are_tagged_and_a_flat_list_stays_untagged():
    from dsih_kg.publication import alt_labels

    assert alt_labels({"nl": ["samenwerking"], "en": ["collaboration", "cooperation"]}) == [
        ("samenwerking", "nl"), ("collaboration", "en"), ("cooperation", "en"),
    ]
    assert alt_labels(["PPS"]) == [("PPS", None)]
    assert alt_labels(None) == []


def test_alt_labels_in_an_unknown_language_are_refused(tmp_path):
    import shutil

    from dsih_kg.curated import read_curated
    from dsih_kg.errors import UserError

    data = tmp_path / "data"
    shutil.copytree(EXTRACTION.parents[1], data)
    entities = data / "entities.yaml"
    text = entities.read_text(encoding="utf-8")
    extra = "concepts:\n- slug: proef\n  label_nl: proef\n  alt_labels: {de: [Probe]}\n"
    entities.write_text(text.replace("concepts:\n", extra, 1), encoding="utf-8")
    with pytest.raises(UserError, match="alt_labels has 'de'"):
        read_curated(data)
