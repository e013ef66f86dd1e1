"""Read records from CSV, JSON and RDF files as plain field values, before any mapping is applied.

Each reader yields :class:`RawRecord` (where it is in the file, and its values by column key), and
raises :class:`RecordProblem` for what is wrong at one place of the file. RDF is read by :mod:`.rdf`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

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
_XML_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_new = tuple.__new__


class Value(NamedTuple):
    """One value as read: its text, language tag, where it came from as the user wrote it (a CSV
    column, a JSON key, an RDF property as a CURIE or IRI) and, from RDF, the term in N-Triples."""

    text: str
    lang: str | None = None
    source: str = ""
    term: str | None = None


@dataclass
class RawRecord:
    """One record as read: ``row`` counts like a spreadsheet (the CSV header is row 1).

    ``skipped`` holds why a subject that looks like a record is not imported; ``part_of`` says which
    record it belongs to when it is a part of one (a publisher, a distribution) rather than a record;
    ``kept`` holds the record's statements the mapping does not name, as N-Triples ``(<p>, o)`` pairs,
    and ``kept_lines`` whole N-Triples lines describing the nodes the record points to.
    """

    row: int
    where: str
    fields: dict[str, list[Value]] = field(default_factory=dict)
    origin_iri: str | None = None
    skipped: str | None = None
    part_of: str | None = None
    #: column key -> the column's name as written (CSV header, JSON key), for messages
    columns: dict[str, str] = field(default_factory=dict)
    kept: list[tuple[str, str]] = field(default_factory=list)
    kept_lines: list[str] = field(default_factory=list)


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
    from .rdf import RDF_FORMATS, read_rdf

    return read_rdf(data, RDF_FORMATS[path.suffix.lower()], mapping)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RecordProblem(
            f"line {line}", None, f"is not UTF-8 (byte {exc.start}); save the file as UTF-8"
        ) from None


def split_values(cell: str, multi: tuple[str, ...] | None) -> list[str]:
    """The values of one cell (or RDF literal): split on the column's separators, trimmed, none empty."""
    cell = cell.strip()
    if not cell:
        return []
    if not multi or not any(separator in cell for separator in multi):
        return [cell]
    parts = [cell]
    for separator in multi:
        parts = [piece for part in parts for piece in part.split(separator)]
    return [part.strip() for part in parts if part.strip()]


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
    spelled = [name.strip() for name in header]
    names = dict(zip(keys, spelled, strict=True))
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
        for key, name, multi, cell in zip(keys, spelled, multis, cells, strict=True):
            if not cell:
                continue
            if multi is None or not any(separator in cell for separator in multi):
                text = cell.strip()  # one value: the common case, built without the NamedTuple's __new__
                if text:
                    fields[key] = [_new(Value, (text, None, name, None))]
                continue
            values = [_new(Value, (text, None, name, None)) for text in split_values(cell, multi)]
            if values:
                fields[key] = values
        yield RawRecord(row=row, where=f"row {row}", fields=fields, columns=names)


def _json_values(value: object, where: str, key: str) -> list[Value]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out: list[Value] = []
    for item in items:
        if isinstance(item, bool):
            out.append(Value("true" if item else "false", None, key))
        elif isinstance(item, (str, int, float)):
            text = str(item).strip()
            if text:
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    raise RecordProblem(
                        where, key, "holds a lone surrogate (\\ud800-\\udfff), which is not text"
                    ) from None
                out.append(Value(text, None, key))
        else:
            raise RecordProblem(
                where, key, "nested objects or lists are not supported; give a string or a list of strings"
            )
    return out


def read_json(data: bytes) -> Iterator[RawRecord]:
    """A JSON array of objects (or ``{"records": [...]}``), keys named like the CSV columns."""
    try:
        doc = json.loads(_text(data))
    except json.JSONDecodeError as exc:
        raise RecordProblem(
            f"line {exc.lineno}, column {exc.colno}", None, f"is not valid JSON: {exc.msg}"
        ) from None
    except RecursionError:
        raise RecordProblem("document", None, "is nested too deeply to be a list of records") from None
    if isinstance(doc, dict) and isinstance(doc.get("records"), list):
        doc = doc["records"]
    if not isinstance(doc, list):
        raise RecordProblem("document", None, 'must be a JSON array of records or {"records": [...]}')
    for index, item in enumerate(doc, start=1):
        where = f"record {index}"
        if not isinstance(item, dict):
            raise RecordProblem(where, None, "must be a JSON object")
        fields: dict[str, list[Value]] = {}
        names = {column_key(str(key)): str(key) for key in item}
        for key, value in item.items():
            values = _json_values(value, where, str(key))
            if values:
                fields[column_key(str(key))] = values
        yield RawRecord(row=index, where=where, fields=fields, columns=names)


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
