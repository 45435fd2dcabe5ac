package io.fasthttp4j.server;

import java.io.IOException;

/**
 * Writes a response body in pieces ({@link RequestCtx#setBodyStreamWriter}). The body is sent
 * chunked; {@code out.flush()} sends what was written so far as one chunk, so server-sent events
 * and progress output reach the client at once.
 */
@FunctionalInterface
public interface BodyStreamWriter {
    void write(java.io.OutputStream out) throws IOException;
}
