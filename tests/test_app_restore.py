"""A service on the in-memory default store shows the imports and linksets kept in ``imports_dir``:
importing from the command line and then (re)starting the service loses nothing, and the explorer's
instrument pages list the records linked to them (issue 6, point 5)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from dsih_kg.app import create_app
from dsih_kg.cli import main
from dsih_kg.config import load_settings

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "livingin" / "synthetic-sample.csv"
LINKSET = "https://w3id.org/dsih-kg/id/graph/linkset-synthetic-sample"


def test_a_new_service_loads_the_kept_imports_and_linksets(tmp_path, monkeypatch):
    monkeypatch.setenv("DSIH_IMPORTS_DIR", str(tmp_path / "imports"))
    result = CliRunner().invoke(main, ["import", str(SAMPLE), "--name", "synthetic-sample", "--link"])
    assert result.exit_code == 0, result.output

    app = create_app(load_settings(imports_dir=str(tmp_path / "imports"), workers=1))
    try:
        client = app.test_client()
        ask = f"ASK {{ GRAPH <{LINKSET}> {{ ?link ?p ?o }} }}"
        accept = {"Accept": "application/sparql-results+json"}
        answer = client.get("/sparql", query_string={"query": ask}, headers=accept)
        assert answer.status_code == 200 and answer.get_json()["boolean"] is True
        # the instrument's page lists the record linked to it, with the link's score
        page = client.get("/doc/instrument/theory-u", headers={"Accept": "text/html"}).get_data(as_text=True)
        records = page[page.index('class="records"') :]
        assert "Theory U workshop kit for municipal teams" in records and "score" in records
    finally:
        app.extensions["dsih_store"].close()
