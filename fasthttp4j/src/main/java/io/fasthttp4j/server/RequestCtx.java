package io.fasthttp4j.server;

import io.fasthttp4j.Args;
import io.fasthttp4j.ByteView;
import io.fasthttp4j.Cookie;
import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.Request;
import io.fasthttp4j.RequestHeader;
import io.fasthttp4j.Response;
import io.fasthttp4j.ResponseHeader;
import io.fasthttp4j.Status;
import io.fasthttp4j.Uri;
import io.fasthttp4j.internal.codec.RequestParser;
import io.fasthttp4j.pool.ByteBuf;
import io.fasthttp4j.pool.MemoryBudget;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * One request and its response, reused for every request on a connection, and with them the
 * connection's buffers. Valid until the handler returns; copy what you need to keep. Not thread-safe:
 * to hand work to another thread, copy what it needs first ({@code ctx.path().toString()},
 * {@code ctx.requestBody().toBytes()}), because after the handler returns this object serves the
 * next request. With {@link Server.Builder#debugContexts(boolean)} a context used after its request
 * ended throws {@link IllegalStateException} naming that request, instead of silently showing the
 * next request's data.
 */
public final class RequestCtx {
    final Request request = new Request();
    final Response response = new Response();
    final RequestParser parser;
    final RequestConfig config = new RequestConfig();
    final ByteBuf out;
    byte[] readBuf;
    int readPos;
    int readEnd;
    ServerConn conn;
    Server server;
    long startNanos;
    long readNanos;               // System.nanoTime() when the last read into readBuf returned (virtual-thread transport)
    long writeTimeoutNanos;                        // the server's, or what a HeaderReceived hook chose
    InputStream bodyStream;
    long bodyStreamSize;
    BodyStreamWriter bodyStreamWriter;
    Path sendFile;
    HijackHandler hijackHandler;
    RequestBodyStream requestBodyStream;
    boolean sendContinue;
    boolean onEventLoop;                           // the handler runs inline on an event loop
    boolean blockingRequested;                     // it called startBlocking() there
    CancelWatcher.Watch watch;                     // non-null while the cancel watcher watches the connection
    boolean watchSettled;                          // no watch may start any more (a TimeoutHandler's inner thread runs)
    boolean cancelTouched;                         // any of the cancellation fields below or above was set this request
    volatile TimedOut timedOut;                    // set when a TimeoutHandler answered for a handler still running
    private volatile boolean cancelled;            // guarded by cancelLock for writes
    private Runnable cancelAction;                 // guarded by cancelLock
    private final Object cancelLock = new Object();
    private byte[] streamBuffer;
    private ByteBuffer readWrap;                   // views of readBuf and out's array for channel I/O, kept with
    private ByteBuffer outWrap;                    // the arrays: wrapping per read would allocate per request
    private Object[] userValues = new Object[8];   // key, value, key, value...
    private int userValueCount;
    private boolean released;
    private String releasedName;                    // debug mode: the request this context served

    /** {@code budget}: charged with the growth of the bodies and the output buffer (null: not charged). */
    RequestCtx(HttpLimits limits, int readBufferSize, int writeBufferSize, long writeTimeoutNanos, MemoryBudget budget) {
        this.writeTimeoutNanos = writeTimeoutNanos;
        parser = new RequestParser(limits);
        readBuf = new byte[readBufferSize];
        out = new ByteBuf(writeBufferSize);
        if (budget != null) {
            request.bodyBuffer().setBudget(budget, UNCHARGED_BYTES, "request body");
            response.bodyBuffer().setBudget(budget, UNCHARGED_BYTES, "response body");
            out.setBudget(budget, UNCHARGED_BYTES, "response output");
        }
    }

    /**
     * Capacity of each body and output buffer not charged to the budget: like the read buffer, a cost
     * per connection (bounded by the concurrency limit), and room for an error response when the budget is spent.
     */
    static final int UNCHARGED_BYTES = 4096;

    /** Gives back what this context's buffers charged to the budget; called when a pool drops it for good. */
    void dispose() {
        request.bodyBuffer().setBudget(null, 0, null);
        response.bodyBuffer().setBudget(null, 0, null);
        out.setBudget(null, 0, null);
    }

    /** Readies this context for the next request on the same connection. Keeps the connection's buffers. */
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
        parser.reset();
        startNanos = 0;
        bodyStream = null;            // a kept reference would pin the handler's objects for the connection's life
        bodyStreamSize = 0;
        bodyStreamWriter = null;
        sendFile = null;
        hijackHandler = null;
        sendContinue = false;
        onEventLoop = false;
        blockingRequested = false;
        if (cancelTouched) resetCancellation();   // rare: one branch per request instead of five stores, two of them fences
        if (requestBodyStream != null) requestBodyStream.startOver();
        if (userValueCount > 0) {
            java.util.Arrays.fill(userValues, 0, userValueCount * 2, null);
            userValueCount = 0;
        }
    }

    /** Readies this context for another connection: also empties its buffers and forgets the connection. */
    void reset() {
        resetRequest();
        resetConnection();
    }

    /** {@link #reset} for a context whose request part is already reset: empties its buffers and forgets the connection. */
    void resetConnection() {
        readPos = readEnd = 0;
        readNanos = 0;
        out.reset();
        conn = null;
        server = null;
    }

    /** {@code readBuf[from..to)} as a buffer for a channel read. */
    ByteBuffer readBuffer(int from, int to) {
        if (readWrap == null || readWrap.array() != readBuf) readWrap = ByteBuffer.wrap(readBuf);
        readWrap.limit(to).position(from);
        return readWrap;
    }

    /** Bytes {@code [from..to)} of the output buffer, for a channel write. */
    ByteBuffer outBuffer(int from, int to) {
        if (outWrap == null || outWrap.array() != out.array()) outWrap = ByteBuffer.wrap(out.array());
        outWrap.limit(to).position(from);
        return outWrap;
    }

    /** Makes room after {@code readEnd}, without moving bytes that parsed header values still view. */
    void makeRoom() {
        if (readEnd < readBuf.length) return;
        if (!parser.isHeaderComplete()) {
            if (readPos > 0) {
                System.arraycopy(readBuf, readPos, readBuf, 0, readEnd - readPos);
                readEnd -= readPos;
                readPos = 0;
            } else {
                readBuf = java.util.Arrays.copyOf(readBuf, readBuf.length * 2);
            }
            return;
        }
        // Body: every byte after the header has been decoded into the body buffer, so reuse that space.
        readPos = readEnd = parser.headerEnd();
        if (readEnd == readBuf.length) {
            // The header filled the buffer: read on in a bigger copy (the header's views keep the old one).
            readBuf = java.util.Arrays.copyOf(readBuf, readBuf.length * 2);
        }
    }

    /** Appends bytes read for the connection elsewhere (the cancel watcher) after the unparsed ones. */
    void appendRead(byte[] bytes, int from, int length) {
        if (readEnd + length > readBuf.length) readBuf = java.util.Arrays.copyOf(readBuf, Math.max(readBuf.length * 2, readEnd + length));
        System.arraycopy(bytes, from, readBuf, readEnd, length);
        readEnd += length;
    }

    private void resetCancellation() {
        cancelTouched = false;
        watch = null;                 // released by the processor before the request ends
        watchSettled = false;
        timedOut = null;
        cancelled = false;
        cancelAction = null;          // a kept action would pin the handler's objects
    }

    /** {@link #isCancelled()} without starting the watcher: for the transports. */
    boolean cancelledNow() {
        return cancelled;
    }

    /** The client went away while this request was handled: remembers it and runs the cancel action once. */
    void cancel() {
        Runnable action;
        synchronized (cancelLock) {
            cancelTouched = true;
            if (cancelled) return;
            cancelled = true;
            action = cancelAction;
            cancelAction = null;
        }
        if (action != null) runCancelAction(action);
    }

    private void runCancelAction(Runnable action) {
        try {
            action.run();
        } catch (Throwable t) {
            Server.ERRORS.log(System.Logger.Level.WARNING, "cancel-action", "cancel action failed", t);
        }
    }

    /** Starts the cancel watcher for this request if it can be watched: on a worker, with its body read. */
    private void startWatching() {
        if (watch == null && !watchSettled && !cancelled && !onEventLoop && conn != null && conn.socket != null && parser.isComplete()) {
            cancelTouched = true;
            server.cancelWatcher().watch(this);
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

    /** A scratch array for copying streamed bodies, kept for the context's life. */
    byte[] streamBuffer() {
        if (streamBuffer == null) streamBuffer = new byte[16 * 1024];
        return streamBuffer;
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
            while (!parser.isComplete()) server.transport().readMoreBody(this);
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
        for (int i = 0; i < userValueCount * 2; i += 2) {
            if (userValues[i].equals(key)) return userValues[i + 1];
        }
        return null;
    }

    /** Attaches {@code value} to this request under {@code key}; dropped when the request ends. */
    public void setUserValue(String key, Object value) {
        live();
        Objects.requireNonNull(key, "key");
        for (int i = 0; i < userValueCount * 2; i += 2) {
            if (userValues[i].equals(key)) {
                userValues[i + 1] = value;
                return;
            }
        }
        if (userValueCount * 2 == userValues.length) userValues = java.util.Arrays.copyOf(userValues, userValues.length * 2);
        userValues[userValueCount * 2] = key;
        userValues[userValueCount * 2 + 1] = value;
        userValueCount++;
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
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            throw new IllegalArgumentException("redirect status must be 301, 302, 303, 307 or 308, was " + status);
        }
        for (int i = 0; i < location.length(); i++) {
            char c = location.charAt(i);
            if (c == '\r' || c == '\n') throw new IllegalArgumentException("CR or LF in redirect location");
        }
        Uri target = redirectUri();
        request.uri().copyTo(target);
        target.resolve(location);
        response.header().setStatusCode(status);
        response.header().set("Location", target.toString());
        return this;
    }

    private Uri redirectTarget;

    private Uri redirectUri() {
        if (redirectTarget == null) redirectTarget = new Uri();
        redirectTarget.reset();
        return redirectTarget;
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
     * being read (its reads fail instead, and set this) it shows only what is already known.
     * Thread-safe.
     */
    public boolean isCancelled() {
        live();
        if (!cancelled) startWatching();
        return cancelled;
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
        boolean now;
        synchronized (cancelLock) {
            cancelTouched = true;
            now = cancelled;
            if (!now) cancelAction = action;
        }
        if (now) runCancelAction(action);
        else startWatching();
        return this;
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
