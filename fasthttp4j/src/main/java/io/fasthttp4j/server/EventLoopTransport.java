package io.fasthttp4j.server;

import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.pool.ByteBuf;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The opt-in transport for handlers that never block: one selector loop per core, each owning its
 * connections. Reads are non-blocking and resume the incremental parser; each complete request's
 * handler runs inline on the loop; responses to everything read at once go out in one write (so a
 * pipelined batch costs one read and one write), and a write the socket cannot take completes on
 * OP_WRITE while the connection stops reading (back-pressure).
 *
 * <p>What must block moves off the loop: a handler that calls {@link RequestCtx#startBlocking()}, a
 * streamed request body, a streamed or file response and a hijack. The connection is then
 * deregistered, served for that request on a virtual thread by the virtual-thread transport, and handed
 * back to its loop afterwards. A watchdog (the server's sweeper) logs, once per path, a handler that
 * kept a loop busy longer than the configured time.
 */
final class EventLoopTransport implements Transport {
    private static final System.Logger LOG = System.getLogger(Server.class.getName());
    private static final int MAX_WATCHDOG_REPORTS = 1000;

    private final Server server;
    private final RequestProcessor processor;
    private final Transport workers;          // serveConn() and streamed bodies of handed-off requests
    private final HandOff.Target handOffTarget;   // where requests that must block are served
    private final Loop[] loops;
    private final int concurrency;
    private final long watchdogNanos;
    private final AtomicInteger served = new AtomicInteger();   // connections owned by loops or handed off
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final Map<String, Boolean> reportedPaths = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /** {@code workers}: the virtual-thread transport, which also serves the handed-off requests. */
    <W extends Transport & HandOff.Target> EventLoopTransport(Server server, RequestProcessor processor, W workers, int loopCount,
                       int concurrency, long watchdogNanos) throws IOException {
        this.server = server;
        this.processor = processor;
        this.workers = workers;
        this.handOffTarget = workers;
        this.concurrency = concurrency;
        this.watchdogNanos = watchdogNanos;
        this.loops = new Loop[loopCount];
        for (int i = 0; i < loopCount; i++) loops[i] = new Loop(i);
    }

    @Override
    public boolean serve(ServerConn conn) {
        if (stopped || conn.socket == null) return false;
        if (served.incrementAndGet() > concurrency) {
            connectionGone();
            return false;
        }
        Loop loop = loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
        loop.adopt(conn, null);
        return true;
    }

    @Override
    public void serveHere(ServerConn conn) {
        workers.serveHere(conn);   // serveConn(): the caller's thread is the connection's thread
    }

    /**
     * Counts a connection out. The loops block in select without a timeout, so when the last one goes
     * after stop, every loop is woken to see that it may end (a handed-off connection ends on its
     * virtual thread, and a loop with none of its own left would otherwise wait for ever).
     */
    private void connectionGone() {
        if (served.decrementAndGet() == 0 && stopped) {
            for (Loop loop : loops) loop.selector.wakeup();
        }
    }

    @Override
    public void readMoreBody(RequestCtx ctx) throws IOException {
        workers.readMoreBody(ctx);   // only handed-off requests stream bodies: the channel is blocking then
    }

    @Override
    public int busyCount() {
        return served.get();
    }

    @Override
    public void sweep(long nowNanos) {
        workers.sweep(nowNanos);
        for (Loop loop : loops) loop.checkWatchdog(nowNanos);
    }

    @Override
    public void awaitStopped(long deadlineNanos) {
        for (Loop loop : loops) {
            if (loop.thread == Thread.currentThread()) continue;   // shutdown called from a handler
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) return;
            try {
                loop.thread.join(java.time.Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void trimSpares(boolean all) {
        for (Loop loop : loops) loop.requestTrim(all);
    }

    @Override
    public int spareContexts() {
        int n = 0;
        for (Loop loop : loops) n += loop.spareCount();
        return n;
    }

    @Override
    public void stop() {
        stopped = true;
        workers.stop();
        for (Loop loop : loops) loop.selector.wakeup();
    }

    /** One selector thread and the connections it owns. Everything but the queues runs on its thread. */
    final class Loop implements Runnable {
        private final Selector selector;
        private final Thread thread;
        private final ConcurrentLinkedQueue<LoopConn> incoming = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<LoopConn> closeRequests = new ConcurrentLinkedQueue<>();
        private final List<LoopConn> handOffs = new ArrayList<>();
        private final Consumer<SelectionKey> onSelected = this::onSelected;
        private int owned;                                    // connections registered here
        private boolean clockRead;                            // now has been read since the last select
        static final int SMALL_BODY = 16 * 1024;              // see isSmallBody
        private long now;                                     // System.nanoTime() when the current select returned
        // The watchdog's view of this loop: handlerSeq is odd while a handler runs, handlerCtx names it.
        // Plain stores by the loop (no fence per request; the handler call between them keeps the JIT
        // from dropping them), read by the sweeper with getOpaque: it sees them within its period.
        private long handlerSeq;
        private RequestCtx handlerCtx;
        // Contexts of connections that went idle, kept for the next connection that becomes readable.
        private final ContextPool.Local spares = server.contexts().newLocal();
        private volatile int trimRequest;                     // TRIM_UNUSED or TRIM_ALL, from the sweeper or the budget
        private long seenSeq;                                 // the sweeper's thread only: the last odd
        private long seenSinceNanos;                          // handlerSeq it saw, and since when

        Loop(int index) throws IOException {
            selector = Selector.open();
            thread = Thread.ofPlatform().name("fasthttp4j-loop-" + index).daemon().start(this);
        }

        /** Takes over {@code conn} (from the accept thread, or back from a virtual thread with {@code ctx}). */
        void adopt(ServerConn conn, RequestCtx ctx) {
            LoopConn lc = new LoopConn(this, conn, ctx);
            conn.owner = lc;
            incoming.add(lc);
            selector.wakeup();
        }

        void requestClose(LoopConn lc) {
            closeRequests.add(lc);
            selector.wakeup();
        }

        @Override
        public void run() {
            // Run until stopped and every connection is gone: handed-off ones come back to their loop.
            while (!(stopped && served.get() == 0 && incoming.isEmpty())) round();
            spares.releaseAll();
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing: nothing left to do
            }
        }

        // One select and the housekeeping after it. A method of its own rather than the body of run's
        // loop, because of how the JIT finds hot code: a method is compiled by C2 after a few thousand
        // calls, under a second of load, while a loop that turns once per select (a few thousand times
        // a second) waited ~19 s for its on-stack replacement, and that large compilation then took the
        // loop's core away from serving for a second or more, in the middle of a load (measured).
        private void round() {
            try {
                clockRead = false;
                // No timeout: everything that needs the loop wakes it (adopt, requestClose, stop, the last
                // connection going after stop), and a timed epoll_wait arms and cancels a kernel timer
                // each time the loop sleeps: about once a millisecond under baseline load (measured).
                selector.select(onSelected);
                if (!clockRead) now = System.nanoTime();
                registerIncoming();
                closeRequested();
                if (trimRequest != 0) trimSpares();
                // Last: a connection back from a virtual thread with a pipelined request that must block
                // again is handed off while registering, and the next select would not wake for it.
                completeHandOffs();
            } catch (Throwable t) {
                // Out of memory, or a bug outside any one connection: the loop must outlive it.
                Server.ERRORS.log(Level.ERROR, "event-loop", "event loop failed; it goes on: ", thread.getName(), t);
            }
        }

        private RequestCtx acquireCtx(ServerConn conn) {
            return spares.acquire(conn);
        }

        /** Gives back a connection's context; {@code clean}: its request part is reset already (nothing read since). */
        private void releaseCtx(RequestCtx ctx, boolean clean) {
            spares.release(ctx, clean);
        }

        int spareCount() {
            return spares.count();
        }

        /** Asks the loop to give back its spare contexts: those unused since the last request, or all. */
        void requestTrim(boolean all) {
            if (spareCount() == 0) return;   // nothing to give back: do not wake an idle loop
            trimRequest = all ? TRIM_ALL : TRIM_UNUSED;
            selector.wakeup();
        }

        private void trimSpares() {
            boolean all = trimRequest == TRIM_ALL;
            trimRequest = 0;
            spares.giveBack(all);
        }

        private void registerIncoming() {
            for (LoopConn lc; (lc = incoming.poll()) != null; ) {
                if (lc.closeOnRegister) {
                    finish(lc);
                    continue;
                }
                try {
                    lc.conn.socket.configureBlocking(false);
                    lc.key = lc.conn.socket.register(selector, SelectionKey.OP_READ, lc);
                    owned++;
                    if (lc.ctx == null) {
                        if (!goIdle(lc)) close(lc);
                    } else if (lc.ctx.readPos < lc.ctx.readEnd) {
                        process(lc);      // back from a virtual thread with pipelined bytes
                    } else {
                        afterFlush(lc);   // back from a virtual thread: idle now
                    }
                } catch (IOException e) {
                    server.connections().logError(lc.conn, e);
                    close(lc);
                } catch (Throwable t) {
                    Server.ERRORS.log(Level.ERROR, "connection", "connection failed: #", lc.conn.id, t);
                    close(lc);
                }
            }
        }

        private void closeRequested() {
            for (LoopConn lc; (lc = closeRequests.poll()) != null; ) {
                if (lc.conn.owner != lc || lc.handedOff) {
                    lc.conn.close();   // handed off meanwhile: closing wakes its thread, which cleans up
                } else if (lc.key == null) {
                    lc.closeOnRegister = true;   // still in the incoming queue
                } else {
                    close(lc);
                }
            }
        }

        private void onSelected(SelectionKey key) {
            if (!clockRead) {   // one clock read per select, for every deadline this round sets
                now = System.nanoTime();
                clockRead = true;
            }
            LoopConn lc = (LoopConn) key.attachment();
            try {
                if (!key.isValid()) {
                    close(lc);
                    return;
                }
                if (key.isWritable()) onWritable(lc);
                if (key.isValid() && key.isReadable() && !lc.handedOff) onReadable(lc);
            } catch (IOException e) {
                server.connections().logError(lc.conn, e);
                close(lc);
            } catch (Throwable t) {
                // A bug or out of memory: this connection ends and its context goes back; the loop goes on.
                Server.ERRORS.log(Level.ERROR, "connection", "connection failed: #", lc.conn.id, t);
                close(lc);
            }
        }

        // ---- reading and serving ----

        private void onReadable(LoopConn lc) throws IOException {
            ServerConn conn = lc.conn;
            if (lc.draining) {
                drain(lc);
                return;
            }
            if (lc.ctx == null) {
                RequestCtx ctx = acquireCtx(conn);
                lc.ctx = ctx;   // before the read: a reset makes it throw, and close(lc) must find the context to release
                int n = conn.read(ctx.readBuffer(0, ctx.readBuf.length));
                if (n <= 0) {
                    lc.ctx = null;
                    releaseCtx(ctx, true);
                    if (n < 0) close(lc);
                    return;
                }
                ctx.readEnd = n;
                if (!conn.transition(ServerConn.IDLE, ServerConn.ACTIVE)) {   // shutdown closed it first
                    close(lc);
                    return;
                }
            } else {
                RequestCtx ctx = lc.ctx;
                ctx.makeRoom();
                int n = conn.read(ctx.readBuffer(ctx.readEnd, ctx.readBuf.length));
                if (n < 0) {
                    close(lc);
                    return;
                }
                ctx.readEnd += n;
            }
            process(lc);
        }

        /** Serves every complete request in the buffer, then writes all their responses at once. */
        private void process(LoopConn lc) throws IOException {
            ServerConn conn = lc.conn;
            RequestCtx ctx = lc.ctx;
            while (ctx.readPos < ctx.readEnd && !lc.closeAfterWrite) {
                if (!lc.requestStarted) startRequest(lc);
                try {
                    ctx.readPos = ctx.parser.parse(ctx.readBuf, ctx.readPos, ctx.readEnd, ctx.request);
                } catch (BadRequestException e) {
                    answerBadRequest(lc, e);
                    return;
                }
                if (!ctx.parser.isComplete()) {
                    if (ctx.parser.isHeaderComplete()) {
                        if (ctx.sendContinue) {
                            ctx.sendContinue = false;
                            ctx.out.append(RequestProcessor.CONTINUE);
                        }
                        if (server.config().streamRequestBody() && !isSmallBody(ctx)) {
                            conn.requestCount++;
                            handOff(lc, HandOff.RUN_HANDLER);
                            return;
                        }
                    }
                    break;   // the rest of this request has not arrived
                }
                conn.requestCount++;
                conn.clearReadDeadline();
                lc.requestStarted = false;
                if (!serveInline(lc)) return;   // handed off, or must close
                ctx = lc.ctx;
                if (ctx.out.length() >= RequestProcessor.FLUSH_THRESHOLD && !flush(lc)) return;   // back-pressure
            }
            if (!flush(lc)) return;
            afterFlush(lc);
        }

        /**
         * True for a body the loop may as well wait for with streamRequestBody on: a Content-Length of
         * at most {@link #SMALL_BODY}, or a chunked body that has not grown past it yet. Handing the
         * connection to a virtual thread costs more than the wait (and allocates); a larger body goes.
         */
        private static boolean isSmallBody(RequestCtx ctx) {
            long length = ctx.request.header().contentLength();
            return length >= 0 ? length <= SMALL_BODY : ctx.request.bodyBuffer().length() <= SMALL_BODY;
        }

        /** Runs the handler on the loop and writes its response; false when the connection was handed off. */
        private boolean serveInline(LoopConn lc) {
            RequestCtx ctx = lc.ctx;
            ctx.onEventLoop = true;
            handlerCtx = ctx;
            handlerSeq++;   // odd: a handler runs
            try {
                processor.handle(ctx);
            } finally {
                handlerSeq++;
                ctx.onEventLoop = false;
            }
            if (ctx.blockingRequested) {
                ctx.blockingRequested = false;
                ctx.response.reset();
                handOff(lc, HandOff.RUN_HANDLER);
                return false;
            }
            if (ctx.sendFile != null || ctx.bodyStream != null || ctx.bodyStreamWriter != null || ctx.hijackHandler != null) {
                handOff(lc, HandOff.FINISH_RESPONSE);
                return false;
            }
            boolean keepAlive = processor.keepAlive(lc.conn, ctx) && ctx.parser.isComplete();
            processor.applyConnection(ctx, keepAlive);
            if (!processor.writeResponse(ctx) || !keepAlive) {   // not written: a 503 in its place, the budget is spent
                lc.closeAfterWrite = true;
                return true;
            }
            lc.ctx = server.contexts().next(ctx);
            return true;
        }

        private void startRequest(LoopConn lc) {
            RequestCtx ctx = lc.ctx;
            ctx.startNanos = now;
            lc.conn.setReadDeadline(now + server.config().readTimeoutNanos());
            lc.requestStarted = true;
            server.connections().stateChanged(lc.conn, ConnState.ACTIVE);
        }

        /** After everything read was answered and written: close, wait for the rest of a request, or go idle. */
        private void afterFlush(LoopConn lc) throws IOException {
            if (lc.closeAfterWrite) {
                close(lc);
                return;
            }
            RequestCtx ctx = lc.ctx;
            if (ctx.readPos == ctx.readEnd && !ctx.parser.isHeaderComplete() && !lc.requestStarted) {
                releaseCtx(ctx, true);   // idle connections hold no buffers
                lc.ctx = null;
                if (!goIdle(lc)) close(lc);
            }
        }

        /** Marks the connection idle; false when the server is shutting down and it should close. */
        private boolean goIdle(LoopConn lc) {
            ServerConn conn = lc.conn;
            boolean fresh = conn.requestCount == 0;
            conn.setState(ServerConn.IDLE);
            if (server.isShuttingDown()) return false;
            conn.setReadDeadline(now + (fresh ? server.config().readTimeoutNanos() : server.config().idleTimeoutNanos()));
            if (!fresh) server.connections().stateChanged(conn, ConnState.IDLE);
            return true;
        }

        // ---- writing ----

        /** Writes what the socket takes; true when all is written, else waits for OP_WRITE without reading. */
        private boolean flush(LoopConn lc) throws IOException {
            ByteBuf out = lc.ctx.out;
            if (lc.outPos < out.length()) lc.outPos += lc.conn.writeSome(lc.ctx.outBuffer(lc.outPos, out.length()));
            if (lc.outPos < out.length()) {
                if (!lc.waitingToWrite) {
                    lc.waitingToWrite = true;
                    lc.conn.setWriteDeadline(now + lc.ctx.writeTimeoutNanos);
                    lc.key.interestOps(SelectionKey.OP_WRITE);   // stop reading until the client reads: back-pressure
                }
                return false;
            }
            out.reset();
            lc.outPos = 0;
            if (lc.waitingToWrite) {
                lc.waitingToWrite = false;
                lc.conn.clearWriteDeadline();
                lc.key.interestOps(SelectionKey.OP_READ);
            }
            return true;
        }

        private void onWritable(LoopConn lc) throws IOException {
            if (!flush(lc)) return;
            if (lc.draining) {
                startDraining(lc);
                return;
            }
            if (lc.ctx.readPos < lc.ctx.readEnd && !lc.closeAfterWrite) process(lc);   // pipelined requests waited for the drain
            else afterFlush(lc);
        }

        // ---- refused requests ----

        private void answerBadRequest(LoopConn lc, BadRequestException e) throws IOException {
            processor.prepareError(lc.ctx, e.status(), e);
            processor.writeResponse(lc.ctx);
            lc.draining = true;   // after the answer: half-close, read and drop for a moment, close
            if (flush(lc)) startDraining(lc);
        }

        /** Half-closes, then drops what the client still sends until EOF or the linger deadline, as the virtual-thread transport does. */
        private void startDraining(LoopConn lc) throws IOException {
            lc.conn.socket.shutdownOutput();
            lc.conn.setReadDeadline(now + Server.LINGER_NANOS);
            lc.drained = 0;
        }

        private void drain(LoopConn lc) throws IOException {
            RequestCtx ctx = lc.ctx;
            int n = lc.conn.read(ctx.readBuffer(0, ctx.readBuf.length));
            if (n < 0 || (lc.drained += Math.max(n, 0)) > 256 * 1024) close(lc);
        }

        // ---- hand-off to a virtual thread and back ----

        private void handOff(LoopConn lc, HandOff stage) {
            lc.handedOff = true;
            lc.stage = stage;
            lc.key.cancel();     // the channel can turn blocking once the next select has deregistered it
            handOffs.add(lc);
        }

        private void completeHandOffs() throws IOException {
            if (handOffs.isEmpty()) return;
            selector.selectNow();   // flushes the cancelled keys
            for (LoopConn lc : handOffs) {
                owned--;
                ServerConn conn = lc.conn;
                conn.owner = null;   // from now on abort() closes the channel directly, waking the blocked thread
                try {
                    conn.socket.configureBlocking(true);
                } catch (IOException e) {
                    server.connections().logError(conn, e);
                    finish(lc);
                    continue;
                }
                RequestCtx ctx = lc.ctx;
                HandOff stage = lc.stage;
                try {
                    Thread.ofVirtual().name("fasthttp4j-blocking-", conn.id).start(() -> {
                        RequestCtx back = handOffTarget.serveHandedOff(conn, ctx, stage);
                        if (back == null) {
                            connectionGone();
                        } else {
                            adopt(conn, back);
                        }
                    });
                } catch (Throwable t) {
                    Server.ERRORS.log(Level.ERROR, "hand-off", "could not hand a connection to a virtual thread: #", conn.id, t);
                    finish(lc);
                }
            }
            handOffs.clear();
        }

        // ---- closing ----

        private void close(LoopConn lc) {
            if (lc.closed) return;
            lc.closed = true;
            if (lc.key != null) {
                lc.key.cancel();
                owned--;
            }
            finish(lc);
        }

        private void finish(LoopConn lc) {
            if (lc.ctx != null) {
                releaseCtx(lc.ctx, false);
                lc.ctx = null;
            }
            lc.conn.close();
            server.connections().closed(lc.conn);
            connectionGone();
        }

        // ---- watchdog ----

        /**
         * Logs, once per path, a handler that has kept this loop busy for longer than the limit: one
         * that the sweeper finds still running (same odd handlerSeq) a limit's time after it first saw
         * it. So a handler is named at most a limit plus a sweep interval after it started, and one
         * that returns within the limit never is; the loop pays no clock read per request for it.
         */
        void checkWatchdog(long nowNanos) {
            long seq = (long) HANDLER_SEQ.getOpaque(this);
            if ((seq & 1) == 0) return;                        // no handler runs
            if (seq != seenSeq) {
                seenSeq = seq;
                seenSinceNanos = nowNanos;
                return;
            }
            long start = seenSinceNanos;
            RequestCtx ctx = (RequestCtx) HANDLER_CTX.getOpaque(this);
            if (ctx == null || nowNanos - start < watchdogNanos) return;
            String path;
            try {
                path = ctx.request.header().requestUri().toString();   // racy read of a stuck handler's request: good enough to name it
            } catch (RuntimeException e) {
                path = "?";
            }
            int query = path.indexOf('?');
            if (query >= 0) path = path.substring(0, query);
            if (reportedPaths.size() < MAX_WATCHDOG_REPORTS && reportedPaths.putIfAbsent(path, Boolean.TRUE) == null) {
                long millis = (nowNanos - start) / 1_000_000;
                LOG.log(Level.WARNING, "handler for " + path + " has blocked event loop " + thread.getName() + " for over " + millis
                        + " ms: call ctx.startBlocking() before blocking, or use the default virtual-thread transport");
            }
        }
    }

    private static final java.lang.invoke.VarHandle HANDLER_SEQ;
    private static final java.lang.invoke.VarHandle HANDLER_CTX;
    private static final int TRIM_UNUSED = 1;
    private static final int TRIM_ALL = 2;

    static {
        try {
            var lookup = java.lang.invoke.MethodHandles.lookup();
            HANDLER_SEQ = lookup.findVarHandle(Loop.class, "handlerSeq", long.class);
            HANDLER_CTX = lookup.findVarHandle(Loop.class, "handlerCtx", RequestCtx.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A connection's state on its loop. Used by the loop thread only (and the hand-off, which owns it then). */
    static final class LoopConn implements ServerConn.Owner {
        final Loop loop;
        final ServerConn conn;
        RequestCtx ctx;            // null while idle: idle connections hold no buffers
        SelectionKey key;
        int outPos;                // bytes of ctx.out already written
        int drained;
        boolean requestStarted;
        boolean waitingToWrite;
        boolean closeAfterWrite;
        boolean draining;
        boolean handedOff;
        boolean closed;
        boolean closeOnRegister;
        HandOff stage;

        LoopConn(Loop loop, ServerConn conn, RequestCtx ctx) {
            this.loop = loop;
            this.conn = conn;
            this.ctx = ctx;
        }

        @Override
        public void requestClose() {
            loop.requestClose(this);
        }
    }
}
