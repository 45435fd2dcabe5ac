#!/bin/sh
# fasthttp4j (virtual threads) with Conscrypt (BoringSSL) as its TLS provider: TlsConfig.Builder.provider,
# as a user plugs it in. Serves the TLS profiles only (see profiles). Contract: benchmarks/load/README.md.
here=$(cd "$(dirname "$0")" && pwd)
exec "${JAVA:-java}" $LOAD_JVM_FLAGS -cp "$here/../fasthttp4j/target/contender.jar" io.fasthttp4j.bench.fasthttp4j.Main "$1" --conscrypt
