package io.fasthttp4j.client;

import io.fasthttp4j.Response;
import io.fasthttp4j.pool.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A response body read from the connection as the caller consumes it ({@link Response#setStreamBody}).
 * Decoded bytes pass through the response's body buffer, which is emptied whenever the caller has read
 * it all, so a body of any size goes through a buffer of about the read buffer's size. The connection
 * goes back to its pool as soon as the body's end has been decoded (bytes not yet read by the caller
 * stay in the body buffer); {@link #close()} before that closes it, without waiting for the network.
 * One per streamed response, so a stale reference fails instead of reading the next response. Used by
 * one thread at a time.
 */
final class ResponseBodyStream extends InputStream {
    private ClientConn conn;        // null once the connection went back to its pool (or never held one)
    private final Response response;
    private int pos;                // next unread byte in response.bodyBuffer()
    private boolean closed;

    /** A stream over {@code response}'s body as decoded so far; {@code conn} (or null) reads the rest. */
    ResponseBodyStream(ClientConn conn, Response response) {
        this.conn = conn;
        this.response = response;
    }

    @Override
    public int read() throws IOException {
        ByteBuf body = response.bodyBuffer();
        if (!fill(body)) return -1;
        return body.array()[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        ByteBuf body = response.bodyBuffer();
        if (!fill(body)) return -1;
        int n = Math.min(len, body.length() - pos);
        System.arraycopy(body.array(), pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        if (closed) throw new IOException("response body stream is closed");
        return response.bodyBuffer().length() - pos;
    }

    /** Makes unread decoded bytes available; false at the end of the body. */
    private boolean fill(ByteBuf body) throws IOException {
        if (closed) throw new IOException("response body stream is closed");
        while (pos == body.length()) {
            if (conn == null) return false;
            body.reset();   // the caller has read it all: make room instead of growing
            pos = 0;
            try {
                conn.readBodyPiece(response);
            } catch (IOException | RuntimeException e) {
                release(false);
                throw e;
            }
            if (conn.isBodyComplete()) release(conn.keepAliveAfterBody(response));
        }
        return true;
    }

    /**
     * Ends the stream. Before the body's end has arrived this closes the connection: reading the rest
     * could take any time and any number of bytes. Idempotent; later reads fail.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (conn != null) release(false);
    }

    private void release(boolean reusable) {
        ClientConn c = conn;
        conn = null;
        if (c != null) c.releaseFromStream(reusable);
    }
}
