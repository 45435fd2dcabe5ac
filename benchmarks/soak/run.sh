#!/usr/bin/env bash
# The fault soak, long version: for each transport (and heap flag), a SoakServer JVM under FaultSoak's
# good and hostile clients for SECONDS, then 30 s idle; writes results/<timestamp>/summary.md.
# See benchmarks/soak/README.md.
#
#   benchmarks/soak/run.sh [SECONDS]          (default 600)
#
# Environment: TRANSPORTS ("vt eventloop"), HEAPS ("-Xmx64m"; e.g. "-Xmx64m -Xmx256m"),
# GC (-XX:+UseSerialGC), IDLE_SECONDS (30), MAX_IDLE_WORKER_SECONDS (1), GOOD (8), HOSTILE (8),
# SEED (1), NO_BUILD (set: skip the test-compile).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
seconds=${1:-600}
transports=${TRANSPORTS:-vt eventloop}
heaps=${HEAPS:--Xmx64m}
gc=${GC:--XX:+UseSerialGC}
idle=${IDLE_SECONDS:-30}
max_idle_worker=${MAX_IDLE_WORKER_SECONDS:-1}
good=${GOOD:-8}
hostile=${HOSTILE:-8}
seed=${SEED:-1}
case "$seconds" in ''|*[!0-9]*) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;; esac

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

cd "$ROOT"
. .mvn/find-jdk.sh   # sets JAVA_HOME to a JDK >= 21, as ./mvnw does
set +f               # find-jdk.sh leaves globbing off
JAVA="$JAVA_HOME/bin/java"
if [ -z "${NO_BUILD-}" ]; then
  log "building the test classes (./mvnw -q -pl fasthttp4j test-compile)"
  ./mvnw -q -B -pl fasthttp4j test-compile
fi
# SoakServer and FaultSoak need nothing but the JDK and fasthttp4j's own classes.
CP="$ROOT/fasthttp4j/target/classes:$ROOT/fasthttp4j/target/test-classes"
OUT="$HERE/results/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"

field() {   # field LINE KEY: the value of KEY=value in LINE, or "?"
  local v
  v=$(sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1")
  printf '%s' "${v:-?}"
}
mib() {     # bytes to "12.3 MiB"
  case "$1" in ''|*[!0-9]*) printf '%s' "$1" ;; *) awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }' ;; esac
}

# Runs one transport at one heap flag and appends its row to rows.md.
soak() {
  local transport=$1 heap=$2 name="$1$2" port before after_load after_idle load server_pid
  log "$name: starting SoakServer $heap $gc"
  coproc SERVER { exec "$JAVA" $heap $gc -cp "$CP" io.fasthttp4j.server.soak.SoakServer "$transport" "$max_idle_worker" 2>"$OUT/server-$name.log"; }
  server_pid=$SERVER_PID
  local to from
  exec {to}>&"${SERVER[1]}" {from}<&"${SERVER[0]}"
  stats() {   # one stats line, or "no answer" after 60 s
    local line
    if printf 'stats\n' >&"$to" 2>/dev/null && read -r -t 60 -u "$from" line; then printf '%s' "$line"; else printf 'no answer'; fi
  }
  read -r -t 30 -u "$from" port || { log "$name: no port from the server"; kill -9 "$server_pid" 2>/dev/null || true; return; }
  port=${port#port }
  "$JAVA" -Xmx256m -cp "$CP" io.fasthttp4j.server.soak.FaultSoak --port "$port" --warm-up || log "$name: warm-up failed"
  before=$(stats)
  log "$name: before  $before"
  log "$name: load for $seconds s ($good good, $hostile hostile clients)"
  load=$("$JAVA" -Xmx1g -XX:+UseParallelGC -cp "$CP" io.fasthttp4j.server.soak.FaultSoak --port "$port" \
      --seconds "$seconds" --good "$good" --hostile "$hostile" --seed "$seed") || load="load generator failed (exit $?)"
  log "$name: load    $load"
  after_load=$(stats)
  log "$name: after   $after_load"
  sleep "$idle"
  after_idle=$(stats)
  log "$name: idle    $after_idle"
  printf 'quit\n' >&"$to" 2>/dev/null || true
  read -r -t 15 -u "$from" _ || true
  exec {to}>&- {from}<&-
  kill -9 "$server_pid" 2>/dev/null || true   # whatever state it is in
  wait "$server_pid" 2>/dev/null || true
  printf '%s\n%s\n%s\n%s\n' "before $before" "load $load" "afterLoad $after_load" "afterIdle $after_idle" >"$OUT/raw-$name.txt"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s | %s |\n' \
    "$transport" "$heap" "$(field "$load" good)" "$(field "$load" wrong)" "$(field "$load" failed)" "$(field "$load" shed)" \
    "$(field "$load" hostile)" "$(mib "$(field "$before" heap)")" "$(mib "$(field "$after_load" heap)")" \
    "$(mib "$(field "$after_idle" heap)")" "$(field "$before" fds)" "$(field "$after_idle" fds)" "$(field "$load" serverAnswers)" \
    "ctxs $(field "$after_idle" ctxs), conns $(field "$after_idle" conns), deaths $(field "$after_idle" deaths), oom $(field "$after_idle" oom), logged errors $(field "$after_idle" loggedErrors)" \
    >>"$OUT/rows.md"
}

for heap in $heaps; do
  for transport in $transports; do soak "$transport" "$heap"; done
done

{
  echo "# Fault soak $(basename "$OUT")"
  echo
  echo "Commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')," \
       "$seconds s of load ($good good, $hostile hostile clients, seed $seed), then $idle s idle." \
       "Server JVM: the row's heap flag and $gc, maxIdleWorkerDuration ${max_idle_worker} s; $("$JAVA" -version 2>&1 | head -n 1); $(nproc) CPUs."
  echo "Heap: used after full GCs. fds: the server process's open descriptors, before the load and after the idle wait."
  echo "Alive: a fresh GET / answered right after the load. Raw lines: raw-*.txt; server logs: server-*.log."
  echo
  echo "| transport | heap flag | good | wrong | failed | shed | hostile connections | heap before | heap after load | heap after ${idle} s idle | fds before / after | server alive | after idle |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  cat "$OUT/rows.md"
} >"$OUT/summary.md"
rm "$OUT/rows.md"
log "wrote $OUT/summary.md"
cat "$OUT/summary.md"
