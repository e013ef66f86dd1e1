"""The front door, the map of links and the graph view in a real headless Chromium (issue 13, points 1, 4, 5).

At 1280×800 the whole honeycomb is above the fold; on a 390×844 phone it comes right after the title and
starts on the first screen. The map draws one line per cross-level link and shows a link's kind and
reason on hover and keyboard focus. The graph view re-centres in place on a click, keeps "open page"
apart, zooms, fits and shows edge names on request, with labels at least 12 px on screen. No request
leaves 127.0.0.1 and no page raises a script error. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import pytest
from test_journey import MESO, MICRO, shot  # the browser fixture: tests/browser_support.py

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def open_page(browser, live_server):  # noqa: F811
    """A page factory for one viewport and language, checked for outside requests and script errors."""
    contexts = []

    def make(viewport: dict, locale: str = "en-US", **options):
        context = browser.new_context(locale=locale, viewport=viewport, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.outside, page.errors = [], []
        page.on(
            "request",
            lambda r: None if r.url.startswith((live_server, "data:", "blob:")) else page.outside.append(r.url),
        )
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("console", lambda m: page.errors.append(m.text) if "Content Security Policy" in m.text else None)
        return page

    yield make
    for context in contexts:
        pages = context.pages
        context.close()
        for page in pages:
            assert page.outside == [], f"requests left 127.0.0.1: {page.outside}"
            assert page.errors == [], f"script errors: {page.errors}"


@pytest.mark.parametrize("locale", ["nl-NL", "en-US"])
def test_the_honeycomb_is_above_the_fold_on_a_laptop(open_page, live_server, locale):
    page = open_page(LAPTOP, locale)
    page.goto(live_server + "/")
    hexes = page.locator("a.hex")
    assert hexes.count() == 18
    bottoms = [hexes.nth(i).bounding_box() for i in range(18)]
    assert max(b["y"] + b["height"] for b in bottoms) <= LAPTOP["height"], "part of the honeycomb is below the fold"
    shot(page, f"20-front-door-laptop-{locale[:2]}")


@pytest.mark.parametrize("locale", ["nl-NL", "en-US"])
def test_the_honeycomb_comes_right_after_the_title_on_a_phone(open_page, live_server, locale):
    page = open_page(PHONE, locale)
    page.goto(live_server + "/")
    title = page.locator("main h1").bounding_box()
    grid = page.locator(".honeycomb").bounding_box()
    first = page.locator("a.hex").first.bounding_box()
    assert 0 <= grid["y"] - (title["y"] + title["height"]) < 40, (title, grid)
    assert first["y"] + first["height"] <= PHONE["height"]  # the first cell is on the first screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    shot(page, f"21-front-door-phone-{locale[:2]}")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_map_draws_every_link_and_explains_it_on_hover_and_focus(open_page, live_server, viewport):
    page = open_page(viewport)
    page.goto(live_server + "/links")
    page.wait_for_selector("#map[data-lines]")
    items = page.locator("li.link-item").count()
    assert items == 80 and int(page.get_attribute("#map", "data-lines")) == items
    lesson = page.locator(f"#ml-{MICRO}")
    if viewport is LAPTOP:
        lesson.hover()
    else:
        lesson.focus()
    info = page.locator("#map-info")
    info.wait_for(state="visible")
    assert "Carries further" in info.inner_text()
    assert info.locator("a.about-link").count() >= 2
    assert page.locator(".map-link.on").count() == info.locator("li").count()
    shot(page, f"22-map-{'laptop' if viewport is LAPTOP else 'phone'}")
    page.goto(live_server + "/links?kind=same-instrument")
    page.wait_for_selector("#map[data-lines]")
    assert int(page.get_attribute("#map", "data-lines")) == page.locator("li.link-item").count() < 80


def test_the_map_works_without_javascript(open_page, live_server):
    page = open_page(LAPTOP, java_script_enabled=False)
    page.goto(live_server + "/links")
    assert page.locator("li.link-item").count() == 80
    page.check('input[name="kind"][value="same-idea"]')
    page.click(".map-filter button")
    page.wait_for_url("**/links?kind=same-idea")
    assert 0 < page.locator("li.link-item").count() < 80


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_graph_recentres_in_place_zooms_and_reads(open_page, live_server, viewport):
    page = open_page(viewport)
    page.goto(f"{live_server}/graph/lesson/{MICRO}")
    page.wait_for_selector("#cy[data-nodes]")
    # labels are at least 12 px on screen, at the fitted zoom
    sizes = page.evaluate(
        "window.dsihGraph.nodes().map(n => parseFloat(n.style('font-size')) * window.dsihGraph.zoom())"
    )
    assert min(sizes) >= 12, sizes
    zoom = page.evaluate("window.dsihGraph.zoom()")
    page.click('[data-graph="zoom-in"]')
    assert page.evaluate("window.dsihGraph.zoom()") > zoom
    page.click('[data-graph="fit"]')
    page.check('[data-graph="edge-labels"]')
    assert page.evaluate("window.dsihGraph.edges('.named').length") == page.evaluate("window.dsihGraph.edges().length")
    shot(page, f"23-graph-{'laptop' if viewport is LAPTOP else 'phone'}")
    # a cross-level edge names its kind and reason when chosen
    page.evaluate("window.dsihGraph.edges(\"[prop = 'dsih:relatedAcrossLevels']\")[0].emit('tap')")
    assert page.locator("#graph-edge-info").inner_text().strip() != ""
    # a click on a neighbour re-centres the view on it, in place; "Open page" follows
    box = page.locator("#cy").bounding_box()
    meso = f"https://w3id.org/dsih-kg/id/lesson/{MESO}"
    page.evaluate(f"window.dsihGraph.center(window.dsihGraph.getElementById('{meso}'))")
    pos = page.evaluate(f"window.dsihGraph.getElementById('{meso}').renderedPosition()")
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_url(f"**/graph/lesson/{MESO}")
    page.wait_for_function(f"document.getElementById('cy').dataset.center === '{meso}'")
    assert page.get_attribute("#graph-open", "href").endswith(f"/doc/lesson/{MESO}")
    page.click("#graph-open")
    page.wait_for_url(f"**/doc/lesson/{MESO}")
