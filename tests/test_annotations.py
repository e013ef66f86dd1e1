"""Every lesson with text is annotated, with evidence, and marked as ours (issue 12, point 1).

The contract others build on: the direct triples (dsih:helixActor, dsih:arena, dsih:theme, dsih:concept)
on each lesson; a dsih:Annotation per triple holding the lesson's own words as dsih:evidence, attributed to
this project; dsih:noAnnotationFor for a kind the text gives no ground for; all in the additions graph,
described in meta; and a bilingual topic scheme whose every concept has labels and a definition in both
languages and a place in the hierarchy.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

from dsih_kg.annotations import KIND_PROPERTIES, project_agent
from dsih_kg.config import load_settings
from dsih_kg.curated import ANNOTATION_KINDS, read_curated
from dsih_kg.errors import UserError
from dsih_kg.iri import IriScheme
from dsih_kg.namespaces import DSIH
from dsih_kg.validation import validate_graph

SETTINGS = load_settings(environ={})
IRIS = IriScheme(SETTINGS.base_iri)
DATA = Path(SETTINGS.data_dir)
SHAPES = Graph().parse(f"{SETTINGS.ontology_dir}/shapes.ttl")
PROPERTIES = [prop for prop, _type in KIND_PROPERTIES.values()]
VALUE_CLASSES = {
    DSIH.helixActor: DSIH.HelixActorType,
    DSIH.arena: DSIH.TransitionArena,
    DSIH.theme: DSIH.MissionTheme,
    DSIH.concept: DSIH.Concept,
}
TOPICS = IRIS.id("scheme", "concepts")


def _lessons_with_text(graph):
    return sorted(lesson for lesson in graph.subjects(RDF.type, DSIH.Lesson) if graph.value(lesson, DSIH.text))


def _annotations(graph):
    return sorted(graph.subjects(RDF.type, DSIH.Annotation))


def test_the_kinds_and_their_properties_agree():
    assert tuple(KIND_PROPERTIES) == ANNOTATION_KINDS


def test_every_lesson_with_text_has_at_least_one_topic(graph):
    lessons = _lessons_with_text(graph)
    assert len(lessons) == 60
    assert [lesson for lesson in lessons if graph.value(lesson, DSIH.concept) is None] == []


def test_every_kind_is_annotated_or_explicitly_none_for_every_lesson_with_text(graph):
    for lesson in _lessons_with_text(graph):
        for prop in PROPERTIES:
            valued = graph.value(lesson, prop) is not None
            none = (lesson, DSIH.noAnnotationFor, prop) in graph
            assert valued != none, (lesson, prop)


def test_lessons_without_text_carry_no_annotation(graph):
    for lesson in graph.subjects(DSIH.noTextInPublication, Literal(True)):
        assert not any(graph.triples((None, DSIH.annotates, lesson)))
        assert all(graph.value(lesson, prop) is None for prop in PROPERTIES)


def test_every_annotation_quotes_its_own_lesson(graph):
    annotations = _annotations(graph)
    assert len(annotations) > 100
    for a in annotations:
        lesson = graph.value(a, DSIH.annotates)
        quote = graph.value(a, DSIH.evidence)
        assert quote is not None and quote.language == "nl", a
        assert str(quote) in str(graph.value(lesson, DSIH.text)), a


def test_every_annotation_is_its_direct_triple_and_its_value_exists(graph):
    for a in _annotations(graph):
        parts = (DSIH.annotates, DSIH.annotationProperty, DSIH.annotationValue)
        lesson, prop, value = (graph.value(a, p) for p in parts)
        assert prop in VALUE_CLASSES, a
        assert (lesson, prop, value) in graph, a
        assert (value, RDF.type, VALUE_CLASSES[prop]) in graph, value


def test_every_direct_triple_has_its_annotation(graph):
    for prop in PROPERTIES:
        for lesson, value in graph.subject_objects(prop):
            if (lesson, RDF.type, DSIH.Lesson) not in graph:
                continue  # instruments name arenas too (the publication's words)
            found = [
                a for a in graph.subjects(DSIH.annotates, lesson)
                if (a, DSIH.annotationProperty, prop) in graph and (a, DSIH.annotationValue, value) in graph
            ]
            assert len(found) == 1, (lesson, prop, value)


def test_annotations_are_ours_and_live_in_the_additions_graph(dataset):
    publication, additions = dataset.graph(IRIS.graph("publication")), dataset.graph(IRIS.graph("additions"))
    agent = project_agent(IRIS)
    assert (agent, RDF.type, PROV.Agent) in additions
    for a in additions.subjects(RDF.type, DSIH.Annotation):
        assert (a, PROV.wasAttributedTo, agent) in additions and (a, DCTERMS.creator, agent) in additions
        assert additions.value(a, SKOS.editorialNote) is not None
    for prop in (*PROPERTIES, DSIH.noAnnotationFor):
        on_lessons = [(s, o) for s, o in publication.subject_objects(prop) if (s, RDF.type, DSIH.Lesson) in publication]
        assert on_lessons == [], prop
    assert not any(publication.triples((None, RDF.type, DSIH.Annotation)))


def test_the_meta_graph_describes_the_annotations(dataset):
    meta = dataset.graph(IRIS.graph("meta"))
    node = IRIS.id("dataset", "lesson-annotations")
    assert (IRIS.graph("additions"), DCTERMS.hasPart, node) in meta
    assert (node, PROV.wasAttributedTo, project_agent(IRIS)) in meta
    assert {d.language for d in meta.objects(node, DCTERMS.description)} == {"nl", "en"}
    assert "dsih:evidence" in str(meta.value(node, DCTERMS.description))


def test_the_graph_matches_the_curated_annotations(graph, curated):
    expected = {
        (lesson, kind, item["value"])
        for lesson, entry in curated.annotations.items()
        for kind in ANNOTATION_KINDS
        if entry[kind] != "none"
        for item in entry[kind]
    }
    kinds = {prop: kind for kind, (prop, _t) in KIND_PROPERTIES.items()}
    got = {
        (str(graph.value(a, DSIH.annotates)).rsplit("/", 1)[-1], kinds[graph.value(a, DSIH.annotationProperty)],
         str(graph.value(a, DSIH.annotationValue)).rsplit("/", 1)[-1])
        for a in _annotations(graph)
    }
    assert got == expected


# ---------------------------------------------------------------- the topic scheme


def _topics(graph):
    return sorted(graph.subjects(SKOS.inScheme, TOPICS))


def test_every_topic_has_labels_and_a_definition_in_dutch_and_english(graph):
    topics = _topics(graph)
    assert len(topics) >= 40
    for topic in topics:
        assert {label.language for label in graph.objects(topic, SKOS.prefLabel)} >= {"nl", "en"}, topic
        assert {d.language for d in graph.objects(topic, SKOS.definition)} >= {"nl", "en"}, topic
        assert all(alt.language in ("nl", "en") for alt in graph.objects(topic, SKOS.altLabel)), topic


def test_the_publications_own_definitions_stay_its_words(dataset, curated):
    publication = dataset.graph(IRIS.graph("publication"))
    for item in curated.entities["concepts"]:
        if item.get("definition_nl"):
            definition = publication.value(IRIS.id("concept", item["slug"]), DSIH.definition)
            assert definition is not None and definition.language == "nl", item["slug"]


def test_the_hierarchy_leads_every_topic_to_a_few_top_concepts(graph):
    tops = set(graph.subjects(SKOS.topConceptOf, TOPICS))
    assert 3 <= len(tops) <= 10
    for topic in _topics(graph):
        seen, node = set(), topic
        while node not in tops:
            assert node not in seen, f"cycle at {node}"
            seen.add(node)
            node = graph.value(node, SKOS.broader)
            assert node is not None, f"{topic} reaches no top concept"


def test_topics_the_issue_names_are_in_the_scheme(graph):
    labels = {str(label) for topic in _topics(graph) for label in graph.objects(topic, SKOS.prefLabel)
              if label.language == "en"}
    assert {"trust", "co-creation", "scaling up", "funding", "procurement", "interoperability", "data",
            "leadership", "measuring impact", "systems thinking", "experimentation", "knowledge sharing",
            "support", "governance", "communication", "citizen participation"} <= labels


# ---------------------------------------------------------------- the shapes catch what the tests check


def _copy(graph) -> Graph:
    copy = Graph()
    copy += graph
    return copy


def test_shapes_report_a_quote_that_is_not_in_the_lesson(graph):
    broken = _copy(graph)
    a = _annotations(graph)[0]
    broken.set((a, DSIH.evidence, Literal("woorden die de les niet bevat", lang="nl")))
    report = validate_graph(broken, SHAPES)
    assert not report.conforms
    assert any("evidence" in v.message and str(a) in v.focus_node for v in report.violations)


def test_shapes_report_a_lesson_without_topic_or_without_none(graph):
    broken = _copy(graph)
    lesson = IRIS.id("lesson", "micro-ontmoeten")
    broken.remove((lesson, DSIH.concept, None))
    broken.remove((lesson, DSIH.noAnnotationFor, DSIH.theme))
    report = validate_graph(broken, SHAPES)
    messages = [v.message for v in report.violations if str(lesson) in v.focus_node]
    assert any("at least one topic" in m for m in messages)
    assert any("noAnnotationFor" in m for m in messages)


# ---------------------------------------------------------------- the curated file is checked when read


@pytest.fixture()
def data_copy(tmp_path):
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path / "data"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_quote_not_in_the_text_is_refused(data_copy):
    _edit(data_copy / "annotations.yaml", 'quote: "Ontmoetingen zijn onmisbaar voor innovatie"',
          'quote: "Ontmoetingen zijn overbodig"')
    with pytest.raises(UserError, match="quote not in the lesson's text"):
        read_curated(data_copy)


def test_topics_cannot_be_none(data_copy):
    _edit(data_copy / "annotations.yaml", "micro-operationeel-vakmanschap-herwaarderen:\n  helix_actors: none\n"
          "  arenas: none\n  themes: none\n  concepts:\n  - {value: vakmanschap, quote: \"Zorg voor herwaardering "
          "van operationeel vakmanschap\"}",
          "micro-operationeel-vakmanschap-herwaarderen:\n  helix_actors: none\n  arenas: none\n  themes: none\n"
          "  concepts: none")
    with pytest.raises(UserError, match="concepts: expected a list of topics"):
        read_curated(data_copy)


def test_an_unknown_value_is_refused(data_copy):
    _edit(data_copy / "annotations.yaml", "{value: vakmanschap,", "{value: ambacht,")
    with pytest.raises(UserError, match="'ambacht'"):
        read_curated(data_copy)


def test_a_lesson_with_text_left_out_is_refused(data_copy):
    text = (data_copy / "annotations.yaml").read_text(encoding="utf-8")
    start = text.index("micro-ontmoeten:\n")
    end = text.index("\n\n", start) + 2
    (data_copy / "annotations.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(UserError, match="no annotations: micro-ontmoeten"):
        read_curated(data_copy)
