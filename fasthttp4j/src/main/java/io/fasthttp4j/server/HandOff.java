package io.fasthttp4j.server;

/** What an event loop hands to a virtual thread when a request must block: the stage the request is at. */
enum HandOff {
    /** The handler asked to block ({@link RequestCtx#startBlocking()}): run it again there. */
    RUN_HANDLER,
    /** The handler ran and set a streamed body or a hijack: write it there. */
    FINISH_RESPONSE;

    /** Serves handed-off requests on the calling (virtual) thread, with the channel blocking. */
    interface Target {
        /**
         * Serves {@code ex}'s request from {@code stage} on; returns the exchange when the connection
         * should go back to its loop (keep-alive), or null when it has been closed or hijacked (the
         * exchange is then released).
         */
        Http1Exchange serveHandedOff(ServerConn conn, Http1Exchange ex, HandOff stage);
    }
}
