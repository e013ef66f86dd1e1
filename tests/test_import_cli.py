"""What the import and link commands show (issue 11, point 6).

The contract: ``dsih-kg query`` on the default in-memory store answers over the same graphs as the
service (the kept imports and linksets included), and the ``dsih-kg link`` summary gives, in all and per
kind of target, the asserted links and the candidates (below the threshold), each named.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsih_kg.app import create_app
from dsih_kg.cli import main
from dsih_kg.config import load_settings

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "livingin" / "synthetic-sample.csv"
COUNTS = """PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/>
SELECT ?status (COUNT(?link) AS ?n) WHERE { GRAPH ?g { ?link dsih:linkStatus ?status } }
GROUP BY ?status ORDER BY ?status"""
RECORDS = """PREFIX dsih: <https://w3id.org/dsih-kg/def/dsih/>
SELECT (COUNT(?r) AS ?n) WHERE { GRAPH ?g { ?r a dsih:ImportedRecord } }"""


@pytest.fixture(scope="module")
def imports(tmp_path_factory) -> dict[str, str]:
    """An environment whose imports_dir holds the sample, imported and linked from the command line."""
    env = {"DSIH_IMPORTS_DIR": str(tmp_path_factory.mktemp("imports")), "DSIH_WORKERS": "1"}
    result = CliRunner().invoke(main, ["import", str(SAMPLE), "--link"], env=env)
    assert result.exit_code == 0, result.output
    return env


def query(env: dict[str, str], text: str) -> list[dict]:
    result = CliRunner().invoke(main, ["query", "--format", "json", text], env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["results"]["bindings"]


def test_query_on_the_default_in_memory_store_sees_the_imports_and_linksets_the_service_sees(imports):
    records = query(imports, RECORDS)
    assert int(records[0]["n"]["value"]) == 12
    from_cli = query(imports, COUNTS)
    assert {row["status"]["value"] for row in from_cli} >= {"asserted", "candidate"}
    app = create_app(load_settings(imports_dir=imports["DSIH_IMPORTS_DIR"], workers=1))
    try:
        answer = app.test_client().get(
            "/sparql", query_string={"query": COUNTS}, headers={"Accept": "application/sparql-results+json"}
        )
        assert answer.get_json()["results"]["bindings"] == from_cli
    finally:
        app.extensions["dsih_store"].close()


def test_the_link_summary_says_asserted_links_and_candidates_per_kind(imports):
    result = CliRunner().invoke(main, ["link"], env=imports)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    stored = {row["status"]["value"]: int(row["n"]["value"]) for row in query(imports, COUNTS)}
    overall = re.search(r"all: (\d+) asserted, (\d+) candidates", result.output)
    assert overall and (int(overall[1]), int(overall[2])) == (stored["asserted"], stored["candidate"])
    assert "candidates: below the threshold, not asserted" in result.output
    kinds = [line for line in lines if re.match(r"  [a-z-]+: \d+ asserted, \d+ candidates$", line)]
    assert {line.split(":")[0].strip() for line in kinds} >= {"lesson", "instrument", "helix-actor", "theme"}
    per_kind = [re.search(r"(\d+) asserted, (\d+) candidates", line) for line in kinds]
    assert sum(int(m[1]) for m in per_kind) == stored["asserted"]
    assert sum(int(m[2]) for m in per_kind) == stored["candidate"]
    as_json = json.loads(CliRunner().invoke(main, ["link", "--dry-run", "--format", "json"], env=imports).output)
    assert as_json[0]["by_kind"]["lesson"]["asserted"] >= 1
