"""Check one value of a column and write it as an N-Triples object; a bad value raises ValueError(why).

One function per mapping kind that needs no context beyond the value itself; the kinds that mint
nodes or depend on the record (identifier, type, text, organisation) live in :mod:`.records`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from .ntriples import iri, iri_ok, literal, typed

NUTS_BASE = "http://data.europa.eu/nuts/code/"
COUNTRY_BASE = "http://publications.europa.eu/resource/authority/country/"
LANGUAGE_BASE = "http://publications.europa.eu/resource/authority/language/"
SPDX_BASE = "https://spdx.org/licenses/"
#: EU language authority codes (ISO 639-2) of the languages records come in -> ISO 639-1.
LANGUAGES = {
    "BUL": "bg", "CES": "cs", "DAN": "da", "DEU": "de", "ELL": "el", "ENG": "en", "EST": "et", "FIN": "fi",
    "FRA": "fr", "FRY": "fy", "GLE": "ga", "HRV": "hr", "HUN": "hu", "ISL": "is", "ITA": "it", "LAV": "lv",
    "LIT": "lt", "LTZ": "lb", "MLT": "mt", "NLD": "nl", "NOR": "no", "POL": "pl", "POR": "pt", "RON": "ro",
    "SLK": "sk", "SLV": "sl", "SPA": "es", "SWE": "sv",
}  # fmt: skip

#: ISO 3166-1 alpha-2 -> alpha-3 (the EU country authority table uses alpha-3) for Europe and neighbours.
COUNTRIES = {
    "AD": "AND",
    "AL": "ALB",
    "AT": "AUT",
    "BA": "BIH",
    "BE": "BEL",
    "BG": "BGR",
    "BY": "BLR",
    "CH": "CHE",
    "CY": "CYP",
    "CZ": "CZE",
    "DE": "DEU",
    "DK": "DNK",
    "EE": "EST",
    "ES": "ESP",
    "FI": "FIN",
    "FO": "FRO",
    "FR": "FRA",
    "GB": "GBR",
    "GE": "GEO",
    "GR": "GRC",
    "HR": "HRV",
    "HU": "HUN",
    "IE": "IRL",
    "IL": "ISR",
    "IS": "ISL",
    "IT": "ITA",
    "LI": "LIE",
    "LT": "LTU",
    "LU": "LUX",
    "LV": "LVA",
    "MC": "MCO",
    "MD": "MDA",
    "ME": "MNE",
    "MK": "MKD",
    "MT": "MLT",
    "NL": "NLD",
    "NO": "NOR",
    "PL": "POL",
    "PT": "PRT",
    "RO": "ROU",
    "RS": "SRB",
    "SE": "SWE",
    "SI": "SVN",
    "SK": "SVK",
    "SM": "SMR",
    "TR": "TUR",
    "UA": "UKR",
    "UK": "GBR",
    "VA": "VAT",
    "XK": "XKX",
    "EL": "GRC",
    "US": "USA",
    "CA": "CAN",
}
_NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
_COUNTRY3 = re.compile(r"^[A-Z0-9]{3}$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_LANGUAGE_TAG = re.compile(r"^([a-z]{2})(-[a-z0-9]{1,8})*$", re.IGNORECASE)
_LEVEL = re.compile(r"^(?:[TSC]RL[\s\-_]*)?([1-9])$", re.IGNORECASE)
_SPDX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-+]*$")
_TRUE = {"true", "yes", "1", "ja", "y"}
_FALSE = {"false", "no", "0", "nee", "n"}


def string(value: str) -> str:
    return literal(value)


def http_iri(value: str) -> str:
    if not value.startswith(("http://", "https://")) or not iri_ok(value):
        raise ValueError("must be an absolute http(s) URL without spaces")
    return iri(value)


def nuts(value: str) -> str:
    if value.startswith(("http://", "https://")):
        return place_iri(value)
    code = value.strip().upper()
    if not _NUTS.match(code):
        raise ValueError(
            "must be a NUTS code: two country letters and up to three more (NL, NL3, NL33, NL332)"
        )
    return iri(NUTS_BASE + code)


def country(value: str) -> str:
    if value.startswith(("http://", "https://")):
        return place_iri(value)
    code = value.strip().upper()
    if code not in COUNTRIES:
        raise ValueError("must be an ISO 3166-1 alpha-2 country code such as NL, BE or DE")
    return iri(COUNTRY_BASE + COUNTRIES[code])


def place_iri(value: str) -> str:
    """A place IRI stays what it is; one that claims to be a NUTS region or an EU country is checked."""
    written = http_iri(value)
    bare = value.split("://", 1)[1]
    for base, pattern, what in (
        (NUTS_BASE, _NUTS, "a NUTS code such as NL33"),
        (COUNTRY_BASE, _COUNTRY3, "a three-letter EU country code such as NLD"),
    ):
        if bare.startswith(base.split("://", 1)[1]):
            code = bare[len(base.split("://", 1)[1]) :]
            if not pattern.match(code):
                raise ValueError(f"is under {base} but {code!r} is not {what}")
    return written


def place(text: str, lang: str | None = None, term: str | None = None) -> str:
    """A place as given: an IRI (from RDF, or an http(s) URL in a cell) stays an IRI, a place name
    stays a literal with its language, an RDF blank node or typed literal stays as it was."""
    if term is not None and not term.startswith("<"):
        return term
    if term is not None or text.startswith(("http://", "https://")):
        return place_iri(text)
    return literal(text, lang=lang)


def language_code(value: str) -> str | None:
    """The ISO 639-1 code of a language value (``nl``, ``nl-NL``, an EU language IRI …/NLD, …/iso639-1/nl)."""
    text = value.strip()
    if text.startswith(("http://", "https://")):
        last = text.rstrip("/").rsplit("/", 1)[-1]
        return LANGUAGES.get(last.upper()) or (last.lower() if _LANGUAGE.match(last.lower()) else None)
    match = _LANGUAGE_TAG.match(text)
    return match.group(1).lower() if match else None


def level(value: str) -> str:
    match = _LEVEL.match(value.strip())
    if not match:
        raise ValueError("must be a readiness level from 1 to 9 ('6' or 'TRL 6')")
    return typed(int(match.group(1)), "integer")


def language(value: str) -> str:
    if language_code(value) is None:
        raise ValueError(
            "must be a language: an ISO 639-1 code such as nl or en, a tag such as nl-NL, "
            f"or an EU language IRI such as {LANGUAGE_BASE}NLD"
        )
    if value.startswith(("http://", "https://")):
        return http_iri(value)
    return literal(value.strip().lower() if _LANGUAGE.match(value.strip().lower()) else value.strip())


def licence(value: str) -> str:
    if value.startswith(("http://", "https://")):
        return http_iri(value)
    if not _SPDX.match(value):
        raise ValueError("must be a licence URL or an SPDX identifier such as CC-BY-4.0")
    return iri(SPDX_BASE + value)


_YEAR = re.compile(r"^[0-9]{4}$")
_YEAR_MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")


def when(value: str) -> str:
    text = value.strip()
    if _YEAR.match(text):
        return typed(text, "gYear")
    if _YEAR_MONTH.match(text):
        return typed(text, "gYearMonth")
    try:
        if "T" in text:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
            return typed(text, "dateTime")
        date.fromisoformat(text)
        return typed(text, "date")
    except ValueError:
        raise ValueError(
            "must be an ISO 8601 date (2024-05-01), date-time (2024-05-01T10:00:00Z), year-month or year"
        ) from None


def boolean(value: str) -> str:
    text = value.strip().lower()
    if text in _TRUE:
        return typed("true", "boolean")
    if text in _FALSE:
        return typed("false", "boolean")
    raise ValueError("must be true or false")


CONVERTERS: dict[str, Callable[[str], str]] = {
    "string": string,
    "iri": http_iri,
    "nuts": nuts,
    "country": country,
    "level": level,
    "language": language,
    "licence": licence,
    "date": when,
    "boolean": boolean,
}
