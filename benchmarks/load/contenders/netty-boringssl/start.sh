#!/bin/sh
# Netty 4.2 with BoringSSL (netty-tcnative-boringssl-static, SslProvider.OPENSSL): the netty contender's
# jar with --openssl. Serves the TLS profiles only (see profiles). Contract: benchmarks/load/README.md.
here=$(cd "$(dirname "$0")" && pwd)
exec "${JAVA:-java}" $LOAD_JVM_FLAGS -cp "$here/../netty/target/contender.jar" io.fasthttp4j.bench.netty.Main "$1" --openssl
