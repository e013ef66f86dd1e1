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
SPDX_BASE = "https://spdx.org/licenses/"

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
_LANGUAGE = re.compile(r"^[a-z]{2}$")
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
    code = value.strip().upper()
    if not _NUTS.match(code):
        raise ValueError(
            "must be a NUTS code: two country letters and up to three more (NL, NL3, NL33, NL332)"
        )
    return iri(NUTS_BASE + code)


def country(value: str) -> str:
    code = value.strip().upper()
    if code not in COUNTRIES:
        raise ValueError("must be an ISO 3166-1 alpha-2 country code such as NL, BE or DE")
    return iri(COUNTRY_BASE + COUNTRIES[code])


def level(value: str) -> str:
    match = _LEVEL.match(value.strip())
    if not match:
        raise ValueError("must be a readiness level from 1 to 9 ('6' or 'TRL 6')")
    return typed(int(match.group(1)), "integer")


def language(value: str) -> str:
    code = value.strip().lower()
    if not _LANGUAGE.match(code):
        raise ValueError("must be a two-letter ISO 639-1 language code such as nl or en")
    return literal(code)


def licence(value: str) -> str:
    if value.startswith(("http://", "https://")):
        return http_iri(value)
    if not _SPDX.match(value):
        raise ValueError("must be a licence URL or an SPDX identifier such as CC-BY-4.0")
    return iri(SPDX_BASE + value)


def when(value: str) -> str:
    text = value.strip()
    try:
        if "T" in text:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
            return typed(text, "dateTime")
        date.fromisoformat(text)
        return typed(text, "date")
    except ValueError:
        raise ValueError(
            "must be an ISO 8601 date (2024-05-01) or date-time (2024-05-01T10:00:00Z)"
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
