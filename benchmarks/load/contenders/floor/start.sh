#!/bin/sh
# The floor: one NIO selector thread, canned bytes. Contract: benchmarks/load/README.md.
here=$(cd "$(dirname "$0")" && pwd)
exec "${JAVA:-java}" $LOAD_JVM_FLAGS -cp "$here/target/contender.jar" io.fasthttp4j.bench.floor.Main "$1"
