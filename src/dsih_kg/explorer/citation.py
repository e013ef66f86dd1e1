"""'Cite this' for a lesson: APA and BibTeX, generated from the data (title, publication, year, authors).

The lesson is cited as a part of the publication (APA: a chapter in an edited work; BibTeX:
``@incollection``), with its IRI as the address. The authors are the publication's ``dcterms:creator``
organisations in alphabetical order (the graph keeps no order of them); the year is its ``dcterms:issued``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rdflib.namespace import DCTERMS, SKOS

from ..stores.base import Store

_BIBTEX_SPECIAL = re.compile(r"([{}\\%&$#_^~])")


@dataclass(frozen=True)
class Citation:
    authors: list[str]
    year: str
    title: str
    container: str
    publisher: str
    url: str
    key: str

    def apa(self) -> str:
        """APA 7, as plain text (the container title is italic on the page)."""
        return f"{_apa_authors(self.authors)} ({self.year or 'n.d.'}). {self.title}. In {self.container}. " + (
            f"{self.publisher}. {self.url}" if self.publisher else self.url
        )

    def bibtex(self) -> str:
        fields = [
            ("author", " and ".join("{" + _bib(a) + "}" for a in self.authors)),
            ("title", _bib(self.title)),
            ("booktitle", _bib(self.container)),
            ("publisher", _bib(self.publisher)),
            ("year", _bib(self.year)),
            ("language", "dutch"),
            ("url", self.url),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        return f"@incollection{{{self.key},\n{body}\n}}"


def _apa_authors(names: list[str]) -> str:
    if not names:
        return ""
    if len(names) == 1:
        return names[0] + "."
    return ", ".join(names[:-1]) + ", & " + names[-1] + "."


def _bib(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def cite(store: Store, iri: str, label: Callable[[str], str]) -> Citation | None:
    """The citation of the lesson ``iri``, or None when it is not part of a publication with a title."""
    # names come with the data (one query for the whole citation); ``label`` is only the fallback
    rows = store.query(
        f"""SELECT ?title ?container ?issued ?publisher ?publisherName ?creator ?creatorName WHERE {{
          <{iri}> <{DCTERMS.title}> ?title ; <{DCTERMS.isPartOf}> ?pub .
          ?pub <{DCTERMS.title}> ?container .
          FILTER(lang(?title) = "nl" || lang(?title) = "")
          OPTIONAL {{ ?pub <{DCTERMS.issued}> ?issued }}
          OPTIONAL {{ ?pub <{DCTERMS.publisher}> ?publisher OPTIONAL {{
            ?publisher <{SKOS.prefLabel}> ?publisherName FILTER(lang(?publisherName) IN ("nl", "")) }} }}
          OPTIONAL {{ ?pub <{DCTERMS.creator}> ?creator OPTIONAL {{
            ?creator <{SKOS.prefLabel}> ?creatorName FILTER(lang(?creatorName) IN ("nl", "")) }} }}
        }}"""
    ).rows
    if not rows:
        return None
    first = rows[0]

    def name(row: dict, key: str) -> str:
        found = row.get(f"{key}Name")
        return str(found) if found is not None else label(str(row[key]))

    creators = sorted({name(r, "creator") for r in rows if r.get("creator")}, key=str.casefold)
    publisher = name(first, "publisher") if first.get("publisher") else ""
    return Citation(
        authors=creators,
        year=str(first.get("issued") or ""),
        title=str(first["title"]),
        container=str(first["container"]),
        publisher=publisher,
        url=iri,
        key="dsih-" + iri.rstrip("/").rsplit("/", 1)[-1],
    )
