package io.fasthttp4j.server;

/**
 * Whether a request's client has gone, and what to run when it goes: the state behind
 * {@link RequestCtx#isCancelled()} and {@link RequestCtx#onCancel}. One per context, reset with it;
 * {@link #cancel()} and {@link #setAction} may run on any thread.
 */
final class Cancellation {
    CancelWatcher.Watch watch;                 // non-null while the cancel watcher watches the connection
    boolean watchSettled;                      // no watch may start any more (a TimeoutHandler's inner thread runs)
    boolean touched;                           // any field here was set this request: reset() is due
    volatile TimedOut timedOut;                // set when a TimeoutHandler answered for a handler still running
    private volatile boolean cancelled;        // guarded by lock for writes
    private Runnable action;                   // guarded by lock
    private final Object lock = new Object();

    void reset() {
        touched = false;
        watch = null;                 // released by the processor before the request ends
        watchSettled = false;
        timedOut = null;
        cancelled = false;
        action = null;                // a kept action would pin the handler's objects
    }

    /** True once the client has gone (or a TimeoutHandler answered); starts nothing. */
    boolean isCancelled() {
        return cancelled;
    }

    /** The client went away while the request was handled: remembers it and runs the action once. */
    void cancel() {
        Runnable run;
        synchronized (lock) {
            touched = true;
            if (cancelled) return;
            cancelled = true;
            run = action;
            action = null;
        }
        if (run != null) runAction(run);
    }

    /** Starts the cancel watcher for {@code ctx}'s request if it can be watched: on a worker, with its body read. */
    void startWatching(RequestCtx ctx) {
        // Not over TLS: the watcher reads the socket, and only the connection's channel can decrypt it.
        if (watch == null && !watchSettled && !cancelled && !ctx.onEventLoop && ctx.conn != null && ctx.conn.socket != null
                && !ctx.conn.isTls() && ctx.exchange.isBodyComplete()) {
            touched = true;
            ctx.server.cancelWatcher().watch(ctx);
        }
    }

    /** Sets the action to run on {@link #cancel()}; runs it now instead when that has happened. True when it ran now. */
    boolean setAction(Runnable run) {
        boolean now;
        synchronized (lock) {
            touched = true;
            now = cancelled;
            if (!now) action = run;
        }
        if (now) runAction(run);
        return now;
    }

    private static void runAction(Runnable run) {
        try {
            run.run();
        } catch (Throwable t) {
            Server.ERRORS.log(System.Logger.Level.WARNING, "cancel-action", "cancel action failed", t);
        }
    }

    /** What a {@link TimeoutHandler} answered for a handler it stopped waiting for; shared by two owners. */
    static final class TimedOut {
        final int status;
        final String message;
        /** The transport and the late handler: the last of them to finish releases the context. */
        final java.util.concurrent.atomic.AtomicInteger owners = new java.util.concurrent.atomic.AtomicInteger(2);

        TimedOut(int status, String message) {
            this.status = status;
            this.message = message;
        }
    }
}
