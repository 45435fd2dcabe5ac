package io.fasthttp4j.server;


/**
 * The seam between the server and the code that waits for bytes. Transports differ only in how a
 * connection's bytes are read and written; they share the codec, {@link RequestCtx}, the pools and
 * {@link RequestProcessor}, which runs handlers and writes responses.
 */
interface Transport {
    /** Starts serving {@code conn}; false when at the concurrency limit (the server then answers 503). */
    boolean serve(ServerConn conn);

    /** Serves {@code conn} on the calling thread until it closes. */
    void serveHere(ServerConn conn);

    /** Connections being served right now. */
    int busyCount();

    /** Periodic housekeeping from the server's sweeper (idle workers...). */
    void sweep(long nowNanos);

    /** Stops taking connections; those being served finish. */
    void stop();

    /** After {@link #stop} and the last connection's close: waits (until the deadline at most) for the transport's own threads to end. */
    default void awaitStopped(long deadlineNanos) {
    }

    /**
     * Gives back the request contexts the transport keeps for reuse outside the server's pool: those
     * unused since the last call, or with {@code all} every one (memory is short). May act later, on
     * the threads that own them.
     */
    default void trimSpares(boolean all) {
    }

    /** Request contexts the transport keeps for reuse outside the server's pool (not in use by any connection). */
    default int spareContexts() {
        return 0;
    }
}
