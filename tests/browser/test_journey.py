"""The explorer in a real headless Chromium (issue 5, point 9), against the service on 127.0.0.1.

The journey: home → a micro lesson → its related meso and macro lessons → an instrument → search →
the query page runs an example query and shows rows → the graph view renders nodes. Screenshots of the
main pages go to test-artifacts/screenshots/. Debian's chromium is driven by Playwright with its
executable path set; when it is missing the test is skipped locally and FAILS in CI (CI=true).
No request may leave 127.0.0.1, and no page may raise a script error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
MICRO = "micro-gezamenlijke-missie-formuleren"
MESO = "meso-gedeelde-missie-formuleren-voor-de-opgave"
MACRO = "macro-dialoog-over-de-missie-en-leiderschap-centraal-stellen"


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.outside: list[str] = []
    page.errors: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((live_server, "data:", "blob:")) else page.outside.append(r.url),
    )
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert page.outside == [], f"requests left 127.0.0.1: {page.outside}"
    assert page.errors == [], f"script errors: {page.errors}"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_journey(page, live_server):
    # home: the honeycomb
    page.goto(live_server + "/")
    assert page.locator("a.hex").count() == 18
    shot(page, "01-home")
    page.click('a.hex[href="/lessons?level=micro&category=missie"]')
    page.wait_for_url("**/lessons?level=micro&category=missie")

    # a micro lesson
    page.click(f'a[href="/doc/lesson/{MICRO}"]')
    page.wait_for_url(f"**/doc/lesson/{MICRO}")
    assert page.locator("h1").inner_text() == "Formulating a joint mission"
    assert page.locator("ul.bullets > li").count() >= 2
    shot(page, "02-lesson-micro")

    # its related meso and macro lessons, through the across-levels panel
    page.click(f'.across a.related-lesson[href="/doc/lesson/{MESO}"]')
    page.wait_for_url(f"**/doc/lesson/{MESO}")
    assert page.locator(".kicker .badge.level-meso").count() == 1
    shot(page, "03-lesson-meso")
    page.go_back()
    page.click(f'.across a.related-lesson[href="/doc/lesson/{MACRO}"]')
    page.wait_for_url(f"**/doc/lesson/{MACRO}")
    assert page.locator(".kicker .badge.level-macro").count() == 1
    shot(page, "04-lesson-macro")

    # an instrument
    page.goto(f"{live_server}/doc/lesson/{MICRO}")
    page.click('.lesson-facts a[href="/doc/instrument/stakeholderanalyse"]')
    page.wait_for_url("**/doc/instrument/stakeholderanalyse")
    assert page.locator("h1").inner_text() == "Stakeholder analysis"
    shot(page, "05-instrument")

    # search: suggestions while typing, then the results page
    page.fill("#q", "ideeen")
    page.wait_for_selector("#q + [role=listbox] [role=option]")
    assert page.locator("#q + [role=listbox] [role=option]").count() >= 1
    shot(page, "06-suggestions")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=ideeen")
    assert page.locator(".results li").count() >= 1
    assert "ideeën" in page.locator(".results").first.inner_text()
    shot(page, "07-search")

    # the query page runs an example query and shows rows
    page.goto(live_server + "/query")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.click(".examples a[data-example]")
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr .dataTable tbody tr td:not(.dataTables_empty)")
    assert page.locator(".yasr .dataTable tbody tr").count() >= 1
    iri_links = page.locator(".yasr a.iri")
    if iri_links.count():
        href = iri_links.first.get_attribute("href")
        assert href.startswith(("/id/", "/resource?iri=")), href  # result IRIs open their explorer page
    shot(page, "08-query")

    # the graph view renders nodes, coloured by level; a click re-centres, "Open page" navigates
    page.goto(f"{live_server}/graph/lesson/{MICRO}")
    page.wait_for_selector("#cy[data-nodes]")
    assert int(page.get_attribute("#cy", "data-nodes")) >= 4
    assert page.locator("#cy canvas").count() >= 1
    levels = page.evaluate("window.dsihGraph.nodes().map(n => n.data('level'))")
    assert {"micro", "meso", "macro"} <= set(levels)
    shot(page, "09-graph")
    box = page.locator("#cy").bounding_box()
    pos = page.evaluate(
        f"window.dsihGraph.getElementById('https://w3id.org/dsih-kg/id/lesson/{MESO}').renderedPosition()"
    )
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])  # a click on the meso lesson's node re-centres
    page.wait_for_url(f"**/graph/lesson/{MESO}")
    page.click("#graph-open")  # and "Open page" opens its page
    page.wait_for_url(f"**/doc/lesson/{MESO}")


def test_dutch_interface_and_no_js_pages(browser, live_server):
    context = browser.new_context(
        locale="nl-NL", java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{live_server}/doc/lesson/{MICRO}")
    assert page.locator("h1").inner_text() == "Gezamenlijke missie formuleren"
    assert "Over de niveaus heen" in page.content()
    page.fill("#q", "stakeholderanalyse")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=stakeholderanalyse")
    assert page.locator(".results li").count() >= 1
    page.click("a.lang-switch")
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "10-search-nojs")
    context.close()
