#!/usr/bin/env bash
# The load comparison in one command: builds every contender, checks its answers, and measures it
# under wrk, pinned apart from the load generator. See benchmarks/load/README.md.
#
#   benchmarks/load/run.sh [--contenders a,b] [--profiles x,y] [--duration S] [--warmup S]
#                          [--connections N] [--repeats N] [--server-cpus LIST] [--wrk-cpus LIST]
#                          [--port N] [--smoke] [--paired] [--no-build] [--out DIR]
#   TLS (opt-in): --profiles plaintext-tls,json-tls,handshake-tls
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ALL_PROFILES=baseline,pipelined,limited-conn,json,upload
TLS_PROFILES=plaintext-tls,json-tls,handshake-tls   # opt-in: never in the default list

contenders=""
profiles=$ALL_PROFILES
duration=15
warmup=20
rewarm=5   # seconds of a second warm-up on new connections (see the warm-up in measure())
connections=256
upload_connections=16
repeats=3
server_cpus=0
wrk_cpus=1
base_port=18080
smoke=false
paired=false
build=true
out=""
given=" "   # the options given explicitly, which --smoke leaves as they are

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --contenders) contenders=$2; shift 2 ;;
    --profiles) profiles=$2; shift 2 ;;
    --duration) duration=$2; given+="duration "; shift 2 ;;
    --warmup) warmup=$2; given+="warmup "; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --upload-connections) upload_connections=$2; shift 2 ;;
    --repeats) repeats=$2; given+="repeats "; shift 2 ;;
    --server-cpus) server_cpus=$2; shift 2 ;;
    --wrk-cpus) wrk_cpus=$2; shift 2 ;;
    --port) base_port=$2; shift 2 ;;
    --smoke) smoke=true; shift ;;
    --paired) paired=true; shift ;;
    --no-build) build=false; shift ;;
    --out) out=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage ;;
  esac
done
if $smoke; then
  contenders=${contenders:-fasthttp4j}
  rewarm=1
  [[ $given == *" warmup "* ]] || warmup=1
  [[ $given == *" duration "* ]] || duration=1
  [[ $given == *" repeats "* ]] || repeats=1
fi

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

# ---- tools: wrk, curl, gnuplot (charts), python3 (tables) from Debian when missing ----

apt_updated=false
apt_install() {
  command -v apt-get >/dev/null || return 1
  $apt_updated || { apt-get update -qq >/dev/null 2>&1 || true; apt_updated=true; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}
need() {   # need COMMAND PACKAGE
  command -v "$1" >/dev/null && return 0
  log "installing $2 (for $1)"
  apt_install "$2" || return 1
}
need wrk wrk || die "wrk is missing and could not be installed (apt-get install wrk)"
need curl curl || die "curl is missing and could not be installed"
need taskset util-linux || die "taskset is missing (util-linux)"
need python3 python3 || die "python3 is missing and could not be installed"
need gnuplot gnuplot-nox || log "gnuplot-nox could not be installed: charts will be skipped"
# Go's fasthttp (the original) builds offline from Debian's packages; without them it is skipped with a note.
need go golang-go || log "golang-go could not be installed: the gofasthttp contender will be skipped"
if command -v go >/dev/null && [ ! -d /usr/share/gocode/src/github.com/valyala/fasthttp ]; then
  log "installing golang-github-valyala-fasthttp-dev (for gofasthttp)"
  apt_install golang-github-valyala-fasthttp-dev || log "fasthttp's Go sources could not be installed: gofasthttp will be skipped"
fi

# ---- the JDK: 25 preferred (the one ./mvnw picks) ----

. "$ROOT/.mvn/find-jdk.sh"
set +f   # find-jdk.sh leaves globbing off (as ./mvnw runs); the contender discovery needs it
JAVA="$JAVA_HOME/bin/java"
export JAVA JAVA_HOME
export LOAD_JVM_FLAGS="-XX:+UseParallelGC -Xms1g -Xmx1g -XX:+AlwaysPreTouch"
java_version=$("$JAVA" -version 2>&1 | head -n 1)
case "$java_version" in *'"25'*) ;; *) log "warning: JDK 25 wanted, using $java_version" ;; esac

# ---- contenders: every directory with an executable start.sh ----

discovered=()
for d in "$HERE"/contenders/*/; do
  [ -x "$d/start.sh" ] && discovered+=("$(basename "$d")")
done
if [ -z "$contenders" ]; then
  selected=("${discovered[@]}")
else
  IFS=, read -r -a selected <<< "$contenders"
  for c in "${selected[@]}"; do
    [ -x "$HERE/contenders/$c/start.sh" ] || die "no contender '$c' (found: ${discovered[*]})"
  done
fi
IFS=, read -r -a profile_list <<< "$profiles"
is_tls() { case "$1" in *-tls) return 0 ;; *) return 1 ;; esac; }
any_tls=false
for p in "${profile_list[@]}"; do
  [ -f "$HERE/lua/$p.lua" ] || [ "$p" = handshake-tls ] || die "no profile '$p' (have: $ALL_PROFILES; TLS, opt-in: $TLS_PROFILES)"
  if is_tls "$p"; then any_tls=true; fi
done

# serves CONTENDER PROFILE: true unless the contender's `profiles` file leaves the profile out, or the
# profile is a TLS one and the contender has no `tls` file (the TLS provider it uses, one line).
serves() {
  local f="$HERE/contenders/$1/profiles"
  if is_tls "$2" && [ ! -f "$HERE/contenders/$1/tls" ]; then return 1; fi
  [ -f "$f" ] || return 0
  grep -qx "$2" "$f"
}

not_served() {   # not_served CONTENDER PROFILE: the note for a profile that serves() says no to
  if is_tls "$2" && [ ! -f "$HERE/contenders/$1/tls" ]; then
    echo "$1: skipped for $2: no TLS in this contender (no contenders/$1/tls naming its TLS provider)"
  else
    echo "$1: does not serve profile $2 (n/a)"
  fi
}

if $any_tls; then
  need openssl openssl || die "openssl is missing and could not be installed (the TLS profiles need it)"
fi
# wrk resumes TLS sessions when it reconnects (see handshake/main.go), so handshake-tls has a generator of its own.
HANDSHAKE_BIN="$HERE/handshake/handshake"
case ",$profiles," in *,handshake-tls,*)
  command -v go >/dev/null || die "handshake-tls needs Go for its load generator (apt-get install -y golang-go)" ;;
esac

stamp=$(date -u +%Y%m%d-%H%M%S)
out=${out:-$HERE/results/$stamp$($smoke && echo -smoke || true)}
mkdir -p "$out/logs" "$out/wrk" "$out/check"
out=$(cd "$out" && pwd)
CSV="$out/results.csv"
NOTES="$out/notes.txt"
: > "$NOTES"
echo "contender,profile,repeat,requests,duration_s,rps,cpu_ticks,cpu_us_per_req,p50_us,p99_us,errors,non2xx,socket_errors,rss_kb,alloc_bytes,bytes_per_req,user_ticks" > "$CSV"
note() { log "$*"; echo "$*" >> "$NOTES"; }

# A contender that serves none of the profiles asked for is neither built nor started. For the TLS
# profiles that is worth a line in the report (no TLS support); otherwise (netty-boringssl in a run
# of the plain profiles) a log line is enough.
serving=()
for c in "${selected[@]}"; do
  for p in "${profile_list[@]}"; do
    if serves "$c" "$p"; then serving+=("$c"); continue 2; fi
  done
  if $any_tls && [ ! -f "$HERE/contenders/$c/tls" ]; then
    note "$c: skipped for $profiles: no TLS in this contender (no contenders/$c/tls naming its TLS provider)"
  else
    log "$c: serves none of $profiles (its profiles file): not run"
  fi
done
selected=("${serving[@]}")

# ---- build ----

maven_modules=()
for c in floor "${selected[@]}"; do   # floor always: its jar runs the JSON reference
  [ -f "$HERE/contenders/$c/pom.xml" ] || continue
  if grep -q "<module>contenders/$c</module>" "$HERE/pom.xml"; then
    case " ${maven_modules[*]} " in *" benchmarks/load/contenders/$c "*) ;; *) maven_modules+=("benchmarks/load/contenders/$c") ;; esac
  else
    log "warning: contenders/$c/pom.xml is not listed in benchmarks/load/pom.xml; not built by Maven"
  fi
done
if $build; then
  modules=$(IFS=,; echo "benchmarks/load/common,${maven_modules[*]}")
  log "building $modules"
  (cd "$ROOT" && ./mvnw -q -Pload -pl "$modules" -am package -DskipTests) > "$out/logs/build.log" 2>&1 \
    || { tail -n 40 "$out/logs/build.log" >&2; die "maven build failed (log: $out/logs/build.log)"; }
fi
runnable=()
for c in "${selected[@]}"; do
  dir="$HERE/contenders/$c"
  if [ -x "$dir/available.sh" ] && ! msg=$("$dir/available.sh" 2>&1); then
    note "$c: skipped, not available here: $msg"
    continue
  fi
  if $build && [ -x "$dir/build.sh" ]; then
    log "building $c (build.sh)"
    if ! "$dir/build.sh" > "$out/logs/build-$c.log" 2>&1; then
      note "$c: FAILED to build (log: logs/build-$c.log)"
      continue
    fi
  fi
  runnable+=("$c")
done
case ",$profiles," in *,handshake-tls,*)
  if $build || [ ! -x "$HANDSHAKE_BIN" ]; then
    log "building the handshake-tls generator (benchmarks/load/handshake)"
    (cd "$HERE/handshake" && GO111MODULE=off GOFLAGS= go build -o handshake main.go) > "$out/logs/build-handshake.log" 2>&1 \
      || { cat "$out/logs/build-handshake.log" >&2; die "could not build the handshake-tls generator"; }
  fi ;;
esac
FLOOR_JAR="$HERE/contenders/floor/target/contender.jar"
[ -f "$FLOOR_JAR" ] || die "floor jar missing ($FLOOR_JAR): build without --no-build"

# ---- the server under test ----

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
tls_dir=""
trap 'stop_server; stop_paired; [ -z "$tls_dir" ] || rm -rf "$tls_dir"' EXIT
trap 'exit 130' INT TERM

# ---- TLS: a throwaway certificate and wrk's client settings ----

# The TLS profiles serve one certificate made here for this run (self-signed, EC P-256, for localhost and
# 127.0.0.1), in a temporary folder removed at exit: never in the results, never committed. A server
# gets it as TLS_CERT and TLS_KEY (PEM files; the key PKCS#8) when started for a TLS profile, and
# nothing otherwise.
if $any_tls; then
  tls_dir=$(mktemp -d "${TMPDIR:-/tmp}/fasthttp4j-load-tls.XXXXXX")
  tls_cert="$tls_dir/cert.pem"; tls_key="$tls_dir/key.pem"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 2 \
      -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
      -keyout "$tls_key" -out "$tls_cert" > "$tls_dir/openssl.log" 2>&1 \
    || { cat "$tls_dir/openssl.log" >&2; die "could not make the TLS certificate with openssl"; }
  # wrk has no TLS options; OpenSSL applies this file's system_default to every SSL_CTX wrk makes, so wrk
  # offers TLS 1.3 only, one cipher suite and one key-exchange group, and every server negotiates the same.
  cat > "$tls_dir/wrk-openssl.cnf" <<'EOF'
openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_module
[ssl_module]
system_default = wrk_client
[wrk_client]
MinProtocol = TLSv1.3
Ciphersuites = TLS_AES_128_GCM_SHA256
Groups = X25519
EOF
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_server() {   # start_server CONTENDER PORT LOG PROFILE: with TLS_CERT and TLS_KEY for a TLS profile
  if is_tls "$4"; then
    TLS_CERT=$tls_cert TLS_KEY=$tls_key taskset -c "$server_cpus" "$HERE/contenders/$1/start.sh" "$2" > "$3" 2>&1 &
  else
    taskset -c "$server_cpus" "$HERE/contenders/$1/start.sh" "$2" > "$3" 2>&1 &
  fi
  server_pid=$!
  for _ in $(seq 1 600); do
    kill -0 "$server_pid" 2>/dev/null || { tail -n 20 "$3" >&2; return 1; }
    port_open "$2" && return 0
    sleep 0.1
  done
  return 1
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }   # utime + stime
user_ticks() { awk '{ print $14 }' "/proc/$1/stat"; }        # utime: the rest is the kernel's, for the server's syscalls
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
allocated() {   # the AllocProbe's answer, or empty
  (exec 3<>"/dev/tcp/127.0.0.1/$(($1 + 1000))" && read -r -t 5 line <&3 && echo "$line") 2>/dev/null || true
}
CLK_TCK=$(getconf CLK_TCK)

# ---- correctness: exact body, exact header set ----

DATE_RE='^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$'
check_failures=0
fail_check() { log "  CHECK FAILED: $*"; echo "$*" >> "$check_log"; check_failures=$((check_failures + 1)); }
# A deviation that changes no byte count a client relies on (a header name's case, a server that does
# not close after "Connection: close"): recorded in the report's notes, the contender is still measured.
note_check() {
  log "  note: $*"
  grep -qxF "$check_contender_name: $*" "$out/notes.txt" 2>/dev/null || echo "$check_contender_name: $*" >> "$out/notes.txt"
}

# check_headers HEADERFILE BODYFILE CONTENT_TYPE CLOSE(true|false) WHAT
check_headers() {
  local hdr=$1 body=$2 ctype=$3 close=$4 what=$5 status names="" line name value
  status=$(head -n 1 "$hdr" | tr -d '\r')
  case "$status" in "HTTP/1.1 200"*) ;; *) fail_check "$what: status line '$status'"; return ;; esac
  while IFS= read -r line; do
    line=${line%$'\r'}
    [ -n "$line" ] || break
    name=${line%%:*}; value=${line#*: }
    local canonical
    for canonical in Server Date Content-Type Content-Length Connection; do
      if [ "$name" != "$canonical" ] && [ "${name,,}" = "${canonical,,}" ]; then
        note_check "$what: header name '$name' (HTTP field names are case-insensitive; same byte count as '$canonical')"
        name=$canonical
      fi
    done
    names="$names $name"
    case "$name" in
      Server) [ "$value" = bench ] || fail_check "$what: Server '$value', want 'bench'" ;;
      Date) [[ "$value" =~ $DATE_RE ]] || fail_check "$what: Date '$value' is not an IMF-fixdate" ;;
      Content-Type) [ "$value" = "$ctype" ] || fail_check "$what: Content-Type '$value', want '$ctype'" ;;
      Content-Length) [ "$value" = "$(wc -c < "$body" | tr -d ' ')" ] || fail_check "$what: Content-Length $value, body has $(wc -c < "$body") bytes" ;;
      Connection) [ "$value" = close ] || fail_check "$what: Connection '$value', want 'close'" ;;
    esac
  done < <(tail -n +2 "$hdr")
  local want="Content-Length Content-Type Date Server"
  $close && want="Connection $want"
  local got
  got=$(echo $names | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
  [ "$got" = "$want" ] || fail_check "$what: header fields [$got], want exactly [$want]"
}

# check NAME CONTENT_TYPE EXPECTED_BODY_FILE CLOSE CURL_ARGS...
check() {
  local what=$1 ctype=$2 expected=$3 close=$4; shift 4
  local dir="$check_dir/$(echo "$what" | tr -c 'a-zA-Z0-9\n' '_')"
  if ! curl -sS --http1.1 --max-time 30 -H 'Expect:' -D "$dir.hdr" -o "$dir.body" "${curl_tls[@]}" "$@" 2> "$dir.err"; then
    fail_check "$what: curl failed: $(cat "$dir.err")"; return
  fi
  cmp -s "$expected" "$dir.body" || fail_check "$what: body '$(head -c 60 "$dir.body" | tr '\r\n' '  ')', want '$(head -c 60 "$expected")'"
  check_headers "$dir.hdr" "$dir.body" "$ctype" "$close" "$what"
}

# The pipelined case: 16 requests in one write, the last asking to close.
check_pipeline() {
  local port=$1 req="" i file="$check_dir/pipeline.raw"
  for i in $(seq 1 15); do req+="GET /pipeline HTTP/1.1"$'\r\n'"Host: 127.0.0.1:$port"$'\r\n\r\n'; done
  req+="GET /pipeline HTTP/1.1"$'\r\n'"Host: 127.0.0.1:$port"$'\r\n'"Connection: close"$'\r\n\r\n'
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf '%s' "$req" >&3 && timeout 5 cat <&3) > "$file" 2>/dev/null; then
    note_check "pipelined x16: the server did not close the connection after 'Connection: close' within 5 s"
  fi
  local n
  n=$(grep -ao 'HTTP/1.1 200' "$file" | wc -l)
  [ "$n" = 16 ] || fail_check "pipelined x16: $n responses, want 16"
  [ "$(tr -d '\r' < "$file" | grep -cx 'ok\(HTTP/1.1 200 OK\)\{0,1\}')" = 16 ] || fail_check "pipelined x16: bodies are not all 'ok'"
}

expected_dir="$out/check/expected"
mkdir -p "$expected_dir"
printf 55 > "$expected_dir/55"; printf 75 > "$expected_dir/75"; printf 8 > "$expected_dir/8"
printf 1357 > "$expected_dir/1357"; printf ok > "$expected_dir/ok"
for cm in "1 1" "5 2" "15 1" "50 3"; do
  set -- $cm
  "$JAVA" -cp "$FLOOR_JAR" io.fasthttp4j.bench.common.JsonReference "$1" "$2" > "$expected_dir/json-$1-$2"
done
upload_sizes=(512000 2097152 10485760 20971520)
bodies_dir="${TMPDIR:-/tmp}/fasthttp4j-load-bodies"   # 33 MB of request bodies: kept out of the results
mkdir -p "$bodies_dir"
for s in "${upload_sizes[@]}"; do
  [ "$(stat -c %s "$bodies_dir/upload-$s.bin" 2>/dev/null)" = "$s" ] || head -c "$s" /dev/zero | tr '\0' 'x' > "$bodies_dir/upload-$s.bin"
  printf '%s' "$s" > "$expected_dir/upload-$s"
done
printf 20 > "$expected_dir/body-20"; printf 1234 > "$expected_dir/body-1234"

# The handshake a TLS contender makes with a client that offers what the handshake-tls generator offers,
# in its order: TLS 1.3 with the harness's certificate, TLS_AES_128_GCM_SHA256 (the one suite wrk offers),
# ALPN http/1.1. The order matters: BoringSSL and Go have no setting for TLS 1.3 suites, and BoringSSL
# takes the client's first (with OpenSSL's default order, AES-256-GCM first, it picks that).
check_tls() {   # check_tls PORT
  local file="$check_dir/tls-handshake.txt"
  if ! openssl s_client -connect "127.0.0.1:$1" -servername localhost -CAfile "$tls_cert" -verify_return_error \
      -alpn http/1.1 -ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256 \
      < /dev/null > "$file" 2>&1; then
    fail_check "TLS handshake failed: $(grep -m 1 -i 'error\|alert' "$file")"; return
  fi
  grep -q '^New, TLSv1.3, Cipher is TLS_AES_128_GCM_SHA256' "$file" \
    || fail_check "TLS: want TLSv1.3 with TLS_AES_128_GCM_SHA256, got '$(grep -m 1 '^New, ' "$file")'"
  grep -q '^ALPN protocol: http/1.1' "$file" || fail_check "TLS: ALPN http/1.1 not selected"
  grep -q 'Verify return code: 0 (ok)' "$file" || fail_check "TLS: the certificate served is not the harness's"
  # Every contender is set to TLS 1.3 only; one that still accepts 1.2 is noted (no measured client offers 1.2).
  if openssl s_client -connect "127.0.0.1:$1" -tls1_2 < /dev/null > "$check_dir/tls12-handshake.txt" 2>&1; then
    note_check "TLS: accepts TLS 1.2 too (measured clients offer only TLS 1.3)"
  fi
}

check_contender() {   # check_contender CONTENDER PORT PROFILE; returns non-zero when any check failed
  local c=$1 port=$2 scheme=http name=$1 before=$check_failures e=$expected_dir
  curl_tls=()
  if is_tls "$3"; then scheme=https; name=$1-tls; curl_tls=(--cacert "$tls_cert"); fi
  local u="$scheme://127.0.0.1:$2"
  check_dir="$out/check/$name"; mkdir -p "$check_dir"; check_log="$out/check/$name.failures"; : > "$check_log"
  check_contender_name=$c
  if is_tls "$3"; then   # the endpoints the TLS profiles use, over TLS; pipelining and uploads are not among them
    check_tls "$port"
    serves "$c" plaintext-tls || serves "$c" handshake-tls && check_baseline "$u"
    serves "$c" json-tls && check_json "$u"
    [ "$check_failures" = "$before" ]
    return
  fi
  serves "$c" baseline || serves "$c" limited-conn && check_baseline "$u"
  if serves "$c" pipelined; then
    check "GET /pipeline" text/plain "$e/ok" false "$u/pipeline"
    check_pipeline "$port"
  fi
  serves "$c" json && check_json "$u"
  if serves "$c" upload; then
    for s in "${upload_sizes[@]}"; do
      check "POST /upload $s bytes" text/plain "$e/upload-$s" false -H 'Content-Type: application/octet-stream' --data-binary "@$bodies_dir/upload-$s.bin" "$u/upload"
    done
  fi
  [ "$check_failures" = "$before" ]
}

check_baseline() {   # check_baseline BASE_URL
  local u=$1 e=$expected_dir
  check "GET /baseline11" text/plain "$e/55" false "$u/baseline11?a=13&b=42"
  check "POST /baseline11 Content-Length" text/plain "$e/75" false -H 'Content-Type: text/plain' --data-binary "@$e/body-20" "$u/baseline11?a=13&b=42"
  check "POST /baseline11 chunked" text/plain "$e/1357" false -H 'Content-Type: text/plain' -H 'Transfer-Encoding: chunked' --data-binary "@$e/body-1234" "$u/baseline11?a=100&b=23"
  check "GET /baseline11 Connection: close" text/plain "$e/8" true -H 'Connection: close' "$u/baseline11?a=7&b=1"
}

check_json() {   # check_json BASE_URL
  local u=$1 cm
  for cm in "1 1" "5 2" "15 1" "50 3"; do
    set -- $cm
    check "GET /json/$1?m=$2" application/json "$expected_dir/json-$1-$2" false "$u/json/$1?m=$2"
  done
}

# ---- one measured run ----

run_wrk() {   # run_wrk PROFILE PORT SECONDS OUTFILE: wrk, or for handshake-tls the generator in handshake/
  local conns=$connections
  [ "$1" = upload ] && conns=$upload_connections
  if [ "$1" = handshake-tls ]; then
    GOMAXPROCS=1 taskset -c "$wrk_cpus" "$HANDSHAKE_BIN" -c "$conns" -d "$3"s -timeout 10s "https://127.0.0.1:$2/" > "$4" 2>&1
  elif is_tls "$1"; then
    OPENSSL_CONF="$tls_dir/wrk-openssl.cnf" LOAD_LUA_DIR="$HERE/lua" taskset -c "$wrk_cpus" wrk -t1 -c"$conns" -d"$3"s \
      --latency --timeout 10s -s "$HERE/lua/$1.lua" "https://127.0.0.1:$2/" > "$4" 2>&1
  else
    LOAD_LUA_DIR="$HERE/lua" taskset -c "$wrk_cpus" wrk -t1 -c"$conns" -d"$3"s --latency --timeout 10s \
      -s "$HERE/lua/$1.lua" "http://127.0.0.1:$2/" > "$4" 2>&1
  fi
}

stat_of() { sed -n 's/.*WRKSTATS.* '"$1"'=\([0-9-]*\).*/\1/p' "$2" | head -n 1; }

run_index=0
next_port() { port=$((base_port + run_index % 200)); run_index=$((run_index + 1)); }

start_checked() {   # start_checked CONTENDER PORT TAG PROFILE: starts it (server_pid) and checks it; stops it on failure
  local c=$1 port=$2 tag=$3 p=$4
  log "$tag: start on :$port (cpu $server_cpus)$(is_tls "$p" && echo ", TLS: $(cat "$HERE/contenders/$c/tls")")"
  if ! start_server "$c" "$port" "$out/logs/$tag.log" "$p"; then
    note "$c: FAILED to start (log: logs/$tag.log)"; stop_server; return 1
  fi
  if ! check_contender "$c" "$port" "$p"; then
    note "$c: FAILED $(wc -l < "$check_log") correctness check(s), all in check/$(basename "$check_log"); first: $(head -n 1 "$check_log")"
    stop_server; return 1
  fi
}

warm() {   # warm PROFILE PORT TAG
  [ "$warmup" != 0 ] || return 0
  log "$3: warm-up ${warmup}s"
  run_wrk "$1" "$2" "$warmup" "$out/wrk/$3.warmup.txt" || true
  # The warm-up ends by closing its connections: the first closes after the JIT compiled the read path
  # take branches it never saw, so compiled code is thrown away and compiled again (a second or more
  # of one core for a large server). A short second warm-up on new connections lets that happen
  # before the measured run, which is about steady state, not about a one-time recompilation.
  run_wrk "$1" "$2" "$rewarm" "$out/wrk/$3.warmup2.txt" || true
}

window() {   # window CONTENDER PROFILE REPEAT PID PORT TAG: one measured wrk run, one CSV row
  local c=$1 p=$2 r=$3 pid=$4 port=$5 tag=$6 t0 t1 u0 u1 a0 a1 rss
  t0=$(cpu_ticks "$pid"); u0=$(user_ticks "$pid"); a0=$(allocated "$port")
  log "$tag: measuring ${duration}s"
  run_wrk "$p" "$port" "$duration" "$out/wrk/$tag.txt" || note "$tag: wrk exited non-zero"
  t1=$(cpu_ticks "$pid"); u1=$(user_ticks "$pid"); a1=$(allocated "$port"); rss=$(rss_kb "$pid")
  kill -0 "$pid" 2>/dev/null || { note "$tag: server died during the run"; return 1; }
  local f="$out/wrk/$tag.txt" req dur
  req=$(stat_of requests "$f"); dur=$(stat_of duration_us "$f")
  if [ -z "$req" ] || [ "$req" = 0 ]; then note "$tag: no requests completed (see wrk/$tag.txt)"; return 1; fi
  if [ "$p" = handshake-tls ] && ! grep -q '^TLS: TLSv1.3, TLS_AES_128_GCM_SHA256, ALPN "http/1.1", resumed false$' "$f"; then
    note "$tag: the generator negotiated '$(grep -m 1 '^TLS: ' "$f")', want TLSv1.3, TLS_AES_128_GCM_SHA256, ALPN http/1.1, not resumed"
  fi
  local non2xx sockerr ticks alloc
  non2xx=$(stat_of status "$f")
  sockerr=$(( $(stat_of connect "$f") + $(stat_of read "$f") + $(stat_of write "$f") + $(stat_of timeout "$f") ))
  ticks=$((t1 - t0))
  alloc=""; [ -n "$a0" ] && [ -n "$a1" ] && alloc=$((a1 - a0))
  python3 - "$c" "$p" "$r" "$req" "$dur" "$ticks" "$CLK_TCK" "$(stat_of p50_us "$f")" "$(stat_of p99_us "$f")" \
      "$non2xx" "$sockerr" "$rss" "$alloc" "$((u1 - u0))" >> "$CSV" <<'EOF'
import sys
c, p, r, req, dur, ticks, hz, p50, p99, non2xx, sock, rss, alloc, user = sys.argv[1:]
req, dur, ticks, hz = int(req), int(dur), int(ticks), int(hz)
cpu_us = ticks * 1e6 / hz / req
bpr = f"{int(alloc) / req:.0f}" if alloc else ""
print(f"{c},{p},{r},{req},{dur / 1e6:.3f},{req / (dur / 1e6):.0f},{ticks},{cpu_us:.3f},{p50},{p99},"
      f"{int(non2xx) + int(sock)},{non2xx},{sock},{rss},{alloc},{bpr},{user}")
EOF
  log "$tag: $(tail -n 1 "$CSV" | awk -F, '{ printf "%s req/s, %s CPU us/req, p99 %s us, errors %s, %s B/req", $6, $8, $10, $11, $16 }')"
}

measure() {   # measure CONTENDER PROFILE REPEAT: a server of its own, started, warmed, measured once, stopped
  local c=$1 p=$2 r=$3 port tag="$1-$2-$3" ok=0
  next_port
  start_checked "$c" "$port" "$tag" "$p" || return 1
  warm "$p" "$port" "$tag"
  window "$c" "$p" "$r" "$server_pid" "$port" "$tag" || ok=1
  stop_server
  return $ok
}

# --paired: per profile, every contender's server is started once (all on the server CPUs, each idle
# while another is measured) and warmed, then measured in windows that alternate between them, the
# order reversed every other repeat (A B, B A, A B, ...). A repeat is then windows seconds apart
# instead of servers minutes apart, so the machine's slow drifts cancel in the paired ratios.
paired_pids=()
paired_ports=()
stop_paired() {
  local pid
  for pid in "${paired_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${paired_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  paired_pids=(); paired_ports=()
}

measure_paired() {   # measure_paired PROFILE: every runnable contender that serves it
  local p=$1 cs=() c i r port order
  for c in "${runnable[@]}"; do
    case " ${failed[*]} " in *" $c "*) continue ;; esac
    if ! serves "$c" "$p"; then note "$(not_served "$c" "$p")"; continue; fi
    next_port
    if start_checked "$c" "$port" "$c-$p" "$p"; then
      cs+=("$c"); paired_pids+=("$server_pid"); paired_ports+=("$port"); server_pid=""
    else
      failed+=("$c")
    fi
  done
  for i in "${!cs[@]}"; do warm "$p" "${paired_ports[$i]}" "${cs[$i]}-$p"; done
  for r in $(seq 1 "$repeats"); do
    order=("${!cs[@]}")
    if [ $((r % 2)) = 0 ]; then order=(); for i in "${!cs[@]}"; do order=("$i" "${order[@]}"); done; fi
    for i in "${order[@]}"; do
      case " ${failed[*]} " in *" ${cs[$i]} "*) continue ;; esac   # died or served nothing in an earlier window
      window "${cs[$i]}" "$p" "$r" "${paired_pids[$i]}" "${paired_ports[$i]}" "${cs[$i]}-$p-$r" || failed+=("${cs[$i]}")
    done
  done
  stop_paired
}

# ---- the runs: profiles outermost, contenders interleaved within each repeat so noise spreads ----

cat > "$out/command.txt" <<EOF
cd $ROOT && benchmarks/load/run.sh $( $smoke && echo --smoke ) --contenders $(IFS=,; echo "${selected[*]}") --profiles $profiles --duration $duration --warmup $warmup --connections $connections --upload-connections $upload_connections --repeats $repeats --server-cpus $server_cpus --wrk-cpus $wrk_cpus$( $paired && echo " --paired" )
server: taskset -c $server_cpus contenders/<name>/start.sh PORT   (LOAD_JVM_FLAGS=$LOAD_JVM_FLAGS)
wrk:    LOAD_LUA_DIR=benchmarks/load/lua taskset -c $wrk_cpus wrk -t1 -c$connections (upload: -c$upload_connections) -d${duration}s --latency --timeout 10s -s benchmarks/load/lua/<profile>.lua http://127.0.0.1:PORT/
warm-up: the same wrk command for ${warmup}s, then again for ${rewarm}s on new connections, before each measured run$( $paired && echo "
paired: per profile all contenders run at once, each warmed once, then measured in alternating windows (order reversed every other repeat)" )
EOF
if $any_tls; then
  cat >> "$out/command.txt" <<EOF
TLS:    servers started with TLS_CERT and TLS_KEY: a self-signed EC P-256 certificate (CN=localhost, SAN localhost and 127.0.0.1) made for this run by
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1
        every server: TLS 1.3 only, TLS_AES_128_GCM_SHA256, ALPN http/1.1 (checked with openssl s_client before measuring)
        plaintext-tls, json-tls: the wrk command above with https://, OPENSSL_CONF offering TLS 1.3, TLS_AES_128_GCM_SHA256, X25519 only (wrk sends no ALPN)
        handshake-tls: GOMAXPROCS=1 taskset -c $wrk_cpus benchmarks/load/handshake/handshake -c $connections -d ${duration}s -timeout 10s https://127.0.0.1:PORT/
                       (a new connection and a full TLS 1.3 handshake per request, X25519, ALPN http/1.1, never resumed)
EOF
  for c in "${runnable[@]}"; do
    if [ -f "$HERE/contenders/$c/tls" ]; then echo "        $c: $(cat "$HERE/contenders/$c/tls")" >> "$out/command.txt"; fi
  done
fi

failed=()
for p in "${profile_list[@]}"; do
  if $paired; then
    measure_paired "$p"
    continue
  fi
  for r in $(seq 1 "$repeats"); do
    for c in "${runnable[@]}"; do
      case " ${failed[*]} " in *" $c "*) continue ;; esac
      if ! serves "$c" "$p"; then
        [ "$r" = 1 ] && note "$(not_served "$c" "$p")"
        continue
      fi
      measure "$c" "$p" "$r" || failed+=("$c")
    done
  done
done

# ---- the report ----

{
  echo "machine=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
  echo "cpus=$(nproc)"
  echo "kernel=$(uname -sr)"
  echo "jdk=$java_version"
  echo "wrk=$(wrk -v 2>&1 | head -n 1 | sed 's/ Copyright.*//')"
  if $any_tls; then echo "tls=$(openssl version)$(command -v go >/dev/null && echo ", handshake-tls generator: $(go version | cut -d' ' -f3)")"; fi
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet 2>/dev/null || echo ' (with local changes)')"
} > "$out/machine.txt"
python3 "$HERE/report.py" "$out"
if command -v gnuplot >/dev/null; then
  for f in "$out"/chart-*.gp; do [ -f "$f" ] && (cd "$out" && gnuplot "$(basename "$f")") || true; done
fi
if ! $smoke && [ "$(dirname "$out")" = "$HERE/results" ]; then ln -sfn "$(basename "$out")" "$HERE/results/latest"; fi
log "report: $out/results.md"
if [ ${#failed[@]} -gt 0 ]; then
  log "FAILED contenders: ${failed[*]} (see $out/notes.txt)"
  exit 1
fi
