#!/bin/sh
# Vert.x 5: ./start.sh PORT (built by the harness: ./mvnw -Pload -pl benchmarks/load/contenders/vertx -am package)
dir=$(cd "$(dirname "$0")" && pwd)
exec "${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}" $LOAD_JVM_FLAGS -cp "$dir/target/vertx.jar" io.fasthttp4j.bench.vertx.Main "$1"
