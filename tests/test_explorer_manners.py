"""Linked-data manners of the explorer (issue 13, point 9).

The licence is in the footer, in VoID and in every data document; a lesson page shows its IRI and
'cite this' (APA, BibTeX) generated from the data; a language asked for in the URL stays in every link,
with hreflang alternates, a canonical link and a Vary header that names Accept, Accept-Language and
Cookie; /sitemap.xml and /robots.txt exist; every page has a meta description and schema.org JSON-LD;
an unknown /id/… answers 404 at once with "did you mean"; /doc data documents carry CORS, ETag and
Last-Modified and answer 304 to If-None-Match and If-Modified-Since.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF

from dsih_kg.licence import LICENCE
from explorer_support import BASE, EN, INSTRUMENT, MICRO, NL, parse_links, text_of

LESSON = f"{BASE}/id/lesson/{MICRO}"


# ---------------------------------------------------------------- licence


@pytest.mark.parametrize("headers", [NL, EN])
def test_the_footer_states_the_licence_and_what_it_does_not_cover(client, headers):
    html = client.get("/", headers=headers).get_data(as_text=True)
    footer = html[html.index('<footer class="site">') :]
    assert f'rel="license" href="{LICENCE}"' in footer and "CC BY 4.0" in footer
    assert "Apache-2.0" in footer
    assert ("geen licentie" if headers is NL else "states no licence") in text_of(footer)


def test_void_names_the_licence(client):
    graph = Graph().parse(data=client.get("/.well-known/void").get_data(as_text=True), format="turtle")
    dataset = URIRef(f"{BASE}/id/dataset/dsih-kg")
    assert (dataset, DCTERMS.license, URIRef(LICENCE)) in graph
    assert {lit.language for lit in graph.objects(dataset, DCTERMS.rights)} == {"en", "nl"}


@pytest.mark.parametrize("suffix, fmt", [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")])
def test_every_data_document_carries_its_licence(client, suffix, fmt):
    for path in (f"/doc/lesson/{MICRO}.{suffix}", f"/doc/instrument/{INSTRUMENT}.{suffix}"):
        graph = Graph().parse(data=client.get(path).get_data(as_text=True), format=fmt)
        document = URIRef(f"{BASE}{path.rsplit('.', 1)[0]}")
        assert (document, DCTERMS.license, URIRef(LICENCE)) in graph, path
        assert (document, FOAF.primaryTopic, URIRef(f"{BASE}/id/" + path[5:].rsplit(".", 1)[0])) in graph
    other = client.get("/resource", query_string={"iri": f"{BASE}/def/dsih/Lesson", "format": "ttl"})
    assert (None, DCTERMS.license, URIRef(LICENCE)) in Graph().parse(data=other.get_data(as_text=True))


# ---------------------------------------------------------------- IRI, copy, cite this


def test_a_lesson_page_shows_its_iri_with_a_copy_button(client):
    html = client.get(f"/doc/lesson/{MICRO}", headers=EN).get_data(as_text=True)
    assert f'<code id="lesson-iri">{LESSON}</code>' in html
    assert 'data-copy="lesson-iri"' in html


def test_cite_this_is_generated_from_the_data(client, explorer_app):
    html = client.get(f"/doc/lesson/{MICRO}", headers=EN).get_data(as_text=True)
    apa = text_of(html[html.index('id="cite-apa"') - 3 : html.index("</p>", html.index('id="cite-apa"'))])
    assert "(2025). Gezamenlijke missie formuleren. In Dutch Societal Innovation Hub (DSIH) — Geleerde lessen" in apa
    assert "Vereniging van Nederlandse Gemeenten" in apa and apa.endswith(LESSON)
    bibtex = re.search(r'<pre id="cite-bibtex"[^>]*>(.*?)</pre>', html, re.S).group(1)
    assert bibtex.startswith(f"@incollection{{dsih-{MICRO},")
    assert "title = {Gezamenlijke missie formuleren}" in bibtex and "year = {2025}" in bibtex
    assert f"url = {{{LESSON}}}" in bibtex and bibtex.count("{") == bibtex.count("}")
    # another lesson, another title: nothing is fixed in the template
    other = client.get("/doc/lesson/micro-vertrouwen-als-basis", headers=EN).get_data(as_text=True)
    assert "title = {Vertrouwen als basis}" in other


def test_bibtex_escapes_its_special_characters():
    from dsih_kg.explorer.citation import Citation

    c = Citation(["A & B"], "2025", "50% {x}", "Book_1", "P#", "https://example.org/x", "k")
    assert "author = {{A \\& B}}" in c.bibtex() and "title = {50\\% \\{x\\}}" in c.bibtex()
    assert "booktitle = {Book\\_1}" in c.bibtex() and "publisher = {P\\#}" in c.bibtex()


# ---------------------------------------------------------------- language in the URL, hreflang, canonical, Vary


def internal_links(html: str) -> list[str]:
    return [
        href
        for href, _text, _cls in parse_links(html).anchors
        if href.startswith("/") and not href.startswith(("/static/", "/sparql", "/.well-known", "/sitemap", "/lang/"))
        and not href.split("?")[0].endswith((".ttl", ".jsonld", ".nt"))  # data documents have no language
    ]


@pytest.mark.parametrize("path", ["/", f"/doc/lesson/{MICRO}", f"/doc/instrument/{INSTRUMENT}", "/search?q=missie"])
def test_a_language_asked_for_in_the_url_stays_in_every_link(client, path):
    sep = "&" if "?" in path else "?"
    html = client.get(f"{path}{sep}lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    links = internal_links(html)
    assert links and [h for h in links if "lang=en" not in h] == []
    assert 'name="lang" value="en"' in html  # the search form carries it too
    # without lang= in the URL links stay plain (the cookie or Accept-Language decide, as before)
    assert [h for h in internal_links(client.get(path, headers=EN).get_data(as_text=True)) if "lang=" in h] == []


def test_the_language_switch_leads_to_the_same_page_in_the_other_language(client):
    html = client.get(f"/doc/lesson/{MICRO}?lang=en").get_data(as_text=True)
    switch = next(h for h, _t, cls in parse_links(html).anchors if "lang-switch" in (cls or ""))
    response = client.get(switch)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/doc/lesson/{MICRO}?lang=nl"
    assert "lang=nl" in response.headers["Set-Cookie"]


def test_hreflang_alternates_and_a_canonical_link(client):
    links = parse_links(client.get(f"/doc/lesson/{MICRO}?lang=en").get_data(as_text=True)).links
    by_lang = {link["hreflang"]: link["href"] for link in links if "hreflang" in link and link["rel"] == "alternate"}
    assert by_lang == {
        "nl": f"http://localhost/doc/lesson/{MICRO}?lang=nl",
        "en": f"http://localhost/doc/lesson/{MICRO}?lang=en",
        "x-default": f"http://localhost/doc/lesson/{MICRO}",
    }
    canonical = [link["href"] for link in links if link.get("rel") == "canonical"]
    assert canonical == [f"http://localhost/doc/lesson/{MICRO}?lang=en"]


@pytest.mark.parametrize("path", ["/", f"/doc/lesson/{MICRO}", "/search?q=missie", "/lessons"])
def test_vary_names_what_a_page_depends_on(client, path):
    vary = {v.strip() for v in client.get(path).headers["Vary"].split(",")}
    assert {"Accept", "Accept-Language", "Cookie"} <= vary
    json_vary = client.get("/search?q=missie", headers={"Accept": "application/json"}).headers["Vary"]
    assert "Accept-Language" in json_vary


# ---------------------------------------------------------------- sitemap, robots, meta description, JSON-LD


def test_sitemap_lists_every_lesson_with_its_language_alternates(client, explorer_app):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ET.fromstring(response.get_data())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = [u.find("s:loc", ns).text for u in root.findall("s:url", ns)]
    lessons = {loc for loc in locs if "/doc/lesson/" in loc}
    assert len(lessons) == len(explorer_app.extensions["dsih_explorer"].catalogue.get().lessons) == 62
    assert "http://localhost/" in locs and f"http://localhost/doc/instrument/{INSTRUMENT}" in locs
    assert not [loc for loc in locs if "/def/" in loc or "/doc/link/" in loc or "/doc/graph/" in loc]
    first = root.find("s:url", ns)
    assert {a.get("hreflang") for a in first.findall("x:link", ns)} == {"nl", "en"}


def test_robots_txt_points_at_the_sitemap(client):
    text = client.get("/robots.txt").get_data(as_text=True)
    assert "User-agent: *" in text and "Sitemap: http://localhost/sitemap.xml" in text
    assert "Disallow: /sparql" in text and "Disallow: /doc" not in text


def json_ld(html: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    return json.loads(block)


def test_every_page_has_a_meta_description_and_schema_org_json_ld(client):
    html = client.get(f"/doc/lesson/{MICRO}", headers=NL).get_data(as_text=True)
    description = re.search(r'<meta name="description" content="([^"]+)"', html).group(1)
    assert description.startswith("Formuleer") or len(description) > 40
    data = json_ld(html)
    assert data["@context"] == "https://schema.org" and data["license"] == LICENCE
    assert data["mainEntity"]["@id"] == LESSON and data["mainEntity"]["name"] == "Gezamenlijke missie formuleren"
    assert data["mainEntity"]["isPartOf"]["@type"] == "Book"
    home = json_ld(client.get("/", headers=EN).get_data(as_text=True))
    assert home["mainEntity"]["@type"] == "Dataset" and home["mainEntity"]["license"] == LICENCE
    instrument = json_ld(client.get(f"/doc/instrument/{INSTRUMENT}", headers=EN).get_data(as_text=True))
    assert instrument["mainEntity"]["@type"] == "DefinedTerm"


def test_json_ld_cannot_close_its_script_element(client):
    html = client.get("/search", query_string={"q": "</script><script>alert(1)</script>"}).get_data(as_text=True)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block
    assert json_ld(html)["@type"] == "WebPage"


# ---------------------------------------------------------------- unknown /id/…: 404 at once, did you mean


def test_an_unknown_id_answers_404_directly_with_did_you_mean(client):
    response = client.get("/id/lesson/micro-gezamenlijke-missie-formuleern", headers={"Accept": "text/html", **NL})
    assert response.status_code == 404 and "Location" not in response.headers
    html = response.get_data(as_text=True)
    assert "Bedoelde je" in html and f'href="/doc/lesson/{MICRO}"' in html
    as_json = client.get("/id/lesson/micro-gezamenlijke-missie-formuleern", headers={"Accept": "application/json"})
    assert as_json.status_code == 404 and as_json.get_json()["did_you_mean"][0] == f"/doc/lesson/{MICRO}"
    assert client.get(f"/id/lesson/{MICRO}").status_code == 303  # a known thing still redirects to its page
    assert client.get(f"/doc/lesson/{MICRO}x").status_code == 404


# ---------------------------------------------------------------- data documents: CORS, ETag, Last-Modified, 304


@pytest.mark.parametrize("path", [f"/doc/lesson/{MICRO}.ttl", f"/doc/lesson/{MICRO}.jsonld", f"/doc/lesson/{MICRO}"])
def test_data_documents_answer_conditional_requests(client, path):
    first = client.get(path)
    assert first.status_code == 200
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_formats_of_one_document_have_different_etags(client):
    tags = {client.get(f"/doc/lesson/{MICRO}.{s}").headers["ETag"] for s in ("ttl", "jsonld", "nt")}
    assert len(tags) == 3


def test_another_origin_may_revalidate_a_data_document(client):
    preflight = client.options(
        f"/doc/lesson/{MICRO}.ttl",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET",
                 "Access-Control-Request-Headers": "if-none-match"},
    )
    assert preflight.status_code in (200, 204)
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
