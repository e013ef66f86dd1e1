"""Linking imported records to the lessons (issue 6, points 3 and 6).

The contract: ``link`` proposes, for each record, links to lessons, instruments, mission themes, helix
actor types and readiness scales, each a ``dsih:ProposedLink`` with score, matched words, field, rule and
status in the VoID linkset ``{base}/id/graph/linkset-<name>``; links at or above the threshold are also
asserted as ``record dcterms:relation target``; a curation file's accept/reject is respected by every run.
The expectations below were made by hand from the synthetic sample (data/livingin/synthetic-sample.csv).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dsih_kg.config import load_settings
from dsih_kg.importers.run import import_file
from dsih_kg.linking.matcher import Matcher
from dsih_kg.linking.run import link_imports
from dsih_kg.linking.targets import Target, load_targets
from dsih_kg.stores import open_store

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "livingin"
ID = "https://w3id.org/dsih-kg/id/"
IMPORT = ID + "graph/import-synthetic-sample"
LINKSET = ID + "graph/linkset-synthetic-sample"
PREFIXES = """PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX void: <http://rdfs.org/ns/void#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""

#: record id -> targets (type/slug) that must be asserted
EXPECTED = {
    "SYN-001": {
        "instrument/trl",
        "instrument/srl",
        "instrument/crl",
        "theme/klimaatneutrale-steden-en-regios",
        "helix-actor/overheid",
        "helix-actor/maatschappelijke-partijen",
    },
    "SYN-002": {"instrument/theory-u", "lesson/micro-theory-u", "organisation/vng", "helix-actor/overheid"},
    "SYN-003": {"instrument/stakeholderanalyse", "theme/klimaatadaptatie"},
    "SYN-004": {
        "instrument/design-thinking",
        "lesson/meso-design-thinking",
        "theme/gezonde-bodem-en-biodiversiteit",
        "helix-actor/kennisinstellingen",
        "helix-actor/bedrijven",
    },
    "SYN-005": {
        "instrument/opschalingscanvas",
        "lesson/meso-opschalingscanvas",
        "instrument/transitiemanagement",
    },
    "SYN-006": {"instrument/unhackaton", "lesson/meso-unhackaton", "organisation/digicampus"},
    "SYN-008": {"instrument/strategic-foresight"},
    "SYN-009": {"lesson/micro-vertrouwen-als-basis"},
    "SYN-011": {"lesson/micro-ideeen-pitchen-en-versterken", "organisation/ipo"},
    "SYN-012": {
        "instrument/garden-of-friction",
        "lesson/macro-garden-of-friction",
        "theme/klimaatneutrale-steden-en-regios",
    },
}
#: record id -> targets that must not be asserted
NOT_EXPECTED = {
    "SYN-010": {"lesson/*", "instrument/theory-u"},  # a parking dashboard is about no lesson
    "SYN-008": {"instrument/methodische-toolkit"},  # 'toolkit' alone is too generic to assert
}


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    return load_settings(workers=1, imports_dir=str(tmp_path_factory.mktemp("imports")))


@pytest.fixture(scope="module")
def store(settings):
    store = open_store(settings)
    import_file(SAMPLES / "synthetic-sample.csv", settings, store)
    link_imports(store, settings, graphs=[IMPORT])
    yield store
    store.close()


def links(store, status: str | None = None) -> dict[str, dict[str, dict]]:
    """record id -> target (type/slug) -> link properties."""
    where = f'; dsih:linkStatus "{status}"' if status else ""
    rows = store.query(
        PREFIXES
        + f"""
        SELECT ?id ?target ?score ?rule ?words ?field ?status WHERE {{
          GRAPH <{LINKSET}> {{ ?link a dsih:ProposedLink ; dsih:linkSource ?r ; dsih:linkTarget ?target ;
                 dsih:score ?score ; dsih:rule ?rule ; dsih:matchedWords ?words ; dsih:matchedField ?field ;
                 dsih:linkStatus ?status {where} }}
          GRAPH <{IMPORT}> {{ ?r dcterms:identifier ?id }}
        }}"""
    ).rows
    out: dict[str, dict[str, dict]] = {}
    for row in rows:
        target = str(row["target"])[len(ID) :]
        out.setdefault(str(row["id"]), {})[target] = {
            k: str(row[k]) for k in ("score", "rule", "words", "field", "status")
        }
    return out


@pytest.mark.parametrize("record", sorted(EXPECTED))
def test_each_sample_record_links_to_what_a_person_would_link_it_to(store, record):
    asserted = set(links(store, "asserted").get(record, {}))
    assert EXPECTED[record] <= asserted, f"missing {EXPECTED[record] - asserted}"


@pytest.mark.parametrize("record", sorted(NOT_EXPECTED))
def test_records_do_not_link_to_what_they_are_not_about(store, record):
    asserted = set(links(store, "asserted").get(record, {}))
    for target in NOT_EXPECTED[record]:
        if target.endswith("/*"):
            assert not {t for t in asserted if t.startswith(target[:-1])}, asserted
        else:
            assert target not in asserted


def test_every_link_says_its_score_words_field_and_rule(store):
    every = links(store)
    theory_u = every["SYN-002"]["instrument/theory-u"]
    assert theory_u == {
        "score": "1.0",
        "rule": "label",
        "words": "Theory U",
        "field": "title",
        "status": "asserted",
    } | {"score": theory_u["score"]}
    assert float(theory_u["score"]) == 1.0
    fuzzy = every["SYN-008"]["instrument/strategic-foresight"]
    assert (
        fuzzy["rule"] == "fuzzy-label" and "forsight" in fuzzy["words"] and 0.8 <= float(fuzzy["score"]) < 1
    )
    readiness = every["SYN-001"]["instrument/trl"]
    assert (readiness["rule"], readiness["words"], readiness["field"]) == ("field-readiness", "TRL 6", "trl")
    mission = every["SYN-003"]["theme/klimaatadaptatie"]
    assert mission["rule"] == "field-mission" and "Adaptation to Climate Change" in mission["words"]
    for targets in every.values():
        for link in targets.values():
            assert 0 < float(link["score"]) <= 1 and link["rule"] and link["words"]


def test_diacritics_and_case_do_not_matter(store):
    # the record writes "Ideeen pitchen", the lesson "Ideeën pitchen"
    link = links(store)["SYN-011"]["lesson/micro-ideeen-pitchen-en-versterken"]
    assert link["rule"] == "label" and "Ideeen pitchen en versterken" in link["words"]


def test_only_asserted_links_are_stated_as_dcterms_relation(store):
    candidates = store.query(
        PREFIXES
        + f"""SELECT ?r ?t WHERE {{ GRAPH <{LINKSET}> {{
        ?l dsih:linkSource ?r ; dsih:linkTarget ?t ; dsih:linkStatus "candidate" .
        ?r dcterms:relation ?t }} }}"""
    )
    assert candidates.rows == []
    asserted = store.query(
        PREFIXES
        + f"""SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{LINKSET}> {{
        ?l dsih:linkSource ?r ; dsih:linkTarget ?t ; dsih:linkStatus "asserted" .
        ?r dcterms:relation ?t }} }}"""
    )
    assert int(asserted.rows[0]["n"]) == sum(len(t) for t in links(store, "asserted").values())


def test_the_linkset_is_described_with_void(store):
    assert store.query(
        PREFIXES
        + f"""ASK {{ GRAPH <{LINKSET}> {{
        <{LINKSET}> a void:Linkset ; void:subjectsTarget <{IMPORT}> ; void:linkPredicate dcterms:relation ;
            void:triples ?n ; dsih:threshold 0.80 ; dsih:origin "linkset" . }} }}"""
    ).boolean


def test_a_curation_file_is_respected_by_later_runs(store, settings, tmp_path):
    curation = tmp_path / "curation.yaml"
    curation.write_text(
        "- {record: SYN-002, target: instrument/theory-u, decision: reject, note: a kit not the method}\n"
        "- {record: SYN-010, target: lesson/micro-leren-door-experimenteren, decision: accept}\n",
        encoding="utf-8",
    )
    for _run in range(2):  # a second run with the same file gives the same answer
        link_imports(store, settings, graphs=[IMPORT], curation=curation)
        every = links(store)
        assert every["SYN-002"]["instrument/theory-u"]["status"] == "rejected"
        accepted = every["SYN-010"]["lesson/micro-leren-door-experimenteren"]
        assert (accepted["status"], accepted["rule"]) == ("accepted", "curation")
    record = ID + "record/synthetic-sample--syn-002"
    assert not store.query(
        f"ASK {{ <{record}> <http://purl.org/dc/terms/relation> <{ID}instrument/theory-u> }}"
    ).boolean
    link_imports(store, settings, graphs=[IMPORT])  # without the file, the matcher decides again
    assert links(store)["SYN-002"]["instrument/theory-u"]["status"] == "asserted"


def test_a_higher_threshold_asserts_less_and_keeps_the_rest_as_candidates(store, settings):
    before = sum(len(t) for t in links(store, "asserted").values())
    link_imports(store, settings, graphs=[IMPORT], threshold=1.0)
    strict = links(store)
    assert sum(1 for t in strict.values() for link in t.values() if link["status"] == "asserted") < before
    assert strict["SYN-008"]["instrument/strategic-foresight"]["status"] == "candidate"
    link_imports(store, settings, graphs=[IMPORT])


def test_linking_twice_gives_the_same_links(store, settings):
    first = links(store)
    link_imports(store, settings, graphs=[IMPORT])
    assert links(store) == first


def test_the_matcher_reads_acronyms_only_as_written():
    targets = [
        Target(
            "urn:trl",
            "readiness",
            labels=[("TRL", "", "altlabel"), ("Technology Readiness Level", "en", "label")],
        )
    ]
    matcher = Matcher(targets, min_score=0.1)
    assert matcher.propose("urn:r", {"title": ["Our TRL went up"]})[0].target == "urn:trl"
    assert matcher.propose("urn:r", {"title": ["a trl of sorts"]}) == []
    assert matcher.propose("urn:r", {"title": ["TECHNOLOGY readiness LEVEL"]})[0].rule == "label"


def test_targets_come_from_the_curated_graph(store):
    kinds = {t.kind for t in load_targets(store)}
    assert {"lesson", "instrument", "theme", "helix-actor", "readiness", "organisation"} <= kinds


def test_import_with_link_stores_both_graphs_in_one_go(tmp_path):
    from click.testing import CliRunner

    from dsih_kg.cli import main

    env = {"DSIH_IMPORTS_DIR": str(tmp_path), "DSIH_WORKERS": "1"}
    result = CliRunner().invoke(
        main,
        [
            "import",
            str(SAMPLES / "synthetic-sample.csv"),
            "--link",
            "--name",
            "cli-sample",
            "--format",
            "json",
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    import json

    answer = json.loads(result.output)
    assert answer["records"] == 12 and answer["links"][0]["by_status"]["asserted"] > 20
    assert sorted(p.name for p in tmp_path.glob("*.nt")) == ["import-cli-sample.nt", "linkset-cli-sample.nt"]
    # linking again from the kept files (a new process, an in-memory store refilled from them)
    result = CliRunner().invoke(
        main, ["link", "--graph", ID + "graph/import-cli-sample", "--format", "json"], env=env
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["by_status"] == answer["links"][0]["by_status"]
