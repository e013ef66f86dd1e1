"""Read records from CSV, JSON and RDF files as plain field values, before any mapping is applied.

Each reader yields :class:`RawRecord` (where it is in the file, and its values by column key), and
raises :class:`RecordProblem` for what is wrong at one place of the file. RDF is parsed with
pyoxigraph, which never fetches remote JSON-LD contexts; RDF/XML with a DOCTYPE or entity
declaration is refused before any parser sees it (no XXE file reads, no entity-expansion bombs).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .. import jsonsafe
from ..errors import UserError
from .mapping import Mapping, column_key

#: File suffix -> kind of reader.
SUFFIXES = {
    ".csv": "csv",
    ".tsv": "csv",
    ".json": "json",
    ".ttl": "rdf",
    ".nt": "rdf",
    ".jsonld": "rdf",
    ".rdf": "rdf",
    ".xml": "rdf",
    ".owl": "rdf",
}
RDF_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}
_XML_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_NAME_PROPERTIES = (
    "https://schema.org/name",
    "http://schema.org/name",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://xmlns.com/foaf/0.1/name",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
)

#: A value and its language tag (None for plain values).
Value = tuple[str, "str | None"]


@dataclass
class RawRecord:
    """One record as read: ``row`` counts like a spreadsheet (the CSV header is row 1)."""

    row: int
    where: str
    fields: dict[str, list[Value]] = field(default_factory=dict)
    origin_iri: str | None = None


class RecordProblem(ValueError):
    """Something wrong at one place of a file: ``where`` (row 12), ``column`` (or None) and why."""

    def __init__(self, where: str, column: str | None, why: str):
        super().__init__(why)
        self.where, self.column, self.why = where, column, why


def reader_kind(path: Path) -> str:
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise UserError(
            f"{path}: cannot tell the format from the suffix {path.suffix!r}; "
            f"use one of {', '.join(sorted(SUFFIXES))}."
        )
    return kind


def read_records(path: Path, data: bytes, mapping: Mapping) -> Iterator[RawRecord]:
    """The records of a file whose bytes are ``data``, by the reader its suffix names."""
    kind = reader_kind(path)
    if kind == "csv":
        return read_csv(data, mapping, delimiter="\t" if path.suffix.lower() == ".tsv" else None)
    if kind == "json":
        return read_json(data)
    return read_rdf(data, RDF_FORMATS[path.suffix.lower()], mapping)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RecordProblem(
            f"line {line}", None, f"is not UTF-8 (byte {exc.start}); save the file as UTF-8"
        ) from None


def _split(cell: str, multi: str | None) -> list[Value]:
    cell = cell.strip()
    if not cell:
        return []
    if multi and multi in cell:
        return [(part.strip(), None) for part in cell.split(multi) if part.strip()]
    return [(cell, None)]


def read_csv(data: bytes, mapping: Mapping, delimiter: str | None = None) -> Iterator[RawRecord]:
    """Rows of a CSV file with a header row; ',' ';' or tab, told from the header line."""
    text = _text(data)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise RecordProblem(f"line {line}", None, "contains a NUL byte; this is not a text CSV file")
    first = text.split("\n", 1)[0]
    if delimiter is None:
        delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise RecordProblem("row 1", None, "the file is empty; a header row is needed") from None
    except csv.Error as exc:
        raise RecordProblem("row 1", None, f"the header row is not valid CSV: {exc}") from None
    keys = [column_key(h) for h in header]
    seen: dict[str, int] = {}
    for position, key in enumerate(keys):
        if not key:
            raise RecordProblem("row 1", f"column {position + 1}", "has an empty header")
        if key in seen:
            raise RecordProblem(
                "row 1", header[position], f"appears twice (columns {seen[key] + 1} and {position + 1})"
            )
        seen[key] = position
    multis = [mapping.columns[key].multi if key in mapping.columns else None for key in keys]
    row = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise RecordProblem(
                f"row {row + 1} (line {reader.line_num})", None, f"is not valid CSV: {exc}"
            ) from None
        row += 1
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue  # a blank line
        if len(cells) != len(keys):
            raise RecordProblem(
                f"row {row} (line {reader.line_num})",
                None,
                f"has {len(cells)} fields where the header has {len(keys)}",
            )
        fields: dict[str, list[Value]] = {}
        for key, multi, cell in zip(keys, multis, cells, strict=True):
            if cell:
                values = _split(cell, multi)
                if values:
                    fields[key] = values
        yield RawRecord(row=row, where=f"row {row}", fields=fields)


def _json_values(value: object, where: str, key: str) -> list[Value]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out: list[Value] = []
    for item in items:
        if isinstance(item, bool):
            out.append(("true" if item else "false", None))
        elif isinstance(item, (str, int, float)):
            text = str(item).strip()
            if text:
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    raise RecordProblem(
                        where, key, "holds a lone surrogate (\\ud800-\\udfff), which is not text"
                    ) from None
                out.append((text, None))
        else:
            raise RecordProblem(
                where, key, "nested objects or lists are not supported; give a string or a list of strings"
            )
    return out


def read_json(data: bytes) -> Iterator[RawRecord]:
    """A JSON array of objects (or ``{"records": [...]}``), keys named like the CSV columns."""
    try:
        doc = jsonsafe.loads(_text(data))
    except jsonsafe.JSONInputError as exc:
        raise RecordProblem(exc.where, None, exc.problem.rstrip(".")) from None
    if isinstance(doc, dict) and isinstance(doc.get("records"), list):
        doc = doc["records"]
    if not isinstance(doc, list):
        raise RecordProblem("document", None, 'must be a JSON array of records or {"records": [...]}')
    for index, item in enumerate(doc, start=1):
        where = f"record {index}"
        if not isinstance(item, dict):
            raise RecordProblem(where, None, "must be a JSON object")
        fields: dict[str, list[Value]] = {}
        for key, value in item.items():
            values = _json_values(value, where, str(key))
            if values:
                fields[column_key(str(key))] = values
        yield RawRecord(row=index, where=where, fields=fields)


def refuse_xml_declarations(data: bytes) -> None:
    """RDF/XML may not declare a DOCTYPE or entities: refused before parsing, whatever they say."""
    match = _XML_DECLARATIONS.search(data)
    if match:
        line = data[: match.start()].count(b"\n") + 1
        raise RecordProblem(
            f"line {line}",
            None,
            f"declares <!{match.group(1).decode().upper()}>: DOCTYPE and "
            "entity declarations are refused (they can read local files or expand without bound)",
        )


def read_rdf(data: bytes, fmt: ox.RdfFormat, mapping: Mapping) -> Iterator[RawRecord]:
    """Subjects typed with a class of the mapping's ``types`` become records, read back through the
    mapping's ``rdf`` properties, so that RDF input is checked and written exactly like CSV."""
    if fmt == ox.RdfFormat.RDF_XML:
        refuse_xml_declarations(data)
    try:
        quads = list(ox.parse(data, format=fmt))
    except SyntaxError as exc:
        if "LoadDocumentCallback" in str(exc):
            raise RecordProblem(
                "document",
                None,
                "refers to a remote JSON-LD @context, which is never fetched; put the context inline",
            ) from None
        raise RecordProblem("document", None, f"is not valid {fmt.name}: {exc}") from None
    by_subject: dict[ox.NamedNode | ox.BlankNode, list[ox.Quad]] = defaultdict(list)
    for quad in quads:
        if isinstance(quad.subject, (ox.NamedNode, ox.BlankNode)):
            by_subject[quad.subject].append(quad)
    names: dict[ox.NamedNode | ox.BlankNode, str] = {}
    for subject, subject_quads in by_subject.items():
        for quad in subject_quads:
            if quad.predicate.value in _NAME_PROPERTIES and isinstance(quad.object, ox.Literal):
                names.setdefault(subject, quad.object.value)
    class_to_type = {cls: name for name, classes in mapping.types.items() for cls in classes}
    records = [
        s
        for s, qs in by_subject.items()
        if any(q.predicate.value == RDF_TYPE and q.object.value in class_to_type for q in qs)
    ]
    for index, subject in enumerate(sorted(records, key=str), start=1):
        named = isinstance(subject, ox.NamedNode)
        where = f"subject {index} {subject}" if named else f"subject {index}"
        fields: dict[str, list[Value]] = defaultdict(list)
        for quad in by_subject[subject]:
            prop, obj = quad.predicate.value, quad.object
            if prop == RDF_TYPE:
                if obj.value in class_to_type:
                    fields["type"].append((class_to_type[obj.value], None))
                continue
            key = mapping.by_rdf_property.get(prop)
            if key is None:
                continue
            column = mapping.columns[key]
            if isinstance(obj, ox.Literal):
                fields[key].append((obj.value, obj.language))
            elif column.kind == "organisation":
                fallback = obj.value.rstrip("/").rsplit("/", 1)[-1] if isinstance(obj, ox.NamedNode) else None
                name = names.get(obj, fallback)
                if name:
                    fields[key].append((name, None))
            else:
                fields[key].append((obj.value, None))
        if "id" not in fields and named:
            fields["id"] = [(subject.value, None)]
        fields["type"] = (fields.get("type") or [])[:1]
        yield RawRecord(
            row=index, where=where, fields=dict(fields), origin_iri=subject.value if named else None
        )
