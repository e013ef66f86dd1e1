"""Synthetic Living-in.eu-style records, generated deterministically from a seed.

The records are written in the importer's documented CSV layout (``data/livingin/README.md``), so that
the benchmark measures ``dsih-kg import`` and ``dsih-kg link`` end to end; :func:`write_nquads` writes the
same records directly as N-Quads in the importer's shape, for when no importer is available. Every record
is marked synthetic. Three in ten records speak of a topic of the lessons (trust, co-creation,
mission-driven work, living labs...), so the linker finds links; the rest are everyday city solutions.
"""

from __future__ import annotations

import csv
import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: The CSV header, as in data/livingin/synthetic-sample.csv.
COLUMNS = [
    "id",
    "type",
    "title",
    "description",
    "url",
    "organisation",
    "city",
    "NUTS region",
    "country",
    "EU mission",
    "domain",
    "TRL",
    "SRL",
    "CRL",
    "helix actors",
    "tags",
    "language",
    "licence",
    "last modified",
    "synthetic",
]

TYPES = ["solution", "use-case", "tool", "commitment", "organisation", "dataset"]

#: (Dutch, English, lesson) topics that the lessons also speak of; records about them get links. The
#: lesson is the one dsih-kg link asserts for the topic (seen in a run); the N-Quads fallback uses it.
LESSON_TOPICS = [
    ("vertrouwen als basis", "trust as the foundation", "micro-vertrouwen-als-basis"),
    ("co-creatie met inwoners", "co-creation with residents", None),
    ("missiegedreven innoveren", "mission-driven innovation", None),
    (
        "samenwerking tussen concurrenten",
        "collaboration between competitors",
        "macro-samenwerking-tussen-concurrenten",
    ),
    ("leren door experimenteren", "learning by experimenting", "micro-leren-door-experimenteren"),
    ("design thinking", "design thinking", "meso-design-thinking"),
    ("Theory U", "Theory U", "micro-theory-u"),
    ("transitiemanagement", "transition management", None),
    ("opschalingscanvas", "scaling canvas", "meso-opschalingscanvas"),
    ("systemisch denken", "systems thinking", None),
    ("toekomstscenario's verkennen", "exploring future scenarios", "micro-toekomstscenarios-verkennen"),
    ("storytelling", "storytelling", "macro-storytelling"),
    (
        "voortgang systematisch meten",
        "measuring progress systematically",
        "micro-voortgang-systematisch-meten",
    ),
    (
        "volwassenheidsmodel TRL SRL CRL",
        "maturity model TRL SRL CRL",
        "micro-volwassenheidsmodel-trl-srl-crl",
    ),
    (
        "kennisdeling over verantwoorde digitalisering",
        "knowledge sharing on responsible digitalisation",
        "meso-kennisdeling-rond-verantwoorde-digitalisering",
    ),
    ("silo's doorbreken", "breaking down silos", None),
    ("grenswerkers ondersteunen", "supporting boundary spanners", "micro-grenswerkers-ondersteunen"),
    ("innovatiehubs", "innovation hubs", None),
    ("Garden of Friction", "Garden of Friction", "macro-garden-of-friction"),
    ("gedragskennis toepassen", "applying behavioural knowledge", "micro-toepassen-van-gedragskennis"),
]
#: Share of the records about a lesson topic.
LESSON_SHARE = 0.3

#: (Dutch, English, no lesson) everyday topics that match no lesson.
OTHER_TOPICS = [
    ("parkeersensoren", "parking sensors"),
    ("afvalinzameling", "waste collection"),
    ("straatverlichting", "street lighting"),
    ("fietsparkeren", "bicycle parking"),
    ("luchtkwaliteit", "air quality"),
    ("waterpeilen", "water levels"),
    ("warmtenetten", "heat networks"),
    ("laadpalen", "charging points"),
    ("bibliotheekpassen", "library cards"),
    ("marktvergunningen", "market permits"),
    ("geluidsoverlast", "noise nuisance"),
    ("bomenregister", "tree register"),
    ("zwemwater", "bathing water"),
    ("deelscooters", "shared scooters"),
    ("zonnepanelen", "solar panels"),
    ("wijkbudgetten", "neighbourhood budgets"),
]

KINDS = {
    "solution": ("platform voor", "platform for"),
    "use-case": ("praktijkvoorbeeld van", "use case of"),
    "tool": ("toolkit voor", "toolkit for"),
    "commitment": ("toezegging over", "commitment on"),
    "organisation": ("bureau voor", "office for"),
    "dataset": ("dataset over", "dataset on"),
}
SENTENCES = (
    (
        "Een {place}se aanpak van {topic}, ontwikkeld met {actor}.",
        "An approach from {place} to {topic}, developed with {actor}.",
    ),
    (
        "Het team gebruikte {topic} om een {domain}-opgave in {place} aan te pakken.",
        "The team used {topic} to tackle a {domain} challenge in {place}.",
    ),
    (
        "Resultaten van {topic} zijn gedeeld met andere gemeenten.",
        "Results of {topic} were shared with other municipalities.",
    ),
)
ACTORS = (
    ("inwoners", "residents"),
    ("bedrijven", "businesses"),
    ("kennisinstellingen", "knowledge institutions"),
    ("de overheid", "government"),
    ("maatschappelijke organisaties", "civil society"),
)
DOMAINS = ("energy", "mobility", "water", "health", "housing", "climate", "digital government", "culture")
MISSIONS = (
    "Climate-Neutral and Smart Cities",
    "Adaptation to Climate Change",
    "A Soil Deal for Europe",
    "Restore our Ocean and Waters",
    "Cancer",
)
PLACES = [
    ("Voorbeeldstad", "NL33", "NL"),
    ("Proefdorp", "NL22", "NL"),
    ("Testhaven", "NL41", "NL"),
    ("Modelveen", "NL13", "NL"),
    ("Exempleville", "BE21", "BE"),
    ("Beispielburg", "DEA2", "DE"),
    ("Ejemplar", "ES51", "ES"),
    ("Esempiopoli", "ITC4", "IT"),
]


@dataclass(frozen=True)
class Record:
    """One synthetic record: its CSV row (column -> text, empty for absent), and the lesson its topic
    is about (what the linker should find), if any."""

    row: dict[str, str]
    lesson: str | None = None


def generate(count: int, seed: int = 7) -> Iterator[Record]:
    """``count`` records, the same ones for the same seed. ~10 values each (a third optional, sparse)."""
    rng = random.Random(seed)
    for n in range(1, count + 1):
        dutch = rng.random() < 0.5
        lang = 0 if dutch else 1
        about_lesson = rng.random() < LESSON_SHARE
        entry = rng.choice(LESSON_TOPICS if about_lesson else OTHER_TOPICS)
        topic, lesson = entry[lang], (entry[2] if about_lesson else None)
        kind = rng.choice(TYPES)
        place, nuts, country = rng.choice(PLACES)
        domain = rng.choice(DOMAINS)
        actor = rng.choice(ACTORS)[lang]
        title = f"{KINDS[kind][lang].capitalize()} {topic} {place} {n}"
        sentence = SENTENCES[n % len(SENTENCES)][lang]
        description = sentence.format(topic=topic, place=place, actor=actor, domain=domain)
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            {
                "id": f"SYN-{n:06d}",
                "type": kind,
                "title": title,
                "description": description,
                "synthetic": "true",
            }
        )
        if dutch:
            row["language"] = "nl"  # English is the mapping's default language
        if rng.random() < 0.3:
            row["last modified"] = f"20{rng.randint(19, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if rng.random() < 0.2:
            row["country"] = country
        if rng.random() < 0.1:
            kind_of_body = rng.choice(("Lab", "Office", "Cooperative", "Hub"))
            row["organisation"] = f"{place} {kind_of_body} {rng.randint(1, 40)} (synthetic)"
        if rng.random() < 0.15:
            row["tags"] = f"{domain}; {rng.choice(MISSIONS).split()[0].lower()}"
        if rng.random() < 0.1:
            row["TRL"] = str(rng.randint(1, 9))
        yield Record(row, lesson)


def write_csv(path: Path, count: int, seed: int = 7) -> Path:
    """Write ``count`` records in the importer's CSV layout; returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for record in generate(count, seed):
            writer.writerow(record.row)
    return path


# --- N-Quads in the importer's shape (the fallback when no importer is installed) ---------------------

DSIH = "https://w3id.org/dsih-kg/def/dsih/"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
CLASSES = {
    "solution": "https://schema.org/Service",
    "use-case": "https://schema.org/CreativeWork",
    "tool": "https://schema.org/SoftwareApplication",
    "commitment": "https://schema.org/CreativeWork",
    "organisation": "https://schema.org/Organization",
    "dataset": "http://www.w3.org/ns/dcat#Dataset",
}
COUNTRY_IRIS = {"NL": "NLD", "BE": "BEL", "DE": "DEU", "ES": "ESP", "IT": "ITA"}


def slugify(text: str) -> str:
    """As dsih_kg.iri.slugify: lowercase ASCII words joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    body = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return f"{body}@{lang}" if lang else (f"{body}^^<{datatype}>" if datatype else body)


def write_nquads(
    path: Path, count: int, seed: int = 7, name: str = "records", base: str = "https://w3id.org/dsih-kg"
) -> Path:
    """Write the records as N-Quads into ``{base}/id/graph/import-{name}``, as the importer would, and
    the link the linker would assert (record ``dcterms:relation`` lesson) into ``linkset-{name}``."""
    graph = f"<{base}/id/graph/import-{name}>"
    linkset = f"<{base}/id/graph/linkset-{name}>"
    source = f"<{base}/id/dataset/{name}--synthetic>"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for row_number, record in enumerate(generate(count, seed), start=2):
            row = record.row
            lang = row["language"] or "en"
            s = f"<{base}/id/record/{name}--{slugify(row['id'])}>"
            quads = [
                (f"<{RDF_TYPE}>", f"<{DSIH}ImportedRecord>"),
                (f"<{RDF_TYPE}>", f"<{CLASSES[row['type']]}>"),
                (f"<{DCT}type>", _lit(row["type"])),
                (f"<{DCT}identifier>", _lit(row["id"])),
                (f"<{DCT}title>", _lit(row["title"], lang)),
                (f"<{DCT}description>", _lit(row["description"], lang)),
                (f"<{DSIH}synthetic>", _lit("true", datatype=XSD + "boolean")),
                ("<http://www.w3.org/ns/prov#wasDerivedFrom>", source),
                ("<http://rdfs.org/ns/void#inDataset>", graph),
                (f"<{DSIH}sourceRow>", _lit(str(row_number), datatype=XSD + "integer")),
            ]
            if row["language"]:
                quads.append((f"<{DCT}language>", _lit(row["language"])))
            if row["last modified"]:
                quads.append((f"<{DCT}modified>", _lit(row["last modified"], datatype=XSD + "date")))
            if row["country"]:
                quads.append(
                    (
                        f"<{DCT}spatial>",
                        f"<http://publications.europa.eu/resource/authority/country/{COUNTRY_IRIS[row['country']]}>",
                    )
                )
            if row["organisation"]:
                org = f"<{base}/id/record/{name}--org-{slugify(row['organisation'])}>"
                quads += [("<https://schema.org/provider>", org)]
                out.write(f"{org} <{RDF_TYPE}> <https://schema.org/Organization> {graph} .\n")
                out.write(f"{org} <https://schema.org/name> {_lit(row['organisation'])} {graph} .\n")
            for tag in filter(None, (t.strip() for t in row["tags"].split(";"))):
                quads.append(("<http://www.w3.org/ns/dcat#keyword>", _lit(tag)))
            if row["TRL"]:
                quads.append((f"<{DSIH}trl>", _lit(row["TRL"], datatype=XSD + "integer")))
            out.writelines(f"{s} {p} {o} {graph} .\n" for p, o in quads)
            if record.lesson:
                out.write(f"{s} <{DCT}relation> <{base}/id/lesson/{record.lesson}> {linkset} .\n")
    return path
