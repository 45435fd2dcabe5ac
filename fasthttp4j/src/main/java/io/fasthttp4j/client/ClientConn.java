package io.fasthttp4j.client;

import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.internal.codec.ChunkedWriter;
import io.fasthttp4j.pool.ByteBuf;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * One pooled client connection: its {@link HttpWire} (socket, buffers, parser, deadline), its pool's
 * bookkeeping, and one request and response at a time over it, either body possibly streamed. Used
 * by one caller at a time (the pool hands it out), so everything but the wire's deadline is confined
 * to that caller's thread; the client's {@link Sweeper} enforces the deadline by closing the socket,
 * and the caller then reports a timeout.
 */
final class ClientConn {
    /** Bytes written per flush, and per chunk, of a request body stream. */
    static final int STREAM_PIECE = 16 * 1024;

    final ConnPool pool;
    final HttpWire wire;
    final long createdNanos;
    long lastUsedNanos;                                     // guarded by pool.lock
    int requests;                                           // responses read on this connection
    final RequestTarget target = new RequestTarget();

    // A streamed body (request or response): see sendBodyStream and ResponseBodyStream.
    private byte[] streamScratch;                           // a chunked request body's next chunk; created on first use
    private long callDeadline;                              // of the call whose response body is streaming
    private long readTimeoutNanos;
    private boolean keepAliveRequested;                     // the request did not ask to close
    private boolean inputEnded;                             // the server closed: a close-delimited body's end
    private boolean bodyStreaming;                          // a ResponseBodyStream holds this connection

    /** A connection not yet connected to {@code name} ("host:port"): the dialer connects its wire. */
    ClientConn(ConnPool pool, String name, Settings settings) {
        this.pool = pool;
        this.wire = new HttpWire(name, settings.readBufferSize(), settings.writeBufferSize(), settings.responseLimits());
        this.createdNanos = System.nanoTime();
        this.lastUsedNanos = createdNanos;
    }

    boolean isOpen() {
        return wire.isOpen();
    }

    /** Bytes of the current response received so far: zero means the server sent nothing at all. */
    long received() {
        return wire.responseBytes();
    }

    /** Closes the connection if its deadline has passed; called by the sweeper. */
    boolean expireIfOverdue(long now) {
        return wire.expireIfOverdue(now);
    }

    /**
     * Writes {@code request} (as {@link #target} was parsed from it) and reads the response into
     * {@code response}, within the call's deadline (0: none) and the write and read timeouts.
     * Returns true when the connection may carry another request.
     */
    boolean roundTrip(Request request, Response response, byte[] defaultHost, long deadline, long writeTimeoutNanos,
                      long readTimeoutNanos) throws IOException {
        boolean streaming = response.isStreamBody();
        wire.startResponse(request.header().isHead(), streaming);   // first: a failed write then counts no response bytes
        keepAliveRequested = !request.header().connectionClose();
        wire.out.reset();
        target.write(request, defaultHost, wire.out);
        target.reset();
        if (request.hasBodyStream()) sendBodyStream(request, deadline, writeTimeoutNanos);
        wire.setDeadline(HttpWire.earliest(deadline, writeTimeoutNanos));
        wire.send();
        wire.setDeadline(HttpWire.earliest(deadline, readTimeoutNanos));
        boolean complete = wire.receiveResponse(response);
        // bytes after the response: the server sent more than it framed, so the connection's state is unknown
        boolean keepAlive = complete && wire.unread() == 0 && response.header().isKeepAlive();
        requests++;
        if (streaming && !wire.isResponseComplete()) return startBodyStream(response, deadline, readTimeoutNanos);
        if (streaming) response.setBodyStream(new ResponseBodyStream(null, response));   // no body, or an empty one
        wire.setDeadline(0);
        return keepAlive && keepAliveRequested;
    }

    // ---- request body streams ----

    /**
     * Streams the request's body after the header in the wire's buffer: pieces of {@value #STREAM_PIECE}
     * bytes are flushed as they fill, the write timeout applying to each; the last piece stays in
     * {@code out} for the caller's flush. Closes and drops the stream, whatever happens.
     */
    private void sendBodyStream(Request request, long deadline, long writeTimeoutNanos) throws IOException {
        try {
            if (request.bodyStreamWriter() != null) {
                ChunkedRequestBody body = new ChunkedRequestBody(request, deadline, writeTimeoutNanos);
                request.bodyStreamWriter().write(body);
                body.finish();
            } else if (request.bodyStreamSize() >= 0) {
                copyExactly(request.bodyStream(), request.bodyStreamSize(), deadline, writeTimeoutNanos);
            } else {
                copyChunked(request, deadline, writeTimeoutNanos);
            }
        } finally {
            request.closeBodyStream();
        }
    }

    private void copyExactly(InputStream in, long size, long deadline, long writeTimeoutNanos) throws IOException {
        ByteBuf out = wire.out;
        for (long left = size; left > 0; ) {
            if (out.length() >= STREAM_PIECE) flushPiece(deadline, writeTimeoutNanos);
            byte[] a = out.ensureSpace(STREAM_PIECE);
            int n = in.read(a, out.length(), (int) Math.min(STREAM_PIECE, left));
            if (n < 0) {
                throw new EOFException("request body stream ended after " + (size - left) + " of the " + size
                        + " bytes given to setBodyStream, " + left + " short (" + wire.name() + ")");
            }
            out.setLength(out.length() + n);
            left -= n;
        }
    }

    private void copyChunked(Request request, long deadline, long writeTimeoutNanos) throws IOException {
        InputStream in = request.bodyStream();
        ByteBuf out = wire.out;
        byte[] chunk = streamScratch();
        for (int n; (n = in.read(chunk, 0, chunk.length)) >= 0; ) {
            ChunkedWriter.appendChunk(chunk, 0, n, out);
            if (out.length() >= STREAM_PIECE) flushPiece(deadline, writeTimeoutNanos);
        }
        ChunkedWriter.appendLastChunk(request.trailers(), out);
    }

    private byte[] streamScratch() {
        if (streamScratch == null) streamScratch = new byte[STREAM_PIECE];
        return streamScratch;
    }

    /** Writes out what the wire's buffer holds under the write timeout, then empties it; the deadline between pieces is the call's. */
    private void flushPiece(long deadline, long writeTimeoutNanos) throws HttpClientException {
        wire.setDeadline(HttpWire.earliest(deadline, writeTimeoutNanos));
        wire.send();
        wire.out.reset();
        wire.setDeadline(deadline);
    }

    /**
     * The stream a request's {@link io.fasthttp4j.BodyStreamWriter} writes to: writes collect into
     * chunks of up to {@value #STREAM_PIECE} bytes; {@code flush()} sends what was written so far.
     */
    private final class ChunkedRequestBody extends ChunkedWriter {
        private final long deadline;
        private final long writeTimeoutNanos;

        ChunkedRequestBody(Request request, long deadline, long writeTimeoutNanos) {
            super(wire.out, streamScratch(), request.trailers(), true, STREAM_PIECE);
            this.deadline = deadline;
            this.writeTimeoutNanos = writeTimeoutNanos;
        }

        @Override
        protected void writeOut() throws HttpClientException {
            flushPiece(deadline, writeTimeoutNanos);
        }
    }

    // ---- response body streams ----

    /**
     * Hands the body that follows the header just read to a {@link ResponseBodyStream} on
     * {@code response}. A body already complete in the read buffer is decoded now, and the connection
     * stays with the caller (the return value says whether it may be reused); otherwise the stream
     * holds it until the body's end or its close ({@link #bodyStreaming()} is then true).
     */
    private boolean startBodyStream(Response response, long deadline, long readTimeoutNanos) throws HttpClientException {
        this.callDeadline = deadline;
        this.readTimeoutNanos = readTimeoutNanos;
        inputEnded = false;
        wire.decodeBuffered(response);
        if (wire.isResponseComplete()) {
            wire.setDeadline(0);
            response.setBodyStream(new ResponseBodyStream(null, response));
            return keepAliveAfterBody(response);
        }
        wire.setDeadline(deadline);
        bodyStreaming = true;
        response.setBodyStream(new ResponseBodyStream(this, response));
        return false;
    }

    /** True while a response body stream holds this connection; the pool must not take it back then. */
    boolean bodyStreaming() {
        return bodyStreaming;
    }

    boolean isBodyComplete() {
        return wire.isResponseComplete();
    }

    /** After the body's end: true when the connection may carry another request. */
    boolean keepAliveAfterBody(Response response) {
        // bytes after the body: the server sent more than it framed, so the connection's state is unknown
        return wire.unread() == 0 && !inputEnded && response.header().isKeepAlive() && keepAliveRequested;
    }

    /** Gives this connection back to its pool; called once by the stream that held it. */
    void releaseFromStream(boolean reusable) {
        bodyStreaming = false;
        try {
            wire.setDeadline(0);
        } catch (HttpClientException e) {
            reusable = false;   // the sweeper closed it meanwhile
        }
        pool.release(this, reusable);
    }

    /**
     * Decodes more of a streamed body into {@code response}'s body buffer: what is buffered, else what
     * one read from the connection brings (within the read timeout and the call's deadline). May add
     * nothing (only framing arrived); {@link #isBodyComplete()} says when the body has ended.
     */
    void readBodyPiece(Response response) throws HttpClientException {
        if (wire.unread() == 0) {
            wire.setDeadline(HttpWire.earliest(callDeadline, readTimeoutNanos));
            boolean more = wire.receiveMore();
            wire.setDeadline(callDeadline);
            if (!more) {
                inputEnded = true;
                wire.endOfInput(response);
                return;
            }
        }
        wire.decodeBuffered(response);
    }

    /** Closes a connection nobody is using: TLS ends with close_notify if the socket takes it at once. */
    void close() {
        wire.close();
    }

    /** Closes the socket without a word: after a failure, or from the sweeper while a caller is blocked on it. */
    void abort() {
        wire.abort();
    }
}
