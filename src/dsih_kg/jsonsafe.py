"""JSON from outside, read within bounds: nesting depth, size of numbers, and text that is text.

Python's ``json`` recurses once per bracket (100 000 nested brackets raise ``RecursionError``: a 500),
reads a 5 000-digit number into a ``ValueError`` about integer conversion, accepts ``NaN`` and
``Infinity`` (not JSON), and decodes ``"\\ud800"`` into a string that cannot be encoded again. Every JSON
input (reconciliation queries, import files, JSON bodies) goes through :func:`loads`, which refuses
each of these with a sentence a person can act on (a :class:`~dsih_kg.errors.UserError`: HTTP 400).
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from .errors import UserError

MAX_DEPTH = 64  # our inputs nest 3 to 5 levels
MAX_NUMBER_CHARS = 100  # an ordinal, a score or a year needs a handful

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DELTA = {"[": 1, "{": 1, "]": -1, "}": -1}


class JSONInputError(UserError, ValueError):
    """JSON that is not valid or passes a bound; ``where`` (a position or 'document') and ``problem``."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}" if where != "document" else f"The JSON {problem}")
        self.where = where
        self.problem = problem


def loads(data: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """Parse ``data`` as JSON, refusing deep nesting, huge or non-finite numbers and lone surrogates."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JSONInputError("document", f"is not valid UTF-8 (byte {exc.start}).") from None
    depth = nesting(data)
    if depth > max_depth:
        raise JSONInputError("document", f"is nested too deeply ({depth} levels; at most {max_depth}).")
    try:
        value = json.loads(data, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise JSONInputError(f"line {exc.lineno}, column {exc.colno}", f"is not valid JSON: {exc.msg}.") from None
    _check_text(value)
    return value


def nesting(text: str) -> int:
    """How deep the parser would nest for ``text``: the most brackets open at once, outside strings."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    opening = brackets.count("[") + brackets.count("{")
    if opening <= 1:
        return opening
    return max(accumulate(map(_DELTA.__getitem__, brackets)))


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise JSONInputError("document", f"holds a number of {len(text)} digits; at most {MAX_NUMBER_CHARS}.")
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise JSONInputError("document", f"holds a number of {len(text)} characters; at most {MAX_NUMBER_CHARS}.")
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise JSONInputError("document", f"holds a number too large to represent ({text[:40]}).")
    return value


def _constant(text: str) -> Any:
    raise JSONInputError("document", f"holds {text}, which is not a JSON number.")


def _check_text(value: Any) -> None:
    """Refuse strings (values or keys) with a lone surrogate: they cannot be written out again."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            texts = [item]
        elif isinstance(item, dict):
            texts = list(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
            continue
        else:
            continue
        for text in texts:
            if not text.isascii() and not _encodes(text):
                raise JSONInputError("document", "holds a lone surrogate (\\ud800-\\udfff), which is not text.")


def _encodes(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8 (a lone surrogate cannot); C speed, unlike a regex."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
