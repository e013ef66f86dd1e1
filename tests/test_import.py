"""Importing Living-in.eu-style records (issue 6, points 1, 2 and 6; issue 8, point 8).

The contract: CSV, JSON and RDF records become ``dsih:ImportedRecord``s in their own named graph
``{base}/id/graph/import-<name>``, mapped by the documented default mapping, with provenance (source file,
sha256, time, row). A bad file is refused with file, row, column and why, and nothing is added; the same
file imported twice changes nothing; ``--dry-run`` changes nothing; RDF/XML with a DOCTYPE is refused
before parsing.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsih_kg.cli import main
from dsih_kg.config import load_settings
from dsih_kg.errors import UserError
from dsih_kg.importers.mapping import DEFAULT_MAPPING
from dsih_kg.importers.run import ImportRefused, import_file, plan_import
from dsih_kg.stores import open_store
from timing import baseline, bound

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "livingin"
BASE = "https://w3id.org/dsih-kg"
GRAPH = f"{BASE}/id/graph/import-synthetic-sample"
DSIH = "https://w3id.org/dsih-kg/def/dsih/"
DCT = "http://purl.org/dc/terms/"
PREFIXES = """
PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX spdx: <http://spdx.org/rdf/terms#>
PREFIX schema: <https://schema.org/> PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
HEADER = (
    "id,type,title,description,url,organisation,city,NUTS region,country,EU mission,domain,TRL,SRL,CRL,"
    "helix actors,tags,language,licence,last modified,synthetic\n"
)


def row(n: int, **values: str) -> str:
    cells = {
        "id": f"T-{n}",
        "type": "solution",
        "title": f"Record {n}",
        "language": "en",
        "synthetic": "true",
    }
    cells.update(values)
    order = [c.strip() for c in HEADER.strip().split(",")]
    keys = [
        "id",
        "type",
        "title",
        "description",
        "url",
        "organisation",
        "city",
        "nuts",
        "country",
        "mission",
        "domain",
        "trl",
        "srl",
        "crl",
        "helix",
        "tags",
        "language",
        "licence",
        "modified",
        "synthetic",
    ]
    assert len(keys) == len(order)
    return ",".join(cells.get(k, "") for k in keys) + "\n"


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    return load_settings(workers=1, imports_dir=str(tmp_path_factory.mktemp("imports")))


@pytest.fixture(scope="module")
def store(settings):
    store = open_store(settings)
    yield store
    store.close()


def ask(store, query: str) -> bool:
    return bool(store.query(PREFIXES + query).boolean)


def count(store, graph: str) -> int:
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
    return int(rows[0]["n"])


def test_the_sample_csv_becomes_records_in_their_own_graph_with_provenance(store, settings):
    plan = import_file(SAMPLES / "synthetic-sample.csv", settings, store)
    assert plan.graph == GRAPH and plan.records == 12 and plan.synthetic
    assert count(store, GRAPH) == plan.triples
    record = f"{BASE}/id/record/synthetic-sample--syn-002"
    assert ask(
        store,
        f"""ASK {{ GRAPH <{GRAPH}> {{
        <{record}> a dsih:ImportedRecord, schema:SoftwareApplication ;
            dcterms:identifier "SYN-002" ; dcterms:title "Theory U workshop kit for municipal teams"@en ;
            schema:url <https://example.org/synthetic/syn-002> ; dcterms:language "en" ;
            dcterms:license <https://spdx.org/licenses/CC-BY-4.0> ; dcterms:modified "2025-01-20"^^xsd:date ;
            dsih:sourceRow 3 ; dsih:synthetic true ; schema:provider/schema:name "VNG" ;
            dcat:keyword "workshop", "facilitation" ; dsih:declaredHelixActor "government" . }} }}""",
    )
    # NUTS region and country become EU authority IRIs; TRL/SRL/CRL integers
    assert ask(
        store,
        f"""ASK {{ GRAPH <{GRAPH}> {{
        <{BASE}/id/record/synthetic-sample--syn-001> dcterms:spatial <http://data.europa.eu/nuts/code/NL33>,
            <http://publications.europa.eu/resource/authority/country/NLD> ;
            dsih:trl 6 ; dsih:srl 5 ; dsih:crl 4 ;
            dsih:declaredMission "Climate-Neutral and Smart Cities" . }} }}""",
    )
    # the graph says where it comes from: file name, sha256, time, mapping; and that it is synthetic
    assert ask(
        store,
        f"""ASK {{ GRAPH <{GRAPH}> {{
        <{GRAPH}> a dcat:Dataset ; dsih:origin "import" ; dsih:synthetic true ; prov:generatedAtTime ?t ;
            prov:wasDerivedFrom ?file ; dsih:mapping/dcterms:title "livingin-default" .
        ?file dcterms:title "synthetic-sample.csv" ;
            spdx:checksum/spdx:checksumValue "{plan.sha256}"^^xsd:hexBinary . }} }}""",
    )


def test_importing_the_same_file_twice_changes_nothing(store, settings):
    import_file(SAMPLES / "synthetic-sample.csv", settings, store)
    before = len(store)
    again = import_file(SAMPLES / "synthetic-sample.csv", settings, store)
    assert again.unchanged
    assert len(store) == before


@pytest.mark.parametrize("name", ["synthetic-sample.json", "synthetic-sample.ttl"])
def test_json_and_rdf_records_go_through_the_same_mapping(store, settings, name):
    plan = import_file(SAMPLES / name, settings, store, name=f"synthetic-{name.split('.')[1]}")
    graph = plan.graph
    assert plan.records >= 2
    assert ask(
        store,
        f"ASK {{ GRAPH <{graph}> {{ ?r a dsih:ImportedRecord ; dcterms:title ?t ; dsih:sourceRow ?n }} }}",
    )
    if name.endswith(".json"):
        assert ask(
            store,
            f"""ASK {{ GRAPH <{graph}> {{ ?r dcterms:identifier "SYN-J-002" ; dsih:trl 7 ;
            dcterms:title "Biodiversiteitsmonitor voor bedrijventerreinen"@nl ;
            dcterms:modified "2025-05-20T09:30:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> }} }}""",
        )
    else:  # the RDF subject is kept as schema:sameAs; its Dutch title keeps its language
        assert ask(
            store,
            f"""ASK {{ GRAPH <{graph}> {{ ?r dcterms:identifier "SYN-R-001" ;
            schema:sameAs <https://example.org/synthetic/records/syn-r-001> ;
            dcterms:title "Volwassenheidsmodel TRL, SRL, CRL als zelfscan"@nl ; dsih:crl 3 }} }}""",
        )


def test_a_csv_with_a_broken_row_in_the_middle_is_refused_with_the_row_and_adds_nothing(
    store, settings, tmp_path
):
    path = tmp_path / "broken.csv"
    rows = (
        [row(n) for n in range(1, 6)] + ["T-6,solution,only three fields\n"] + [row(n) for n in range(7, 11)]
    )
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    before = len(store)
    with pytest.raises(ImportRefused) as refused:
        import_file(path, settings, store)
    message = str(refused.value)
    assert (
        "broken.csv" in message and "row 7" in message and "has 3 fields where the header has 20" in message
    )
    assert "nothing was added" in message
    assert len(store) == before
    assert f"{BASE}/id/graph/import-broken" not in store.graph_names()
    assert not list(Path(settings.imports_dir).glob("*broken*"))


@pytest.mark.parametrize(
    "values, column, why",
    [
        ({"trl": "ten"}, "TRL", "readiness level from 1 to 9"),
        ({"url": "not a url"}, "url", "absolute http(s) URL"),
        ({"type": "spaceship"}, "type", "not a record type"),
        ({"country": "Netherlands"}, "country", "ISO 3166-1 alpha-2"),
        ({"modified": "27/11/2026"}, "last modified", "ISO 8601 date"),
        ({"language": "dutch"}, "language", "ISO 639-1 code"),
        ({"title": ""}, "title", "is required but empty"),
    ],
)
def test_a_bad_value_is_refused_with_file_row_and_the_column_as_written(settings, tmp_path, values, column, why):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + row(1) + row(2, **values) + row(3), encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        plan_import(path, settings)
    problem = refused.value.problems[0]
    assert (problem.where, problem.column) == ("row 3", column)
    assert why in problem.why
    assert f"bad.csv: row 3, column {column}:" in str(refused.value)


def test_duplicate_ids_are_refused(settings, tmp_path):
    path = tmp_path / "dupes.csv"
    path.write_text(HEADER + row(1) + row(1), encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"row 3, column id: 'T-1' is also the id of row 2"):
        plan_import(path, settings)


def test_an_unknown_column_is_kept_verbatim_as_a_property_of_the_import(store, settings, tmp_path):
    path = tmp_path / "colours.csv"
    path.write_text(HEADER.strip() + ",Colour of hat\n" + row(1).strip() + ",blue\n", encoding="utf-8")
    graph = import_file(path, settings, store).graph
    kept = f"<{graph}#Colour%20of%20hat>"
    assert ask(store, f"""ASK {{ GRAPH <{graph}> {{ ?r dcterms:identifier "T-1" ; {kept} "blue" }} }}""")


def test_a_mapping_may_refuse_unknown_columns_naming_them_as_written(settings, tmp_path):
    mapping = tmp_path / "strict.yaml"
    mapping.write_text(
        DEFAULT_MAPPING.read_text(encoding="utf-8").replace("unknown_columns: keep", "unknown_columns: error"),
        encoding="utf-8",
    )
    path = tmp_path / "colours.csv"
    path.write_text(HEADER.strip() + ",Colour of hat\n" + row(1).strip() + ",blue\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"row 2, column Colour of hat: is not a column of mapping"):
        plan_import(path, settings, mapping_path=mapping)


def test_a_dry_run_changes_nothing(store, settings):
    before = len(store)
    plan = import_file(SAMPLES / "synthetic-sample.csv", settings, store, dry_run=True, name="dry")
    assert plan.records == 12 and plan.triples > 0
    assert len(store) == before
    assert f"{BASE}/id/graph/import-dry" not in store.graph_names()


def test_a_changed_file_replaces_its_import(store, settings, tmp_path):
    path = tmp_path / "changing.csv"
    path.write_text(HEADER + row(1) + row(2), encoding="utf-8")
    graph = import_file(path, settings, store).graph
    path.write_text(HEADER + row(1, title="Renamed"), encoding="utf-8")
    import_file(path, settings, store)
    titles = {
        str(r["t"])
        for r in store.query(
            f"SELECT ?t WHERE {{ GRAPH <{graph}> {{ ?r a <{DSIH}ImportedRecord> ; <{DCT}title> ?t }} }}"
        ).rows
    }
    assert titles == {"Renamed"}


def test_only_import_graphs_of_ours_may_be_written(settings):
    with pytest.raises(UserError, match="import graph of ours"):
        plan_import(SAMPLES / "synthetic-sample.csv", settings, graph=f"{BASE}/id/graph/publication")


# --- hostile files (issue 8, point 8) -------------------------------------------------------------------

ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcterms="http://purl.org/dc/terms/"
         xmlns:schema="https://schema.org/">
  <schema:Service rdf:about="https://example.org/x"><dcterms:title>&lol9;</dcterms:title></schema:Service>
</rdf:RDF>
"""


@pytest.mark.parametrize(
    "doc",
    [
        ENTITY_BOMB,
        ENTITY_BOMB.replace('<!ENTITY lol "lol">', '<!ENTITY lol SYSTEM "file:///etc/passwd">'),
        '<?xml version="1.0"?>\n<!doctype rdf:RDF SYSTEM "http://127.0.0.1:9/x.dtd">\n<rdf:RDF/>',
    ],
)
def test_rdf_xml_with_a_doctype_or_entities_is_refused_up_front(settings, tmp_path, doc):
    path = tmp_path / "hostile.rdf"
    path.write_text(doc, encoding="utf-8")
    harmless = baseline(lambda: plan_import(SAMPLES / "synthetic-sample.ttl", settings))
    started = time.monotonic()
    with pytest.raises(ImportRefused, match=r"hostile.rdf: line \d+: declares <!(DOCTYPE|ENTITY)>"):
        plan_import(path, settings)
    assert time.monotonic() - started < bound(harmless)  # refused before any entity is expanded


def test_json_ld_with_a_remote_context_opens_no_connection(settings, tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    connections = []

    def watch():
        try:
            connections.append(listener.accept())
        except OSError:
            pass

    watcher = threading.Thread(target=watch)
    watcher.start()
    path = tmp_path / "remote.jsonld"
    path.write_text(
        f'{{"@context": "http://127.0.0.1:{port}/ctx.jsonld", "@id": "https://example.org/x", '
        '"@type": "https://schema.org/Service", "title": "x"}',
        encoding="utf-8",
    )
    with pytest.raises(
        ImportRefused,
        match="remote.jsonld: document: refers to a remote JSON-LD @context, which is never fetched",
    ):
        plan_import(path, settings)
    watcher.join()
    listener.close()
    assert connections == []


@pytest.mark.parametrize(
    "content, why",
    [
        (b"id,type,title\nT-1,solution,\xff\xfe broken\n", "is not UTF-8"),
        (b"id,type,title\nT-1,solution,a\x00b\n", "NUL byte"),
        (b'id,type,title\nT-1,solution,"never closed\n', "not valid CSV"),
        (b"", "empty"),
    ],
)
def test_files_that_are_not_text_csv_are_refused_with_a_reason(settings, tmp_path, content, why):
    path = tmp_path / "odd.csv"
    path.write_bytes(content)
    with pytest.raises(ImportRefused, match=why):
        plan_import(path, settings)


def test_json_that_is_not_a_list_of_records_is_refused(settings, tmp_path):
    path = tmp_path / "odd.json"
    for content, why in [
        ("{", "not valid JSON"),
        ('{"a": 1}', "must be a JSON array"),
        ('[{"id": "x", "type": "tool", "title": {"nested": 1}}]', "nested objects"),
        ("[" * 100_000, "not valid JSON|nested too deeply"),
    ]:
        path.write_text(content, encoding="utf-8")
        with pytest.raises(ImportRefused, match=why):
            plan_import(path, settings)


# --- the command ----------------------------------------------------------------------------------------


def test_the_import_command_dry_run_and_refusal(settings, tmp_path):
    runner = CliRunner()
    env = {"DSIH_IMPORTS_DIR": settings.imports_dir, "DSIH_WORKERS": "1"}
    result = runner.invoke(
        main, ["import", str(SAMPLES / "synthetic-sample.csv"), "--dry-run", "--name", "cli"], env=env
    )
    assert result.exit_code == 0, result.output
    assert "dry run, nothing changed" in result.output and "12 records" in result.output
    assert "<https://w3id.org/dsih-kg/id/record/cli--syn-001>" in result.output
    bad = tmp_path / "cli-bad.csv"
    bad.write_text(HEADER + row(1, trl="12"), encoding="utf-8")
    result = runner.invoke(main, ["import", str(bad)], env=env)
    assert result.exit_code == 2
    assert "cli-bad.csv: row 2, column TRL" in result.output


def test_a_csv_spatial_cell_keeps_a_place_name_as_a_literal_and_a_url_as_an_iri(store, settings, tmp_path):
    path = tmp_path / "places.csv"
    path.write_text(
        "id,type,title,spatial\n"
        "P-1,project,A pilot in two places,Utrecht; http://data.europa.eu/nuts/code/NL33\n",
        encoding="utf-8",
    )
    graph = import_file(path, settings, store).graph
    assert ask(
        store,
        f"""ASK {{ GRAPH <{graph}> {{ ?r dcterms:identifier "P-1" ;
            dcterms:spatial "Utrecht", <http://data.europa.eu/nuts/code/NL33> }} }}""",
    )
    path.write_text("id,type,title,spatial\nP-1,project,A pilot,http://data.europa.eu/nuts/code/Utrecht\n")
    with pytest.raises(ImportRefused, match=r"row 2, column spatial: .* is not a NUTS code"):
        plan_import(path, settings)
