package io.fasthttp4j.client;

import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.Response;
import io.fasthttp4j.internal.codec.ResponseParser;
import io.fasthttp4j.pool.ByteBuf;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One connection of a {@link PipelineClient}, run by two threads. The writer dials, then takes works
 * from the client's {@link WorkQueue} as long as there are any, appends their requests to one buffer
 * and writes it once per batch. The reader parses the responses in order and completes each work.
 * Works pass from writer to reader through {@link #inFlight}, a ring in the order written.
 *
 * <p>The connection ends once, for one recorded reason ({@link End}). Whoever sees the reason first
 * records it and closes the channel, which fails the blocked read and write and so stops both
 * threads; the last of the two to leave completes every work still in flight, with an error that
 * depends on the reason and on whether the work was sent, and tells the client, which dials again if
 * work is queued. No socket timeout is set: the client's {@link Sweeper} ends a connection whose
 * dial, write or read deadline has passed (DESIGN.md, "Timeouts without per-socket timers").
 */
final class PipelineConn {
    /** Why a connection ended; {@code retriesUnanswered}: a sent request without any response byte may be sent again. */
    enum End {
        SERVER_CLOSED(true),     // end of stream or reset while requests were in flight or idle
        SERVER_ENDED(true),      // a response said Connection: close (or HTTP/1.0, or 101), or the request asked for it
        IDLE(true),              // nothing in flight for maxIdleConnDuration
        MALFORMED(false),
        READ_TIMEOUT(false),
        WRITE_TIMEOUT(false),
        DIAL_TIMEOUT(false),
        DIAL_FAILED(false),
        CALLER_TIMEOUT(false),   // a caller timed out on a request in flight: the responses behind it cannot be reached
        CLIENT_CLOSED(false),
        BROKEN(false);           // a bug: an unexpected exception on the writer or reader

        final boolean retriesUnanswered;

        End(boolean retriesUnanswered) {
            this.retriesUnanswered = retriesUnanswered;
        }
    }

    /** The reason, in words for messages, and the work whose caller timed out (CALLER_TIMEOUT only). */
    record Ending(End reason, String detail, PipelineWork timedOut) {
    }

    private static final VarHandle ENDING;
    private static final VarHandle WRITER_WAITING;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ENDING = lookup.findVarHandle(PipelineConn.class, "ending", Ending.class);
            WRITER_WAITING = lookup.findVarHandle(PipelineConn.class, "writerWaiting", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PipelineClient client;
    private final PipelineSettings settings;
    final int slot;                                         // index in the client's connection table
    private final String name;                              // "host:port", for messages
    private final Thread writer;
    private volatile SocketChannel channel;                 // set by the writer's dial
    private volatile Ending ending;                         // null while the connection serves
    private volatile boolean connected;
    private volatile boolean writerWaiting;                 // the writer is parked for want of work
    private final AtomicInteger threads = new AtomicInteger(1);   // the writer, then the reader too: the last out drains
    private final CountDownLatch ended = new CountDownLatch(1);
    private IOException queuedFailure;                      // for the works still queued when this one could serve nothing

    // In flight: taken by the writer and not yet answered, in the order written. Positions only grow;
    // the client bounds the works outstanding by the ring's size.
    private final PipelineWork[] inFlight;
    private final int mask;
    private volatile long inFlightHead;                     // written by the reader, then by the drain
    private volatile long inFlightTail;                     // written by the writer
    private volatile long sentUpTo;                         // works before this position may have reached the server
    private volatile long lastProgressNanos;                // a response completed, or a request went onto an empty ring

    // deadlines the sweeper enforces, System.nanoTime() terms, 0: none
    private volatile long dialDeadline;
    private volatile long writeDeadline;

    // the writer's
    private final ByteBuf out;
    private ByteBuffer writeView;

    // the reader's (read by the drain once the reader has left)
    private final ResponseParser parser;
    private byte[] readBuf;
    private ByteBuffer readView;
    private int readPos;
    private int readEnd;
    private PipelineWork reading;                           // the work whose response is being parsed: the ring's head
    private long responseBytes;                             // bytes of that response parsed so far

    PipelineConn(PipelineClient client, PipelineSettings settings, int slot) {
        this.client = client;
        this.settings = settings;
        this.slot = slot;
        this.name = client.addr();
        int capacity = 2;
        while (capacity < settings.maxPendingRequests()) capacity <<= 1;
        this.inFlight = new PipelineWork[capacity];
        this.mask = capacity - 1;
        this.out = new ByteBuf(settings.writeBufferSize());
        this.writeView = ByteBuffer.wrap(out.array());
        this.readBuf = new byte[settings.readBufferSize()];
        this.readView = ByteBuffer.wrap(readBuf);
        this.parser = new ResponseParser(settings.responseLimits());
        parser.setCopyHeader(true);   // the response must outlive the read buffer, which the next response reuses
        this.writer = settings.threadFactory().newThread(this::runWriter);
    }

    void start() {
        writer.start();
    }

    // ---- state the client reads without a lock ----

    boolean isEnded() {
        return ending != null;
    }

    /** Dialing, or requests in flight: a new call is better served by another connection if one may be opened. */
    boolean isBusy() {
        return !connected || inFlightTail != inFlightHead;
    }

    int inFlightCount() {
        return (int) (inFlightTail - inFlightHead);
    }

    /** Wakes the writer if it is parked for want of work; false if it was not. */
    boolean wakeWriter() {
        if (!writerWaiting || !WRITER_WAITING.compareAndSet(this, true, false)) return false;
        LockSupport.unpark(writer);
        return true;
    }

    /** For the works still queued when this connection ended: their error, if it could serve none of them. */
    IOException queuedFailure() {
        return queuedFailure;
    }

    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ---- ending ----

    /** Ends the connection for {@code reason} unless it has ended already; closes the channel, which wakes both threads. */
    void end(End reason, String detail, PipelineWork timedOut) {
        if (!ENDING.compareAndSet(this, null, new Ending(reason, detail, timedOut))) return;
        closeChannel();
        LockSupport.unpark(writer);
    }

    /** Ends the connection if its dial, write or read deadline has passed; called by the sweeper. */
    void expireIfOverdue(long now) {
        if (ending != null) return;
        long d = dialDeadline;
        if (d != 0 && now - d >= 0) {
            end(End.DIAL_TIMEOUT, "connecting took longer than dialTimeout=" + millis(settings.dialTimeoutNanos()), null);
            return;
        }
        d = writeDeadline;
        if (d != 0 && now - d >= 0) {
            end(End.WRITE_TIMEOUT, "writing took longer than writeTimeout=" + millis(settings.writeTimeoutNanos()), null);
            return;
        }
        long readTimeout = settings.readTimeoutNanos();
        if (readTimeout > 0 && sentUpTo > inFlightHead && now - lastProgressNanos >= readTimeout) {
            end(End.READ_TIMEOUT, "no response within readTimeout=" + millis(readTimeout), null);
        }
    }

    private static String millis(long nanos) {
        return nanos / 1_000_000 + "ms";
    }

    private void closeChannel() {
        SocketChannel ch = channel;
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing is best effort: the descriptor is released either way
        }
    }

    /** Runs on whichever thread leaves last: completes what is still in flight, then tells the client. */
    private void threadLeft() {
        if (threads.decrementAndGet() > 0) return;
        if (ending == null) end(End.BROKEN, "both threads left without a reason", null);
        closeChannel();
        End reason = ending.reason();
        if (connected && sentUpTo == 0 && (reason == End.SERVER_CLOSED || reason == End.MALFORMED || reason == End.BROKEN)) {
            // the server ended it before we wrote anything: dialing again for the queued works could go on for ever
            queuedFailure = new HttpClientException.ConnectionClosed("connection to " + name + " ended before it wrote a request: " + ending.detail(), null);
        }
        completeUnanswered();
        try {
            client.connEnded(this);
        } finally {
            ended.countDown();   // after the client has forgotten this connection: close() then counts none
        }
    }

    private void completeUnanswered() {
        Ending e = ending;
        long head = inFlightHead;
        long tail = inFlightTail;
        long partial = reading == null ? 0 : responseBytes + (readEnd - readPos);
        for (long i = head; i < tail; i++) {
            PipelineWork w = inFlight[(int) i & mask];
            inFlight[(int) i & mask] = null;
            completeUnanswered(w, e, i < sentUpTo, i == head ? partial : 0, i == head);
        }
        inFlightHead = tail;
    }

    private void completeUnanswered(PipelineWork w, Ending e, boolean sent, long bytes, boolean first) {
        if (e.reason() == End.CLIENT_CLOSED) {
            w.complete(new HttpClientException.ConnectionClosed("PipelineClient for " + name + " was closed before the response arrived", null), false, sent);
        } else if (!sent) {
            w.complete(new HttpClientException.ConnectionClosed("connection to " + name + " ended before the request was sent: " + e.detail(), null), true, false);
        } else {
            w.complete(errorFor(w, e, bytes, first), e.reason().retriesUnanswered && bytes == 0, true);
        }
    }

    private HttpClientException errorFor(PipelineWork w, Ending e, long bytes, boolean first) {
        return switch (e.reason()) {
            case READ_TIMEOUT -> first
                    ? new HttpClientException.Timeout("timed out reading the response from " + name + ": " + e.detail())
                    : closedBehind("an earlier request on it timed out (" + e.detail() + ")");
            case WRITE_TIMEOUT -> new HttpClientException.Timeout("timed out writing requests to " + name + ": " + e.detail());
            case CALLER_TIMEOUT -> w == e.timedOut()
                    ? new HttpClientException.Timeout("timed out waiting for the response from " + name)
                    : closedBehind("an earlier request on it timed out (" + e.detail() + ")");
            case MALFORMED -> closedBehind("an earlier response was malformed: " + e.detail());
            default -> new HttpClientException.ConnectionClosed("connection to " + name + " ended after " + bytes
                    + " bytes of this response: " + e.detail(), null);
        };
    }

    private HttpClientException closedBehind(String why) {
        return new HttpClientException.ConnectionClosed("connection to " + name + " was closed because " + why
                + "; responses arrive in order, so this request, sent behind it, got no response", null);
    }

    // ---- the writer ----

    private void runWriter() {
        try {
            if (!dial()) return;
            startReader();
            writeLoop();
        } catch (IOException e) {
            end(End.SERVER_CLOSED, "writing failed: " + e, null);
        } catch (Throwable t) {
            end(End.BROKEN, "the writer failed: " + t, null);
        } finally {
            threadLeft();
        }
    }

    private void startReader() {
        Thread reader = settings.threadFactory().newThread(this::runReader);
        threads.incrementAndGet();
        try {
            reader.start();
        } catch (Throwable t) {
            threads.decrementAndGet();
            throw t;
        }
    }

    /** Connects; false when that failed (the connection has ended, and the client was told). */
    private boolean dial() {
        IOException failure;
        try {
            InetSocketAddress address = new InetSocketAddress(client.host(), client.port());   // resolves: DNS is consulted for each new connection
            if (address.isUnresolved()) throw new UnknownHostException(client.host());
            SocketChannel ch = SocketChannel.open();
            channel = ch;
            if (ending != null) return false;   // the client closed meanwhile, and may have missed the channel
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            dialDeadline = HttpWire.earliest(0, settings.dialTimeoutNanos());
            ch.connect(address);
            dialDeadline = 0;
            lastProgressNanos = System.nanoTime();
            connected = true;
            return true;
        } catch (IOException e) {
            Ending e0 = ending;
            failure = e0 != null && e0.reason() == End.DIAL_TIMEOUT
                    ? new HttpClientException.DialTimeout("connecting to " + name + " took longer than dialTimeout=" + millis(settings.dialTimeoutNanos()))
                    : e;
        }
        end(End.DIAL_FAILED, "connecting failed: " + failure, null);
        if (ending.reason() != End.CLIENT_CLOSED) queuedFailure = failure;
        return false;
    }

    /** Takes queued works while there are any, writing each batch once; returns when the connection ends or idles out. */
    private void writeLoop() throws IOException {
        long batchDelay = settings.maxBatchDelayNanos();
        long batchStarted = 0;
        while (ending == null) {
            PipelineWork w = client.queue.poll();
            if (w != null) {
                if (!w.take(this)) {   // its caller gave up while it was queued, and left it to us
                    client.release(w);
                    continue;
                }
                if (!append(w)) continue;
                if (w.closeAfter) {   // the server closes after answering it: write nothing more
                    flush();
                    return;
                }
                if (batchDelay > 0 && batchStarted == 0) batchStarted = System.nanoTime();
                if (out.length() >= settings.writeBufferSize()) {
                    flush();
                    batchStarted = 0;
                }
            } else if (!out.isEmpty()) {
                long left = batchDelay == 0 ? 0 : batchDelay - (System.nanoTime() - batchStarted);
                if (left > 0) {
                    awaitWork(left);
                } else {
                    flush();
                    batchStarted = 0;
                }
            } else if (!awaitWorkOrIdle()) {
                return;
            }
        }
    }

    /** Encodes the request after those already buffered and puts the work in flight; false if it could not be encoded. */
    private boolean append(PipelineWork w) {
        var header = w.request.header();
        w.head = header.isHead();
        w.closeAfter = header.connectionClose();
        int mark = out.length();
        try {
            w.target.write(w.request, client.defaultHost(), out);
        } catch (RuntimeException e) {   // a request we cannot encode fails alone; nothing of it was sent
            out.setLength(mark);
            w.complete(new IOException("could not encode the request for " + name + ": " + e, e), false, false);
            return false;
        }
        long tail = inFlightTail;
        if (tail == inFlightHead) lastProgressNanos = System.nanoTime();   // the read timeout counts from here on an idle connection
        inFlight[(int) tail & mask] = w;
        inFlightTail = tail + 1;   // publishes the work (and its fields) to the reader
        return true;
    }

    private void flush() throws IOException {
        sentUpTo = inFlightTail;   // from here on the server may see every work in flight
        if (writeView.array() != out.array()) writeView = ByteBuffer.wrap(out.array());   // the buffer grew
        writeView.limit(out.length()).position(0);
        writeDeadline = HttpWire.earliest(0, settings.writeTimeoutNanos());
        while (writeView.hasRemaining()) channel.write(writeView);
        writeDeadline = 0;
        out.reset();
    }

    /**
     * Waits for queued work; false when the connection ended, or has had nothing in flight for
     * {@code maxIdleConnDuration} (it is then ended as idle).
     */
    private boolean awaitWorkOrIdle() {
        long maxIdle = settings.maxIdleConnNanos();
        while (true) {
            if (ending != null) return false;
            if (!client.queue.isEmpty()) return true;
            long idleFor = System.nanoTime() - lastProgressNanos;
            if (inFlightTail == inFlightHead && idleFor >= maxIdle) {
                end(End.IDLE, "idle for maxIdleConnDuration=" + millis(maxIdle), null);
                return false;
            }
            awaitWork(Math.max(maxIdle - idleFor, 1_000_000));
        }
    }

    // Dekker-style with the caller's offer-then-wakeWriter: we publish "waiting" before checking the
    // queue, the caller publishes its work before checking "waiting", so one of us sees the other.
    private void awaitWork(long nanos) {
        writerWaiting = true;
        if (client.queue.isEmpty() && ending == null) LockSupport.parkNanos(this, nanos);
        writerWaiting = false;
    }

    // ---- the reader ----

    private void runReader() {
        try {
            readLoop();
        } catch (BadRequestException e) {
            malformed(e);
        } catch (IOException e) {
            end(End.SERVER_CLOSED, "reading failed: " + e, null);
        } catch (Throwable t) {
            end(End.BROKEN, "the reader failed: " + t, null);
        } finally {
            threadLeft();
        }
    }

    /** Parses responses as bytes arrive, each into the work at the head of the ring, until the connection ends. */
    private void readLoop() throws IOException {
        while (true) {
            while (readPos < readEnd) {
                if (reading == null && !startNextResponse()) {
                    end(End.MALFORMED, (readEnd - readPos) + " bytes arrived with no request in flight", null);
                    return;
                }
                int from = readPos;
                readPos = parser.parse(readBuf, readPos, readEnd, reading.response);
                responseBytes += readPos - from;
                if (!parser.isComplete()) break;
                if (isInterim(reading.response)) {   // RFC 9110 §15.2: a client skips 1xx responses it did not ask for
                    reading.response.reset();
                    parser.reset();
                    continue;
                }
                String endsConnection = endsConnection(reading);
                if (endsConnection != null) end(End.SERVER_ENDED, endsConnection, null);
                finishReading(null);
                if (endsConnection != null) return;
            }
            if (readPos == readEnd) {
                readPos = readEnd = 0;
            } else if (readEnd == readBuf.length) {
                makeRoom();
            }
            readView.limit(readBuf.length).position(readEnd);
            int n = channel.read(readView);
            if (n == 0) throw new IOException("read returned 0 bytes in blocking mode");
            if (n < 0) {
                endOfInput();
                return;
            }
            readEnd += n;
        }
    }

    private boolean startNextResponse() {
        long head = inFlightHead;
        if (head == inFlightTail) return false;
        reading = inFlight[(int) head & mask];
        responseBytes = 0;
        parser.reset();
        parser.setHeadResponse(reading.head);
        return true;
    }

    private static boolean isInterim(Response response) {
        int status = response.statusCode();
        return status >= 100 && status < 200 && status != 101;
    }

    /** Why no response may follow this one on the connection, or null when more may. */
    private static String endsConnection(PipelineWork w) {
        if (w.closeAfter) return "the request asked for Connection: close";
        if (w.response.statusCode() == 101) return "the server switched protocols (101)";
        if (!w.response.header().isKeepAlive()) return "the server answered with Connection: close (or HTTP/1.0 without keep-alive)";
        return null;
    }

    /** Takes the head work off the ring and completes it; the read timeout starts over for the next. */
    private void finishReading(IOException error) {
        PipelineWork w = reading;
        reading = null;
        long head = inFlightHead;
        inFlight[(int) head & mask] = null;
        lastProgressNanos = System.nanoTime();
        inFlightHead = head + 1;
        w.complete(error, false, true);
    }

    /** The server closed the connection: completes a close-delimited response; anything else was cut short. */
    private void endOfInput() {
        if (reading != null && parser.isHeaderComplete()) {
            try {
                parser.parseEof(reading.response);
            } catch (BadRequestException e) {
                end(End.SERVER_CLOSED, "the server closed the connection in the middle of a response: " + e.getMessage(), null);
                return;   // the drain fails it: some of it arrived, so it is not sent again
            }
            end(End.SERVER_ENDED, "the server closed the connection after a close-delimited response", null);
            finishReading(null);
            return;
        }
        end(End.SERVER_CLOSED, "the server closed the connection", null);
    }

    private void malformed(BadRequestException e) {
        String message = e.getMessage() + " (" + name + ")";
        end(End.MALFORMED, message, null);
        if (reading == null) return;
        finishReading(e.status() == 413
                ? new HttpClientException.BodyTooLarge(e.getMessage() + " (maxResponseBodySize) from " + name)
                : new HttpClientException.MalformedResponse(message, e));
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

    @Override
    public String toString() {
        return "PipelineConn[" + name + ", slot=" + slot + ", inFlight=" + inFlightCount() + ", ending=" + ending + "]";
    }
}
