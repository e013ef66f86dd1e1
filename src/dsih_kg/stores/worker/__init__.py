"""The query worker process and what it shares with its parent.

Everything here imports the standard library only (and pyoxigraph or rdflib inside an engine), so that
a worker, started as ``python -I -c BOOT`` with this folder's parent on its path (:data:`BOOT`), is up
in a few tens of milliseconds. The parent (:mod:`..pool`) imports the same modules as
``dsih_kg.stores.worker``: one wire, one list of error kinds and format names for both sides.
"""

#: The command line a worker starts with: ``[sys.executable, "-I", "-c", BOOT, <stores folder>]``.
BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from worker.loop import main; main()"
