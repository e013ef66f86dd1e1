"""Search (issue 5, point 5; issue 13, point 6): one box over titles, texts and labels in Dutch and English,
insensitive to case and diacritics, grouped by type and level; JSON for Accept: application/json; suggestions
while typing. It forgives: a misspelt word is corrected ("did you mean"), wildcards are not needed, an
over-long query is cut with a note (never a 400 page, never English inside the Dutch interface); snippets
are summaries or texts, not the title again; lessons come first; no ontology terms or link resources.
"""

from __future__ import annotations

from explorer_support import BASE, EN, INSTRUMENT, MICRO, NL, text_of

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
    assert html.index("result-group") < html.index("<mark>Stakeholder</mark> analysis")


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


# ---------------------------------------------------------------- issue 13, point 6: search that forgives


def answer_of(client, q: str, headers=None) -> dict:
    response = client.get("/search", query_string={"q": q, "format": "json"}, headers=headers or {})
    assert response.status_code == 200
    return response.get_json()


def test_a_misspelt_word_is_corrected_and_the_page_says_so(client):
    found = answer_of(client, "vertouwen")
    assert found["corrected"] and found["searched"] == "vertrouwen"
    assert f"{BASE}/id/lesson/micro-vertrouwen-als-basis" in {r["iri"] for r in found["results"]}
    html = client.get("/search", query_string={"q": "vertouwen"}, headers=NL).get_data(as_text=True)
    text = text_of(html)
    assert "Bedoelde je vertrouwen" in text and "niets gevonden voor ‘vertouwen’" in text
    assert "Vertrouwen als basis" in text
    english = text_of(client.get("/search", query_string={"q": "vertouwen"}, headers=EN).get_data(as_text=True))
    assert "Did you mean vertrouwen" in english


def test_a_word_found_as_typed_is_not_corrected(client):
    found = answer_of(client, "vertrouwen")
    assert not found["corrected"] and found["searched"] == "vertrouwen" and found["count"] > 0
    assert answer_of(client, "qqqzzzxxx") == {**answer_of(client, "qqqzzzxxx"), "count": 0, "corrected": False}


def test_no_wildcards_needed_and_wildcards_are_ignored(client):
    part = {r["iri"] for r in answer_of(client, "vertrouw")["results"]}
    assert f"{BASE}/id/lesson/micro-vertrouwen-als-basis" in part
    assert {r["iri"] for r in answer_of(client, "vertrouw*")["results"]} == part
    assert {r["iri"] for r in answer_of(client, "*vertrouw?")["results"]} == part


def test_an_over_long_query_is_cut_with_a_note_in_the_interface_language(client):
    long = "vertrouwen " + "samenwerking " * 40
    found = answer_of(client, long)
    assert found["cut"] and len(found["searched"]) <= 200 and found["count"] > 0
    for headers, note, error in ((NL, "is ingekort", "at most"), (EN, "has been shortened", "is ingekort")):
        response = client.get("/search", query_string={"q": "x" * 5000}, headers=headers)
        assert response.status_code == 200
        text = text_of(response.get_data(as_text=True))
        assert note in text and error not in text


def test_most_words_when_no_result_has_all_of_them(client):
    found = answer_of(client, "vertrouwen samenwerking qqqzzzxxx")
    assert found["partial"] and found["count"] > 0
    assert "meeste" in text_of(
        client.get("/search", query_string={"q": "vertrouwen samenwerking qqqzzzxxx"}, headers=NL).get_data(
            as_text=True
        )
    )


def test_snippets_are_not_the_title_again(client):
    for lang, headers in (("nl", NL), ("en", EN)):
        found = answer_of(client, "vertrouwen als basis", headers)
        hit = next(r for r in found["results"] if r["iri"].endswith("/micro-vertrouwen-als-basis"))
        assert hit["snippet"] and hit["snippet"].strip() != hit["label"].strip(), lang
        assert len(hit["snippet"]) > len(hit["label"])
    nl_hit = next(r for r in answer_of(client, "vertrouwen als basis", NL)["results"] if r["iri"].endswith("basis"))
    assert nl_hit["snippet"].startswith("Vertrouwen is")  # the publication's Dutch text in the Dutch interface


def test_lessons_come_first(client):
    groups = [r["type"] for r in answer_of(client, "stakeholder")["results"]]
    lesson = f"{BASE}/def/dsih/Lesson"
    assert groups[0] == lesson and lesson not in groups[groups.index(next(g for g in groups if g != lesson)) :]


def test_no_ontology_terms_links_or_graphs_for_people(client):
    for q in ("les", "lesson", "instrument", "same idea", "carries further", "additions", "niveau"):
        for hit in answer_of(client, q)["results"]:
            assert "/def/" not in hit["iri"], (q, hit["iri"])
            assert "/id/link/" not in hit["iri"] and "/id/graph/" not in hit["iri"], (q, hit["iri"])
    suggestions = client.get("/search/suggest", query_string={"q": "lesson"}).get_json()
    assert all("/def/" not in s["page"] and "/doc/link/" not in s["page"] for s in suggestions)


def test_suggestions_forgive_a_typo(client):
    items = client.get("/search/suggest", query_string={"q": "stakeholderanalize"}).get_json()
    assert any(item["page"] == f"/doc/instrument/{INSTRUMENT}" for item in items)
