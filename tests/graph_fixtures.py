"""The built graph, built once per test session (reasoning takes seconds)."""

from __future__ import annotations

from functools import cache

import pytest
from rdflib import Dataset, Graph

from dsih_kg.config import load_settings
from dsih_kg.curated import Curated, read_curated
from dsih_kg.graph import build_graph, union_graph


@cache
def _built() -> tuple[Dataset, Graph]:
    ds = build_graph(load_settings(environ={}))
    return ds, union_graph(ds)


@cache
def _curated() -> Curated:
    from pathlib import Path

    return read_curated(Path(load_settings(environ={}).data_dir))


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return _built()[0]


@pytest.fixture(scope="session")
def graph() -> Graph:
    """The union of all named graphs, inferences included."""
    return _built()[1]


@pytest.fixture(scope="session")
def curated() -> Curated:
    return _curated()
