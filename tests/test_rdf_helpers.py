"""assert_isomorphic passes for the same graph under other blank node names and, when graphs differ,
says which triples are only in one and only in the other (capped)."""

from __future__ import annotations

import pytest
from rdflib import Graph

from rdf_helpers import assert_isomorphic

PREFIX = "@prefix ex: <http://example.org/> .\n"


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIX + text, format="turtle")


def test_blank_node_names_do_not_matter():
    assert_isomorphic(
        turtle("ex:a ex:p [ ex:q 1 ; ex:r [ ex:s 2 ] ] ."),
        turtle("_:x ex:s 2 . _:y ex:r _:x ; ex:q 1 . ex:a ex:p _:y ."),
    )


def test_a_difference_is_listed_by_side():
    with pytest.raises(AssertionError) as info:
        assert_isomorphic(turtle("ex:a ex:p 1 . ex:a ex:p 2 ."), turtle("ex:a ex:p 1 . ex:a ex:p 3 ."))
    message = str(info.value)
    only_actual, only_expected = message.split("only in expected")
    assert '"2"^^<http://www.w3.org/2001/XMLSchema#integer>' in only_actual
    assert '"3"^^<http://www.w3.org/2001/XMLSchema#integer>' in only_expected
    assert '"1"' not in message  # the shared triple is not listed


def test_a_long_difference_is_capped():
    many = " ".join(f"ex:a ex:p {i} ." for i in range(50))
    with pytest.raises(AssertionError, match=r"only in actual \(50\):[\s\S]*and 45 more") as info:
        assert_isomorphic(turtle(many), Graph(), cap=5)
    assert str(info.value).count("<http://example.org/a>") == 5
