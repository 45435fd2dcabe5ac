package io.fasthttp4j.server;

import io.fasthttp4j.pool.MemoryBudget;
import io.fasthttp4j.pool.ObjectPool;
import java.util.function.Function;

/**
 * The server's request contexts and the buffers they hold: one shared LIFO pool, trimmed when load
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

    private final Server server;
    private final ObjectPool<RequestCtx> pool;
    private final boolean debug;
    private final boolean checked;
    private final int readBufferSize;
    private final int writeBufferSize;
    final MemoryBudget budget;

    /**
     * @param newCtx  creates a context whose buffers charge {@code budget}
     * @param reclaim run when the budget is short, after the shared pool is drained (the transport's caches)
     */
    ContextPool(Server server, ServerConfig config, Function<MemoryBudget, RequestCtx> newCtx, Runnable reclaim) {
        this.server = server;
        this.debug = config.debugContexts();
        this.checked = config.checkedPools();
        this.readBufferSize = config.readBufferSize();
        this.writeBufferSize = config.writeBufferSize();
        this.budget = new MemoryBudget("maxBufferedBodyBytes", config.maxBufferedBodyBytes(), () -> {
            drain();
            reclaim.run();
        });
        pool = debug
                ? new ObjectPool<>("RequestCtx", 0, () -> newCtx.apply(budget), ctx -> ctx.markReleased(ctx.toString()), RequestCtx::dispose, true)
                : new ObjectPool<>("RequestCtx", CAPACITY, () -> newCtx.apply(budget), RequestCtx::reset, RequestCtx::dispose, checked);
    }

    /** A context for {@code conn}'s next request, with its buffers. */
    RequestCtx acquire(ServerConn conn) {
        RequestCtx ctx = pool.acquire();
        attach(ctx, conn);
        return ctx;
    }

    private void attach(RequestCtx ctx, ServerConn conn) {
        ctx.conn = conn;
        ctx.server = server;
    }

    /**
     * Gives {@code ctx} back. A context a {@link TimeoutHandler} shares with a late handler goes back
     * when the second of them lets go.
     */
    void release(RequestCtx ctx) {
        RequestCtx.TimedOut timedOut = ctx.timedOut;
        if (timedOut != null && timedOut.owners.decrementAndGet() > 0) return;   // the other owner releases it
        try {
            trimBuffers(ctx);
        } catch (OutOfMemoryError e) {
            pool.discard(ctx);   // no memory for its small arrays: drop the context, never leak its count
            return;
        }
        pool.release(ctx);
    }

    /** Drops what one large request grew in {@code ctx}, so that a kept context does not pin memory. */
    private void trimBuffers(RequestCtx ctx) {
        if (ctx.readBuf.length > readBufferSize * 4) ctx.readBuf = new byte[readBufferSize];
        ctx.request.bodyBuffer().trimTo(KEPT_BUFFER_BYTES);
        ctx.response.bodyBuffer().trimTo(KEPT_BUFFER_BYTES);
        ctx.out.trimTo(Math.max(writeBufferSize, KEPT_BUFFER_BYTES));
    }

    /** Readies {@code ctx} for the connection's next request; in debug mode, swaps in a fresh context. */
    RequestCtx next(RequestCtx ctx) {
        if (!debug) {
            if (ctx.readPos < ctx.readEnd) {
                ctx.resetForNextInBuffer();   // pipelined: the next request is in the same buffer
            } else {
                ctx.resetRequest();   // the connection may go idle now and its context back to a pool
                ctx.readPos = ctx.readEnd = 0;
            }
            return ctx;
        }
        RequestCtx next = acquire(ctx.conn);
        byte[] spare = next.readBuf;
        next.readBuf = ctx.readBuf;
        next.readPos = ctx.readPos;
        next.readEnd = ctx.readEnd;
        next.readNanos = ctx.readNanos;
        ctx.readBuf = spare;
        next.out.append(ctx.out.array(), 0, ctx.out.length());
        pool.release(ctx);   // poisons it: a stale reference now fails loudly
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
        private final RequestCtx[] spares;
        private int count;      // written by the owner thread, read elsewhere with getOpaque
        private int lowWater;   // fewest spares since the last trim

        Local(int capacity) {
            spares = new RequestCtx[capacity];
        }

        RequestCtx acquire(ServerConn conn) {
            if (count == 0) return ContextPool.this.acquire(conn);
            RequestCtx ctx = spares[--count];
            spares[count] = null;
            if (count < lowWater) lowWater = count;
            attach(ctx, conn);
            return ctx;
        }

        /** Keeps {@code ctx}; {@code clean}: its request part is reset already (nothing read since). */
        void release(RequestCtx ctx, boolean clean) {
            if (count == spares.length) {   // (a context a TimeoutHandler shares never comes back to a loop: its connection closes)
                ContextPool.this.release(ctx);
                return;
            }
            if (checked) {
                for (int i = 0; i < count; i++) {
                    if (spares[i] == ctx) throw new IllegalStateException("RequestCtx released twice to " + Thread.currentThread().getName());
                }
            }
            trimBuffers(ctx);
            if (clean) ctx.resetConnection();
            else ctx.reset();
            spares[count++] = ctx;
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
                RequestCtx ctx = spares[--count];
                spares[count] = null;
                ContextPool.this.release(ctx);
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
