"""The /sparql fast path in-process (issue 15, point 5): the WSGI callable the server runs, called with
a WSGI environ, against the Flask app behind it.

Whatever it answers itself (a first answer, the same request again from memory, a 304) is byte for byte
what Flask would have answered, headers included; a repeat is answered before any parsing; what it
does not handle (HEAD, OPTIONS, other paths, chunked or oversized bodies) reaches Flask untouched;
errors keep the one shape; the access log line is written once the body is sent.
"""

from __future__ import annotations

import io

import pytest
from werkzeug.test import EnvironBuilder

from dsih_kg.sparql.fastpath import FastPath
from dsih_kg.sparql.protocol import QUERY_TYPE
from http_helpers import assert_error
from sparql_support import CONSTRUCT, LESSONS, SRJ, visible_headers, wsgi


@pytest.fixture
def fastpath(explorer_app) -> FastPath:
    """The app's WSGI callable as waitress calls it: the fast path, in front of Flask (``.app``)."""
    front = explorer_app.wsgi_app
    assert isinstance(front, FastPath) and front is explorer_app.extensions["dsih_fastpath"]
    return front


class Spy:
    """A WSGI callable that counts the requests it passes on to ``app``."""

    def __init__(self, app) -> None:
        self.app, self.calls = app, 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.app(environ, start_response)


def request(how: str, query: str, **headers: str) -> dict:
    """Arguments of a query request sent by GET, POST form or POST direct."""
    if how == "get":
        return {"path": "/sparql", "query_string": {"query": query}, "headers": headers}
    if how == "form":
        return {"path": "/sparql", "method": "POST", "data": {"query": query}, "headers": headers}
    return {"path": "/sparql", "method": "POST", "data": query.encode(), "content_type": QUERY_TYPE, "headers": headers}


def assert_same(fast, slow) -> None:
    assert fast.status == slow.status and fast.data == slow.data
    assert visible_headers(fast) == visible_headers(slow)


@pytest.mark.parametrize("how", ["get", "form", "direct"])
@pytest.mark.parametrize(
    "query, accept",
    [(LESSONS, SRJ["Accept"]), (LESSONS, "text/csv"), (CONSTRUCT, "text/turtle"), ("ASK {}", None)],
    ids=["json", "csv", "turtle", "ask"],
)
def test_the_fast_path_answers_what_flask_answers(fastpath, how, query, accept):
    args = request(how, f"{query} # fast path {how}", **({"Accept": accept} if accept else {}))
    by_flask = wsgi(fastpath.app, **args)
    assert by_flask.status_code == 200 and "Server-Timing" in by_flask.headers
    first, again = wsgi(fastpath, **args), wsgi(fastpath, **args)  # computed, then from memory
    assert_same(first, by_flask)
    assert_same(again, by_flask)
    args["headers"]["If-None-Match"] = by_flask.headers["ETag"]
    not_modified = wsgi(fastpath, **args)
    assert_same(not_modified, wsgi(fastpath.app, **args))
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert "Content-Type" not in not_modified.headers
    assert not_modified.headers["Access-Control-Allow-Origin"] == "*"


def test_a_repeat_is_answered_from_memory_before_any_parsing(fastpath, monkeypatch):
    args = request("get", LESSONS + " # from memory", **SRJ)
    first = wsgi(fastpath, **args)

    def no_more(*_args, **_kwargs):
        raise AssertionError("the endpoint was asked again")

    monkeypatch.setattr(fastpath.endpoint, "answer", no_more)
    monkeypatch.setattr(fastpath, "app", Spy(fastpath.app))
    assert_same(wsgi(fastpath, **args), first)
    args["headers"]["If-None-Match"] = first.headers["ETag"]
    assert wsgi(fastpath, **args).status_code == 304
    assert fastpath.app.calls == 0


@pytest.mark.parametrize(
    "args",
    [
        {"path": "/sparql", "method": "HEAD", "query_string": {"query": "ASK {}"}},
        {"path": "/sparql", "method": "OPTIONS"},
        {"path": "/sparql"},  # the service description
        {"path": "/healthz"},
    ],
    ids=["head", "options", "description", "other-path"],
)
def test_what_it_does_not_answer_reaches_flask(fastpath, monkeypatch, args):
    spy = Spy(fastpath.app)
    monkeypatch.setattr(fastpath, "app", spy)
    response = wsgi(fastpath, **args)
    assert spy.calls == 1 and response.status_code in (200, 204)


def test_a_chunked_body_reaches_flask_and_is_answered(fastpath, monkeypatch):
    spy = Spy(fastpath.app)
    monkeypatch.setattr(fastpath, "app", spy)
    environ = EnvironBuilder(
        path="/sparql", method="POST", content_type=QUERY_TYPE, headers=SRJ, input_stream=io.BytesIO(b"ASK {}")
    ).get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ.update({"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input_terminated": True})
    response = wsgi(fastpath, environ)
    assert spy.calls == 1 and response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json(force=True)["boolean"] is True


def test_an_oversized_body_gets_flasks_413(fastpath, explorer_app):
    limit = explorer_app.config["DSIH_SETTINGS"].max_body
    response = wsgi(fastpath, "/sparql", method="POST", data=b" " * (limit + 1), content_type=QUERY_TYPE)
    assert_error(response, 413)


@pytest.mark.parametrize(
    "args, status",
    [
        (request("get", "SELECT ?x WHERE {"), 400),
        (request("get", LESSONS, Accept="image/png"), 406),
        ({"path": "/sparql", "method": "POST", "data": b"x", "content_type": "text/plain"}, 415),
    ],
    ids=["syntax", "no-format", "content-type"],
)
def test_errors_keep_the_one_shape_on_the_fast_path(fastpath, args, status):
    for _ in range(2):  # also after answers from memory
        fast, slow = wsgi(fastpath, **args), wsgi(fastpath.app, **args)
        assert_error(fast, status)
        assert (fast.status, fast.data, fast.headers["Content-Type"]) == (
            slow.status,
            slow.data,
            slow.headers["Content-Type"],
        )
        assert fast.headers["Access-Control-Allow-Origin"] == "*"


def test_the_access_log_is_written_once_the_body_is_sent(fastpath):
    lines: list[tuple] = []
    front = FastPath(
        fastpath.app,
        fastpath.endpoint,
        fastpath.extra_headers,
        size=4,
        max_body=fastpath.max_body,
        log=lambda *record: lines.append(record),
    )
    environ = EnvironBuilder(path="/sparql", query_string={"query": "ASK { ?s ?p 'log' }"}).get_environ()
    started: list = []
    body = front(environ, lambda status, headers: started.append((status, dict(headers))))
    assert started[0][0] == "200 OK" and started[0][1]["Server-Timing"].startswith("app;dur=")
    assert lines == []  # the client does not wait for the log
    content = b"".join(body)
    body.close()
    [(logged_environ, status, length, elapsed)] = lines
    assert logged_environ is environ and status == 200 and length == len(content) and elapsed >= 0
