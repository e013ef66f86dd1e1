"""N-Triples terms written as text: building strings is what makes 100 000 records fit in seconds.

rdflib term objects cost microseconds each; an import writes millions of terms, so importers and the
linker write N-Triples lines directly and let the store parse them in bulk.
"""

from __future__ import annotations

import re

XSD = "http://www.w3.org/2001/XMLSchema#"

#: Characters N-Triples forbids inside <...>, plus whitespace.
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_LANG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")


def iri_ok(value: str) -> bool:
    """True when ``value`` can stand between < and > as an absolute IRI."""
    return bool(value) and ":" in value and not _BAD_IRI.search(value)


def iri(value: str) -> str:
    """``<value>``; raises ValueError for text that is not a usable IRI."""
    if not iri_ok(value):
        raise ValueError(f"not an absolute IRI: {value!r}")
    return f"<{value}>"


_GOOD_LANGS: set[str] = set()


def literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    """A literal with its language tag or datatype (a full IRI)."""
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        text = text.translate(_ESCAPES)
    body = f'"{text}"'
    if lang:
        if lang not in _GOOD_LANGS:
            if not _LANG.match(lang):
                raise ValueError(f"not a language tag: {lang!r}")
            _GOOD_LANGS.add(lang)
        return f"{body}@{lang}"
    if datatype:
        return f"{body}^^<{datatype}>"
    return body


def typed(value: object, xsd_type: str) -> str:
    """A literal of an XSD datatype, e.g. ``typed(6, "integer")``."""
    return literal(str(value), datatype=XSD + xsd_type)


def triple(s: str, p: str, o: str) -> str:
    """One N-Triples line (terms already written)."""
    return f"{s} {p} {o} .\n"
