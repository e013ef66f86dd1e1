"""The one assertion for the HTTP error shape, and small helpers the HTTP tests share."""

from __future__ import annotations

import requests

JSON = {"Accept": "application/json"}


def assert_error(response: requests.Response, status: int | tuple[int, ...], contains: str = "") -> dict:
    """The response is an error with the one JSON shape ``{"error": message, "status": code}``."""
    statuses = (status,) if isinstance(status, int) else status
    assert response.status_code in statuses, (response.status_code, response.text[:500])
    assert response.headers["Content-Type"].startswith("application/json"), response.headers["Content-Type"]
    body = response.json()
    assert body["status"] == response.status_code
    assert isinstance(body["error"], str) and len(body["error"]) > 10, body
    if contains:
        assert contains.lower() in body["error"].lower(), body["error"]
    return body
