"""The explorer's plain functions: text blocks, normalisation, negotiation, label fallback, examples."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal

from dsih_kg.explorer import conneg
from dsih_kg.explorer.examples import read_examples
from dsih_kg.explorer.helpers import highlight, linkify, safe_next
from dsih_kg.explorer.labels import pick_language, short_name
from dsih_kg.explorer.lessons import bullet_parts, text_blocks
from dsih_kg.explorer.search import normalise

QUERIES = Path(__file__).resolve().parents[1] / "queries"


def test_text_blocks_make_paragraphs_lists_and_sub_items():
    text = "Intro zin.\n\n• een;\n• twee om:\n– a;\n– b.\n\nSlot."
    blocks = text_blocks(text)
    assert [b.text for b in blocks] == ["Intro zin.", "", "Slot."]
    assert blocks[1].items == [("een;", []), ("twee om:", ["a;", "b."])]
    assert bullet_parts("Maak om:\n– x;\n– y.") == ("Maak om:", ["x;", "y."])


def test_normalise_drops_case_and_diacritics():
    assert normalise("Ideeën  COÖRDINATIE\ncreëren") == "ideeen coordinatie creeren"


def test_negotiate_prefers_quality_then_order():
    assert conneg.negotiate([]) is conneg.HTML
    assert conneg.negotiate([("*/*", 1.0)]) is conneg.HTML
    assert conneg.negotiate([("text/turtle", 1.0), ("text/html", 0.5)]) is conneg.TURTLE
    assert conneg.negotiate([("application/ld+json", 1.0)]) is conneg.JSONLD
    assert conneg.negotiate([("application/pdf", 1.0)]) is None
    assert conneg.split_suffix("x-y.nt") == ("x-y", conneg.NTRIPLES)
    assert conneg.split_suffix("x-y") == ("x-y", None)


def test_label_language_fallback():
    literals = [Literal("Les", lang="nl"), Literal("Lesson", lang="en"), Literal("plain")]
    assert str(pick_language(literals, "en")) == "Lesson"
    assert str(pick_language(literals[:1], "en")) == "Les"
    assert str(pick_language([Literal("plain"), Literal("Lektion", lang="de")], "en")) == "plain"
    assert short_name("https://schema.org/CreativeWork") == "schema:CreativeWork"


def test_linkify_escapes_and_links():
    html = str(linkify('zie https://example.org/a_b (en <b>"x"</b>)'))
    assert '<a class="external" rel="noopener nofollow" href="https://example.org/a_b">' in html
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_safe_next_stays_on_site():
    assert safe_next("/doc/lesson/x?y=1") == "/doc/lesson/x?y=1"
    for bad in ("//evil.example", "https://evil.example", "/\\evil", None, ""):
        assert safe_next(bad) == "/"


def test_every_example_query_is_read_with_its_header():
    examples = read_examples(QUERIES)
    assert len(examples) == len(list(QUERIES.glob("*.rq"))) > 0
    for example in examples:
        assert example.title and not example.title.startswith("#")
        assert (
            "SELECT" in example.query.upper()
            or "ASK" in example.query.upper()
            or "CONSTRUCT" in example.query.upper()
        )


def test_highlight_marks_matches_ignoring_diacritics_and_escapes():
    html = str(highlight("Nieuwe <ideeën> en IDEEEN", "ideeen"))
    assert html == "Nieuwe &lt;<mark>ideeën</mark>&gt; en <mark>IDEEEN</mark>"
