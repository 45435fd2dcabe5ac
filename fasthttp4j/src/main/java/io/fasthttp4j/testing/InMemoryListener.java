package io.fasthttp4j.testing;

import io.fasthttp4j.server.Server;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connects clients to a {@link Server} in memory (fasthttp's {@code InmemoryListener}): test a handler
 * through the real connection loop, codec and pools without sockets or ports.
 *
 * <pre>{@code
 * try (var listener = new InMemoryListener(server)) {
 *     InMemoryConnection c = listener.dial();
 *     c.outputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes());
 *     ... read the response from c.inputStream() ...
 * }
 * }</pre>
 * Each dialled connection is served on a virtual thread of its own. Thread-safe.
 */
public final class InMemoryListener implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(InMemoryListener.class.getName());
    /** Bytes buffered per direction before a writer blocks, like a socket's buffer. */
    public static final int PIPE_CAPACITY = 64 * 1024;

    private final Server server;
    private final AtomicInteger ports = new AtomicInteger(40000);
    private volatile boolean closed;

    public InMemoryListener(Server server) {
        this.server = server;
    }

    /** Opens a connection to the server; returns the client's end. */
    public InMemoryConnection dial() {
        if (closed) throw new IllegalStateException("listener closed");
        BytePipe toServer = new BytePipe(PIPE_CAPACITY);
        BytePipe toClient = new BytePipe(PIPE_CAPACITY);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        var clientAddress = new InetSocketAddress(loopback, ports.incrementAndGet());
        var serverAddress = new InetSocketAddress(loopback, 80);
        InMemoryConnection client = new InMemoryConnection(toClient, toServer, clientAddress, serverAddress);
        InMemoryConnection serverEnd = new InMemoryConnection(toServer, toClient, serverAddress, clientAddress);
        Thread.ofVirtual().name("fasthttp4j-inmemory").start(() -> {
            try {
                server.serveConn(serverEnd, clientAddress, serverAddress);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.DEBUG, "in-memory connection failed", e);
            } finally {
                serverEnd.close();
            }
        });
        return client;
    }

    /** Refuses further dials; connections already open stay open until closed. */
    @Override
    public void close() {
        closed = true;
    }
}
