"""Settings: every setting declared once, with its default, environment variable and help.

Precedence is defaults < environment (``DSIH_*``) < command-line flags < explicit overrides (tests).
The README's settings table and the CLI's help are generated from :data:`SETTINGS`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import UserError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BASE_IRI = "https://w3id.org/dsih-kg"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "DSIH_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("base_iri", DEFAULT_BASE_IRI, "Base of every IRI the graph mints ({base}/id/..., {base}/doc/...)."),
    Setting("data_dir", str(PROJECT_ROOT / "data"), "Folder of the curated YAML data."),
    Setting("ontology_dir", str(PROJECT_ROOT / "ontology"), "Folder of dsih.ttl and shapes.ttl."),
    Setting("cache_dir", str(PROJECT_ROOT / "build"), "Where the built, inferred graph is cached between starts."),
    Setting("store", "oxigraph", "Store backend: oxigraph (embedded default), memory (rdflib) or remote."),
    Setting("store_path", "", "Data directory of the on-disk Oxigraph store; empty keeps the store in memory."),
    Setting("store_url", "", "Query endpoint of the remote SPARQL 1.1 store (store=remote)."),
    Setting("store_update_url", "", "Update endpoint of the remote store; empty means read-only."),
    Setting("host", "127.0.0.1", "Address the service listens on."),
    Setting("port", 8000, "Port the service listens on."),
    Setting("workers", 2, "Query worker processes (each query runs in one, ended at its deadline)."),
    Setting("threads", 8, "Request threads of the WSGI server."),
    Setting("query_timeout", 5.0, "Seconds a query may run before it is stopped with 503."),
    Setting("queue_timeout", 30.0,
            "Seconds a query may wait in line (first come, first served) for a free query worker before 503."),
    Setting("max_results", 100000,
            "Most CONSTRUCT/DESCRIBE triples one query may return, and rows for the explorer and CLI (413 beyond)."),
    Setting("max_result_bytes", 67108864, "Largest serialised query answer in bytes (413 beyond)."),
    Setting("max_body", 1048576, "Largest request body in bytes (413 beyond)."),
    Setting("store_read_only", False, "Open the on-disk store read-only (a second service beside a writing one)."),
    Setting("result_cache", 512, "Query answers kept in memory per data generation (0 turns the cache off)."),
    Setting("update_token", "", "Bearer token that allows SPARQL Update at /update; empty disables updates."),
    Setting("federation_allow", "", "Comma-separated endpoint IRIs that SERVICE and LOAD may reach; empty allows none."),
    Setting("log_requests", True, "Log every request with its status and timing."),
    # --- Living-in.eu import, link and reconcile (importers/, linking/, reconcile/) ---
    Setting("imports_dir", str(PROJECT_ROOT / "build" / "imports"),
            "Where each import and linkset graph is kept as N-Triples, so an in-memory store can load them again."),
    Setting("link_threshold", 0.8, "Score from which a proposed link is asserted (dcterms:relation); below it stays a candidate."),
    Setting("link_min_score", 0.4, "Lowest score a proposed link needs to be kept as a candidate at all."),
    Setting("reconcile_max_queries", 100, "Most queries one /reconcile batch may hold (400 beyond)."),
    Setting("reconcile_max_query_length", 1000, "Longest query text /reconcile accepts, in characters (400 beyond)."),
)


def _coerce(setting: Setting, raw: Any) -> Any:
    """Turn a raw (string) value into the setting's type, with a message a person can act on."""
    kind = type(setting.default)
    if raw is None or kind is str:
        return raw
    if isinstance(raw, kind):
        return raw
    text = str(raw).strip()
    try:
        if kind is bool:
            if text.lower() in {"1", "true", "yes", "on"}:
                return True
            if text.lower() in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(text)
        return kind(text)
    except ValueError:
        raise UserError(f"Setting {setting.env} must be a {kind.__name__}, not {text!r}.") from None


@dataclass(frozen=True)
class Settings:
    """The resolved settings, read once and passed down (never read inside a request)."""

    values: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def with_overrides(self, **overrides: Any) -> Settings:
        unknown = set(overrides) - {s.name for s in SETTINGS}
        if unknown:
            raise UserError(f"Unknown setting(s): {', '.join(sorted(unknown))}.")
        values = dict(self.values)
        by_name = {s.name: s for s in SETTINGS}
        for name, raw in overrides.items():
            if raw is not None:
                values[name] = _coerce(by_name[name], raw)
        return replace(self, values=values)


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Defaults, then ``DSIH_*`` environment variables, then explicit overrides (CLI flags, tests)."""
    environ = os.environ if environ is None else environ
    values = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        values[setting.name] = setting.default if raw is None else _coerce(setting, raw)
    settings = Settings(values)
    settings = settings.with_overrides(**overrides)
    if settings.store not in {"oxigraph", "memory", "remote"}:
        raise UserError(f"DSIH_STORE must be oxigraph, memory or remote, not {settings.store!r}.")
    if settings.store == "remote" and not settings.store_url:
        raise UserError("DSIH_STORE=remote needs DSIH_STORE_URL (the remote query endpoint).")
    return settings


def settings_table() -> str:
    """The Markdown table of settings for the README."""
    rows = ["| setting | environment variable | default | what it does |", "|---|---|---|---|"]
    for s in SETTINGS:
        default = s.default
        if isinstance(default, str) and default.startswith(str(PROJECT_ROOT)):
            default = default.replace(str(PROJECT_ROOT), ".")
        rows.append(f"| `{s.name}` | `{s.env}` | `{default}` | {s.help} |")
    return "\n".join(rows)


__all__ = ["SETTINGS", "Setting", "Settings", "load_settings", "settings_table", "fields"]
