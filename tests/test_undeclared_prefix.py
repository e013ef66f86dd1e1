"""A query or update that uses a prefix it does not declare gets a 400 (exit 2 on the command line) whose
message names the prefix ("undeclared prefix skos:") and, for well-known prefixes, the PREFIX line to
add (issue 12, point 4). Nothing is declared for the query: it still fails."""

from __future__ import annotations

import pytest
import requests
from click.testing import CliRunner

from dsih_kg.cli import main
from dsih_kg.sparql.prefixes import WELL_KNOWN, explain_syntax_error, undeclared_prefixes
from http_helpers import assert_error

SKOS_LINE = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>"
README_QUERY = """PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/>
SELECT ?lesson ?label WHERE { ?lesson a dsih:Lesson ; skos:prefLabel ?label } LIMIT 5"""


@pytest.mark.parametrize(
    "text, missing",
    [
        (README_QUERY, ["skos"]),
        ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT * { ?s skos:x ?o }", []),
        ("SELECT * { ?s a :Thing ; rdfs:label 'skos:no' . ?s ?p _:b } # foaf:name", ["", "rdfs"]),
        ("SELECT * { ?s ?p <http://x/dct:y> FILTER(?o = '1'^^xsd:integer) }", ["xsd"]),
        ("PREFIX ex: <http://x/> INSERT DATA { ex:a ex:b ex:c . ex:a ex:b ex2:c }", ["ex2"]),
    ],
)
def test_undeclared_prefixes_are_found_outside_strings_iris_comments_and_blank_nodes(text, missing):
    assert undeclared_prefixes(text) == missing


def test_well_known_prefixes_cover_the_graphs_own():
    from dsih_kg.namespaces import PREFIXES

    for prefix, namespace in PREFIXES.items():
        assert WELL_KNOWN[prefix] == str(namespace)
    assert WELL_KNOWN["dct"] == WELL_KNOWN["dcterms"]


def test_a_query_without_undeclared_prefixes_keeps_the_parsers_message():
    assert explain_syntax_error("error at 1:3: expected WHERE", "SELECT ?x {") == "error at 1:3: expected WHERE"


def test_an_unknown_prefix_gets_a_declaration_to_fill_in():
    message = explain_syntax_error("error at 1:20: expected one of Prefix not found, ['%'], [':']", "ASK { ?s ex:p 1 }")
    assert message == (
        "undeclared prefix ex: add the line PREFIX ex: <namespace IRI> at the top (the parser said: error at 1:20)"
    )


def test_sparql_answers_400_naming_the_prefix_and_the_line_to_add(live_server):
    response = requests.get(f"{live_server}/sparql", params={"query": README_QUERY}, headers={"Accept": "text/csv"})
    body = assert_error(response, 400, "undeclared prefix skos:")
    assert SKOS_LINE in body["error"]
    assert "'\\u{" not in body["error"]  # not the parser's list of expected characters


def test_sparql_post_names_every_missing_prefix(live_server):
    query = "SELECT * WHERE { ?s dcterms:title ?t ; schema:url ?u ; dsih:level ?l }"
    response = requests.post(
        f"{live_server}/sparql", data=query.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    body = assert_error(response, 400, "undeclared prefix dcterms:")
    for line in (
        "PREFIX dcterms: <http://purl.org/dc/terms/>",
        "PREFIX schema: <https://schema.org/>",
        "PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/>",
    ):
        assert line in body["error"]


def test_update_answers_400_naming_the_prefix(server_factory):
    server = server_factory(DSIH_UPDATE_TOKEN="prefix-token", DSIH_WORKERS="1")
    response = requests.post(
        f"{server}/update",
        data=b'INSERT DATA { <https://example.org/a> foaf:name "a" }',
        headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer prefix-token"},
    )
    body = assert_error(response, 400, "undeclared prefix foaf:")
    assert "PREFIX foaf: <http://xmlns.com/foaf/0.1/>" in body["error"]


def test_cli_query_exits_2_naming_the_prefix(monkeypatch):
    for key in [k for k in __import__("os").environ if k.startswith("DSIH_")]:
        monkeypatch.delenv(key)
    result = CliRunner().invoke(main, ["query", "SELECT ?l WHERE { ?x rdfs:label ?l } LIMIT 1"])
    assert result.exit_code == 2, result.output
    assert "undeclared prefix rdfs:" in result.output
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in result.output
