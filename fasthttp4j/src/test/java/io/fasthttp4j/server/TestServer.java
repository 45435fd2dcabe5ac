package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A server on 127.0.0.1 and a free port, for integration tests. {@link #close()} shuts it down and
 * fails the test if a pooled context is still out (every acquire must be paired with one release);
 * the pools are checked, so a double release fails at once.
 */
public final class TestServer implements AutoCloseable {
    private final Server server;
    private final SocketAddress address;

    private TestServer(Server server, String listenAddress) throws IOException {
        this.server = server;
        this.address = listenAddress.startsWith("unix:") ? server.startUnix(java.nio.file.Path.of(listenAddress.substring(5)))
                : server.start(listenAddress);
    }

    /** Starts a server with the default settings (and checked pools). */
    public static TestServer start(RequestHandler handler) {
        return start(handler, b -> b);
    }

    /**
     * System property naming the transport every TestServer uses: "eventloop" for the event-loop
     * transport (two loops), anything else for virtual threads. The build runs the integration tests
     * once with each, so every test covers both.
     */
    public static final String TRANSPORT_PROPERTY = "fasthttp4j.test.transport";

    /** True when the tests run against the event-loop transport. */
    public static boolean eventLoop() {
        return "eventloop".equals(System.getProperty(TRANSPORT_PROPERTY));
    }

    /** Starts a server configured by {@code configure}, e.g. {@code b -> b.readTimeout(Duration.ofSeconds(1))}. */
    public static TestServer start(RequestHandler handler, UnaryOperator<Server.Builder> configure) {
        return startOn("127.0.0.1:0", handler, configure);
    }

    /** Starts a server configured by {@code configure} on {@code listenAddress}, e.g. "unix:/tmp/x/s.sock". */
    public static TestServer startOn(String listenAddress, RequestHandler handler, UnaryOperator<Server.Builder> configure) {
        try {
            Server.Builder builder = Server.builder(handler).checkedPools(true);
            if (eventLoop()) builder.eventLoops(2);
            return new TestServer(configure.apply(builder).build(), listenAddress);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The TCP port; fails for a Unix domain socket server. */
    public int port() {
        return ((InetSocketAddress) address).getPort();
    }

    /** The address it listens on: an {@link InetSocketAddress}, or a {@link java.net.UnixDomainSocketAddress}. */
    public SocketAddress address() {
        return address;
    }

    public Server server() {
        return server;
    }

    /** "http://127.0.0.1:port" + {@code path}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    @Override
    public void close() {
        boolean graceful = server.shutdown(Duration.ofSeconds(10));
        assertEquals(0, server.openConnections(), "connections still open after shutdown");
        assertEquals(0, server.contextsInUse(), "RequestCtx acquired but not released");
        assertEquals(0, server.tlsBuffersInUse(), "TLS buffers taken but not given back");
        // Shutdown drops every pooled context: what their buffers charged to the budget must all be back.
        assertEquals(0, server.bufferedBodyBytes(), "maxBufferedBodyBytes budget still charged after shutdown");
        assertEquals(true, graceful, "shutdown had to force-close connections");
    }
}
