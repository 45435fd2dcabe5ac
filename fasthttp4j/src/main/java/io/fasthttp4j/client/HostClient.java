package io.fasthttp4j.client;

import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client for one host (or several equivalent ones, {@code "a:80,b:80"}, dialled round-robin), with
 * a pool of keep-alive connections: fasthttp's HostClient. {@link #doRequest} writes the request and
 * reads the response on the calling thread with blocking I/O, which a virtual thread does cheaply; in
 * steady state a call allocates nothing of its own. Thread-safe: share one per host.
 *
 * <p>A request's URI may be origin-form ({@code "/path?q"}) or absolute ({@code "http://h/path"}):
 * either way the request line carries the origin-form, and a Host field is added when the request has
 * none (from the URI, else the first address). The connection always goes to this client's address.
 *
 * <p>With {@link Builder#tls tls(true)} every connection speaks TLS (JSSE's {@code SSLEngine} over the
 * same blocking socket, so the same deadlines apply); the certificate must match the address's host
 * name. See {@link SettingsBuilder} for the proxy, the DNS cache and the limit on dials in flight.
 *
 * <pre>{@code
 * HostClient client = HostClient.builder("127.0.0.1:8080").readTimeout(Duration.ofSeconds(5)).build();
 * Request request = Client.acquireRequest();
 * Response response = Client.acquireResponse();
 * try {
 *     request.header().setRequestUri("/hello");
 *     client.doRequest(request, response);
 *     use(response.statusCode(), response.body());
 * } finally {
 *     Client.releaseRequest(request);
 *     Client.releaseResponse(response);
 * }
 * }</pre>
 */
public final class HostClient implements AutoCloseable {
    private static final int RETIRED = Integer.MIN_VALUE / 2;

    private final String addr;
    private final String[] hosts;
    private final int[] ports;
    private final byte[] defaultHost;           // the Host field for a request that names no host
    private final Settings settings;
    private final ConnPool connections;
    private final Sweeper sweeper;
    private final Dialer dialer;
    private final AtomicInteger nextAddress = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();   // RETIRED and below: removed from its Client
    private volatile long lastUsedNanos = System.nanoTime();

    HostClient(String addr, Settings settings, Sweeper sweeper, Dialer dialer) {
        this.addr = addr;
        this.settings = settings;
        String[] parts = addr.split(",");
        this.hosts = new String[parts.length];
        this.ports = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.isEmpty()) throw new IllegalArgumentException("empty address in \"" + addr + "\"");
            HostPort hp = HostPort.parse(part, settings.tls() ? 443 : 80);
            hosts[i] = hp.host();
            ports[i] = hp.port();
        }
        this.defaultHost = parts[0].trim().getBytes(StandardCharsets.US_ASCII);
        this.connections = new ConnPool(addr, settings.maxConns(), settings.maxIdleConnNanos(), settings.maxConnNanos(),
                settings.maxConnWaitNanos());
        this.sweeper = sweeper == null ? new Sweeper("fasthttp4j-client-sweeper " + addr) : sweeper;
        this.sweeper.register(connections);
        this.dialer = dialer;
    }

    /** Starts a builder for a client of {@code addr}: {@code "host:port"}, or several, comma-separated. */
    public static Builder builder(String addr) {
        return new Builder(addr);
    }

    /** A host and port from {@code "host"}, {@code "host:port"}, {@code "[v6]"} or {@code "[v6]:port"}. */
    record HostPort(String host, int port) {
        static HostPort parse(String part, int defaultPort) {
            if (part.isEmpty()) throw new IllegalArgumentException("empty address");
            String host = part;
            String port = null;
            if (part.startsWith("[")) {
                int close = part.indexOf(']');
                if (close < 0) throw new IllegalArgumentException("unclosed '[' in address \"" + part + "\"");
                host = part.substring(1, close);
                String rest = part.substring(close + 1);
                if (!rest.isEmpty() && !rest.startsWith(":")) throw new IllegalArgumentException("invalid address \"" + part + "\"");
                if (!rest.isEmpty()) port = rest.substring(1);
            } else if (part.indexOf(':') >= 0) {
                if (part.indexOf(':') != part.lastIndexOf(':')) throw new IllegalArgumentException("IPv6 address without brackets: \"" + part + "\"");
                host = part.substring(0, part.indexOf(':'));
                port = part.substring(part.indexOf(':') + 1);
            }
            if (host.isEmpty()) throw new IllegalArgumentException("invalid address \"" + part + "\"");
            int number;
            try {
                number = port == null ? defaultPort : Integer.parseInt(port);
            } catch (NumberFormatException e) {
                number = -1;
            }
            if (number < 1 || number > 65535) throw new IllegalArgumentException("invalid port in address \"" + part + "\"");
            return new HostPort(host, number);
        }
    }

    /** The address this client was built for, as given. */
    public String addr() {
        return addr;
    }

    /**
     * Sends {@code request} and reads the response into {@code response} (reset first), within the
     * read and write timeouts. A request that fails on a stale pooled connection before any response
     * byte arrives is sent again, up to {@code maxIdempotentCallAttempts} (see {@link RetryIf}).
     * The response owns its bytes: it stays valid until it is reset or released.
     *
     * <p>A request with a body stream ({@link Request#setBodyStream}) is sent once and never retried.
     * A response marked {@link Response#setStreamBody} is returned once its header is read; its
     * {@link Response#bodyStream()} then holds the connection until the body is read or the stream
     * closed (releasing the response closes it).
     *
     * @throws HttpClientException for the failures a caller may want to tell apart (its subtypes)
     * @throws IOException         when the connection cannot be set up (refused, unknown host...)
     */
    public void doRequest(Request request, Response response) throws IOException {
        doDeadlineNanos(request, response, 0);
    }

    /** Like {@link #doRequest}, failing with {@link HttpClientException.Timeout} if the whole call (waiting for a connection included) takes longer than {@code timeout}. */
    public void doTimeout(Request request, Response response, Duration timeout) throws IOException {
        doDeadlineNanos(request, response, HttpWire.deadlineAfter(timeout.toNanos()));
    }

    /** Like {@link #doTimeout}, with an absolute deadline. */
    public void doDeadline(Request request, Response response, Instant deadline) throws IOException {
        doDeadlineNanos(request, response, HttpWire.deadlineAfter(Duration.between(Instant.now(), deadline).toNanos()));
    }

    void doDeadlineNanos(Request request, Response response, long deadline) throws IOException {
        if (!doDeadlineNanosIfActive(request, response, deadline)) {
            throw new HttpClientException.ConnectionClosed("client for " + addr + " was removed as idle", null);
        }
    }

    /** Does the call unless this client was retired by its {@link Client}; false then, and nothing was sent. */
    boolean doDeadlineNanosIfActive(Request request, Response response, long deadline) throws IOException {
        if (!enter()) return false;
        try {
            boolean replayable = !request.hasBodyStream();   // a body stream is read once: its request is sent once
            for (int attempt = 1; ; attempt++) {
                try {
                    doOnce(request, response, deadline);
                    return true;
                } catch (HttpClientException e) {
                    if (!e.staleConnection || !replayable || attempt >= settings.maxIdempotentCallAttempts() || !mayRetry(request, attempt, e)) throw e;
                }
            }
        } finally {
            pending.decrementAndGet();
            lastUsedNanos = System.nanoTime();
        }
    }

    private boolean mayRetry(Request request, int attempt, HttpClientException e) {
        RetryIf rule = settings.retryIf();
        return rule != null ? rule.retry(request, attempt, e) : isIdempotent(request);
    }

    // RFC 9110 §9.2.2
    private static boolean isIdempotent(Request request) {
        var h = request.header();
        return h.isGet() || h.isHead() || h.isPut() || h.isDelete() || h.isOptions() || h.isTrace();
    }

    private void doOnce(Request request, Response response, long deadline) throws IOException {
        boolean streamBody = response.isStreamBody();
        response.reset();   // closes the body stream of the response before, if any
        response.setStreamBody(streamBody);
        ClientConn conn = connections.acquire(deadline);
        if (conn == null) conn = dial(deadline);
        try {
            conn.target.parse(request);
        } catch (RuntimeException e) {   // a bad URI: nothing was sent, the connection is fine
            connections.release(conn, true);
            throw e;
        }
        boolean reusable = false;
        try {
            reusable = conn.roundTrip(request, response, defaultHost, deadline, settings.writeTimeoutNanos(), settings.readTimeoutNanos());
        } catch (HttpClientException e) {
            e.staleConnection = e instanceof HttpClientException.ConnectionClosed && conn.requests > 0 && conn.received() == 0;
            throw e;
        } finally {
            if (!conn.bodyStreaming()) connections.release(conn, reusable);   // else the response's body stream releases it
        }
    }

    private ClientConn dial(long deadline) throws IOException {
        int i = Math.floorMod(nextAddress.getAndIncrement(), hosts.length);
        return dialer.dial(connections, sweeper, settings, hosts[i], ports[i], deadline);
    }

    /** {@code host:port}, the host in brackets when it is an IPv6 literal. */
    static String authority(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Closes the idle connections now (busy ones stay open); returns how many were closed. */
    public int closeIdleConnections() {
        return connections.closeIdle();
    }

    /** Open connections to the host, busy or idle, and those being dialled. */
    public int connsCount() {
        return connections.connsCount();
    }

    /** Idle connections in the pool. */
    public int idleConnsCount() {
        return connections.idleCount();
    }

    /** Calls in progress, waiting for a connection included. */
    public int pendingRequests() {
        return Math.max(pending.get(), 0);
    }

    /** Closes idle connections and refuses new calls; calls in progress finish and then close their connections. */
    @Override
    public void close() {
        connections.close();
    }

    // ---- for Client: entering, and retiring when idle ----

    private boolean enter() {
        return pending.getAndIncrement() >= 0;
    }

    /** Retires this client if nobody uses it and it holds no connection; a later call on it then fails. */
    boolean retireIfIdle(long now, long maxIdleNanos) {
        if (now - lastUsedNanos < maxIdleNanos || connections.connsCount() > 0) return false;
        if (!pending.compareAndSet(0, RETIRED)) return false;
        connections.close();   // closes a connection released between the check and the retirement
        return true;
    }

    boolean isRetired() {
        return pending.get() < 0;
    }

    @Override
    public String toString() {
        return "HostClient[" + addr + ", conns=" + connsCount() + ", pending=" + pendingRequests() + "]";
    }

    /** Collects the settings of a {@link HostClient}; see {@link SettingsBuilder} for each. */
    public static final class Builder extends SettingsBuilder<Builder> {
        private final String addr;
        private boolean tls;

        private Builder(String addr) {
            if (addr == null || addr.isBlank()) throw new IllegalArgumentException("empty address");
            this.addr = addr;
        }

        /**
         * Speaks https: TLS on every connection, port 443 where the address names none. Default false.
         * See {@link #sslContext} for trust, host-name verification and SNI.
         */
        public Builder tls(boolean value) {
            tls = value;
            return this;
        }

        public HostClient build() {
            Settings settings = settings().withTls(tls);
            return new HostClient(addr, settings, null, dialer(settings));
        }
    }
}
