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
         * Serves {@code ctx}'s request from {@code stage} on; returns the context when the connection
         * should go back to its loop (keep-alive), or null when it has been closed or hijacked (the
         * context is then released).
         */
        RequestCtx serveHandedOff(ServerConn conn, RequestCtx ctx, HandOff stage);
    }
}
