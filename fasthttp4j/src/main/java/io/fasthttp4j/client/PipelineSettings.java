package io.fasthttp4j.client;

import io.fasthttp4j.HttpLimits;
import java.util.concurrent.ThreadFactory;

/** The settings a {@link PipelineClient} runs with, immutable; built by {@link PipelineClient.Builder}. Times in nanoseconds, 0 for none. */
record PipelineSettings(
        int maxConns,
        int maxPendingRequests,
        long maxBatchDelayNanos,
        long maxIdleConnNanos,
        long dialTimeoutNanos,
        long readTimeoutNanos,
        long writeTimeoutNanos,
        int readBufferSize,
        int writeBufferSize,
        HttpLimits responseLimits,
        int maxIdempotentCallAttempts,
        ThreadFactory threadFactory) {
}
