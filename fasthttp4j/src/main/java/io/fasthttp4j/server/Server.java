package io.fasthttp4j.server;

import io.fasthttp4j.internal.codec.ResponseWriter;
import io.fasthttp4j.pool.MemoryBudget;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.net.SocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private static final int BACKLOG = 4096;
    private static final String UNIX_PREFIX = "unix:";
    /** Failures outside handlers (out of memory, bugs) are logged at most once per kind in this interval. */
    static final RateLimitedLog ERRORS = new RateLimitedLog(LOG, Duration.ofSeconds(10).toNanos());

    /** Default of {@link ServerConfig.Builder#concurrency(int)}, as fasthttp's DefaultConcurrency. */
    public static final int DEFAULT_CONCURRENCY = 256 * 1024;
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_MAX_IDLE_WORKER_DURATION = Duration.ofSeconds(10);
    public static final int DEFAULT_READ_BUFFER_SIZE = 4096;
    public static final int DEFAULT_WRITE_BUFFER_SIZE = 4096;
    public static final Duration DEFAULT_EVENT_LOOP_WATCHDOG = Duration.ofMillis(100);
    /** System property that turns on {@link ServerConfig.Builder#debugContexts(boolean)} for every server. */
    public static final String DEBUG_CONTEXTS_PROPERTY = "fasthttp4j.debugContexts";

    private final ServerConfig config;
    /** Request contexts with the connections' buffers, and the memory budget they charge. */
    private final ContextPool contexts;
    private final Connections connections;
    private final RequestProcessor processor;
    private final Transport transport;
    private final CancelWatcher cancelWatcher = new CancelWatcher();
    private final List<ServerSocketChannel> listeners = new CopyOnWriteArrayList<>();
    /** The files of the Unix domain socket listeners this server bound, deleted when they close. */
    private final Map<ServerSocketChannel, Path> socketFiles = new ConcurrentHashMap<>();
    private final AtomicLong rejected = new AtomicLong();
    private final byte[] serviceUnavailable;
    private final byte[] tooManyRequests;
    private volatile boolean shuttingDown;

    private Server(ServerConfig config) {
        this.config = config;
        processor = new RequestProcessor(this, new ResponseWriter(config.name()));
        connections = new Connections(config);
        contexts = new ContextPool(config, this::newExchange, () -> transport().trimSpares(true));
        transport = newTransport(config);
        serviceUnavailable = fastError(503, "The connection cannot be served because the server's concurrency limit is reached");
        tooManyRequests = fastError(429, "Too many connections from your address");
    }

    private Transport newTransport(ServerConfig config) {
        BlockingTransport blocking = new BlockingTransport(this, processor, config.threadFactory(), config.concurrency(),
                config.maxIdleWorkerDuration().toNanos());
        if (config.eventLoops() == 0) return blocking;
        try {
            return new EventLoopTransport(this, processor, blocking, config.eventLoops(), config.concurrency(),
                    config.eventLoopWatchdog().toNanos());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not open the event loops' selectors", e);
        }
    }

    private Http1Exchange newExchange(io.fasthttp4j.pool.MemoryBudget budget) {
        Http1Exchange ex = new Http1Exchange(this, config.limits(), config.readBufferSize(), config.writeBufferSize(),
                config.writeTimeoutNanos(), budget);
        ex.parser.setHeaderListener(request -> processor.onHeader(ex.ctx));
        return ex;
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
     * Listens on {@code address} and serves until {@link #shutdown()}. Blocks. The address is
     * "host:port" (port 0 picks a free one; "[::1]:port" for an IPv6 literal; ":port" for every
     * interface), or "unix:" and a path for a Unix domain socket, which is created there and deleted
     * when the listener closes; binding fails if a file exists at the path already.
     */
    public void listenAndServe(String address) throws IOException {
        serve(bind(address));
    }

    /**
     * Listens on {@code address} ("host:port", as {@link #listenAndServe(String)}) and serves from a
     * background thread; returns the bound address at once. For tests, embedding, and the examples.
     *
     * @throws IllegalArgumentException for a "unix:" address: {@link #startUnix(Path)} returns its address
     */
    public InetSocketAddress start(String address) throws IOException {
        if (address.startsWith(UNIX_PREFIX)) throw new IllegalArgumentException("start(\"" + address + "\") is for TCP addresses: use startUnix(Path)");
        return (InetSocketAddress) startListener(address);
    }

    /**
     * Listens on a Unix domain socket created at {@code path} (deleted when the listener closes;
     * binding fails if a file exists there already) and serves from a background thread.
     */
    public UnixDomainSocketAddress startUnix(Path path) throws IOException {
        return (UnixDomainSocketAddress) startListener(UNIX_PREFIX + path);
    }

    private SocketAddress startListener(String address) throws IOException {
        ServerSocketChannel listener = bind(address);
        SocketAddress bound = listener.getLocalAddress();
        Thread.ofPlatform().name("fasthttp4j-accept-" + bound).daemon().start(() -> {
            try {
                serve(listener);
            } catch (IOException e) {
                LOG.log(Level.ERROR, "accept loop on " + bound + " failed", e);
            }
        });
        return bound;
    }

    private ServerSocketChannel bind(String address) throws IOException {
        config.edge().checkSupported();
        if (address.startsWith(UNIX_PREFIX)) return bindUnix(address.substring(UNIX_PREFIX.length()));
        int colon = address.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("address must be host:port or unix:path, was '" + address + "'");
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port = Integer.parseInt(address.substring(colon + 1));
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            config.edge().configureTcpListener(listener);
            listener.bind(host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port), BACKLOG);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        return listener;
    }

    private ServerSocketChannel bindUnix(String path) throws IOException {
        if (path.isEmpty()) throw new IllegalArgumentException("address unix: needs a path, as unix:/run/app.sock");
        UnixDomainSocketAddress socketFile = UnixDomainSocketAddress.of(path);
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            listener.bind(socketFile, BACKLOG);
        } catch (IOException e) {
            listener.close();
            // Go's net.Listen does not remove a file in the way either: it may be a running server's.
            throw new BindException("could not listen on unix:" + path + ": " + e.getMessage()
                    + (Files.exists(socketFile.getPath()) ? " (a file exists there: another server's socket, or one left by a server that crashed)" : ""));
        }
        socketFiles.put(listener, socketFile.getPath());
        return listener;
    }

    /** Accepts connections from {@code listener} and serves them until {@link #shutdown()}. Blocks. */
    public void serve(ServerSocketChannel listener) throws IOException {
        if (shuttingDown) throw new IllegalStateException("server is shut down");
        config.edge().checkSupported();
        boolean tcp = !(listener.getLocalAddress() instanceof UnixDomainSocketAddress);
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
                accept(channel, tcp);
            }
        } finally {
            listener.close();
            deleteSocketFile(listener);
            listeners.remove(listener);   // after the close: shutdown() waits for this
        }
    }

    /** Deletes the file of a Unix domain socket listener this server bound, as Go's UnixListener.Close does. */
    private void deleteSocketFile(ServerSocketChannel listener) {
        Path file = socketFiles.remove(listener);
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete the socket file " + file + ": " + e);
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
        transport.serveHere(connections.register(channel, remoteAddress, localAddress));
    }

    /** {@code tcp}: false for a Unix domain socket, which has none of TCP's options. */
    private void accept(SocketChannel channel, boolean tcp) {
        try {
            if (tcp) config.edge().configureTcpConnection(channel);
            ServerConn conn = register(channel);
            if (conn == null) return;
            if (shuttingDown || !transport.serve(conn)) {
                rejected.incrementAndGet();
                rejectWith(channel, serviceUnavailable);
                connections.closed(conn);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "could not set up an accepted connection", e);
            closeQuietly(channel);
        } catch (Throwable t) {
            // Out of memory starting a worker, or a bug: this connection is lost, the accept loop is not.
            ERRORS.log(Level.ERROR, "accept-setup", "could not serve an accepted connection", t);
            closeQuietly(channel);
            ServerConn conn = connections.find(channel);
            if (conn != null) connections.closed(conn);
        }
    }

    /** Counts and registers a new connection; null (after answering 429) when its address has too many. */
    private ServerConn register(SocketChannel channel) throws IOException {
        ServerConn conn = connections.register(channel);
        if (conn == null) {
            rejected.incrementAndGet();
            rejectWith(channel, tooManyRequests);
        }
        return conn;
    }

    /** Answers a refused connection and closes it, off the accept thread: the linger may take a moment. */
    private void rejectWith(SocketChannel channel, byte[] response) {
        Thread.ofVirtual().name("fasthttp4j-reject").start(() -> {
            try (channel) {
                channel.configureBlocking(true);
                channel.write(ByteBuffer.wrap(response));
                channel.shutdownOutput();
                // A Unix domain socket has no socket() view for the timed drain; its close loses nothing.
                if (channel.getLocalAddress() instanceof UnixDomainSocketAddress) return;
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

    // ---- what the transports share ----

    RequestProcessor processor() {
        return processor;
    }

    ContextPool contexts() {
        return contexts;
    }

    Connections connections() {
        return connections;
    }

    Transport transport() {
        return transport;
    }

    /** Watches the connections of handlers that asked whether their client is still there. */
    CancelWatcher cancelWatcher() {
        return cancelWatcher;
    }

    // ---- housekeeping ----

    private void startSweeper() {
        long min = Math.min(config.readTimeoutNanos(), Math.min(config.writeTimeoutNanos(), config.idleTimeoutNanos()));
        long intervalMillis = Math.max(10, Math.min(500, min / 4_000_000));
        connections.startSweeper(intervalMillis, new Housekeeping(), () -> shuttingDown);
    }

    /**
     * The sweeper's periodic work besides deadlines: idle workers retire; every maxIdleWorkerDuration
     * the contexts (and TLS buffers) that stayed idle all that time are dropped, so that memory goes
     * back when load ends.
     */
    private final class Housekeeping implements java.util.function.LongConsumer {
        private final long trimNanos = config.maxIdleWorkerDuration().toNanos();
        private long lastTrim = System.nanoTime();   // the sweeper thread's

        @Override
        public void accept(long now) {
            transport.sweep(now);
            if (now - lastTrim < trimNanos) return;
            lastTrim = now;
            contexts.trimIdle();
            transport.trimSpares(false);
            if (connections.tlsBuffers() != null) connections.tlsBuffers().trim();
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
        while (connections.count() > 0) {
            connections.closeIdle();
            if (System.nanoTime() - deadline > 0) {
                connections.closeAll();
                connections.awaitClosed(System.nanoTime() + Duration.ofSeconds(5).toNanos());
                transport.awaitStopped(System.nanoTime() + Duration.ofSeconds(1).toNanos());
                return false;
            }
            sleepQuietly(5);
        }
        transport.awaitStopped(System.nanoTime() + Duration.ofSeconds(5).toNanos());   // loops give back the contexts they keep
        contexts.drain();
        if (connections.tlsBuffers() != null) connections.tlsBuffers().drain();
        cancelWatcher.stop();
        return true;
    }

    static void sleepQuietly(long millis) {
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

    /** This server's configuration. */
    public ServerConfig config() {
        return config;
    }

    /** Connections open now (accepted and not yet closed). */
    public int openConnections() {
        return connections.count();
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
     * what {@link ServerConfig.Builder#maxBufferedBodyBytes(long)} limits.
     */
    public long bufferedBodyBytes() {
        return contexts.budget.used();
    }

    /** Request contexts kept idle for reuse; they are dropped after {@link ServerConfig.Builder#maxIdleWorkerDuration} unused. */
    public int idleContexts() {
        return contexts.idleCount() + transport.spareContexts();
    }

    /** Request contexts acquired and not yet released; 0 once every connection has closed. */
    public long contextsInUse() {
        return contexts.outstanding() - transport.spareContexts();
    }

    /** TLS buffers taken by connections and not given back (0 without TLS); for the tests' leak checks. */
    long tlsBuffersInUse() {
        return connections.tlsBuffers() == null ? 0 : connections.tlsBuffers().outstanding();
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    static Duration positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, was " + d);
        return d;
    }

    /** Builds a {@link Server}: the settings of {@link ServerConfig.Builder}, and {@link #build()}. */
    public static final class Builder extends ServerConfig.Builder<Builder> {
        private Builder(RequestHandler handler) {
            super(handler);
        }

        public Server build() {
            return new Server(config());
        }
    }
}
