package io.fasthttp4j.server;

/**
 * Takes over a connection after its response has been written ({@link RequestCtx#hijack}): the base
 * for WebSocket and tunnels. Runs on the connection's thread; the server closes the connection when
 * it returns.
 */
@FunctionalInterface
public interface HijackHandler {
    void handle(HijackedConnection connection) throws Exception;
}
