package io.fasthttp4j.server;

/**
 * Writes the response for a request that failed: a handler exception (status 500) or input the
 * parser refused (its 4xx/5xx, from {@link io.fasthttp4j.BadRequestException#status()}). The
 * response has been reset and its status set when this is called; the server closes the connection
 * after a refused request whatever the handler does.
 */
@FunctionalInterface
public interface ErrorHandler {
    void handle(RequestCtx ctx, int status, Throwable error);

    /**
     * The default: the status's reason phrase as a plain-text body, plus the message of a 4xx/5xx the
     * parser raised or of a spent memory budget (both name the limit, never the handler's data).
     */
    ErrorHandler DEFAULT = (ctx, status, error) -> {
        if (error instanceof io.fasthttp4j.BadRequestException || error instanceof io.fasthttp4j.pool.BudgetExceededException) {
            ctx.setBody(io.fasthttp4j.Status.reasonPhrase(status) + ": " + error.getMessage() + "\n");
        } else {
            ctx.setBody(io.fasthttp4j.Status.reasonPhrase(status) + "\n");
        }
    };
}
