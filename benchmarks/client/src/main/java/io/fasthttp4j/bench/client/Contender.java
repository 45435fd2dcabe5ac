package io.fasthttp4j.bench.client;

/**
 * One client library under test, set up for one {@link Target}: its pool holds at most
 * {@code target.maxConns()} connections. Thread-safe: every caller shares it.
 */
interface Contender extends AutoCloseable {
    /** A caller's own state (a reusable request, a response object): one per virtual thread. */
    Caller newCaller() throws Exception;

    /** Stops the client: pools, selector and executor threads. Called once the callers have stopped. */
    @Override
    void close() throws Exception;

    /** Builds a contender for a target. */
    @FunctionalInterface
    interface Factory {
        Contender create(Target target) throws Exception;
    }

    /** Does one blocking GET and checks the answer. Runs on its own virtual thread only. */
    interface Caller extends AutoCloseable {
        /** One request and its checked response; throws on any failure, a wrong answer included. */
        void call() throws Exception;

        /** Releases what {@link Contender#newCaller} acquired. */
        @Override
        default void close() {
        }
    }
}
