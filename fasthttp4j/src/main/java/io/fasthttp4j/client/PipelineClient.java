package io.fasthttp4j.client;

import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.pool.ObjectPool;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A client that pipelines many requests over a few connections to one host: fasthttp's
 * PipelineClient. Callers queue their request and block until its response is read; each connection
 * has a writer thread that takes every queued request there is, writes them in one buffer and flushes
 * once per batch, and a reader thread that parses the responses in order and hands each to its
 * caller. For servers that answer pipelined requests quickly; one slow response holds up those behind
 * it on its connection (use {@link HostClient} for that). Thread-safe: share one per host. In steady
 * state a call allocates nothing of its own.
 *
 * <p>Connections are dialed on demand, up to {@code maxConns}: a new one when every open one has
 * requests in flight. They are dialed as {@link HostClient}'s are (DNS cache, proxy, limit on dials
 * in flight, and with {@link Builder#tls tls(true)} TLS with the {@link ConnSettingsBuilder#sslContext
 * sslContext}'s trust and the host name checked; see {@link ConnSettingsBuilder}). A failed dial fails
 * the calls queued with its error ({@link javax.net.ssl.SSLHandshakeException} naming the server for
 * an untrusted certificate or a wrong name). A request's URI may be origin-form or absolute; the
 * request line carries the origin-form, a Host field is added when the request has none, and the
 * connection always goes to this client's address.
 *
 * <p><b>Failures.</b> A connection that fails fails the requests in flight on it; it is then closed,
 * and another is dialed for the requests still queued. Requests not yet written are always sent again
 * on the next connection. A written request whose response had not begun is sent again, up to
 * {@code maxIdempotentCallAttempts} in all, when the server ended the connection (closed or reset it,
 * or answered an earlier request with {@code Connection: close}) and the method is idempotent (RFC
 * 9112 §9.3.2); otherwise it fails with {@link HttpClientException.ConnectionClosed}. A malformed
 * response fails its own request with {@link HttpClientException.MalformedResponse} and those behind
 * it with {@code ConnectionClosed}, not sent again: the server is broken.
 *
 * <p><b>Timeouts.</b> A call that passes its deadline ({@link #doTimeout}, {@link #doDeadline}) fails
 * with {@link HttpClientException.Timeout}. If its request was still queued nothing was sent and
 * nothing else is affected. If it was in flight, its connection is closed: responses arrive in order,
 * so no response behind the one that is late could be read without waiting for it. The requests in
 * flight behind it fail with {@code ConnectionClosed} saying so, and are not sent again. The read and
 * write timeouts likewise close the connection.
 */
public final class PipelineClient implements AutoCloseable {
    /** Default of {@link Builder#maxConns}: 1, as fasthttp. */
    public static final int DEFAULT_MAX_CONNS = 1;
    /** Default of {@link Builder#maxPendingRequests}: 1024, as fasthttp. */
    public static final int DEFAULT_MAX_PENDING_REQUESTS = 1024;

    private static final int DONE = 0;
    private static final int CANCELLED = 1;     // gave up while queued: the writer that finds the work releases it
    private static final int ABORTED = 2;       // gave up in flight: the connection was closed
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final String addr;
    private final String host;
    private final int port;
    private final byte[] defaultHost;           // the Host field for a request that names no host
    private final PipelineSettings settings;
    private final Dialer dialer;
    final WorkQueue queue;
    private final ObjectPool<PipelineWork> works;
    private final AtomicInteger pending = new AtomicInteger();   // works acquired and not released: queued, in flight, or cancelled and still queued
    private final AtomicReferenceArray<PipelineConn> conns;      // a slot per connection; set under lock, read without
    private final ReentrantLock lock = new ReentrantLock();      // held to start connections and to close; never across I/O
    private final Sweeper sweeper;
    private volatile boolean closed;

    private PipelineClient(String addr, PipelineSettings settings, Dialer dialer) {
        this.addr = addr;
        this.settings = settings;
        this.dialer = dialer;
        HostClient.HostPort hp = HostClient.HostPort.parse(addr, settings.base().tls() ? 443 : 80);
        this.host = hp.host();
        this.port = hp.port();
        this.defaultHost = addr.getBytes(StandardCharsets.US_ASCII);
        this.queue = new WorkQueue(settings.maxPendingRequests());
        this.works = new ObjectPool<>("PipelineWork", settings.maxPendingRequests(), PipelineWork::new, PipelineWork::reset, false);
        this.conns = new AtomicReferenceArray<>(settings.base().maxConns());
        this.sweeper = new Sweeper("fasthttp4j-pipeline-sweeper " + addr);
        sweeper.register(new Swept());
    }

    /** Starts a builder for a client of {@code addr}: {@code "host:port"} or {@code "[v6]:port"} (port 80, or 443 with TLS, when absent). */
    public static Builder builder(String addr) {
        return new Builder(addr);
    }

    /** The address this client was built for, as given. */
    public String addr() {
        return addr;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    byte[] defaultHost() {
        return defaultHost;
    }

    Dialer dialer() {
        return dialer;
    }

    // ---- calls ----

    /**
     * Queues {@code request}, and blocks until its response is read into {@code response} (reset
     * first) or the call fails; see the class comment for what is retried. The caller must not touch
     * either until the call returns. The response owns its bytes: valid until it is reset or released.
     *
     * @throws HttpClientException.PipelineOverflow when {@code maxPendingRequests} calls are already queued or in flight
     * @throws HttpClientException                   for the other failures a caller may want to tell apart (its subtypes)
     * @throws IOException                           when the connection cannot be set up (refused, unknown host...)
     * @throws IllegalArgumentException              for a URI that is neither origin-form nor http(s); nothing is sent
     */
    public void doRequest(Request request, Response response) throws IOException {
        doDeadlineNanos(request, response, 0);
    }

    /** Like {@link #doRequest}, failing with {@link HttpClientException.Timeout} if the response is not complete within {@code timeout}. */
    public void doTimeout(Request request, Response response, Duration timeout) throws IOException {
        doDeadlineNanos(request, response, HttpWire.deadlineAfter(timeout.toNanos()));
    }

    /** Like {@link #doTimeout}, with an absolute deadline. */
    public void doDeadline(Request request, Response response, Instant deadline) throws IOException {
        doDeadlineNanos(request, response, HttpWire.deadlineAfter(Duration.between(Instant.now(), deadline).toNanos()));
    }

    private void doDeadlineNanos(Request request, Response response, long deadline) throws IOException {
        if (closed) throw closedException();
        reserve();
        PipelineWork w = works.acquire();
        try {
            w.target.parse(request);   // a bad URI fails here, before anything is queued
            w.request = request;
            w.response = response;
            w.waiter = Thread.currentThread();
            for (int attempt = 1; ; attempt++) {
                response.reset();
                submit(w);
                int outcome = await(w, deadline);
                if (outcome == CANCELLED) {
                    w = null;   // the writer that finds it in the queue releases it
                    throw gaveUp(false);
                }
                IOException error = w.error;
                if (error == null) return;   // complete, even if it completed while we gave up
                if (outcome == ABORTED) throw gaveUp(true);
                if (!mayRetry(w, attempt, deadline)) throw error;
                w.requeue();
            }
        } finally {
            if (w != null) release(w);
        }
    }

    private void reserve() throws HttpClientException.PipelineOverflow {
        if (pending.incrementAndGet() > settings.maxPendingRequests()) {
            pending.decrementAndGet();
            throw new HttpClientException.PipelineOverflow("maxPendingRequests=" + settings.maxPendingRequests() + " requests to "
                    + addr + " are already queued or in flight; this one was not queued");
        }
    }

    /** Gives a work back to the pool; its call is over. */
    void release(PipelineWork w) {
        works.release(w);
        pending.decrementAndGet();
    }

    private void submit(PipelineWork w) {
        while (!queue.offer(w)) Thread.onSpinWait();   // transient: the bound on pending keeps a slot, still being freed by a writer
        dispatch();
    }

    /** Waits until the work is done; gives up at the deadline or when the caller is interrupted. */
    private int await(PipelineWork w, long deadline) {
        while (!w.isDone()) {
            if (deadline == 0) {
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) return giveUp(w, "the call's deadline passed");
                LockSupport.parkNanos(this, left);
            }
            if (Thread.currentThread().isInterrupted()) return giveUp(w, "the caller was interrupted");
        }
        return DONE;
    }

    private int giveUp(PipelineWork w, String why) {
        if (w.cancel()) return CANCELLED;
        PipelineConn c = w.conn;   // null when the client itself is completing it
        if (c != null && !w.isDone()) c.end(PipelineConn.End.CALLER_TIMEOUT, why, w);
        boolean interrupted = Thread.interrupted();
        while (!w.isDone()) LockSupport.park(this);   // the connection's end completes it promptly
        if (interrupted) Thread.currentThread().interrupt();
        return ABORTED;
    }

    private IOException gaveUp(boolean inFlight) {
        String where = inFlight
                ? "it was in flight, so its connection was closed (responses arrive in order) and the requests behind it failed"
                : "it was still queued, so nothing was sent";
        if (Thread.currentThread().isInterrupted()) return new InterruptedIOException("interrupted waiting for the response from " + addr + "; " + where);
        return new HttpClientException.Timeout("timed out waiting for the response from " + addr + "; " + where);
    }

    private boolean mayRetry(PipelineWork w, int attempt, long deadline) {
        if (!w.retryable || attempt >= settings.base().maxIdempotentCallAttempts() || closed) return false;
        if (deadline != 0 && deadline - System.nanoTime() <= 0) return false;
        return !w.sent || isIdempotent(w.request);
    }

    // RFC 9110 §9.2.2
    private static boolean isIdempotent(Request request) {
        var h = request.header();
        return h.isGet() || h.isHead() || h.isPut() || h.isDelete() || h.isOptions() || h.isTrace();
    }

    // ---- connections ----

    /**
     * Gets the work just queued written: wakes an idle writer, or dials when no connection is open,
     * or when every open one has requests in flight and fewer than {@code maxConns} are open.
     */
    private void dispatch() {
        int live = 0;
        boolean allBusy = true;
        for (int i = 0; i < conns.length(); i++) {
            PipelineConn c = conns.get(i);
            if (c == null || c.isEnded()) continue;
            if (c.wakeWriter()) return;
            live++;
            if (!c.isBusy()) allBusy = false;
        }
        if (live == 0 || (allBusy && live < conns.length())) startConn();
    }

    private void startConn() {
        PipelineConn started = null;
        boolean refused;
        IOException cannotStart = null;
        lock.lock();
        try {
            refused = closed;
            if (!refused) {
                int free = -1;
                int live = 0;
                boolean allBusy = true;
                for (int i = 0; i < conns.length(); i++) {   // again under the lock: another caller may have dialed meanwhile
                    PipelineConn c = conns.get(i);
                    if (c == null || c.isEnded()) {
                        if (free < 0) free = i;
                    } else {
                        live++;
                        allBusy &= c.isBusy();
                    }
                }
                if (free >= 0 && (live == 0 || allBusy)) {
                    try {
                        started = new PipelineConn(this, settings, free);
                        conns.set(free, started);   // an ended one in this slot is only finishing its threads
                        started.start();
                    } catch (RuntimeException | OutOfMemoryError e) {   // no thread: the queued works must still end
                        if (started != null) conns.compareAndSet(free, started, null);
                        started = null;
                        if (live == 0) cannotStart = new IOException("could not start a connection thread for " + addr + ": " + e, e);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (refused) failQueued(closedException());
        if (cannotStart != null) failQueued(cannotStart);
        if (started != null) sweeper.ensureRunning();
    }

    /** A connection's threads have left and its in-flight works are completed: dials again for what is queued. */
    void connEnded(PipelineConn c) {
        conns.compareAndSet(c.slot, c, null);
        if (queue.isEmpty()) return;
        IOException failure = c.queuedFailure();
        if (closed) failQueued(closedException());
        else if (failure != null && liveConns() == 0) failQueued(failure);   // no connection to be had: do not dial for ever
        else dispatch();
    }

    private int liveConns() {
        int live = 0;
        for (int i = 0; i < conns.length(); i++) {
            PipelineConn c = conns.get(i);
            if (c != null && !c.isEnded()) live++;
        }
        return live;
    }

    /** Fails every queued work with {@code error} (one instance for all), releasing those whose callers have left. */
    private void failQueued(IOException error) {
        for (PipelineWork w; (w = queue.poll()) != null; ) {
            if (w.take(null)) w.complete(error, false, false);
            else release(w);
        }
    }

    private HttpClientException.ConnectionClosed closedException() {
        return new HttpClientException.ConnectionClosed("PipelineClient for " + addr + " is closed", null);
    }

    // ---- counters and closing ----

    /** Calls queued or in flight (and given-up ones still in the queue, until a writer drops them). */
    public int pendingRequests() {
        return pending.get();
    }

    /** Connections open, being dialed, or finishing after they closed. */
    public int connsCount() {
        int n = 0;
        for (int i = 0; i < conns.length(); i++) if (conns.get(i) != null) n++;
        return n;
    }

    /** Works handed out by the pool and not yet released (tests assert zero once callers have returned). */
    long worksInUse() {
        return works.outstanding();
    }

    /**
     * Refuses new calls, fails the queued and in-flight ones with {@link HttpClientException.ConnectionClosed},
     * closes every connection and waits (up to 5 s) for their threads to finish.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < conns.length(); i++) {
            PipelineConn c = conns.get(i);
            if (c != null) c.end(PipelineConn.End.CLIENT_CLOSED, "the client was closed", null);
        }
        try {
            for (int i = 0; i < conns.length(); i++) {
                PipelineConn c = conns.get(i);
                if (c != null) c.awaitEnd(CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued(closedException());
    }

    @Override
    public String toString() {
        return "PipelineClient[" + addr + ", conns=" + connsCount() + ", pending=" + pendingRequests() + "]";
    }

    /** What the sweeper sees: this client's connections and their deadlines. */
    private final class Swept implements Sweeper.Swept {
        @Override
        public int sweep(long now) {
            for (int i = 0; i < conns.length(); i++) {
                PipelineConn c = conns.get(i);
                if (c != null) c.expireIfOverdue(now);
            }
            return connsCount();
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public int connsCount() {
            return PipelineClient.this.connsCount();
        }
    }

    /**
     * Collects the settings of a {@link PipelineClient}: its own (connections, pending calls, batching,
     * threads) and those every client shares ({@link ConnSettingsBuilder}), with the same defaults as
     * {@link HostClient}'s. Connections speak plain HTTP or, with {@link #tls tls(true)}, https; either
     * directly or through a proxy's tunnel.
     */
    public static final class Builder extends ConnSettingsBuilder<Builder> {
        private final String addr;
        private int maxConns = DEFAULT_MAX_CONNS;
        private int maxPendingRequests = DEFAULT_MAX_PENDING_REQUESTS;
        private Duration maxBatchDelay = Duration.ZERO;
        private ThreadFactory threadFactory;
        private boolean tls;

        private Builder(String addr) {
            if (addr == null || addr.isBlank() || addr.indexOf(',') >= 0) throw new IllegalArgumentException("one address expected, was \"" + addr + "\"");
            this.addr = addr.trim();
        }

        /**
         * Most connections to the host. Default {@value #DEFAULT_MAX_CONNS}, as fasthttp: one
         * connection carries many requests. Another is dialed when every open one has requests in flight.
         */
        public Builder maxConns(int max) {
            maxConns = positive("maxConns", max);
            return this;
        }

        /**
         * Most calls queued or in flight at once, over all connections. Default
         * {@value #DEFAULT_MAX_PENDING_REQUESTS}, as fasthttp. A call beyond it fails at once with
         * {@link HttpClientException.PipelineOverflow}: a stalled server must not make callers pile up
         * without bound. Queue and in-flight rings take about 12 bytes per pending request and connection.
         */
        public Builder maxPendingRequests(int max) {
            maxPendingRequests = positive("maxPendingRequests", max);
            return this;
        }

        /**
         * How long a writer that has drained the queue waits for more requests before it flushes the
         * batch. Default zero, as fasthttp: flush as soon as the queue is empty. A delay trades latency
         * for fewer, larger writes when callers arrive a little apart.
         */
        public Builder maxBatchDelay(Duration delay) {
            maxBatchDelay = notNegative("maxBatchDelay", delay);
            return this;
        }

        /**
         * Makes the two threads of each connection (writer, reader). Default: virtual threads. Platform
         * threads are an option for those who measure something better for their load.
         */
        public Builder threadFactory(ThreadFactory factory) {
            threadFactory = Objects.requireNonNull(factory);
            return this;
        }

        /**
         * Speaks https: TLS on every connection, port 443 where the address names none. Default false.
         * See {@link #sslContext} for trust, host-name verification and SNI.
         */
        public Builder tls(boolean value) {
            tls = value;
            return this;
        }

        public PipelineClient build() {
            ThreadFactory factory = threadFactory != null ? threadFactory : Thread.ofVirtual().name("fasthttp4j-pipeline " + addr + " #", 0).factory();
            Settings base = settings(maxConns, Duration.ZERO, Duration.ZERO, null).withTls(tls);   // no pool limits, no retry rule
            return new PipelineClient(addr, new PipelineSettings(base, maxPendingRequests, maxBatchDelay.toNanos(), factory), dialer(base));
        }
    }
}
