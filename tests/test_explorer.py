"""The explorer's pages (issue 5, points 1–3 and 8): home honeycomb, lesson page, resource pages, language.

Contract: every page is real HTML from the built graph; lessons are reached through levels × categories;
a lesson page shows its text with bullets as a list, its place in the publication, its links, the
related lessons on other levels with their reasons, and previous/next; resource pages group statements
by property under human labels, never a raw IRI where a label exists.
"""

from __future__ import annotations

import re

from dsih_kg.curated import CATEGORIES, LEVELS
from explorer_support import EN, INSTRUMENT, MACRO, MESO, MICRO, NL, parse_links, text_of


def test_home_is_a_honeycomb_of_levels_by_categories_with_counts(client):
    page = client.get("/", headers=EN)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    cells = re.findall(
        r'<a class="hex level-(\w+)[^"]*"\s+href="/lessons\?level=(\w+)&amp;category=([\w-]+)"'
        r'.*?<span class="count">(\d+)</span>',
        html,
        re.S,
    )
    assert len(cells) == 18
    assert {(lvl, cat) for _c, lvl, cat, _n in cells} == {(lvl, cat) for lvl in LEVELS for cat in CATEGORIES}
    assert sum(int(n) for *_x, n in cells) == 62
    text = text_of(html)
    assert "Micro level" in text and "Collaboration & culture" in text
    assert (
        "Vereniging van Nederlandse Gemeenten" in text or "Association of Netherlands Municipalities" in text
    )
    assert "Climate adaptation" in text  # a theme
    assert "Dutch Societal Innovation Hub (DSIH) was a European programme" in text  # the introduction


def test_every_cell_leads_to_its_lessons(client):
    html = client.get("/lessons?level=micro&category=missie", headers=EN).get_data(as_text=True)
    links = [href for href, _t, _c in parse_links(html).anchors if href.startswith("/doc/lesson/")]
    assert f"/doc/lesson/{MICRO}" in links
    assert all(href.startswith("/doc/lesson/micro-") for href in links)
    assert client.get("/lessons?level=nano").status_code == 404


def test_lesson_page_shows_text_bullets_place_and_links(client):
    page = client.get(f"/doc/lesson/{MICRO}", headers=NL)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1" in html and "Gezamenlijke missie formuleren</h1>" in html
    # full text, bullets as a list (with the sub-items of the second bullet nested)
    assert re.search(r"<ul class=\"bullets\"><li>Richt als initiatiefnemer", html)
    assert re.search(
        r"<li>Maak als initiatiefnemer een stakeholderanalyse om:<ul><li>de betrokken partijen", html
    )
    text = text_of(html)
    assert "Een innovatie- en verandertraject start met het schetsen van een missie" in text
    assert "les 1 van 2 in Missie" in text  # position in the publication
    anchors = parse_links(html).anchors
    assert (f"/doc/instrument/{INSTRUMENT}", "stakeholderanalyse", "") in anchors or any(
        href == f"/doc/instrument/{INSTRUMENT}" for href, _t, _c in anchors
    )
    assert any(href == "/doc/level/micro" for href, _t, _c in anchors)
    assert any(href == "/doc/category/missie" for href, _t, _c in anchors)


def test_across_levels_panel_shows_meso_and_macro_lessons_with_reasons(client):
    html = client.get(f"/doc/lesson/{MICRO}", headers=NL).get_data(as_text=True)
    panel = html[html.index('class="across"') : html.index("</section>", html.index('class="across"'))]
    hrefs = [href for href, _t, cls in parse_links(panel).anchors if "related-lesson" in cls]
    assert f"/doc/lesson/{MESO}" in hrefs and f"/doc/lesson/{MACRO}" in hrefs
    assert "Een missie formuleren: op microniveau schetst de initiatiefnemer" in text_of(
        panel
    )  # reason, Dutch
    english = client.get(f"/doc/lesson/{MICRO}", headers=EN).get_data(as_text=True)
    assert "Formulating a mission: at micro level the initiator sketches" in text_of(english)


def test_previous_and_next_within_the_category(client):
    html = client.get(f"/doc/lesson/{MICRO}", headers=EN).get_data(as_text=True)
    assert 'rel="next" href="/doc/lesson/micro-draagvlak-binnen-de-organisatie"' in html
    assert 'rel="prev"' not in html  # the first lesson of its cell
    second = client.get("/doc/lesson/micro-draagvlak-binnen-de-organisatie", headers=EN).get_data(
        as_text=True
    )
    assert f'rel="prev" href="/doc/lesson/{MICRO}"' in second


def test_instrument_page_groups_statements_with_human_labels(client):
    page = client.get(f"/doc/instrument/{INSTRUMENT}", headers=EN)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>Stakeholder analysis</h1>" in html
    text = text_of(html)
    assert "Referenced by" in text
    anchors = parse_links(html).anchors
    # the lesson that uses it, by its title; the property by its ontology label
    assert any(
        href == f"/doc/lesson/{MICRO}" and text == "Formulating a joint mission" for href, text, _c in anchors
    )
    assert any(text == "instrument" for _h, text, _c in anchors)


def test_no_raw_iri_where_a_label_exists(client):
    for path in (
        f"/doc/lesson/{MICRO}",
        f"/doc/instrument/{INSTRUMENT}",
        "/doc/level/meso",
        "/",
        "/doc/organisation/vng",
        "/doc/theme/klimaatadaptatie",
    ):
        html = client.get(path, headers=EN).get_data(as_text=True)
        for href, text, cls in parse_links(html).anchors:
            if "external" in cls:
                continue  # web pages outside the graph are shown by their address
            assert not text.startswith(("http://", "https://")), (path, href, text)


def test_every_kind_of_resource_has_a_page(client):
    kinds = [
        "level/micro",
        "category/middelen",
        "organisation/vng",
        "theme/klimaatadaptatie",
        "publication/dsih-geleerde-lessen",
        "graph/publication",
    ]
    for kind in kinds:
        assert client.get(f"/doc/{kind}").status_code == 200, kind
    ontology_term = client.get("/resource?iri=https://w3id.org/dsih-kg/def/dsih/Lesson", headers=EN)
    assert ontology_term.status_code == 200 and "<h1>Lesson</h1>" in ontology_term.get_data(as_text=True)
    assert client.get("/resource?iri=https://w3id.org/dsih-kg/id/level/micro").status_code == 303


def test_language_is_switchable_and_remembered(client):
    switched = client.get(f"/lang/en?next=/doc/lesson/{MICRO}")
    assert switched.status_code == 303 and switched.headers["Location"].endswith(f"/doc/lesson/{MICRO}")
    assert "lang=en" in switched.headers["Set-Cookie"]
    html = client.get(f"/doc/lesson/{MICRO}", headers=NL).get_data(as_text=True)  # the cookie wins
    assert 'lang="en"' in html and "Across levels" in html and "Formulating a joint mission</h1>" in html
    client.get("/lang/nl")
    html = client.get(f"/doc/lesson/{MICRO}").get_data(as_text=True)
    assert "Over de niveaus heen" in html
    assert client.get("/lang/en?next=//evil.example/").headers["Location"].endswith("/")
    assert "evil" not in client.get("/lang/en?next=//evil.example/").headers["Location"]


def test_pages_work_without_javascript(client):
    """Search is a plain form; language a plain link; lists and panels are server-rendered."""
    html = client.get("/", headers=EN).get_data(as_text=True)
    assert '<form class="searchbox" action="/search" method="get"' in html
    assert 'href="/lang/nl?next=' in html
    assert "<noscript>" in client.get("/query").get_data(as_text=True)
    graph = client.get(f"/graph/lesson/{MICRO}", headers=EN).get_data(as_text=True)
    assert f'href="/doc/lesson/{MESO}"' in graph  # the neighbourhood as a list too


def test_open_in_sparql_on_every_page(client):
    for path in (
        "/doc/lesson/" + MICRO,
        f"/doc/instrument/{INSTRUMENT}",
        "/doc/level/macro",
        "/resource?iri=https://w3id.org/dsih-kg/def/dsih/Lesson",
    ):
        html = client.get(path).get_data(as_text=True)
        assert 'href="/query?query=' in html, path
