"""The example queries of ``queries/*.rq``, read with their comment header, for the query page.

Each file opens with comment lines such as ``# title: …`` and ``# answers: …``; the query text is
passed to the editor as it is, header included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_HEADER = re.compile(r"^#\s*([A-Za-z_-]+)\s*:\s*(.*)$")


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    answers: str
    query: str


def read_examples(folder: Path) -> list[Example]:
    """Every ``.rq`` file in ``folder``, sorted by file name; a missing folder gives no examples."""
    examples = []
    for path in sorted(Path(folder).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header: dict[str, str] = {}
        for line in text.splitlines():
            stripped = line.strip()
            if not stripped:
                continue
            if not stripped.startswith("#"):
                break
            match = _HEADER.match(stripped)
            if match:
                key = match.group(1).lower()
                header[key] = (header[key] + " " + match.group(2)).strip() if key in header else match.group(2)
        title = header.get("title") or path.stem.replace("-", " ").replace("_", " ")
        examples.append(Example(path.stem, title, header.get("answers", ""), text))
    return examples
