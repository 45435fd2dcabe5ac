#!/bin/sh
# Undertow 2.4: ./start.sh PORT (built by the harness: ./mvnw -Pload -pl benchmarks/load/contenders/undertow -am package)
dir=$(cd "$(dirname "$0")" && pwd)
exec "${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}" $LOAD_JVM_FLAGS -cp "$dir/target/undertow.jar" io.fasthttp4j.bench.undertow.Main "$1"
