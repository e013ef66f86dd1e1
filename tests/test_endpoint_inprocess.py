"""The endpoint in-process (issue 15, point 5): ``sparql/endpoint.py`` without Flask, and /update through
a fresh app that holds an update token.

An answer is kept per data generation under an ETag that a conditional request turns into a 304;
answers that differ each time (NOW(), RAND()...) are neither kept nor tagged; a syntax error is a 400
with the parser's message. Updates need ``Authorization: Bearer <token>`` (401 without, 403 with a wrong
one); once applied, no kept answer of the old data is served again.
"""

from __future__ import annotations

import pytest

from dsih_kg.app import create_app
from dsih_kg.config import load_settings
from dsih_kg.sparql.endpoint import Endpoint
from dsih_kg.sparql.protocol import FORM, UPDATE_TYPE, Operation, ProtocolError
from dsih_kg.stores import QuerySyntaxError
from http_helpers import assert_error
from sparql_support import LESSONS, SRJ, bindings

TOKEN = "in-process-token"
ASK_TEST = "ASK { <http://example.org/endpoint-test> ?p ?o }"
INSERT = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/endpoint-test> <http://example.org/p> 1 } }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


class CountingStore:
    """The app's store, counting the queries the endpoint sends it (everything else passes through)."""

    def __init__(self, store) -> None:
        self.store, self.executed = store, 0

    def execute(self, *args, **kwargs):
        self.executed += 1
        return self.store.execute(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self.store, name)


def endpoint_over(app, **overrides) -> tuple[Endpoint, CountingStore]:
    """A new endpoint (its own answer cache) over ``app``'s store, with settings ``overrides``."""
    store = CountingStore(app.extensions["dsih_store"])
    return Endpoint(store, app.config["DSIH_SETTINGS"].with_overrides(**overrides)), store


def ask_get(endpoint: Endpoint, query: str, accept: str | None = None, if_none_match: str | None = None):
    from urllib.parse import urlencode

    return endpoint.answer("GET", None, urlencode({"query": query}).encode(), b"", accept, if_none_match)


def test_an_answer_is_tagged_and_kept_for_the_generation(explorer_app):
    endpoint, store = endpoint_over(explorer_app)
    first = ask_get(endpoint, LESSONS, SRJ["Accept"])
    assert first.status == 200 and first.content_type == "application/sparql-results+json"
    assert first.headers["Vary"] == "Accept" and first.headers["Cache-Control"] == "no-cache"
    assert first.headers["ETag"].startswith('"') and b'"lesson"' in first.body
    again = ask_get(endpoint, LESSONS, SRJ["Accept"])
    assert (again.status, again.body, again.headers) == (200, first.body, first.headers)
    assert store.executed == 1  # the second answer came from memory
    other = ask_get(endpoint, LESSONS, "text/csv")
    assert other.headers["ETag"] != first.headers["ETag"] and store.executed == 2


@pytest.mark.parametrize("header", ["{etag}", "W/{etag}", '"other", {etag}', "*"])
def test_a_matching_if_none_match_gets_304_without_a_body(explorer_app, header):
    endpoint, _ = endpoint_over(explorer_app)
    etag = ask_get(endpoint, LESSONS).headers["ETag"]
    not_modified = ask_get(endpoint, LESSONS, None, header.format(etag=etag))
    assert not_modified.status == 304 and not_modified.body == b"" and not_modified.headers["ETag"] == etag
    fresh, _ = endpoint_over(explorer_app)  # nothing kept yet: the tag is the same, still a 304
    assert ask_get(fresh, LESSONS, None, etag).status == 304
    assert ask_get(fresh, LESSONS, None, '"something else"').status == 200


def test_answers_that_differ_each_time_are_neither_kept_nor_tagged(explorer_app):
    endpoint, store = endpoint_over(explorer_app)
    for _ in range(2):
        reply = ask_get(endpoint, "SELECT (NOW() AS ?t) (RAND() AS ?r) {}", None, "*")
        assert reply.status == 200 and "ETag" not in reply.headers
        assert reply.headers["Cache-Control"] == "no-store"
    assert store.executed == 2


def test_the_cache_keeps_the_most_recent_answers_only(explorer_app):
    endpoint, store = endpoint_over(explorer_app, result_cache=1)
    for query in ("ASK { ?s ?p 1 }", "ASK { ?s ?p 2 }", "ASK { ?s ?p 1 }"):
        ask_get(endpoint, query)
    assert store.executed == 3
    off, store = endpoint_over(explorer_app, result_cache=0)
    tags = {ask_get(off, "ASK { ?s ?p 1 }").headers["ETag"] for _ in range(2)}
    assert store.executed == 2 and len(tags) == 1  # the tag does not depend on the cache


def test_a_get_without_query_is_left_to_the_description(explorer_app):
    endpoint, store = endpoint_over(explorer_app)
    assert endpoint.answer("GET", None, b"", b"", None) is None and store.executed == 0


def test_a_syntax_error_carries_the_parsers_message(explorer_app):
    """The HTTP edge makes it a 400 (test_protocol_inprocess.py); here it is raised with the position."""
    endpoint, _ = endpoint_over(explorer_app)
    with pytest.raises((ProtocolError, QuerySyntaxError)) as info:
        ask_get(endpoint, "SELECT * WHERE { ?s ?p ")
    assert getattr(info.value, "status", 400) == 400 and "1:" in str(info.value)


def test_updates_are_off_without_a_token(explorer_app):
    endpoint, _ = endpoint_over(explorer_app)
    with pytest.raises(ProtocolError) as info:
        endpoint.update(Operation(INSERT), f"Bearer {TOKEN}")
    assert info.value.status == 403 and "DSIH_UPDATE_TOKEN" in info.value.message


# --- updates, on an app of their own -------------------------------------------------------------------


@pytest.fixture(scope="module")
def writable_app():
    """The service with an update token (one query worker: it starts faster); writes stay in this app."""
    app = create_app(load_settings(environ={}, update_token=TOKEN, workers=1))
    app.config["TESTING"] = True
    yield app
    app.extensions["dsih_store"].close()


@pytest.fixture
def writer(writable_app):
    return writable_app.test_client()


def test_an_update_needs_the_bearer_token(writer):
    assert_error(writer.post("/update", data={"update": INSERT}), 401, "Bearer")
    assert writer.post("/update", data={"update": INSERT}).headers["WWW-Authenticate"].startswith("Bearer")
    assert_error(writer.post("/update", data={"update": INSERT}, headers={"Authorization": "Bearer wrong"}), 403)
    assert_error(writer.post("/update", data={"update": INSERT}, headers={"Authorization": f"Basic {TOKEN}"}), 401)
    assert_error(writer.get("/update", query_string={"update": INSERT}), 405)
    assert writer.get("/sparql", query_string={"query": ASK_TEST}).get_json()["boolean"] is False


def test_an_update_with_the_token_is_applied_and_no_old_answer_is_served(writer):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = writer.get("/sparql", query_string={"query": COUNT}, headers=SRJ)
    etag = before.headers["ETag"]
    assert (
        writer.get("/sparql", query_string={"query": COUNT}, headers={**SRJ, "If-None-Match": etag}).status_code == 304
    )
    applied = writer.post("/update", data=INSERT.encode(), content_type=UPDATE_TYPE, headers=auth)
    assert applied.status_code == 204, applied.get_data(as_text=True)
    assert writer.get("/sparql", query_string={"query": ASK_TEST}).get_json()["boolean"] is True
    after = writer.get("/sparql", query_string={"query": COUNT}, headers={**SRJ, "If-None-Match": etag})
    assert after.status_code == 200 and after.headers["ETag"] != etag
    assert int(bindings(after, "n")[0]) == int(bindings(before, "n")[0]) + 1
    removed = writer.post(
        "/update", data={"update": "DROP GRAPH <http://example.org/g>"}, content_type=FORM, headers=auth
    )
    assert removed.status_code == 204
    assert writer.get("/sparql", query_string={"query": ASK_TEST}).get_json()["boolean"] is False


def test_a_bad_update_is_a_400_with_a_message(writer):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert_error(writer.post("/update", data={"update": "INSERT DATA {"}, headers=auth), 400, "parse")
    assert_error(writer.post("/update", data=LESSONS, content_type=UPDATE_TYPE, headers=auth), 400, "/sparql")
    assert_error(writer.post("/update", data="x", content_type="text/plain", headers=auth), 415)
