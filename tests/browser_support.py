"""The browser the browser tests share (fixture ``browser``): Debian's chromium driven by Playwright.

When chromium is missing the tests are skipped locally and FAIL in CI (CI=true). The front-end files
(Yasgui, Cytoscape.js, axe-core) must have been built by `make frontend`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "src" / "dsih_kg" / "explorer" / "static" / "vendor"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        message = (
            f"chromium not found at {CHROMIUM}: apt-get install -y chromium "
            "(the README's test command installs it)"
        )
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    missing = [
        name
        for name in ("yasgui.min.js", "yasgui.min.css", "cytoscape.min.js", "axe.min.js")
        if not (VENDOR / name).exists()
    ]
    if missing:
        pytest.fail(f"front-end files missing ({', '.join(missing)}): run `make frontend` first")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()
