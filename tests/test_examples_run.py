"""Every example in README.md and docs/*.md runs as written (issue 12, point 4).

The examples are read from the Markdown: each command of a ``sh`` block (and of an unlabelled block that
holds commands), each ``python`` block and each ``sparql`` block. They run against real servers on
127.0.0.1: ``http://127.0.0.1:8000`` becomes the test server's address, ``127.0.0.1:7878`` a real
Oxigraph server's, ``/var/lib/…`` and ``build/dsih.ttl`` temporary paths, imports go to a temporary
folder, and ``dsih-kg query`` asks the test server (``DSIH_STORE=remote``). Nothing else is changed. A
command that cannot run here is in SKIPPED with the reason; a command that is neither run nor listed
fails the test, so no new example goes untried.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
VENV_BIN = Path(sys.executable).parent
DOCUMENTED_HOST = "http://127.0.0.1:8000"
UPDATE_TOKEN = "examples-token"

#: Commands that cannot run in a test, and why.
SKIPPED = {
    "make serve": "serves until stopped; the live_server fixture starts `dsih-kg serve` the same way",
    "make test": "is the test suite itself",
    "export DSIH_UPDATE_TOKEN=$(openssl rand -hex 24)": (
        "sets the service's token; the test starts a server with a known token and gives it to the curl"
    ),
    "oxigraph serve --location /var/lib/oxigraph --bind 127.0.0.1:7878": (
        "serves until stopped; the test starts Oxigraph server itself (oxigraph_factory) for the load below"
    ),
    "DSIH_STORE=remote DSIH_STORE_URL=http://127.0.0.1:7878/query dsih-kg serve --workers 0": (
        "serves until stopped (the live server fixture runs `dsih-kg serve`)"
    ),
    "dsih-kg serve --host 0.0.0.0 --port 8000 --workers 2 --query-timeout 5": "serves until stopped",
    "dsih-kg serve --store-path /var/lib/dsih-kg/store": "serves until stopped",
    ".venv/bin/dsih-kg import my-records.csv --dry-run": "my-records.csv stands for the reader's own file",
    ".venv/bin/dsih-kg link --curation curation.yaml": "curation.yaml stands for the reader's own file",
    ".venv/bin/dsih-kg validate my-lessons.ttl": "my-lessons.ttl stands for the reader's own file",
    "dsih-kg import my-records.csv --link": "my-records.csv stands for the reader's own file",
}
#: Placeholders in documented SPARQL, filled with a real IRI.
PLACEHOLDERS = {"<LESSON-OR-INSTRUMENT-IRI>": "<https://w3id.org/dsih-kg/id/instrument/theory-u>"}
_COMMAND = re.compile(r"^(curl|dsih-kg|\.venv/bin/dsih-kg|echo|make|export|oxigraph|DSIH_\w+=)\b")


@dataclass(frozen=True)
class Example:
    where: str  # file:line
    kind: str  # sh, python, sparql
    text: str

    def __str__(self) -> str:
        return self.where


def _commands(block: str) -> list[tuple[int, str]]:
    """The commands of a shell block: continuation lines and quoted line breaks joined, comments dropped."""
    out, current, start = [], "", 0
    for number, line in enumerate(block.splitlines()):
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if not current:
            start = number
        current = f"{current}\n{line}" if current else line
        try:
            shlex.split(current, comments=True)
        except ValueError:  # an open quote: the command goes on
            continue
        if current.endswith("\\"):
            continue
        out.append((start, current))
        current = ""
    return out


def _strip_comment(command: str) -> str:
    """Without the documenting comment after a command (two spaces or more, then #, on its last line)."""
    return re.sub(r"[ \t]{2,}#[^\n]*$", "", command).strip()


def examples() -> list[Example]:
    found = []
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"^```(\w*)\n(.*?)^```", text, re.S | re.M):
            lang, body = match.group(1), match.group(2)
            first_line = text[: match.start()].count("\n") + 2
            where = f"{path.name}:{first_line}"
            if lang == "python" or lang == "sparql":
                found.append(Example(where, lang, body))
            elif lang in ("sh", "bash", ""):
                commands = _commands(body)
                if lang == "" and not all(_COMMAND.match(c) for _n, c in commands):
                    continue  # a layout tree or a diagram, not commands
                for offset, command in commands:
                    found.append(Example(f"{path.name}:{first_line + offset}", "sh", _strip_comment(command)))
    return found


EXAMPLES = examples()


def test_the_documents_hold_examples_of_every_kind():
    kinds = {e.kind for e in EXAMPLES}
    assert kinds == {"sh", "python", "sparql"}
    assert sum(e.text.startswith("curl") for e in EXAMPLES) >= 10
    assert all(command in {e.text for e in EXAMPLES} for command in SKIPPED), "a skipped command left the docs"


@pytest.fixture(scope="module")
def imports_dir(tmp_path_factory) -> Path:
    """One imports folder for the module, so that `dsih-kg link` finds what `dsih-kg import` kept."""
    return tmp_path_factory.mktemp("example-imports")


@pytest.fixture(scope="module")
def token_server(server_factory):
    return server_factory(DSIH_UPDATE_TOKEN=UPDATE_TOKEN, DSIH_WORKERS="1")


def _env(imports: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DSIH_")}
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["DSIH_IMPORTS_DIR"] = str(imports)
    return env


def _run(command: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _rewrite(command: str, live: str, tmp_path: Path, oxigraph: str | None = None) -> str:
    command = command.replace(DOCUMENTED_HOST, live)
    command = command.replace("/var/lib/dsih-kg/store", str(tmp_path / "store"))
    command = command.replace("build/dsih.ttl", str(tmp_path / "dsih.ttl"))
    if oxigraph:
        command = command.replace("http://127.0.0.1:7878", oxigraph)
    return command


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.kind == "sh"], ids=str)
def test_every_command_runs(example, live_server, token_server, oxigraph_factory, imports_dir, tmp_path):
    command = example.text
    if command in SKIPPED:
        pytest.skip(SKIPPED[command])
    assert re.match(r"^(curl|echo .*\| dsih-kg|dsih-kg|\.venv/bin/dsih-kg)\b", command), (
        f"{example}: {command!r} is neither run by this test nor listed in SKIPPED with a reason"
    )
    env = _env(imports_dir)
    if command.startswith("curl"):
        server = token_server if "/update" in command else live_server
        env["DSIH_UPDATE_TOKEN"] = UPDATE_TOKEN
        command = "curl -sS --fail-with-body" + _rewrite(command, server, tmp_path)[len("curl") :]
    elif " query " in f" {command} " or command.endswith("query -"):
        env.update(DSIH_STORE="remote", DSIH_STORE_URL=f"{live_server}/sparql")
        command = _rewrite(command, live_server, tmp_path)
    else:
        oxigraph = oxigraph_factory() if "7878" in command else None
        command = _rewrite(command, live_server, tmp_path, oxigraph)
    result = _run(command, env)
    assert result.returncode == 0, f"{example}: {command}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    if "/update" not in command:  # an update answers 204 No Content
        assert result.stdout.strip() or result.stderr.strip(), f"{example}: no output"


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.kind == "python"], ids=str)
def test_every_python_example_runs(example, live_server, imports_dir):
    code = example.text.replace(DOCUMENTED_HOST, live_server)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_env(imports_dir), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"{example}\n{result.stderr[-3000:]}"
    assert result.stdout.strip(), f"{example}: printed nothing"


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.kind == "sparql"], ids=str)
def test_every_sparql_example_runs(example, live_server):
    query = example.text
    for placeholder, value in PLACEHOLDERS.items():
        query = query.replace(placeholder, value)
    response = requests.post(
        f"{live_server}/sparql",
        data=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert response.status_code == 200, f"{example}: {response.text[:500]}"
    rows = response.json()["results"]["bindings"]
    if "vocabulary.md" in example.where:  # the vocabulary's patterns answer from the curated graph
        assert rows, f"{example}: no rows"
