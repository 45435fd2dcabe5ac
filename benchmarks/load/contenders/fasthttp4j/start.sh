#!/bin/sh
# fasthttp4j, default transport (virtual threads). Contract: benchmarks/load/README.md.
here=$(cd "$(dirname "$0")" && pwd)
exec "${JAVA:-java}" $LOAD_JVM_FLAGS -cp "$here/target/contender.jar" io.fasthttp4j.bench.fasthttp4j.Main "$1"
