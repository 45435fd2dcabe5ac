/**
 * fasthttp4j: a fast HTTP/1.1 library built on reuse. The model ({@code io.fasthttp4j}) and the
 * reuse primitives ({@code io.fasthttp4j.pool}) are the API; {@code io.fasthttp4j.internal.*} is not
 * exported and may change without notice.
 */
module io.fasthttp4j {
    requires jdk.net;   // TCP keep-alive tuning (ExtendedSocketOptions)

    exports io.fasthttp4j;
    exports io.fasthttp4j.client;
    exports io.fasthttp4j.pool;
    exports io.fasthttp4j.server;
    exports io.fasthttp4j.testing;
    exports io.fasthttp4j.tls;
}
