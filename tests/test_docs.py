"""The README documents every setting and both set-up commands (issue 2, points 2 and 9)."""

from __future__ import annotations

import re
from pathlib import Path

from dsih_kg.config import SETTINGS, settings_table

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_table():
    table = re.search(r"<!-- settings:start -->\n(.*)\n<!-- settings:end -->", README, re.S)
    assert table, "README lacks the settings markers"
    assert table.group(1) == settings_table(), (
        "README's settings table is stale: regenerate it with "
        "`python -c 'from dsih_kg.config import settings_table; print(settings_table())'`"
    )
    for setting in SETTINGS:
        assert setting.env in README


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    first_block = re.search(r"## Two commands\n\n```sh\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["make serve", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_example_query_is_a_file_with_a_header():
    queries = sorted((ROOT / "queries").glob("*.rq"))
    assert len(queries) >= 8
