package io.fasthttp4j.client;

import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.Response;
import io.fasthttp4j.internal.codec.ResponseParser;
import io.fasthttp4j.pool.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;

/**
 * One HTTP/1.1 connection's bytes, under both kinds of client connection ({@link ClientConn} and
 * {@link PipelineConn}): the socket (or TLS over it), the buffer requests are written into, the read
 * buffer, the response parser and the loop that reads a response, skipping 1xx ones. Failures become
 * {@link HttpClientException}s here, named for the server; the raw variants ({@link #flush},
 * {@link #readResponse}) leave that to a caller that maps them to its own reasons.
 *
 * <p>Threads: the write half ({@link #out}, {@link #flush}) and the read half may each be confined to
 * a thread of their own (a pipelined connection's writer and reader), over TLS too ({@link TlsChannel}
 * keeps its records in order); a {@link ClientConn} uses both from its caller's thread. The deadline is a field the client's {@link Sweeper} compares with the
 * clock and enforces by closing the socket: the blocked read or write then fails. No socket timeout
 * is set (DESIGN.md, "Timeouts without per-socket timers").
 */
final class HttpWire {
    private static final long NO_DEADLINE = 0;
    private static final long EXPIRED = Long.MIN_VALUE;   // set by the sweeper just before it closes the socket

    private final String name;                              // "host:port" of the server, for messages
    private volatile SocketChannel channel;                 // set while dialing (one per address tried)
    private volatile boolean aborted;                       // closed for good: a socket attached later is refused
    private ByteChannel io;                                 // channel, or tls over it
    private TlsChannel tls;                                 // null: plain
    private final AtomicLong deadline = new AtomicLong(NO_DEADLINE);

    /** Where requests are written; {@link #flush} sends it. The write half's. */
    final ByteBuf out;
    private ByteBuffer writeView;

    private final ResponseParser parser;
    private byte[] readBuf;
    private ByteBuffer readView;
    private int readPos;                                    // unparsed bytes: readBuf[readPos, readEnd)
    private int readEnd;
    private long parsedBytes;                               // of the current response, 1xx ones before it included
    private boolean streamBody;                             // the current response's body is read piece by piece

    /** A wire not yet connected: a {@link Dialer} {@link #attach}es its socket. */
    HttpWire(String name, int readBufferSize, int writeBufferSize, HttpLimits limits) {
        this.name = name;
        this.out = new ByteBuf(writeBufferSize);
        this.writeView = ByteBuffer.wrap(out.array());
        this.readBuf = new byte[readBufferSize];
        this.readView = ByteBuffer.wrap(readBuf);
        this.parser = new ResponseParser(limits);
        parser.setCopyHeader(true);   // a response must outlive the read buffer, which the next one reuses
    }

    String name() {
        return name;
    }

    boolean isOpen() {
        SocketChannel c = channel;
        return c != null && c.isOpen();
    }

    // ---- dialing ----

    /** Uses {@code socket}, about to connect; replaces one that failed to. Refused once the wire is closed. */
    void attach(SocketChannel socket) throws ClosedChannelException {
        channel = socket;
        io = socket;
        if (aborted) throw new ClosedChannelException();   // closed meanwhile, by the sweeper or an owner that ended
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
        send();
        out.reset();   // a pipelined writer appends to what is there
        Response answer = new Response();
        startResponse(true, false);   // RFC 9110 §9.3.6: a 2xx answer to CONNECT has no body, whatever its fields say
        receiveResponse(answer);
        int status = answer.statusCode();
        if (status < 200 || status > 299) {
            throw new HttpClientException.ProxyRefused(status, "proxy " + proxyName + " answered CONNECT " + name + " with "
                    + status + " " + answer.header().reasonPhrase());
        }
        if (unread() > 0) {
            throw new HttpClientException.MalformedResponse("proxy " + proxyName + " sent " + unread()
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

    // ---- the deadline ----

    /** True when the sweeper closed this wire because its deadline passed. */
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

    /** True when a deadline is set and has passed; the caller decides what to end. */
    boolean isOverdue(long now) {
        long d = deadline.get();
        return d != NO_DEADLINE && d != EXPIRED && now - d >= 0;
    }

    /** Closes the socket if its deadline has passed, {@link #timedOut()} true from then on; called by the sweeper. */
    boolean expireIfOverdue(long now) {
        long d = deadline.get();
        if (d == NO_DEADLINE || d == EXPIRED || now - d < 0) return false;
        if (!deadline.compareAndSet(d, EXPIRED)) return false;   // the owner moved on meanwhile
        abort();   // the owner is blocked in the socket: the TLS engine is not ours to touch
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

    // ---- writing ----

    /** Writes all of {@link #out}; a failure is the caller's to map. */
    void flush() throws IOException {
        if (writeView.array() != out.array()) writeView = ByteBuffer.wrap(out.array());   // the buffer grew
        writeView.limit(out.length()).position(0);
        while (writeView.hasRemaining()) io.write(writeView);
    }

    /** Writes all of {@link #out}; on a failure closes the socket. */
    void send() throws HttpClientException {
        try {
            flush();
        } catch (IOException e) {
            throw failed("writing the request", e);
        }
    }

    // ---- reading ----

    /**
     * Readies the parser for the next response: {@code head} when it answers a HEAD request (no body,
     * whatever its header says); {@code streamBody} to stop at its header and leave the body to
     * {@link #decodeBuffered} and {@link #receiveMore}.
     */
    void startResponse(boolean head, boolean streamBody) {
        this.streamBody = streamBody;
        parser.reset();
        parser.setHeadResponse(head);
        parser.setStreamBody(streamBody);
        parsedBytes = 0;
    }

    /**
     * Reads the response begun with {@link #startResponse} into {@code response}, reading from the
     * socket only when the buffered bytes do not finish it. Skips 1xx responses other than 101 (RFC
     * 9110 §15.2: a client skips interim responses it did not ask for). Returns true when the response
     * is complete, or its header is ({@code streamBody}); false when the server closed the connection
     * first. Bytes after it stay buffered: the next response's, or {@link #unread()}.
     *
     * @throws BadRequestException when the response breaks the codec's rules or limits
     * @throws IOException         when the socket fails; the caller maps both
     */
    boolean readResponse(Response response) throws IOException {
        while (true) {
            if (parseBuffered(response)) return true;
            if (readMore() < 0) return false;
        }
    }

    /** Parses what is buffered, skipping whole interim responses; true once the response (or its header, streamBody) is complete. */
    private boolean parseBuffered(Response response) {
        while (readPos < readEnd) {
            parse(response);
            if (!parser.isComplete()) return streamBody && parser.isHeaderComplete();
            if (!isInterim(response)) return true;
            response.reset();
            response.setStreamBody(streamBody);
            parser.reset();
        }
        return false;
    }

    private void parse(Response response) {
        int from = readPos;
        readPos = parser.parse(readBuf, readPos, readEnd, response);
        parsedBytes += readPos - from;
    }

    private static boolean isInterim(Response response) {
        int status = response.statusCode();
        return status >= 100 && status < 200 && status != 101;
    }

    /**
     * Like {@link #readResponse}, with its failures mapped, the socket closed after each. Returns
     * false when the server's close ended the response (a close-delimited body, now complete).
     *
     * @throws HttpClientException.ConnectionClosed when the server closed or reset the connection first
     * @throws HttpClientException.Timeout          when the sweeper closed it at its deadline
     * @throws HttpClientException.MalformedResponse or {@link HttpClientException.BodyTooLarge}, from the codec
     */
    boolean receiveResponse(Response response) throws HttpClientException {
        try {
            if (readResponse(response)) return true;
        } catch (BadRequestException e) {
            abort();
            throw malformed(e);
        } catch (IOException e) {
            throw failed("reading the response", e);
        }
        if (responseBytes() == 0) {
            abort();
            throw new HttpClientException.ConnectionClosed("server closed the connection before responding (" + name + ")", null);
        }
        endOfInput(response);
        return false;
    }

    /** Waits until unparsed bytes are buffered; false when the server closed the connection first. */
    boolean awaitInput() throws IOException {
        return readPos < readEnd || readMore() >= 0;
    }

    /** Reads more of a streamed body into the read buffer; false at the end of input. Closes the socket on a failure. */
    boolean receiveMore() throws HttpClientException {
        try {
            return readMore() >= 0;
        } catch (IOException e) {
            throw failed("reading the response", e);
        }
    }

    /** Decodes the buffered bytes of a streamed body into {@code response}'s body buffer. Closes the connection if they are malformed. */
    void decodeBuffered(Response response) throws HttpClientException {
        try {
            parse(response);
        } catch (BadRequestException e) {
            close();
            throw malformed(e);
        }
    }

    /** The server closed the connection: completes a close-delimited body; anything else was cut short. */
    void endOfInput(Response response) throws HttpClientException.ConnectionClosed {
        try {
            parser.parseEof(response);
        } catch (BadRequestException e) {
            abort();
            throw new HttpClientException.ConnectionClosed(e.getMessage() + " (" + name + ")", e);
        }
    }

    /** Like {@link #endOfInput}, the failure left to the caller. */
    void parseEof(Response response) {
        parser.parseEof(response);
    }

    boolean isResponseComplete() {
        return parser.isComplete();
    }

    boolean isHeaderComplete() {
        return parser.isHeaderComplete();
    }

    /** Bytes buffered and not parsed: after a complete response, bytes the server sent beyond it. */
    int unread() {
        return readEnd - readPos;
    }

    /** Bytes of the current response that have arrived, 1xx ones before it included: zero means the server sent nothing yet. */
    long responseBytes() {
        return parsedBytes + (readEnd - readPos);
    }

    /** Reads after the buffered bytes, moving or growing them to make room; returns the bytes read, or -1 at the end of input. */
    private int readMore() throws IOException {
        if (readPos == readEnd) {
            readPos = readEnd = 0;
        } else if (readEnd == readBuf.length) {
            makeRoom();
        }
        readView.limit(readBuf.length).position(readEnd);
        int n = io.read(readView);
        if (n == 0) throw new IOException("read returned 0 bytes in blocking mode");
        if (n > 0) readEnd += n;
        return n;
    }

    /** Moves the unparsed bytes to the front, or grows the buffer if they fill it (a header larger than it). */
    private void makeRoom() {
        if (readPos == 0) {
            readBuf = Arrays.copyOf(readBuf, readBuf.length * 2);   // bounded: the parser stops at maxHeaderBytes
            readView = ByteBuffer.wrap(readBuf);
            return;
        }
        System.arraycopy(readBuf, readPos, readBuf, 0, readEnd - readPos);
        readEnd -= readPos;
        readPos = 0;
    }

    // ---- failures and closing ----

    /** The exception for a response the codec rejected: past maxResponseBodySize (413), or malformed. */
    HttpClientException malformed(BadRequestException e) {
        if (e.status() == 413) return new HttpClientException.BodyTooLarge(e.getMessage() + " (maxResponseBodySize) from " + name);
        return new HttpClientException.MalformedResponse(e.getMessage() + " (" + name + ")", e);
    }

    /** Closes the socket after I/O failed while {@code doing}; a timeout if the sweeper closed it at the deadline. */
    HttpClientException failed(String doing, IOException e) {
        abort();
        if (timedOut()) return new HttpClientException.Timeout("timed out " + doing + " (" + name + ")");
        return new HttpClientException.ConnectionClosed("connection failed while " + doing + " after " + responseBytes()
                + " response bytes (" + name + "): " + e, e);
    }

    /** Closes a wire nobody is using: TLS ends with close_notify if the socket takes it at once. */
    void close() {
        TlsChannel t = tls;
        if (t == null) {
            abort();
            return;
        }
        aborted = true;
        t.close();
    }

    /** Closes the socket without a word: after a failure, or from another thread while the owner is blocked on it. */
    void abort() {
        aborted = true;
        SocketChannel c = channel;
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is best effort: the descriptor is released either way
        }
    }
}
