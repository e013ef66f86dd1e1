"""What travels between the service and a worker: frames, operations, error kinds and format names.

A frame is a 4-byte big-endian length followed by a pickle (both ends are our own processes). The first
frame configures the worker::

    {"engine": "oxigraph" | "rdflib", "kind": "memory" | "disk", "path": source, "writable": bool,
     "sandbox": bool, "prefixes": {prefix: namespace}}

Then each request is a dict with ``op`` (one of :data:`OPERATIONS`) and each reply a dict with ``ok`` and
either the result or ``error`` (one of :data:`ERROR_KINDS`) and ``message``. A request may carry
``reopen`` (a new source) or ``apply`` (steps to add to an in-memory copy) to bring the worker up to date.
"""

from __future__ import annotations

import os
import pickle
import struct

OPERATIONS = ("query", "update", "load", "load_graphs", "count", "ping")
#: Error kinds a reply may carry; the parent turns each into one exception (``process._raise_for``).
SYNTAX, TOO_LARGE, UNSUPPORTED, IO = "syntax", "too_large", "unsupported", "io"
ERROR_KINDS = (SYNTAX, TOO_LARGE, UNSUPPORTED, IO)
#: Result formats by name: SELECT/ASK ones, then CONSTRUCT/DESCRIBE ones.
RESULT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "nt", "jsonld", "rdfxml")
#: Graphs a replacing load is staged in before it is swapped in (dropped again after a crash).
STAGING = "urn:dsih-kg:staging:"
_HEADER = struct.Struct(">I")


class TooLarge(Exception):
    """The answer outgrew its cap (bytes or results)."""


class Unsupported(Exception):
    """The engine cannot answer this request as asked."""


def error(kind: str, message: str) -> dict:
    """A failed reply."""
    return {"ok": False, "error": kind, "message": message}


def encode(message: dict) -> bytes:
    """One frame: length, then the pickled message."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


def frame_size(header: bytes) -> int:
    return _HEADER.unpack(header)[0]


def decode(payload: bytes) -> dict:
    return pickle.loads(payload)


def read(stream) -> dict | None:
    """The next frame from a binary stream; None at its end."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    return decode(stream.read(frame_size(header)))


def write(stream, message: dict) -> None:
    stream.write(encode(message))
    stream.flush()


def write_fd(fd: int, message: dict) -> None:
    """Write one frame to a file descriptor, whole (the parent's side of the pipe)."""
    view = memoryview(encode(message))
    while view:
        view = view[os.write(fd, view) :]


def source_steps(source) -> list:
    """A worker's source as steps: a path is one N-Quads snapshot, a list already steps, empty nothing."""
    if not source:
        return []
    if isinstance(source, str):
        return [("nq", source)]
    return list(source)
