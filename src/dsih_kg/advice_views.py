"""Blueprint ``advice``: /advise, a form and a JSON answer over advice.py.

GET /advise shows the form; GET /advise?text=... or POST (form field ``text``, or a JSON body
``{"text": ...}``) answers with the lessons per level and their evidence: HTML for browsers, JSON by
``Accept: application/json`` or ``?format=json``. An empty text is a 400 and one over
advice.MAX_CHARACTERS a 413, each with a message (the form shows it next to the text).
"""

from __future__ import annotations

import json
import threading

from flask import Blueprint, Flask, Response, abort, current_app, g, jsonify, render_template, request

from .advice import MAX_CHARACTERS, Advisor, EmptyText, TextTooLong, build_advisor
from .errors import UserError

bp = Blueprint("advice", __name__)
_lock = threading.Lock()

#: Interface strings of the page: key -> (Dutch, English).
STRINGS = {
    "title": ("Advies voor uw project", "Advice for your project"),
    "intro": (
        "Beschrijf uw project of situatie in een paar zinnen, in het Nederlands of het Engels: wie doet mee, "
        "wat is het doel, waar loopt u tegenaan. U krijgt de lessen die het best passen, per niveau, met de "
        "woorden waarop ze gevonden zijn.",
        "Describe your project or situation in a few sentences, in Dutch or English: who takes part, what is "
        "the aim, what is in the way. You get the lessons that fit best, per level, with the words they were "
        "found by.",
    ),
    "label": ("Uw project", "Your project"),
    "button": ("Geef advies", "Get advice"),
    "limit": ("Hoogstens {n} tekens.", "At most {n} characters."),
    "none": (
        "Geen les past bij deze tekst. Vertel meer over het project, de partners en het doel.",
        "No lesson fits this text. Say more about the project, its partners and its aim.",
    ),
    "evidence": ("Gevonden op", "Found by"),
    "related": ("Ook relevant", "Also relevant"),
    "json": ("Als JSON", "As JSON"),
    "micro": ("Micro: de mensen", "Micro: the people"),
    "meso": ("Meso: de organisaties", "Meso: the organisations"),
    "macro": ("Macro: het systeem", "Macro: the system"),
}


def _text(key: str, **values: object) -> str:
    nl, en = STRINGS[key]
    text = en if getattr(g, "lang", "nl") == "en" else nl
    return text.format(**values) if values else text


def _advisor() -> Advisor:
    """The advisor for the store's current data (rebuilt when the data generation changes)."""
    store = current_app.extensions["dsih_store"]
    generation = getattr(store, "generation", "0")
    cached = current_app.extensions.get("dsih_advisor")
    if cached is None or cached[0] != generation:
        with _lock:
            cached = current_app.extensions.get("dsih_advisor")
            if cached is None or cached[0] != generation:
                settings = current_app.config["DSIH_SETTINGS"]
                cached = (generation, build_advisor(store, settings.data_dir))
                current_app.extensions["dsih_advisor"] = cached
    return cached[1]


def _wants_json() -> bool:
    if request.args.get("format") == "json" or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _submitted() -> str | None:
    """The text sent, or None when the form is only being shown."""
    if request.method == "POST" and request.is_json:
        try:
            body = json.loads(request.get_data(cache=False) or b"null")
        except (ValueError, UnicodeDecodeError) as exc:
            raise UserError(f"The body is not valid JSON: {exc}") from None
        if not isinstance(body, dict) or not isinstance(body.get("text"), str):
            raise EmptyText('A JSON body must be {"text": "a paragraph about your project"}.')
        return body["text"]
    return request.values.get("text")


@bp.route("/advise", methods=["GET", "POST"])
def advise() -> Response:
    """The form, or the advice for the text sent."""
    as_json = _wants_json()
    text = ""
    try:
        submitted = _submitted()
        if submitted is None:
            if as_json:
                raise EmptyText("Send the text to advise on as ?text=... or POST it (form field or JSON 'text').")
            return _page("", None, None, 200)
        text = submitted
        lang = request.args.get("lang") if request.args.get("lang") in ("nl", "en") else None
        advice = _advisor().advise(text, lang=lang if as_json else (lang or getattr(g, "lang", None)))
    except UserError as exc:
        status = 413 if isinstance(exc, TextTooLong) else 400
        if as_json:  # the edge answers in the one error shape
            abort(status, str(exc))
        return _page(text[: MAX_CHARACTERS + 1], None, str(exc), status)
    if as_json:
        return jsonify(advice.as_dict())
    return _page(text, advice, None, 200)


def _page(text: str, advice, error: str | None, status: int) -> Response:
    html = render_template(
        "advise.html",
        text=text,
        advice=advice,
        error=error,
        max_characters=MAX_CHARACTERS,
        s=_text,
    )
    return Response(html, status=status, content_type="text/html; charset=utf-8")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
