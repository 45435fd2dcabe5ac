#!/bin/sh
# Netty 4.2, native epoll. Contract: benchmarks/load/README.md.
here=$(cd "$(dirname "$0")" && pwd)
exec "${JAVA:-java}" $LOAD_JVM_FLAGS -cp "$here/target/contender.jar" io.fasthttp4j.bench.netty.Main "$1"
