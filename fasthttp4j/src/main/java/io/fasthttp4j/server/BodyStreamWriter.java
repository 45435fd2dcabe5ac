package io.fasthttp4j.server;

/**
 * Writes a response body in pieces ({@link RequestCtx#setBodyStreamWriter}). The body is sent
 * chunked; {@code out.flush()} sends what was written so far as one chunk, so server-sent events
 * and progress output reach the client at once. The same contract as the model's
 * {@link io.fasthttp4j.BodyStreamWriter}, which a client request takes.
 */
@FunctionalInterface
public interface BodyStreamWriter extends io.fasthttp4j.BodyStreamWriter {
}
