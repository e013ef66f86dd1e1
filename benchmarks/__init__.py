"""Benchmark of the dsih-kg service against Oxigraph server, run with ``python -m benchmarks.run``.

Not part of the test suite: it generates data of three sizes, starts both servers on 127.0.0.1, measures
a fixed researcher query mix and explorer page loads, and writes ``benchmarks/RESULTS.md``.
"""
