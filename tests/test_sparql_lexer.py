"""The lexer and allow-list checks that run before evaluation (no server needed).

A keyword inside a string, an IRI or a comment is not a keyword; SERVICE/LOAD/FROM targets are resolved
through PREFIX and BASE; IRIs are compared after normalising scheme, host case and default port only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dsih_kg.sparql.lexer import quick_scan, scan
from dsih_kg.sparql.limits import Policy, check_query, normalise_iri
from dsih_kg.sparql.protocol import ProtocolError


@pytest.mark.parametrize(
    "text, form",
    [
        ("SELECT * {}", "SELECT"),
        ("PREFIX select: <http://e/select#> ASK {}", "ASK"),
        ("# SELECT\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("BASE <http://e/> DESCRIBE <x>", "DESCRIBE"),
        ('select ("ASK" AS ?x) {}', "SELECT"),
    ],
)
def test_form(text, form):
    assert scan(text).form == form


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * { ?s ?p "SERVICE <http://e/>" }',
        "SELECT * { ?s <http://e/SERVICE> ?o }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://e/> {}",
        "PREFIX ex: <http://e/> SELECT * { ?s ex:SERVICE ?o }",
        "SELECT * { ?s ?p '''LOAD <http://e/>''' }",
    ],
)
def test_keywords_in_strings_iris_comments_and_names_are_not_keywords(text):
    found = scan(text)
    assert found.service == [] and found.load == [] and found.from_default == []


@pytest.mark.parametrize(
    "text, target",
    [
        ("SELECT * { SERVICE <http://e/s> {} }", "http://e/s"),
        ("SELECT * { service silent <http://e/s> {} }", "http://e/s"),
        ("PREFIX e: <http://e/> SELECT * { SERVICE e:s {} }", "http://e/s"),
        ("BASE <http://e/a/> SELECT * { SERVICE <../s> {} }", "http://e/s"),
        ("SELECT * { SERVICE#c\n<http://e/s>{} }", "http://e/s"),
        ("SELECT * { SERVICE ?x {} }", "?x"),
    ],
)
def test_service_targets(text, target):
    assert scan(text).service == [target]


def test_update_targets():
    found = scan(
        "LOAD SILENT <http://e/data> INTO GRAPH <http://e/g> ; "
        "DELETE { ?s ?p ?o } USING <http://e/u> USING NAMED <http://e/n> WHERE { ?s ?p ?o }"
    )
    assert found.is_update and found.form is None
    assert found.load == ["http://e/data"]
    assert found.from_default == ["http://e/u"] and found.from_named == ["http://e/n"]


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("http://127.0.0.1:80/sparql", "HTTP://127.0.0.1/sparql", True),
        ("https://Example.org", "https://example.org:443/", True),
        ("http://127.1/sparql", "http://127.0.0.1/sparql", False),
        ("http://localhost/sparql", "http://127.0.0.1/sparql", False),
        ("http://user@e.org/sparql", "http://e.org/sparql", False),
        ("http://e.org/sparql/../x", "http://e.org/x", False),
    ],
)
def test_normalise(a, b, same):
    assert (normalise_iri(a) == normalise_iri(b)) is same


def test_check_query_allow_list_and_depth():
    policy = Policy.from_setting("http://127.0.0.1:7878/query, https://e.org/sparql")
    ok = "SELECT * { SERVICE <HTTP://127.0.0.1:7878/query> { ?s ?p ?o } }"
    assert check_query(scan(ok), policy) is True
    for dataset in (  # FROM only picks the dataset: any IRI, nothing is fetched, not federated
        "SELECT * FROM <https://w3id.org/dsih-kg/id/graph/ontology> { ?s ?p ?o }",
        "SELECT * FROM <file:///etc/passwd> {}",
        "SELECT * FROM NAMED <http://127.0.0.1:7879/query> {}",
    ):
        assert check_query(scan(dataset), policy) is False
    for bad in (
        "SELECT * { SERVICE <http://127.0.0.1:7879/query> {} }",
        "SELECT * WHERE " + "{" * 300 + "}" * 300,
        "SELECT * { SERVICE nope:x {} }",
    ):
        with pytest.raises(ProtocolError) as error:
            check_query(scan(bad), policy)
        assert error.value.status in (400, 403)


QUERIES = Path(__file__).parent.parent / "queries"


@pytest.mark.parametrize(
    "text",
    [
        *(path.read_text(encoding="utf-8") for path in sorted(QUERIES.glob("*.rq"))),
        "SELECT * { ?s ?p ?o }",
        "# comment with SELECT\nPREFIX ex: <http://x/select> BASE <http://b/>\nask { ?s ?p ?o }",
        "PREFIX : <http://x/> CONSTRUCT { ?s :p ?o } WHERE { ?s :p ?o }",
        "PREFIX select: <http://x/> DESCRIBE select:a",
        "SELECT * FROM <http://evil/> { ?s ?p ?o }",
        "SELECT * { SERVICE <http://evil/> { ?s ?p ?o } }",
        "SELECT * { ?s ?p 'service' }",
        "SELECT * { ?s ?p ?o } # from",
        "SELECT * { \\u0053ERVICE <http://evil/> { } }",
        "INSERT DATA { <a> <b> <c> } ; SELECT * {}",
        "CONSTRUCTé { } WHERE { }",
        "SELECT * {" + "{" * 300 + "}" * 300 + "}",
        "ASK { FILTER(" + "!" * 300 + "true) }",
        "PREFIXex: <http://x/> SELECT * {}",
        "\u00a0SELECT * {}",
    ],
)
def test_quick_scan_agrees_with_the_full_pass_or_steps_aside(text):
    """The shortcut for plain queries never sees less than the lexer: the same form, no targets, and
    nesting bounds at least as deep as the real ones; anything else is left to the full pass (None)."""
    quick, full = quick_scan(text, 200), scan(text)
    if quick is None:
        return
    assert quick.form == full.form
    assert not (full.service or full.load or full.from_default or full.from_named or full.unresolved)
    assert quick.depth >= full.depth and quick.operator_run >= full.operator_run
    assert quick.depth <= 200 and quick.operator_run <= 200


def test_quick_scan_takes_the_benchmark_and_example_queries():
    assert quick_scan("PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/>\nSELECT ?l { ?l a dsih:Lesson }", 200)
    assert quick_scan("SELECT * FROM <http://x/> {}", 200) is None
    assert quick_scan("SELECT * { SERVICE <http://x/> {} }", 200) is None
