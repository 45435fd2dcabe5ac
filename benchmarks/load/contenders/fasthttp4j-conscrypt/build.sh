#!/bin/sh
# Builds the fasthttp4j contender, whose jar this one runs. Always, even when the jar exists: a jar left
# from an earlier build would measure old code (Maven's incremental build makes a rebuild quick).
set -e
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../../../.." && ./mvnw -q -Pload -pl benchmarks/load/contenders/fasthttp4j -am package -DskipTests
