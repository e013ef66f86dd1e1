"""The explorer as served (issue 5 points 2, 4, 8 and issue 8 point 7), over HTTP on 127.0.0.1.

Contract: HTML pages carry nosniff and a Content-Security-Policy that allows only this site's scripts;
hostile text in search terms, paths and data comes back escaped; path traversal in static and /doc/
routes is a 404/400; records that a linkset graph links to a lesson show on its page.
"""

from __future__ import annotations

import socket

import requests

from explorer_support import BASE, MICRO

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_security_headers_on_every_explorer_page(live_server):
    for path in (
        "/",
        f"/doc/lesson/{MICRO}",
        "/search?q=missie",
        "/query",
        f"/graph/lesson/{MICRO}",
        "/doc/lesson/nope",
        "/static/explorer/explorer.css",
    ):
        response = requests.get(live_server + path, timeout=10)
        assert response.headers.get("X-Content-Type-Options") == "nosniff", path
        csp = response.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in csp and "unsafe-eval" not in csp and "object-src 'none'" in csp, path
        assert "frame-ancestors 'none'" in csp


def test_hostile_search_terms_and_paths_come_back_escaped(live_server):
    pages = [
        requests.get(live_server + "/search", params={"q": HOSTILE}, timeout=10),
        requests.get(
            live_server + "/resource", params={"iri": "urn:x:" + HOSTILE.replace(" ", "")}, timeout=10
        ),
        requests.get(live_server + "/doc/lesson/" + requests.utils.quote(HOSTILE, safe=""), timeout=10),
        requests.get(live_server + "/lessons", params={"level": HOSTILE}, timeout=10),
    ]
    for page in pages:
        assert page.status_code < 500
        assert "<script>alert" not in page.text and "<img src=x" not in page.text, page.url


def raw_get(url: str, path: str) -> int:
    """Send ``path`` exactly as written (clients would normalise the dot segments away)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        head = sock.recv(200).decode("latin-1")
    return int(head.split()[1])


def test_path_traversal_is_refused(live_server):
    for path in (
        "/static/explorer/../../app.py",
        "/static/explorer/%2e%2e/%2e%2e/app.py",
        "/static/explorer/..%2f..%2fapp.py",
        "/static/explorer/../../../../etc/passwd",
        "/doc/lesson/..%2f..%2f..%2fetc%2fpasswd",
        "/doc/../../etc/passwd",
        "/graph/lesson/..%2f..%2fx",
    ):
        status = raw_get(live_server, path)
        assert status in (400, 404), (path, status)


def test_linked_records_and_hostile_data_on_the_lesson_page(server_factory):
    server = server_factory(DSIH_UPDATE_TOKEN="explorer-test-token")
    lesson = f"{BASE}/id/lesson/{MICRO}"
    graph = f"{BASE}/id/graph/linkset-explorer-test"
    record = f"{BASE}/id/record/explorer-test-1"
    hostile = HOSTILE.replace('"', "'")
    update = f"""
        PREFIX dsih: <{BASE}/def/dsih/>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        INSERT DATA {{
          GRAPH <{BASE}/id/graph/records-explorer-test> {{ <{record}> rdfs:label "Stadslab {hostile}" . }}
          GRAPH <{graph}> {{
            <{record}> dcterms:relation <{lesson}> .
            <{lesson}> dsih:citesURL <javascript:alert(1)> .
            <{graph}/link-1> dsih:linkSource <{record}> ; dsih:linkTarget <{lesson}> ;
                dsih:score 0.91 ; dsih:linkStatus "asserted" ; dsih:matchedWords "missie stakeholders" .
            <{graph}/link-2> dsih:linkSource <{record}-rejected> ; dsih:linkTarget <{lesson}> ;
                dsih:linkStatus "rejected" .
          }}
        }}"""
    done = requests.post(
        server + "/update",
        data=update.encode(),
        timeout=20,
        headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer explorer-test-token"},
    )
    assert done.status_code in (200, 204), done.text
    page = requests.get(server + f"/doc/lesson/{MICRO}", headers={"Accept-Language": "en"}, timeout=10)
    assert page.status_code == 200
    assert "Linked external records" in page.text
    assert "Stadslab" in page.text and "missie stakeholders" in page.text
    assert "explorer-test-1-rejected" not in page.text
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    assert 'href="javascript:' not in page.text
    resource = requests.get(server + f"/doc/lesson/{MICRO}.ttl", timeout=10)
    assert "javascript:alert(1)" in resource.text  # kept as data, never as a link
