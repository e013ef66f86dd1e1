"""RESULTS.md from a run's measurements: the machine, the issue-7 targets met or missed, and per size
the tables of medians, p99 and throughput with the ratio ours / Oxigraph server."""

from __future__ import annotations

import statistics

from .queries import MIX

TARGETS = {
    "distinct": 1.5,
    "repeated": 1.0,
    "throughput": 0.5,
    "page_ms": 15.0,
    "cold_s": 3.0,
    "import_s": 60.0,
}
TITLES = {q.key: q.title for q in MIX}


def ms(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 10:
        return f"{value:.2f}"
    if value < 100:
        return f"{value:.1f}"
    return f"{value:.0f}"


def rate(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


NO_ANSWER = float("inf")


def ratio(ours: float | None, theirs: float | None) -> float | None:
    if theirs is None or theirs == 0:
        return None
    if ours is None:
        return NO_ANSWER  # Oxigraph answered, we did not (errors only): a miss, not a gap in the table
    return ours / theirs


def fmt_ratio(value: float | None) -> str:
    if value == NO_ANSWER:
        return "no answer"
    return "–" if value is None else f"{value:.2f}×"


def size_name(size: dict) -> str:
    records = size["records"]
    return "curated graph" if not records else f"curated + {records:,} records".replace(",", " ")


def _verdict_max(values: list[tuple[float | None, str]], limit: float, unit: str = "×") -> tuple[str, str]:
    """(measured, verdict) for 'at most ``limit``' over labelled values (worst first)."""
    present = [(v, label) for v, label in values if v is not None]
    if not present:
        return "not measured", "not measured"
    over = [label for v, label in present if v > limit]
    unanswered = [label for v, label in present if v == NO_ANSWER]
    answered = [(v, label) for v, label in present if v != NO_ANSWER]
    parts = []
    if answered:
        top, top_label = max(answered)
        parts.append(f"worst {top:.2f}{unit} ({top_label})")
    if unanswered:
        parts.append(f"no answer from ours (errors only) for {', '.join(unanswered)}")
    measured = "; ".join(parts)
    if not over:
        return measured, "**met**"
    by = f"by {max(answered)[0] / limit:.1f}× " if answered and max(answered)[0] > limit else ""
    return measured, f"**missed** {by}({len(over)} of {len(present)} over {limit:g}{unit})"


def _verdict_min(values: list[tuple[float | None, str]], limit: float) -> tuple[str, str]:
    present = [(v, label) for v, label in values if v is not None]
    if not present:
        return "not measured", "not measured"
    present = [(0.0 if v == NO_ANSWER else v, label) for v, label in present]
    worst, label = min(present)
    under = [label for v, label in present if v < limit]
    measured = f"worst {worst:.2f}× ({label})"
    if not under:
        return measured, "**met**"
    return measured, f"**missed** by {limit / worst:.1f}× ({len(under)} of {len(present)} under {limit:g}×)"


def _repeated_best(entry: dict) -> float | None:
    """Our best p50 for a repeated query: plain, or revalidated by ETag when that gave 304s."""
    candidates = [entry["ours"]["p50_ms"]]
    etag = entry.get("ours_etag")
    if etag and etag.get("statuses", {}).get("304"):
        candidates.append(etag["p50_ms"])
    present = [c for c in candidates if c is not None]
    return min(present) if present else None


def targets(results: dict) -> list[tuple[str, str, str]]:
    rows = []
    sizes = results["sizes"]
    distinct, repeated, throughput, pages = [], [], [], []
    for size in sizes:
        name = size_name(size)
        for key, entry in _in_mix_order(size["queries"]):
            d = entry["distinct"]
            distinct.append((ratio(d["ours"]["p50_ms"], d["oxigraph"]["p50_ms"]), f"{key}, {name}"))
            r = entry["repeated"]
            repeated.append((ratio(_repeated_best(r), r["oxigraph"]["p50_ms"]), f"{key}, {name}"))
            if any(q.simple and q.key == key for q in MIX):
                c = entry["concurrent"]
                throughput.append((ratio(c["ours"]["throughput"], c["oxigraph"]["throughput"]), f"{key}, {name}"))
        pages.append((size["pages"]["first"]["p50_ms"], name))
    rows.append(("latency, distinct queries ≤ 1.5× Oxigraph (p50)", *_verdict_max(distinct, TARGETS["distinct"])))
    rows.append(
        (
            "latency, repeated queries ≤ 1.0× Oxigraph (p50; ours with ETag where it answers 304)",
            *_verdict_max(repeated, TARGETS["repeated"]),
        )
    )
    clients = results["options"]["clients"]
    rows.append(
        (
            f"throughput, simple queries, {clients} clients ≥ 0.5× Oxigraph",
            *_verdict_min(throughput, TARGETS["throughput"]),
        )
    )
    rows.append(
        (
            "explorer lesson page p50 ≤ 15 ms (first visit of each lesson)",
            *_verdict_max(pages, TARGETS["page_ms"], " ms"),
        )
    )
    cached = [r["lesson_page_s"] for r in results["cold_start"].get("runs", []) if r["cached_build"]]
    if cached:
        value = statistics.median(cached)
        verdict = "**met**" if value <= TARGETS["cold_s"] else f"**missed** by {value / TARGETS['cold_s']:.1f}×"
        rows.append(
            (
                "cold start to serving the curated graph ≤ 3 s (median, build cached)",
                f"{value:.2f} s to the first lesson page",
                verdict,
            )
        )
    else:
        rows.append(("cold start to serving the curated graph ≤ 3 s", "not measured", "not measured"))
    rows.append(("100 000 records imported and linked ≤ 60 s", *_import_verdict(sizes)))
    largest = max(sizes, key=lambda s: s["quads"]) if sizes else None
    if largest and largest.get("memory"):
        mem = largest["memory"]
        rows.append(
            (
                f"memory at {largest['quads'] / 1e6:.2f}M quads (reported)",
                f"ours {mem['ours']['pss_mib']:.0f} MiB PSS / {mem['ours']['rss_mib']:.0f} MiB RSS "
                f"({mem['ours']['processes']} processes); Oxigraph {mem['oxigraph']['pss_mib']:.0f} MiB PSS "
                f"/ {mem['oxigraph']['rss_mib']:.0f} MiB RSS",
                "reported",
            )
        )
    return rows


def _import_verdict(sizes: list[dict]) -> tuple[str, str]:
    big = [s for s in sizes if s["records"] >= 100_000]
    if not big:
        return "not measured (no size with 100 000 records in this run)", "not measured"
    steps = big[0]["prepare"]
    done = {k: v for k, v in steps.items() if k in ("dsih-kg import", "dsih-kg link")}
    failed = {k: v for k, v in steps.items() if k.startswith(("dsih-kg import (", "dsih-kg link ("))}
    if failed:
        total = sum(done.values()) + sum(failed.values())
        what = ", ".join(f"{k} {v:.0f} s" for k, v in {**done, **failed}.items())
        return (
            f"did not finish: {what}",
            f"**missed**: more than {total / TARGETS['import_s']:.1f}× the target",
        )
    if "dsih-kg import" not in done:
        return f"not measured: records came in as {big[0]['records_path']}", "not measured"
    total = sum(done.values())
    parts = " + ".join(f"{k.split()[-1]} {v:.1f} s" for k, v in done.items())
    if "dsih-kg link" not in done:
        return f"{total:.1f} s ({parts}; no link step)", "not measured (no link)"
    if total <= TARGETS["import_s"]:
        return f"{total:.1f} s ({parts})", "**met**"
    return f"{total:.1f} s ({parts})", f"**missed** by {total / TARGETS['import_s']:.1f}×"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def render(results: dict) -> str:
    m, o = results["machine"], results["options"]
    command = "python -m benchmarks.run" + (" --quick" if o["quick"] else "")
    load = " / ".join(map(str, m["load_before"])) + " before, " + " / ".join(map(str, results.get("load_after", [])))
    dirty = " (with uncommitted changes)" if m["dirty"] else ""
    out = [
        "# Benchmark results: dsih-kg against Oxigraph server",
        "",
        f"Written by `make bench` (`{command}`) on {m['date']}, in {results['duration_s'] / 60:.1f} minutes. "
        "Measured, not edited: run the command again to replace it. How it measures: [README.md](README.md).",
        "",
        "## Machine",
        "",
    ]
    out += table(
        ["", ""],
        [
            ["CPU", f"{m['cpu']}, {m['nproc']} cores (nproc)"],
            ["memory", f"{m['memory_gib']} GiB"],
            ["kernel / Python", f"Linux {m['kernel']} / Python {m['python']}"],
            ["packages", ", ".join(f"{k} {v}" for k, v in m["packages"].items())],
            [
                "Oxigraph server",
                f"`{m['oxigraph_server']}`, `serve-read-only --union-default-graph`, on disk",
            ],
            [
                "dsih-kg",
                f"commit {m['commit']}{dirty}; `dsih-kg serve` (waitress) with default settings, on disk",
            ],
            ["load average (1/5/15 min)", load + " after (other work on the machine shares its 2 cores)"],
            ["time per phase", ", ".join(f"{k} {v / 60:.1f} min" for k, v in results.get("phases", {}).items())],
            [
                "clients",
                "requests.Session with keep-alive; 1 client alternating the servers request by request; "
                f"{o['clients']} client processes per server in A-B-B-A turns of "
                f"{o['concurrent_seconds'] / 2:g} s (queries slower than {o.get('heavy_seconds', 0.5):g} s: "
                "one request per client, A-B); p99 is the slowest answer when n < 100",
            ],
        ],
    )
    out += ["", "## Targets of issue 7", ""]
    out += table(["target", "measured", "verdict"], [list(row) for row in targets(results)])
    out += ["", "Ratios are ours / Oxigraph server: below 1× we are faster (for throughput: slower)."]
    out += _cold_start(results) + _imports(results) + _memory(results)
    for size in results["sizes"]:
        out += _size(size, o)
    return "\n".join(out) + "\n"


def _cold_start(results: dict) -> list[str]:
    runs = results["cold_start"].get("runs", [])
    if not runs:
        return []
    rows = [
        [
            "build cached" if r["cached_build"] else "no cached build (builds and reasons first)",
            f"{r['sparql_s']:.2f} s",
            f"{r['lesson_page_s']:.2f} s",
        ]
        for r in runs
    ]
    out = ["", "## Cold start (`dsih-kg serve`, default in-memory store, curated graph)", ""]
    return out + table(["start", "to the first SPARQL answer", "to the first lesson page"], rows)


def _imports(results: dict) -> list[str]:
    rows = [
        [
            size_name(s),
            str(s["quads"]),
            s["records_path"] or "–",
            ", ".join(f"{k} {v:.1f} s" for k, v in s["prepare"].items()),
        ]
        for s in results["sizes"]
    ]
    out = ["", "## Preparing the data (each step a subprocess, timed end to end)", ""]
    out += table(["size", "quads", "records came in as", "steps"], rows)
    notes = [f"- {size_name(s)}: {n}" for s in results["sizes"] for n in s.get("notes", [])]
    return out + ([""] + notes if notes else [])


def _memory(results: dict) -> list[str]:
    rows = []
    for size in results["sizes"]:
        mem = size.get("memory") or {}
        if mem:
            ours, ox = mem["ours"], mem["oxigraph"]
            rows.append(
                [
                    size_name(size),
                    str(size["quads"]),
                    f"{ours['pss_mib']:.0f} MiB",
                    f"{ours['rss_mib']:.0f} MiB ({ours['processes']})",
                    f"{ox['pss_mib']:.0f} MiB",
                    f"{ox['rss_mib']:.0f} MiB",
                    f"{size['ready_s']['ours']:.2f} s / {size['ready_s']['oxigraph']:.2f} s",
                    _disk(size.get("disk_mib") or {}),
                ]
            )
    out = ["", "## Memory after the measurements (each server's process and all its children)", ""]
    out += table(
        [
            "size",
            "quads",
            "ours PSS",
            "ours RSS (processes)",
            "Oxigraph PSS",
            "Oxigraph RSS",
            "ready after start, ours / Oxigraph",
            "store on disk, ours / Oxigraph",
        ],
        rows,
    )
    return out + [
        "",
        "PSS shares pages used by several processes (memory-mapped store files, forked workers) "
        "among them; RSS counts them in every process. Both stores hold the same quads; ours was written by "
        "dsih-kg load/import/link, Oxigraph's by `oxigraph load` of a dump of ours.",
    ]


def _in_mix_order(queries: dict) -> list[tuple[str, dict]]:
    """The measured queries in the order of the mix (a .json may hold them sorted by name)."""
    order = {q.key: i for i, q in enumerate(MIX)}
    return sorted(queries.items(), key=lambda item: order.get(item[0], len(order)))


def _disk(disk: dict) -> str:
    if not disk:
        return "–"
    return f"{disk['ours']:.0f} MiB / {disk['oxigraph']:.0f} MiB"


def _size(size: dict, o: dict) -> list[str]:
    name = size_name(size)
    out = [
        "",
        f"## {name[0].upper() + name[1:]} ({size['quads']} quads)",
        "",
        "### Distinct queries, 1 client (every request another variant; ms)",
        "",
    ]
    rows = []
    for key, entry in _in_mix_order(size["queries"]):
        ours, ox = entry["distinct"]["ours"], entry["distinct"]["oxigraph"]
        same = size.get("agreement", {}).get(key, {})
        rows.append(
            [
                TITLES[key],
                ms(ours["p50_ms"]),
                ms(ox["p50_ms"]),
                fmt_ratio(ratio(ours["p50_ms"], ox["p50_ms"])),
                ms(ours["p99_ms"]),
                ms(ox["p99_ms"]),
                fmt_ratio(ratio(ours["p99_ms"], ox["p99_ms"])),
                ms(ours["app_p50_ms"]),
                f"{ours['n']}{_errors(ours, ox)}",
                "yes" if same.get("same") else f"**no** {same.get('sizes')}",
            ]
        )
    out += table(
        [
            "query",
            "ours p50",
            "Oxigraph p50",
            "ratio",
            "ours p99",
            "Oxigraph p99",
            "ratio p99",
            "ours in app p50",
            "n",
            "same answers",
        ],
        rows,
    )
    out += ["", "### Repeated query, 1 client (the same request again; ms)", ""]
    rows = []
    for key, entry in _in_mix_order(size["queries"]):
        r = entry["repeated"]
        ours, etag, ox = r["ours"], r["ours_etag"], r["oxigraph"]
        no_304 = "" if etag["statuses"].get("304") else " (no 304)"
        rows.append(
            [
                TITLES[key],
                ms(ours["p50_ms"]),
                ms(etag["p50_ms"]) + no_304,
                ms(ox["p50_ms"]),
                fmt_ratio(ratio(_repeated_best(r), ox["p50_ms"])),
                ms(ours["p99_ms"]),
                ms(etag["p99_ms"]),
                ms(ox["p99_ms"]),
                f"{ours['n']}{_errors(ours, etag, ox)}",
            ]
        )
    out += table(
        [
            "query",
            "ours p50",
            "ours + ETag p50",
            "Oxigraph p50",
            "ratio (best ours)",
            "ours p99",
            "ours + ETag p99",
            "Oxigraph p99",
            "n",
        ],
        rows,
    )
    out += ["", f"### {o['clients']} concurrent clients (distinct variants; answers/s, ms)", ""]
    rows = []
    for key, entry in _in_mix_order(size["queries"]):
        ours, ox = entry["concurrent"]["ours"], entry["concurrent"]["oxigraph"]
        once = " (one request per client)" if entry.get("concurrent_once") else ""
        rows.append(
            [
                TITLES[key] + once,
                rate(ours["throughput"]),
                rate(ox["throughput"]),
                fmt_ratio(ratio(ours["throughput"], ox["throughput"])),
                ms(ours["p50_ms"]),
                ms(ours["p99_ms"]),
                ms(ox["p50_ms"]),
                ms(ox["p99_ms"]),
                f"{ours['n']} / {ox['n']}{_errors(ours, ox)}",
            ]
        )
    out += table(
        [
            "query",
            "ours /s",
            "Oxigraph /s",
            "ratio",
            "ours p50",
            "ours p99",
            "Oxigraph p50",
            "Oxigraph p99",
            "answers ours / Oxigraph",
        ],
        rows,
    )
    p = size["pages"]
    out += ["", "### Explorer lesson pages (`/doc/lesson/{slug}`, our service only; ms)", ""]
    rows = [
        [
            label,
            ms(p[k]["p50_ms"]),
            ms(p[k]["p99_ms"]),
            ms(p[k]["app_p50_ms"]),
            f"{p[k]['n']}{_errors(p[k])}",
            rate(p[k]["throughput"]),
        ]
        for k, label in (
            ("first", "first visit of each lesson, 1 client"),
            ("repeated", "the same page again, 1 client"),
            ("concurrent", f"all lessons, {o['clients']} clients"),
        )
    ]
    out += table(["pages", "p50", "p99", "in app p50", "n", "answers/s"], rows)
    examples = [
        e
        for entry in size["queries"].values()
        for mode in entry.values()
        if isinstance(mode, dict)
        for lane in mode.values()
        for e in lane.get("error_examples", [])
    ]
    if examples:
        out += ["", "Errors seen (the first few): " + "; ".join(f"`{e[:160]}`" for e in examples[:4])]
    return out


def _errors(*lanes: dict) -> str:
    errors = [lane.get("errors", 0) for lane in lanes]
    return " (errors " + " / ".join(map(str, errors)) + ")" if any(errors) else ""
