#!/bin/sh
# Helidon SE 4.5: ./start.sh PORT (built by the harness: ./mvnw -Pload -pl benchmarks/load/contenders/helidon -am package)
dir=$(cd "$(dirname "$0")" && pwd)
exec "${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}" $LOAD_JVM_FLAGS -cp "$dir/target/helidon.jar" io.fasthttp4j.bench.helidon.Main "$1"
