"""The reconciliation service in-process (issue 15, point 5): the contracts of test_reconcile.py through
the app's WSGI callable, and the Flask-free reconciler behind /reconcile.

GET /reconcile is the manifest; a batch (form-encoded ``queries=`` as OpenRefine sends it, a JSON body,
or the older list style) answers every query with scored candidates; suggest completes a prefix;
preview is escaped HTML; bad input gets a 400 with a message, and CORS is open for OpenRefine in a
browser.
"""

from __future__ import annotations

import json

import pytest

from dsih_kg.reconcile.service import BadQuery, build_reconciler
from http_helpers import assert_error

DSIH = "https://w3id.org/dsih-kg/def/dsih/"
ID = "https://w3id.org/dsih-kg/id/"
SERVICE = "/reconcile"


def batch(client, queries) -> dict:
    """A batch as OpenRefine sends it: form-encoded, the queries as JSON in ``queries``."""
    response = client.post(SERVICE, data={"queries": json.dumps(queries)})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return response.get_json()


def ids(candidates: list[dict]) -> list[str]:
    return [candidate["id"].removeprefix(ID) for candidate in candidates]


def assert_candidates(candidates: list[dict]) -> None:
    """Each candidate has the shape the Reconciliation API gives; best first."""
    for candidate in candidates:
        assert set(candidate) >= {"id", "name", "type", "score", "match"}, candidate
        assert candidate["id"].startswith(ID) and isinstance(candidate["name"], str) and candidate["name"]
        assert all(set(t) == {"id", "name"} for t in candidate["type"])
        assert 0 <= candidate["score"] <= 100 and isinstance(candidate["match"], bool)
    scores = [c["score"] for c in candidates]
    assert scores == sorted(scores, reverse=True)


def test_the_manifest_tells_openrefine_what_the_service_offers(client):
    response = client.get(SERVICE)
    manifest = response.get_json()
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert manifest["versions"] == ["0.2"] and manifest["name"]
    assert manifest["identifierSpace"] == ID and manifest["schemaSpace"] == DSIH
    assert {DSIH + "Lesson", DSIH + "Instrument", DSIH + "MissionTheme"} <= {t["id"] for t in manifest["defaultTypes"]}
    assert manifest["preview"]["url"] == "http://localhost/reconcile/preview?id={{id}}"
    for kind in ("entity", "type", "property"):
        assert manifest["suggest"][kind] == {
            "service_url": "http://localhost/reconcile",
            "service_path": f"/suggest/{kind}",
        }
    assert manifest["view"]["url"] == "{{id}}"


def test_a_batch_answers_every_query_with_scored_candidates(client):
    answer = batch(
        client,
        {"q0": {"query": "Theory U", "limit": 3}, "q1": {"query": "Klimaatadaptatie"}, "q2": {"query": "zzqxv"}},
    )
    assert set(answer) == {"q0", "q1", "q2"}
    for result in answer.values():
        assert_candidates(result["result"])
    assert len(answer["q0"]["result"]) <= 3
    assert {"instrument/theory-u", "lesson/micro-theory-u"} <= set(ids(answer["q0"]["result"]))
    top = answer["q1"]["result"][0]
    assert top["id"] == ID + "theme/klimaatadaptatie" and top["score"] == 100 and top["match"] is True
    assert top["type"] == [{"id": DSIH + "MissionTheme", "name": "Mission theme"}]
    assert not any(c["match"] for c in answer["q2"]["result"])  # nonsense matches nothing


def test_the_type_filter_and_properties_steer_the_candidates(client):
    answer = batch(
        client,
        {
            "lesson": {"query": "Design thinking", "type": DSIH + "Lesson"},
            "instrument": {"query": "Design thinking", "type": DSIH + "Instrument"},
            "micro": {
                "query": "Vertrouwen",
                "type": DSIH + "Lesson",
                "properties": [{"pid": DSIH + "level", "v": "micro"}],
            },
            "meso": {
                "query": "Vertrouwen",
                "type": DSIH + "Lesson",
                "properties": [{"pid": DSIH + "level", "v": "meso"}],
            },
        },
    )
    assert ids(answer["lesson"]["result"])[0] == "lesson/meso-design-thinking"
    assert all(i.startswith("lesson/") for i in ids(answer["lesson"]["result"]))
    assert ids(answer["instrument"]["result"])[0] == "instrument/design-thinking"
    assert ids(answer["micro"]["result"])[0] == "lesson/micro-vertrouwen-als-basis"
    assert ids(answer["meso"]["result"])[0] == "lesson/meso-vertrouwen-in-missiegedreven-werken"


def test_a_json_body_a_list_and_a_single_query_are_answered_too(client):
    by_json = client.post(SERVICE, json={"queries": {"q0": {"query": "Storytelling"}}})
    assert by_json.status_code == 200 and "instrument/storytelling" in ids(by_json.get_json()["q0"]["result"])
    as_list = client.post(SERVICE, data={"queries": json.dumps([{"query": "Storytelling"}])})
    [only] = as_list.get_json()["results"]
    assert "instrument/storytelling" in ids(only["candidates"])
    single = client.get(SERVICE, query_string={"query": "Storytelling"})
    assert "instrument/storytelling" in ids(single.get_json()["result"])


def test_suggest_completes_entities_types_and_properties(client):
    entity = client.get(f"{SERVICE}/suggest/entity", query_string={"prefix": "opschal"}).get_json()
    assert ID + "instrument/opschalingscanvas" in [e["id"] for e in entity["result"]]
    assert all({"id", "name"} <= set(e) for e in entity["result"])
    typed = client.get(f"{SERVICE}/suggest/entity", query_string={"prefix": "design", "type": DSIH + "Lesson"})
    assert [e["id"] for e in typed.get_json()["result"]] == [ID + "lesson/meso-design-thinking"]
    limited = client.get(f"{SERVICE}/suggest/entity", query_string={"prefix": "m", "limit": "2"})
    assert len(limited.get_json()["result"]) <= 2
    types = client.get(f"{SERVICE}/suggest/type", query_string={"prefix": "les"}).get_json()
    assert [t["id"] for t in types["result"]] == [DSIH + "Lesson"]
    props = client.get(f"{SERVICE}/suggest/property", query_string={"prefix": "level"}).get_json()
    assert DSIH + "level" in [p["id"] for p in props["result"]]


def test_preview_shows_a_candidate_as_escaped_html(client):
    response = client.get(f"{SERVICE}/preview", query_string={"id": ID + "instrument/theory-u"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Theory U" in page and "Scharmer" in page and f'href="{ID}instrument/theory-u"' in page
    missing = client.get(f"{SERVICE}/preview", query_string={"id": "<script>alert(1)</script>"})
    assert missing.status_code == 404 and "<script>" not in missing.get_data(as_text=True)


def test_a_browser_may_ask_first(client):
    preflight = client.options(
        SERVICE, headers={"Origin": "https://x.example", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 204
    assert (
        preflight.headers["Access-Control-Allow-Origin"] == "*"
        and "POST" in preflight.headers["Access-Control-Allow-Methods"]
    )


@pytest.mark.parametrize(
    "data, message",
    [
        ({"queries": "{not json"}, "not valid JSON"),
        ({"queries": json.dumps({f"q{i}": {"query": "x"} for i in range(101)})}, "at most 100 queries"),
        ({"queries": json.dumps({"q0": {"query": "x" * 1001}})}, "at most 1000 characters"),
        ({"queries": json.dumps({"q0": {"query": "x", "type": "urn:nope"}})}, "Unknown type"),
        ({"queries": json.dumps({"q0": {"query": 42}})}, "'query' string"),
        ({"queries": json.dumps("just a string")}, "must be a JSON object"),
    ],
)
def test_bad_batches_get_a_400_with_a_message(client, data, message):
    body = assert_error(client.post(SERVICE, data=data), 400, message)
    assert body["status"] == 400


def test_bad_json_bodies_and_arguments_get_a_400(client):
    assert_error(client.post(SERVICE, data=b'{"queries": ', content_type="application/json"), 400, "not valid JSON")
    assert_error(client.post(SERVICE, json=[1, 2]), 400, '{"queries"')
    assert_error(client.get(f"{SERVICE}/suggest/entity", query_string={"prefix": "a", "limit": "many"}), 400, "number")


# --- the reconciler without Flask ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def reconciler(explorer_app):
    return build_reconciler(explorer_app.extensions["dsih_store"], max_query_length=40)


def test_the_reconciler_answers_plain_calls(reconciler):
    candidates = reconciler.reconcile("Theory U")
    assert_candidates(candidates)
    assert "instrument/theory-u" in ids(candidates)
    assert reconciler.reconcile({"query": "!!!"}) == []  # no words, no candidates
    assert ID + "instrument/opschalingscanvas" in [e["id"] for e in reconciler.suggest("opschal", None)]


@pytest.mark.parametrize(
    "query, message",
    [
        ("x" * 41, "at most 40 characters"),
        ({"query": "x", "type": "urn:nope"}, "Unknown type"),
        ({"query": ["x"]}, "'query' string"),
        (42, "JSON object"),
    ],
)
def test_the_reconciler_refuses_what_it_cannot_answer(reconciler, query, message):
    with pytest.raises(BadQuery, match=message):
        reconciler.reconcile(query)
