"""Turn checked records into N-Triples: one record IRI per id, its values by the mapping, its row.

The writer checks every value (by its column's kind) and raises :class:`RecordProblem` naming the
row and column, so the caller can refuse the whole file before anything is written.
"""

from __future__ import annotations

from ..iri import IriScheme, slugify
from ..namespaces import DSIH
from .mapping import Column, Mapping
from .ntriples import iri, literal, triple, typed
from .readers import RawRecord, RecordProblem, Value
from .values import CONVERTERS

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
        self._types = {name: [iri(c) for c in classes] for name, classes in mapping.types.items()}
        self._required = [c for c in mapping.columns.values() if c.required]
        self._known_keys = set(mapping.columns) if mapping.unknown_columns == "error" else set()
        self._id_key = next(c.key for c in mapping.columns.values() if c.kind == "identifier")
        self._language_key = next((c.key for c in mapping.columns.values() if c.kind == "language"), None)
        self._record_prefix = str(iris.id("record", f"{name}--x"))[:-1]
        #: values of columns that do not depend on the record (everything but ids and texts) -> suffixes
        self._cache: dict[str, dict[str, list[str]]] = {
            c.key: {} for c in mapping.columns.values() if c.kind not in ("identifier", "text")
        }
        #: triples of the organisation nodes, written once each (taken by the caller)
        self.extra: list[str] = []

    def check_columns(self, keys: list[str], where: str = "row 1") -> None:
        """A file's columns: none unknown, if the mapping is strict."""
        if self.mapping.unknown_columns != "error":
            return
        for key in keys:
            if key not in self.mapping.columns:
                known = ", ".join(self.mapping.columns)
                raise RecordProblem(
                    where, key, f"is not a column of mapping {self.mapping.name!r} (known: {known})"
                )

    def record_iri(self, record_id: str) -> str:
        return f"{self._record_prefix}{slugify(record_id)}"

    def write(self, record: RawRecord) -> list[str]:
        """The triples of one record; raises RecordProblem on the first bad value."""
        fields, where = record.fields, record.where
        unchecked = [key for key in fields if key not in self._known_keys]
        if unchecked:
            self.check_columns(unchecked, where)
        for column in self._required:
            if not fields.get(column.key):
                raise RecordProblem(where, column.key, "is required but empty")
        record_id = self._single(fields, self._id_key, where)
        slug = slugify(record_id)
        self._check_id(record_id, slug, where)
        subject = f"<{self._record_prefix}{slug}>"
        language = self._language(fields, where)
        lines = [f"{subject} {RDF_TYPE} {IMPORTED_RECORD} .\n"]
        columns, cache = self.mapping.columns, self._cache
        for key, values in fields.items():
            column = columns.get(key)
            if column is None:
                continue  # an unknown column the mapping ignores
            if (
                len(values) > 1
                and not column.multi
                and not (column.kind == "text" and _distinct_languages(values))
            ):
                raise RecordProblem(where, key, f"has {len(values)} values but the mapping allows one")
            column_cache = cache.get(key)
            for text, lang in values:
                suffixes = column_cache.get(text) if column_cache is not None else None
                if suffixes is None:
                    try:
                        suffixes = self._suffixes(column, text, lang or language)
                    except ValueError as exc:
                        raise RecordProblem(where, key, f"{text[:80]!r} {exc}") from None
                    if column_cache is not None and len(column_cache) < 100_000:
                        column_cache[text] = suffixes
                for suffix in suffixes:
                    lines.append(subject + suffix)
        lines.append(f"{subject} {SOURCE_ROW} {typed(record.row, 'integer')} .\n")
        if record.origin_iri:
            lines.append(triple(subject, SCHEMA_SAME_AS, iri(record.origin_iri)))
        return lines

    def _check_id(self, record_id: str, slug: str, where: str) -> None:
        if not slug:
            raise RecordProblem(where, "id", f"{record_id!r} has no letters or digits to make an IRI from")
        if record_id in self.ids:
            raise RecordProblem(
                where, "id", f"{record_id!r} is also the id of {self.ids[record_id]}; ids must be unique"
            )
        if slug in self.slugs:
            raise RecordProblem(
                where,
                "id",
                f"{record_id!r} gives the same IRI as id {self.slugs[slug]!r}; "
                "make them differ in letters or digits",
            )
        self.ids[record_id] = where
        self.slugs[slug] = record_id

    def _single(self, fields: dict[str, list[Value]], key: str, where: str) -> str:
        values = fields.get(key) or []
        if len(values) != 1:
            raise RecordProblem(where, key, "needs exactly one value")
        return values[0][0]

    def _language(self, fields: dict[str, list[Value]], where: str) -> str:
        if self._language_key and fields.get(self._language_key):
            code = fields[self._language_key][0][0].strip().lower()
            if len(code) != 2 or not code.isalpha():
                raise RecordProblem(
                    where,
                    self._language_key,
                    f"{code!r} must be a two-letter ISO 639-1 language code such as nl or en",
                )
            return code
        return self.mapping.default_language

    def _suffixes(self, column: Column, text: str, lang: str) -> list[str]:
        """' <p> <o> .\\n' for each property of the column (the subject is put in front by the caller);
        an organisation's own triples are written to ``self.extra`` the first time it is named."""
        props = self._props[column.key]
        kind = column.kind
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
        elif kind == "organisation":
            slug = slugify(text)
            if not slug:
                raise ValueError("has no letters or digits to name an organisation by")
            obj = f"<{self._record_prefix}org-{slug}>"
            if obj not in self.organisations:
                self.organisations.add(obj)
                self.extra.append(triple(obj, RDF_TYPE, SCHEMA_ORG))
                self.extra.append(triple(obj, SCHEMA_NAME, literal(text)))
        else:
            obj = CONVERTERS[kind](text)
        return [f" {p} {obj} .\n" for p in props]


def _distinct_languages(values: list[Value]) -> bool:
    langs = [lang for _text, lang in values]
    return all(langs) and len(set(langs)) == len(langs)
