package io.fasthttp4j.client;

import io.fasthttp4j.HttpLimits;
import javax.net.ssl.SSLContext;

/** The settings a {@link HostClient} runs with, immutable; built by {@link SettingsBuilder}. Times in nanoseconds, 0 for none. */
record Settings(
        int maxConns,
        long maxIdleConnNanos,
        long maxConnNanos,
        long maxConnWaitNanos,
        long dialTimeoutNanos,
        long readTimeoutNanos,
        long writeTimeoutNanos,
        int readBufferSize,
        int writeBufferSize,
        HttpLimits responseLimits,
        int maxIdempotentCallAttempts,
        RetryIf retryIf,
        boolean tls,
        SSLContext sslContext,      // null: SSLContext.getDefault()
        HttpProxy proxy,            // null: none
        long dnsCacheNanos,
        int maxConcurrentDials) {

    Settings withTls(boolean value) {
        return new Settings(maxConns, maxIdleConnNanos, maxConnNanos, maxConnWaitNanos, dialTimeoutNanos, readTimeoutNanos,
                writeTimeoutNanos, readBufferSize, writeBufferSize, responseLimits, maxIdempotentCallAttempts, retryIf, value,
                sslContext, proxy, dnsCacheNanos, maxConcurrentDials);
    }
}
