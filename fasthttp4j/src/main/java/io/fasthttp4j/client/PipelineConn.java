package io.fasthttp4j.client;

import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.pool.ByteBuf;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One connection of a {@link PipelineClient}, run by two threads over one {@link HttpWire}. The
 * writer dials (through the client's {@link Dialer}: connect, proxy tunnel, TLS handshake for https),
 * then takes works from the client's
 * {@link WorkQueue} as long as there are any, appends their requests to the wire's buffer and writes
 * it once per batch. The reader reads the responses in order and completes each work. Works pass
 * from writer to reader through {@link #inFlight}, a ring in the order written.
 *
 * <p>The connection ends once, for one recorded reason ({@link End}). Whoever sees the reason first
 * records it and closes the channel, which fails the blocked read and write and so stops both
 * threads; the last of the two to leave completes every work still in flight, with an error that
 * depends on the reason and on whether the work was sent, and tells the client, which dials again if
 * work is queued. No socket timeout is set: the client's {@link Sweeper} ends a connection whose
 * dial or write deadline (the wire's) or read timeout has passed (DESIGN.md, "Timeouts without
 * per-socket timers").
 *
 * <p>Over TLS the two threads share one {@link TlsChannel}: the writer wraps while the reader
 * unwraps. The connection is ended by closing the socket, never with close_notify: sending one needs
 * the socket in non-blocking mode, which waits for the reader's blocked read to end.
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
    private final HttpWire wire;                            // its write half the writer's, its read half the reader's
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
    private PipelineWork reading;                           // the reader's (then the drain's): the ring's head, its response being read

    PipelineConn(PipelineClient client, PipelineSettings settings, int slot) {
        this.client = client;
        this.settings = settings;
        this.slot = slot;
        this.name = client.addr();
        int capacity = 2;
        while (capacity < settings.maxPendingRequests()) capacity <<= 1;
        this.inFlight = new PipelineWork[capacity];
        this.mask = capacity - 1;
        Settings base = settings.base();
        this.wire = new HttpWire(name, base.readBufferSize(), base.writeBufferSize(), base.responseLimits());
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

    /** Ends the connection for {@code reason} unless it has ended already; closes the wire, which wakes both threads. */
    void end(End reason, String detail, PipelineWork timedOut) {
        if (!ENDING.compareAndSet(this, null, new Ending(reason, detail, timedOut))) return;
        wire.abort();   // the reason first: a thread that fails on the closed socket then finds it recorded
        LockSupport.unpark(writer);
    }

    /** Ends the connection if its dial or write deadline, or its read timeout, has passed; called by the sweeper. */
    void expireIfOverdue(long now) {
        if (ending != null) return;
        boolean dialing = !connected;   // read first: the wire's deadline is the dial's until connected is set
        if (wire.isOverdue(now)) {
            if (dialing) end(End.DIAL_TIMEOUT, "connecting took longer than dialTimeout=" + millis(settings.base().dialTimeoutNanos()), null);
            else end(End.WRITE_TIMEOUT, "writing took longer than writeTimeout=" + millis(settings.base().writeTimeoutNanos()), null);
            return;
        }
        long readTimeout = settings.base().readTimeoutNanos();
        if (readTimeout > 0 && sentUpTo > inFlightHead && now - lastProgressNanos >= readTimeout) {
            end(End.READ_TIMEOUT, "no response within readTimeout=" + millis(readTimeout), null);
        }
    }

    private static String millis(long nanos) {
        return nanos / 1_000_000 + "ms";
    }

    /** Runs on whichever thread leaves last: completes what is still in flight, then tells the client. */
    private void threadLeft() {
        if (threads.decrementAndGet() > 0) return;
        if (ending == null) end(End.BROKEN, "both threads left without a reason", null);
        wire.abort();
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
        long partial = reading == null ? 0 : wire.responseBytes();
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
        long dialTimeout = settings.base().dialTimeoutNanos();
        IOException failure;
        try {
            client.dialer().dial(wire, client.host(), client.port(), settings.base().tls(), HttpWire.earliest(0, dialTimeout));   // refused once ended
            lastProgressNanos = System.nanoTime();
            connected = true;
            return true;
        } catch (IOException e) {
            Ending e0 = ending;
            failure = e0 != null && e0.reason() == End.DIAL_TIMEOUT
                    ? new HttpClientException.DialTimeout("connecting to " + name + " took longer than dialTimeout=" + millis(dialTimeout))
                    : e;
        }
        end(End.DIAL_FAILED, "connecting failed: " + failure, null);
        if (ending.reason() != End.CLIENT_CLOSED) queuedFailure = failure;
        return false;
    }

    /** Takes queued works while there are any, writing each batch once; returns when the connection ends or idles out. */
    private void writeLoop() throws IOException {
        long batchDelay = settings.maxBatchDelayNanos();
        ByteBuf out = wire.out;
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
                if (out.length() >= settings.base().writeBufferSize()) {
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
        int mark = wire.out.length();
        try {
            w.target.write(w.request, client.defaultHost(), wire.out);
        } catch (RuntimeException e) {   // a request we cannot encode fails alone; nothing of it was sent
            wire.out.setLength(mark);
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
        wire.setDeadline(HttpWire.earliest(0, settings.base().writeTimeoutNanos()));
        wire.flush();
        wire.setDeadline(0);
        wire.out.reset();
    }

    /**
     * Waits for queued work; false when the connection ended, or has had nothing in flight for
     * {@code maxIdleConnDuration} (it is then ended as idle).
     */
    private boolean awaitWorkOrIdle() {
        long maxIdle = settings.base().maxIdleConnNanos();
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

    /** Reads responses as bytes arrive, each into the work at the head of the ring, until the connection ends. */
    private void readLoop() throws IOException {
        while (wire.awaitInput()) {
            if (!startNextResponse()) {
                end(End.MALFORMED, wire.unread() + " bytes arrived with no request in flight", null);
                return;
            }
            if (!wire.readResponse(reading.response)) break;
            String endsConnection = endsConnection(reading);
            if (endsConnection != null) end(End.SERVER_ENDED, endsConnection, null);
            finishReading(null);
            if (endsConnection != null) return;
        }
        endOfInput();
    }

    private boolean startNextResponse() {
        long head = inFlightHead;
        if (head == inFlightTail) return false;
        reading = inFlight[(int) head & mask];
        wire.startResponse(reading.head, false);
        return true;
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
        if (reading != null && wire.isHeaderComplete()) {
            try {
                wire.parseEof(reading.response);
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
        end(End.MALFORMED, e.getMessage() + " (" + name + ")", null);
        if (reading != null) finishReading(wire.malformed(e));
    }

    @Override
    public String toString() {
        return "PipelineConn[" + name + ", slot=" + slot + ", inFlight=" + inFlightCount() + ", ending=" + ending + "]";
    }
}
