"""The machine and software a run measured on, for RESULTS.md."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

PACKAGES = ["dsih-kg", "pyoxigraph", "oxigraph", "rdflib", "flask", "waitress", "requests"]


def describe(repo: Path, oxigraph: str) -> dict:
    """nproc, memory, CPU model, kernel, Python and package versions, git commit, date and load."""
    info = {
        "date": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "nproc": len(os.sched_getaffinity(0)),
        "memory_gib": round(_meminfo_kib("MemTotal") / 1024 / 1024, 1),
        "cpu": _cpu_model(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in PACKAGES},
        "oxigraph_server": _output([oxigraph, "--version"]),
        "commit": _output(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"]),
        "dirty": bool(_output(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"])),
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }
    return info


def _meminfo_kib(key: str) -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _output(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""
