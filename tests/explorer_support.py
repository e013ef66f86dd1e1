"""Fixtures and constants the explorer tests share: the real app (built graph, embedded Oxigraph store)."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from dsih_kg.app import create_app
from dsih_kg.config import load_settings

BASE = "https://w3id.org/dsih-kg"
MICRO = "micro-gezamenlijke-missie-formuleren"
MESO = "meso-gedeelde-missie-formuleren-voor-de-opgave"
MACRO = "macro-dialoog-over-de-missie-en-leiderschap-centraal-stellen"
INSTRUMENT = "stakeholderanalyse"
NL = {"Accept-Language": "nl"}
EN = {"Accept-Language": "en"}


@pytest.fixture(scope="session")
def explorer_app():
    """The service's WSGI app on the built graph, as `dsih-kg serve` makes it (no environment leaks in)."""
    app = create_app(load_settings(environ={}))
    app.config["TESTING"] = True
    yield app
    app.extensions["dsih_store"].close()


@pytest.fixture
def client(explorer_app):
    return explorer_app.test_client()


class Links(HTMLParser):
    """Collects (href, text, class) of every <a> and (rel, type, href) of every <link>."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[tuple[str, str, str]] = []
        self.links: list[dict[str, str]] = []
        self._open: list[list] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self._open.append([attrs.get("href", ""), "", attrs.get("class", "")])
        elif tag == "link":
            self.links.append(attrs)

    def handle_data(self, data):
        for item in self._open:
            item[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            href, text, cls = self._open.pop()
            self.anchors.append((href, " ".join(text.split()), cls))


def parse_links(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def text_of(html: str) -> str:
    """The visible text of a page, roughly (tags removed, white space collapsed)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
