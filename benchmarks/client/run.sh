#!/usr/bin/env bash
# The client benchmark in one command: client CPU time and bytes allocated per request, each client
# in a fresh JVM pinned to one CPU, against a cheap server pinned to the other. See README.md here.
#
#   benchmarks/client/run.sh [--contenders a,b] [--warmup S] [--duration S] [--repeats N]
#                            [--concurrency N] [--server NAME] [--path P --body B] [--server-cpus LIST]
#                            [--client-cpus LIST] [--port N] [--smoke] [--offline] [--no-build] [--out DIR]
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LOAD=$ROOT/benchmarks/load
JAR=$HERE/target/client-bench.jar
MAIN=io.fasthttp4j.bench.client.Main

contenders=""
warmup=20
duration=10
repeats=3
concurrency=16
server=floor
path=/pipeline
body=ok
server_cpus=0
client_cpus=1
base_port=19080
smoke=false
offline=""
build=true
out=""

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --contenders) contenders=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --server) server=$2; shift 2 ;;
    --path) path=$2; shift 2 ;;
    --body) body=$2; shift 2 ;;
    --server-cpus) server_cpus=$2; shift 2 ;;
    --client-cpus) client_cpus=$2; shift 2 ;;
    --port) base_port=$2; shift 2 ;;
    --smoke) smoke=true; shift ;;
    --offline) offline=-o; shift ;;
    --no-build) build=false; shift ;;
    --out) out=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage ;;
  esac
done
if $smoke; then
  warmup=2; duration=3; repeats=1
fi

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

command -v taskset >/dev/null || die "taskset is missing (apt-get install util-linux)"
command -v python3 >/dev/null || die "python3 is missing (apt-get install python3)"
[ -x "$LOAD/contenders/$server/start.sh" ] || die "no server '$server' under benchmarks/load/contenders"

# ---- the JDK: 25 preferred (the one ./mvnw picks) ----

. "$ROOT/.mvn/find-jdk.sh"
JAVA="$JAVA_HOME/bin/java"
export JAVA JAVA_HOME
# The same flags for the server and every client JVM: pinned to one CPU a JVM would pick SerialGC.
JVM_FLAGS="-XX:+UseParallelGC -Xms1g -Xmx1g -XX:+AlwaysPreTouch"
export LOAD_JVM_FLAGS=$JVM_FLAGS
java_version=$("$JAVA" -version 2>&1 | head -n 1)
case "$java_version" in *'"25'*) ;; *) log "warning: JDK 25 wanted, using $java_version" ;; esac

stamp=$(date -u +%Y%m%d-%H%M%S)
out=${out:-$HERE/results/$stamp$($smoke && echo -smoke || true)}
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
CSV="$out/results.csv"
NOTES="$out/notes.txt"
: > "$NOTES"
echo "contender,repeat,concurrency,requests,window_s,rps,cpu_ns,cpu_us_per_req,client_cpu_pct,alloc_bytes,bytes_per_req,server_cpu_pct" > "$CSV"
note() { log "$*"; echo "$*" >> "$NOTES"; }

# ---- build: the client jar and the server (a load-harness contender) ----

if $build; then
  modules=benchmarks/client
  if [ -f "$LOAD/contenders/$server/pom.xml" ]; then modules="$modules,benchmarks/load/contenders/$server"; fi
  log "building $modules"
  (cd "$ROOT" && ./mvnw -q $offline -Pload,client-bench -pl "$modules" -am package -DskipTests) > "$out/logs/build.log" 2>&1 \
    || { tail -n 40 "$out/logs/build.log" >&2; die "maven build failed (log: $out/logs/build.log)"; }
  if [ -x "$LOAD/contenders/$server/build.sh" ]; then
    "$LOAD/contenders/$server/build.sh" >> "$out/logs/build.log" 2>&1 || die "$server's build.sh failed (log: $out/logs/build.log)"
  fi
fi
[ -f "$JAR" ] || die "$JAR missing: run without --no-build"

if [ -z "$contenders" ]; then
  contenders=$("$JAVA" -cp "$JAR" "$MAIN" --list | paste -sd, -)
fi
IFS=, read -r -a selected <<< "$contenders"
known=$("$JAVA" -cp "$JAR" "$MAIN" --list)
for c in "${selected[@]}"; do
  grep -qx "$c" <<< "$known" || die "no contender '$c' (have: $(echo $known))"
done

# ---- the server: started for each run, always stopped ----

server_pid=""
stop_server() {
  [ -n "$server_pid" ] || return 0
  if kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
trap stop_server EXIT
trap 'exit 130' INT TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_server() {   # start_server PORT LOG; start.sh and taskset exec, so $! is the server's own pid
  taskset -c "$server_cpus" "$LOAD/contenders/$server/start.sh" "$1" > "$2" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do
    kill -0 "$server_pid" 2>/dev/null || { tail -n 20 "$2" >&2; return 1; }
    port_open "$1" && return 0
    sleep 0.1
  done
  return 1
}

CLK_TCK=$(getconf CLK_TCK)
stat_of() { sed -n 's/^CLIENTSTATS.* '"$1"'=\([0-9]*\).*/\1/p' "$2" | head -n 1; }

# ---- one measured run ----

run_index=0
measure() {   # measure CONTENDER REPEAT
  local c=$1 r=$2 port=$((base_port + run_index % 100)) tag="$1-$2"
  run_index=$((run_index + 1))
  if ! start_server "$port" "$out/logs/$tag.server.log"; then
    note "$c: the server ($server) did not start (log: logs/$tag.server.log)"; stop_server; return 2
  fi
  log "$tag: ${warmup}s warm-up, ${duration}s measured, $concurrency callers (client cpu $client_cpus, server cpu $server_cpus)"
  local f="$out/logs/$tag.log" rc=0
  taskset -c "$client_cpus" "$JAVA" $JVM_FLAGS -cp "$JAR" "$MAIN" --contender "$c" --port "$port" --path "$path" --body "$body" \
      --concurrency "$concurrency" --warmup "$warmup" --duration "$duration" --server-pid "$server_pid" > "$f" 2>&1 || rc=$?
  kill -0 "$server_pid" 2>/dev/null || note "$tag: the server died during the run (log: logs/$tag.server.log)"
  stop_server
  if [ "$rc" != 0 ] || ! grep -q '^CLIENTSTATS' "$f"; then
    note "$c: FAILED, not measured: $(grep -m1 '^CLIENTFAILED' "$f" | sed 's/^CLIENTFAILED contender=[^ ]* //' || true) (exit $rc, log: logs/$tag.log)"
    return 1
  fi
  python3 - "$c" "$r" "$(stat_of concurrency "$f")" "$(stat_of requests "$f")" "$(stat_of window_ns "$f")" "$(stat_of cpu_ns "$f")" \
      "$(stat_of alloc_bytes "$f")" "$(stat_of server_cpu_ticks "$f")" "$CLK_TCK" >> "$CSV" <<'PY'
import sys
c, r, conc, req, window, cpu, alloc, sticks, hz = sys.argv[1:]
req, window, cpu, alloc, hz = int(req), int(window), int(cpu), int(alloc), int(hz)
if req == 0:
    sys.exit("no requests completed")
spct = f"{int(sticks) * 1e9 / hz / window * 100:.0f}" if sticks else ""
print(f"{c},{r},{conc},{req},{window / 1e9:.3f},{req / (window / 1e9):.0f},{cpu},{cpu / 1e3 / req:.2f},"
      f"{cpu / window * 100:.0f},{alloc},{alloc / req:.0f},{spct}")
PY
  log "$tag: $(tail -n 1 "$CSV" | awk -F, '{ printf "%s req/s, %s CPU us/req (client %s%% of a CPU), %s B/req, server %s%%", $6, $8, $9, $11, $12 }')"
}

cat > "$out/command.txt" <<EOF
cd $ROOT && benchmarks/client/run.sh $( $smoke && echo --smoke ) --contenders $contenders --warmup $warmup --duration $duration --repeats $repeats --concurrency $concurrency --server $server --path $path --body $body --server-cpus $server_cpus --client-cpus $client_cpus
server: taskset -c $server_cpus benchmarks/load/contenders/$server/start.sh PORT   (LOAD_JVM_FLAGS=$JVM_FLAGS)
client: taskset -c $client_cpus java $JVM_FLAGS -cp benchmarks/client/target/client-bench.jar $MAIN --contender NAME --port PORT --path $path --body $body --concurrency $concurrency --warmup $warmup --duration $duration --server-pid PID
EOF

# ---- the runs: contenders interleaved within each repeat so that noise spreads over all of them ----

failed=()
for r in $(seq 1 "$repeats"); do
  for c in "${selected[@]}"; do
    case " ${failed[*]} " in *" $c "*) continue ;; esac
    measure "$c" "$r" || failed+=("$c")
  done
done

# ---- the report ----

{
  echo "machine=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
  echo "cpus=$(nproc)"
  echo "kernel=$(uname -sr)"
  echo "jdk=$java_version"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "server=$server"
  echo "request=GET $path -> 200 '$body'"
  echo "concurrency=$concurrency"
  echo "smoke=$smoke"
} > "$out/machine.txt"
python3 "$HERE/report.py" "$out"
if ! $smoke && [ "$(dirname "$out")" = "$HERE/results" ]; then ln -sfn "$(basename "$out")" "$HERE/results/latest"; fi
log "report: $out/results.md"
if [ ${#failed[@]} -gt 0 ]; then
  log "FAILED contenders: ${failed[*]} (see $out/notes.txt)"
  exit 1
fi
