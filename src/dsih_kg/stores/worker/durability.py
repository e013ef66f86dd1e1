"""How a write on disk survives a crash: the ``.loading`` marker of a bulk load, durable files, and the
clean-up at the next open (used by the writer before each write and by the service before readers open)."""

from __future__ import annotations

import os

from .wire import STAGING


def loading_marker(store_path: str) -> str:
    """The file beside an on-disk store that names the graphs a bulk load is writing."""
    return str(store_path).rstrip("/") + ".loading"


def write_durably(path: str, text: str) -> None:
    """Write ``path`` and make it survive a crash (fsync the file and its directory)."""
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    directory = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def recover(ox, store, store_path: str | None) -> bool:
    """Drop what a crashed write left: the graphs its ``.loading`` file names (on disk) and every staging
    graph. True if a crashed bulk load was found."""
    found = False
    if store_path:
        marker = loading_marker(store_path)
        try:
            with open(marker, encoding="utf-8") as handle:
                names = [line.strip() for line in handle if line.strip()]
        except FileNotFoundError:
            names = None
        if names is not None:
            for name in names:
                store.remove_graph(ox.NamedNode(name))
            store.flush()
            os.unlink(marker)
            found = True
    for name in list(store.named_graphs()):
        if isinstance(name, ox.NamedNode) and name.value.startswith(STAGING):
            store.remove_graph(name)
    return found
