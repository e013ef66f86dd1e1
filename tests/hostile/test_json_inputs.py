"""Hostile JSON at every JSON input (issue 14 point 2): a 400 that says what is wrong, never a 5xx.

The inputs: /reconcile ``queries`` (form field and JSON body), a single ``query``, the suggest services,
and JSON import files. Each gets nesting 100 000 deep, numbers too large to hold, lone surrogates and a
10 MB string. Bodies past ``max_body`` get 413 before any parsing; here the cap is raised so that the
10 MB string reaches the reader.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from dsih_kg import jsonsafe
from dsih_kg.app import create_app
from dsih_kg.config import load_settings
from dsih_kg.importers.readers import RecordProblem, read_json

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OPEN = '{"q0": ' + "[" * 100_000
HUGE_INT = '{"q0": {"query": "wijk", "limit": ' + "9" * 5000 + "}}"
HUGE_FLOAT = '{"q0": {"query": "wijk", "limit": 1e999}}'
NAN = '{"q0": {"query": "wijk", "limit": NaN}}'
SURROGATE = '{"q0": {"query": "wijk \\ud800"}}'
SURROGATE_KEY = '{"\\udfff": {"query": "wijk"}}'
BIG_STRING = json.dumps({"q0": {"query": "x" * 10_000_000}})
HOSTILE = {
    "deep": (DEEP, "nested too deeply"),
    "deep-unclosed": (DEEP_OPEN, "nested too deeply"),
    "huge-int": (HUGE_INT, "digits"),
    "huge-float": (HUGE_FLOAT, "too large"),
    "nan": (NAN, "not a JSON number"),
    "surrogate": (SURROGATE, "surrogate"),
    "surrogate-key": (SURROGATE_KEY, "surrogate"),
    "10MB-string": (BIG_STRING, "at most"),
}


@pytest.fixture(scope="module")
def client():
    app = create_app(load_settings(environ={}, workers=1, max_body=32 << 20))
    app.config["DSIH_EXPLORER_WARM"] = False
    yield app.test_client()
    app.extensions["dsih_store"].close()


def assert_400(response, contains: str) -> None:
    assert response.status_code == 400, (response.status_code, response.get_data(as_text=True)[:300])
    body = response.get_json()
    assert body["status"] == 400 and contains.lower() in body["error"].lower(), body["error"][:300]
    assert len(body["error"]) < 400  # the message does not echo the input back


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_reconcile_queries_as_a_form_field(client, name):
    text, why = HOSTILE[name]
    response = client.post(
        "/reconcile",
        data=urlencode({"queries": text}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_400(response, why)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_reconcile_queries_in_a_json_body(client, name):
    text, why = HOSTILE[name]
    body = '{"queries": ' + text + "}"
    response = client.post("/reconcile", data=body.encode("utf-8"), headers={"Content-Type": "application/json"})
    assert_400(response, why)


@pytest.mark.parametrize("name", ["deep", "huge-int", "huge-float", "surrogate", "10MB-string"])
def test_a_single_reconcile_query(client, name):
    text, why = HOSTILE[name]
    single = text.replace('{"q0": ', "", 1)[:-1] if text.startswith('{"q0": {') else text
    response = client.post(
        "/reconcile", data=urlencode({"query": single}), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert_400(response, why)


def test_a_json_body_that_is_not_utf8(client):
    body = b'{"queries": {"q0": {"query": "\xed\xa0\x80"}}}'
    response = client.post("/reconcile", data=body, headers={"Content-Type": "application/json"})
    assert_400(response, "UTF-8")


@pytest.mark.parametrize("service", ["entity", "type", "property"])
def test_suggest_services(client, service):
    url = f"/reconcile/suggest/{service}"
    assert_400(client.get(url, query_string={"prefix": "x" * 10_000_000}), "at most")
    deep = client.get(url, query_string={"prefix": "[" * 100_000})
    assert_400(deep, "at most")
    odd = client.get(url, query_string={"prefix": "\ud800".encode("utf-8", "surrogatepass")})
    assert odd.status_code == 200  # undecodable bytes are replaced, then matched like any text
    if service == "entity":
        assert_400(client.get(url, query_string={"prefix": "wijk", "limit": "9" * 5000}), "number")


def test_the_service_still_answers(client):
    assert client.get("/reconcile").status_code == 200


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_json_import_files(name):
    text, why = HOSTILE[name]
    if name == "10MB-string":  # an import file may hold long texts: it is read, and checked as a record
        records = list(read_json(json.dumps([{"id": "x", "type": "tool", "title": "x" * 10_000_000}]).encode()))
        assert len(records) == 1
        return
    with pytest.raises(RecordProblem) as refused:
        list(read_json(("[" + text + "]").encode("utf-8")))
    assert why.lower() in f"{refused.value.where}: {refused.value.why}".lower()


def test_nesting_is_measured_outside_strings():
    assert jsonsafe.nesting('{"a": "[[[[{{{{", "b": [1, [2]]}') == 3
    assert jsonsafe.loads('{"a": "[[[[", "b": [[[1]]]}') == {"a": "[[[[", "b": [[[1]]]}
    assert jsonsafe.loads('"\\ud83d\\ude00"') == "\U0001f600"  # a surrogate pair is one character
