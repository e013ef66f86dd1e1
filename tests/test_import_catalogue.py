"""Importing RDF records as catalogues publish them (issue 11, point 1).

The contract: DCAT, DCTERMS, schema.org (http:// or https://), FOAF/vCard and ADMS records are imported
as they come. A place is kept as what it is (a name stays a literal, an IRI stays an IRI; only a value
that claims to be a NUTS region or an EU country is checked). The record type comes from dcterms:type,
schema:additionalType or rdf:type, with a documented default; a mapping may set constants. Keyword lists
are split, language tags kept, properties the mapping does not name kept verbatim. Errors name the
property as the file writes it. Every subject that looks like a record is imported, read as a part of
one, or listed as skipped with the reason; ``--strict`` refuses a file with a skipped record.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsih_kg.cli import main
from dsih_kg.config import load_settings
from dsih_kg.importers.mapping import DEFAULT_MAPPING
from dsih_kg.importers.run import ImportRefused, SkipsRefused, import_file, plan_import
from dsih_kg.stores import open_store

DATA = Path(__file__).parent / "data"
CATALOGUE = DATA / "catalogue-records.ttl"
BASE = "https://w3id.org/dsih-kg"
GRAPH = f"{BASE}/id/graph/import-catalogue-records"
RECORD = f"{BASE}/id/record/catalogue-records--"
PREFIXES = """
PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/> PREFIX sdo: <http://schema.org/> PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX adms: <http://www.w3.org/ns/adms#> PREFIX vcard: <http://www.w3.org/2006/vcard/ns#>
"""
TURTLE_HEAD = """@prefix dct: <http://purl.org/dc/terms/> . @prefix sdo: <http://schema.org/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dsih: <https://w3id.org/dsih-kg/def/dsih/> .
@prefix ex: <https://example.org/catalogue/> .
"""


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    return load_settings(workers=1, imports_dir=str(tmp_path_factory.mktemp("imports")))


@pytest.fixture(scope="module")
def store(settings):
    store = open_store(settings)
    yield store
    store.close()


@pytest.fixture(scope="module")
def plan(store, settings):
    return import_file(CATALOGUE, settings, store)


def ask(store, body: str) -> bool:
    return bool(store.query(f"{PREFIXES} ASK {{ GRAPH <{GRAPH}> {{ {body} }} }}").boolean)


def record(n: int) -> str:
    return f"<{RECORD}cat-{n:02d}>"


def write(tmp_path, text: str, name: str = "records.ttl") -> Path:
    path = tmp_path / name
    path.write_text(TURTLE_HEAD + text, encoding="utf-8")
    return path


# --- no record left out silently ------------------------------------------------------------------------


def test_every_subject_that_looks_like_a_record_is_imported_part_of_one_or_skipped_with_the_reason(plan):
    assert plan.records == 14
    assert plan.by_type == {
        "catalogue": 1, "dataset": 3, "document": 1, "event": 1, "organisation": 1, "project": 3,
        "resource": 1, "solution": 1, "tool": 1, "use-case": 1,
    }  # fmt: skip
    reasons = dict(plan.skipped)
    untitled = reasons["subject 15 <https://example.org/catalogue/untitled>"]
    assert untitled.startswith("has no title (dct:title, sdo:name")
    blank = next(where for where in reasons if "Anonymous dataset" in where)
    assert "blank node without dcterms:identifier" in reasons[blank]
    # publishers, the distribution, the contact point, the funder, the place: parts of their records
    assert len(plan.parts) == 6
    summary = plan.summary()
    assert "14 records imported" in summary and "2 skipped" in summary
    assert "read as parts of records, not as records of their own (publishers, distributions, places…): 6" in summary
    assert "skipped subject 15 <https://example.org/catalogue/untitled>: has no title" in summary


def test_a_record_with_only_dcat_dataset_is_imported(store, plan):
    assert ask(store, f"{record(1)} a dsih:ImportedRecord, dcat:Dataset ; dcterms:type 'dataset' .")
    assert ask(store, f"{record(12)} a dsih:ImportedRecord, dcat:Dataset .")


def test_a_record_with_only_schema_creativework_is_imported(store, plan):
    assert ask(store, f"""{record(2)} a dsih:ImportedRecord, sdo:CreativeWork ;
        dcterms:title "A guide to co-creation with residents"@en .""")


def test_records_a_catalogue_lists_stay_records_and_the_catalogue_is_one_too(store, plan):
    for n in (1, 5, 12):
        assert ask(store, f"{record(n)} a dsih:ImportedRecord .")
    assert ask(store, "?c a dsih:ImportedRecord, dcat:Catalog ; dcterms:type 'catalogue' .")


def test_a_publisher_described_in_the_file_is_part_of_its_records_not_a_record(store, plan):
    publisher = "<https://example.org/catalogue/org-voorbeeldstad>"
    assert not ask(store, f"?r a dsih:ImportedRecord ; schema:sameAs {publisher} .")
    assert ask(store, f"""{record(1)} schema:provider ?org . {record(5)} schema:provider ?org .
        ?org schema:name "Gemeente Voorbeeldstad" ; schema:sameAs <https://example.org/catalogue/org-voorbeeldstad> .
        <https://example.org/catalogue/org-voorbeeldstad> foaf:homepage <https://example.org/voorbeeldstad> .""")
    assert ask(store, f'{record(3)} schema:provider/schema:name "Provincie Voorbeeld" .')
    # an organisation nobody points to is a record of its own
    assert ask(store, f"{record(11)} a dsih:ImportedRecord, schema:Organization ; dcterms:type 'organisation' .")


# --- places -------------------------------------------------------------------------------------------


def test_a_city_name_in_dcterms_spatial_is_kept_as_a_literal(store, plan):
    assert ask(store, f'{record(1)} dcterms:spatial "Utrecht" .')
    assert ask(store, f'{record(6)} dcterms:spatial "Eindhoven" .')  # from schema:location


@pytest.mark.parametrize(
    "n, place",
    [
        (3, "http://data.europa.eu/nuts/code/NL33"),
        (4, "http://publications.europa.eu/resource/authority/country/NLD"),
        (5, "https://sws.geonames.org/2745912/"),
        (7, "http://publications.europa.eu/resource/authority/place/NLD_AMS"),
    ],
)
def test_nuts_country_eu_place_and_geonames_iris_stay_iris(store, plan, n, place):
    assert ask(store, f"{record(n)} dcterms:spatial <{place}> .")


def test_a_place_given_as_a_node_is_kept_with_its_name(store, plan):
    assert ask(store, f'{record(15)} dcterms:spatial [ a sdo:Place ; sdo:name "Voorbeeldstad-Noord" ] .')


# --- types ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "n, type_, original",
    [
        (3, "project", "sdo:Project"),
        (4, "project", "foaf:Project"),
        (5, "solution", "dcat:DataService"),
        (6, "event", "sdo:Event"),
        (7, "project", "adms:Asset"),  # dcterms:type "pilot" comes before rdf:type
        (8, "tool", "dcat:Resource"),  # dcterms:type dcmitype:Software
        (9, "use-case", "sdo:CreativeWork"),  # schema:additionalType "use case"
        (10, "resource", "<https://example.org/vocab#Initiative>"),  # the default type
    ],
)
def test_the_record_type_comes_from_dcterms_type_additional_type_or_rdf_type(store, plan, n, type_, original):
    assert ask(store, f"{record(n)} dcterms:type '{type_}' ; a {original} .")


def test_a_mapping_without_a_default_type_skips_a_record_of_an_unknown_class(settings, tmp_path):
    mapping = tmp_path / "no-default.yaml"
    mapping.write_text(
        DEFAULT_MAPPING.read_text(encoding="utf-8").replace("default_type: resource\n", ""), encoding="utf-8"
    )
    plan = plan_import(CATALOGUE, settings, mapping_path=mapping, name="no-default")
    try:
        assert plan.records == 13
        why = next(why for where, why in plan.skipped if where.endswith("<https://example.org/catalogue/initiative>"))
        assert why.startswith("its types (<https://example.org/vocab#Initiative>) are none the mapping")
    finally:
        plan.path.unlink()


def test_a_mapping_may_set_a_constant_type_and_any_constant_field(settings, tmp_path, store):
    mapping = tmp_path / "constants.yaml"
    mapping.write_text(
        DEFAULT_MAPPING.read_text(encoding="utf-8").replace(
            "constants: {}", "constants: {type: project, eu mission: Climate-Neutral and Smart Cities}"
        ),
        encoding="utf-8",
    )
    plan = import_file(CATALOGUE, settings, store, mapping_path=mapping, name="constants")
    assert plan.by_type == {"project": 14}
    graph = f"{BASE}/id/graph/import-constants"
    rows = store.query(
        f"""SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?r a <https://schema.org/Project> ;
        <http://purl.org/dc/terms/type> "project" ;
        <https://w3id.org/dsih-kg/def/dsih/declaredMission> "Climate-Neutral and Smart Cities" }} }}"""
    ).rows
    assert int(rows[0]["n"]) == 14


# --- values --------------------------------------------------------------------------------------------


def test_comma_separated_keywords_are_split_and_keep_their_language_tag(store, plan):
    assert ask(store, f'{record(2)} dcat:keyword "co-creation", "participation", "public space" .')
    assert ask(store, f'{record(12)} dcat:keyword "mobility"@en, "cycling"@en, "counts"@en .')
    assert not ask(store, f"{record(2)} dcat:keyword ?k . FILTER(CONTAINS(?k, ','))")


def test_language_tags_on_subjects_titles_and_keywords_are_kept(store, plan):
    assert ask(store, f'{record(4)} dcterms:subject "energietransitie"@nl, "energy transition"@en .')
    assert ask(store, f'{record(1)} dcterms:title "Hittekaart Voorbeeldstad"@nl, "Heat map of Voorbeeldstad"@en .')
    assert ask(store, f'{record(1)} dcat:keyword "hitte"@nl, "klimaatadaptatie"@nl .')


def test_a_language_given_as_an_eu_authority_iri_or_a_tag_is_read(store, plan):
    assert ask(store, f"{record(1)} dcterms:language <http://publications.europa.eu/resource/authority/language/NLD> .")
    assert ask(store, f'{record(2)} dcterms:language "en-GB" .')


def test_an_unmapped_property_is_kept_verbatim(store, plan):
    assert ask(
        store,
        f"""{record(1)} dcterms:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/ANNUAL> ;
            dcat:distribution [ a dcat:Distribution ; dcat:downloadURL <https://example.org/catalogue/heat-map.tif> ] ;
            dcat:contactPoint [ vcard:fn "Team Klimaat" ; vcard:hasEmail <mailto:klimaat@example.org> ] .""",
    )
    assert ask(
        store,
        f"""{record(10)} <https://example.org/vocab#volunteers> 12 ;
            sdo:funding [ a sdo:Grant ; sdo:amount [ sdo:value 5000 ; sdo:currency "EUR" ] ] .""",
    )
    assert ask(store, f'{record(6)} sdo:startDate "2025-09-01"^^xsd:date .')  # as written: http://schema.org/
    assert ask(store, f"{record(7)} adms:status <http://purl.org/adms/status/Completed> .")


def test_an_import_never_describes_a_resource_of_ours(settings, tmp_path):
    path = write(
        tmp_path,
        """ex:r a dcat:Dataset ; dct:identifier "R-1" ; dct:title "A record"@en ;
            <https://example.org/vocab#about> <https://w3id.org/dsih-kg/id/lesson/x> .
        <https://w3id.org/dsih-kg/id/lesson/x> dct:title "Hijacked title" .""",
        "ours.ttl",
    )
    plan = plan_import(path, settings)
    try:
        text = plan.path.read_text(encoding="utf-8")
        assert "<https://example.org/vocab#about> <https://w3id.org/dsih-kg/id/lesson/x>" in text
        assert "Hijacked" not in text
    finally:
        plan.path.unlink()


def test_importing_the_catalogue_again_changes_nothing(store, settings, plan):
    before = len(store)
    assert import_file(CATALOGUE, settings, store).unchanged
    assert len(store) == before


def test_json_ld_records_are_read_like_turtle(store, settings):
    plan = import_file(DATA / "catalogue-records.jsonld", settings, store, name="jsonld")
    assert plan.records == 2 and len(plan.skipped) == 1
    graph = f"{BASE}/id/graph/import-jsonld"
    answer = store.query(
        f"""{PREFIXES} ASK {{ GRAPH <{graph}> {{
        ?a dcterms:identifier "JL-01" ; dcterms:title "Kaart van repaircafés"@nl ;
           dcat:keyword "repareren", "circulair", "buurt" ; dcterms:spatial [ sdo:name "Voorbeeldstad" ] .
        ?b dcterms:identifier "JL-02" ; dcterms:type "document" ;
           dcterms:spatial <http://data.europa.eu/nuts/code/NL41> ;
           schema:provider/schema:name "Gemeente Voorbeeldstad" . }} }}"""
    )
    assert answer.boolean


# --- errors name the property as written --------------------------------------------------------------


@pytest.mark.parametrize(
    "statement, named, why",
    [
        ('dsih:trl "ten"', "dsih:trl", "readiness level from 1 to 9"),
        ("dct:spatial <http://data.europa.eu/nuts/code/NL33333>", "dct:spatial", "is not a NUTS code"),
        (
            "sdo:spatialCoverage <http://publications.europa.eu/resource/authority/country/Netherlands>",
            "sdo:spatialCoverage",
            "is not a three-letter EU country code",
        ),
        ('sdo:url "not a url"', "sdo:url", "absolute http(s) URL"),
        ('dct:modified "27/11/2026"', "dct:modified", "ISO 8601"),
        ('<http://purl.org/dc/elements/1.1/language> "Dutch"', "<http://purl.org/dc/elements/1.1/language>", "639-1"),
    ],
)
def test_error_messages_name_the_rdf_property_as_written(settings, tmp_path, statement, named, why):
    path = write(tmp_path, f'ex:r a dcat:Dataset ; dct:identifier "R-1" ; dct:title "A record"@en ; {statement} .')
    with pytest.raises(ImportRefused) as refused:
        plan_import(path, settings)
    problem = refused.value.problems[0]
    assert (problem.where, problem.column) == ("subject 1 <https://example.org/catalogue/r>", named)
    assert why in problem.why
    assert "nuts_region" not in str(refused.value) and "column trl" not in str(refused.value)


def test_a_mapping_may_refuse_unmapped_properties_naming_them(settings, tmp_path):
    mapping = tmp_path / "strict.yaml"
    mapping.write_text(
        DEFAULT_MAPPING.read_text(encoding="utf-8").replace("unknown_columns: keep", "unknown_columns: error"),
        encoding="utf-8",
    )
    path = write(tmp_path, 'ex:r a dcat:Dataset ; dct:identifier "R-1" ; dct:title "A" ; dct:conformsTo "x" .')
    where = "subject 1 <https://example.org/catalogue/r>"
    with pytest.raises(ImportRefused, match=rf"{where}, column dct:conformsTo: is not a property"):
        plan_import(path, settings, mapping_path=mapping)


# --- --strict ------------------------------------------------------------------------------------------


def test_strict_refuses_a_skipped_record_and_writes_nothing(settings, store, tmp_path):
    with pytest.raises(SkipsRefused) as refused:
        import_file(CATALOGUE, settings, store, name="strict", strict=True)
    assert "has no title" in str(refused.value) and "nothing was added" in str(refused.value)
    assert f"{BASE}/id/graph/import-strict" not in store.graph_names()
    assert not list(Path(settings.imports_dir).glob("*strict*"))


def test_the_import_command_lists_skips_and_strict_exits_2(settings):
    runner = CliRunner()
    env = {"DSIH_IMPORTS_DIR": settings.imports_dir, "DSIH_WORKERS": "1"}
    result = runner.invoke(main, ["import", str(CATALOGUE), "--dry-run", "--name", "cli", "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["records"] == 14 and len(answer["skipped"]) == 2 and len(answer["parts"]) == 6
    result = runner.invoke(main, ["import", str(CATALOGUE), "--strict", "--name", "cli"], env=env)
    assert result.exit_code == 2
    assert "--strict, 2 record(s) would be skipped" in result.output
    assert "subject 15 <https://example.org/catalogue/untitled>: skipped: has no title" in result.output


def test_a_second_value_of_a_one_value_field_is_kept_verbatim_not_refused(settings, tmp_path):
    path = write(
        tmp_path,
        """ex:r a dcat:Dataset ; dct:identifier "R-1" ;
            dct:title "First title"@en , "Second title"@en , "Titel"@nl ;
            dct:license <https://creativecommons.org/licenses/by/4.0/> ,
                        <https://creativecommons.org/publicdomain/zero/1.0/> ;
            dct:modified "2024-05" .""",
    )
    plan = plan_import(path, settings)
    try:
        text = plan.path.read_text(encoding="utf-8")
        for line in (
            '<http://purl.org/dc/terms/title> "First title"@en',
            '<http://purl.org/dc/terms/title> "Second title"@en',
            '<http://purl.org/dc/terms/title> "Titel"@nl',
            "<http://purl.org/dc/terms/license> <https://creativecommons.org/licenses/by/4.0/>",
            "<http://purl.org/dc/terms/license> <https://creativecommons.org/publicdomain/zero/1.0/>",
            '<http://purl.org/dc/terms/modified> "2024-05"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>',
        ):
            assert line in text
    finally:
        plan.path.unlink()
