"""The HTTP edge (issue 14 point 3, issue 15 point 1): every answer carries the security headers, every
error has the one shape, and content is chosen the same way everywhere.

Every route of ``app.url_map`` is walked with every status it can give (200, 204, 303, 304, 400, 401,
403, 404, 405, 406, 413, 415, 503): each answer, the /sparql fast path's, static files' and error pages'
included, has ``X-Content-Type-Options: nosniff`` and the Content-Security-Policy. A new route without
a sample here fails the walk. Errors are JSON for ``*/*`` and for no ``Accept`` at all, the explorer's
HTML page when a browser ranks HTML first; /sparql and /reconcile answers, errors included, allow any
origin.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

import pytest

from dsih_kg.app import create_app
from dsih_kg.config import load_settings
from dsih_kg.web import CSP

BASE = "https://w3id.org/dsih-kg"
LESSON = "micro-gezamenlijke-missie-formuleren"
TOKEN = "edge-test-token"
UPDATE = {"Content-Type": "application/sparql-update"}
ASK = "/sparql?query=" + quote("ASK { ?s ?p ?o }")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

#: rule -> (method, path, headers, body, expected status): at least one sample per route of the app.
SAMPLES: dict[str, list[tuple[str, str, dict, bytes | None, int]]] = {
    "/healthz": [("GET", "/healthz", {}, None, 200)],
    "/readyz": [("GET", "/readyz", {}, None, 200)],
    "/sparql": [
        ("GET", "/sparql", {}, None, 200),  # the service description
        ("GET", ASK, {}, None, 200),  # the fast path
        ("POST", "/sparql", FORM, b"query=ASK%20%7B%7D", 200),
        ("OPTIONS", "/sparql", {}, None, 204),
        ("GET", "/sparql?query=" + quote("SELECT ?x WHERE {"), {}, None, 400),
        ("GET", "/sparql?query=" + quote("SELECT ?x WHERE {"), HTML, None, 400),
        ("GET", "/sparql?update=" + quote("CLEAR ALL"), {}, None, 403),
        ("PUT", "/sparql", {}, b"", 405),
        ("GET", ASK, {"Accept": "application/pdf"}, None, 406),
        ("POST", "/sparql", {"Content-Type": "application/sparql-query"}, b"#" * 70_000, 413),
        ("POST", "/sparql", {"Content-Type": "text/plain"}, b"ASK {}", 415),
        ("GET", "/sparql?query=" + quote(SLOW), {}, None, 503),
    ],
    "/update": [
        ("POST", "/update", UPDATE, b"CLEAR GRAPH <urn:x:none>", 401),
        ("POST", "/update", {**UPDATE, "Authorization": "Bearer x"}, b"CLEAR ALL", 403),
        ("GET", "/update", {}, None, 405),
        ("POST", "/update", {"Content-Type": "text/plain", "Authorization": f"Bearer {TOKEN}"}, b"x", 415),
        ("POST", "/update", {**UPDATE, "Authorization": f"Bearer {TOKEN}"}, b"INSERT DATA {", 400),
    ],
    "/.well-known/void": [
        ("GET", "/.well-known/void", {}, None, 200),
        ("GET", "/.well-known/void", {"Accept": "application/pdf"}, None, 200),  # browsers get Turtle
        ("POST", "/.well-known/void", {}, b"", 405),
    ],
    "/static/explorer/<path:filename>": [
        ("GET", "/static/explorer/explorer.css", {}, None, 200),
        ("GET", "/static/explorer/no-such-file.css", {}, None, 404),
    ],
    "/": [("GET", "/", HTML, None, 200), ("POST", "/", {}, b"", 405)],
    "/lessons": [("GET", "/lessons", HTML, None, 200), ("GET", "/lessons?level=nano", HTML, None, 404)],
    "/id/<type_>/<slug>": [("GET", f"/id/lesson/{LESSON}", {}, None, 303), ("GET", "/id/x/y", {}, None, 404)],
    "/doc/<type_>/<slug>": [
        ("GET", f"/doc/lesson/{LESSON}", HTML, None, 200),
        ("GET", f"/doc/lesson/{LESSON}", {"Accept": "text/turtle"}, None, 200),
        ("GET", f"/doc/lesson/{LESSON}", {"Accept": "application/pdf"}, None, 406),
        ("GET", "/doc/lesson/no-such-lesson", HTML, None, 404),
        ("GET", "/doc/lesson/no-such-lesson", {}, None, 404),
    ],
    "/resource": [
        ("GET", f"/resource?iri={BASE}/def/dsih/Lesson", HTML, None, 200),
        ("GET", f"/resource?iri={BASE}/id/lesson/{LESSON}", {}, None, 303),
        ("GET", "/resource", HTML, None, 400),
    ],
    "/lang/<code>": [("GET", "/lang/en?next=/", {}, None, 303), ("GET", "/lang/xx", {}, None, 404)],
    "/search": [  # an over-long query is cut, not refused
        ("GET", "/search?q=missie", HTML, None, 200), ("GET", "/search?q=" + "x" * 5000, {}, None, 200)],
    "/search/suggest": [("GET", "/search/suggest?q=missie", {}, None, 200)],
    "/query": [("GET", "/query", HTML, None, 200)],  # the query editor (Yasgui)
    "/graph/<type_>/<slug>": [
        ("GET", f"/graph/lesson/{LESSON}", HTML, None, 200),
        ("GET", f"/graph/lesson/{LESSON}.json", {}, None, 200),
        ("GET", "/graph/lesson/nope", {}, None, 404),
    ],
    "/reconcile": [
        ("GET", "/reconcile", {}, None, 200),
        ("POST", "/reconcile", FORM, b"queries=%7Bnot%20json", 400),
        ("POST", "/reconcile", FORM, b"queries=" + b"%5B" * 70_000, 413),
        ("OPTIONS", "/reconcile", {}, None, 204),
        ("PUT", "/reconcile", {}, b"", 405),
    ],
    "/reconcile/suggest/entity": [
        ("GET", "/reconcile/suggest/entity?prefix=miss", {}, None, 200),
        ("GET", "/reconcile/suggest/entity?prefix=miss&limit=x", {}, None, 400),
    ],
    "/reconcile/suggest/type": [("GET", "/reconcile/suggest/type?prefix=les", {}, None, 200)],
    "/reconcile/suggest/property": [("GET", "/reconcile/suggest/property?prefix=x", {}, None, 200)],
    "/reconcile/preview": [
        ("GET", f"/reconcile/preview?id={BASE}/id/lesson/{LESSON}", {}, None, 200),
        ("GET", "/reconcile/preview?id=nope", {}, None, 404),
    ],
    "/about": [("GET", "/about", HTML, None, 200)],
    "/links": [
        ("GET", "/links", HTML, None, 200),
        ("GET", "/links?kind=no-such-kind", HTML, None, 404),
    ],
    '/<any("instruments", "helix-actors", "arenas", "themes", "concepts", "organisations", "categories"):kind>': [
        ("GET", "/instruments", HTML, None, 200),
        ("GET", "/concepts", {}, None, 200),
    ],
    "/advise": [
        ("GET", "/advise", HTML, None, 200),
        ("POST", "/advise", {"Accept": "application/json", **FORM}, b"text=", 400),
    ],
    "/def/dsih": [("GET", "/def/dsih", HTML, None, 200), ("GET", "/def/dsih", {"Accept": "text/turtle"}, None, 200)],
    "/def/dsih.<suffix>": [("GET", "/def/dsih.ttl", {}, None, 200)],
    "/def/dsih/": [("GET", "/def/dsih/", HTML, None, 200)],
    "/def/dsih/<name>": [("GET", "/def/dsih/Lesson", HTML, None, 200), ("GET", "/def/dsih/NoSuchTerm", {}, None, 404)],
    "/robots.txt": [("GET", "/robots.txt", {}, None, 200)],
    "/sitemap.xml": [("GET", "/sitemap.xml", {}, None, 200)],
}
UNROUTED = [("GET", "/no/such/page", {}, None, 404), ("GET", "/no/such/page", HTML, None, 404)]


@pytest.fixture(scope="module")
def app():
    settings = load_settings(
        environ={}, workers=2, update_token=TOKEN, query_timeout=3.0, max_body=65536, log_requests=True
    )
    application = create_app(settings)
    application.config["DSIH_EXPLORER_WARM"] = False
    yield application
    application.extensions["dsih_store"].close()


def send(app, method: str, path: str, headers: dict, body: bytes | None):
    response = app.test_client().open(path, method=method, headers=headers, data=body)
    response.close()  # runs the access log, as the server does once the body is sent
    return response


def assert_secured(response, what: str) -> None:
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    csp = response.headers.get("Content-Security-Policy", "")
    if " /reconcile/preview" in what:  # shown inside OpenRefine: it may be framed
        assert csp == CSP.replace("frame-ancestors 'none'", "frame-ancestors *"), what
    else:
        assert csp == CSP, what
    assert "script-src 'self'" in csp and "object-src 'none'" in csp and "unsafe-eval" not in csp


def assert_error_shape(response, status: int, what: str) -> None:
    if response.mimetype == "text/html":
        text = response.get_data(as_text=True)
        assert str(status) in text and '<main id="main">' in text, what  # the explorer's error page
    else:
        assert response.mimetype == "application/json", what
        body = response.get_json()
        assert body["status"] == status and len(body["error"]) > 10, (what, body)


def test_every_route_has_a_sample(app):
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert rules == set(SAMPLES), (rules ^ set(SAMPLES))


def test_every_route_and_status_carries_the_security_headers(app):
    seen: set[int] = set()
    for rule, samples in SAMPLES.items():
        for method, path, headers, body, status in samples:
            what = f"{method} {path[:80]} {headers.get('Accept', '')[:20]}"
            response = send(app, method, path, headers, body)
            assert response.status_code == status, (what, response.status_code, response.get_data(as_text=True)[:300])
            assert_secured(response, what)
            if status >= 400:
                assert_error_shape(response, status, what)
            if rule.startswith(("/sparql", "/update", "/reconcile", "/.well-known")):
                assert response.headers.get("Access-Control-Allow-Origin") == "*", what
            seen.add(status)
            if method == "GET" and status == 200 and response.headers.get("ETag"):  # revalidation: 304
                again = send(app, method, path, {**headers, "If-None-Match": response.headers["ETag"]}, body)
                assert again.status_code == 304, what
                assert_secured(again, "304 " + what)
                seen.add(304)
    for method, path, headers, body, status in UNROUTED:
        response = send(app, method, path, headers, body)
        assert response.status_code == status
        assert_secured(response, path)
        assert_error_shape(response, status, path)
    assert seen >= {200, 204, 303, 304, 400, 401, 403, 404, 405, 406, 413, 415, 503}, seen


@pytest.mark.parametrize("path", ["/no/such/page", "/sparql?query=SELECT", "/reconcile/preview?id=nope"])
def test_errors_are_json_unless_html_is_ranked_first(app, path):
    for accept in (None, "*/*", "application/json", "text/html;q=0.5, application/json"):
        response = send(app, "GET", path, {"Accept": accept} if accept else {}, None)
        assert response.mimetype == "application/json", (path, accept)
    for accept in ("text/html", HTML["Accept"], "application/json;q=0.5, text/html"):
        response = send(app, "GET", path, {"Accept": accept}, None)
        assert response.mimetype == "text/html", (path, accept)
        assert "<script" not in response.get_data(as_text=True).split("</head>", 1)[1]  # nothing reflected


def test_the_fast_path_answers_errors_through_the_one_handler(app, caplog):
    """A parse error met on the fast path gets the same answer and one access-log line."""
    with caplog.at_level(logging.INFO, logger="dsih_kg.access"):
        fast = send(app, "GET", "/sparql?query=" + quote("SELECT * WHERE { ?s"), {}, None)
        slow = send(app, "HEAD", "/sparql?query=" + quote("SELECT * WHERE { ?s"), {}, None)  # HEAD skips it
    assert fast.status_code == slow.status_code == 400
    assert "does not parse" in fast.get_json()["error"]
    assert fast.headers["Access-Control-Allow-Origin"] == "*" and "Server-Timing" in fast.headers
    lines = [r.getMessage() for r in caplog.records if r.name == "dsih_kg.access"]
    assert len([line for line in lines if '"GET /sparql' in line and " 400 " in line]) == 1, lines


def test_hostile_paths_are_not_reflected_raw_in_json_errors(app):
    response = send(app, "GET", "/doc/lesson/" + quote("<script>alert(1)</script>", safe=""), {}, None)
    assert response.status_code == 404 and "<script>" not in response.get_data(as_text=True)
    assert "<script>" in response.get_json()["error"]  # the JSON still says it, as \\u003c escapes
