#!/bin/sh
# fasthttp4j on its event-loop transport (Server.builder(h).eventLoop(true)): the fasthttp4j contender's
# jar with --event-loop. Contract: benchmarks/load/README.md.
here=$(cd "$(dirname "$0")" && pwd)
exec "${JAVA:-java}" $LOAD_JVM_FLAGS -cp "$here/../fasthttp4j/target/contender.jar" io.fasthttp4j.bench.fasthttp4j.Main "$1" --event-loop
