package io.fasthttp4j;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a body in pieces, for a body produced as it is sent ({@link Request#setBodyStreamWriter}).
 * The body is sent chunked; {@code out.flush()} sends what was written so far. The writer runs on
 * the thread that sends the message, and {@code out} is valid only until {@code write} returns.
 */
@FunctionalInterface
public interface BodyStreamWriter {
    void write(OutputStream out) throws IOException;
}
