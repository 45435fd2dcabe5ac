package io.fasthttp4j.server;

import java.net.SocketAddress;

/**
 * Told of every connection state change. Runs on the connection's thread, between requests: keep it
 * short and non-blocking (a counter, a log line).
 */
@FunctionalInterface
public interface ConnStateListener {
    void onStateChange(long connId, SocketAddress remoteAddress, ConnState state);
}
