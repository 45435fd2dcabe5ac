package io.fasthttp4j.server;

import io.fasthttp4j.Status;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A time limit on a handler (fasthttp's {@code TimeoutHandler}): when {@code inner} has not returned
 * within the limit, the client gets {@code status} (503 by default) with {@code message}, and the
 * connection is closed; the late handler goes on with its context, whose {@link RequestCtx#isCancelled()}
 * now says true and whose {@link RequestCtx#onCancel} action has run, and its response is dropped.
 * The context goes back to the pool only when both the response and the late handler are done.
 *
 * <p>The inner handler runs on a virtual thread of its own while the connection's thread waits, so
 * a limited request costs a thread start (on an event loop it first moves to a virtual thread, as
 * {@link RequestCtx#startBlocking()} does). Use it where a handler can hang (a remote call without
 * its own timeout); it is no substitute for timeouts in the calls themselves.
 *
 * <pre>{@code
 * RequestHandler limited = TimeoutHandler.wrap(ctx -> ctx.setBody(slowService.call()), Duration.ofSeconds(2), "try again later");
 * }</pre>
 */
public final class TimeoutHandler implements RequestHandler {
    private final RequestHandler inner;
    private final long timeoutNanos;
    private final String message;
    private final int status;

    private TimeoutHandler(RequestHandler inner, Duration timeout, String message, int status) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.timeoutNanos = Server.positive("timeout", timeout).toNanos();
        this.message = Objects.requireNonNull(message, "message");
        if (status < 400 || status > 599) throw new IllegalArgumentException("status must be 4xx or 5xx, was " + status);
        this.status = status;
    }

    /** Limits {@code inner} to {@code timeout}; past it the client gets 503 with {@code message}. */
    public static RequestHandler wrap(RequestHandler inner, Duration timeout, String message) {
        return new TimeoutHandler(inner, timeout, message, Status.SERVICE_UNAVAILABLE);
    }

    /** Limits {@code inner} to {@code timeout}; past it the client gets {@code status} with {@code message}. */
    public static RequestHandler wrap(RequestHandler inner, Duration timeout, String message, int status) {
        return new TimeoutHandler(inner, timeout, message, status);
    }

    @Override
    public void handle(RequestCtx ctx) throws Exception {
        if (ctx.startBlocking()) return;   // on an event loop: called again on a virtual thread
        // Watch the client from this thread, which releases the watch when it returns; the inner
        // thread must not start one of its own that would outlive its release.
        ctx.isCancelled();
        ctx.cancellation.touched = true;
        ctx.cancellation.watchSettled = true;
        Call call = new Call(ctx, Thread.currentThread());
        Thread.ofVirtual().name("fasthttp4j-timed-handler").start(call);
        long deadline = System.nanoTime() + timeoutNanos;
        while (call.state.get() == Call.RUNNING) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                if (call.timeOut(status, message)) return;   // answered: the late handler owns the context too
                break;                                      // it finished just now
            }
            LockSupport.parkNanos(call, left);
        }
        call.rethrow();
    }

    /** One run of the inner handler on its own thread. */
    private final class Call implements Runnable {
        static final int RUNNING = 0;
        static final int DONE = 1;
        static final int TIMED_OUT = 2;

        final AtomicInteger state = new AtomicInteger(RUNNING);
        final RequestCtx ctx;
        final Thread waiter;
        Throwable failure;   // written before state leaves RUNNING, read after

        Call(RequestCtx ctx, Thread waiter) {
            this.ctx = ctx;
            this.waiter = waiter;
        }

        @Override
        public void run() {
            try {
                inner.handle(ctx);
            } catch (Throwable t) {
                failure = t;
            }
            if (state.compareAndSet(RUNNING, DONE)) {
                LockSupport.unpark(waiter);
            } else {
                ctx.server.contexts().release(ctx.exchange);   // late: the transport may have released its share already
            }
        }

        /** Answers for the handler; false when it finished first. */
        boolean timeOut(int status, String message) {
            ctx.cancellation.timedOut = new Cancellation.TimedOut(status, message);   // before the state: run() reads it on release
            ctx.cancellation.touched = true;
            if (!state.compareAndSet(RUNNING, TIMED_OUT)) {
                ctx.cancellation.timedOut = null;
                return false;
            }
            ctx.cancellation.cancel();
            return true;
        }

        void rethrow() throws Exception {
            Throwable t = failure;
            if (t == null) return;
            if (t instanceof Exception e) throw e;
            if (t instanceof Error e) throw e;
            throw new IllegalStateException(t);
        }
    }
}
