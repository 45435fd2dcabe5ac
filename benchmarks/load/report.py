#!/usr/bin/env python3
"""Writes results.md and one gnuplot script per profile from a results folder's results.csv.

Usage: report.py RESULTS_DIR. Medians over repeats with min-max; ratios to the floor contender, as the ratio
of the medians and as the median of per-repeat (paired) ratios with a distribution-free confidence interval.
Standard library only.
"""
import csv
import math
import os
import statistics
import sys

PROFILE_ORDER = ["baseline", "pipelined", "limited-conn", "json", "upload", "plaintext-tls", "json-tls", "handshake-tls"]
PROFILE_NOTES = {
    "baseline": "keep-alive; GET, POST with Content-Length and chunked POST of /baseline11, rotated",
    "pipelined": "GET /pipeline, 16 requests per write",
    "limited-conn": "baseline, one request in ten sends Connection: close (10 requests per connection on average)",
    "json": "GET /json/{count}?m={n}, counts 1-50 rotated, Jackson streaming per request",
    "upload": "POST /upload, 500 KiB / 2 MiB / 10 MiB / 20 MiB bodies rotated",
    "plaintext-tls": "baseline over TLS 1.3 (TLS_AES_128_GCM_SHA256, X25519, EC P-256 certificate): keep-alive, "
                     "one handshake per connection; wrk over https",
    "json-tls": "json over TLS 1.3 (TLS_AES_128_GCM_SHA256, X25519, EC P-256 certificate): keep-alive, "
                "one handshake per connection; wrk over https",
    "handshake-tls": "a new connection and a full TLS 1.3 handshake (X25519, ECDSA P-256, never resumed) per request, "
                     "the baseline requests with Connection: close; driven by benchmarks/load/handshake (Go), not wrk; "
                     "latency from the dial to the response's last byte",
}


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


def median_ci(values, level=0.95):
    """A distribution-free confidence interval for the median: order statistics k and n-k+1 (1-based),
    k the largest with P(Binomial(n, 1/2) < k) <= (1-level)/2. None when n is too small for any."""
    xs = sorted(values)
    n = len(xs)
    k, below = 0, 0.0
    for j in range(n):
        below += math.comb(n, j) / 2 ** n   # P(B <= j)
        if below > (1 - level) / 2:
            break
        k = j + 1
    if k == 0:
        return None
    return xs[k - 1], xs[n - k]


def paired_ratios(rows, floor_rows):
    """Per repeat: this contender's CPU µs/req over the floor's in the same repeat (measured minutes apart, or
    seconds apart with --paired), so machine noise that lasts longer than that cancels."""
    floor_by_repeat = {r["repeat"]: float(r["cpu_us_per_req"]) for r in floor_rows}
    return [float(r["cpu_us_per_req"]) / floor_by_repeat[r["repeat"]] for r in rows if r["repeat"] in floor_by_repeat]


def paired_cell(ratios):
    if not ratios:
        return "n/a"
    m = statistics.median(ratios)
    ci = median_ci(ratios)
    if ci is None:
        return f"{m:.2f} (n={len(ratios)})"
    return f"{m:.3f} [{ci[0]:.3f}–{ci[1]:.3f}] (n={len(ratios)})"


def num(v):
    return float(v) if v not in ("", None) else None


def main(out):
    rows = list(csv.DictReader(open(os.path.join(out, "results.csv"))))
    machine = read_kv(os.path.join(out, "machine.txt"))
    groups = {}
    for r in rows:
        groups.setdefault(r["profile"], {}).setdefault(r["contender"], []).append(r)
    profiles = [p for p in PROFILE_ORDER if p in groups] + sorted(p for p in groups if p not in PROFILE_ORDER)

    md = ["# Load comparison", ""]
    md.append(f"{machine.get('date', '')}, commit {machine.get('commit', '?')}.")
    md.append("")
    md.append("| | |")
    md.append("|---|---|")
    md.append(f"| machine | {machine.get('machine', '?')}, {machine.get('cpus', '?')} CPUs, {machine.get('kernel', '?')} |")
    md.append(f"| JDK | {machine.get('jdk', '?')} |")
    md.append(f"| wrk | {machine.get('wrk', '?')} |")
    if "tls" in machine:
        md.append(f"| TLS client | {machine['tls']} |")
    md.append("")
    md.append("Server pinned to one CPU, wrk (1 thread) to the other. **CPU µs/req** is the server's utime+stime "
              "over the measured run divided by completed requests: what ranks servers once wrk saturates. "
              "Medians over repeats, (min–max) when more than one. **× floor** is CPU µs/req relative to the "
              "floor (a selector loop writing canned bytes: no server can be cheaper), as the ratio of the medians; "
              "**paired × floor** is the median of the per-repeat ratios (each contender against the floor of the "
              "same repeat: minutes apart, or seconds apart with --paired) with its 95 % distribution-free confidence interval "
              "(order statistics; shown from 6 repeats on). B/req: bytes the JVM "
              "allocated per request (AllocProbe). RSS after the run (for JVMs it includes the 1 GB heap that "
              "-Xms1g -XX:+AlwaysPreTouch touches at start). Errors: non-2xx/3xx + socket errors.")
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

    for p in profiles:
        by_c = groups[p]
        floor_cpu = None
        if "floor" in by_c:
            floor_cpu = statistics.median(float(r["cpu_us_per_req"]) for r in by_c["floor"])
        md.append(f"## {p}")
        md.append("")
        md.append(PROFILE_NOTES.get(p, ""))
        md.append("")
        if os.path.exists(os.path.join(out, f"{p}.png")) or has_gnuplot():
            md.append(f"![{p}]({p}.png)")
            md.append("")
        md.append("| contender | req/s | CPU µs/req | × floor | paired × floor | p50 ms | p99 ms | errors | RSS MB | B/req |")
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        order = sorted(by_c, key=lambda c: statistics.median(float(r["cpu_us_per_req"]) for r in by_c[c]))
        data = []
        for c in order:
            rs = by_c[c]
            cpu = [float(r["cpu_us_per_req"]) for r in rs]
            rps = [float(r["rps"]) for r in rs]
            p50 = statistics.median(float(r["p50_us"]) for r in rs) / 1000
            p99 = statistics.median(float(r["p99_us"]) for r in rs) / 1000
            errors = sum(int(r["errors"]) for r in rs)
            rss = statistics.median(float(r["rss_kb"]) for r in rs) / 1024 if all(r["rss_kb"] for r in rs) else None
            bpr = [num(r["bytes_per_req"]) for r in rs if r["bytes_per_req"]]
            ratio = f"{statistics.median(cpu) / floor_cpu:.2f}" if floor_cpu else "n/a"
            paired = paired_cell(paired_ratios(rs, by_c["floor"])) if floor_cpu and c != "floor" else ""
            md.append(f"| {c} | {med_range(rps, lambda v: f'{v:,.0f}')} | {med_range(cpu, lambda v: f'{v:.2f}')} | "
                      f"{ratio} | {paired} | {p50:.2f} | {p99:.2f} | {errors} | "
                      f"{f'{rss:.0f}' if rss is not None else 'n/a'} | {med_range(bpr, lambda v: f'{v:,.0f}')} |")
            data.append((c, statistics.median(cpu), min(cpu), max(cpu), statistics.median(rps), min(rps), max(rps)))
        md.append("")
        write_chart(out, p, data)

    with open(os.path.join(out, "results.md"), "w") as f:
        f.write("\n".join(md) + "\n")


def has_gnuplot():
    return any(os.access(os.path.join(d, "gnuplot"), os.X_OK) for d in os.environ.get("PATH", "").split(":"))


def write_chart(out, profile, data):
    """Writes chart-PROFILE.dat and chart-PROFILE.gp; gnuplot chart-PROFILE.gp draws PROFILE.png."""
    dat = f"chart-{profile}.dat"
    with open(os.path.join(out, dat), "w") as f:
        for row in data:
            f.write(f'"{row[0]}" ' + " ".join(f"{v:.4f}" for v in row[1:]) + "\n")
    gp = f"""set terminal pngcairo size 1200,450 font ",11" noenhanced
set output "{profile}.png"
set multiplot layout 1,2 title "{profile}: server pinned to one CPU (median, bars min-max)"
set style fill solid 0.7 border -1
set boxwidth 0.6
set offsets 0.5, 0.5, 0, 0
set grid ytics
set yrange [0:*]
set xtics rotate by -30
unset key
set title "server CPU us per request (lower is better)"
plot "{dat}" using 0:2:3:4:(0.6):xtic(1) with boxerrorbars lc rgb "#4477aa"
set title "requests per second (higher is better)"
plot "{dat}" using 0:5:6:7:(0.6):xtic(1) with boxerrorbars lc rgb "#66aa55"
unset multiplot
"""
    with open(os.path.join(out, f"chart-{profile}.gp"), "w") as f:
        f.write(gp)


if __name__ == "__main__":
    main(sys.argv[1])
