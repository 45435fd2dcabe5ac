#!/bin/sh
# Builds the fasthttp4j contender, whose jar this one runs (a no-op when the harness built it already).
set -e
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$here/../fasthttp4j/target/contender.jar" ] && exit 0
cd "$here/../../../.." && ./mvnw -q -Pload -pl benchmarks/load/contenders/fasthttp4j -am package -DskipTests
