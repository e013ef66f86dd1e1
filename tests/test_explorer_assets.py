"""Static assets are light (issue 13, point 8): a content hash in every URL the HTML names, cached for a
year as immutable, sent compressed (brotli or gzip by Accept-Encoding, with Content-Encoding and Vary);
a URL without the current hash is revalidated instead (no-cache, ETag, 304).
"""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest

STATIC = Path(__file__).resolve().parents[1] / "src" / "dsih_kg" / "explorer" / "static"


def digest(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:16]


def test_pages_name_assets_by_their_content_hash(client):
    html = client.get("/query").get_data(as_text=True)
    for name in ("explorer.css", "explorer.js", "query.js", "vendor/yasgui.min.js", "vendor/yasgui.min.css"):
        assert f"/static/explorer/{name}?v={digest(name)}" in html, name
    assert not re.search(r'/static/explorer/[^"?]+"', html)  # no asset without its hash


@pytest.mark.parametrize("encoding, decode", [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_hashed_assets_are_compressed_and_immutable(client, encoding, decode):
    for name in ("explorer.css", "vendor/yasgui.min.js"):
        response = client.get(f"/static/explorer/{name}?v={digest(name)}", headers={"Accept-Encoding": encoding})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == encoding
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "Accept-Encoding" in response.headers["Vary"]
        body = response.get_data()
        assert decode(body) == (STATIC / name).read_bytes()
        assert len(body) < (STATIC / name).stat().st_size / 2


def test_brotli_is_preferred_and_identity_is_the_fallback(client):
    name = "vendor/yasgui.min.js"
    url = f"/static/explorer/{name}?v={digest(name)}"
    assert client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"}).headers["Content-Encoding"] == "br"
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.get_data() == (STATIC / name).read_bytes()


def test_an_asset_without_the_current_hash_is_revalidated(client):
    for url in ("/static/explorer/explorer.css", "/static/explorer/explorer.css?v=0000000000000000"):
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
        again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304


def test_unknown_or_escaping_static_paths_are_404(client):
    assert client.get("/static/explorer/nothing.js").status_code == 404
    assert client.get("/static/explorer/../views.py").status_code == 404
