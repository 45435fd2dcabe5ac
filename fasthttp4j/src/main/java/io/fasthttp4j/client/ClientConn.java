package io.fasthttp4j.client;

import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.internal.codec.ChunkedWriter;
import io.fasthttp4j.internal.codec.ResponseParser;
import io.fasthttp4j.pool.ByteBuf;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;

/**
 * One client connection: its channel, read and write buffers, response parser and deadline. Used by
 * one caller at a time (the pool hands it out), so everything but the deadline is confined to that
 * caller's thread. The deadline is a plain field that the client's {@link Sweeper} compares with the
 * clock and enforces by closing the channel: the blocked read or write then fails, and the caller
 * reports a timeout. No socket timeout is set (DESIGN.md, "Timeouts without per-socket timers").
 *
 * <p>Bytes go through {@link #io}: the socket itself, or a {@link TlsChannel} over it for https. The
 * sweeper closes the socket either way ({@link #abort}); {@link #close} ends TLS with close_notify.
 */
final class ClientConn {
    private static final long NO_DEADLINE = 0;
    private static final long EXPIRED = Long.MIN_VALUE;   // set by the sweeper just before it closes the channel

    final ConnPool pool;
    private final String name;                              // "host:port" of the server, for messages
    final long createdNanos;
    long lastUsedNanos;                                     // guarded by pool.lock
    int requests;                                           // responses read on this connection

    private volatile SocketChannel channel;                 // set while dialing (one per address tried); closed by the sweeper
    private ByteChannel io;                                 // channel, or tls over it
    private TlsChannel tls;                                 // null: plain
    private final AtomicLong deadline = new AtomicLong(NO_DEADLINE);
    private final ResponseParser parser;
    final RequestTarget target = new RequestTarget();
    private byte[] readBuf;
    private ByteBuffer readView;
    private final ByteBuf out;
    private ByteBuffer writeView;
    private long received;                                  // bytes of the current response read so far
    private int unread;                                     // bytes read past the end of the last response

    // A streamed body (request or response): see sendBodyStream and ResponseBodyStream.
    static final int STREAM_PIECE = 16 * 1024;              // bytes written per flush, and per chunk, of a request body stream
    private byte[] streamScratch;                           // a chunked request body's next chunk; created on first use
    private int readPos;                                    // unparsed bytes of a streamed response body: readBuf[readPos, readEnd)
    private int readEnd;
    private long callDeadline;                              // of the call whose response body is streaming
    private long readTimeoutNanos;
    private boolean keepAliveRequested;                     // the request did not ask to close
    private boolean inputEnded;                             // the server closed: a close-delimited body's end
    private boolean bodyStreaming;                          // a ResponseBodyStream holds this connection

    /** A connection not yet connected: the dialer {@link #attach}es its socket. */
    ClientConn(ConnPool pool, String name, int readBufferSize, int writeBufferSize, HttpLimits limits) {
        this.pool = pool;
        this.name = name;
        this.createdNanos = System.nanoTime();
        this.lastUsedNanos = createdNanos;
        this.readBuf = new byte[readBufferSize];
        this.readView = ByteBuffer.wrap(readBuf);
        this.out = new ByteBuf(writeBufferSize);
        this.writeView = ByteBuffer.wrap(out.array());
        this.parser = new ResponseParser(limits);
        parser.setCopyHeader(true);   // the response must outlive this buffer: the connection serves others next
    }

    /** Bytes of the current response received so far: zero means the server sent nothing at all. */
    long received() {
        return received;
    }

    boolean isOpen() {
        SocketChannel c = channel;
        return c != null && c.isOpen();
    }

    /** Uses {@code socket}, about to connect; replaces one that failed to. Dialing only. */
    void attach(SocketChannel socket) {
        channel = socket;
        io = socket;
    }

    /**
     * Asks the proxy on the other end of the socket for a tunnel with {@code connectRequest} and reads
     * its answer; from then on the socket carries the tunnel. Dialing only: it allocates.
     *
     * @throws HttpClientException.ProxyRefused when the answer is not 2xx
     */
    void openTunnel(byte[] connectRequest, String proxyName) throws HttpClientException {
        out.reset();
        out.append(connectRequest);
        flush();
        Response answer = new Response();
        readResponse(answer, true, false);   // RFC 9110 §9.3.6: a 2xx answer to CONNECT has no body, whatever its fields say
        int status = answer.statusCode();
        if (status < 200 || status > 299) {
            throw new HttpClientException.ProxyRefused(status, "proxy " + proxyName + " answered CONNECT " + name + " with "
                    + status + " " + answer.header().reasonPhrase());
        }
        if (unread > 0) {
            throw new HttpClientException.MalformedResponse("proxy " + proxyName + " sent " + unread
                    + " bytes after its " + status + " answer to CONNECT " + name, null);
        }
    }

    /** Runs the TLS handshake with {@code engine} over the socket (or tunnel); from then on bytes go through TLS. Dialing only. */
    void startTls(SSLEngine engine) throws IOException {
        TlsChannel t = new TlsChannel(channel, engine);
        tls = t;   // before the handshake: a failed one is then closed with its alert
        t.handshake();
        io = t;
    }

    /** True when the sweeper closed this connection because its deadline passed. */
    boolean timedOut() {
        return deadline.get() == EXPIRED;
    }

    /** Sets the deadline for the I/O about to start, in System.nanoTime() terms; 0 for none. */
    void setDeadline(long nanos) throws HttpClientException.Timeout {
        if (deadline.getAndSet(nanos) == EXPIRED) {
            deadline.set(EXPIRED);
            throw new HttpClientException.Timeout("timed out talking to " + name);
        }
    }

    /** Closes the channel if its deadline has passed; called by the sweeper. */
    boolean expireIfOverdue(long now) {
        long d = deadline.get();
        if (d == NO_DEADLINE || d == EXPIRED || now - d < 0) return false;
        if (!deadline.compareAndSet(d, EXPIRED)) return false;   // the caller moved on meanwhile
        abort();   // the caller is blocked in the socket: the TLS engine is not ours to touch
        return true;
    }

    /** The deadline {@code nanos} from now (at once when negative), in System.nanoTime() terms; never 0, which means none. */
    static long deadlineAfter(long nanos) {
        long d = System.nanoTime() + Math.max(nanos, 0);
        return d == NO_DEADLINE ? 1 : d;
    }

    /** The earlier of {@code deadline} (0: none) and {@code timeoutNanos} from now (0: none); 0 when neither. */
    static long earliest(long deadline, long timeoutNanos) {
        if (timeoutNanos <= 0) return deadline;
        long d = System.nanoTime() + timeoutNanos;
        if (d == NO_DEADLINE) d = 1;
        return deadline == NO_DEADLINE || d - deadline < 0 ? d : deadline;
    }

    /**
     * Writes {@code request} (as {@link #target} was parsed from it) and reads the response into
     * {@code response}, within the call's deadline (0: none) and the write and read timeouts.
     * Returns true when the connection may carry another request.
     */
    boolean roundTrip(Request request, Response response, byte[] defaultHost, long deadline, long writeTimeoutNanos,
                      long readTimeoutNanos) throws IOException {
        received = 0;
        out.reset();
        target.write(request, defaultHost, out);
        target.reset();
        if (request.hasBodyStream()) sendBodyStream(request, deadline, writeTimeoutNanos);
        setDeadline(earliest(deadline, writeTimeoutNanos));
        flush();
        setDeadline(earliest(deadline, readTimeoutNanos));
        boolean head = request.header().isHead();
        boolean streaming = response.isStreamBody();
        parser.setStreamBody(streaming);
        keepAliveRequested = !request.header().connectionClose();
        boolean keepAlive = readResponse(response, head, streaming);
        requests++;
        if (streaming && !parser.isComplete()) return startBodyStream(response, deadline, readTimeoutNanos);
        if (streaming) response.setBodyStream(new ResponseBodyStream(null, response));   // no body, or an empty one
        setDeadline(NO_DEADLINE);
        return keepAlive && keepAliveRequested;
    }

    private void flush() throws HttpClientException {
        if (writeView.array() != out.array()) writeView = ByteBuffer.wrap(out.array());   // the buffer grew
        writeView.limit(out.length()).position(0);
        try {
            while (writeView.hasRemaining()) io.write(writeView);
        } catch (IOException e) {
            throw failure("writing the request", e);
        }
    }

    private boolean readResponse(Response response, boolean head, boolean streaming) throws HttpClientException {
        parser.reset();
        parser.setHeadResponse(head);
        int pos = 0;
        int end = 0;
        try {
            while (true) {
                if (pos < end) {
                    pos = parser.parse(readBuf, pos, end, response);
                    if (parser.isComplete()) {
                        if (!isInterim(response)) break;
                        response.reset();   // RFC 9110 §15.2: a client skips 1xx responses it did not ask for
                        response.setStreamBody(streaming);
                        parser.reset();
                        continue;
                    }
                    if (streaming && parser.isHeaderComplete()) {   // the body is read later, by the stream
                        readPos = pos;
                        readEnd = end;
                        return false;
                    }
                }
                if (pos == end) {
                    pos = end = 0;
                } else if (end == readBuf.length) {
                    end = makeRoom(pos, end);
                    pos = 0;
                }
                int n = read(end);
                if (n < 0) {
                    endOfInput(response);
                    return false;   // a close-delimited body, now complete
                }
                end += n;
            }
        } catch (BadRequestException e) {
            abort();
            if (e.status() == 413) throw new HttpClientException.BodyTooLarge(e.getMessage() + " (maxResponseBodySize) from " + name);
            throw new HttpClientException.MalformedResponse(e.getMessage() + " (" + name + ")", e);
        }
        // bytes after the response: the server sent more than it framed, so the connection's state is unknown
        unread = end - pos;
        return unread == 0 && response.header().isKeepAlive();
    }

    // ---- request body streams ----

    /**
     * Streams the request's body after the header in {@link #out}: pieces of {@value #STREAM_PIECE}
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
        for (long left = size; left > 0; ) {
            if (out.length() >= STREAM_PIECE) flushPiece(deadline, writeTimeoutNanos);
            byte[] a = out.ensureSpace(STREAM_PIECE);
            int n = in.read(a, out.length(), (int) Math.min(STREAM_PIECE, left));
            if (n < 0) {
                throw new EOFException("request body stream ended after " + (size - left) + " of the " + size
                        + " bytes given to setBodyStream, " + left + " short (" + name + ")");
            }
            out.setLength(out.length() + n);
            left -= n;
        }
    }

    private void copyChunked(Request request, long deadline, long writeTimeoutNanos) throws IOException {
        InputStream in = request.bodyStream();
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

    /** Writes out what {@link #out} holds under the write timeout, then empties it; the deadline between pieces is the call's. */
    private void flushPiece(long deadline, long writeTimeoutNanos) throws HttpClientException {
        setDeadline(earliest(deadline, writeTimeoutNanos));
        flush();
        out.reset();
        setDeadline(deadline);
    }

    /**
     * The stream a request's {@link io.fasthttp4j.BodyStreamWriter} writes to: writes collect into
     * chunks of up to {@value #STREAM_PIECE} bytes; {@code flush()} sends what was written so far.
     */
    private final class ChunkedRequestBody extends ChunkedWriter {
        private final long deadline;
        private final long writeTimeoutNanos;

        ChunkedRequestBody(Request request, long deadline, long writeTimeoutNanos) {
            super(out, streamScratch(), request.trailers(), true, STREAM_PIECE);
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
        decodeBuffered(response);
        if (parser.isComplete()) {
            setDeadline(NO_DEADLINE);
            response.setBodyStream(new ResponseBodyStream(null, response));
            return keepAliveAfterBody(response);
        }
        setDeadline(deadline);
        bodyStreaming = true;
        response.setBodyStream(new ResponseBodyStream(this, response));
        return false;
    }

    /** True while a response body stream holds this connection; the pool must not take it back then. */
    boolean bodyStreaming() {
        return bodyStreaming;
    }

    boolean isBodyComplete() {
        return parser.isComplete();
    }

    /** After the body's end: true when the connection may carry another request. */
    boolean keepAliveAfterBody(Response response) {
        // bytes after the body: the server sent more than it framed, so the connection's state is unknown
        return readPos == readEnd && !inputEnded && response.header().isKeepAlive() && keepAliveRequested;
    }

    /** Gives this connection back to its pool; called once by the stream that held it. */
    void releaseFromStream(boolean reusable) {
        bodyStreaming = false;
        try {
            setDeadline(NO_DEADLINE);
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
        if (readPos < readEnd) {
            decodeBuffered(response);
            return;
        }
        readPos = readEnd = 0;
        setDeadline(earliest(callDeadline, readTimeoutNanos));
        int n = read(0);
        setDeadline(callDeadline);
        if (n < 0) {
            inputEnded = true;
            endOfInput(response);
            return;
        }
        readEnd = n;
        decodeBuffered(response);
    }

    private void decodeBuffered(Response response) throws HttpClientException {
        try {
            readPos = parser.parse(readBuf, readPos, readEnd, response);
        } catch (BadRequestException e) {
            close();
            throw new HttpClientException.MalformedResponse(e.getMessage() + " (" + name + ")", e);
        }
    }

    /** The server closed the connection: completes a close-delimited body; anything else was cut short. */
    private void endOfInput(Response response) throws HttpClientException.ConnectionClosed {
        try {
            parser.parseEof(response);
        } catch (BadRequestException e) {
            abort();
            throw new HttpClientException.ConnectionClosed(e.getMessage() + " (" + name + ")", e);
        }
    }

    private static boolean isInterim(Response response) {
        int status = response.statusCode();
        return status >= 100 && status < 200 && status != 101;
    }

    /** Moves the unparsed bytes to the front, or grows the buffer if they fill it (a header larger than it). */
    private int makeRoom(int pos, int end) {
        if (pos == 0) {
            readBuf = java.util.Arrays.copyOf(readBuf, readBuf.length * 2);   // bounded: the parser stops at maxHeaderBytes
            readView = ByteBuffer.wrap(readBuf);
            return end;
        }
        System.arraycopy(readBuf, pos, readBuf, 0, end - pos);
        return end - pos;
    }

    private int read(int at) throws HttpClientException {
        readView.limit(readBuf.length).position(at);
        try {
            int n = io.read(readView);
            if (n == 0) throw new IOException("read returned 0 bytes in blocking mode");
            if (n == -1 && received == 0) {
                abort();
                throw new HttpClientException.ConnectionClosed("server closed the connection before responding (" + name + ")", null);
            }
            if (n > 0) received += n;
            return n;
        } catch (HttpClientException e) {
            throw e;
        } catch (IOException e) {
            throw failure("reading the response", e);
        }
    }

    private HttpClientException failure(String doing, IOException e) {
        abort();
        if (timedOut()) return new HttpClientException.Timeout("timed out " + doing + " (" + name + ")");
        return new HttpClientException.ConnectionClosed("connection failed while " + doing + " after " + received
                + " response bytes (" + name + "): " + e, e);
    }

    /** Closes a connection nobody is using: TLS ends with close_notify if the socket takes it at once. */
    void close() {
        TlsChannel t = tls;
        if (t != null) t.close();
        else abort();
    }

    /** Closes the socket without a word: after a failure, or from the sweeper while a caller is blocked on it. */
    void abort() {
        SocketChannel c = channel;
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is best effort: the descriptor is released either way
        }
    }
}
