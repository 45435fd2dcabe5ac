#!/bin/sh
# Jetty 12.1: ./start.sh PORT (built by the harness: ./mvnw -Pload -pl benchmarks/load/contenders/jetty -am package)
dir=$(cd "$(dirname "$0")" && pwd)
exec "${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}" $LOAD_JVM_FLAGS -cp "$dir/target/jetty.jar" io.fasthttp4j.bench.jetty.Main "$1"
