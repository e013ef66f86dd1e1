"""A small SPARQL lexer: just enough to see a request's form and every IRI it could fetch.

It is not a parser. It splits the text into the terminals of the SPARQL 1.1 grammar (strings, IRIs,
comments, prefixed names, variables, keywords) so that a keyword inside a string, an IRI or a comment is
never taken for one, and it reads the prologue (BASE, PREFIX) to resolve what SERVICE, LOAD, FROM,
FROM NAMED, USING and USING NAMED point at. Anything it cannot recognise becomes a one-character token,
so a mistake here can only make a request look *more* suspicious, never hide a keyword.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS = _PN_CHARS_BASE + "_0-9\\-\u00b7\u0300-\u036f\u203f-\u2040"
_PREFIX = f"(?:[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)?:"
_LOCAL_CHAR = f"(?:[{_PN_CHARS}:]|%[0-9A-Fa-f]{{2}}|\\\\[_~.\\-!$&'()*+,;=/?#@%])"
_LOCAL = f"(?:{_LOCAL_CHAR}(?:(?:{_LOCAL_CHAR}|\\.)*{_LOCAL_CHAR})?)?"

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
    |(?P<comment>\#[^\n\r]*)
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    |(?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\ufffd]+)
    |(?P<word>[A-Za-z_][A-Za-z0-9_]*)(?![\w.\-:\u00b7])
    |(?P<pname>"""
    + _PREFIX
    + _LOCAL
    + r""")
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "ADD", "MOVE", "COPY", "WITH"}


@dataclass(frozen=True)
class Token:
    kind: str  # iri, string, var, pname, word, other
    text: str
    offset: int


@dataclass
class Scan:
    """What a request text contains, as far as safety and content negotiation need it."""

    form: str | None = None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or None (an update or garbage)
    is_update: bool = False
    service: list[str] = field(default_factory=list)  # resolved IRIs, or "?var" for SERVICE ?var
    load: list[str] = field(default_factory=list)
    from_default: list[str] = field(default_factory=list)  # FROM and USING
    from_named: list[str] = field(default_factory=list)  # FROM NAMED and USING NAMED
    unresolved: list[str] = field(default_factory=list)  # prefixed names with an undeclared prefix
    depth: int = 0  # deepest nesting of ( { [
    operator_run: int = 0  # longest run of one-character operators (! - + ^ / |)


def tokens(text: str) -> list[Token]:
    """The significant tokens of ``text`` (no white space, no comments)."""
    out = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        out.append(Token(kind, match.group(), match.start()))
    return out


_TARGET_WORDS = {"SERVICE", "LOAD", "FROM", "USING"}


def scan(text: str) -> Scan:
    """Read the form of a query or update and every IRI it would fetch or name as a dataset."""
    result = Scan()
    # one pass: nesting depth from the one-character tokens, the rest kept as (kind, text)
    toks: list[tuple[str, str]] = []
    depth = run = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "ws" or kind == "comment":
            continue
        if kind == "other":
            char = match.group()
            if char in "({[":
                depth += 1
                if depth > result.depth:
                    result.depth = depth
            elif char in ")}]":
                depth -= 1
            if char in "!-+^/|":
                run += 1
                if run > result.operator_run:
                    result.operator_run = run
            else:
                run = 0
            toks.append(("other", char))
            continue
        run = 0
        toks.append((kind, match.group()))
    base: str | None = None
    prefixes: dict[str, str] = {}

    def resolve(tok: tuple[str, str]) -> str | None:
        kind, value = tok
        if kind == "iri":
            iri = value[1:-1]
            return urljoin(base, iri) if base else iri
        if kind == "pname":
            prefix, _, local = value.partition(":")
            if prefix not in prefixes:
                result.unresolved.append(value)
                return None
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        return None

    def target(i: int) -> tuple[str, int]:
        """The IRI (or ?var, or the raw token) at position i, skipping SILENT."""
        while i < len(toks) and toks[i][0] == "word" and toks[i][1].upper() == "SILENT":
            i += 1
        if i >= len(toks):
            return "", i
        tok = toks[i]
        if tok[0] == "var":
            return tok[1], i + 1
        return resolve(tok) or tok[1], i + 1

    i, count = 0, len(toks)
    while i < count:
        kind, value = toks[i]
        if kind != "word":
            i += 1
            continue
        word = value.upper()
        if word == "BASE" and i + 1 < count and toks[i + 1][0] == "iri":
            base = resolve(toks[i + 1])
            i += 2
            continue
        if word == "PREFIX" and i + 2 < count and toks[i + 1][0] == "pname" and toks[i + 2][0] == "iri":
            prefixes[toks[i + 1][1][:-1]] = resolve(toks[i + 2]) or ""
            i += 3
            continue
        if word in FORMS and result.form is None and not result.is_update:
            result.form = word
        elif word in UPDATE_WORDS:
            result.is_update = True
        if word in _TARGET_WORDS:
            if word == "SERVICE":
                iri, i = target(i + 1)
                result.service.append(iri)
            elif word == "LOAD":
                iri, i = target(i + 1)
                result.load.append(iri)
            else:
                named = i + 1 < count and toks[i + 1][1].upper() == "NAMED"
                iri, i = target(i + 2 if named else i + 1)
                (result.from_named if named else result.from_default).append(iri)
            continue
        i += 1
    return result


def names_dataset(text: str) -> bool:
    """Whether a query names its own dataset with FROM or FROM NAMED (the engine then must not replace
    its default graph with the union of all graphs)."""
    if "FROM" not in text.upper():
        return False
    found = scan(text)
    return bool(found.from_default or found.from_named)


# A plain query: white space, comments, BASE and PREFIX declarations, then its form keyword.
_PLAIN_QUERY = re.compile(
    r"""(?:\s+|\#[^\n\r]*
        |BASE\s*<[^<>"{}|^`\\\x00-\x20]*>
        |PREFIX\s*(?:[A-Za-z_][A-Za-z0-9_.\-]*)?:\s*<[^<>"{}|^`\\\x00-\x20]*>)*
        (SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w.\-:\u00b7])""",
    re.VERBOSE | re.IGNORECASE,
)


def quick_scan(text: str, max_depth: int) -> Scan | None:
    """The scan of a query that names nothing outside (no SERVICE, LOAD, FROM, USING anywhere in the text)
    and cannot nest past ``max_depth``, without the full pass; None when only :func:`scan` can tell.

    ``depth`` and ``operator_run`` are then upper bounds (the number of brackets and operators), and the
    form is the first keyword after the prologue. Text with a backslash always takes the full pass.
    """
    if "\\" in text:
        return None
    brackets = text.count("(") + text.count("{") + text.count("[")
    operators = sum(text.count(char) for char in "!-+^/|")
    if brackets > max_depth or operators > max_depth:
        return None
    upper = text.upper()
    if any(word in upper for word in _TARGET_WORDS):
        return None
    match = _PLAIN_QUERY.match(text)
    if match is None or not match.group(1).isascii():  # the lexer's keywords are ASCII letters
        return None
    return Scan(form=match.group(1).upper(), depth=brackets, operator_run=operators)
