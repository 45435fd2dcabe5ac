package io.fasthttp4j.server;

import io.fasthttp4j.Args;
import io.fasthttp4j.ByteView;
import io.fasthttp4j.Cookie;
import io.fasthttp4j.Request;
import io.fasthttp4j.RequestHeader;
import io.fasthttp4j.Response;
import io.fasthttp4j.ResponseHeader;
import io.fasthttp4j.Status;
import io.fasthttp4j.Uri;
import io.fasthttp4j.pool.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import javax.net.ssl.SSLSession;

/**
 * One request and its response, reused for every request on a connection. Valid until the handler returns; copy what you need to keep. Not thread-safe:
 * to hand work to another thread, copy what it needs first ({@code ctx.path().toString()},
 * {@code ctx.requestBody().toBytes()}), because after the handler returns this object serves the
 * next request. With {@link Server.Builder#debugContexts(boolean)} a context used after its request
 * ended throws {@link IllegalStateException} naming that request, instead of silently showing the
 * next request's data.
 */
public final class RequestCtx {
    final Request request = new Request();
    final Response response = new Response();
    final RequestConfig config = new RequestConfig();
    final Http1Exchange exchange;                  // the connection's: reads a streamed body, pools this context with its buffers
    final Server server;
    ServerConn conn;
    long startNanos;
    long writeTimeoutNanos;                        // the server's, or what a HeaderReceived hook chose
    InputStream bodyStream;
    long bodyStreamSize;
    BodyStreamWriter bodyStreamWriter;
    Path sendFile;
    HijackHandler hijackHandler;
    RequestBodyStream requestBodyStream;
    boolean onEventLoop;                           // the handler runs inline on an event loop
    boolean blockingRequested;                     // it called startBlocking() there
    final Cancellation cancellation = new Cancellation();
    private final UserValues userValues = new UserValues();
    private final RedirectLocation redirectLocation = new RedirectLocation();
    private boolean released;
    private String releasedName;                    // debug mode: the request this context served

    RequestCtx(Http1Exchange exchange, Server server, long writeTimeoutNanos) {
        this.exchange = exchange;
        this.server = server;
        this.writeTimeoutNanos = writeTimeoutNanos;
    }

    /** Readies this context for the next request. */
    void resetRequest() {
        request.reset();
        response.reset();
        resetRequestState();
    }

    /**
     * {@link #resetRequest} for a next request whose bytes are already in the read buffer (pipelined):
     * see {@link Request#resetForNextInBuffer}. Only for a context that stays with its connection: the
     * last request of a read is reset in full, so an idle or pooled context references nothing.
     */
    void resetForNextInBuffer() {
        request.resetForNextInBuffer();
        response.resetForNextInBuffer();
        resetRequestState();
    }

    private void resetRequestState() {
        startNanos = 0;
        bodyStream = null;            // a kept reference would pin the handler's objects for the connection's life
        bodyStreamSize = 0;
        bodyStreamWriter = null;
        sendFile = null;
        hijackHandler = null;
        onEventLoop = false;
        blockingRequested = false;
        if (cancellation.touched) cancellation.reset();   // rare: one branch per request instead of five stores, two of them fences
        if (requestBodyStream != null) requestBodyStream.startOver();
        userValues.reset();
    }

    void markReleased(String name) {
        released = true;
        releasedName = name;
    }

    private void live() {
        if (released) throw new IllegalStateException("RequestCtx used after its request ended: " + releasedName);
    }

    // ---- the request ----

    public Request request() {
        live();
        return request;
    }

    public RequestHeader requestHeader() {
        live();
        return request.header();
    }

    /** The method. View: valid until the handler returns; copy what you need to keep. */
    public ByteView method() {
        live();
        return request.header().method();
    }

    public boolean isGet() {
        return requestHeader().isGet();
    }

    public boolean isPost() {
        return requestHeader().isPost();
    }

    public boolean isPut() {
        return requestHeader().isPut();
    }

    public boolean isDelete() {
        return requestHeader().isDelete();
    }

    public boolean isHead() {
        return requestHeader().isHead();
    }

    public boolean isPatch() {
        return requestHeader().isPatch();
    }

    public boolean isOptions() {
        return requestHeader().isOptions();
    }

    /** The parsed request-target. Valid until the handler returns; copy what you need to keep. */
    public Uri uri() {
        live();
        return request.uri();
    }

    /** The normalised, percent-decoded path. View: valid until the handler returns; copy what you need to keep. */
    public ByteView path() {
        live();
        return request.path();
    }

    /** The query arguments. Valid until the handler returns; copy what you need to keep. */
    public Args queryArgs() {
        live();
        return request.queryArgs();
    }

    /** The arguments of an application/x-www-form-urlencoded body. Valid until the handler returns. */
    public Args postArgs() {
        live();
        return request.postArgs();
    }

    /** The first value of {@code name} in the query, else in a form body; null if in neither. */
    public ByteView formValue(String name) {
        ByteView v = queryArgs().peek(name);
        return v != null ? v : postArgs().peek(name);
    }

    /**
     * The whole request body. View: valid until the handler returns; copy what you need to keep.
     * With {@link Server.Builder#streamRequestBody(boolean)}, this first reads the rest of the body
     * into memory (bytes already taken through {@link #requestBodyStream()} are not included).
     *
     * @throws UncheckedIOException if the connection fails while the rest of the body is read
     */
    public ByteView requestBody() {
        live();
        try {
            while (!exchange.isBodyComplete()) exchange.readMoreBody();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return request.body();
    }

    /**
     * The request body as a stream. With {@link Server.Builder#streamRequestBody(boolean)} the handler
     * runs before a large body has arrived, and this stream reads it from the connection as the
     * handler consumes it; otherwise it reads the body already in memory.
     */
    public InputStream requestBodyStream() {
        live();
        if (requestBodyStream == null) requestBodyStream = new RequestBodyStream(this);
        return requestBodyStream;
    }

    /** The Host header. View: valid until the handler returns; copy what you need to keep. */
    public ByteView host() {
        return requestHeader().host();
    }

    public ByteView userAgent() {
        return requestHeader().userAgent();
    }

    /** The value of request cookie {@code name}, or null. View: valid until the handler returns. */
    public ByteView cookie(String name) {
        return requestHeader().cookie(name);
    }

    public SocketAddress remoteAddress() {
        live();
        return conn.remoteAddress;
    }

    public SocketAddress localAddress() {
        live();
        return conn.localAddress;
    }

    /** A number unique to this connection within its server. */
    public long connId() {
        live();
        return conn.id;
    }

    /** 1 for the connection's first request, 2 for the next... */
    public long connRequestNum() {
        live();
        return conn.requestCount;
    }

    /** When the connection was accepted. */
    public Instant connTime() {
        live();
        return Instant.ofEpochMilli(conn.connTimeMillis);
    }

    /** Nanoseconds ({@link System#nanoTime()}) when this request's first byte was read. */
    public long startNanos() {
        live();
        return startNanos;
    }

    /** A value a handler or middleware attached to this request, or null. */
    public Object userValue(String key) {
        live();
        return userValues.get(key);
    }

    /** Attaches {@code value} to this request under {@code key}; dropped when the request ends. */
    public void setUserValue(String key, Object value) {
        live();
        userValues.set(key, value);
    }

    // ---- the response ----

    public Response response() {
        live();
        return response;
    }

    public ResponseHeader responseHeader() {
        live();
        return response.header();
    }

    public int statusCode() {
        return responseHeader().statusCode();
    }

    public RequestCtx setStatusCode(int code) {
        responseHeader().setStatusCode(code);
        return this;
    }

    public RequestCtx setContentType(CharSequence value) {
        responseHeader().setContentType(value);
        return this;
    }

    public RequestCtx setBody(byte[] body) {
        response().setBody(body);
        return this;
    }

    public RequestCtx setBody(CharSequence body) {
        response().setBody(body);
        return this;
    }

    public RequestCtx appendBody(byte[] bytes) {
        response().appendBody(bytes);
        return this;
    }

    public RequestCtx appendBody(CharSequence text) {
        response().appendBody(text);
        return this;
    }

    /** The response body buffer: append to it to build a body without intermediate copies. */
    public ByteBuf bodyBuffer() {
        return response().bodyBuffer();
    }

    /**
     * Sends the response body from {@code in}: {@code size} bytes with Content-Length, or chunked when
     * {@code size} is negative. The stream is read and closed after the handler returns.
     */
    public RequestCtx setBodyStream(InputStream in, long size) {
        live();
        clearBodySources();
        bodyStream = Objects.requireNonNull(in, "in");
        bodyStreamSize = size;
        return this;
    }

    /** Sends the response body chunked, written by {@code writer} after the handler returns. */
    public RequestCtx setBodyStreamWriter(BodyStreamWriter writer) {
        live();
        clearBodySources();
        bodyStreamWriter = Objects.requireNonNull(writer, "writer");
        return this;
    }

    /** Sends file {@code path} as the body, with zero-copy transfer where the transport allows. */
    public RequestCtx sendFile(Path path) {
        live();
        clearBodySources();
        sendFile = Objects.requireNonNull(path, "path");
        return this;
    }

    /** True when the response body is sent from a file, a stream or a stream writer, not from memory. */
    boolean hasStreamedBody() {
        return sendFile != null || bodyStream != null || bodyStreamWriter != null;
    }

    private void clearBodySources() {
        response.bodyBuffer().reset();
        bodyStream = null;
        bodyStreamWriter = null;
        sendFile = null;
    }

    /**
     * Redirects to {@code location}, resolved against this request's URI (RFC 3986 §5.2) when
     * relative. {@code status} must be a 3xx redirect code; CR and LF in the location are refused.
     */
    public RequestCtx redirect(String location, int status) {
        live();
        String resolved = redirectLocation.resolve(request.uri(), location, status);
        response.header().setStatusCode(status);
        response.header().set("Location", resolved);
        return this;
    }

    /** Answers {@code status} with {@code message} as a plain-text body. */
    public RequestCtx error(String message, int status) {
        live();
        response.reset();
        clearBodySources();
        response.header().setStatusCode(status);
        response.setBody(message);
        return this;
    }

    /** Answers 404 Not Found. */
    public RequestCtx notFound() {
        return error("404 Page not found", Status.NOT_FOUND);
    }

    /** Answers 304 Not Modified, with no body. */
    public RequestCtx notModified() {
        live();
        clearBodySources();
        response.header().setStatusCode(Status.NOT_MODIFIED);
        return this;
    }

    /** Adds a Set-Cookie field for {@code cookie}. */
    public RequestCtx setCookie(Cookie cookie) {
        responseHeader().addCookie(cookie);
        return this;
    }

    /** Closes the connection after this response. */
    public RequestCtx setConnectionClose() {
        responseHeader().setConnectionClose(true);
        return this;
    }

    /**
     * Hands the connection to {@code handler} once the response has been written: the base for
     * WebSocket and tunnels. The handler runs on this connection's thread; bytes the client already
     * sent after this request are the first ones the hijacked connection reads.
     */
    public RequestCtx hijack(HijackHandler handler) {
        live();
        hijackHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * Says this handler is about to block (a database call, a sleep, a blocking client). On the
     * default virtual-thread transport blocking is fine: this returns false and the handler goes on.
     * On an event loop it returns true: the handler must return at once, and the server calls it
     * again for the same request on a virtual thread, where this returns false. Call it before
     * changing the response.
     *
     * <pre>{@code
     * ctx -> {
     *     if (ctx.startBlocking()) return;
     *     ctx.setBody(database.lookup(ctx.queryArgs().get("id")));
     * }
     * }</pre>
     */
    public boolean startBlocking() {
        live();
        if (!onEventLoop) return false;
        blockingRequested = true;
        return true;
    }

    /**
     * True once the client has gone (closed or reset its connection) while this request is handled,
     * or a {@link TimeoutHandler} has answered for it: the response will not be read, so a long
     * handler may stop early. The first call starts watching the connection (the server reads it in
     * the background until the handler returns, as Go's net/http does); a handler that never asks
     * pays nothing. Watching needs a worker thread and the whole body read: inline on an event loop
     * (where nothing else can run until the handler returns) and while a streamed body is still
     * being read (its reads fail instead, and set this) it shows only what is already known; so does
     * a TLS connection, which only its own thread can decrypt. Thread-safe.
     */
    public boolean isCancelled() {
        live();
        if (!cancellation.isCancelled()) cancellation.startWatching(this);
        return cancellation.isCancelled();
    }

    /**
     * Runs {@code action} once if the client goes away before this request's handler returns (see
     * {@link #isCancelled()}): at once if it has gone already, else on the server's watcher thread.
     * Keep it short and non-blocking (cancel a future, interrupt a query). A later call replaces the
     * action; the request's end drops it.
     */
    public RequestCtx onCancel(Runnable action) {
        live();
        Objects.requireNonNull(action, "action");
        if (!cancellation.setAction(action)) cancellation.startWatching(this);
        return this;
    }

    /** True when the request came over TLS (HTTPS). */
    public boolean isTls() {
        live();
        return conn.isTls();
    }

    /**
     * The connection's TLS session: protocol, cipher suite, SNI and the client's certificates
     * ({@code getPeerCertificates()}, with client authentication on); null over plain HTTP.
     */
    public SSLSession tlsSession() {
        live();
        return conn.channel.tlsSession();
    }

    /** True while the handler runs inline on an event loop, where it must not block. */
    public boolean isOnEventLoop() {
        live();
        return onEventLoop;
    }

    /** True when {@link #hijack} was called for this request. */
    public boolean isHijacked() {
        return hijackHandler != null;
    }

    /** "#connId/requestNum remote - METHOD uri": names this request in logs and messages. Allocates. */
    @Override
    public String toString() {
        if (released) return "released RequestCtx (" + releasedName + ")";
        if (conn == null) return "idle RequestCtx";
        return "#" + conn.id + "/" + conn.requestCount + " " + conn.remoteAddress + " - "
                + request.header().method() + " " + request.header().requestUri();
    }
}
