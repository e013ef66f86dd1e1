"""Read RDF records as catalogues publish them: DCAT, DCTERMS, schema.org, FOAF/vCard and ADMS.

A subject *looks like a record* when it has a title (dcterms:title, schema:name, foaf:name…) or a class
the mapping's ``type_values`` name. It is a *part* of a record instead when a record points to it with a
property that does not relate two records (a publisher, a distribution, a place): its statements then
go with that record. Every other one is a record, imported or skipped with the reason, never dropped
without a word. The mapping's properties become fields; a record's other statements, and the nodes they
point to, are kept verbatim.

RDF is parsed with pyoxigraph, which never fetches remote JSON-LD contexts; RDF/XML with a DOCTYPE or
entity declaration is refused before any parser sees it (no XXE file reads, no entity-expansion bombs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pyoxigraph as ox

from .mapping import MAPPING_PREFIXES, Mapping, same_schema
from .ntriples import literal
from .readers import RawRecord, RecordProblem, Value, refuse_xml_declarations, split_values

RDF_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_DCT, _SDO, _FOAF = "http://purl.org/dc/terms/", "https://schema.org/", "http://xmlns.com/foaf/0.1/"
_DCAT, _VCARD = "http://www.w3.org/ns/dcat#", "http://www.w3.org/2006/vcard/ns#"
DCT_TYPE, ADDITIONAL_TYPE = _DCT + "type", _SDO + "additionalType"
#: Properties whose value is a record's title: any of them makes a subject look like a record.
TITLES = (
    _DCT + "title",
    "http://purl.org/dc/elements/1.1/title",
    _SDO + "name",
    _SDO + "headline",
    _FOAF + "name",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
)
#: How an organisation node is named, best first.
NAMES = (_SDO + "name", _FOAF + "name", _VCARD + "fn", _VCARD + "organization-name", _SDO + "legalName", *TITLES)
#: Properties that relate one record to another; any other property makes its value a part of the record.
RELATIONS = frozenset(
    [_DCAT + p for p in ("dataset", "service", "catalog", "record", "resource", "servesDataset", "hasVersion")]
    + [
        _DCT + p
        for p in (
            "relation", "hasPart", "isPartOf", "references", "isReferencedBy", "requires", "isRequiredBy",
            "hasVersion", "isVersionOf", "replaces", "isReplacedBy", "source", "conformsTo",
        )
    ]
    + [
        _SDO + p
        for p in (
            "hasPart", "isPartOf", "dataset", "includedInDataCatalog", "isBasedOn", "subjectOf", "about",
            "mentions", "sameAs", "subOrganization", "parentOrganization", "memberOf", "workExample",
            "exampleOfWork", "isRelatedTo", "isSimilarTo",
        )
    ]
    + [
        "http://www.w3.org/2002/07/owl#sameAs",
        "http://www.w3.org/2000/01/rdf-schema#seeAlso",
        "http://www.w3.org/ns/prov#wasDerivedFrom",
        _FOAF + "primaryTopic",
        _FOAF + "isPrimaryTopicOf",
        "http://www.w3.org/ns/adms#next",
        "http://www.w3.org/ns/adms#prev",
        "http://www.w3.org/ns/adms#last",
    ]
)

Node = ox.NamedNode | ox.BlankNode


def read_rdf(data: bytes, fmt: ox.RdfFormat, mapping: Mapping) -> Iterator[RawRecord]:
    """Every subject that looks like a record, as a record, a skipped record or a part of one."""
    if fmt == ox.RdfFormat.RDF_XML:
        refuse_xml_declarations(data)
    parser = ox.parse(data, format=fmt)
    try:
        quads = list(parser)
    except SyntaxError as exc:
        if "LoadDocumentCallback" in str(exc):
            raise RecordProblem(
                "document",
                None,
                "refers to a remote JSON-LD @context, which is never fetched; put the context inline",
            ) from None
        raise RecordProblem("document", None, f"is not valid {fmt.name}: {exc}") from None
    return _Catalogue(quads, getattr(parser, "prefixes", None) or {}, mapping).records()


class _Catalogue:
    """The statements of one file by subject, and what each subject is (record, part or neither)."""

    def __init__(self, quads: list[ox.Quad], prefixes: dict[str, str], mapping: Mapping):
        self.mapping = mapping
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        #: subject -> (property for matching, property as written, object), in file order
        self.statements: dict[Node, list[tuple[str, str, ox.Term]]] = defaultdict(list)
        for quad in quads:
            if isinstance(quad.subject, (ox.NamedNode, ox.BlankNode)):
                prop = quad.predicate.value
                self.statements[quad.subject].append((same_schema(prop), prop, quad.object))
        self.blank_labels: dict[ox.BlankNode, str] = {}
        self.type_order = list(mapping.type_values.items()) + [
            (cls, name) for name, classes in mapping.types.items() for cls in classes
        ]
        record_classes = {cls for cls, _ in self.type_order}
        self.candidates = [
            s
            for s, stmts in self.statements.items()
            if any(p in TITLES or (p == RDF_TYPE and same_schema(o.value) in record_classes) for p, _, o in stmts)
        ]
        self.parts = self._parts()
        self.records_set = {s for s in self.candidates if s not in self.parts}

    def _parts(self) -> dict[Node, Node]:
        """Subjects that look like records but are pointed to by a record as a part -> that record."""
        candidates = set(self.candidates)
        pointed_to = {
            o
            for s in self.candidates
            for p, _, o in self.statements[s]
            if o in candidates and o != s and p not in RELATIONS and p != RDF_TYPE
        }
        roots = [s for s in self.candidates if s not in pointed_to]
        parts: dict[Node, Node] = {}
        for root in roots:
            seen, stack = {root}, [root]
            while stack:
                node = stack.pop()
                for p, _, o in self.statements.get(node, ()):
                    if p in RELATIONS or p == RDF_TYPE or o in seen or o not in self.statements:
                        continue
                    seen.add(o)
                    if o in pointed_to:
                        parts.setdefault(o, root)
                        stack.append(o)
                    elif o not in candidates:
                        stack.append(o)
        return parts

    # --- terms ---------------------------------------------------------------------------------------

    def written(self, prop: str) -> str:
        """A property as the user wrote it: a prefixed name with the file's prefixes, or ``<IRI>``."""
        for prefix, namespace in self.prefixes:
            if same_schema(prop).startswith(same_schema(namespace)) and prop != namespace:
                return f"{prefix}:{same_schema(prop)[len(same_schema(namespace)) :]}"
        return f"<{prop}>"

    def named(self, prop: str) -> str:
        """A property the file may not use, named for a message: as the file would write it, or ours."""
        spelled = self.written(prop)
        if spelled.startswith("<"):
            for prefix, namespace in MAPPING_PREFIXES.items():
                if prop.startswith(namespace) and prop != namespace:
                    return f"{prefix}:{prop[len(namespace) :]}"
        return spelled

    def term(self, node: ox.Term) -> str:
        """A term in N-Triples, blank nodes relabelled so that they cannot clash with ours."""
        if isinstance(node, ox.BlankNode):
            if node not in self.blank_labels:
                self.blank_labels[node] = f"_:rdf{len(self.blank_labels) + 1}"
            return self.blank_labels[node]
        return str(node)

    def name_of(self, node: Node) -> str | None:
        stmts = self.statements.get(node, ())
        for name_property in NAMES:
            for p, _, o in stmts:
                if p == name_property and isinstance(o, ox.Literal) and o.value.strip():
                    return o.value.strip()
        return None

    def where(self, index: int, subject: Node) -> str:
        if isinstance(subject, ox.NamedNode):
            return f"subject {index} <{subject.value}>"
        name = self.name_of(subject)
        return f"subject {index} (a blank node" + (f" named {name[:60]!r})" if name else ")")

    # --- records -------------------------------------------------------------------------------------

    def records(self) -> Iterator[RawRecord]:
        ordered = sorted(self.records_set, key=str)
        where_of = {s: self.where(i, s) for i, s in enumerate(ordered, start=1)}
        for index, subject in enumerate(ordered, start=1):
            yield self.record(index, subject, where_of[subject])
        for index, subject in enumerate(sorted(self.parts, key=str), start=len(ordered) + 1):
            record = RawRecord(row=index, where=self.where(index, subject))
            record.part_of = where_of.get(self.parts[subject], str(self.parts[subject]))
            yield record

    def record(self, index: int, subject: Node, where: str) -> RawRecord:
        """One record: the mapping's properties as fields, the rest kept verbatim with what it points to."""
        mapping = self.mapping
        record = RawRecord(
            row=index, where=where, origin_iri=subject.value if isinstance(subject, ox.NamedNode) else None
        )
        grouped: dict[str, dict[str, list[Value]]] = defaultdict(lambda: defaultdict(list))
        spelled: dict[str, str] = {}
        starts: list[ox.Term] = []
        for prop, as_written, obj in self.statements[subject]:
            key = mapping.by_rdf_property.get(prop)
            if prop == RDF_TYPE or (key == "type" and not self._replaced_type(obj)):
                record.kept.append((f"<{as_written}>", self.term(obj)))
                continue
            if key is None:
                if mapping.unknown_columns == "error":
                    raise RecordProblem(
                        where,
                        self.written(as_written),
                        f"is not a property of mapping {mapping.name!r} (its unknown_columns is 'error')",
                    )
                record.kept.append((f"<{as_written}>", self.term(obj)))
                starts.append(obj)
                continue
            if key == "type":
                continue  # a dcterms:type word the record type replaces
            values = self.values(key, obj, self.written(as_written))
            if not values:  # an unnamed organisation node: kept as it is
                record.kept.append((f"<{as_written}>", self.term(obj)))
                starts.append(obj)
            spelled[prop] = as_written
            grouped[key][prop].extend(values)
            if any(value.term == self.term(obj) for value in values):  # the node itself is written
                starts.append(obj)
        for key, by_property in grouped.items():
            column = mapping.columns[key]
            if column.multi:
                record.fields[key] = [v for values in by_property.values() for v in values]
                continue
            # one value (a text: one per language): the first value of the first of the column's
            # properties the record has, in the mapping's order; the others are kept verbatim
            first = next(p for p in (*column.properties[:1], *column.rdf) if p in by_property)
            chosen: list[Value] = []
            for value in by_property[first]:
                if not chosen or (column.kind == "text" and value.lang not in {v.lang for v in chosen}):
                    chosen.append(value)
            record.fields[key] = chosen
            for prop, values in by_property.items():
                record.kept.extend(
                    (f"<{spelled[prop]}>", v.term or literal(v.text, lang=v.lang)) for v in values if v not in chosen
                )
        record.kept_lines = self.describe(subject, starts)
        record.skipped = self.settle(subject, record)
        return record

    def _replaced_type(self, obj: ox.Term) -> bool:
        """A dcterms:type / schema:additionalType word the mapping knows is replaced by the record type."""
        return isinstance(obj, ox.Literal) and self.mapping.record_type(obj.value) is not None

    def values(self, key: str, obj: ox.Term, source: str) -> list[Value]:
        """The values of one statement for a column: a list literal split, an organisation node named."""
        column = self.mapping.columns[key]
        if isinstance(obj, ox.Literal):
            if column.multi and column.kind != "text":
                pieces = split_values(obj.value, column.multi)
                if pieces != [obj.value]:
                    return [Value(piece, obj.language, source) for piece in pieces]
            return [Value(obj.value, obj.language, source, str(obj))]
        if column.kind == "organisation":
            name = self.name_of(obj)
            if name is None and isinstance(obj, ox.NamedNode):
                name = obj.value.rstrip("/").rsplit("/", 1)[-1] or None
            if name is None:
                return []  # an unnamed blank node: kept verbatim by the caller's description
            return [Value(name, None, source, self.term(obj) if isinstance(obj, ox.NamedNode) else None)]
        return [Value(obj.value, None, source, self.term(obj))]

    def record_type(self, subject: Node) -> str | None:
        """dcterms:type, then schema:additionalType, then rdf:type (in the mapping's order)."""
        stmts = self.statements[subject]
        for wanted in (DCT_TYPE, ADDITIONAL_TYPE):
            for p, _, o in stmts:
                if p == wanted and (found := self.mapping.record_type(o.value)):
                    return found
        classes = {same_schema(o.value) for p, _, o in stmts if p == RDF_TYPE}
        return next((name for cls, name in self.type_order if cls in classes), None)

    def settle(self, subject: Node, record: RawRecord) -> str | None:
        """Give the record its type and id; or say why a subject that looks like a record cannot be one."""
        mapping = self.mapping
        if "type" in mapping.constants:
            record.fields["type"] = []  # set by the writer from the constant
        elif (found := self.record_type(subject)) is not None:
            record.fields["type"] = [Value(found, None, "rdf:type")]
        elif mapping.default_type:
            record.fields["type"] = [Value(mapping.default_type, None, "default_type")]
        else:
            classes = [self.named(o.value) for p, _, o in self.statements[subject] if p == RDF_TYPE]
            return (
                f"its types ({', '.join(classes) or 'none'}) are none the mapping {mapping.name!r} knows, "
                "and it has no default_type"
            )
        if "id" not in record.fields:
            if isinstance(subject, ox.BlankNode):
                return "is a blank node without dcterms:identifier, so it has no stable name to make an IRI from"
            record.fields["id"] = [Value(subject.value, None, "subject IRI")]
        for column in mapping.columns.values():
            if column.required and not record.fields.get(column.key) and column.key not in mapping.constants:
                names = ", ".join(self.named(p) for p in (*column.properties[:1], *column.rdf))
                return f"has no {column.key} ({names})"
        return None

    def describe(self, subject: Node, starts: list[ox.Term]) -> list[str]:
        """The statements about the nodes a record points to (blank nodes, parts, other non-records)."""
        lines: list[str] = []
        seen: set[ox.Term] = {subject}
        stack = list(starts)
        while stack:
            node = stack.pop()
            if node in seen or node not in self.statements or node in self.records_set:
                continue
            seen.add(node)
            for _, as_written, obj in self.statements[node]:
                lines.append(f"{self.term(node)} <{as_written}> {self.term(obj)} .\n")
                stack.append(obj)
        return lines

