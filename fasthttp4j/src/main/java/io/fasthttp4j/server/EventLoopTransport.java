package io.fasthttp4j.server;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

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
 * kept a loop busy longer than the configured time. Each loop is an {@link EventLoop}; this class
 * spreads connections over them, counts them against the concurrency limit, and stops them.
 */
final class EventLoopTransport implements Transport {
    private final Transport workers;          // serveConn(), and where idle workers are swept
    private final EventLoop[] loops;
    private final int concurrency;
    private final AtomicInteger served = new AtomicInteger();   // connections owned by loops or handed off
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final Map<String, Boolean> reportedPaths = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /** {@code workers}: the virtual-thread transport, which also serves the handed-off requests. */
    <W extends Transport & HandOff.Target> EventLoopTransport(Server server, RequestProcessor processor, W workers, int loopCount,
                       int concurrency, long watchdogNanos) throws IOException {
        this.workers = workers;
        this.concurrency = concurrency;
        this.loops = new EventLoop[loopCount];
        for (int i = 0; i < loopCount; i++) loops[i] = new EventLoop(this, server, processor, workers, i, watchdogNanos, reportedPaths);
    }

    @Override
    public boolean serve(ServerConn conn) {
        if (stopped || conn.socket == null) return false;
        if (served.incrementAndGet() > concurrency) {
            connectionGone();
            return false;
        }
        EventLoop loop = loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
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
    void connectionGone() {
        if (served.decrementAndGet() == 0 && stopped) {
            for (EventLoop loop : loops) loop.selector.wakeup();
        }
    }

    /** True once stopped and every connection is gone: the loops may end. */
    boolean isDone() {
        return stopped && served.get() == 0;
    }

    @Override
    public int busyCount() {
        return served.get();
    }

    @Override
    public void sweep(long nowNanos) {
        workers.sweep(nowNanos);
        for (EventLoop loop : loops) loop.checkWatchdog(nowNanos);
    }

    @Override
    public void awaitStopped(long deadlineNanos) {
        for (EventLoop loop : loops) {
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
        for (EventLoop loop : loops) loop.requestTrim(all);
    }

    @Override
    public int spareContexts() {
        int n = 0;
        for (EventLoop loop : loops) n += loop.spareCount();
        return n;
    }

    @Override
    public void stop() {
        stopped = true;
        workers.stop();
        for (EventLoop loop : loops) loop.selector.wakeup();
    }

}
