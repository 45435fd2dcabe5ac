package io.fasthttp4j.client;

import java.util.concurrent.ThreadFactory;

/**
 * The settings a {@link PipelineClient} runs with, immutable; built by {@link PipelineClient.Builder}.
 * {@code base} holds those it shares with {@link HostClient} (its {@code maxConns} is the pipeline's);
 * times in nanoseconds, 0 for none.
 */
record PipelineSettings(
        Settings base,
        int maxPendingRequests,
        long maxBatchDelayNanos,
        ThreadFactory threadFactory) {
}
