package io.fasthttp4j.client;

import io.fasthttp4j.Request;

/**
 * Decides whether a request that failed on a pooled connection before any byte of the response
 * arrived (the server closed or reset a keep-alive connection we thought idle) is sent again on
 * another. Replaces the default rule, which retries idempotent methods only (RFC 9110 §9.2.2):
 * resending a POST may repeat its effect. Called on the caller's thread; must not block.
 */
@FunctionalInterface
public interface RetryIf {
    /**
     * @param attempt how many attempts failed so far (1 after the first)
     * @param error   why the last one failed
     */
    boolean retry(Request request, int attempt, HttpClientException error);
}
