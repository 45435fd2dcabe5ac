package io.fasthttp4j.server;

import io.fasthttp4j.pool.ByteBuf;
import java.io.IOException;
import java.io.InputStream;

/**
 * The request body as a stream ({@link RequestCtx#requestBodyStream()}): the decoded bytes in the
 * request's body buffer, then, while the body is still arriving (streamRequestBody), more read from
 * the connection on demand. Decoded bytes the handler has read are dropped, so a large upload passes
 * through a bounded buffer. Runs on the connection's thread only.
 */
final class RequestBodyStream extends InputStream {
    private final RequestCtx ctx;
    private int pos;

    RequestBodyStream(RequestCtx ctx) {
        this.ctx = ctx;
    }

    /** Readies this stream for the next request (not InputStream's mark/reset). */
    void startOver() {
        pos = 0;
    }

    @Override
    public int read() throws IOException {
        ByteBuf body = ctx.request.bodyBuffer();
        if (!fill(body)) return -1;
        return body.array()[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        ByteBuf body = ctx.request.bodyBuffer();
        if (!fill(body)) return -1;
        int n = Math.min(len, body.length() - pos);
        System.arraycopy(body.array(), pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return ctx.request.bodyBuffer().length() - pos;
    }

    /** Makes unread decoded bytes available; false at the end of the body. */
    private boolean fill(ByteBuf body) throws IOException {
        while (pos == body.length()) {
            if (ctx.exchange.isBodyComplete()) return false;
            body.reset();   // the handler has read it all: make room instead of growing
            pos = 0;
            ctx.exchange.readMoreBody();
        }
        return true;
    }
}
