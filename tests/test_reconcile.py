"""The reconciliation service at /reconcile, exercised as OpenRefine does (issue 6, point 4; issue 8,
point 8), against the real service on 127.0.0.1.

The contract: GET /reconcile is a W3C Reconciliation API manifest; a batch of queries (form-encoded
``queries=`` JSON, as OpenRefine sends it, or a JSON body) answers each query with candidates (id,
name, type, score, match); a type filter restricts the candidates; properties raise or lower scores;
suggest/entity, suggest/type and suggest/property complete a prefix; preview shows one candidate as
escaped HTML. Malformed JSON, oversized batches and overlong queries get a 400 with a message, fast.
"""

from __future__ import annotations

import json
import time

import pytest
import requests

from timing import baseline, bound

DSIH = "https://w3id.org/dsih-kg/def/dsih/"
ID = "https://w3id.org/dsih-kg/id/"


@pytest.fixture(scope="module")
def service(live_server) -> str:
    return f"{live_server}/reconcile"


def batch(service: str, queries: dict, **kwargs) -> dict:
    """A batch as OpenRefine sends it: form-encoded, the queries as JSON in ``queries``."""
    response = requests.post(service, data={"queries": json.dumps(queries)}, timeout=30, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


def ids(result: dict) -> list[str]:
    return [candidate["id"][len(ID) :] for candidate in result["result"]]


def test_the_manifest_tells_openrefine_what_the_service_offers(service):
    manifest = requests.get(service, timeout=30).json()
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"] == ID and manifest["schemaSpace"] == DSIH
    type_ids = {t["id"] for t in manifest["defaultTypes"]}
    assert {DSIH + "Lesson", DSIH + "Instrument", DSIH + "MissionTheme", DSIH + "Organisation"} <= type_ids
    assert manifest["preview"]["url"].endswith("/reconcile/preview?id={{id}}")
    for kind in ("entity", "type", "property"):
        assert manifest["suggest"][kind]["service_path"] == f"/suggest/{kind}"
    assert manifest["view"]["url"] == "{{id}}"


def test_a_batch_answers_every_query_with_scored_candidates(service):
    answer = batch(
        service,
        {
            "q0": {"query": "Theory U", "limit": 3},
            "q1": {"query": "Klimaatadaptatie"},
            "q2": {"query": "Vereniging van Nederlandse Gemeenten"},
            "q3": {"query": "opschalings canvas"},  # spelled apart, still found
        },
    )
    assert set(answer) == {"q0", "q1", "q2", "q3"}
    assert {"instrument/theory-u", "lesson/micro-theory-u"} <= set(ids(answer["q0"]))
    top = answer["q1"]["result"][0]
    assert top["id"] == ID + "theme/klimaatadaptatie" and top["score"] == 100 and top["match"] is True
    assert top["type"] == [{"id": DSIH + "MissionTheme", "name": "Mission theme"}]
    assert ids(answer["q2"])[0] == "organisation/vng"
    assert ids(answer["q3"])[0] in {"instrument/opschalingscanvas", "lesson/meso-opschalingscanvas"}
    for result in answer.values():
        scores = [c["score"] for c in result["result"]]
        assert scores == sorted(scores, reverse=True) and all(0 <= s <= 100 for s in scores)


def test_the_type_filter_keeps_only_that_type(service):
    answer = batch(
        service,
        {
            "lesson": {"query": "Design thinking", "type": DSIH + "Lesson"},
            "instrument": {"query": "Design thinking", "type": DSIH + "Instrument"},
            "org": {"query": "Rotterdam", "type": DSIH + "Organisation", "type_strict": "should"},
        },
    )
    assert ids(answer["lesson"])[0] == "lesson/meso-design-thinking"
    assert all(i.startswith("lesson/") for i in ids(answer["lesson"]))
    assert ids(answer["instrument"])[0] == "instrument/design-thinking"
    assert ids(answer["org"])[0] == "organisation/gemeente-rotterdam"
    assert answer["lesson"]["result"][0]["match"] is True


def test_properties_raise_the_candidate_that_agrees(service):
    query = {"query": "Vertrouwen", "type": DSIH + "Lesson"}
    with_micro = dict(query, properties=[{"pid": DSIH + "level", "v": "micro"}])
    with_meso = dict(query, properties=[{"pid": DSIH + "level", "v": "meso"}])
    answer = batch(service, {"micro": with_micro, "meso": with_meso})
    assert ids(answer["micro"])[0] == "lesson/micro-vertrouwen-als-basis"
    assert ids(answer["meso"])[0] == "lesson/meso-vertrouwen-in-missiegedreven-werken"


def test_a_json_body_is_answered_too(service):
    response = requests.post(service, json={"queries": {"q0": {"query": "Storytelling"}}}, timeout=30)
    assert response.status_code == 200
    assert "instrument/storytelling" in ids(response.json()["q0"])


def test_suggest_completes_entities_types_and_properties(service):
    entity = requests.get(f"{service}/suggest/entity", params={"prefix": "opschal"}, timeout=30).json()
    assert ID + "instrument/opschalingscanvas" in [e["id"] for e in entity["result"]]
    typed = requests.get(
        f"{service}/suggest/entity", params={"prefix": "design", "type": DSIH + "Lesson"}, timeout=30
    ).json()
    assert [e["id"] for e in typed["result"]] == [ID + "lesson/meso-design-thinking"]
    types = requests.get(f"{service}/suggest/type", params={"prefix": "les"}, timeout=30).json()
    assert [t["id"] for t in types["result"]] == [DSIH + "Lesson"]
    props = requests.get(f"{service}/suggest/property", params={"prefix": "level"}, timeout=30).json()
    assert DSIH + "level" in [p["id"] for p in props["result"]]


def test_preview_shows_a_candidate_as_escaped_html(service):
    response = requests.get(f"{service}/preview", params={"id": ID + "instrument/theory-u"}, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    assert "Theory U" in response.text and "Scharmer" in response.text
    missing = requests.get(f"{service}/preview", params={"id": "<script>alert(1)</script>"}, timeout=30)
    assert missing.status_code == 404 and "<script>" not in missing.text


@pytest.mark.parametrize(
    "data, message",
    [
        ({"queries": "{not json"}, "not valid JSON"),
        ({"queries": json.dumps({f"q{i}": {"query": "x"} for i in range(10_000)})}, "at most 100 queries"),
        ({"queries": json.dumps({"q0": {"query": "x" * 100_000}})}, "at most 1000 characters"),
        ({"queries": json.dumps({"q0": {"query": "x", "type": "urn:nope"}})}, "Unknown type"),
        ({"queries": json.dumps({"q0": {"query": 42}})}, "'query' string"),
        ({"queries": "[1, 2"}, "not valid JSON"),
    ],
)
def test_bad_batches_get_a_400_with_a_message_within_seconds(service, data, message):
    one_query = baseline(lambda: requests.post(service, data={"queries": '{"q0": {"query": "x"}}'}, timeout=30))
    started = time.monotonic()
    response = requests.post(service, data=data, timeout=30)
    assert time.monotonic() - started < bound(one_query)  # refused before matching anything
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert requests.get(service, timeout=30).status_code == 200  # still answering


def test_a_malformed_json_body_gets_a_400(service):
    response = requests.post(
        service, data=b'{"queries": ', headers={"Content-Type": "application/json"}, timeout=30
    )
    assert response.status_code == 400 and "not valid JSON" in response.json()["error"]
