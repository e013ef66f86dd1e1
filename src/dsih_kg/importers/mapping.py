"""The declarative mapping: which column becomes which property, checked as which kind of value.

A mapping is a small YAML file (format ``dsih-kg-mapping/1``, documented in docs/livingin.md); the
default one, ``mappings/livingin-default.yaml``, covers the Living-in.eu-style CSV layout. Loading a
mapping checks it completely, so that a mistake in it is reported before any record is read.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import UserError
from ..namespaces import PREFIXES

DEFAULT_MAPPING = Path(__file__).parent / "mappings" / "livingin-default.yaml"
FORMAT = "dsih-kg-mapping/1"
KINDS = frozenset(
    {
        "identifier",
        "type",
        "text",
        "string",
        "iri",
        "organisation",
        "nuts",
        "country",
        "place",
        "level",
        "language",
        "licence",
        "date",
        "boolean",
    }
)
#: Prefixes a mapping may use: ours plus the vocabularies catalogues publish in.
MAPPING_PREFIXES = {name: str(ns) for name, ns in PREFIXES.items()} | {
    "spdx": "http://spdx.org/rdf/terms#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "adms": "http://www.w3.org/ns/adms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
SCHEMA_HTTP, SCHEMA_HTTPS = "http://schema.org/", "https://schema.org/"
_NON_WORD = re.compile(r"[\s\-./\\]+")


def column_key(header: str) -> str:
    """How column names are compared: 'NUTS region' and 'nuts-region' are both 'nuts_region'."""
    return _NON_WORD.sub("_", header.strip().lower()).strip("_")


def same_schema(value: str) -> str:
    """schema.org terms are published under http:// and https://; compare them as https://."""
    return SCHEMA_HTTPS + value[len(SCHEMA_HTTP) :] if value.startswith(SCHEMA_HTTP) else value


def expand(curie: str, where: str) -> str:
    """A prefixed name (``dcterms:title``) or a full IRI, as a full IRI."""
    if curie.startswith(("http://", "https://")):
        return same_schema(curie)
    prefix, _, local = curie.partition(":")
    if prefix not in MAPPING_PREFIXES or not local:
        known = ", ".join(sorted(MAPPING_PREFIXES))
        raise UserError(
            f"{where}: {curie!r} is not a known prefixed name (prefixes: {known}) or an http(s) IRI."
        )
    return MAPPING_PREFIXES[prefix] + local


@dataclass(frozen=True)
class Column:
    """One column of the mapping."""

    key: str
    kind: str
    properties: tuple[str, ...]
    required: bool = False
    #: separators of several values in one cell or literal (None: one value)
    multi: tuple[str, ...] | None = None
    rdf: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mapping:
    """A checked mapping; ``digest`` identifies its content in the import's provenance."""

    name: str
    columns: dict[str, Column]
    types: dict[str, tuple[str, ...]]
    type_aliases: dict[str, str]
    default_language: str
    unknown_columns: str
    digest: str
    source: str = ""
    by_rdf_property: dict[str, str] = field(default_factory=dict)
    #: RDF values of dcterms:type, schema:additionalType or rdf:type (full IRIs) -> type, in file order
    type_values: dict[str, str] = field(default_factory=dict)
    #: the type of a record whose type values are none of the above (None: such records are skipped)
    default_type: str | None = None
    #: column -> values every record gets, whatever it says itself
    constants: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def column_for(self, header: str) -> Column | None:
        return self.columns.get(column_key(header))

    def record_type(self, value: str) -> str | None:
        """The canonical type for a value of the type column (a name, an alias or a class IRI), or None."""
        key = value.strip().lower()
        if key in self.types:
            return key
        return self.type_aliases.get(key) or self.type_values.get(same_schema(value.strip()))


def load_mapping(path: Path | None = None) -> Mapping:
    """Read and check a mapping file (the default one when ``path`` is None)."""
    path = Path(path) if path else DEFAULT_MAPPING
    try:
        raw_bytes = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read the mapping file ({exc.strerror}).") from None
    try:
        raw = yaml.safe_load(raw_bytes)
    except yaml.YAMLError as exc:
        raise UserError(f"{path}: not valid YAML: {exc}") from None
    return parse_mapping(raw, str(path), hashlib.sha256(raw_bytes).hexdigest())


def parse_mapping(raw: object, where: str, digest: str) -> Mapping:
    """Check a mapping's structure; every problem names the key it is in."""
    if not isinstance(raw, dict):
        raise UserError(f"{where}: a mapping file is a YAML mapping with 'format', 'types' and 'columns'.")
    if raw.get("format") != FORMAT:
        raise UserError(f"{where}: 'format' must be {FORMAT!r}, not {raw.get('format')!r}.")
    types_raw = raw.get("types") or {}
    if not isinstance(types_raw, dict) or not types_raw:
        raise UserError(f"{where}: 'types' must map each record type to a list of classes.")
    types = {
        str(name).lower(): tuple(expand(c, f"{where}: types.{name}") for c in (classes or []))
        for name, classes in types_raw.items()
    }
    aliases = {str(k).lower(): str(v).lower() for k, v in (raw.get("type_aliases") or {}).items()}
    for alias, target in aliases.items():
        if target not in types:
            raise UserError(f"{where}: type_aliases.{alias} names {target!r}, which is not in 'types'.")
    unknown = raw.get("unknown_columns", "keep")
    if unknown not in ("keep", "error"):
        raise UserError(
            f"{where}: 'unknown_columns' must be 'keep' (kept verbatim) or 'error' (refused), not {unknown!r}."
        )
    type_values: dict[str, str] = {}
    for value, target in (raw.get("type_values") or {}).items():
        target = str(target).lower()
        if target not in types:
            raise UserError(f"{where}: type_values.{value} names {target!r}, which is not in 'types'.")
        type_values[expand(str(value), f"{where}: type_values")] = target
    default_type = raw.get("default_type")
    if default_type is not None and str(default_type).lower() not in types:
        raise UserError(f"{where}: default_type {default_type!r} is not in 'types'.")
    columns: dict[str, Column] = {}
    by_rdf: dict[str, str] = {}
    for name, spec in (raw.get("columns") or {}).items():
        key = column_key(str(name))
        here = f"{where}: columns.{name}"
        if not isinstance(spec, dict):
            raise UserError(f"{here}: must be a mapping with 'kind' and 'property'.")
        kind = spec.get("kind")
        if kind not in KINDS:
            raise UserError(f"{here}: kind {kind!r} is not one of {', '.join(sorted(KINDS))}.")
        props = spec.get("property") or []
        props = [props] if isinstance(props, str) else list(props)
        if not props and kind != "type":
            raise UserError(f"{here}: needs a 'property' (the RDF property its values are written with).")
        rdf = spec.get("rdf") or []
        multi = spec.get("multi")
        column = Column(
            key=key,
            kind=kind,
            properties=tuple(expand(p, here) for p in props),
            required=bool(spec.get("required", False)),
            multi=((multi,) if isinstance(multi, str) else tuple(multi)) if multi else None,
            rdf=tuple(expand(p, here) for p in ([rdf] if isinstance(rdf, str) else rdf)),
        )
        columns[key] = column
        for prop in column.properties[:1] + column.rdf:
            by_rdf.setdefault(prop, key)
    for needed in ("identifier", "type", "text"):
        if not any(c.kind == needed for c in columns.values()):
            raise UserError(f"{where}: 'columns' needs a column of kind {needed!r}.")
    constants: dict[str, tuple[str, ...]] = {}
    for name, value in (raw.get("constants") or {}).items():
        key = column_key(str(name))
        if key not in columns:
            raise UserError(f"{where}: constants.{name} is not a column of the mapping.")
        values = tuple(str(v) for v in (value if isinstance(value, list) else [value]))
        if columns[key].kind == "type" and any(v.lower() not in types and v.lower() not in aliases for v in values):
            raise UserError(f"{where}: constants.{name}: {value!r} is not in 'types'.")
        constants[key] = values
    return Mapping(
        name=str(raw.get("name") or Path(where).stem),
        columns=columns,
        types=types,
        type_aliases=aliases,
        default_language=str(raw.get("default_language") or "en"),
        unknown_columns=unknown,
        digest=digest,
        source=where,
        by_rdf_property=by_rdf,
        type_values=type_values,
        default_type=str(default_type).lower() if default_type is not None else None,
        constants=constants,
    )
