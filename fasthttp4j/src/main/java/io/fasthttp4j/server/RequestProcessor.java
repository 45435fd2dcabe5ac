package io.fasthttp4j.server;

import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.RequestHeader;
import io.fasthttp4j.ResponseHeader;
import io.fasthttp4j.Status;
import io.fasthttp4j.internal.codec.ResponseWriter;
import io.fasthttp4j.pool.BudgetExceededException;
import java.lang.System.Logger.Level;

/**
 * What every transport does with a parsed request: run the handler (its failures become error
 * responses), decide whether the connection stays open, and write the response into the context's
 * output buffer, and mark a connection idle. Stateless apart from the server's configuration; called on the connection's thread.
 */
final class RequestProcessor {
    private static final System.Logger LOG = System.getLogger(Server.class.getName());

    static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Responses to pipelined requests are flushed once this many bytes wait: each transport's bound on what a client that does not read can make it hold. */
    static final int FLUSH_THRESHOLD = 64 * 1024;

    private final Server server;
    private final ResponseWriter writer;

    RequestProcessor(Server server, ResponseWriter writer) {
        this.server = server;
        this.writer = writer;
    }

    ResponseWriter writer() {
        return writer;
    }

    /**
     * Runs when a request's header is complete, before its body is read: the server's GET-only rule,
     * the {@link HeaderReceived} hook and Expect. Throws {@link BadRequestException} to refuse.
     */
    void onHeader(RequestCtx ctx) {
        RequestHeader h = ctx.request.header();
        if (server.config().getOnly() && !h.isGet() && !h.isHead()) {
            throw BadRequestException.of(Status.METHOD_NOT_ALLOWED, "method %s not allowed: this server serves GET and HEAD only", h.method());
        }
        HeaderReceived hook = server.config().headerReceived();
        ctx.writeTimeoutNanos = server.config().writeTimeoutNanos();
        if (hook != null) {
            ctx.config.reset(server.config().limits().maxBodyBytes(), server.config().readTimeout(), server.config().writeTimeout());
            hook.onHeader(h, ctx.config);
            ctx.exchange.parser.setMaxBodyBytes(ctx.config.maxBodyBytes());
            ctx.conn.setReadDeadline(ctx.startNanos + ctx.config.readTimeout().toNanos());   // from the request's first byte
            ctx.writeTimeoutNanos = ctx.config.writeTimeout().toNanos();
        }
        io.fasthttp4j.ByteView expect = h.expect();
        if (expect != null && h.isHttp11()) {   // RFC 9110 §10.1.1: ignore Expect from HTTP/1.0 clients
            if (!expect.equalsIgnoreCase("100-continue")) {
                throw BadRequestException.of(Status.EXPECTATION_FAILED, "unsupported expectation '%s'", expect);
            }
            ContinueHandler accept = server.config().continueHandler();
            if (accept != null && !accept.accept(h)) {
                throw BadRequestException.of(Status.EXPECTATION_FAILED, "request refused before its body was sent");
            }
            ctx.exchange.sendContinue = h.contentLength() > 0 || h.isChunked();
        }
    }

    /** Runs the handler; an exception becomes its status (a {@link BadRequestException}'s, else 500). */
    void handle(RequestCtx ctx) {
        try {
            runHandler(ctx);
        } finally {
            if (ctx.cancellation.watch != null) server.cancelWatcher().release(ctx);   // the handler asked about its client
        }
    }

    private void runHandler(RequestCtx ctx) {
        try {
            server.config().handler().handle(ctx);
            if (ctx.response.bodyStream() != null) adoptResponseBodyStream(ctx);
        } catch (BadRequestException e) {
            prepareError(ctx, e.status(), e);
        } catch (BudgetExceededException e) {
            prepareError(ctx, Status.SERVICE_UNAVAILABLE, e);
        } catch (VirtualMachineError e) {
            // Out of memory (or stack) in one handler fails that request, not the loop or worker running it.
            Server.ERRORS.log(Level.ERROR, "handler-vm-error", "handler failed for " + ctx, e);
            prepareError(ctx, Status.INTERNAL_SERVER_ERROR, e);
        } catch (Throwable t) {
            LOG.log(Level.ERROR, () -> "handler failed for " + ctx, t);
            prepareError(ctx, Status.INTERNAL_SERVER_ERROR, t);
        }
    }

    // A handler that set the body stream on the Response itself (the client's API) meant
    // ctx.setBodyStream: send it chunked, as that would, rather than drop it silently.
    private static void adoptResponseBodyStream(RequestCtx ctx) {
        if (ctx.hasStreamedBody()) {
            ctx.response.closeBodyStream();   // the ctx's own body source wins
            return;
        }
        java.io.InputStream in = ctx.response.bodyStream();
        ctx.response.detachBodyStream();
        ctx.setBodyStream(in, -1);
    }

    /**
     * Replaces the response with an error: status, then whatever the error handler writes. A 4xx or
     * 5xx raised by the parser, a spent memory budget (503, with Retry-After) and an error of the JVM
     * (out of memory) also ask for the connection to close: its buffers go back with it.
     */
    void prepareError(RequestCtx ctx, int status, Throwable error) {
        ctx.response.reset();
        ctx.bodyStream = null;
        ctx.bodyStreamWriter = null;
        ctx.sendFile = null;
        ctx.hijackHandler = null;
        ctx.response.header().setStatusCode(status);
        try {
            server.config().errorHandler().handle(ctx, status, error);
        } catch (Throwable t) {
            LOG.log(Level.ERROR, () -> "error handler failed for " + ctx, t);
            ctx.response.reset();
            ctx.response.header().setStatusCode(status);
        }
        if (error instanceof BadRequestException || error instanceof BudgetExceededException || error instanceof VirtualMachineError) {
            ctx.response.header().setConnectionClose(true);
        }
        if (status == Status.SERVICE_UNAVAILABLE) ctx.response.header().set("Retry-After", "1");
    }

    /**
     * Writes what a {@link TimeoutHandler} answered for a handler that is still running: status and
     * message in a response of its own (the handler still owns the context's), closing the connection.
     */
    void writeTimedOut(Http1Exchange ex) {
        RequestCtx ctx = ex.ctx;
        Cancellation.TimedOut timedOut = ctx.cancellation.timedOut;
        io.fasthttp4j.Response response = new io.fasthttp4j.Response();   // rare: a handler past its time limit
        response.header().setStatusCode(timedOut.status);
        response.header().setContentType("text/plain; charset=utf-8");
        response.header().setConnectionClose(true);
        response.setBody(timedOut.message);
        RequestHeader req = ctx.request.header();
        writer.write(response, req.isHead(), req.isHttp11(), ex.out);
    }

    /**
     * Marks {@code conn} idle while it waits for its next request, with the deadline counted from
     * {@code nowNanos}; false when the server is shutting down and the connection should close.
     */
    boolean goIdle(ServerConn conn, long nowNanos) {
        boolean fresh = conn.requestCount == 0;
        conn.setState(ServerConn.IDLE);
        // shutdown sets its flag, then closes IDLE connections: one of the two sees the other
        if (server.isShuttingDown()) return false;
        conn.setReadDeadline(nowNanos + (fresh ? firstByteNanos(conn) : server.config().idleTimeoutNanos()));
        if (!fresh) server.connections().stateChanged(conn, ConnState.IDLE);
        conn.channel.releaseIdleBuffers();
        return true;
    }

    // A new connection's first request byte is due within the read timeout; over TLS the handshake
    // comes first, and both must be done within the handshake timeout if that is shorter; so must a
    // PROXY protocol header within its own timeout.
    private long firstByteNanos(ServerConn conn) {
        long wait = server.config().readTimeoutNanos();
        if (conn.isTls()) wait = Math.min(wait, server.config().edge().tls().handshakeTimeout().toNanos());
        if (conn.channel instanceof ProxyHeaderChannel) wait = Math.min(wait, server.config().edge().proxyProtocol().headerTimeout().toNanos());
        return wait;
    }

    /** True when the connection may serve another request after this one. */
    boolean keepAlive(ServerConn conn, RequestCtx ctx) {
        RequestHeader req = ctx.request.header();
        ResponseHeader resp = ctx.response.header();
        if (!req.isKeepAlive() || resp.connectionClose() || server.config().disableKeepalive() || server.isShuttingDown()) return false;
        int max = server.config().maxRequestsPerConn();
        return max == 0 || conn.requestCount < max;
    }

    /** Sets the Connection field the response needs: close, or keep-alive for an HTTP/1.0 client. */
    void applyConnection(RequestCtx ctx, boolean keepAlive) {
        ResponseHeader resp = ctx.response.header();
        if (!keepAlive) resp.setConnectionClose(true);
        else if (!ctx.request.header().isHttp11()) resp.setConnectionKeepAlive(true);
    }

    /**
     * Writes the whole response (header and in-memory body) into the exchange's output buffer. False
     * when the output buffer could not grow within the memory budget: a 503 that closes the connection
     * was written in its place (or nothing, if even that did not fit: then the connection must close).
     */
    boolean writeResponse(Http1Exchange ex) {
        RequestCtx ctx = ex.ctx;
        RequestHeader req = ctx.request.header();
        int mark = ex.out.length();   // responses to earlier pipelined requests stay
        try {
            writer.write(ctx.response, req.isHead(), req.isHttp11(), ex.out);
            return true;
        } catch (BudgetExceededException e) {
            ex.out.setLength(mark);
            prepareError(ctx, Status.SERVICE_UNAVAILABLE, e);
            try {
                writer.write(ctx.response, req.isHead(), req.isHttp11(), ex.out);
            } catch (BudgetExceededException again) {
                ex.out.setLength(mark);
            }
            return false;
        }
    }
}
