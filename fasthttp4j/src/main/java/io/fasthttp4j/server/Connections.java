package io.fasthttp4j.server;

import io.fasthttp4j.internal.io.ConnChannel;
import io.fasthttp4j.internal.io.PlainChannel;
import io.fasthttp4j.internal.tls.TlsBuffers;
import io.fasthttp4j.internal.tls.TlsServerChannel;
import io.fasthttp4j.tls.TlsConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * A server's open connections: registration with ids and per-address counts (maxConnsPerIp), state
 * changes told to the {@link ConnStateListener}, and the sweeper, one thread per server that closes
 * connections past their deadline and runs the periodic housekeeping. Deadlines are plain fields
 * the sweeper compares with the clock: a per-socket timeout would cost more than the request.
 * Thread-safe.
 */
final class Connections {
    private static final System.Logger LOG = System.getLogger(Server.class.getName());

    private final Set<ServerConn> open = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger count = new AtomicInteger();
    private final int maxConnsPerIp;
    private final ConnStateListener listener;
    private final TlsConfig tls;                // null: plain
    private final TlsBuffers tlsBuffers;        // the TLS stages' network and plaintext buffers; null: plain
    private final ProxyProtocolConfig proxyProtocol;
    private Thread sweeper;   // guarded by this

    Connections(ServerConfig config) {
        this.maxConnsPerIp = config.maxConnsPerIp();
        this.listener = config.connStateListener();
        this.tls = config.edge().tls();
        this.tlsBuffers = tls == null ? null : new TlsBuffers(tls.newEngine(null));
        this.proxyProtocol = config.edge().proxyProtocol();
    }

    /** The TLS stages' buffers; null without TLS. */
    TlsBuffers tlsBuffers() {
        return tlsBuffers;
    }

    /**
     * Counts and registers an accepted socket, with its pipeline: a PROXY protocol header first when
     * configured and the peer is trusted, TLS when configured. Null when its address has maxConnsPerIp
     * open already (counted by the socket's peer, the balancer's address behind one).
     *
     * @throws ProtocolException when the PROXY protocol is required and the peer is not trusted
     */
    ServerConn register(SocketChannel channel) throws IOException {
        SocketAddress remote = channel.getRemoteAddress();
        boolean proxied = proxyProtocol.mode() != ProxyProtocolConfig.Mode.OFF && trusts(remote);
        if (proxyProtocol.mode() == ProxyProtocolConfig.Mode.REQUIRED && !proxied) {
            throw new ProtocolException("connection from " + remote + " refused: the PROXY protocol is required and the peer is not trusted");
        }
        InetAddress ip = maxConnsPerIp > 0 ? ServerConn.ipOf(channel) : null;
        if (ip != null && !acquireIp(ip)) return null;
        ConnChannel pipe;
        ProxyHeaderChannel proxy = null;
        if (proxied) pipe = proxy = new ProxyHeaderChannel(channel, proxyProtocol, tls != null, unread -> pipeline(channel, remote, unread));
        else pipe = pipeline(channel, remote, null);
        ServerConn conn = new ServerConn(pipe, ids.incrementAndGet(), remote, channel.getLocalAddress(), ip);
        if (proxy != null) proxy.attach(conn);
        return add(conn);
    }

    /** True when the PROXY protocol config trusts {@code peer}: by its IP address, or as a Unix domain socket peer. */
    private boolean trusts(SocketAddress peer) {
        if (peer instanceof InetSocketAddress isa) return proxyProtocol.trusts(isa.getAddress());
        return peer instanceof UnixDomainSocketAddress && proxyProtocol.trustsUnixPeers();
    }

    /** The stages over a socket: TLS when configured, else plain; {@code unread}: bytes read from it already. */
    private ConnChannel pipeline(SocketChannel socket, SocketAddress remote, ByteBuffer unread) {
        if (tls == null) return new PlainChannel(socket, socket, unread);
        TlsServerChannel channel = new TlsServerChannel(socket, tls.newEngine(remote), tlsBuffers);
        if (unread != null) channel.unread(unread);
        return channel;
    }

    /** Counts and registers a connection over any byte channel (in memory). */
    ServerConn register(ByteChannel channel, SocketAddress remoteAddress, SocketAddress localAddress) {
        return add(new ServerConn(new PlainChannel(channel, null), ids.incrementAndGet(), remoteAddress, localAddress, null));
    }

    private ServerConn add(ServerConn conn) {
        count.incrementAndGet();
        open.add(conn);
        stateChanged(conn, ConnState.NEW);
        return conn;
    }

    private boolean acquireIp(InetAddress ip) {
        AtomicInteger n = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
        if (n.incrementAndGet() <= maxConnsPerIp) return true;
        releaseIp(ip);
        return false;
    }

    private void releaseIp(InetAddress ip) {
        perIp.computeIfPresent(ip, (k, n) -> n.decrementAndGet() == 0 ? null : n);
    }

    /** Counts {@code conn} out; once per connection, whoever calls it first. */
    void closed(ServerConn conn) {
        if (!open.remove(conn)) return;
        if (conn.remoteIp != null) releaseIp(conn.remoteIp);
        count.decrementAndGet();
        stateChanged(conn, ConnState.CLOSED);
    }

    /** The registered connection of {@code channel}, or null. Only for the rare failure path: a scan. */
    ServerConn find(SocketChannel channel) {
        for (ServerConn conn : open) {
            if (conn.socket == channel) return conn;
        }
        return null;
    }

    void stateChanged(ServerConn conn, ConnState state) {
        ConnStateListener l = listener;
        if (l == null) return;
        try {
            l.onStateChange(conn.id, conn.remoteAddress, state);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "connection state listener failed", e);
        }
    }

    void logError(ServerConn conn, IOException e) {
        // Resets, timeouts and clients that vanish are normal on the internet: debug level only.
        LOG.log(Level.DEBUG, () -> "connection #" + conn.id + " from " + conn.remoteAddress + ": " + e);
    }

    /** Connections open now. */
    int count() {
        return count.get();
    }

    /** Closes the connections waiting for their next request (shutdown). */
    void closeIdle() {
        for (ServerConn conn : open) {
            if (conn.transition(ServerConn.IDLE, ServerConn.CLOSED)) conn.abort();
        }
    }

    /** Closes every connection now, and tells its owner, which does the bookkeeping (shutdown past its time). */
    void closeAll() {
        for (ServerConn conn : open) {
            conn.close();   // directly: a loop stuck in a handler could not do it
            conn.abort();
        }
    }

    /** Waits until every connection is closed or the deadline passes. */
    void awaitClosed(long deadlineNanos) {
        while (count.get() > 0 && System.nanoTime() - deadlineNanos < 0) Server.sleepQuietly(5);
    }

    /**
     * Starts the sweeper (once): every {@code intervalMillis} it closes connections past their
     * deadline and runs {@code housekeeping} with the time; it ends when {@code stopped} says so and
     * no connection is left. It survives any failure of one round, out of memory included.
     */
    synchronized void startSweeper(long intervalMillis, LongConsumer housekeeping, BooleanSupplier stopped) {
        if (sweeper != null) return;
        sweeper = Thread.ofPlatform().name("fasthttp4j-sweeper").daemon().start(() -> {
            while (!(stopped.getAsBoolean() && count.get() == 0)) {
                try {
                    Thread.sleep(intervalMillis);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    long now = System.nanoTime();
                    closeOverdue(now);
                    housekeeping.accept(now);
                } catch (Throwable t) {
                    Server.ERRORS.log(Level.ERROR, "sweeper", "sweeper round failed; it goes on", t);
                }
            }
        });
    }

    private void closeOverdue(long now) {
        for (ServerConn conn : open) {
            if (conn.isOverdue(now)) {
                LOG.log(Level.DEBUG, () -> "connection #" + conn.id + " timed out");
                conn.abort();
            }
        }
    }
}
