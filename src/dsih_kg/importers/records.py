"""Turn checked records into N-Triples: one record IRI per id, its values by the mapping, its row.

The writer checks every value (by its column's kind) and raises :class:`RecordProblem` naming the
row and column, so the caller can refuse the whole file before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterator

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

    def check_columns(self, keys: list[str], where: str = "row 1") -> None:
        """A file's columns: every required one present, and (if strict) none unknown."""
        if self.mapping.unknown_columns == "error":
            for key in keys:
                if key not in self.mapping.columns:
                    known = ", ".join(self.mapping.columns)
                    raise RecordProblem(
                        where, key, f"is not a column of mapping {self.mapping.name!r} (known: {known})"
                    )

    def record_iri(self, record_id: str) -> str:
        return str(self.iris.id("record", f"{self.name}--{slugify(record_id)}"))

    def write(self, record: RawRecord) -> Iterator[str]:
        """The triples of one record; raises RecordProblem on the first bad value."""
        fields, where = record.fields, record.where
        self.check_columns(list(fields), where)
        for column in self._required:
            if not fields.get(column.key):
                raise RecordProblem(where, column.key, "is required but empty")
        record_id = self._single(fields, "id", where)
        slug = slugify(record_id)
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
        subject = iri(self.record_iri(record_id))
        language = self._language(fields, where)
        lines = [triple(subject, RDF_TYPE, IMPORTED_RECORD)]
        for key, values in fields.items():
            column = self.mapping.columns.get(key)
            if column is None:
                continue  # an unknown column the mapping ignores
            if (
                len(values) > 1
                and not column.multi
                and not (column.kind == "text" and _distinct_languages(values))
            ):
                raise RecordProblem(where, key, f"has {len(values)} values but the mapping allows one")
            for text, lang in values:
                try:
                    lines.extend(self._value(subject, column, text, lang or language, where))
                except ValueError as exc:
                    raise RecordProblem(where, key, f"{text[:80]!r} {exc}") from None
        lines.append(triple(subject, SOURCE_ROW, typed(record.row, "integer")))
        if record.origin_iri:
            lines.append(triple(subject, SCHEMA_SAME_AS, iri(record.origin_iri)))
        return iter(lines)

    def _single(self, fields: dict[str, list[Value]], key: str, where: str) -> str:
        values = fields.get(key) or []
        if len(values) != 1:
            raise RecordProblem(where, key, "needs exactly one value")
        return values[0][0]

    def _language(self, fields: dict[str, list[Value]], where: str) -> str:
        for key, column in self.mapping.columns.items():
            if column.kind == "language" and fields.get(key):
                code = fields[key][0][0].strip().lower()
                if len(code) != 2 or not code.isalpha():
                    raise RecordProblem(
                        where, key, f"{code!r} must be a two-letter ISO 639-1 language code such as nl or en"
                    )
                return code
        return self.mapping.default_language

    def _value(self, subject: str, column: Column, text: str, lang: str, where: str) -> list[str]:
        props = self._props[column.key]
        kind = column.kind
        if kind == "type":
            canonical = self.mapping.record_type(text)
            if canonical is None:
                known = ", ".join(self.mapping.types)
                raise ValueError(f"is not a record type of the mapping (known: {known})")
            objects = self._types[canonical]
            out = [triple(subject, RDF_TYPE, cls) for cls in objects]
            out.append(triple(subject, DCT_TYPE, literal(canonical)))
            return out + [triple(subject, p, literal(canonical)) for p in props]
        if kind == "identifier":
            obj = literal(text)
        elif kind == "text":
            obj = literal(text, lang=lang)
        elif kind == "organisation":
            slug = slugify(text)
            if not slug:
                raise ValueError("has no letters or digits to name an organisation by")
            node = iri(str(self.iris.id("record", f"{self.name}--org-{slug}")))
            extra = []
            if node not in self.organisations:
                self.organisations.add(node)
                extra = [triple(node, RDF_TYPE, SCHEMA_ORG), triple(node, SCHEMA_NAME, literal(text))]
            return extra + [triple(subject, p, node) for p in props]
        else:
            obj = CONVERTERS[kind](text)
        return [triple(subject, p, obj) for p in props]


def _distinct_languages(values: list[Value]) -> bool:
    langs = [lang for _text, lang in values]
    return all(langs) and len(set(langs)) == len(langs)
