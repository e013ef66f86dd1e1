"""Errors: a person's wrong input (UserError) is told apart from our bugs (everything else)."""

from __future__ import annotations


class DsihError(Exception):
    """Base of the errors this package raises on purpose."""


class UserError(DsihError):
    """Bad input: the message says what is wrong and what to do. CLI exit code 2, HTTP 4xx."""

    exit_code = 2


class ValidationFailed(DsihError):
    """The graph does not conform to the shapes. CLI exit code 1."""

    exit_code = 1
