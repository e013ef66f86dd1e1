"""The two servers under test as child processes on 127.0.0.1, and the memory they hold.

Each server runs in its own process group, so that stopping it (SIGTERM, then SIGKILL) also ends the
worker processes it started; only processes started here are ever signalled.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A server process: how to query it, and how to reach its pages."""

    name: str
    command: list[str]
    port: int
    query_path: str
    env: dict[str, str] | None = None
    cwd: Path | None = None
    log: Path | None = None
    proc: subprocess.Popen | None = field(default=None, repr=False)
    started_at: float = 0.0
    ready_after: float = 0.0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return self.base + self.query_path

    def start(self, ready_path: str, timeout: float = 120.0) -> float:
        """Start the process and poll ``ready_path`` until it answers 200; returns seconds to ready."""
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115 (closed by the child's exit)
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(
            self.command,
            env=self.env,
            cwd=self.cwd,
            stdout=out,
            stderr=out,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        if out is not subprocess.DEVNULL:
            out.close()
        self.ready_after = wait_until_ready(self.base + ready_path, self.proc, self.started_at, timeout)
        return self.ready_after

    def stop(self, grace: float = 10.0) -> None:
        """End the process group: SIGTERM, then SIGKILL after ``grace`` seconds."""
        if self.proc is None or self.proc.poll() is not None:
            _kill_group(self.proc)
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            pass
        _kill_group(self.proc)

    def memory(self) -> dict[str, float]:
        """RSS, PSS (shared pages divided among sharers) and peak RSS, in MiB, of the process and all
        its descendants, and how many processes that is."""
        if self.proc is None:
            return {}
        pids = process_tree(self.proc.pid)
        rss = pss = hwm = 0
        for pid in pids:
            status = _read(f"/proc/{pid}/status")
            rss += _kib(status, "VmRSS:")
            hwm += _kib(status, "VmHWM:")
            pss += _kib(_read(f"/proc/{pid}/smaps_rollup"), "Pss:")
        return {
            "processes": len(pids),
            "rss_mib": rss / 1024,
            "pss_mib": pss / 1024,
            "peak_rss_mib": hwm / 1024,
        }


def _kill_group(proc: subprocess.Popen | None) -> None:
    """SIGKILL whatever is left of the process group we started (its workers, if any outlived it)."""
    if proc is None:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        pass


def wait_until_ready(url: str, proc: subprocess.Popen, started: float, timeout: float) -> float:
    """Poll ``url`` every 10 ms until it answers 200; seconds since ``started``. Raises if the process
    dies or the timeout passes."""
    deadline = started + timeout
    with requests.Session() as session:
        while time.perf_counter() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{url}: the server exited with {proc.returncode} before answering")
            try:
                if session.get(url, timeout=5).status_code == 200:
                    return time.perf_counter() - started
            except requests.RequestException:
                pass
            time.sleep(0.01)
    raise RuntimeError(f"{url}: no answer within {timeout:.0f} s")


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        stat = _read(f"/proc/{entry}/stat")
        if not stat:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def _read(path: str) -> str:
    try:
        with open(path) as handle:
            return handle.read()
    except OSError:
        return ""


def _kib(text: str, key: str) -> int:
    for line in text.splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    return 0


def run_timed(
    command: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 600.0,
    log: Path | None = None,
) -> tuple[float, int, str]:
    """Run a command to its end (killed at ``timeout``); (seconds, exit code, last lines of output)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        output, _ = proc.communicate(timeout=timeout)
        code = proc.returncode
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        output, code = b"(killed at the time limit)", -9
    seconds = time.perf_counter() - started
    text = output.decode("utf-8", "replace")
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"$ {' '.join(command)}\n{text}\n[exit {code} after {seconds:.2f} s]\n")
    tail = "\n".join(text.strip().splitlines()[-5:])
    return seconds, code, tail
