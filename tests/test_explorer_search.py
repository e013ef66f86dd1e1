"""Search (issue 5, point 5): one box over titles, texts and labels in Dutch and English, insensitive to
case and diacritics, grouped by type and level; JSON for Accept: application/json; suggestions while typing.
"""

from __future__ import annotations

from explorer_support import BASE, EN, INSTRUMENT, MICRO, text_of

JSON = {"Accept": "application/json"}


def results(client, q: str) -> list[dict]:
    response = client.get("/search", query_string={"q": q}, headers=JSON)
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()["results"]


def test_ideeen_finds_ideeen_with_diaeresis(client):
    found = results(client, "ideeen")
    assert found, "no results"
    assert any("ideeën" in r["snippet"] for r in found)
    assert {r["iri"] for r in found} == {r["iri"] for r in results(client, "IDEEËN")}


def test_searches_dutch_and_english_titles_texts_and_labels(client):
    assert f"{BASE}/id/lesson/{MICRO}" in {r["iri"] for r in results(client, "gezamenlijke missie")}
    assert f"{BASE}/id/lesson/{MICRO}" in {r["iri"] for r in results(client, "joint mission")}
    assert f"{BASE}/id/instrument/{INSTRUMENT}" in {r["iri"] for r in results(client, "stakeholder analysis")}
    assert results(client, "coordinatie")  # a word printed with a diaeresis (coördinatie) in a lesson text


def test_json_results_carry_label_type_level_and_page(client):
    hit = next(r for r in results(client, "joint mission") if r["iri"].endswith(MICRO))
    assert hit["page"] == f"/doc/lesson/{MICRO}"
    assert hit["type"] == f"{BASE}/def/dsih/Lesson" and hit["level"] == f"{BASE}/id/level/micro"
    assert hit["label"] and not hit["label"].startswith("http")


def test_html_results_are_grouped_by_type_and_level(client):
    html = client.get("/search", query_string={"q": "stakeholder"}, headers=EN).get_data(as_text=True)
    text = text_of(html)
    assert "Lesson" in text and "Instrument" in text
    assert "Micro level" in text or "Meso level" in text
    assert html.index("result-group") < html.index("Stakeholder analysis")


def test_suggestions_while_typing(client):
    response = client.get("/search/suggest", query_string={"q": "stakeh"})
    assert response.status_code == 200
    items = response.get_json()
    assert 0 < len(items) <= 8
    assert all(set(item) >= {"label", "type", "page"} for item in items)
    assert client.get("/search/suggest", query_string={"q": "s"}).get_json() == []


def test_search_terms_come_back_escaped(client):
    payload = '<script>alert("x")</script>"><img src=x onerror=alert(1)>'
    html = client.get("/search", query_string={"q": payload}).get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert client.get("/search", query_string={"q": "x" * 5000}).status_code == 400
