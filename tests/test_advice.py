"""Advice for one's own project (issue 11, point 5).

The contract: a paragraph in Dutch or English describing a project gets the most relevant lessons per
level (micro, meso, macro), each with its evidence (the words, rule and score that led to it), through the
linker's engine; ``dsih-kg advise TEXT`` (or ``-`` for stdin, ``--format json``) and ``/advise`` (an HTML
form and JSON, GET and POST) give it. An empty text is refused with a message (HTTP 400, exit code 2), a
text over the limit too (HTTP 413); the page escapes what it echoes, and the explorer links to it.
"""

from __future__ import annotations

import json

import pytest
import requests
from click.testing import CliRunner

from dsih_kg.advice import MAX_CHARACTERS, EmptyText, TextTooLong, build_advisor
from dsih_kg.cli import main
from dsih_kg.config import load_settings
from dsih_kg.stores import open_store

ID = "https://w3id.org/dsih-kg/id/"
DUTCH = (
    "Wij willen met de gemeente, bewoners en lokale ondernemers een energiecoöperatie opzetten. Het lastige "
    "is dat iedere afdeling haar eigen budget heeft en dat de partijen elkaar nog weinig vertrouwen. We willen "
    "eerst samen een gedeelde missie formuleren voor de wijk."
)
ENGLISH = (
    "Our city wants to run a living lab on heat stress with the university and local SMEs. Staff have little "
    "time to reflect, and earlier pilots stalled in the pilot phase: the results were never embedded in the "
    "organisation's work processes."
)


@pytest.fixture(scope="module")
def advisor():
    settings = load_settings(workers=1)
    store = open_store(settings)
    yield build_advisor(store, settings.data_dir)
    store.close()


def slugs(advice, level: str) -> list[str]:
    return [lesson.iri[len(ID) :] for lesson in advice.levels[level]]


def test_a_dutch_paragraph_gets_sensible_lessons_per_level(advisor):
    advice = advisor.advise(DUTCH)
    assert advice.lang == "nl"
    assert "lesson/meso-gedeelde-missie-formuleren-voor-de-opgave" in slugs(advice, "meso")
    assert "lesson/micro-gezamenlijke-missie-formuleren" in slugs(advice, "micro")
    first = advice.levels["meso"][0]
    assert first.title == "Gedeelde missie formuleren voor de opgave"  # in the paragraph's language
    assert first.evidence and all(piece.words and piece.rule for piece in first.evidence)


def test_an_english_paragraph_gets_sensible_lessons_per_level(advisor):
    advice = advisor.advise(ENGLISH)
    assert advice.lang == "en"
    micro = slugs(advice, "micro")
    assert "lesson/micro-missiegedreven-innoveren-structureel-borgen" in micro
    assert "lesson/micro-ruimte-voor-reflectie-concentratie-en-inspiratie" in micro
    assert advice.levels["micro"][0].title in {
        "Structurally embedding mission-driven innovation",
        "Room for reflection, concentration and inspiration",
    }
    scores = [lesson.score for lesson in advice.levels["micro"]]
    assert scores == sorted(scores, reverse=True)


def test_a_plain_service_gets_no_advice(advisor):
    assert advisor.advise("We are moving the payroll of all employees to a new cloud HR suite.").empty


@pytest.mark.parametrize(
    "text, error", [("", EmptyText), ("   \n ", EmptyText), ("x" * (MAX_CHARACTERS + 1), TextTooLong)]
)
def test_an_empty_or_overlong_text_is_refused_with_a_message(advisor, text, error):
    with pytest.raises(error) as refused:
        advisor.advise(text)
    assert "characters" in str(refused.value) or "sentences" in str(refused.value)


def test_the_cli_advises_on_text_stdin_and_as_json():
    runner = CliRunner()
    result = runner.invoke(main, ["advise", ENGLISH], env={"DSIH_WORKERS": "1"})
    assert result.exit_code == 0, result.output
    assert "micro:" in result.output and "Structurally embedding mission-driven innovation" in result.output
    result = runner.invoke(main, ["advise", "-", "--format", "json"], input=DUTCH, env={"DSIH_WORKERS": "1"})
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["lang"] == "nl" and set(answer["levels"]) >= {"micro", "meso", "macro"}
    meso = answer["levels"]["meso"]
    assert meso[0]["evidence"][0]["words"] and meso[0]["iri"].startswith(ID + "lesson/")
    refused = runner.invoke(main, ["advise", "  "], env={"DSIH_WORKERS": "1"})
    assert refused.exit_code == 2 and "Describe your project" in refused.output


def test_the_advise_page_answers_html_and_json(live_server):
    page = requests.get(f"{live_server}/advise", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and "<textarea" in page.text and 'action="/advise"' in page.text
    hostile = ENGLISH + " <script>alert(1)</script>"
    answer = requests.post(f"{live_server}/advise", data={"text": hostile}, headers={"Accept": "text/html"}, timeout=60)
    assert answer.status_code == 200
    assert "<script>alert(1)</script>" not in answer.text and "&lt;script&gt;" in answer.text
    assert "/lesson/micro-missiegedreven-innoveren-structureel-borgen" in answer.text
    as_json = requests.get(f"{live_server}/advise", params={"text": DUTCH, "format": "json"}, timeout=60)
    assert as_json.status_code == 200 and as_json.json()["lang"] == "nl"
    by_accept = requests.post(f"{live_server}/advise", json={"text": ENGLISH}, timeout=60)
    assert by_accept.status_code == 200 and by_accept.json()["levels"]["micro"]


@pytest.mark.parametrize(
    "send, status, message",
    [
        ({"json": {"text": ""}}, 400, "Describe your project"),
        ({"json": {"nothing": 1}}, 400, '{"text"'),
        ({"json": {"text": "x" * (MAX_CHARACTERS + 1)}}, 413, f"at most {MAX_CHARACTERS} characters"),
        ({"params": {"format": "json"}}, 400, "Send the text"),
    ],
)
def test_bad_input_gets_a_clear_json_error(live_server, send, status, message):
    method = requests.get if "params" in send else requests.post
    response = method(f"{live_server}/advise", timeout=30, **send)
    assert response.status_code == status
    assert message in response.json()["error"] and response.json()["status"] == status


def test_an_overlong_text_in_the_form_gets_a_413_page_with_the_message(live_server):
    response = requests.post(
        f"{live_server}/advise", data={"text": "x" * (MAX_CHARACTERS + 5)}, headers={"Accept": "text/html"}, timeout=30
    )
    assert response.status_code == 413 and f"at most {MAX_CHARACTERS} characters" in response.text
    assert "<textarea" in response.text  # the form again, to shorten the text


def test_the_explorer_links_to_the_advice(live_server):
    home = requests.get(f"{live_server}/", headers={"Accept": "text/html"}, timeout=30)
    assert 'href="/advise"' in home.text
