package io.fasthttp4j.server;

/** The states a connection goes through, reported to a {@link ConnStateListener}. */
public enum ConnState {
    /** Accepted; no request read yet. */
    NEW,
    /** Reading or serving a request. */
    ACTIVE,
    /** Between keep-alive requests, waiting for the next one. */
    IDLE,
    /** Handed to a {@link HijackHandler}; the server no longer reads or writes it. */
    HIJACKED,
    /** Closed. */
    CLOSED
}
