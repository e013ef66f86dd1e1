"""Turn checked records into N-Triples: one record IRI per id, its values by the mapping, its row.

The writer checks every value (by its column's kind) and raises :class:`RecordProblem` naming the
row and the column or RDF property as the user wrote it, so the caller can refuse the whole file
before anything is written. What the mapping does not name is kept verbatim (or refused, if the
mapping says ``unknown_columns: error``), the same way for CSV, JSON and RDF.
"""

from __future__ import annotations

from urllib.parse import quote

from ..iri import IriScheme, slugify
from ..namespaces import DSIH
from .mapping import Column, Mapping
from .ntriples import iri, literal, triple, typed
from .readers import RawRecord, RecordProblem, Value
from .values import CONVERTERS, language_code, place

RDF_TYPE = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCT_TYPE = iri("http://purl.org/dc/terms/type")
SCHEMA_ORG = iri("https://schema.org/Organization")
SCHEMA_NAME = iri("https://schema.org/name")
SCHEMA_SAME_AS = iri("https://schema.org/sameAs")
IMPORTED_RECORD = iri(str(DSIH.ImportedRecord))
SOURCE_ROW = iri(str(DSIH.sourceRow))


class RecordWriter:
    """Writes the records of one import; keeps the ids and organisation nodes seen so far."""

    def __init__(self, mapping: Mapping, iris: IriScheme, name: str, graph: str, source: str):
        self.mapping, self.iris, self.name = mapping, iris, name
        self.graph, self.source = iri(graph), iri(source)
        self.ids: dict[str, str] = {}
        self.slugs: dict[str, str] = {}
        self.organisations: set[str] = set()
        self._props = {key: [iri(p) for p in col.properties] for key, col in mapping.columns.items()}
        self._own = f"<{iris.base}/"  # kept statements never describe resources of ours
        self._constants = {
            key: [Value(v, None, f"constants.{key} of mapping {mapping.name!r}") for v in values]
            for key, values in mapping.constants.items()
        }
        self._types = {name: [iri(c) for c in classes] for name, classes in mapping.types.items()}
        self._required = [c for c in mapping.columns.values() if c.required]
        self._known_keys = set(mapping.columns)
        self._id_key = next(c.key for c in mapping.columns.values() if c.kind == "identifier")
        self._language_key = next((c.key for c in mapping.columns.values() if c.kind == "language"), None)
        self._record_prefix = str(iris.id("record", f"{name}--x"))[:-1]
        #: values of columns that do not depend on the record (everything but ids and texts) -> suffixes
        self._cache: dict[str, dict[str, list[str]]] = {
            c.key: {} for c in mapping.columns.values() if c.kind not in ("identifier", "text")
        }
        self._described: set[str] = set()
        #: triples of the organisation nodes, written once each (taken by the caller)
        self.extra: list[str] = []

    def unknown_column(self, values: list[Value], where: str) -> list[str]:
        """A column the mapping does not name: kept as ``<import graph>#<column>`` (as CSV on the Web
        names a column's property), or refused when the mapping says ``unknown_columns: error``."""
        name = values[0].source
        if self.mapping.unknown_columns == "error":
            known = ", ".join(self.mapping.columns)
            raise RecordProblem(
                where, name, f"is not a column of mapping {self.mapping.name!r} (known: {known})"
            )
        prop = iri(f"{self.graph[1:-1]}#{quote(name, safe='')}")
        return [f" {prop} {literal(v.text, lang=v.lang)} .\n" for v in values]

    def record_iri(self, record_id: str) -> str:
        return f"{self._record_prefix}{slugify(record_id)}"

    def write(self, record: RawRecord) -> list[str]:
        """The triples of one record; raises RecordProblem on the first bad value."""
        fields, where = record.fields, record.where
        if self._constants:
            fields.update(self._constants)
        for column in self._required:
            if not fields.get(column.key):
                raise RecordProblem(where, record.columns.get(column.key, column.key), "is required but empty")
        record_id = self._single(fields, self._id_key, where)
        slug = slugify(record_id)
        self._check_id(record_id, slug, where, fields[self._id_key][0].source or "id")
        subject = f"<{self._record_prefix}{slug}>"
        language = self._language(fields, where)
        lines = [f"{subject} {RDF_TYPE} {IMPORTED_RECORD} .\n"]
        columns, cache = self.mapping.columns, self._cache
        for key, values in fields.items():
            column = columns.get(key)
            if column is None:
                lines.extend(subject + suffix for suffix in self.unknown_column(values, where))
                continue
            if (
                len(values) > 1
                and not column.multi
                and not (column.kind == "text" and _distinct_languages(values))
            ):
                raise RecordProblem(
                    where, values[0].source, f"has {len(values)} values but the mapping allows one"
                )
            column_cache = cache.get(key)
            for value in values:
                # one file is either CSV/JSON (no terms) or RDF (terms), so the keys cannot mix up
                cache_key = value.term or (value.text if value.lang is None else (value.text, value.lang))
                suffixes = column_cache.get(cache_key) if column_cache is not None else None
                if suffixes is None:
                    try:
                        suffixes = self._suffixes(column, value, value.lang or language)
                    except ValueError as exc:
                        raise RecordProblem(where, value.source or key, f"{value.text[:80]!r} {exc}") from None
                    if column_cache is not None and len(column_cache) < 100_000:
                        column_cache[cache_key] = suffixes
                for suffix in suffixes:
                    lines.append(subject + suffix)
        lines.append(f"{subject} {SOURCE_ROW} {typed(record.row, 'integer')} .\n")
        if record.origin_iri:
            lines.append(triple(subject, SCHEMA_SAME_AS, iri(record.origin_iri)))
        if record.kept:
            written = set(lines)
            lines.extend(line for prop, obj in record.kept if (line := f"{subject} {prop} {obj} .\n") not in written)
        for line in record.kept_lines:  # what the record points to, once per import, never about ours
            if line not in self._described and not line.startswith(self._own):
                self._described.add(line)
                lines.append(line)
        return lines

    def _check_id(self, record_id: str, slug: str, where: str, column: str) -> None:
        if not slug:
            raise RecordProblem(where, column, f"{record_id!r} has no letters or digits to make an IRI from")
        if record_id in self.ids:
            raise RecordProblem(
                where, column, f"{record_id!r} is also the id of {self.ids[record_id]}; ids must be unique"
            )
        if slug in self.slugs:
            raise RecordProblem(
                where,
                column,
                f"{record_id!r} gives the same IRI as id {self.slugs[slug]!r}; "
                "make them differ in letters or digits",
            )
        self.ids[record_id] = where
        self.slugs[slug] = record_id

    def _single(self, fields: dict[str, list[Value]], key: str, where: str) -> str:
        values = fields.get(key) or []
        if len(values) != 1:
            source = values[0].source if values else key
            raise RecordProblem(where, source, f"needs exactly one value, not {len(values)}")
        return values[0].text

    def _language(self, fields: dict[str, list[Value]], where: str) -> str:
        if self._language_key and fields.get(self._language_key):
            first = fields[self._language_key][0]
            code = language_code(first.text)
            if code is None:
                raise RecordProblem(
                    where,
                    first.source or self._language_key,
                    f"{first.text!r} must be a language: an ISO 639-1 code such as nl or en, a tag such as "
                    "nl-NL, or an EU language IRI",
                )
            return code
        return self.mapping.default_language

    def _suffixes(self, column: Column, value: Value, lang: str) -> list[str]:
        """' <p> <o> .\\n' for each property of the column (the subject is put in front by the caller);
        an organisation's own triples are written to ``self.extra`` the first time it is named."""
        props = self._props[column.key]
        kind, text = column.kind, value.text
        if kind == "type":
            canonical = self.mapping.record_type(text)
            if canonical is None:
                raise ValueError(
                    f"is not a record type of the mapping (known: {', '.join(self.mapping.types)})"
                )
            value = literal(canonical)
            return (
                [f" {RDF_TYPE} {cls} .\n" for cls in self._types[canonical]]
                + [f" {DCT_TYPE} {value} .\n"]
                + [f" {p} {value} .\n" for p in props]
            )
        if kind == "identifier":
            obj = literal(text)
        elif kind == "text":
            obj = literal(text, lang=lang)
        elif kind == "place":
            obj = place(text, value.lang, value.term)
        elif kind == "string":
            # an RDF IRI stays an IRI; a literal keeps its language tag
            obj = value.term if value.term and value.term[0] == "<" else literal(text, lang=value.lang)
        elif kind == "organisation":
            slug = slugify(text)
            if not slug:
                raise ValueError("has no letters or digits to name an organisation by")
            obj = f"<{self._record_prefix}org-{slug}>"
            if obj not in self.organisations:
                self.organisations.add(obj)
                self.extra.append(triple(obj, RDF_TYPE, SCHEMA_ORG))
                self.extra.append(triple(obj, SCHEMA_NAME, literal(text)))
            if value.term and (obj, value.term) not in self.organisations:
                self.organisations.add((obj, value.term))  # the organisation's own IRI in the source
                self.extra.append(triple(obj, SCHEMA_SAME_AS, value.term))
        else:
            obj = CONVERTERS[kind](text)
        return [f" {p} {obj} .\n" for p in props]


def _distinct_languages(values: list[Value]) -> bool:
    langs = [value.lang for value in values]
    return all(langs) and len(set(langs)) == len(langs)
