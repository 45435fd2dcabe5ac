#!/usr/bin/env python3
"""Writes results.md from a client-benchmark results folder's results.csv, machine.txt, command.txt, notes.txt.

Usage: report.py RESULTS_DIR. Medians over repeats with (min-max); ratios to fasthttp4j. Standard library only.
"""
import csv
import os
import statistics
import sys

BASE = "fasthttp4j"


def read_kv(path):
    kv = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    kv[k] = v
    return kv


def read_text(path):
    return open(path).read().strip() if os.path.exists(path) else ""


def med_range(values, fmt):
    if not values:
        return "n/a"
    m = statistics.median(values)
    if len(values) == 1:
        return fmt(m)
    return f"{fmt(m)} ({fmt(min(values))}–{fmt(max(values))})"


def column(rows, name):
    return [float(r[name]) for r in rows if r[name] != ""]


def main(out):
    rows = list(csv.DictReader(open(os.path.join(out, "results.csv"))))
    m = read_kv(os.path.join(out, "machine.txt"))
    by_c = {}
    for r in rows:
        by_c.setdefault(r["contender"], []).append(r)

    md = ["# Client benchmark" + (" (smoke run: proves the harness works, not a result)" if m.get("smoke") == "true" else ""), ""]
    md.append(f"{m.get('date', '')}, commit {m.get('commit', '?')}.")
    md.append("")
    md.append("| | |")
    md.append("|---|---|")
    md.append(f"| machine | {m.get('machine', '?')}, {m.get('cpus', '?')} CPUs, {m.get('kernel', '?')} |")
    md.append(f"| JDK | {m.get('jdk', '?')} |")
    md.append(f"| server | load-harness contender `{m.get('server', '?')}` |")
    md.append(f"| request | {m.get('request', '?')} |")
    md.append(f"| callers | {m.get('concurrency', '?')} virtual threads, pool of as many connections |")
    md.append("")
    md.append("Each client in a fresh JVM pinned to one CPU, the server pinned to the other. **CPU µs/req**: the client "
              "process's CPU time (every thread: callers, selectors, GC, JIT) over the measured window divided by the "
              "requests completed in it. **B/req**: bytes the whole client JVM allocated over the window "
              "(`ThreadMXBean.getTotalThreadAllocatedBytes`) per request. **client CPU %**: of the one CPU it has; "
              "near 100 the client is the bottleneck, as intended; well below, something else (the server, "
              "other load) limited it and CPU µs/req may include idle wake-ups. **server CPU %**: the server's "
              "utime+stime over the same window. Medians over repeats, (min–max) when more than one. "
              f"**× {BASE}**: CPU µs/req relative to {BASE}. Every answer is checked (status 200, exact body); a "
              "client with a failed check is listed in the notes and not measured.")
    md.append("")
    md.append("Commands:")
    md.append("")
    md.append("```")
    md.append(read_text(os.path.join(out, "command.txt")))
    md.append("```")
    md.append("")
    notes = read_text(os.path.join(out, "notes.txt"))
    if notes:
        md.append("Notes:")
        md.append("")
        for line in notes.splitlines():
            md.append(f"- {line}")
        md.append("")

    md.append("| client | CPU µs/req | × " + BASE + " | B/req | req/s | client CPU % | server CPU % | runs |")
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    base = statistics.median(column(by_c[BASE], "cpu_us_per_req")) if BASE in by_c else None
    for c in sorted(by_c, key=lambda c: statistics.median(column(by_c[c], "cpu_us_per_req"))):
        rs = by_c[c]
        cpu = column(rs, "cpu_us_per_req")
        ratio = f"{statistics.median(cpu) / base:.2f}" if base else "n/a"
        md.append(f"| {c} | {med_range(cpu, lambda v: f'{v:.2f}')} | {ratio} | "
                  f"{med_range(column(rs, 'bytes_per_req'), lambda v: f'{v:,.0f}')} | "
                  f"{med_range(column(rs, 'rps'), lambda v: f'{v:,.0f}')} | "
                  f"{med_range(column(rs, 'client_cpu_pct'), lambda v: f'{v:.0f}')} | "
                  f"{med_range(column(rs, 'server_cpu_pct'), lambda v: f'{v:.0f}')} | {len(rs)} |")
    md.append("")

    md.append("## Raw runs")
    md.append("")
    md.append("In the order they ran (`results.csv`; each client's output in `logs/`).")
    md.append("")
    md.append("| client | repeat | requests | window s | req/s | CPU µs/req | B/req | client CPU % | server CPU % |")
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        md.append(f"| {r['contender']} | {r['repeat']} | {int(r['requests']):,} | {r['window_s']} | {int(r['rps']):,} | "
                  f"{r['cpu_us_per_req']} | {int(r['bytes_per_req']):,} | {r['client_cpu_pct']} | {r['server_cpu_pct'] or 'n/a'} |")
    md.append("")

    with open(os.path.join(out, "results.md"), "w") as f:
        f.write("\n".join(md) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
