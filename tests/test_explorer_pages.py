"""The explorer as people would want it (issue 13, points 1–5), through the Flask client on the built graph.

Contract: the front door is two sentences and the honeycomb, with ways into the map, search and indexes;
the publication's introduction and partners are on /about with levels, categories, the data model and
the sources. Pages of instruments, helix actor types, arenas, themes, concepts, categories and
organisations open with the lessons that use them, grouped by level; ordered steps keep ``dsih:order``;
curation metadata is folded under "about the source"; web addresses are links; every kind has an index.
/lessons filters by facets in GET parameters with counts that tell the truth. /links shows all 80
cross-level links in three columns and as a plain list, filtered by category and kind, kinds named for
people. The graph's JSON leaves out previous/next unless asked and gives a cross-level edge its reason.
"""

from __future__ import annotations

import re

import pytest
from rdflib import RDF, URIRef

from dsih_kg.curated import LEVELS
from dsih_kg.namespaces import DSIH
from explorer_support import BASE, EN, MESO, MICRO, NL, parse_links, text_of

KINDS = ("instruments", "themes", "helix-actors", "arenas", "concepts", "organisations", "categories")


def html_of(client, path: str, headers=EN) -> str:
    page = client.get(path, headers=headers)
    assert page.status_code == 200, (path, page.status_code)
    return page.get_data(as_text=True)


def lesson_hrefs(html: str) -> list[str]:
    return [href for href, _t, cls in parse_links(html).anchors if href.startswith("/doc/lesson/")]


# ---------------------------------------------------------------- 1. front door and about


def test_front_door_is_two_sentences_then_the_honeycomb(client):
    html = html_of(client, "/")
    main = html[html.index('<main id="main">') :]
    # the title, one lead paragraph, then the honeycomb: no introduction or partner list in between
    h1, grid = main.index("<h1>"), main.index('class="honeycomb"')
    between = main[h1:grid]
    assert between.count("<p") == 1 and "mission-driven innovation" in text_of(between)
    assert "Association of Netherlands Municipalities" not in text_of(html)
    assert len(re.findall(r'<a class="hex level-', html)) == 18
    hrefs = [href for href, _t, _c in parse_links(html).anchors]
    assert "/links" in hrefs and "/about" in hrefs and "/instruments" in hrefs
    assert re.search(r'<form class="searchbox big" action="/search"', html)
    assert "/advise" in hrefs  # the advice form


def test_menu_leads_to_lessons_map_about_and_every_index(client):
    html = html_of(client, "/about", NL)
    anchors = parse_links(html).anchors
    assert ("/lessons", "Lessen", "") in anchors  # "Lessen" no longer goes to /
    menu = {href for href, _t, _c in anchors}
    assert {"/links", "/about", *(f"/{kind}" for kind in KINDS)} <= menu


def test_about_has_the_whole_introduction_partners_levels_categories_model_and_sources(client, curated):
    text = text_of(html_of(client, "/about"))
    english = " ".join(curated.publication["introduction_en"].split())
    assert english in text and english.endswith("the lessons.")  # the whole of it, not cut mid-sentence
    assert "Association of Netherlands Municipalities" in text
    for level in LEVELS:
        assert f"{level.capitalize()} level" in text
    assert "Measurability & impact" in text
    assert "dsih:CrossLevelLink" in text and "extracted" in text and "additions" in text
    dutch = text_of(html_of(client, "/about", NL))
    assert " ".join(curated.publication["introduction"].split()[:12]) in dutch


# ---------------------------------------------------------------- 2. pages that answer


def test_instrument_page_opens_with_its_lessons_grouped_by_level(client, curated):
    html = html_of(client, "/doc/instrument/stakeholderanalyse")
    used = html[html.index('class="used-in"') : html.index("</section>", html.index('class="used-in"'))]
    expected = [lesson for lesson in curated.lessons if "stakeholderanalyse" in (lesson.get("instruments") or [])]
    assert sorted(lesson_hrefs(used)) == sorted(f"/doc/lesson/{lesson['slug']}" for lesson in expected)
    levels_shown = re.findall(r'<div class="used-level level-(\w+)">', used)
    assert levels_shown == [lvl for lvl in LEVELS if any(le["level"] == lvl for le in expected)]
    assert 'class="badge category"' in used
    # it comes before the rest of the description
    assert html.index('class="used-in"') < html.index('id="props-title"')


@pytest.mark.parametrize(
    "path",
    [
        "/doc/helix-actor/overheid",
        "/doc/theme/klimaatadaptatie",
        "/doc/concept/co-creatie",
        "/doc/category/missie",
        "/doc/organisation/tno-vector",
        "/doc/arena/strategische-arena",
    ],
)
def test_every_kind_of_thing_answers_which_lessons_use_it(client, graph, path):
    html = html_of(client, path)
    assert "Used in lessons" in text_of(html)
    thing = URIRef(f"{BASE}/id/{path.removeprefix('/doc/')}")
    lesson_prefix = f"{BASE}/id/lesson/"
    direct = {
        "/doc/lesson/" + str(s).removeprefix(lesson_prefix)
        for s, _p, _o in graph.triples((None, None, thing))
        if (s, RDF.type, DSIH.Lesson) in graph
    }
    assert direct <= set(lesson_hrefs(html))


def test_a_category_page_groups_its_lessons_by_level(client, curated):
    html = html_of(client, "/doc/category/samenwerking-en-cultuur")
    assert re.findall(r'<div class="used-level level-(\w+)">', html) == list(LEVELS)
    count = sum(1 for lesson in curated.lessons if lesson["category"] == "samenwerking-en-cultuur")
    assert f"{count} lessons" in text_of(html)


def test_steps_are_listed_in_their_order_not_by_name(client, curated):
    html = html_of(client, "/doc/instrument/theory-u")
    steps = html[html.index('class="steps"') :]
    shown = re.findall(r'href="/doc/step/([\w-]+)"', steps[: steps.index("</section>")])
    phases = sorted((p for p in curated.entities["phases"] if p["part_of"] == "theory-u"), key=lambda p: p["order"])
    assert shown == [p["slug"] for p in phases]
    assert shown != sorted(shown)  # alphabetical order would differ


def test_curation_metadata_is_folded_under_about_the_source(client):
    html = html_of(client, "/doc/instrument/theory-u")
    folded = html.index('<details class="source">')
    for raw in (str(DSIH.segment), str(DSIH.instrumentKind), "skos/core%23editorialNote"):
        assert raw in html[folded:] and raw not in html[:folded], raw
    assert "About the source" in text_of(html[folded:])
    lesson = html_of(client, f"/doc/lesson/{MICRO}")
    assert "↗" not in lesson


def test_web_addresses_are_links(client, curated):
    trl = next(item for item in curated.entities["instruments"] if item["slug"] == "trl")
    html = html_of(client, "/doc/instrument/trl")
    for url in trl["urls"]:
        assert f'<a class="external" rel="noopener nofollow" href="{url}">' in html


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_an_index_with_lessons_per_level(client, kind):
    html = html_of(client, f"/{kind}")
    assert "<h1>" in html and re.search(r'<li class="entry">', html)


def test_the_instrument_index_counts_lessons_per_level(client, curated):
    html = html_of(client, "/instruments")
    start = html.index('href="/doc/instrument/stakeholderanalyse"')
    entry = html[start : html.index("</li>", start)]
    for level in LEVELS:
        n = sum(
            1
            for lesson in curated.lessons
            if lesson["level"] == level and "stakeholderanalyse" in (lesson.get("instruments") or [])
        )
        if n:
            assert re.search(rf'class="badge level-{level}"[^>]*>.*?{n}</span>', entry), (level, n)


# ---------------------------------------------------------------- 3. facets


def test_lessons_are_filtered_by_facets_in_the_url(client, curated):
    html = html_of(client, "/lessons?level=micro&category=missie")
    expected = [le["slug"] for le in curated.lessons if le["level"] == "micro" and le["category"] == "missie"]
    assert lesson_hrefs(html[html.index('class="lesson-results"') :]) == [f"/doc/lesson/{s}" for s in expected]
    assert f"{len(expected)} of 62 lessons" in text_of(html)


def test_facet_counts_are_what_following_them_gives(client):
    html = html_of(client, "/lessons?level=meso")
    facets = html[html.index('class="facets"') : html.index('class="lesson-results"')]
    links = re.findall(r'<a href="(/lessons\?[^"]+)"[^>]*>.*?</a>\s*<span class="count">(\d+)</span>', facets, re.S)
    assert len(links) > 10
    checked = 0
    for href, count in links:
        href = href.replace("&amp;", "&")
        if href.count("level=") != 1 or "level=meso" not in href:
            continue  # another level is an alternative (OR): its count is its own lessons
        target = html_of(client, href)
        shown = lesson_hrefs(target[target.index('class="lesson-results"') :])
        assert len(shown) == int(count), href  # adding a value: the count is what the list will hold
        checked += 1
    assert checked > 10


def test_every_facet_is_there_and_links_are_plain_get_urls(client):
    html = html_of(client, "/lessons")
    for key in (
        "Level",
        "Category",
        "Linked to level",
        "Instrument",
        "Helix actor type",
        "Transition arena",
        "Theme",
        "Concept",
    ):
        assert f"<h3>{key}</h3>" in html
    assert "<script" not in html[html.index('class="faceted"') :]
    assert 'href="/lessons?instrument=stakeholderanalyse"' in html


def test_linked_to_a_level_means_a_cross_level_link_to_a_lesson_there(client, curated):
    level_of = {le["slug"]: le["level"] for le in curated.lessons}
    expected = set()
    for link in curated.crosslinks:
        a, b = link["lessons"]
        if level_of[b] == "macro":
            expected.add(a)
        if level_of[a] == "macro":
            expected.add(b)
    html = html_of(client, "/lessons?linked=macro")
    shown = {href.rsplit("/", 1)[-1] for href in lesson_hrefs(html[html.index('class="lesson-results"') :])}
    assert shown == expected


def test_each_lesson_has_a_one_line_summary_in_the_readers_language(client, curated):
    micro = next(le for le in curated.lessons if le["slug"] == MICRO)
    english = text_of(html_of(client, "/lessons?level=micro"))
    assert " ".join(micro["summary_en"].split()) in english
    dutch = text_of(html_of(client, "/lessons?level=micro", NL))
    first = " ".join(micro["text"].split())[:60]
    assert first in dutch


def test_unknown_facet_values_are_a_clear_404(client):
    page = client.get("/lessons?instrument=no-such-thing", headers={"Accept": "application/json"})
    assert page.status_code == 404
    assert "no-such-thing" in page.get_json()["error"]
    assert client.get("/lessons?level=nano").status_code == 404


# ---------------------------------------------------------------- 4. the map of links across levels


def test_the_map_shows_every_cross_level_link_in_three_columns_and_a_list(client, curated):
    html = html_of(client, "/links")
    assert re.findall(r'<section class="map-col level-(\w+)"', html) == list(LEVELS)
    items = re.findall(r'<li id="link-([\w-]+)" class="link-item"', html)
    assert len(items) == len(curated.crosslinks) == 80
    assert html.count(">about this link</a>") == 80
    assert "Carries further" in html and "Same idea" in html and "Same instrument" in html
    assert "carries-further</span>" not in html  # kinds by their human names


def test_the_map_filters_by_kind_and_category(client, curated):
    html = html_of(client, "/links?kind=same-instrument")
    assert len(re.findall(r'class="link-item"', html)) == sum(
        1 for link in curated.crosslinks if link["kind"] == "same-instrument"
    )
    category_of = {le["slug"]: le["category"] for le in curated.lessons}
    html = html_of(client, "/links?category=middelen")
    expected = sum(1 for link in curated.crosslinks if "middelen" in {category_of[s] for s in link["lessons"]})
    assert len(re.findall(r'class="link-item"', html)) == expected
    assert client.get("/links?kind=nonsense").status_code == 404


def test_a_link_page_is_titled_by_its_two_lessons_with_its_kind_and_reason(client):
    html = html_of(client, f"/doc/link/{MICRO}--{MESO}")
    title = text_of(re.search(r"<h1 class=\"link-title\">(.*?)</h1>", html, re.S).group(1))
    assert "Formulating a joint mission" in title and "Formulating a shared mission" in title
    assert "Carries further" in text_of(html)
    dutch = text_of(html_of(client, f"/doc/link/{MICRO}--{MESO}", NL))
    assert "Draagt verder" in dutch and "Een missie formuleren" in dutch


def test_the_lesson_page_names_the_kind_and_links_about_this_link(client):
    html = html_of(client, f"/doc/lesson/{MICRO}")
    assert f'href="/doc/link/{MICRO}--{MESO}">about this link</a>' in html
    assert "Carries further" in text_of(html)


# ---------------------------------------------------------------- 5. graph view


def test_graph_json_has_no_previous_next_hairball_unless_asked(client):
    plain = client.get("/graph/level/micro.json", headers=EN).get_json()
    assert not [e for e in plain["edges"] if e["data"]["prop"] in ("dsih:previousLesson", "dsih:nextLesson")]
    lesson = client.get(f"/graph/lesson/{MICRO}.json?order=1", headers=EN).get_json()
    ordered = client.get(f"/graph/lesson/{MICRO}.json", headers=EN).get_json()
    assert any(e["data"]["prop"] in ("dsih:previousLesson", "dsih:nextLesson") for e in lesson["edges"])
    assert not any(e["data"]["prop"] in ("dsih:previousLesson", "dsih:nextLesson") for e in ordered["edges"])


def test_a_cross_level_edge_carries_its_kind_and_reason_and_nodes_can_recentre(client):
    data = client.get(f"/graph/lesson/{MICRO}.json", headers=EN).get_json()
    across = [e["data"] for e in data["edges"] if e["data"]["prop"] == "dsih:relatedAcrossLevels"]
    assert across and all(e["reason"] and e["kind"] and e["link"].startswith("/doc/link/") for e in across)
    assert any(e["kind"] == "Carries further" for e in across)
    for node in data["nodes"]:
        assert node["data"]["graph"].endswith(".json") and node["data"]["page"].startswith("/doc/")
    html = html_of(client, f"/graph/lesson/{MICRO}")
    assert 'data-graph="zoom-in"' in html and 'data-graph="fit"' in html and 'data-graph="edge-labels"' in html
    assert 'class="line-dashed"' in html and 'class="shape-hex"' in html  # the legend
    assert "Carries further" in text_of(html)  # the no-JS list gives the kind and reason too


def test_the_front_door_links_the_advice_form(client):
    html = client.get("/", headers=EN).get_data(as_text=True)
    assert ("/advise", "Advice for your project", "button") in parse_links(html).anchors


class GraphStore:
    """Just enough of the store interface for the Flask-free page functions: SELECT over an rdflib graph."""

    def __init__(self, turtle: str) -> None:
        from rdflib import Graph

        self.graph = Graph().parse(data=turtle, format="turtle")

    def query(self, sparql: str):
        from dsih_kg.stores.base import QueryResult

        result = self.graph.query(sparql)
        names = [str(v) for v in result.vars]
        return QueryResult("select", names, [{n: row[n] for n in names if row[n] is not None} for row in result])


@pytest.mark.skipif(getattr(DSIH, "evidence", None) is None, reason="the annotation vocabulary (issue 12) is not here")
def test_used_in_lessons_shows_the_lessons_own_words_behind_an_annotation():
    from dsih_kg.explorer.lessons import Catalogue, LessonRef
    from dsih_kg.explorer.resources import lessons_using

    store = GraphStore(
        f"""@prefix dsih: <{DSIH}> .
        <{BASE}/id/lesson/micro-x> a dsih:Lesson ; dsih:helixActor <{BASE}/id/helix-actor/overheid> .
        <{BASE}/id/lesson/meso-y> a dsih:Lesson ; dsih:helixActor <{BASE}/id/helix-actor/overheid> .
        <{BASE}/id/annotation/a1> a dsih:Annotation ; dsih:annotates <{BASE}/id/lesson/micro-x> ;
            dsih:annotationProperty dsih:helixActor ; dsih:annotationValue <{BASE}/id/helix-actor/overheid> ;
            dsih:evidence "de gemeente en de provincie"@nl .
        """
    )
    levels = [f"{BASE}/id/level/micro", f"{BASE}/id/level/meso"]
    category = f"{BASE}/id/category/missie"
    catalogue = Catalogue(
        levels=levels,
        categories=[category],
        lessons=[
            LessonRef(f"{BASE}/id/lesson/micro-x", levels[0], category, 1),
            LessonRef(f"{BASE}/id/lesson/meso-y", levels[1], category, 1),
        ],
    )
    grouped = lessons_using(store, catalogue, f"{BASE}/id/helix-actor/overheid")
    assert [level for level, _uses in grouped] == levels
    (micro,), (meso,) = grouped[0][1], grouped[1][1]
    assert [str(q) for q in micro.evidence] == ["de gemeente en de provincie"] and meso.evidence == []


def test_a_lesson_page_shows_the_readiness_scales_it_names(client):
    """TRL, SRL and CRL are readiness scales, not instruments: the lesson page lists them in their own group."""
    html = client.get("/doc/lesson/meso-verhogen-community-readiness-level-voor-blijvende-impact", headers=EN)
    text = html.get_data(as_text=True)
    assert "Readiness scales" in text and "/doc/instrument/crl" in text
