package io.fasthttp4j.server;

import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.internal.codec.ResponseWriter;
import io.fasthttp4j.pool.MemoryBudget;
import io.fasthttp4j.pool.ObjectPool;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.net.SocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 server in fasthttp's design: a pool of workers that are handed connections, pooled
 * request contexts and buffers, and handlers written as plain blocking code. Build one with
 * {@link #builder(RequestHandler)}; its configuration is immutable. Thread-safe.
 *
 * <pre>{@code
 * Server server = Server.builder(ctx -> ctx.setBody("Hello, World!")).build();
 * server.listenAndServe("127.0.0.1:8080");   // blocks until shutdown()
 * }</pre>
 */
public final class Server implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Server.class.getName());
    static final long LINGER_NANOS = Duration.ofMillis(500).toNanos();
    private static final long ACCEPT_RETRY_MILLIS = 100;
    /** Failures outside handlers (out of memory, bugs) are logged at most once per kind in this interval. */
    static final RateLimitedLog ERRORS = new RateLimitedLog(LOG, Duration.ofSeconds(10).toNanos());

    /** Default of {@link Builder#concurrency(int)}, as fasthttp's DefaultConcurrency. */
    public static final int DEFAULT_CONCURRENCY = 256 * 1024;
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_MAX_IDLE_WORKER_DURATION = Duration.ofSeconds(10);
    public static final int DEFAULT_READ_BUFFER_SIZE = 4096;
    public static final int DEFAULT_WRITE_BUFFER_SIZE = 4096;
    public static final Duration DEFAULT_EVENT_LOOP_WATCHDOG = Duration.ofMillis(100);
    /** System property that turns on {@link Builder#debugContexts(boolean)} for every server. */
    public static final String DEBUG_CONTEXTS_PROPERTY = "fasthttp4j.debugContexts";

    private final RequestHandler handler;
    private final ErrorHandler errorHandler;
    private final HttpLimits limits;
    private final int concurrency;
    private final Duration readTimeout;
    private final Duration writeTimeout;
    private final Duration idleTimeout;
    private final long readTimeoutNanos;
    private final long writeTimeoutNanos;
    private final long idleTimeoutNanos;
    private final int maxConnsPerIp;
    private final int maxRequestsPerConn;
    private final boolean disableKeepalive;
    private final boolean getOnly;
    private final boolean streamRequestBody;
    private final boolean debugContexts;
    private final boolean checkedPools;
    private final ContinueHandler continueHandler;
    private final HeaderReceived headerReceived;
    private final ConnStateListener connStateListener;
    private final int readBufferSize;
    private final int writeBufferSize;
    private final long poolTrimNanos;

    /** What the bodies and output buffers of all connections may hold together: maxBufferedBodyBytes. */
    final MemoryBudget budget;
    /** Request contexts with the connections' buffers; LIFO, so the warmest comes back first. */
    final ObjectPool<RequestCtx> ctxPool;
    private final RequestProcessor processor;
    private final Transport transport;
    private final CancelWatcher cancelWatcher = new CancelWatcher();
    private final Set<ServerConn> connections = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> connsPerIp = new ConcurrentHashMap<>();
    private final List<ServerSocketChannel> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong connIds = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final byte[] serviceUnavailable;
    private final byte[] tooManyRequests;
    private volatile boolean shuttingDown;
    private Thread sweeper;   // guarded by this

    private Server(Builder b) {
        handler = b.handler;
        errorHandler = b.errorHandler;
        limits = b.limits;
        concurrency = b.concurrency;
        readTimeout = b.readTimeout;
        writeTimeout = b.writeTimeout;
        idleTimeout = b.idleTimeout;
        readTimeoutNanos = readTimeout.toNanos();
        writeTimeoutNanos = writeTimeout.toNanos();
        idleTimeoutNanos = idleTimeout.toNanos();
        maxConnsPerIp = b.maxConnsPerIp;
        maxRequestsPerConn = b.maxRequestsPerConn;
        disableKeepalive = b.disableKeepalive;
        getOnly = b.getOnly;
        streamRequestBody = b.streamRequestBody;
        debugContexts = b.debugContexts || Boolean.getBoolean(DEBUG_CONTEXTS_PROPERTY);
        checkedPools = b.checkedPools;
        continueHandler = b.continueHandler;
        headerReceived = b.headerReceived;
        connStateListener = b.connStateListener;
        readBufferSize = b.readBufferSize;
        writeBufferSize = b.writeBufferSize;
        poolTrimNanos = b.maxIdleWorkerDuration.toNanos();
        budget = new MemoryBudget("maxBufferedBodyBytes", b.maxBufferedBodyBytes > 0 ? b.maxBufferedBodyBytes : defaultMaxBufferedBodyBytes(),
                this::reclaimMemory);
        ResponseWriter writer = new ResponseWriter(b.name);
        processor = new RequestProcessor(this, writer);
        ctxPool = debugContexts
                ? new ObjectPool<>("RequestCtx", 0, this::newCtx, ctx -> ctx.markReleased(ctx.toString()), RequestCtx::dispose, true)
                : new ObjectPool<>("RequestCtx", 4096, this::newCtx, RequestCtx::reset, RequestCtx::dispose, b.checkedPools);
        BlockingTransport blocking = new BlockingTransport(this, processor, b.threadFactory, concurrency, b.maxIdleWorkerDuration.toNanos());
        if (b.eventLoops > 0) {
            try {
                transport = new EventLoopTransport(this, processor, blocking, b.eventLoops, concurrency, b.eventLoopWatchdog.toNanos());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("could not open the event loops' selectors", e);
            }
        } else {
            transport = blocking;
        }
        serviceUnavailable = fastError(503, "The connection cannot be served because the server's concurrency limit is reached");
        tooManyRequests = fastError(429, "Too many connections from your address");
    }

    private RequestCtx newCtx() {
        RequestCtx ctx = new RequestCtx(limits, readBufferSize, writeBufferSize, writeTimeoutNanos, budget);
        ctx.parser.setHeaderListener(request -> processor.onHeader(ctx));
        return ctx;
    }

    /** A quarter of the largest heap the JVM may use: the default of {@link Builder#maxBufferedBodyBytes(long)}. */
    static long defaultMaxBufferedBodyBytes() {
        return Math.max(1, Runtime.getRuntime().maxMemory() / 4);
    }

    /** The budget ran out: drop the idle contexts the pools keep (their arrays are charged too) before refusing. */
    private void reclaimMemory() {
        ctxPool.drain();
        transport.trimSpares(true);
    }

    private static byte[] fastError(int status, String message) {
        String body = message + "\n";
        return ("HTTP/1.1 " + status + " " + io.fasthttp4j.Status.reasonPhrase(status) + "\r\nConnection: close\r\n"
                + (status == 503 ? "Retry-After: 1\r\n" : "")
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Returns a builder for a server that answers every request with {@code handler}. */
    public static Builder builder(RequestHandler handler) {
        return new Builder(handler);
    }

    // ---- serving ----

    /**
     * Listens on {@code address} ("host:port"; port 0 picks a free one) and serves until
     * {@link #shutdown()}. Blocks.
     */
    public void listenAndServe(String address) throws IOException {
        serve(bind(address));
    }

    /**
     * Listens on {@code address} and serves from a background thread; returns the bound address at
     * once. For tests, embedding, and the examples.
     */
    public InetSocketAddress start(String address) throws IOException {
        ServerSocketChannel listener = bind(address);
        InetSocketAddress bound = (InetSocketAddress) listener.getLocalAddress();
        Thread.ofPlatform().name("fasthttp4j-accept-" + bound.getPort()).daemon().start(() -> {
            try {
                serve(listener);
            } catch (IOException e) {
                LOG.log(Level.ERROR, "accept loop on " + bound + " failed", e);
            }
        });
        return bound;
    }

    private static ServerSocketChannel bind(String address) throws IOException {
        int colon = address.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("address must be host:port, was '" + address + "'");
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port = Integer.parseInt(address.substring(colon + 1));
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port), 4096);
        return listener;
    }

    /** Accepts connections from {@code listener} and serves them until {@link #shutdown()}. Blocks. */
    public void serve(ServerSocketChannel listener) throws IOException {
        if (shuttingDown) throw new IllegalStateException("server is shut down");
        listener.configureBlocking(true);
        listeners.add(listener);
        startSweeper();
        try {
            while (!shuttingDown) {
                SocketChannel channel;
                try {
                    channel = listener.accept();
                } catch (ClosedChannelException e) {
                    return;   // shutdown closed the listener
                } catch (IOException e) {
                    // Out of file descriptors, or a connection reset before it was accepted: temporary.
                    // Go's net/http and fasthttp wait and retry too; giving up would stop the server for good.
                    LOG.log(Level.WARNING, "accept failed, retrying: " + e);
                    sleepQuietly(ACCEPT_RETRY_MILLIS);
                    continue;
                } catch (Throwable t) {
                    // Out of memory, most likely: the accept loop must outlive it, or the server is gone for good.
                    ERRORS.log(Level.ERROR, "accept", "accept loop failed; it goes on", t);
                    sleepQuietly(ACCEPT_RETRY_MILLIS);
                    continue;
                }
                accept(channel);
            }
        } finally {
            listener.close();
            listeners.remove(listener);   // after the close: shutdown() waits for this
        }
    }

    /** Serves one connection on the calling thread until it closes (fasthttp's ServeConn). */
    public void serveConn(SocketChannel channel) throws IOException {
        channel.configureBlocking(true);
        startSweeper();
        ServerConn conn = register(channel);
        if (conn != null) transport.serveHere(conn);
    }

    /**
     * Serves one connection over any blocking byte channel (an in-memory pipe in tests, see
     * {@code io.fasthttp4j.testing}) on the calling thread until it closes.
     */
    public void serveConn(ByteChannel channel, SocketAddress remoteAddress, SocketAddress localAddress) throws IOException {
        if (channel instanceof SocketChannel socket) {
            serveConn(socket);
            return;
        }
        if (shuttingDown) throw new IllegalStateException("server is shut down");
        startSweeper();
        ServerConn conn = new ServerConn(channel, null, connIds.incrementAndGet(), remoteAddress, localAddress, null);
        open.incrementAndGet();
        connections.add(conn);
        stateChanged(conn, ConnState.NEW);
        transport.serveHere(conn);
    }

    private void accept(SocketChannel channel) {
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ServerConn conn = register(channel);
            if (conn == null) return;
            if (shuttingDown || !transport.serve(conn)) {
                rejected.incrementAndGet();
                rejectWith(channel, serviceUnavailable);
                connectionClosed(conn);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "could not set up an accepted connection", e);
            closeQuietly(channel);
        } catch (Throwable t) {
            // Out of memory starting a worker, or a bug: this connection is lost, the accept loop is not.
            ERRORS.log(Level.ERROR, "accept-setup", "could not serve an accepted connection", t);
            closeQuietly(channel);
            ServerConn conn = registered(channel);
            if (conn != null) connectionClosed(conn);
        }
    }

    /** The registered connection of {@code channel}, or null. Only for the rare failure path: a scan. */
    private ServerConn registered(SocketChannel channel) {
        for (ServerConn conn : connections) {
            if (conn.socket == channel) return conn;
        }
        return null;
    }

    /** Counts and registers a new connection; null (after answering 429) when its address has too many. */
    private ServerConn register(SocketChannel channel) throws IOException {
        InetAddress ip = maxConnsPerIp > 0 ? ServerConn.ipOf(channel) : null;
        if (ip != null && !acquireIp(ip)) {
            rejected.incrementAndGet();
            rejectWith(channel, tooManyRequests);
            return null;
        }
        ServerConn conn = new ServerConn(channel, connIds.incrementAndGet(), ip);
        open.incrementAndGet();
        connections.add(conn);
        stateChanged(conn, ConnState.NEW);
        return conn;
    }

    private boolean acquireIp(InetAddress ip) {
        AtomicInteger count = connsPerIp.computeIfAbsent(ip, k -> new AtomicInteger());
        if (count.incrementAndGet() <= maxConnsPerIp) return true;
        releaseIp(ip);
        return false;
    }

    private void releaseIp(InetAddress ip) {
        connsPerIp.computeIfPresent(ip, (k, count) -> count.decrementAndGet() == 0 ? null : count);
    }

    /** Answers a refused connection and closes it, off the accept thread: the linger may take a moment. */
    private void rejectWith(SocketChannel channel, byte[] response) {
        Thread.ofVirtual().name("fasthttp4j-reject").start(() -> {
            try (channel) {
                channel.configureBlocking(true);
                channel.write(ByteBuffer.wrap(response));
                channel.shutdownOutput();
                channel.socket().setSoTimeout(500);
                var in = channel.socket().getInputStream();
                byte[] drain = new byte[4096];
                for (int total = 0; total < 64 * 1024; ) {
                    int n = in.read(drain);
                    if (n < 0) break;
                    total += n;
                }
            } catch (IOException ignored) {
                // the client is gone: nothing more to do
            }
        });
    }

    void connectionClosed(ServerConn conn) {
        if (!connections.remove(conn)) return;
        if (conn.remoteIp != null) releaseIp(conn.remoteIp);
        open.decrementAndGet();
        stateChanged(conn, ConnState.CLOSED);
    }

    void stateChanged(ServerConn conn, ConnState state) {
        ConnStateListener listener = connStateListener;
        if (listener == null) return;
        try {
            listener.onStateChange(conn.id, conn.remoteAddress, state);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "connection state listener failed", e);
        }
    }

    void logConnectionError(ServerConn conn, IOException e) {
        // Resets, timeouts and clients that vanish are normal on the internet: debug level only.
        LOG.log(Level.DEBUG, () -> "connection #" + conn.id + " from " + conn.remoteAddress + ": " + e);
    }

    // ---- contexts ----

    RequestCtx acquireCtx(ServerConn conn) {
        RequestCtx ctx = ctxPool.acquire();
        ctx.conn = conn;
        ctx.server = this;
        return ctx;
    }

    void releaseCtx(RequestCtx ctx) {
        RequestCtx.TimedOut timedOut = ctx.timedOut;
        if (timedOut != null && timedOut.owners.decrementAndGet() > 0) return;   // the other owner releases it
        try {
            trimCtx(ctx);
        } catch (OutOfMemoryError e) {
            ctxPool.discard(ctx);   // no memory for its small arrays: drop the context, never leak its count
            return;
        }
        ctxPool.release(ctx);
    }

    /** Watches the connections of handlers that asked whether their client is still there. */
    CancelWatcher cancelWatcher() {
        return cancelWatcher;
    }

    /** Counts {@code ctx} back in without keeping it: a transport's spare that went unused. */
    void discardCtx(RequestCtx ctx) {
        ctxPool.discard(ctx);
    }

    /** Drops what one large request grew in {@code ctx}, so that a kept context does not pin memory. */
    void trimCtx(RequestCtx ctx) {
        if (ctx.readBuf.length > readBufferSize * 4) ctx.readBuf = new byte[readBufferSize];
        ctx.request.bodyBuffer().trimTo(64 * 1024);
        ctx.response.bodyBuffer().trimTo(64 * 1024);
        ctx.out.trimTo(Math.max(writeBufferSize, 64 * 1024));
    }

    /** Hands a context kept by a transport to {@code conn}, as {@link #acquireCtx} does with a pooled one. */
    void attachCtx(RequestCtx ctx, ServerConn conn) {
        ctx.conn = conn;
        ctx.server = this;
    }

    /** True when a transport may keep released contexts itself; not in debug mode, which poisons each one. */
    boolean mayKeepContexts() {
        return !debugContexts;
    }

    /** With checked pools, a transport checks what it keeps as the pool would (a second release throws). */
    boolean checkedPools() {
        return checkedPools;
    }

    /** Readies {@code ctx} for the connection's next request; in debug mode, swaps in a fresh context. */
    RequestCtx nextRequest(RequestCtx ctx) {
        if (!debugContexts) {
            if (ctx.readPos < ctx.readEnd) {
                ctx.clearRequest();   // pipelined: the next request is in the same buffer
            } else {
                ctx.resetRequest();   // the connection may go idle now and its context back to a pool
                ctx.readPos = ctx.readEnd = 0;
            }
            return ctx;
        }
        RequestCtx next = acquireCtx(ctx.conn);
        byte[] spare = next.readBuf;
        next.readBuf = ctx.readBuf;
        next.readPos = ctx.readPos;
        next.readEnd = ctx.readEnd;
        next.readNanos = ctx.readNanos;
        ctx.readBuf = spare;
        next.out.append(ctx.out.array(), 0, ctx.out.length());
        ctxPool.release(ctx);   // poisons it: a stale reference now fails loudly
        return next;
    }

    // ---- timeouts ----

    private synchronized void startSweeper() {
        if (sweeper != null) return;
        long min = Math.min(readTimeoutNanos, Math.min(writeTimeoutNanos, idleTimeoutNanos));
        long intervalMillis = Math.max(10, Math.min(500, min / 4_000_000));
        sweeper = Thread.ofPlatform().name("fasthttp4j-sweeper").daemon().start(() -> sweep(intervalMillis));
    }

    /**
     * Every {@code intervalMillis}: closes connections past their deadline and retires idle workers;
     * every maxIdleWorkerDuration: drops the pooled contexts that stayed idle all that time, so that
     * memory goes back when load ends. Survives any failure of one round, out of memory included.
     */
    private void sweep(long intervalMillis) {
        long lastTrim = System.nanoTime();
        while (!(shuttingDown && open.get() == 0)) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
            try {
                long now = System.nanoTime();
                closeOverdue(now);
                transport.sweep(now);
                if (now - lastTrim >= poolTrimNanos) {
                    lastTrim = now;
                    ctxPool.trim();
                    transport.trimSpares(false);
                }
            } catch (Throwable t) {
                ERRORS.log(Level.ERROR, "sweeper", "sweeper round failed; it goes on", t);
            }
        }
    }

    private void closeOverdue(long now) {
        for (ServerConn conn : connections) {
            if (conn.isOverdue(now)) {
                LOG.log(Level.DEBUG, () -> "connection #" + conn.id + " timed out");
                conn.abort();
            }
        }
    }

    // ---- shutdown ----

    /** Shuts down gracefully and waits as long as in-flight requests take. */
    public void shutdown() {
        shutdown(null);
    }

    /**
     * Stops accepting, closes idle keep-alive connections at once, lets requests in flight finish (their
     * responses say "Connection: close") and returns when every connection is closed. Past
     * {@code timeout} (null: none) the remaining connections are closed by force. Returns true when
     * everything finished in time.
     */
    public boolean shutdown(Duration timeout) {
        // First: once shutdown shows, connects fail. The JDK may finish closing a listening socket only
        // when the thread blocked in accept() has left it, so wait (briefly) for the accept loops to end.
        for (ServerSocketChannel listener : listeners) closeQuietly(listener);
        long acceptDeadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (!listeners.isEmpty() && System.nanoTime() - acceptDeadline < 0) sleepQuietly(1);
        shuttingDown = true;
        transport.stop();
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (open.get() > 0) {
            closeIdleConnections();
            if (System.nanoTime() - deadline > 0) {
                for (ServerConn conn : connections) {
                    conn.close();   // directly: a loop stuck in a handler could not do it
                    conn.abort();   // and tell its owner, which does the bookkeeping
                }
                awaitClosed(System.nanoTime() + Duration.ofSeconds(5).toNanos());
                transport.awaitStopped(System.nanoTime() + Duration.ofSeconds(1).toNanos());
                return false;
            }
            sleepQuietly(5);
        }
        transport.awaitStopped(System.nanoTime() + Duration.ofSeconds(5).toNanos());   // loops give back the contexts they keep
        ctxPool.drain();
        cancelWatcher.stop();
        return true;
    }

    private void closeIdleConnections() {
        for (ServerConn conn : connections) {
            if (conn.transition(ServerConn.IDLE, ServerConn.CLOSED)) conn.abort();
        }
    }

    private void awaitClosed(long deadlineNanos) {
        while (open.get() > 0 && System.nanoTime() - deadlineNanos < 0) sleepQuietly(5);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with the error
        }
    }

    /** Same as {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    // ---- state ----

    /** Connections open now (accepted and not yet closed). */
    public int openConnections() {
        return open.get();
    }

    /** Connections being served now. */
    public int currentConcurrency() {
        return transport.busyCount();
    }

    /** Connections refused so far: 503 at the concurrency limit, 429 past maxConnsPerIp. */
    public long rejectedConnections() {
        return rejected.get();
    }

    /**
     * Bytes that request bodies, response bodies and output buffers hold now, in use or pooled:
     * what {@link Builder#maxBufferedBodyBytes(long)} limits.
     */
    public long bufferedBodyBytes() {
        return budget.used();
    }

    /** Request contexts kept idle for reuse; they are dropped after {@link Builder#maxIdleWorkerDuration} unused. */
    public int idleContexts() {
        return ctxPool.idleCount() + transport.spareContexts();
    }

    /** Request contexts acquired and not yet released; 0 once every connection has closed. */
    public long contextsInUse() {
        return ctxPool.outstanding() - transport.spareContexts();
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    // ---- configuration, read by the transports ----

    RequestHandler handler() {
        return handler;
    }

    ErrorHandler errorHandler() {
        return errorHandler;
    }

    HttpLimits limits() {
        return limits;
    }

    Duration readTimeout() {
        return readTimeout;
    }

    Duration writeTimeout() {
        return writeTimeout;
    }

    long readTimeoutNanos() {
        return readTimeoutNanos;
    }

    long writeTimeoutNanos() {
        return writeTimeoutNanos;
    }

    long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    int maxRequestsPerConn() {
        return maxRequestsPerConn;
    }

    boolean disableKeepalive() {
        return disableKeepalive;
    }

    boolean getOnly() {
        return getOnly;
    }

    boolean streamRequestBody() {
        return streamRequestBody;
    }

    ContinueHandler continueHandler() {
        return continueHandler;
    }

    HeaderReceived headerReceived() {
        return headerReceived;
    }

    Transport transport() {
        return transport;
    }

    static Duration positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, was " + d);
        return d;
    }

    /** Collects a server's configuration. Every setting has a documented default. */
    public static final class Builder {
        private final RequestHandler handler;
        private ErrorHandler errorHandler = ErrorHandler.DEFAULT;
        private String name = "fasthttp4j";
        private HttpLimits limits = HttpLimits.defaults();
        private int concurrency = DEFAULT_CONCURRENCY;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration maxIdleWorkerDuration = DEFAULT_MAX_IDLE_WORKER_DURATION;
        private int maxConnsPerIp;
        private int maxRequestsPerConn;
        private boolean disableKeepalive;
        private boolean getOnly;
        private boolean streamRequestBody;
        private boolean debugContexts;
        private boolean checkedPools;
        private ContinueHandler continueHandler;
        private HeaderReceived headerReceived;
        private ConnStateListener connStateListener;
        private ThreadFactory threadFactory = Thread.ofVirtual().name("fasthttp4j-worker-", 0).factory();
        private long maxBufferedBodyBytes;
        private int readBufferSize = DEFAULT_READ_BUFFER_SIZE;
        private int writeBufferSize = DEFAULT_WRITE_BUFFER_SIZE;
        private int eventLoops;
        private Duration eventLoopWatchdog = DEFAULT_EVENT_LOOP_WATCHDOG;

        private Builder(RequestHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /** The Server header's value; null for none. Default "fasthttp4j". */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Writes the response of a failed request; default {@link ErrorHandler#DEFAULT}. */
        public Builder errorHandler(ErrorHandler errorHandler) {
            this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
            return this;
        }

        /** The parser's limits (request line 414, header 431, body 413...); default {@link HttpLimits#defaults()}. */
        public Builder limits(HttpLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Largest request body; a larger one gets 413 and the connection is closed. Default
         * {@value HttpLimits#DEFAULT_MAX_BODY_BYTES} (4 MiB). Shorthand for {@code limits(...maxBodyBytes(n))}.
         */
        public Builder maxRequestBodySize(long bytes) {
            this.limits = limits.toBuilder().maxBodyBytes(bytes).build();
            return this;
        }

        /**
         * Most bytes that request bodies, response bodies and output buffers may hold at once, over all
         * connections, in use or pooled for reuse. Default: a quarter of the JVM's maximum heap
         * ({@code -Xmx}). A request whose body would grow past it gets 503 with {@code Retry-After} and
         * the connection is closed; a handler whose response would grow past it fails with
         * {@link io.fasthttp4j.pool.BudgetExceededException}, answered the same way. Without it a few
         * hundred clients sending large bodies slowly could exhaust the heap. Bodies read with
         * {@link #streamRequestBody(boolean)} hold only what the handler has not read yet.
         * Each connection's read buffer is not counted: the header limits bound it.
         */
        public Builder maxBufferedBodyBytes(long bytes) {
            if (bytes < 1) throw new IllegalArgumentException("maxBufferedBodyBytes must be at least 1, was " + bytes);
            this.maxBufferedBodyBytes = bytes;
            return this;
        }

        /**
         * Most connections served at once. Default {@value #DEFAULT_CONCURRENCY}. A connection past it
         * gets a fast 503 and is closed, never queued: queueing would only add latency to overload.
         */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
            this.concurrency = concurrency;
            return this;
        }

        /**
         * Time from a request's first byte to its last, body included; also how long a new connection
         * may wait before its first byte. Default 10 s: a client trickling a byte a second (slowloris)
         * is cut off after at most this long. The connection is closed without a response.
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive("readTimeout", timeout);
            return this;
        }

        /** Longest a response write may block on a client that does not read. Default 10 s; then the connection is closed. */
        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = positive("writeTimeout", timeout);
            return this;
        }

        /** Longest wait for the next request on a keep-alive connection. Default 60 s; then it is closed. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive("idleTimeout", timeout);
            return this;
        }

        /**
         * How long an idle worker waits for a connection before it exits; also how long a pooled request
         * context may stay unused before it is dropped, so that memory goes back after a peak. Default 10 s.
         */
        public Builder maxIdleWorkerDuration(Duration duration) {
            this.maxIdleWorkerDuration = positive("maxIdleWorkerDuration", duration);
            return this;
        }

        /**
         * Most connections open at once from one IP address; 0 (the default) for no limit, because
         * many clients share an address behind NAT and proxies. Past it: 429 and close.
         */
        public Builder maxConnsPerIp(int max) {
            if (max < 0) throw new IllegalArgumentException("maxConnsPerIp must be 0 or more, was " + max);
            this.maxConnsPerIp = max;
            return this;
        }

        /** Requests served on one connection before it is closed; 0 (the default) for no limit. */
        public Builder maxRequestsPerConn(int max) {
            if (max < 0) throw new IllegalArgumentException("maxRequestsPerConn must be 0 or more, was " + max);
            this.maxRequestsPerConn = max;
            return this;
        }

        /** Closes every connection after one response. Default false. */
        public Builder disableKeepalive(boolean disable) {
            this.disableKeepalive = disable;
            return this;
        }

        /** Refuses methods other than GET and HEAD with 405 (and closes). Default false. */
        public Builder getOnly(boolean getOnly) {
            this.getOnly = getOnly;
            return this;
        }

        /**
         * Runs the handler as soon as the header is parsed, with the body read through
         * {@link RequestCtx#requestBodyStream()} as the handler consumes it: for uploads larger than
         * one wants in memory. Default false. On the event-loop transport a body of at most 16 KiB
         * (declared, or chunked and not yet past it) is still read on the loop before the handler runs:
         * moving the connection to a virtual thread for it would cost more than waiting.
         */
        public Builder streamRequestBody(boolean stream) {
            this.streamRequestBody = stream;
            return this;
        }

        /** Decides Expect: 100-continue requests; default null (accept all). */
        public Builder continueHandler(ContinueHandler handler) {
            this.continueHandler = handler;
            return this;
        }

        /** Called after each request header to change that request's body limit and timeouts. Default null. */
        public Builder headerReceived(HeaderReceived hook) {
            this.headerReceived = hook;
            return this;
        }

        /** Told of every connection state change. Default null. */
        public Builder connStateListener(ConnStateListener listener) {
            this.connStateListener = listener;
            return this;
        }

        /**
         * Serves connections on event loops, one per available processor, with handlers run inline:
         * the cheapest path for handlers that never block. A handler that must block calls
         * {@link RequestCtx#startBlocking()}; streamed bodies, files and hijacks move to a virtual
         * thread by themselves. Default: off (virtual threads, where handlers may block freely).
         *
         * <p>The loops allocate nothing per request; the JDK's epoll selector under them boxes each
         * ready file descriptor above 127 into an {@code Integer} (16 bytes per ready connection and
         * wake-up). Running the JVM with {@code -XX:AutoBoxCacheMax=N}, N above the highest descriptor
         * (the open-file limit), removes that too.
         */
        public Builder eventLoop(boolean on) {
            return eventLoops(on ? Runtime.getRuntime().availableProcessors() : 0);
        }

        /** Serves connections on {@code count} event loops (0: the virtual-thread transport). See {@link #eventLoop(boolean)}. */
        public Builder eventLoops(int count) {
            if (count < 0) throw new IllegalArgumentException("eventLoops must be 0 or more, was " + count);
            this.eventLoops = count;
            return this;
        }

        /**
         * How long a handler may keep an event loop busy before the server logs a warning naming its
         * path (once per path). Default 100 ms: a loop stuck that long delays every connection on it.
         */
        public Builder eventLoopWatchdog(Duration limit) {
            this.eventLoopWatchdog = positive("eventLoopWatchdog", limit);
            return this;
        }

        /** Creates the workers. Default: virtual threads. Platform threads are an option for loads measured to need them. */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "threadFactory");
            return this;
        }

        /** Initial read buffer per connection; grows to hold a larger header section. Default {@value #DEFAULT_READ_BUFFER_SIZE}. */
        public Builder readBufferSize(int bytes) {
            if (bytes < ServerConn.FIRST_READ_BYTES) {
                throw new IllegalArgumentException("readBufferSize must be at least " + ServerConn.FIRST_READ_BYTES + ", was " + bytes);
            }
            this.readBufferSize = bytes;
            return this;
        }

        /** Initial write buffer per connection; grows with the responses. Default {@value #DEFAULT_WRITE_BUFFER_SIZE}. */
        public Builder writeBufferSize(int bytes) {
            if (bytes < 256) throw new IllegalArgumentException("writeBufferSize must be at least 256, was " + bytes);
            this.writeBufferSize = bytes;
            return this;
        }

        /**
         * Debug mode: a context used after its request ended throws {@link IllegalStateException}
         * naming that request, instead of showing the next request's data. Costs an allocation per
         * request. Default false; also on when system property {@value #DEBUG_CONTEXTS_PROPERTY} is true.
         */
        public Builder debugContexts(boolean debug) {
            this.debugContexts = debug;
            return this;
        }

        /** Makes the pools remember what they hand out and fail on a double release (tests). Default false. */
        public Builder checkedPools(boolean checked) {
            this.checkedPools = checked;
            return this;
        }

        public Server build() {
            return new Server(this);
        }
    }
}
