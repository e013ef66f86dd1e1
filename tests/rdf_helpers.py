"""Graph assertions that say what differs: a failed comparison lists the triples only in one graph and
only in the other, not just ``False``."""

from __future__ import annotations

from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

#: Triples listed per side when graphs differ (the count of all of them is given too).
CAP = 20


def assert_isomorphic(actual: Graph, expected: Graph, cap: int = CAP) -> None:
    """``actual`` and ``expected`` are the same graph up to blank node names (rdflib's canonical labelling);
    otherwise fail with the triples only in each, at most ``cap`` per side, blank nodes canonically named."""
    if to_isomorphic(actual) == to_isomorphic(expected):
        return
    _in_both, only_actual, only_expected = graph_diff(actual, expected)
    lines = [f"graphs differ: {len(actual)} triples vs {len(expected)} expected"]
    for title, side in (("only in actual", only_actual), ("only in expected", only_expected)):
        triples = sorted(" ".join(term.n3() for term in triple) for triple in side)
        lines.append(f"{title} ({len(triples)}):")
        lines.extend(f"  {triple} ." for triple in triples[:cap])
        if len(triples) > cap:
            lines.append(f"  ... and {len(triples) - cap} more")
    raise AssertionError("\n".join(lines))
