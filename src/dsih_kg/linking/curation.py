"""The curation file: a person's accept/reject per record and target, which every later run respects.

YAML (a list of mappings) or CSV (a header row), with the fields ``record`` (the record's id as in the
source file, or its IRI), ``target`` (an IRI, or ``{type}/{slug}`` such as ``lesson/micro-theory-u``),
``decision`` (accept or reject) and an optional ``note``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import UserError
from ..iri import IriScheme

DECISIONS = ("accept", "reject")


@dataclass(frozen=True)
class Decision:
    record: str
    target: str
    decision: str
    note: str
    where: str


def read_curation(path: Path, iris: IriScheme) -> list[Decision]:
    """Read and check a curation file; every problem names its entry."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read the curation file ({exc}).") from None
    if path.suffix.lower() == ".csv":
        entries = [(f"row {i}", row) for i, row in enumerate(csv.DictReader(io.StringIO(text)), start=2)]
    else:
        try:
            raw = yaml.safe_load(text) or []
        except yaml.YAMLError as exc:
            raise UserError(f"{path}: not valid YAML: {exc}") from None
        if isinstance(raw, dict):
            raw = raw.get("decisions") or []
        if not isinstance(raw, list):
            raise UserError(f"{path}: a curation file is a list of {{record, target, decision}} entries.")
        entries = [(f"entry {i}", row) for i, row in enumerate(raw, start=1)]
    decisions = []
    for where, row in entries:
        if not isinstance(row, dict):
            raise UserError(f"{path}: {where}: must be a mapping with record, target and decision.")
        record, target = str(row.get("record") or "").strip(), str(row.get("target") or "").strip()
        decision = str(row.get("decision") or "").strip().lower()
        if not record or not target:
            raise UserError(f"{path}: {where}: needs both 'record' and 'target'.")
        if decision not in DECISIONS:
            raise UserError(f"{path}: {where}: decision must be accept or reject, not {decision!r}.")
        decisions.append(
            Decision(
                record,
                _target_iri(target, iris, f"{path}: {where}"),
                decision,
                str(row.get("note") or "").strip(),
                where,
            )
        )
    return decisions


def _target_iri(target: str, iris: IriScheme, where: str) -> str:
    if target.startswith(("http://", "https://")):
        return target
    type_, _, slug = target.partition("/")
    try:
        return str(iris.id(type_, slug))
    except ValueError as exc:
        raise UserError(f"{where}: target {target!r} is neither an IRI nor type/slug: {exc}") from None
