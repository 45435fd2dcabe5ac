package io.fasthttp4j.server;

import io.fasthttp4j.HttpLimits;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * A server's configuration: an immutable value, built by {@link Server#builder(RequestHandler)} and
 * read by the server, its transports and its pools. {@link Server#config()} returns it. Every setting
 * is documented, with its default, on its {@link Builder} method.
 */
public final class ServerConfig {
    private final RequestHandler handler;
    private final ErrorHandler errorHandler;
    private final String name;
    private final HttpLimits limits;
    private final int concurrency;
    private final Duration readTimeout;
    private final Duration writeTimeout;
    private final Duration idleTimeout;
    private final Duration maxIdleWorkerDuration;
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
    private final EdgeConfig edge;
    private final ThreadFactory threadFactory;
    private final long maxBufferedBodyBytes;
    private final int readBufferSize;
    private final int writeBufferSize;
    private final int eventLoops;
    private final Duration eventLoopWatchdog;
    private final long readTimeoutNanos;
    private final long writeTimeoutNanos;
    private final long idleTimeoutNanos;

    ServerConfig(Builder<?> b) {
        handler = b.handler;
        errorHandler = b.errorHandler;
        name = b.name;
        limits = b.limits;
        concurrency = b.concurrency;
        readTimeout = b.readTimeout;
        writeTimeout = b.writeTimeout;
        idleTimeout = b.idleTimeout;
        maxIdleWorkerDuration = b.maxIdleWorkerDuration;
        maxConnsPerIp = b.maxConnsPerIp;
        maxRequestsPerConn = b.maxRequestsPerConn;
        disableKeepalive = b.disableKeepalive;
        getOnly = b.getOnly;
        streamRequestBody = b.streamRequestBody;
        checkedPools = b.checkedPools;
        continueHandler = b.continueHandler;
        headerReceived = b.headerReceived;
        connStateListener = b.connStateListener;
        edge = new EdgeConfig(b);
        threadFactory = b.threadFactory;
        readBufferSize = b.readBufferSize;
        writeBufferSize = b.writeBufferSize;
        eventLoops = b.eventLoops;
        eventLoopWatchdog = b.eventLoopWatchdog;
        debugContexts = b.debugContexts || Boolean.getBoolean(Server.DEBUG_CONTEXTS_PROPERTY);
        maxBufferedBodyBytes = b.maxBufferedBodyBytes > 0 ? b.maxBufferedBodyBytes : defaultMaxBufferedBodyBytes();
        readTimeoutNanos = readTimeout.toNanos();
        writeTimeoutNanos = writeTimeout.toNanos();
        idleTimeoutNanos = idleTimeout.toNanos();
    }

    /** A quarter of the largest heap the JVM may use: the default of {@link Builder#maxBufferedBodyBytes(long)}. */
    static long defaultMaxBufferedBodyBytes() {
        return Math.max(1, Runtime.getRuntime().maxMemory() / 4);
    }

    /** The handler every request goes to. */
    public RequestHandler handler() {
        return handler;
    }

    /** Writes the response of a failed request. */
    public ErrorHandler errorHandler() {
        return errorHandler;
    }

    /** The Server header's value; null for none. */
    public String name() {
        return name;
    }

    /** The parser's limits. */
    public HttpLimits limits() {
        return limits;
    }

    /** Most connections served at once. */
    public int concurrency() {
        return concurrency;
    }

    /** Time from a request's first byte to its last. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** Longest a response write may block. */
    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** Longest wait for the next request on a keep-alive connection. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** How long idle workers and pooled contexts are kept unused. */
    public Duration maxIdleWorkerDuration() {
        return maxIdleWorkerDuration;
    }

    /** Most connections from one address; 0 for no limit. */
    public int maxConnsPerIp() {
        return maxConnsPerIp;
    }

    /** Requests served on one connection; 0 for no limit. */
    public int maxRequestsPerConn() {
        return maxRequestsPerConn;
    }

    /** True when every connection closes after one response. */
    public boolean disableKeepalive() {
        return disableKeepalive;
    }

    /** True when methods other than GET and HEAD are refused. */
    public boolean getOnly() {
        return getOnly;
    }

    /** True when handlers run before large bodies have arrived. */
    public boolean streamRequestBody() {
        return streamRequestBody;
    }

    /** True when contexts used after their request fail loudly (also by system property). */
    public boolean debugContexts() {
        return debugContexts;
    }

    /** True when the pools fail on a double release. */
    public boolean checkedPools() {
        return checkedPools;
    }

    /** Decides Expect: 100-continue requests; null accepts all. */
    public ContinueHandler continueHandler() {
        return continueHandler;
    }

    /** Called after each request header; null for none. */
    public HeaderReceived headerReceived() {
        return headerReceived;
    }

    /** Told of every connection state change; null for none. */
    public ConnStateListener connStateListener() {
        return connStateListener;
    }

    /** The connection edge: socket options, the PROXY protocol, TLS. */
    public EdgeConfig edge() {
        return edge;
    }

    /** Creates the workers. */
    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    /** Most bytes bodies and output buffers may hold together (the default resolved from the heap). */
    public long maxBufferedBodyBytes() {
        return maxBufferedBodyBytes;
    }

    /** Initial read buffer per connection. */
    public int readBufferSize() {
        return readBufferSize;
    }

    /** Initial write buffer per connection. */
    public int writeBufferSize() {
        return writeBufferSize;
    }

    /** Event loops; 0 for the virtual-thread transport. */
    public int eventLoops() {
        return eventLoops;
    }

    /** How long a handler may keep an event loop busy before it is logged. */
    public Duration eventLoopWatchdog() {
        return eventLoopWatchdog;
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

    /**
     * Collects a server's configuration; every setting has a documented default. Used through
     * {@link Server#builder(RequestHandler)}, whose {@link Server.Builder} adds {@code build()}. The
     * connection-edge settings (socket options, PROXY protocol, TLS) come from {@link EdgeConfig.Builder}.
     */
    public abstract static class Builder<B extends Builder<B>> extends EdgeConfig.Builder<B> {
        final RequestHandler handler;
        ErrorHandler errorHandler = ErrorHandler.DEFAULT;
        String name = "fasthttp4j";
        HttpLimits limits = HttpLimits.defaults();
        int concurrency = Server.DEFAULT_CONCURRENCY;
        Duration readTimeout = Server.DEFAULT_READ_TIMEOUT;
        Duration writeTimeout = Server.DEFAULT_WRITE_TIMEOUT;
        Duration idleTimeout = Server.DEFAULT_IDLE_TIMEOUT;
        Duration maxIdleWorkerDuration = Server.DEFAULT_MAX_IDLE_WORKER_DURATION;
        int maxConnsPerIp;
        int maxRequestsPerConn;
        boolean disableKeepalive;
        boolean getOnly;
        boolean streamRequestBody;
        boolean debugContexts;
        boolean checkedPools;
        ContinueHandler continueHandler;
        HeaderReceived headerReceived;
        ConnStateListener connStateListener;
        ThreadFactory threadFactory = Thread.ofVirtual().name("fasthttp4j-worker-", 0).factory();
        long maxBufferedBodyBytes;
        int readBufferSize = Server.DEFAULT_READ_BUFFER_SIZE;
        int writeBufferSize = Server.DEFAULT_WRITE_BUFFER_SIZE;
        int eventLoops;
        Duration eventLoopWatchdog = Server.DEFAULT_EVENT_LOOP_WATCHDOG;

        Builder(RequestHandler handler) {   // package-private: only Server.Builder extends it
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /** The Server header's value; null for none. Default "fasthttp4j". */
        public B name(String name) {
            this.name = name;
            return self();
        }

        /** Writes the response of a failed request; default {@link ErrorHandler#DEFAULT}. */
        public B errorHandler(ErrorHandler errorHandler) {
            this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
            return self();
        }

        /** The parser's limits (request line 414, header 431, body 413...); default {@link HttpLimits#defaults()}. */
        public B limits(HttpLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return self();
        }

        /**
         * Largest request body; a larger one gets 413 and the connection is closed. Default
         * {@value HttpLimits#DEFAULT_MAX_BODY_BYTES} (4 MiB). Shorthand for {@code limits(...maxBodyBytes(n))}.
         */
        public B maxRequestBodySize(long bytes) {
            this.limits = limits.toBuilder().maxBodyBytes(bytes).build();
            return self();
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
        public B maxBufferedBodyBytes(long bytes) {
            if (bytes < 1) throw new IllegalArgumentException("maxBufferedBodyBytes must be at least 1, was " + bytes);
            this.maxBufferedBodyBytes = bytes;
            return self();
        }

        /**
         * Most connections served at once. Default {@value Server#DEFAULT_CONCURRENCY}. A connection past it
         * gets a fast 503 and is closed, never queued: queueing would only add latency to overload.
         */
        public B concurrency(int concurrency) {
            if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
            this.concurrency = concurrency;
            return self();
        }

        /**
         * Time from a request's first byte to its last, body included; also how long a new connection
         * may wait before its first byte. Default 10 s: a client trickling a byte a second (slowloris)
         * is cut off after at most this long. The connection is closed without a response.
         */
        public B readTimeout(Duration timeout) {
            this.readTimeout = Server.positive("readTimeout", timeout);
            return self();
        }

        /** Longest a response write may block on a client that does not read. Default 10 s; then the connection is closed. */
        public B writeTimeout(Duration timeout) {
            this.writeTimeout = Server.positive("writeTimeout", timeout);
            return self();
        }

        /** Longest wait for the next request on a keep-alive connection. Default 60 s; then it is closed. */
        public B idleTimeout(Duration timeout) {
            this.idleTimeout = Server.positive("idleTimeout", timeout);
            return self();
        }

        /**
         * How long an idle worker waits for a connection before it exits; also how long a pooled request
         * context may stay unused before it is dropped, so that memory goes back after a peak. Default 10 s.
         */
        public B maxIdleWorkerDuration(Duration duration) {
            this.maxIdleWorkerDuration = Server.positive("maxIdleWorkerDuration", duration);
            return self();
        }

        /**
         * Most connections open at once from one IP address; 0 (the default) for no limit, because
         * many clients share an address behind NAT and proxies. Past it: 429 and close. Connections over
     * a Unix domain socket have no address and are not counted.
         */
        public B maxConnsPerIp(int max) {
            if (max < 0) throw new IllegalArgumentException("maxConnsPerIp must be 0 or more, was " + max);
            this.maxConnsPerIp = max;
            return self();
        }

        /** Requests served on one connection before it is closed; 0 (the default) for no limit. */
        public B maxRequestsPerConn(int max) {
            if (max < 0) throw new IllegalArgumentException("maxRequestsPerConn must be 0 or more, was " + max);
            this.maxRequestsPerConn = max;
            return self();
        }

        /** Closes every connection after one response. Default false. */
        public B disableKeepalive(boolean disable) {
            this.disableKeepalive = disable;
            return self();
        }

        /** Refuses methods other than GET and HEAD with 405 (and closes). Default false. */
        public B getOnly(boolean getOnly) {
            this.getOnly = getOnly;
            return self();
        }

        /**
         * Runs the handler as soon as the header is parsed, with the body read through
         * {@link RequestCtx#requestBodyStream()} as the handler consumes it: for uploads larger than
         * one wants in memory. Default false. On the event-loop transport a body of at most 16 KiB
         * (declared, or chunked and not yet past it) is still read on the loop before the handler runs:
         * moving the connection to a virtual thread for it would cost more than waiting.
         */
        public B streamRequestBody(boolean stream) {
            this.streamRequestBody = stream;
            return self();
        }

        /** Decides Expect: 100-continue requests; default null (accept all). */
        public B continueHandler(ContinueHandler handler) {
            this.continueHandler = handler;
            return self();
        }

        /** Called after each request header to change that request's body limit and timeouts. Default null. */
        public B headerReceived(HeaderReceived hook) {
            this.headerReceived = hook;
            return self();
        }

        /** Told of every connection state change. Default null. */
        public B connStateListener(ConnStateListener listener) {
            this.connStateListener = listener;
            return self();
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
        public B eventLoop(boolean on) {
            return eventLoops(on ? Runtime.getRuntime().availableProcessors() : 0);
        }

        /** Serves connections on {@code count} event loops (0: the virtual-thread transport). See {@link #eventLoop(boolean)}. */
        public B eventLoops(int count) {
            if (count < 0) throw new IllegalArgumentException("eventLoops must be 0 or more, was " + count);
            this.eventLoops = count;
            return self();
        }

        /**
         * How long a handler may keep an event loop busy before the server logs a warning naming its
         * path (once per path). Default 100 ms: a loop stuck that long delays every connection on it.
         */
        public B eventLoopWatchdog(Duration limit) {
            this.eventLoopWatchdog = Server.positive("eventLoopWatchdog", limit);
            return self();
        }

        /** Creates the workers. Default: virtual threads. Platform threads are an option for loads measured to need them. */
        public B threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "threadFactory");
            return self();
        }

        /** Initial read buffer per connection; grows to hold a larger header section. Default {@value Server#DEFAULT_READ_BUFFER_SIZE}. */
        public B readBufferSize(int bytes) {
            if (bytes < ServerConn.FIRST_READ_BYTES) {
                throw new IllegalArgumentException("readBufferSize must be at least " + ServerConn.FIRST_READ_BYTES + ", was " + bytes);
            }
            this.readBufferSize = bytes;
            return self();
        }

        /** Initial write buffer per connection; grows with the responses. Default {@value Server#DEFAULT_WRITE_BUFFER_SIZE}. */
        public B writeBufferSize(int bytes) {
            if (bytes < 256) throw new IllegalArgumentException("writeBufferSize must be at least 256, was " + bytes);
            this.writeBufferSize = bytes;
            return self();
        }

        /**
         * Debug mode: a context used after its request ended throws {@link IllegalStateException}
         * naming that request, instead of showing the next request's data. Costs an allocation per
         * request. Default false; also on when system property {@value Server#DEBUG_CONTEXTS_PROPERTY} is true.
         */
        public B debugContexts(boolean debug) {
            this.debugContexts = debug;
            return self();
        }

        /** Makes the pools remember what they hand out and fail on a double release (tests). Default false. */
        public B checkedPools(boolean checked) {
            this.checkedPools = checked;
            return self();
        }

        /** The configuration as collected so far: an immutable value. */
        ServerConfig config() {
            return new ServerConfig(this);
        }
    }
}
