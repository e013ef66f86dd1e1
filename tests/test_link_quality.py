"""Link quality on the held-out half of the labelled set (issue 11, point 3).

``data/livingin/devset/heldout.ttl`` holds 50 synthetic catalogue records whose expected links were
written by hand before the linker was tuned, and the linker is never tuned on them (see the folder's
README). Imported and linked as a user would, the asserted links must reach precision >= 0.9 pooled over
lessons, instruments, themes, helix actor types and readiness scales (recall: the target is 0.8, see
RECALL_REACHED), and every negative (a plain digital service, or a record sharing words with a lesson in
another sense) must stay without any link.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dsih_kg.config import load_settings
from dsih_kg.importers.run import import_file
from dsih_kg.linking.evaluate import evaluate
from dsih_kg.linking.run import link_imports
from dsih_kg.stores import open_store

DEVSET = Path(__file__).resolve().parents[1] / "data" / "livingin" / "devset"


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory):
    settings = load_settings(workers=1, imports_dir=str(tmp_path_factory.mktemp("imports")))
    store = open_store(settings)
    try:
        plan = import_file(DEVSET / "heldout.ttl", settings, store)
        results = link_imports(store, settings, graphs=[plan.graph])
        yield evaluate(store, DEVSET / "heldout-expected.yaml", linksets=[r.graph for r in results])
    finally:
        store.close()


def test_every_labelled_record_is_imported(evaluation):
    assert evaluation.not_imported == []


def test_precision_on_the_held_out_half(evaluation):
    assert evaluation.pooled.precision >= 0.9, evaluation.table()


#: Issue 11 asks for recall >= 0.8 on this half; the linker measured 0.78 (tuned on the other half only),
#: so the issue stays open. This floor keeps what was reached from slipping back while it is improved.
RECALL_REACHED = 0.75


def test_recall_on_the_held_out_half(evaluation):
    assert evaluation.pooled.recall >= RECALL_REACHED, evaluation.table()


def test_every_negative_stays_without_a_link(evaluation):
    assert evaluation.dirty_negatives == {}, evaluation.table()
    assert len(evaluation.clean_negatives) == 16
