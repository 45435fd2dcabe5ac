package io.fasthttp4j.server;

import io.fasthttp4j.pool.MemoryBudget;
import io.fasthttp4j.pool.ObjectPool;
import java.util.function.Function;

/**
 * The server's request contexts, each pooled with its connection's HTTP/1.1 exchange and the buffers
 * that holds ({@link Http1Exchange}): one shared LIFO pool, trimmed when load
 * ends, and {@link Local} caches confined to one thread each (an event loop), because taking a
 * context from the shared pool and giving it back (a lock, a counter and a full reset each way)
 * costs more than the Java of a pipelined read. Every context charges the growth of its buffers to
 * the server's {@link MemoryBudget} (maxBufferedBodyBytes) and gives it back when it is dropped.
 *
 * <p>Every acquired context is released exactly once; {@link #inUse()} is 0 once every connection
 * has closed. In debug mode nothing is kept: each released context is poisoned, and a stale
 * reference fails loudly instead of showing the next request's data.
 */
final class ContextPool {
    /** Most idle contexts kept in the shared pool. */
    static final int CAPACITY = 4096;
    /** Contexts an event loop keeps for itself (each holds its buffers). */
    static final int LOCAL_CAPACITY = 16;
    /** A released context's body and output buffers past this are dropped for small ones. */
    static final int KEPT_BUFFER_BYTES = 64 * 1024;

    private final ObjectPool<Http1Exchange> pool;
    private final boolean debug;
    private final boolean checked;
    private final int readBufferSize;
    private final int writeBufferSize;
    final MemoryBudget budget;

    /**
     * @param newCtx  creates a context whose buffers charge {@code budget}
     * @param reclaim run when the budget is short, after the shared pool is drained (the transport's caches)
     */
    ContextPool(ServerConfig config, Function<MemoryBudget, Http1Exchange> newExchange, Runnable reclaim) {
        this.debug = config.debugContexts();
        this.checked = config.checkedPools();
        this.readBufferSize = config.readBufferSize();
        this.writeBufferSize = config.writeBufferSize();
        this.budget = new MemoryBudget("maxBufferedBodyBytes", config.maxBufferedBodyBytes(), () -> {
            drain();
            reclaim.run();
        });
        pool = debug
                ? new ObjectPool<>("RequestCtx", 0, () -> newExchange.apply(budget), ex -> ex.ctx.markReleased(ex.toString()), Http1Exchange::dispose, true)
                : new ObjectPool<>("RequestCtx", CAPACITY, () -> newExchange.apply(budget), Http1Exchange::reset, Http1Exchange::dispose, checked);
    }

    /** An exchange and its context for {@code conn}'s next request, with its buffers. */
    Http1Exchange acquire(ServerConn conn) {
        Http1Exchange ex = pool.acquire();
        ex.attach(conn);
        return ex;
    }

    /**
     * Gives {@code ctx} back. A context a {@link TimeoutHandler} shares with a late handler goes back
     * when the second of them lets go.
     */
    void release(Http1Exchange ex) {
        Cancellation.TimedOut timedOut = ex.ctx.cancellation.timedOut;
        if (timedOut != null && timedOut.owners.decrementAndGet() > 0) return;   // the other owner releases it
        try {
            trimBuffers(ex);
        } catch (OutOfMemoryError e) {
            pool.discard(ex);   // no memory for its small arrays: drop the exchange, never leak its count
            return;
        }
        pool.release(ex);
    }

    /** Drops what one large request grew in {@code ctx}, so that a kept context does not pin memory. */
    private void trimBuffers(Http1Exchange ex) {
        if (ex.readBuf.length > readBufferSize * 4) ex.readBuf = new byte[readBufferSize];
        ex.ctx.request.bodyBuffer().trimTo(KEPT_BUFFER_BYTES);
        ex.ctx.response.bodyBuffer().trimTo(KEPT_BUFFER_BYTES);
        ex.out.trimTo(Math.max(writeBufferSize, KEPT_BUFFER_BYTES));
    }

    /** Readies {@code ex} for the connection's next request; in debug mode, swaps in a fresh exchange and context. */
    Http1Exchange next(Http1Exchange ex) {
        if (!debug) {
            if (ex.readPos < ex.readEnd) {
                ex.resetForNextInBuffer();   // pipelined: the next request is in the same buffer
            } else {
                ex.resetRequest();   // the connection may go idle now and its exchange back to a pool
                ex.readPos = ex.readEnd = 0;
            }
            return ex;
        }
        Http1Exchange next = acquire(ex.conn);
        byte[] spare = next.readBuf;
        next.readBuf = ex.readBuf;
        next.readPos = ex.readPos;
        next.readEnd = ex.readEnd;
        next.readNanos = ex.readNanos;
        ex.readBuf = spare;
        next.out.append(ex.out.array(), 0, ex.out.length());
        pool.release(ex);   // poisons its context: a stale reference now fails loudly
        return next;
    }

    /** Drops the contexts that stayed idle since the last call (the sweeper's period). */
    void trimIdle() {
        pool.trim();
    }

    /** Drops every idle context now: memory is short, or the server has stopped. */
    void drain() {
        pool.drain();
    }

    /** Contexts acquired and not yet released, a transport's caches included. */
    long outstanding() {
        return pool.outstanding();
    }

    /** Idle contexts in the shared pool. */
    int idleCount() {
        return pool.idleCount();
    }

    /** A cache for one thread; it keeps nothing in debug mode, where every context must go back to be poisoned. */
    Local newLocal() {
        return new Local(debug ? 0 : LOCAL_CAPACITY);
    }

    /**
     * Contexts kept by one thread (an event loop) for its next connections; confined to that thread
     * except {@link #count()}. Spares unused through a sweeper period go back ({@link #trimUnused()}).
     */
    final class Local {
        private final Http1Exchange[] spares;
        private int count;      // written by the owner thread, read elsewhere with getOpaque
        private int lowWater;   // fewest spares since the last trim

        Local(int capacity) {
            spares = new Http1Exchange[capacity];
        }

        Http1Exchange acquire(ServerConn conn) {
            if (count == 0) return ContextPool.this.acquire(conn);
            Http1Exchange ex = spares[--count];
            spares[count] = null;
            if (count < lowWater) lowWater = count;
            ex.attach(conn);
            return ex;
        }

        /** Keeps {@code ex}; {@code clean}: its request part is reset already (nothing read since). */
        void release(Http1Exchange ex, boolean clean) {
            if (count == spares.length) {   // (a context a TimeoutHandler shares never comes back to a loop: its connection closes)
                ContextPool.this.release(ex);
                return;
            }
            if (checked) {
                for (int i = 0; i < count; i++) {
                    if (spares[i] == ex) throw new IllegalStateException("RequestCtx released twice to " + Thread.currentThread().getName());
                }
            }
            trimBuffers(ex);
            if (clean) ex.resetConnection();
            else ex.reset();
            spares[count++] = ex;
        }

        /** Gives back the spares unused since the last call (the oldest, at the bottom), or with {@code all} every one. */
        void giveBack(boolean all) {
            int n = all ? count : Math.min(lowWater, count);
            for (int i = 0; i < n; i++) {
                pool.discard(spares[i]);
                spares[i] = null;
            }
            System.arraycopy(spares, n, spares, 0, count - n);
            java.util.Arrays.fill(spares, count - n, count, null);
            count -= n;
            lowWater = count;
        }

        /** Gives every spare back to the shared pool (the owner thread ends). */
        void releaseAll() {
            while (count > 0) {
                Http1Exchange ex = spares[--count];
                spares[count] = null;
                ContextPool.this.release(ex);
            }
        }

        /** Spares kept now; any thread. */
        int count() {
            return (int) COUNT.getOpaque(this);
        }
    }

    private static final java.lang.invoke.VarHandle COUNT;

    static {
        try {
            COUNT = java.lang.invoke.MethodHandles.lookup().findVarHandle(Local.class, "count", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
