package io.fasthttp4j.server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;

/**
 * Names, once per path, a handler that has kept an event loop busy for longer than the limit. The
 * loop marks each handler call ({@link #enter}, {@link #exit}); the server's sweeper
 * {@link #check}s. A handler is named at most a limit plus a sweep interval after it started, one
 * that returns within the limit never is, and the loop pays no clock read per request for it.
 */
final class LoopWatchdog {
    private static final System.Logger LOG = System.getLogger(Server.class.getName());
    private static final int MAX_REPORTS = 1000;

    private final String loopName;
    private final long limitNanos;
    private final Map<String, Boolean> reportedPaths;   // shared by the server's loops
    // handlerSeq is odd while a handler runs, handlerCtx names it. Plain stores by the loop (no fence
    // per request; the handler call between them keeps the JIT from dropping them), read by the
    // sweeper with getOpaque: it sees them within its period.
    private long handlerSeq;
    private RequestCtx handlerCtx;
    private long seenSeq;                               // the sweeper's thread only: the last odd
    private long seenSinceNanos;                        // handlerSeq it saw, and since when

    LoopWatchdog(String loopName, long limitNanos, Map<String, Boolean> reportedPaths) {
        this.loopName = loopName;
        this.limitNanos = limitNanos;
        this.reportedPaths = reportedPaths;
    }

    /** The loop is about to run {@code ctx}'s handler. */
    void enter(RequestCtx ctx) {
        handlerCtx = ctx;
        handlerSeq++;   // odd: a handler runs
    }

    /** The handler returned. */
    void exit() {
        handlerSeq++;
    }

    /** The sweeper's look: logs a handler it finds still running (same odd sequence) a limit's time after it first saw it. */
    void check(long nowNanos) {
        long seq = (long) HANDLER_SEQ.getOpaque(this);
        if ((seq & 1) == 0) return;                        // no handler runs
        if (seq != seenSeq) {
            seenSeq = seq;
            seenSinceNanos = nowNanos;
            return;
        }
        long start = seenSinceNanos;
        RequestCtx ctx = (RequestCtx) HANDLER_CTX.getOpaque(this);
        if (ctx == null || nowNanos - start < limitNanos) return;
        String path;
        try {
            path = ctx.request.header().requestUri().toString();   // racy read of a stuck handler's request: good enough to name it
        } catch (RuntimeException e) {
            path = "?";
        }
        int query = path.indexOf('?');
        if (query >= 0) path = path.substring(0, query);
        if (reportedPaths.size() < MAX_REPORTS && reportedPaths.putIfAbsent(path, Boolean.TRUE) == null) {
            long millis = (nowNanos - start) / 1_000_000;
            LOG.log(System.Logger.Level.WARNING, "handler for " + path + " has blocked event loop " + loopName + " for over " + millis
                    + " ms: call ctx.startBlocking() before blocking, or use the default virtual-thread transport");
        }
    }

    private static final VarHandle HANDLER_SEQ;
    private static final VarHandle HANDLER_CTX;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HANDLER_SEQ = lookup.findVarHandle(LoopWatchdog.class, "handlerSeq", long.class);
            HANDLER_CTX = lookup.findVarHandle(LoopWatchdog.class, "handlerCtx", RequestCtx.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
