"""Static assets, light: a content hash in every URL, cached for a year, sent compressed.

``url_for('explorer.static', filename=…)`` gets ``?v=<hash of the file's content>``, so the HTML names
the exact version it needs and the file can be cached ``public, max-age=31536000, immutable``; a URL
without the current hash (an old page, a hand-typed address) is answered with ``no-cache`` and an ETag
instead. Text assets are compressed once (brotli when the library is there, gzip always), kept in
memory, and sent by ``Accept-Encoding`` with ``Content-Encoding`` and ``Vary: Accept-Encoding``.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, Response, abort, request
from werkzeug.security import safe_join

try:  # brotli is a dependency; a missing wheel only costs the better compression
    import brotli
except ImportError:  # pragma: no cover
    brotli = None

IMMUTABLE = "public, max-age=31536000, immutable"
COMPRESSIBLE = (".js", ".css", ".svg", ".json", ".txt", ".html", ".map", ".xml")
MIN_SIZE = 512  # smaller files gain nothing from compression


@dataclass
class Asset:
    data: bytes
    digest: str
    mtime: float
    encoded: dict[str, bytes] = field(default_factory=dict)


class Assets:
    """The files of one static folder: content hashes and compressed copies, cached by modification time."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._cache: dict[str, Asset] = {}
        self._lock = threading.Lock()

    def get(self, filename: str) -> Asset | None:
        path = safe_join(str(self.folder), filename)
        if path is None or not Path(path).is_file():
            return None
        mtime = Path(path).stat().st_mtime
        with self._lock:
            asset = self._cache.get(filename)
            if asset is None or asset.mtime != mtime:
                data = Path(path).read_bytes()
                asset = Asset(data, hashlib.sha256(data).hexdigest()[:16], mtime)
                self._cache[filename] = asset
        return asset

    def digest(self, filename: str) -> str | None:
        asset = self.get(filename)
        return asset.digest if asset else None

    def encoded(self, filename: str, asset: Asset, encoding: str) -> bytes | None:
        """The asset compressed with ``encoding`` (br or gzip), made once; None when not worth it."""
        if not filename.endswith(COMPRESSIBLE) or len(asset.data) < MIN_SIZE:
            return None
        if encoding == "br" and brotli is None:
            return None
        with self._lock:
            cached = asset.encoded.get(encoding)
        if cached is None:
            if encoding == "br":
                cached = brotli.compress(asset.data, quality=11 if len(asset.data) < 200_000 else 9)
            else:
                cached = gzip.compress(asset.data, compresslevel=9, mtime=0)
            with self._lock:
                asset.encoded[encoding] = cached
        return cached

    def warm(self) -> None:
        """Hash and compress every compressible file now (at start, off the request path)."""
        for path in sorted(self.folder.rglob("*")):
            name = path.relative_to(self.folder).as_posix()
            asset = self.get(name) if path.is_file() else None
            if asset is not None:
                for encoding in ("br", "gzip"):
                    self.encoded(name, asset, encoding)


def init_app(app: Flask, endpoint: str = "explorer.static") -> None:
    """Serve the blueprint's static folder through :class:`Assets` and put the hash into its URLs."""
    blueprint = app.blueprints[endpoint.split(".")[0]]
    assets = Assets(Path(blueprint.static_folder))
    app.extensions["dsih_assets"] = assets

    def add_hash(ep: str, values: dict) -> None:
        if ep == endpoint and "filename" in values and "v" not in values:
            digest = assets.digest(values["filename"])
            if digest:
                values["v"] = digest

    def serve(filename: str) -> Response:
        asset = assets.get(filename)
        if asset is None:
            abort(404, f"No static file {filename}.")
        encoding = _encoding(filename, asset, assets)
        body = assets.encoded(filename, asset, encoding) if encoding else asset.data
        mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        response = Response(body, mimetype=mimetype)
        if encoding:
            response.headers["Content-Encoding"] = encoding
        response.vary.add("Accept-Encoding")
        response.set_etag(f"{asset.digest}-{encoding or 'identity'}")
        if request.args.get("v") == asset.digest:
            response.headers["Cache-Control"] = IMMUTABLE
        else:
            response.headers["Cache-Control"] = "no-cache"
        return response.make_conditional(request)

    app.url_defaults(add_hash)
    app.view_functions[endpoint] = serve
    if app.config.get("DSIH_EXPLORER_WARM", True):
        threading.Thread(target=assets.warm, name="assets-warm", daemon=True).start()


def _encoding(filename: str, asset: Asset, assets: Assets) -> str | None:
    """The best encoding the client accepts and we have: br, then gzip, else none."""
    accepted = request.accept_encodings
    for encoding in ("br", "gzip"):
        if accepted[encoding] > 0 and assets.encoded(filename, asset, encoding) is not None:
            return encoding
    return None
