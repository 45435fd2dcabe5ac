package io.fasthttp4j.server;

/**
 * Serves one request: reads {@code ctx}'s request, fills its response. Plain blocking code is fine
 * on the default (virtual-thread) transport: only this request's thread waits. An exception becomes
 * a 500 through the server's {@link ErrorHandler}, and the server keeps serving.
 *
 * <p>{@code ctx} and everything it hands out are valid until the handler returns; copy what you need
 * to keep. To hand work to another thread, copy the values it needs first.
 */
@FunctionalInterface
public interface RequestHandler {
    void handle(RequestCtx ctx) throws Exception;
}
