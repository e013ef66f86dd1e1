"""One property per meaning, every term documented, every text for people tagged with its language
(issue 12, point 2, and the pitfalls of its second half).

Every predicate and class in the data (the curated graphs, and an imported and linked file) is defined
in ontology/dsih.ttl or named in the reused-terms table of docs/vocabulary.md; every literal without a
language tag belongs to a property the ontology declares language-neutral, and the docs list them.
TRL, SRL and CRL are readiness scales and never instruments; a link to an instrument says whether the
text names it; dsih:order is the publication's order; the two printed page numbers sit on their pages.
"""

from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

from dsih_kg.iri import IriScheme
from dsih_kg.namespaces import DSIH
from dsih_kg.sparql.prefixes import WELL_KNOWN
from fidelity import EXTRACTION, tokens

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "dsih.ttl"
VOCABULARY_DOC = (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8")
IRIS = IriScheme("https://w3id.org/dsih-kg")
NS = str(DSIH._NS)
MODEL = IRIS.id("instrument", "volwassenheidsmodel-trl-srl-crl")
SCALES = [IRIS.id("instrument", slug) for slug in ("trl", "srl", "crl")]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def expand(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    return URIRef(WELL_KNOWN[prefix] + local)


def reused_terms() -> set[URIRef]:
    table = re.search(r"<!-- reused-terms:start -->\n(.*?)<!-- reused-terms:end -->", VOCABULARY_DOC, re.S)
    assert table, "docs/vocabulary.md lacks the reused-terms table"
    rows = table.group(1).splitlines()[2:]
    return {expand(curie) for row in rows for curie in re.findall(r"`([a-z]+:\w+)`", row.split("|")[1])}


def defined_terms(ontology: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {s for kind in kinds for s in ontology.subjects(RDF.type, kind) if str(s).startswith(NS)}


def language_neutral(ontology: Graph) -> set[URIRef]:
    return set(ontology.subjects(RDF.type, DSIH.LanguageNeutralProperty))


Quad = tuple  # (s, p, o, graph name)


@pytest.fixture(scope="module")
def curated_quads(dataset) -> list[Quad]:
    return [(s, p, o, str(g).rsplit("/", 1)[-1]) for s, p, o, g in dataset.quads()]


@pytest.fixture(scope="module")
def import_quads() -> list[Quad]:
    """The graphs of the synthetic sample, imported and linked as `dsih-kg import --link` does it."""
    from dsih_kg.config import load_settings
    from dsih_kg.linking.run import import_and_link
    from dsih_kg.stores import open_store
    from dsih_kg.stores.base import Store

    settings = load_settings(environ={}, workers=1, imports_dir=tempfile.mkdtemp(prefix="vocab-imports-"))
    store: Store = open_store(settings)
    try:
        import_and_link(ROOT / "data" / "livingin" / "synthetic-sample.csv", settings, store)
        result = store.query(
            "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            'FILTER(CONTAINS(STR(?g), "/graph/import-") || CONTAINS(STR(?g), "/graph/linkset-")) }'
        )
        return [(row["s"], row["p"], row["o"], str(row["g"]).rsplit("/", 1)[-1]) for row in result.rows]
    finally:
        store.close()


def used_terms(quads: list[Quad]) -> dict[URIRef, set[str]]:
    """Every predicate, and every class something is typed with, and the graphs it is used in."""
    used: dict[URIRef, set[str]] = defaultdict(set)
    for _s, p, o, g in quads:
        used[p].add(g)
        if p == RDF.type and isinstance(o, URIRef):
            used[o].add(g)
    return used


def undocumented(quads: list[Quad], ontology: Graph) -> dict[str, set[str]]:
    known = defined_terms(ontology) | reused_terms()
    return {str(term): graphs for term, graphs in used_terms(quads).items() if term not in known}


def untagged_for_people(quads: list[Quad], ontology: Graph) -> dict[str, str]:
    """Plain string literals whose property is not declared language-neutral: property -> an example."""
    neutral = language_neutral(ontology)
    found: dict[str, str] = {}
    for _s, p, o, g in quads:
        plain = isinstance(o, Literal) and o.language is None and o.datatype in (None, XSD.string)
        if plain and p not in neutral:
            found.setdefault(f"{p} [{g}]", str(o)[:60])
    return found


def test_every_term_in_the_curated_graphs_is_defined_or_a_documented_reused_term(curated_quads, ontology):
    assert undocumented(curated_quads, ontology) == {}


def test_every_term_of_an_import_and_its_links_is_defined_or_documented(import_quads, ontology):
    assert len(import_quads) > 300
    assert undocumented(import_quads, ontology) == {}


def test_the_reused_terms_table_names_only_terms_of_other_vocabularies_that_are_used(
    ontology, curated_quads, import_quads
):
    terms = reused_terms()
    assert len(terms) > 80
    assert not [t for t in terms if str(t).startswith(NS)]
    assert terms - set(used_terms(curated_quads + import_quads)) == set()


def test_the_data_uses_no_deprecated_term(curated_quads, import_quads, ontology):
    deprecated = set(ontology.subjects(OWL.deprecated, Literal(True)))
    assert DSIH.creator in deprecated
    assert not deprecated & set(used_terms(curated_quads + import_quads))


def test_every_dsih_term_has_labels_in_dutch_and_english_and_a_definition_in_both(ontology):
    for term in defined_terms(ontology):
        assert {label.language for label in ontology.objects(term, RDFS.label)} >= {"nl", "en"}, term
        definitions = [*ontology.objects(term, SKOS.definition), *ontology.objects(term, RDFS.comment)]
        assert {d.language for d in definitions} >= {"nl", "en"}, term


def test_every_text_for_people_has_a_language_tag_or_a_language_neutral_property(curated_quads, ontology):
    assert untagged_for_people(curated_quads, ontology) == {}


def test_an_import_and_its_links_tag_their_texts_or_use_language_neutral_properties(import_quads, ontology):
    assert untagged_for_people(import_quads, ontology) == {}


def test_the_docs_name_every_language_neutral_property(ontology):
    section = VOCABULARY_DOC.split("## Language tags and language-neutral properties", 1)[1].split("\n## ", 1)[0]
    documented = {expand(c) for c in re.findall(r"`([a-z]+:\w+)`", section)}
    assert language_neutral(ontology) - documented == set()
    assert documented - language_neutral(ontology) <= {DSIH.LanguageNeutralProperty}


@pytest.mark.parametrize(
    "meaning, kept, dropped",
    [
        ("maker", DCTERMS.creator, [DSIH.creator]),
        ("own web address", SDO.url, [FOAF.homepage]),
        ("uses data from", DSIH.usesDataFrom, [PROV.used]),
    ],
)
def test_one_property_per_meaning(curated_quads, meaning, kept, dropped):
    used = used_terms(curated_quads)
    assert kept in used, meaning
    assert not [p for p in dropped if p in used], meaning


def test_works_instruments_and_organisations_use_the_one_property(graph):
    work = IRIS.id("work", "the-water-of-systems-change")
    assert (work, DCTERMS.creator, IRIS.id("person", "john-kania")) in graph
    menu = IRIS.id("instrument", "menukaart-impactvol-innoveren")
    assert (menu, DCTERMS.creator, IRIS.id("initiative", "dsih")) in graph
    assert (IRIS.id("organisation", "vng"), SDO.url, URIRef("https://vng.nl")) in graph
    garden = IRIS.id("instrument", "garden-of-friction")
    assert (garden, DSIH.usesDataFrom, IRIS.id("initiative", "living-in-eu")) in graph


def test_readiness_scales_are_parts_of_the_maturity_model_and_never_instruments(graph):
    for scale in SCALES:
        assert (scale, RDF.type, DSIH.ReadinessScale) in graph
        assert (scale, RDF.type, DSIH.Instrument) not in graph  # not even by inference
        assert (scale, DSIH.partOf, MODEL) in graph
        assert not list(graph.subjects(DSIH.instrument, scale))
    assert (MODEL, RDF.type, DSIH.Instrument) in graph
    assert (DSIH.ReadinessScale, OWL.disjointWith, DSIH.Instrument) in graph


def _names(graph: Graph, node: URIRef) -> list[str]:
    return [str(o).lower() for p in (RDFS.label, SKOS.altLabel) for o in graph.objects(node, p)]


def test_what_a_lesson_names_is_in_its_title_or_text(graph):
    links = [(s, o) for p in (DSIH.namesInstrument, DSIH.readinessScale) for s, o in graph.subject_objects(p)]
    assert len(links) > 30
    for lesson, target in links:
        words = " ".join(str(o).lower() for p in (DCTERMS.title, DSIH.text) for o in graph.objects(lesson, p))
        assert any(name in words for name in _names(graph, target)), (lesson, target)


def test_an_instrument_link_beyond_the_text_is_ours_and_says_why(dataset, graph):
    additions = dataset.graph(IRIS.graph("additions"))
    publication = dataset.graph(IRIS.graph("publication"))
    beyond = [
        (s, o) for s, o in graph.subject_objects(DSIH.instrument) if (s, DSIH.namesInstrument, o) not in graph
    ]
    crl_lesson = IRIS.id("lesson", "meso-verhogen-community-readiness-level-voor-blijvende-impact")
    assert beyond == [(crl_lesson, MODEL)]
    for lesson, instrument in beyond:
        assert (lesson, DSIH.instrument, instrument) in additions
        assert (lesson, DSIH.instrument, instrument) not in publication
        notes = [n for n in additions.objects(lesson, SKOS.editorialNote) if n.language == "en"]
        assert any("CRL" in note for note in notes)
    assert (crl_lesson, DSIH.readinessScale, IRIS.id("instrument", "crl")) in publication


def test_order_is_the_menu_and_the_docs_and_ontology_say_so(curated, ontology):
    """dsih:order and dsih:segment disagree, among lessons with text, in exactly two macro categories."""
    cells: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for lesson in curated.lessons:
        if lesson.get("text"):
            cells[(lesson["level"], lesson["category"])].append(lesson)
    disagree = {
        cell
        for cell, lessons in cells.items()
        if sorted(lessons, key=lambda x: x["order"]) != sorted(lessons, key=lambda x: x["segment"])
    }
    assert disagree == {("macro", "meetbaarheid-en-impact"), ("macro", "middelen")}
    comment = " ".join(str(c) for c in ontology.objects(DSIH.order, RDFS.comment) if c.language == "en")
    assert "the publication's order" in comment and "dsih:segment" in comment
    assert "The publication's order is `dsih:order`" in VOCABULARY_DOC
    assert "Meetbaarheid & impact and Middelen" in VOCABULARY_DOC


def test_each_printed_page_number_is_on_the_page_of_the_lesson_that_follows_it(curated):
    """In the extraction a page's number stands before the page's header ("meso 51 Meso Instrumenten …"),
    menu and text: the first lesson text after the number is the lesson printed on that page."""
    words = tokens(EXTRACTION.read_text(encoding="utf-8"))

    def find(seq: list[str]) -> int | None:
        return next((i for i in range(len(words) - len(seq) + 1) if words[i : i + len(seq)] == seq), None)

    starts = {lesson["slug"]: find(tokens(lesson["text"])[:6]) for lesson in curated.lessons if lesson.get("text")}
    paged = [lesson for lesson in curated.lessons if lesson.get("page") is not None]
    assert {(lesson["slug"], lesson["page"]) for lesson in paged} == {
        ("meso-it-systemen-vanuit-samenwerkingsverband-inrichten", 51),
        ("meso-volwassenheid-van-samenwerkingsverband-bepalen", 57),
    }
    for lesson in paged:
        at = find([lesson["level"], str(lesson["page"]), lesson["level"]])
        assert at is not None, lesson["slug"]
        following = min((i, slug) for slug, i in starts.items() if i is not None and i > at)
        assert following[1] == lesson["slug"]


def test_a_work_without_the_language_of_its_title_is_refused(tmp_path):
    import shutil

    from dsih_kg.curated import read_curated
    from dsih_kg.errors import UserError

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    entities = data / "entities.yaml"
    text = entities.read_text(encoding="utf-8")
    title = "  title: The Water of Systems Change\n"
    entities.write_text(text.replace(title + "  language: en\n", title), encoding="utf-8")
    with pytest.raises(UserError, match="the-water-of-systems-change.*language"):
        read_curated(data)
