package io.fasthttp4j.client;

import java.time.Duration;

/**
 * The settings {@link HostClient} and {@link Client} share: those of every client
 * ({@link ConnSettingsBuilder}: timeouts, buffers, limits, retries, dialing, TLS trust) and the
 * connection pool's and the retry rule. A {@link Client} applies them to each host's {@link HostClient};
 * its hosts share one DNS cache and one limit on dials in flight.
 */
public abstract sealed class SettingsBuilder<B extends SettingsBuilder<B>> extends ConnSettingsBuilder<B>
        permits HostClient.Builder, Client.Builder {
    /** Default of {@link #maxConns(int)}, as fasthttp's DefaultMaxConnsPerHost. */
    public static final int DEFAULT_MAX_CONNS = 512;

    private int maxConns = DEFAULT_MAX_CONNS;
    private Duration maxConnDuration = Duration.ZERO;
    private Duration maxConnWaitTimeout = Duration.ZERO;
    private RetryIf retryIf;

    SettingsBuilder() {
    }

    /**
     * Most connections open to one host at a time, busy or idle. Default {@value #DEFAULT_MAX_CONNS}.
     * A call that finds them all busy waits up to {@link #maxConnWaitTimeout}, then fails with
     * {@link HttpClientException.NoFreeConnections}: the cap keeps one slow host from taking every
     * socket and thread.
     */
    public B maxConns(int max) {
        maxConns = positive("maxConns", max);
        return self();
    }

    /**
     * How long a connection is used at all; one older is closed when its current response is read
     * (lets DNS or load-balancer changes take effect). Default zero: no limit.
     */
    public B maxConnDuration(Duration duration) {
        maxConnDuration = notNegative("maxConnDuration", duration);
        return self();
    }

    /**
     * How long a call waits for a free connection when all {@link #maxConns} are busy. Default zero:
     * it fails at once with {@link HttpClientException.NoFreeConnections}.
     */
    public B maxConnWaitTimeout(Duration duration) {
        maxConnWaitTimeout = notNegative("maxConnWaitTimeout", duration);
        return self();
    }

    /** Replaces the rule that decides which failed requests are retried (default: idempotent methods only). */
    public B retryIf(RetryIf rule) {
        retryIf = rule;
        return self();
    }

    Settings settings() {
        return settings(maxConns, maxConnDuration, maxConnWaitTimeout, retryIf);
    }
}
