package io.fasthttp4j.client;

import io.fasthttp4j.HttpLimits;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The settings every client shares ({@link HostClient}, {@link Client}, {@link PipelineClient}):
 * connection lifetime, timeouts, buffers, response limits, retries, and dialing (proxy, DNS cache,
 * dials in flight, TLS trust). {@link SettingsBuilder} adds the pool's for {@link HostClient} and
 * {@link Client}; {@link PipelineClient.Builder} adds the pipeline's.
 */
public abstract sealed class ConnSettingsBuilder<B extends ConnSettingsBuilder<B>> permits SettingsBuilder, PipelineClient.Builder {
    /** Default of {@link #maxIdleConnDuration(Duration)}: 10 s, as fasthttp. */
    public static final Duration DEFAULT_MAX_IDLE_CONN_DURATION = Duration.ofSeconds(10);
    /** Default of {@link #dialTimeout(Duration)}: 3 s, as fasthttp. */
    public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(3);
    /** Default of {@link #readBufferSize(int)}. */
    public static final int DEFAULT_READ_BUFFER_SIZE = 4096;
    /** Default of {@link #writeBufferSize(int)}. */
    public static final int DEFAULT_WRITE_BUFFER_SIZE = 4096;
    /** Default of {@link #maxResponseBodySize(long)}: 64 MiB. */
    public static final long DEFAULT_MAX_RESPONSE_BODY_SIZE = 64L * 1024 * 1024;
    /** Default of {@link #maxIdempotentCallAttempts(int)}, as fasthttp. */
    public static final int DEFAULT_MAX_IDEMPOTENT_CALL_ATTEMPTS = 5;
    /** Default of {@link #dnsCacheDuration(Duration)}: 1 minute, as fasthttp's DefaultDNSCacheDuration. */
    public static final Duration DEFAULT_DNS_CACHE_DURATION = Duration.ofMinutes(1);
    /** Default of {@link #maxConcurrentDials(int)}, as the concurrency of fasthttp's default TCPDialer. */
    public static final int DEFAULT_MAX_CONCURRENT_DIALS = 1000;

    private Duration maxIdleConnDuration = DEFAULT_MAX_IDLE_CONN_DURATION;
    private Duration dialTimeout = DEFAULT_DIAL_TIMEOUT;
    private Duration readTimeout = Duration.ZERO;
    private Duration writeTimeout = Duration.ZERO;
    private int readBufferSize = DEFAULT_READ_BUFFER_SIZE;
    private int writeBufferSize = DEFAULT_WRITE_BUFFER_SIZE;
    private long maxResponseBodySize = DEFAULT_MAX_RESPONSE_BODY_SIZE;
    private HttpLimits limits = HttpLimits.defaults();
    private int maxIdempotentCallAttempts = DEFAULT_MAX_IDEMPOTENT_CALL_ATTEMPTS;
    private HttpProxy proxy;
    private Duration dnsCacheDuration = DEFAULT_DNS_CACHE_DURATION;
    private int maxConcurrentDials = DEFAULT_MAX_CONCURRENT_DIALS;
    private SSLContext sslContext;
    private DnsCache.Resolver resolver;   // tests: counts or fakes lookups

    ConnSettingsBuilder() {
    }

    @SuppressWarnings("unchecked")
    final B self() {
        return (B) this;
    }

    /**
     * How long a connection with nothing to do is kept: idle in the pool, or with nothing in flight
     * on a {@link PipelineClient}; then it is closed. Default 10 s.
     */
    public B maxIdleConnDuration(Duration duration) {
        maxIdleConnDuration = positive("maxIdleConnDuration", duration);
        return self();
    }

    /**
     * Longest setting up a connection may take: waiting for a dial slot ({@link #maxConcurrentDials}),
     * the TCP connect, the proxy's CONNECT and the TLS handshake together; past it
     * {@link HttpClientException.DialTimeout} (on a {@link PipelineClient}, for the calls queued), and
     * the socket is closed. Default 3 s. A name lookup counts against it but is not cut short (the
     * JDK's resolver has no timeout).
     */
    public B dialTimeout(Duration duration) {
        dialTimeout = positive("dialTimeout", duration);
        return self();
    }

    /**
     * Longest the whole response may take to arrive, from the end of the request's write; past it the
     * connection is closed and the call fails with {@link HttpClientException.Timeout}. Default zero:
     * none (as fasthttp; a call's own deadline still applies, see {@code doTimeout}). On a
     * {@link PipelineClient} it is the longest wait for the next response while requests are in
     * flight, counted from the previous response (or from the request, on a connection that had none
     * in flight): the late request fails with {@code Timeout}, those behind it with
     * {@link HttpClientException.ConnectionClosed}.
     */
    public B readTimeout(Duration duration) {
        readTimeout = notNegative("readTimeout", duration);
        return self();
    }

    /**
     * Longest writing a request (on a {@link PipelineClient}, a batch of them) may take; past it the
     * connection is closed and its calls fail with {@link HttpClientException.Timeout}. Default zero: none.
     */
    public B writeTimeout(Duration duration) {
        writeTimeout = notNegative("writeTimeout", duration);
        return self();
    }

    /** Initial read buffer per connection; it grows (up to the header limit) for a larger header section. Default {@value #DEFAULT_READ_BUFFER_SIZE}. */
    public B readBufferSize(int bytes) {
        readBufferSize = positive("readBufferSize", bytes);
        return self();
    }

    /**
     * Initial write buffer per connection; it grows to the largest request written. A
     * {@link PipelineClient} writes a batch out once it holds this many bytes. Default {@value #DEFAULT_WRITE_BUFFER_SIZE}.
     */
    public B writeBufferSize(int bytes) {
        writeBufferSize = positive("writeBufferSize", bytes);
        return self();
    }

    /**
     * Largest response body accepted, decoded. Default {@value #DEFAULT_MAX_RESPONSE_BODY_SIZE} (64 MiB).
     * A larger declared Content-Length, or a chunked or close-delimited body that grows past it, fails
     * with {@link HttpClientException.BodyTooLarge} and the connection is closed (on a
     * {@link PipelineClient} the calls behind it fail with {@code ConnectionClosed}): the body is held
     * in memory, and a server must not be able to make us buffer without bound.
     */
    public B maxResponseBodySize(long bytes) {
        if (bytes < 1) throw new IllegalArgumentException("maxResponseBodySize must be at least 1, was " + bytes);
        maxResponseBodySize = bytes;
        return self();
    }

    /** Limits on the response's status line, header section and trailers; the body limit is {@link #maxResponseBodySize}. */
    public B limits(HttpLimits value) {
        limits = Objects.requireNonNull(value);
        return self();
    }

    /**
     * Most attempts for a request whose connection failed before any byte of its response arrived: a
     * stale pooled connection, or on a {@link PipelineClient} one the server ended under it. Default
     * {@value #DEFAULT_MAX_IDEMPOTENT_CALL_ATTEMPTS}; only idempotent methods are retried (on a
     * {@link HostClient} or {@link Client}, unless {@link SettingsBuilder#retryIf} says otherwise).
     */
    public B maxIdempotentCallAttempts(int attempts) {
        maxIdempotentCallAttempts = positive("maxIdempotentCallAttempts", attempts);
        return self();
    }

    /**
     * Sends every connection through the HTTP proxy at {@code addr} ({@code "host:port"}): the client
     * asks it for a tunnel with {@code CONNECT host:port}, and then speaks to the server through the
     * tunnel, TLS included for https. Plain http goes through a tunnel too, as with fasthttp's
     * FasthttpHTTPDialer: requests keep their origin-form, and the proxy sees no request but CONNECT.
     * The proxy's name is resolved through the DNS cache; the server's name is resolved by the proxy.
     * An answer other than 2xx fails the call with {@link HttpClientException.ProxyRefused}. Default:
     * no proxy.
     */
    public B proxy(String addr) {
        proxy = HttpProxy.of(addr, null, null);
        return self();
    }

    /** Like {@link #proxy(String)}, sending {@code Proxy-Authorization: Basic} with {@code user} and {@code password} (UTF-8, RFC 7617). */
    public B proxy(String addr, String user, String password) {
        proxy = HttpProxy.of(addr, Objects.requireNonNull(user, "user"), password);
        return self();
    }

    /**
     * How long a host name's resolved addresses are kept; new connections to the name go round-robin
     * over all of them, each dial trying the next address first and moving on to the others if it is
     * refused. Default 1 minute; zero looks the name up for each dial. IP literals are never looked up.
     * Only dials consult the cache: a call on an open connection does not.
     */
    public B dnsCacheDuration(Duration duration) {
        dnsCacheDuration = notNegative("dnsCacheDuration", duration);
        return self();
    }

    /**
     * Most connections being set up at once (connect, CONNECT and TLS handshake), over all hosts of a
     * {@link Client}. Default {@value #DEFAULT_MAX_CONCURRENT_DIALS}. A dial past it waits for one to end,
     * within the dial timeout and the call's deadline, then fails with
     * {@link HttpClientException.DialTimeout}: a burst of callers against a slow or unreachable host
     * must not open sockets and handshakes without bound.
     */
    public B maxConcurrentDials(int max) {
        maxConcurrentDials = positive("maxConcurrentDials", max);
        return self();
    }

    /**
     * The TLS context for https: its trust store decides which servers are trusted. Default null:
     * {@link SSLContext#getDefault()} (the JDK's trust store), looked up on the first https dial. Either
     * way the server's certificate must match the host name (or IP literal) dialled, and the name is
     * sent as SNI unless it is an IP literal. A failed handshake throws
     * {@link javax.net.ssl.SSLHandshakeException} naming the server; the connection is closed. Used by
     * {@link Client} for https URLs, and by {@link HostClient} and {@link PipelineClient} built with {@code tls(true)}.
     */
    public B sslContext(SSLContext context) {
        sslContext = context;
        return self();
    }

    /** Replaces the name lookup (tests: count or fake it). */
    B resolver(DnsCache.Resolver value) {
        resolver = value;
        return self();
    }

    /** A dialer with these settings and its own DNS cache and dial slots. */
    Dialer dialer(Settings settings) {
        return new Dialer(settings, resolver);
    }

    /** The settings collected here, with those of the pool that a subclass adds (0 and null: none); plain HTTP until {@link Settings#withTls}. */
    Settings settings(int maxConns, Duration maxConnDuration, Duration maxConnWaitTimeout, RetryIf retryIf) {
        return new Settings(maxConns, maxIdleConnDuration.toNanos(), maxConnDuration.toNanos(), maxConnWaitTimeout.toNanos(),
                dialTimeout.toNanos(), readTimeout.toNanos(), writeTimeout.toNanos(), readBufferSize, writeBufferSize,
                limits.toBuilder().maxBodyBytes(maxResponseBodySize).build(), maxIdempotentCallAttempts, retryIf, false,
                sslContext, proxy, dnsCacheDuration.toNanos(), maxConcurrentDials);
    }

    static int positive(String name, int value) {
        if (value < 1) throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        return value;
    }

    static Duration positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) throw new IllegalArgumentException(name + " must be positive, was " + value);
        return value;
    }

    static Duration notNegative(String name, Duration value) {
        if (value.isNegative()) throw new IllegalArgumentException(name + " must not be negative, was " + value);
        return value;
    }
}
