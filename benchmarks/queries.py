"""The fixed researcher query mix: nine kinds of query, each with numbered variants.

Variant ``n`` of a query differs from every other variant in its text (another level, category, lesson,
word or offset where the query has one, and always an always-true ``FILTER(n >= 0)``), so a cache keyed
on the request cannot answer it, while the engine does the same work: that is a *distinct* query. Sending
variant 0 again and again is a *repeated* query. Both servers get the same variants in the same order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import product
from pathlib import Path

PREFIXES = """PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
SELECT_MEDIA = "application/sparql-results+json"
GRAPH_MEDIA = "text/turtle"
#: How the linker ties an imported record to a lesson (an asserted link).
RECORD_LINK = "dcterms:relation"

#: Words researchers look for in lesson texts and record descriptions (Dutch and English).
SEARCH_WORDS = [
    "vertrouwen",
    "draagvlak",
    "veerkracht",
    "megatrends",
    "experiment",
    "scenario",
    "silo",
    "leiderschap",
    "gedrag",
    "digitalisering",
    "trust",
    "living lab",
    "co-creatie",
    "regie",
    "storytelling",
    "ecosyste",
    "opschal",
    "impact",
    "community",
    "missie",
    "burger",
    "pilot",
    "netwerk",
    "kennis",
    "dialoog",
    "data",
    "innovatiehub",
    "transitie",
    "reflectie",
    "canvas",
]
RECORD_TYPES = ["solution", "use-case", "tool", "commitment", "organisation", "dataset"]


@dataclass(frozen=True)
class Vocabulary:
    """What the queries are about, read from the curated graph: IRIs of lessons, levels, categories."""

    base: str
    lessons: list[str]
    levels: list[str]
    categories: list[str]

    @classmethod
    def from_nquads(cls, path: Path, base: str = "https://w3id.org/dsih-kg") -> Vocabulary:
        text = path.read_text(encoding="utf-8")

        def ids(kind: str) -> list[str]:
            return sorted(set(re.findall(rf"<{re.escape(base)}/id/{kind}/([a-z0-9-]+)>", text)))

        return cls(base, ids("lesson"), ids("level"), ids("category"))

    def iri(self, kind: str, slug: str) -> str:
        return f"<{self.base}/id/{kind}/{slug}>"


@dataclass(frozen=True)
class Query:
    """One kind of query in the mix."""

    key: str
    title: str
    form: str  # "select" or "graph" (CONSTRUCT/DESCRIBE): decides the Accept header
    simple: bool  # counted for the throughput target on simple queries
    make: Callable[[Vocabulary, int], str]

    def text(self, vocab: Vocabulary, n: int) -> str:
        return PREFIXES + self.make(vocab, n)

    @property
    def accept(self) -> str:
        return SELECT_MEDIA if self.form == "select" else GRAPH_MEDIA


def _cell(v: Vocabulary, n: int) -> tuple[str, str]:
    level, category = list(product(v.levels, v.categories))[n % (len(v.levels) * len(v.categories))]
    return v.iri("level", level), v.iri("category", category)


def variant(n: int) -> str:
    """A filter that is always true: it makes the text of variant ``n`` unique, so that no cache keyed
    on the request can answer it, without changing the answer or the work."""
    return f"FILTER({n} >= 0)"


def _lookup(v: Vocabulary, n: int) -> str:
    level, category = _cell(v, n)
    return f"""SELECT ?lesson ?title WHERE {{
  ?lesson a dsih:Lesson ; dsih:level {level} ; dsih:category {category} ; dcterms:title ?title .
  FILTER(lang(?title) = "nl") {variant(n)}
}} ORDER BY ?title LIMIT 100"""


def _describe(v: Vocabulary, n: int) -> str:
    lesson = v.iri("lesson", v.lessons[n % len(v.lessons)])
    return f"DESCRIBE ?lesson WHERE {{ VALUES ?lesson {{ {lesson} }} {variant(n)} }}"


def _cross_level(v: Vocabulary, n: int) -> str:
    pairs = [(a, b) for a in v.levels for b in v.levels if a != b]
    a, b = pairs[n % len(pairs)]
    return f"""SELECT ?a ?titleA ?b ?titleB (COUNT(?record) AS ?records) WHERE {{
  ?a dsih:level {v.iri("level", a)} ; dsih:relatedAcrossLevels ?b ; dcterms:title ?titleA .
  ?b dsih:level {v.iri("level", b)} ; dcterms:title ?titleB .
  FILTER(lang(?titleA) = "nl" && lang(?titleB) = "nl") {variant(n)}
  OPTIONAL {{ ?record {RECORD_LINK} ?b ; a dsih:ImportedRecord }}
}} GROUP BY ?a ?titleA ?b ?titleB ORDER BY DESC(?records) ?a ?b LIMIT 1000"""


def _text_search(v: Vocabulary, n: int) -> str:
    word = SEARCH_WORDS[n % len(SEARCH_WORDS)]
    return f"""SELECT ?s ?title WHERE {{
  {{ ?s dcterms:title ?title FILTER(CONTAINS(LCASE(?title), "{word}")) }}
  UNION {{ ?s dsih:text ?text ; dcterms:title ?title FILTER(REGEX(?text, "{word}", "i")) }}
  {variant(n)}
}} ORDER BY ?title ?s LIMIT 50"""


def _aggregation(v: Vocabulary, n: int) -> str:
    return f"""SELECT ?type ?country (COUNT(?record) AS ?records) WHERE {{
  ?record dcterms:type ?type ; dcterms:spatial ?country . {variant(n)}
}} GROUP BY ?type ?country ORDER BY DESC(?records) ?type ?country LIMIT 100"""


def _property_path(v: Vocabulary, n: int) -> str:
    lesson = v.iri("lesson", v.lessons[(7 * n) % len(v.lessons)])
    return f"""SELECT (COUNT(DISTINCT ?x) AS ?reached) WHERE {{
  {lesson} dsih:relatedAcrossLevels+/^{RECORD_LINK} ?x . {variant(n)}
}}"""


def _language_fallback(v: Vocabulary, n: int) -> str:
    pref, other = ("nl", "en") if n % 2 == 0 else ("en", "nl")
    kind = RECORD_TYPES[(n // 2) % len(RECORD_TYPES)]
    offset = 50 * ((n // 12) % 10)
    return f"""SELECT ?s ?label WHERE {{
  {{ ?s a dsih:Lesson }} UNION {{ ?s a dsih:ImportedRecord ; dcterms:type "{kind}" }}
  OPTIONAL {{ ?s dcterms:title ?preferred FILTER(lang(?preferred) = "{pref}") }}
  OPTIONAL {{ ?s dcterms:title ?fallback FILTER(lang(?fallback) = "{other}") }}
  BIND(COALESCE(?preferred, ?fallback, STR(?s)) AS ?label)
  {variant(n)}
}} LIMIT 100 OFFSET {offset}"""


def _order_limit(v: Vocabulary, n: int) -> str:
    return f"""SELECT ?record ?title ?modified WHERE {{
  {{ SELECT ?record ?modified WHERE {{ ?record dcterms:modified ?modified }}
    ORDER BY DESC(?modified) ?record LIMIT 20 OFFSET {20 * (n % 50)} }}
  ?record dcterms:title ?title . {variant(n)}
}}"""


def _construct(v: Vocabulary, n: int) -> str:
    level, category = _cell(v, n)
    return f"""CONSTRUCT {{
  ?lesson dcterms:title ?title .
  ?record {RECORD_LINK} ?lesson ; dcterms:title ?recordTitle .
}} WHERE {{
  ?lesson dsih:level {level} ; dsih:category {category} ; dcterms:title ?title .
  OPTIONAL {{ ?record {RECORD_LINK} ?lesson ; a dsih:ImportedRecord ; dcterms:title ?recordTitle }}
  {variant(n)}
}} LIMIT 2000"""


MIX: list[Query] = [
    Query("lookup", "lookup by level and category", "select", True, _lookup),
    Query("describe", "resource description (DESCRIBE a lesson)", "graph", True, _describe),
    Query("cross-level", "cross-level join (+ linked records)", "select", False, _cross_level),
    Query("text-search", "text search (CONTAINS titles, REGEX lesson texts)", "select", False, _text_search),
    Query("aggregation", "aggregation (records per type and country)", "select", False, _aggregation),
    Query("property-path", "property path (relatedAcrossLevels+/^relation)", "select", False, _property_path),
    Query("language", "language fallback (COALESCE @nl/@en)", "select", False, _language_fallback),
    Query("order-limit", "ORDER BY/LIMIT (latest records)", "select", False, _order_limit),
    Query("construct", "CONSTRUCT (lessons of a cell + linked records)", "graph", False, _construct),
]
