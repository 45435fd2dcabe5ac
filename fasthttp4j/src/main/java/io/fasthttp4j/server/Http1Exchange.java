package io.fasthttp4j.server;

import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.internal.codec.RequestParser;
import io.fasthttp4j.pool.ByteBuf;
import io.fasthttp4j.pool.MemoryBudget;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One connection's HTTP/1.1 exchanges, one request and response at a time: the connection's read
 * and output buffers, the parser, and the {@link RequestCtx} the handler sees. Pooled as a unit by
 * {@link ContextPool}; a connection holds one only while a request is in progress, so an idle
 * connection holds no buffers.
 *
 * <p>It is the step machine both transports drive, which do the I/O only:
 * {@link #begin} when a request's first bytes have arrived, {@link #parse} after each read,
 * {@link RequestProcessor#handle} for the handler, {@link #needsThread} (the event loop hands the
 * connection to a virtual thread when true), {@link #prepareResponse}, a flush of {@link #out}, then
 * {@link ContextPool#next} for the next request. Used by the connection's thread only.
 */
final class Http1Exchange {
    /** {@link #parse}: the rest of the request has not arrived; read more. */
    static final int NEED_MORE = 0;
    /** {@link #parse}: the header is complete and the body is streamed to the handler: run it now. */
    static final int HEADER_READY = 1;
    /** {@link #parse}: the whole request is in. */
    static final int COMPLETE = 2;

    /** {@link #prepareResponse}: the response is in {@link #out}. */
    static final int WRITTEN = 0;
    /** {@link #prepareResponse}: the header is decided; the body (file, stream, writer) must be streamed by {@link ResponseStreamer}. */
    static final int STREAMED = 1;
    /** {@link #prepareResponse}: nothing to write (the client has gone); close. */
    static final int DROPPED = 2;

    /**
     * Capacity of each body and output buffer not charged to the budget: like the read buffer, a cost
     * per connection (bounded by the concurrency limit), and room for an error response when the budget is spent.
     */
    static final int UNCHARGED_BYTES = 4096;

    final RequestCtx ctx;
    final RequestParser parser;
    final ByteBuf out;                 // responses waiting to be written
    private final Server server;
    ServerConn conn;
    byte[] readBuf;
    int readPos;                       // the first unparsed byte
    int readEnd;                       // the end of the bytes read
    long readNanos;                    // System.nanoTime() when the last read into readBuf returned; 0 unknown
    boolean started;                   // begin() ran for the request being read
    boolean sendContinue;              // a 100 Continue is due before the body is read
    boolean keepAlive;                 // prepareResponse's decision
    private byte[] streamBuffer;
    private ByteBuffer readWrap;       // views of readBuf and out's array for channel I/O, kept with the
    private ByteBuffer outWrap;        // arrays: wrapping per read would allocate per request

    /** Readies this exchange for the connection's next request; keeps the bytes read after this one. */
    void resetRequest() {
        ctx.resetRequest();
        resetExchange();
    }

    /**
     * {@link #resetRequest} for a next request already in the read buffer (pipelined): see
     * {@link RequestCtx#resetForNextInBuffer()}. The last request of a read is reset in full.
     */
    void resetForNextInBuffer() {
        ctx.resetForNextInBuffer();
        resetExchange();
    }

    private void resetExchange() {
        parser.reset();
        started = false;
        sendContinue = false;
        keepAlive = false;
    }

    /** Readies this exchange for another connection: also empties its buffers and forgets the connection. */
    void reset() {
        resetRequest();
        resetConnection();
    }

    /** {@link #reset} for an exchange whose request part is reset already: empties its buffers and forgets the connection. */
    void resetConnection() {
        readPos = readEnd = 0;
        readNanos = 0;
        out.reset();
        conn = null;
        ctx.conn = null;
    }

    /** {@code budget}: charged with the growth of the bodies and the output buffer (null: not charged). */
    Http1Exchange(Server server, HttpLimits limits, int readBufferSize, int writeBufferSize, long writeTimeoutNanos, MemoryBudget budget) {
        this.server = server;
        this.ctx = new RequestCtx(this, server, writeTimeoutNanos);
        this.parser = new RequestParser(limits);
        this.readBuf = new byte[readBufferSize];
        this.out = new ByteBuf(writeBufferSize);
        if (budget != null) {
            ctx.request.bodyBuffer().setBudget(budget, UNCHARGED_BYTES, "request body");
            ctx.response.bodyBuffer().setBudget(budget, UNCHARGED_BYTES, "response body");
            out.setBudget(budget, UNCHARGED_BYTES, "response output");
        }
    }

    /** Gives back what this exchange's buffers charged to the budget; called when a pool drops it for good. */
    void dispose() {
        ctx.request.bodyBuffer().setBudget(null, 0, null);
        ctx.response.bodyBuffer().setBudget(null, 0, null);
        out.setBudget(null, 0, null);
    }

    /** Takes {@code conn}'s next request. */
    void attach(ServerConn conn) {
        this.conn = conn;
        ctx.conn = conn;
    }

    // ---- the steps ----

    /** A request's first bytes arrived at {@code nowNanos}: its read deadline starts, the connection is active. */
    void begin(long nowNanos) {
        started = true;
        ctx.startNanos = nowNanos;
        conn.setReadDeadline(nowNanos + server.config().readTimeoutNanos());
        server.connections().stateChanged(conn, ConnState.ACTIVE);
    }

    /**
     * Parses the bytes read so far: {@link #NEED_MORE}, {@link #HEADER_READY} or {@link #COMPLETE}.
     * When the server waits for a body the header announced with 100-continue, the interim response
     * is appended to {@link #out}: the transport writes it before it waits for more input.
     *
     * @throws BadRequestException when the request is refused (status and reason in it)
     */
    int parse() {
        if (readPos < readEnd) readPos = parser.parse(readBuf, readPos, readEnd, ctx.request);
        if (parser.isComplete()) {
            conn.clearReadDeadline();   // the handler's time is not the client's to be cut off for
            return COMPLETE;
        }
        if (!parser.isHeaderComplete()) return NEED_MORE;
        if (server.config().streamRequestBody()) return HEADER_READY;   // 100 Continue goes out when the handler reads the body
        expectBody();
        return NEED_MORE;
    }

    /** The server is about to wait for the body: appends the 100 Continue the client may be waiting for, once. */
    void expectBody() {
        if (!sendContinue) return;
        sendContinue = false;
        out.append(RequestProcessor.CONTINUE);
    }

    /** True when the rest of this request must be served on a thread that may block: a streamed response, a hijack, or the handler asked. */
    boolean needsThread() {
        return ctx.blockingRequested || ctx.hasStreamedBody() || ctx.hijackHandler != null;
    }

    /**
     * Decides whether the connection stays open ({@link #keepAlive}) and writes the response into
     * {@link #out}: {@link #WRITTEN}, {@link #STREAMED} (the transport streams the body) or {@link #DROPPED}.
     */
    int prepareResponse() {
        RequestProcessor processor = server.processor();
        keepAlive = false;
        Cancellation c = ctx.cancellation;
        // touched: anything about cancellation happened this request (set on this thread, or before the
        // watcher let go of it); one plain load on the common path instead of two volatile ones
        if (c.touched) {
            if (c.timedOut != null) {   // a TimeoutHandler answered; the handler still runs with the context
                processor.writeTimedOut(this);
                return WRITTEN;
            }
            if (c.isCancelled()) return DROPPED;   // the client has gone: nobody reads the response
        }
        // A body the handler did not read to its end would be parsed as the next request: close instead.
        boolean keep = processor.keepAlive(conn, ctx) && parser.isComplete();
        boolean streamed = ctx.hasStreamedBody();
        // An HTTP/1.0 client cannot read chunks: a body of unknown length then ends with the connection.
        if (streamed && !ctx.request.header().isHttp11() && (ctx.bodyStreamWriter != null || ctx.bodyStreamSize < 0)) keep = false;
        processor.applyConnection(ctx, keep);
        if (streamed) {
            keepAlive = keep;
            return STREAMED;
        }
        keepAlive = processor.writeResponse(this) && keep;   // not written: a 503 in its place, the budget is spent
        return WRITTEN;
    }

    /** Replaces the response with the answer to a refused request, in {@link #out}; the connection then closes. */
    void prepareBadRequest(BadRequestException e) {
        server.processor().prepareError(ctx, e.status(), e);
        server.processor().writeResponse(this);
        keepAlive = false;
    }

    /** True when the bytes after this request are all read: nothing is pipelined behind it. */
    boolean isDrained() {
        return readPos == readEnd;
    }

    // ---- blocking I/O, on a worker or a handed-off request's virtual thread ----

    /** Writes {@link #out} to the connection under the write deadline. Blocks. */
    void flush() throws IOException {
        if (out.isEmpty()) return;
        conn.setWriteDeadline(System.nanoTime() + ctx.writeTimeoutNanos);
        conn.writeFully(outBuffer(0, out.length()));
        conn.clearWriteDeadline();
        out.reset();
    }

    /** True when the request's body has been read to its end. */
    boolean isBodyComplete() {
        return parser.isComplete();
    }

    /** Reads and decodes more of a body being streamed to the handler. Blocks; the channel is blocking whenever a body is streamed. */
    void readMoreBody() throws IOException {
        expectBody();
        flush();   // the 100 Continue, or responses to earlier pipelined requests
        makeRoom();
        int n;
        try {
            n = conn.read(readBuffer(readEnd, readBuf.length));
            if (n < 0) throw new EOFException("client closed the connection before the end of the request body");
        } catch (IOException e) {
            ctx.cancellation.cancel();   // the client has gone: isCancelled() says so, onCancel runs
            throw e;
        }
        readEnd += n;
        readPos = parser.parse(readBuf, readPos, readEnd, ctx.request);
    }

    // ---- buffers ----

    /** {@code readBuf[from..to)} as a buffer for a channel read. */
    ByteBuffer readBuffer(int from, int to) {
        if (readWrap == null || readWrap.array() != readBuf) readWrap = ByteBuffer.wrap(readBuf);
        readWrap.limit(to).position(from);
        return readWrap;
    }

    /** Bytes {@code [from..to)} of the output buffer, for a channel write. */
    ByteBuffer outBuffer(int from, int to) {
        if (outWrap == null || outWrap.array() != out.array()) outWrap = ByteBuffer.wrap(out.array());
        outWrap.limit(to).position(from);
        return outWrap;
    }

    /** Makes room after {@code readEnd}, without moving bytes that parsed header values still view. */
    void makeRoom() {
        if (readEnd < readBuf.length) return;
        if (!parser.isHeaderComplete()) {
            if (readPos > 0) {
                System.arraycopy(readBuf, readPos, readBuf, 0, readEnd - readPos);
                readEnd -= readPos;
                readPos = 0;
            } else {
                readBuf = java.util.Arrays.copyOf(readBuf, readBuf.length * 2);
            }
            return;
        }
        // Body: every byte after the header has been decoded into the body buffer, so reuse that space.
        readPos = readEnd = parser.headerEnd();
        if (readEnd == readBuf.length) {
            // The header filled the buffer: read on in a bigger copy (the header's views keep the old one).
            readBuf = java.util.Arrays.copyOf(readBuf, readBuf.length * 2);
        }
    }

    /** Appends bytes read for the connection elsewhere (the first read, the cancel watcher) after the unparsed ones. */
    void appendRead(byte[] bytes, int from, int length) {
        if (readEnd + length > readBuf.length) readBuf = java.util.Arrays.copyOf(readBuf, Math.max(readBuf.length * 2, readEnd + length));
        System.arraycopy(bytes, from, readBuf, readEnd, length);
        readEnd += length;
    }

    /** A scratch array for copying streamed bodies, kept for the exchange's life. */
    byte[] streamBuffer() {
        if (streamBuffer == null) streamBuffer = new byte[16 * 1024];
        return streamBuffer;
    }

    @Override
    public String toString() {
        return ctx.toString();
    }
}
