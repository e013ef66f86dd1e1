"""Scoring links against a labelled set (issue 11, point 3): ``dsih-kg link --evaluate EXPECTED``.

The contract: a predicted link is correct when it is in *must* or *may*; precision is correct over
predicted, recall is found over *must*, F1 their harmonic mean, per kind of target and pooled over the
kinds; a negative is clean without a link of those kinds (a link to an organisation, such as its
publisher, is listed but neither scored nor held against it); a labelled record that was not imported
counts its must links as misses. The predicted links are the asserted ones of a linkset as
``dsih-kg link`` stores them (``record dcterms:relation target``). All figures below are worked out by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsih_kg.cli import main
from dsih_kg.config import load_settings
from dsih_kg.errors import UserError
from dsih_kg.linking.evaluate import Expectation, Predicted, evaluate, load_expected, score
from dsih_kg.stores import open_store

ID = "https://w3id.org/dsih-kg/id/"


def must(*links: str, may: tuple[str, ...] = ()) -> Expectation:
    split = lambda items: frozenset(tuple(i.split("/")) for i in items)  # noqa: E731
    return Expectation(must=split(links), may=split(may))


def predicted(*links: str) -> list[Predicted]:
    return [Predicted(*link.split("/")) for link in links]


EXPECTED = {
    "R1": must("lesson/a", "lesson/b", "helix-actor/overheid", may=("lesson/c",)),
    "R2": must("theme/t", "readiness/trl"),
    "N1": Expectation(negative=True),
    "N2": Expectation(negative=True),
    "N3": Expectation(negative=True),
    "GONE": must("instrument/i"),
}
PREDICTED = {
    "R1": predicted("lesson/a", "lesson/c", "lesson/x", "helix-actor/overheid"),
    "R2": predicted("theme/t", "instrument/i"),
    "N1": predicted("organisation/o"),
    "N2": predicted("lesson/a", "organisation/o"),
    "OTHER": predicted("lesson/a"),
}


def test_precision_counts_must_and_may_recall_counts_must_only():
    result = score(EXPECTED, PREDICTED, present={"R1", "R2", "N1", "N2", "OTHER"})
    lesson = result.per_kind["lesson"]
    # predicted R1's a, c, x and the negative N2's a; correct a (must) and c (may); must a, b; found a
    assert (lesson.predicted, lesson.correct, lesson.must, lesson.found) == (4, 2, 2, 1)
    assert (lesson.precision, lesson.recall, lesson.f1) == (0.5, 0.5, 0.5)
    instrument = result.per_kind["instrument"]
    # R2's instrument is wrong; GONE was not imported, so its must link is a miss
    assert (instrument.predicted, instrument.correct, instrument.must, instrument.found) == (1, 0, 1, 0)
    assert instrument.precision == 0 and instrument.recall == 0 and instrument.f1 == 0
    readiness = result.per_kind["readiness"]
    assert (readiness.predicted, readiness.must, readiness.precision, readiness.recall) == (0, 1, None, 0)
    assert readiness.f1 is None  # nothing predicted: no precision, so no F1
    pooled = result.pooled
    # lesson 4/2/2/1, instrument 1/0/1/0, theme 1/1/1/1, helix 1/1/1/1, readiness 0/0/1/0
    assert (pooled.predicted, pooled.correct, pooled.must, pooled.found) == (7, 4, 6, 3)
    assert pooled.precision == pytest.approx(4 / 7) and pooled.recall == 0.5
    assert pooled.f1 == pytest.approx(2 * (4 / 7) * 0.5 / (4 / 7 + 0.5))


def test_negatives_are_clean_only_without_a_scored_link():
    result = score(EXPECTED, PREDICTED, present={"R1", "R2", "N1", "N2", "N3"})
    # N1 links only to an organisation (say its publisher): listed, not scored, still clean
    assert result.clean_negatives == ["N1", "N3"]
    assert [p.key for p in result.records["N1"].unscored] == [("organisation", "o")]
    assert [p.key for p in result.dirty_negatives["N2"]] == [("lesson", "a")]
    assert result.not_imported == ["GONE"] and result.unlabelled_with_links == 1


def test_false_positives_and_misses_are_listed_per_record():
    result = score(EXPECTED, PREDICTED, present=set(EXPECTED))
    assert [p.key for p in result.records["R1"].false_positives] == [("lesson", "x")]
    assert result.records["R1"].misses == [("lesson", "b")]
    assert result.records["R2"].misses == [("readiness", "trl")]
    details = result.as_dict()["records"]
    assert details["R1"] == {"false_positives": ["lesson/x"], "misses": ["lesson/b"], "unscored": []}
    assert details["N1"] == {"false_positives": [], "misses": [], "unscored": ["organisation/o"]}
    assert "R2" in details and "N3" not in details  # a record without anything to show is left out


def test_nothing_predicted_and_nothing_expected():
    result = score({"N": Expectation(negative=True)}, {}, present={"N"})
    assert result.pooled.precision is None and result.pooled.recall is None
    assert result.clean_negatives == ["N"]
    assert "negatives without a link: 1 of 1" in result.table()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("records: [a, b]", "records: {id: ...}"),
        ("format: other/2\nrecords: {R: {negative: true}}", "is not 'dsih-kg-expected-links/1'"),
        ("records: {R: {must: {lessons: [x]}}}", "record R: must names kind 'lessons'"),
        ("records: {R: {negative: true, must: {lesson: [x]}}}", "a negative record has no must or may"),
        ("records: {R: {lang: en}}", "give must/may links, or negative: true"),
        ("records: {R: {must: {lesson: x}}}", "must.lesson is a list of slugs"),
        ("records: {R: {must: {lesson: [x]}, may: {lesson: [x]}}}", "lesson/x is both must and may"),
        ("records: {R: {negative: yes please}}", "negative must be true or false"),
        ("records: {R: {must: {lesson: [x]}, typo: 1}}", "unknown key(s) typo"),
        ("records: {R: [", "cannot read the labelled set"),
    ],
)
def test_a_bad_labelled_set_is_refused_with_the_record_and_key(tmp_path, text, message):
    path = tmp_path / "expected.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as error:
        load_expected(path)
    assert message in str(error.value) and "expected.yaml" in str(error.value)


# ---------------------------------------------------------------- on a store, as dsih-kg link writes it

TOY_LINKSET = f"""
<{ID}graph/import-toy> {{
  <{ID}record/toy--r1> <http://purl.org/dc/terms/identifier> "R1" .
  <{ID}record/toy--r2> <http://purl.org/dc/terms/identifier> "R2" .
  <{ID}record/toy--n1> <http://purl.org/dc/terms/identifier> "N1" .
}}
<{ID}graph/linkset-toy> {{
  <{ID}graph/linkset-toy> a <http://rdfs.org/ns/void#Linkset> ;
      <http://rdfs.org/ns/void#subjectsTarget> <{ID}graph/import-toy> .
  <{ID}record/toy--r1> <http://purl.org/dc/terms/relation> <{ID}lesson/micro-ontmoeten> ,
      <{ID}instrument/theory-u> .
  <{ID}link/toy--1> <https://w3id.org/dsih-kg/def/dsih/linkSource> <{ID}record/toy--r1> ;
      <https://w3id.org/dsih-kg/def/dsih/linkTarget> <{ID}instrument/theory-u> ;
      <https://w3id.org/dsih-kg/def/dsih/score> 0.91 ;
      <https://w3id.org/dsih-kg/def/dsih/rule> "label" ;
      <https://w3id.org/dsih-kg/def/dsih/matchedWords> "Theory U" .
  <{ID}record/toy--r2> <http://purl.org/dc/terms/relation> <{ID}instrument/trl> .
  <{ID}link/toy--2> <https://w3id.org/dsih-kg/def/dsih/linkSource> <{ID}record/toy--n1> ;
      <https://w3id.org/dsih-kg/def/dsih/linkTarget> <{ID}helix-actor/overheid> ;
      <https://w3id.org/dsih-kg/def/dsih/linkStatus> "candidate" .
}}
"""
TOY_EXPECTED = """format: dsih-kg-expected-links/1
records:
  R1: {must: {lesson: [micro-ontmoeten]}}
  R2: {must: {readiness: [trl]}, may: {instrument: [volwassenheidsmodel-trl-srl-crl]}}
  N1: {negative: true}
  R9: {must: {theme: [klimaatadaptatie]}}
"""


@pytest.fixture(scope="module")
def toy_store(tmp_path_factory):
    directory = tmp_path_factory.mktemp("toy")
    store = open_store(load_settings(workers=1, imports_dir=str(directory / "imports")))
    (directory / "toy.trig").write_text(TOY_LINKSET, encoding="utf-8")
    store.load(directory / "toy.trig")
    yield store
    store.close()


def test_evaluate_reads_the_asserted_links_and_their_kinds_from_the_store(toy_store, tmp_path):
    expected = tmp_path / "toy-expected.yaml"
    expected.write_text(TOY_EXPECTED, encoding="utf-8")
    result = evaluate(toy_store, expected)
    # the trl scale is an instrument IRI but scored as readiness; theory-u is a false positive
    assert result.per_kind["readiness"].as_dict()["recall"] == 1.0
    assert [p.describe() for p in result.records["R1"].false_positives] == [
        "instrument/theory-u [label 0.91 'Theory U']"
    ]
    # N1's link is only a candidate, not asserted: the negative is clean
    assert result.clean_negatives == ["N1"] and result.not_imported == ["R9"]
    pooled = result.pooled.as_dict()
    assert pooled == {
        "predicted": 3, "correct": 2, "must": 3, "found": 2,
        "precision": 0.667, "recall": 0.667, "f1": 0.667,
    }  # fmt: skip


def test_a_slug_that_names_no_target_is_an_error(toy_store, tmp_path):
    expected = tmp_path / "typo.yaml"
    expected.write_text("records: {R1: {must: {lesson: [micro-ontmoetn]}}}", encoding="utf-8")
    with pytest.raises(UserError, match="record R1 names unknown target.*lesson/micro-ontmoetn"):
        evaluate(toy_store, expected)


# ---------------------------------------------------------------- the command line

TOY_CSV = """id,type,title,description
T-1,use-case,Qzxv blorp wint,Vlemt qorz plibber
T-2,tool,Drumbo flik,Snerp vox
T-3,tool,Gnarf plox,Wibble zonk
"""
TOY_CURATION = """- {record: T-1, target: lesson/micro-ontmoeten, decision: accept}
- {record: T-1, target: instrument/theory-u, decision: accept}
- {record: T-3, target: helix-actor/overheid, decision: accept}
"""
TOY_CLI_EXPECTED = """records:
  T-1: {must: {lesson: [micro-ontmoeten]}}
  T-2: {negative: true}
  T-3: {negative: true}
  T-4: {must: {readiness: [trl]}}
"""


@pytest.fixture
def cli_files(tmp_path, monkeypatch):
    for key in [k for k in __import__("os").environ if k.startswith("DSIH_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("DSIH_IMPORTS_DIR", str(tmp_path / "imports"))
    files = {}
    for name, text in (("toy.csv", TOY_CSV), ("curation.yaml", TOY_CURATION), ("exp.yaml", TOY_CLI_EXPECTED)):
        files[name] = tmp_path / name
        files[name].write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(files["toy.csv"])])
    assert result.exit_code == 0, result.output
    return files


def link_args(files: dict[str, Path], *extra: str) -> list[str]:
    return ["link", "--curation", str(files["curation.yaml"]), "--evaluate", str(files["exp.yaml"]), *extra]


def test_link_evaluate_prints_the_table(cli_files):
    result = CliRunner().invoke(main, link_args(cli_files))
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split()[1:] for line in result.output.splitlines() if line[:1].isalpha()}
    # columns: predicted correct must found precision recall F1
    assert rows["lesson"] == ["1", "1", "1", "1", "1.00", "1.00", "1.00"]
    assert rows["instrument"] == ["1", "0", "0", "0", "0.00", "-", "-"]
    assert rows["helix-actor"] == ["1", "0", "0", "0", "0.00", "-", "-"]
    assert rows["readiness"] == ["0", "0", "1", "0", "-", "0.00", "-"]
    assert rows["pooled"] == ["3", "1", "2", "1", "0.33", "0.50", "0.40"]
    assert "negatives without a link: 1 of 2" in result.output
    assert "T-3 has links: helix-actor/overheid" in result.output
    assert "T-1  false positive  instrument/theory-u" in result.output
    assert "not imported (their must links count as misses): T-4" in result.output


def test_link_evaluate_as_json(cli_files):
    result = CliRunner().invoke(main, link_args(cli_files, "--format", "json"))
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["linksets"] == [ID + "graph/linkset-toy"]
    evaluation = answer["evaluation"]
    assert evaluation["pooled"] == {
        "predicted": 3, "correct": 1, "must": 2, "found": 1, "precision": 0.333, "recall": 0.5, "f1": 0.4,
    }  # fmt: skip
    assert evaluation["negatives"]["clean"] == ["T-2"]
    assert list(evaluation["negatives"]["with_links"]) == ["T-3"]
    assert evaluation["not_imported"] == ["T-4"]


def test_link_evaluate_refuses_a_dry_run_and_a_bad_file(cli_files, tmp_path):
    result = CliRunner().invoke(main, link_args(cli_files, "--dry-run"))
    assert result.exit_code == 2 and "cannot be used with --dry-run" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("records: {T-1: {must: {lesson: [no-such-lesson]}}}", encoding="utf-8")
    result = CliRunner().invoke(main, ["link", "--evaluate", str(bad)])
    assert result.exit_code == 2 and "names unknown target(s): lesson/no-such-lesson" in result.output
