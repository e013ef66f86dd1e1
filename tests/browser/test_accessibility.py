"""Accessibility and manners in a real Chromium (issue 13, points 7-9), against the service on 127.0.0.1.

- axe-core (from the npm registry, built into static/vendor by `make frontend`, read here from that local
  file) finds no serious or critical violation on any kind of page, in Dutch and in English: home, a lesson,
  every kind of resource of ours, an ontology term, the lessons list, search, the query page, the graph
  view, the error page, and every overview page the sitemap lists (about, indexes, … once they exist);
- keyboard focus is visible everywhere, the honeycomb too; the current menu item has aria-current;
- the search box is an ARIA 1.2 combobox whose suggestions are announced and chosen with the keys;
- the IRI's copy button copies the IRI; 'cite this' shows APA and BibTeX;
- on a 390-px phone no page widens beyond the screen, the query results scroll inside their box, and a
  chosen example query runs at once; the print stylesheet drops the chrome.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

VENDOR = Path(__file__).resolve().parents[2] / "src" / "dsih_kg" / "explorer" / "static" / "vendor"
BASE = "https://w3id.org/dsih-kg"
MICRO = "micro-gezamenlijke-missie-formuleren"
KINDS = (
    "level",
    "category",
    "instrument",
    "step",
    "work",
    "person",
    "organisation",
    "theme",
    "helix-model",
    "helix-actor",
    "arena",
    "initiative",
    "concept",
    "principle",
    "link",
    "publication",
)
LOCALES = {"nl": "nl-NL", "en": "en-US"}


def one_of_each_kind(live_server: str) -> list[str]:
    """The page of one resource of every kind of ours that the graph holds (asked of the live endpoint)."""
    paths = []
    for kind in KINDS:
        query = f'SELECT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{BASE}/id/{kind}/")) }} ORDER BY ?s LIMIT 1'
        rows = requests.get(
            f"{live_server}/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
        ).json()["results"]["bindings"]
        if rows:
            paths.append("/doc/" + rows[0]["s"]["value"][len(f"{BASE}/id/") :])
    return paths


def overview_pages(live_server: str) -> list[str]:
    """The pages the sitemap lists that are not a resource's page (home, lists, indexes, about…)."""
    xml = requests.get(f"{live_server}/sitemap.xml").text
    paths = {re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", xml)}
    return sorted(p for p in paths if not p.startswith("/doc/"))


@pytest.fixture(scope="module")
def every_kind_of_page(live_server) -> list[str]:
    pages = overview_pages(live_server)
    assert "/" in pages and "/lessons" in pages
    return [
        *pages,
        f"/doc/lesson/{MICRO}",
        *one_of_each_kind(live_server),
        "/resource?" + requests.compat.urlencode({"iri": f"{BASE}/def/dsih/Lesson"}),
        "/search?q=vertrouwen",
        "/search?q=vertouwen",
        f"/graph/lesson/{MICRO}",
        "/doc/lesson/no-such-lesson",
    ]


@pytest.fixture
def open_page(browser, live_server):
    """open_page(lang, width=1280, height=900) -> a new page of a context in that language."""
    contexts = []

    def open_(lang: str = "en", width: int = 1280, height: int = 900, **options):
        context = browser.new_context(locale=LOCALES[lang], viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20000)
        page.outside = []
        page.on(
            "request",
            lambda r: None if r.url.startswith((live_server, "data:", "blob:")) else page.outside.append(r.url),
        )
        return page

    yield open_
    for context in contexts:
        context.close()


def settle(page) -> None:
    """Wait for what scripts build after load (the editor, the graph)."""
    page.wait_for_load_state("networkidle")
    if page.locator("#yasgui").count():
        page.wait_for_selector(".yasqe .CodeMirror")
    if page.locator("#cy").count():
        page.wait_for_selector("#cy[data-nodes]")


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page (axe injected from the local vendor file)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate((VENDOR / "axe.min.js").read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, { resultTypes: ['violations'] })")
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_finds_no_serious_violation_on_any_kind_of_page(open_page, live_server, every_kind_of_page, lang):
    page = open_page(lang)
    found = {}
    for path in every_kind_of_page:
        response = page.goto(live_server + path)
        assert response is not None and response.status in (200, 404), path
        settle(page)
        assert page.locator("html").get_attribute("lang") == lang, path
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}, f"axe-core: serious or critical violations ({lang}): {found}"
    assert page.outside == []


def test_axe_on_the_query_page_with_results_and_open_suggestions(open_page, live_server):
    page = open_page("nl")
    page.goto(live_server + "/query")
    settle(page)
    page.click(".examples a[data-example]")
    page.wait_for_selector(".yasr .dataTable tbody tr td:not(.dataTables_empty)")
    violations = axe_violations(page)
    assert violations == [], f"with results: {violations}"
    page.fill("#q", "vertrouw")
    page.wait_for_selector("#q + [role=listbox] [role=option]")
    violations = axe_violations(page)
    assert violations == [], f"with suggestions open: {violations}"


def focus_ring(page) -> dict:
    """The focused element and the focus indicator drawn on it or, for a hexagon, on what holds it."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const ring = e => { const s = getComputedStyle(e);
            return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow }; };
          return { tag: el.tagName, cls: el.className, self: ring(el), parent: ring(el.parentElement) };
        }"""
    )


def visible(ring: dict) -> bool:
    return (ring["style"] not in ("none", "") and ring["width"] >= 2) or ring["shadow"] not in ("none", "")


def test_keyboard_focus_is_visible_everywhere_the_honeycomb_too(open_page, live_server):
    page = open_page("nl")
    for path in ("/", f"/doc/lesson/{MICRO}", "/search?q=missie"):
        page.goto(live_server + path)
        settle(page)
        seen_hex = False
        for _ in range(40):
            page.keyboard.press("Tab")
            ring = focus_ring(page)
            if ring["tag"] == "BODY":
                break
            is_hex = "hex" in str(ring["cls"]).split()
            seen_hex |= is_hex
            shown = visible(ring["parent"]) if is_hex else visible(ring["self"])
            assert shown, (path, ring)
        if path == "/":
            assert seen_hex, "the honeycomb's cells are not reached by Tab"


def test_the_current_menu_item_has_aria_current(open_page, live_server):
    page = open_page("en")
    page.goto(live_server + "/query")
    current = page.locator(".main-nav [aria-current=page]")
    assert current.count() == 1 and current.get_attribute("href").startswith("/query")
    page.goto(live_server + "/lessons")
    assert page.locator(".main-nav [aria-current=page]").get_attribute("href").startswith("/lessons")


def test_search_is_a_combobox_that_announces_its_suggestions(open_page, live_server):
    page = open_page("nl")
    page.goto(live_server + "/")
    box = page.locator("#q")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "false"
    box.fill("vertrouw")
    page.wait_for_selector("#q + [role=listbox] [role=option]")
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    assert listbox.get_attribute("role") == "listbox"
    assert box.get_attribute("aria-expanded") == "true"
    options = listbox.locator("[role=option]")
    n = options.count()
    assert n >= 1
    status = page.locator(".searchbox [role=status]").first
    assert re.search(rf"\b{n} suggesties\b", status.inner_text())
    box.press("ArrowDown")
    first = options.nth(0)
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    target = page.evaluate("() => document.activeElement.id")
    assert target == "q"  # focus stays in the box (aria-activedescendant pattern)
    box.press("Enter")
    page.wait_for_url("**/doc/**")
    box = page.locator("#q")
    box.fill("vertouwen")  # a typo still gets suggestions
    page.wait_for_selector("#q + [role=listbox] [role=option]")
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"


def test_the_iri_copy_button_copies_the_iri_and_cite_this_is_shown(open_page, live_server):
    page = open_page("en", permissions=["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server}/doc/lesson/{MICRO}")
    iri = f"{BASE}/id/lesson/{MICRO}"
    assert page.locator("#lesson-iri").inner_text() == iri
    button = page.locator('button.copy[data-copy="lesson-iri"]')
    assert button.is_visible()
    button.click()
    assert page.evaluate("() => navigator.clipboard.readText()") == iri
    assert page.locator(".cite [role=status]").inner_text() == "Copied"
    assert "Gezamenlijke missie formuleren" in page.locator("#cite-apa").inner_text()
    assert page.locator("#cite-bibtex").inner_text().startswith("@incollection{")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_on_a_phone_no_page_widens_and_query_results_scroll_in_their_box(open_page, live_server):
    page = open_page("nl", width=390, height=844)
    for path in ("/", f"/doc/lesson/{MICRO}", "/search?q=missie", "/lessons", f"/graph/lesson/{MICRO}"):
        page.goto(live_server + path)
        settle(page)
        assert no_horizontal_scroll(page), path
    page.goto(live_server + "/query")
    settle(page)
    page.click(".examples a[data-example]")  # a chosen example runs without pressing the run button
    page.wait_for_selector(".yasr .dataTable tbody tr td:not(.dataTables_empty)")
    assert page.locator(".yasr .dataTable tbody tr").count() >= 1
    assert no_horizontal_scroll(page), "the results table widens the page"
    table_box = page.evaluate(
        """() => { const t = document.querySelector('.yasr .dataTable');
                   let e = t.parentElement;
                   while (e && getComputedStyle(e).overflowX !== 'auto' && getComputedStyle(e).overflowX !== 'scroll')
                     e = e.parentElement;
                   return e ? e.getBoundingClientRect().width : null; }"""
    )
    assert table_box is not None and table_box <= 390


def test_print_stylesheet_drops_the_chrome(open_page, live_server):
    page = open_page("en")
    page.goto(f"{live_server}/doc/lesson/{MICRO}")
    page.emulate_media(media="print")
    assert not page.locator("header.site .searchbox").is_visible()
    assert not page.locator(".page-tools").first.is_visible()
    assert page.locator("h1").is_visible() and page.locator("footer.site .licence").is_visible()


def test_static_assets_are_hashed_compressed_and_cached(open_page, live_server):
    page = open_page("en")
    seen = {}
    page.on("response", lambda r: seen.__setitem__(r.url, r) if "/static/explorer/" in r.url else None)
    page.goto(live_server + "/query")
    settle(page)
    scripts = [url for url in seen if url.split("?")[0].endswith(".js")]
    assert any("yasgui.min.js?v=" in url for url in scripts)
    for url in scripts:
        headers = seen[url].all_headers()
        assert "?v=" in url, url
        assert headers.get("cache-control") == "public, max-age=31536000, immutable", url
        assert headers.get("content-encoding") in ("br", "gzip"), url
