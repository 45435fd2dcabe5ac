package io.fasthttp4j.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

/**
 * Opens a client's connections: waits for one of {@code maxConcurrentDials} slots, resolves the name
 * through the {@link DnsCache}, connects (each address of the name once, round-robin), opens a CONNECT
 * tunnel when a proxy is set, and does the TLS handshake for https. One per {@link Client} (its host
 * clients share it) or per {@link HostClient} built alone. Thread-safe.
 *
 * <p>The dial timeout (or the call's deadline, if earlier) bounds all of it: the wait for a slot, the
 * connect, the CONNECT exchange and the handshake; the sweeper enforces it by closing the socket. A
 * name lookup counts against it but cannot be cut short: the JDK's resolver has no timeout. A
 * {@link PipelineClient} dials its connections here too, with its own dialer.
 */
final class Dialer {
    private final DnsCache dns;
    private final Semaphore slots;
    private final int maxConcurrentDials;
    private final HttpProxy proxy;                 // null: connect directly
    private final SSLContext sslContext;           // null: SSLContext.getDefault(), looked up on the first https dial

    Dialer(Settings settings, DnsCache.Resolver resolver) {
        this.dns = new DnsCache(settings.dnsCacheNanos(), resolver);
        this.maxConcurrentDials = settings.maxConcurrentDials();
        this.slots = new Semaphore(maxConcurrentDials);
        this.proxy = settings.proxy();
        this.sslContext = settings.sslContext();
    }

    /**
     * Opens a connection to {@code host:port} for {@code pool}, which has counted it already (see
     * {@link ConnPool#acquire}); the count is given back when dialing fails. The new connection is
     * busy: the caller releases it to the pool.
     *
     * @throws HttpClientException.DialTimeout past the dial timeout or the call's deadline
     * @throws HttpClientException.ProxyRefused when the proxy answers CONNECT with other than 2xx
     * @throws SSLHandshakeException when the server is not trusted or its name does not match
     */
    ClientConn dial(ConnPool pool, Sweeper sweeper, Settings settings, String host, int port, long deadline) throws IOException {
        long dialDeadline = HttpWire.earliest(deadline, settings.dialTimeoutNanos());
        String name = HostClient.authority(host, port);
        ClientConn conn = null;
        boolean slot = false;
        boolean dialed = false;
        try {
            acquireSlot(name, dialDeadline);
            slot = true;
            InetAddress[] addresses = dns.addressesInTurn(proxy == null ? host : proxy.host());
            conn = new ClientConn(pool, name, settings);
            pool.dialed(conn);
            sweeper.ensureRunning();
            open(conn.wire, addresses, host, port, settings.tls(), dialDeadline);
            dialed = true;
            return conn;
        } finally {
            if (!dialed) giveBack(pool, conn);
            if (slot) slots.release();
        }
    }

    /**
     * Connects {@code wire} to {@code host:port}, through the proxy if one is set, and does the TLS
     * handshake when {@code tls}, within {@code dialDeadline} (0: none), which the caller's sweeper
     * enforces on the wire. For a connection that is not pooled ({@link PipelineConn}); the caller
     * closes the wire when this fails.
     *
     * @throws HttpClientException.DialTimeout past the deadline
     * @throws HttpClientException.ProxyRefused when the proxy answers CONNECT with other than 2xx
     * @throws SSLHandshakeException when the server is not trusted or its name does not match
     */
    void dial(HttpWire wire, String host, int port, boolean tls, long dialDeadline) throws IOException {
        boolean slot = false;
        try {
            acquireSlot(HostClient.authority(host, port), dialDeadline);
            slot = true;
            open(wire, dns.addressesInTurn(proxy == null ? host : proxy.host()), host, port, tls, dialDeadline);
        } finally {
            if (slot) slots.release();
        }
    }

    private static void giveBack(ConnPool pool, ClientConn conn) {
        if (conn == null) {
            pool.dialFailed();
        } else {
            conn.abort();
            pool.release(conn, false);
        }
    }

    /** Takes one of the {@code maxConcurrentDials} slots, waiting up to {@code dialDeadline} (0: for ever). */
    private void acquireSlot(String name, long dialDeadline) throws HttpClientException {
        if (slots.tryAcquire() || awaitSlot(dialDeadline)) return;
        throw new HttpClientException.DialTimeout("dialing " + name + ": timed out waiting for one of maxConcurrentDials="
                + maxConcurrentDials + " dials in flight to end");
    }

    // Semaphore queues allocate, but only while dials wait for a slot: dialing is rare.
    private boolean awaitSlot(long dialDeadline) throws HttpClientException {
        try {
            long left = dialDeadline == 0 ? Long.MAX_VALUE : dialDeadline - System.nanoTime();
            return left > 0 && slots.tryAcquire(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpClientException.DialTimeout("interrupted while waiting for a dial slot");
        }
    }

    /** Connects the wire to one of {@code addresses}, opens the proxy's tunnel, does the TLS handshake; all within {@code dialDeadline}. */
    private void open(HttpWire wire, InetAddress[] addresses, String host, int port, boolean tls, long dialDeadline) throws IOException {
        String name = HostClient.authority(host, port);
        String doing = "connecting to " + (proxy == null ? name : "proxy " + proxy.name());
        try {
            wire.setDeadline(dialDeadline);
            connect(wire, addresses, proxy == null ? port : proxy.port());
            if (proxy != null) {
                doing = "waiting for proxy " + proxy.name() + " to open a tunnel";
                wire.openTunnel(proxy.connectRequest(name), proxy.name());
            }
            if (tls) {
                doing = "in the TLS handshake";
                wire.startTls(newEngine(host, port));
            }
            wire.setDeadline(0);
        } catch (IOException | RuntimeException e) {
            if (wire.timedOut()) {
                throw new HttpClientException.DialTimeout("dialing " + name + ": timed out " + doing + " (dial timeout or the call's deadline)");
            }
            if (e instanceof SSLHandshakeException) throw handshakeFailed(name, e);
            throw e;
        }
    }

    /** Connects to the addresses in turn, until one takes the connection; a refusal moves on to the next. */
    private static void connect(HttpWire wire, InetAddress[] addresses, int port) throws IOException {
        IOException failure = null;
        for (InetAddress address : addresses) {
            SocketChannel channel = SocketChannel.open();
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                wire.attach(channel);   // refused once the sweeper has closed the previous channel
                channel.connect(new InetSocketAddress(address, port));
                return;
            } catch (IOException e) {
                channel.close();
                if (wire.timedOut()) throw e;
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        throw failure;
    }

    /** A client engine for {@code host}: its name checked against the certificate (RFC 9110 §4.3.4), SNI unless an IP literal. */
    private SSLEngine newEngine(String host, int port) throws IOException {
        SSLEngine engine = context().createSSLEngine(host, port);   // the peer's name and port key session resumption
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        if (!DnsCache.isIpLiteral(host)) {
            // The JDK sends SNI by itself only for names with a dot, so not for "localhost"; RFC 6066 §3: no trailing dot.
            String sni = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
            try {
                parameters.setServerNames(List.of(new SNIHostName(sni)));
            } catch (IllegalArgumentException e) {
                // not a valid SNI host name (an underscore, say): send none, the certificate check still applies
            }
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    private SSLContext context() throws IOException {
        if (sslContext != null) return sslContext;
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("no default SSLContext", e);
        }
    }

    private static SSLHandshakeException handshakeFailed(String name, Exception e) {
        var wrapped = new SSLHandshakeException("TLS handshake with " + name + " failed: " + e.getMessage());
        wrapped.initCause(e);
        return wrapped;
    }

    /** Dials in flight now (tests). */
    int dialsInFlight() {
        return maxConcurrentDials - slots.availablePermits();
    }

    /** The name cache (tests). */
    DnsCache dns() {
        return dns;
    }
}
