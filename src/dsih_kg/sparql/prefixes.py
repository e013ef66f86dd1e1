"""Say which prefix a query forgot to declare, and the PREFIX line that declares it.

A query that uses ``skos:prefLabel`` without ``PREFIX skos: <…>`` fails to parse, and the parser's own
message is a list of characters it expected. When the query's text uses a prefix that it does not
declare, the message names that prefix first and, for the prefixes everybody uses, gives the line to add.
Nothing is declared for the query: a query means what it says on every SPARQL server.
"""

from __future__ import annotations

import re

from .lexer import tokens

#: Well-known prefixes and their namespaces (those the graph binds, plus common spellings).
WELL_KNOWN: dict[str, str] = {
    "dsih": "https://w3id.org/dsih-kg/def/dsih/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "dct": "http://purl.org/dc/terms/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "org": "http://www.w3.org/ns/org#",
    "sh": "http://www.w3.org/ns/shacl#",
    "vann": "http://purl.org/vocab/vann/",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "spdx": "http://spdx.org/rdf/terms#",
}


def undeclared_prefixes(text: str) -> list[str]:
    """The prefixes ``text`` uses in prefixed names but never declares, in order of first use."""
    toks = tokens(text)
    declared: set[str] = set()
    used: list[str] = []
    for i, tok in enumerate(toks):
        if tok.kind != "pname":
            continue
        prefix = tok.text.partition(":")[0]
        before = toks[i - 1] if i else None
        if before is not None and before.kind == "word" and before.text.upper() == "PREFIX":
            declared.add(prefix)
        elif before is not None and before.text == "_" and before.offset + 1 == tok.offset:
            continue  # a blank node label, _:b, is not a prefixed name
        elif prefix not in used:
            used.append(prefix)
    return [prefix for prefix in used if prefix not in declared]


def explain_syntax_error(parser_message: str, text: str) -> str:
    """The message for a query or update that does not parse: the undeclared prefixes first, if any.

    Oxigraph's message for an unknown prefix ("expected one of Prefix not found, [...]") lists every
    character it could have read; its position is all that helps, so only that is kept.
    """
    missing = undeclared_prefixes(text)
    if not missing:
        return parser_message
    parts = []
    for prefix in missing:
        namespace = WELL_KNOWN.get(prefix)
        line = f"PREFIX {prefix}: <{namespace}>" if namespace else f"PREFIX {prefix}: <namespace IRI>"
        parts.append(f"undeclared prefix {prefix}: add the line {line} at the top")
    said = parser_message
    location = _OXIGRAPH_UNKNOWN_PREFIX.match(parser_message)
    if location:
        said = location.group(1)
    return "; ".join(parts) + f" (the parser said: {said})"


_OXIGRAPH_UNKNOWN_PREFIX = re.compile(r"(error at \d+:\d+): expected one of Prefix not found")
