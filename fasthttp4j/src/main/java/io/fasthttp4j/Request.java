package io.fasthttp4j;

import io.fasthttp4j.pool.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An HTTP request: header, body and trailers, reused from request to request. On the server the
 * parsed values are views into the connection's buffers: valid until the handler returns; copy what
 * you need to keep. Not thread-safe.
 */
public final class Request {
    private final RequestHeader header = new RequestHeader();
    private final ByteBuf body = new ByteBuf(0);
    private final ByteView bodyView = new ByteView();
    private final HeaderFields trailers = new HeaderFields();
    private final Uri uri = new Uri();
    private boolean uriParsed;
    private final Args postArgs = new Args();
    private boolean postArgsParsed;
    private final Args queryArgs = new Args();
    private boolean queryArgsParsed;
    private InputStream bodyStream;                 // a client sends it, then closes and drops it
    private long bodyStreamSize;                    // exact size, or -1: chunked
    private BodyStreamWriter bodyStreamWriter;

    /** Readies this request for the next one. Keeps its arrays; drops its references and closes an unsent body stream. */
    public void reset() {
        header.reset();
        bodyView.reset();
        trailers.reset();
        plainPath.reset();
        resetState();
    }

    /**
     * Readies this request for the next one parsed from the same buffer: as {@link #reset()}, but its
     * views are only emptied and keep their references to the bytes they saw, which costs one store per
     * view instead of three and a card mark (EventLoopCpu pipelined: ~6% less CPU per request than
     * {@code reset()}). Nothing of the old request stays visible.
     *
     * <p>Safe only when the next request is parsed from the same buffer as this one, and a full
     * {@link #reset()} follows before that buffer may be dropped or reused for anything else: until
     * then this request pins it. The server calls it between pipelined requests read at once; the last
     * request of a read is reset in full, so an idle or pooled request references nothing.
     */
    public void resetForNextInBuffer() {
        header.resetForNextInBuffer();
        bodyView.resetForNextInBuffer();
        trailers.resetForNextInBuffer();
        plainPath.resetForNextInBuffer();
        resetState();
    }

    /** What both resets do: everything but the views. */
    private void resetState() {
        body.reset();
        closeBodyStream();
        if (uriParsed) uri.reset();   // only uri() fills it, and it parses (resetting it) first
        uriParsed = false;
        if (postArgsParsed) {   // only postArgs() fills it, and it resets it first
            postArgs.reset();
            postArgsParsed = false;
        }
        if (queryArgsParsed) {   // the same for queryArgs()
            queryArgs.reset();
            queryArgsParsed = false;
        }
    }

    /** Creates an empty GET request; reuse it with {@link #reset()}. */
    public Request() {
    }

    public RequestHeader header() {
        return header;
    }

    /** The body (decoded from chunked framing if it was chunked). View: valid until the handler returns; copy what you need to keep. */
    public ByteView body() {
        bodyView.set(body.array(), 0, body.length());
        return bodyView;
    }

    /** The buffer that holds the body; the parser appends to it, and so may code that builds a request. */
    public ByteBuf bodyBuffer() {
        return body;
    }

    /**
     * The request-target parsed into its parts, on first use. Valid until the handler returns; copy
     * what you need to keep.
     *
     * @throws BadRequestException 400 when the request-target is malformed (a bad percent-escape...)
     */
    public Uri uri() {
        if (!uriParsed) {
            ByteView target = header.requestUri();
            if (target.isEmpty()) uri.parse(SLASH, 0, 1);
            else uri.parse(target.array(), target.offset(), target.offset() + target.length());
            uriParsed = true;
        }
        return uri;
    }

    private static final byte[] SLASH = {'/'};

    /**
     * The query's arguments, parsed on first use. For an origin-form request-target ({@code /path?query},
     * what a server receives) they are read straight from the target's bytes after the first '?', without
     * parsing the whole URI (which {@link #uri()} does, normalising the path on the way); for any other
     * target they are {@code uri().queryArgs()}. The same arguments either way; a parsed copy, as
     * {@link Uri#queryArgs()} is. Valid until the handler returns; copy what you need to keep.
     */
    public Args queryArgs() {
        if (queryArgsParsed) return queryArgs;
        ByteView target = header.requestUri();
        if (target.isEmpty() || target.byteAt(0) != '/') return uri().queryArgs();
        byte[] a = target.array();
        int to = target.offset() + target.length();
        int q = header.plainPathEnd();   // the parser saw where the path ends: its '?', or the target's end
        if (q < 0) {
            q = target.offset();
            while (q < to && a[q] != '?') q++;
        }
        queryArgs.parse(a, Math.min(q + 1, to), to);
        queryArgsParsed = true;
        return queryArgs;
    }

    /**
     * The normalised, percent-decoded path: {@code uri().path()}, but without parsing the URI when the
     * request-target is an origin-form path with nothing to decode or resolve (no '%', no dot or empty
     * segment), which is then its own normal form and is returned as a view of the target's bytes.
     * Valid until the handler returns; copy what you need to keep.
     *
     * @throws BadRequestException 400 when the request-target is malformed
     */
    public ByteView path() {
        if (uriParsed) return uri.path();
        if (!plainPath.isEmpty()) return plainPath;
        ByteView target = header.requestUri();
        int parsedEnd = header.plainPathEnd();
        if (parsedEnd >= 0) {   // the parser saw a plain path: no scan
            plainPath.set(target.array(), target.offset(), parsedEnd - target.offset());
            return plainPath;
        }
        if (!target.isEmpty()) {
            byte[] a = target.array();
            int from = target.offset();
            int to = from + target.length();
            int end = from;
            while (end < to && a[end] != '?' && a[end] != '#') end++;
            if (UriPaths.isPlainRootedPath(a, from, end) && UriPaths.areTargetChars(a, end, to)) {
                plainPath.set(a, from, end - from);
                return plainPath;
            }
        }
        return uri().path();
    }

    private final ByteView plainPath = new ByteView();   // path()'s view of the target, when it needs no parsing

    /**
     * The arguments of an {@code application/x-www-form-urlencoded} body, parsed on first use; empty
     * for any other content type. Valid until the handler returns; copy what you need to keep.
     */
    public Args postArgs() {
        if (!postArgsParsed) {
            postArgs.reset();   // arguments of a body replaced since they were parsed must not show
            ByteView type = header.contentType();
            if (type != null && isFormUrlEncoded(type)) postArgs.parse(body.array(), 0, body.length());
            postArgsParsed = true;
        }
        return postArgs;
    }

    private static boolean isFormUrlEncoded(ByteView type) {
        String form = "application/x-www-form-urlencoded";
        if (type.length() < form.length()) return false;
        for (int i = 0; i < form.length(); i++) {
            byte b = type.byteAt(i);
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != form.charAt(i)) return false;
        }
        return type.length() == form.length() || type.byteAt(form.length()) == ';' || type.byteAt(form.length()) == ' ';
    }

    /** The trailer fields of a chunked body; empty otherwise. */
    public HeaderFields trailers() {
        return trailers;
    }

    /** Replaces the body with a copy of {@code bytes}. */
    public void setBody(byte[] bytes) {
        postArgsParsed = false;
        closeBodyStream();
        body.reset();
        body.append(bytes);
    }

    /** Replaces the body with {@code text} encoded as UTF-8. */
    public void setBody(CharSequence text) {
        postArgsParsed = false;
        closeBodyStream();
        body.reset();
        body.append(text);
    }

    /**
     * Makes the body {@code in}, sent by a client without holding it in memory: exactly {@code size}
     * bytes with Content-Length, or chunked when {@code size} is -1 (with {@link #trailers()}). A stream
     * that ends before {@code size} bytes fails the call with an {@link java.io.EOFException} naming
     * the shortfall, and the connection is closed; bytes past {@code size} are left unread.
     *
     * <p>The client sends the stream once and then closes it, whether the call succeeded or not; so
     * such a request is never retried, and a 307 or 308 redirect (which must resend the body) is not
     * followed. {@link #reset()} (and so releasing the request) closes a stream that was not sent;
     * setting another body closes it too. Replaces any byte body.
     */
    public void setBodyStream(InputStream in, long size) {
        if (size < -1) throw new IllegalArgumentException("body stream size must be -1 (chunked) or at least 0, was " + size);
        Objects.requireNonNull(in, "in");
        if (in != bodyStream) closeBodyStream();
        bodyStreamWriter = null;
        body.reset();
        postArgsParsed = false;
        bodyStream = in;
        bodyStreamSize = size;
    }

    /**
     * Makes the body what {@code writer} writes when a client sends the request, chunked (with
     * {@link #trailers()}). Sent once, like {@link #setBodyStream}: never retried, and a 307 or 308
     * redirect is not followed. Replaces any byte body or body stream.
     */
    public void setBodyStreamWriter(BodyStreamWriter writer) {
        Objects.requireNonNull(writer, "writer");
        closeBodyStream();
        body.reset();
        postArgsParsed = false;
        bodyStreamWriter = writer;
    }

    /** True when the body is a stream or a stream writer not yet sent. */
    public boolean hasBodyStream() {
        return bodyStream != null || bodyStreamWriter != null;
    }

    /** The body stream set by {@link #setBodyStream}, or null (also once a client has sent it). */
    public InputStream bodyStream() {
        return bodyStream;
    }

    /** The size given to {@link #setBodyStream}: the exact byte count, or -1 for chunked. */
    public long bodyStreamSize() {
        return bodyStreamSize;
    }

    /** The writer set by {@link #setBodyStreamWriter}, or null (also once a client has sent it). */
    public BodyStreamWriter bodyStreamWriter() {
        return bodyStreamWriter;
    }

    /**
     * Closes the body stream, if any, and drops it and any stream writer: a client calls this once it
     * has sent the request. A failure to close is ignored: the body has been sent or abandoned by then.
     */
    public void closeBodyStream() {
        InputStream in = bodyStream;
        bodyStream = null;
        bodyStreamSize = 0;
        bodyStreamWriter = null;
        if (in == null) return;
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing left to do with the stream either way
        }
    }

    /** Appends {@code bytes} to the body. */
    public void appendBody(byte[] bytes, int offset, int length) {
        body.append(bytes, offset, length);
    }

    /** Copies this request into {@code dst}, which then owns its bytes. A body stream is not copied: it can be read only once. */
    public void copyTo(Request dst) {
        header.copyTo(dst.header);
        dst.closeBodyStream();
        dst.body.reset();
        dst.body.append(body.array(), 0, body.length());
        dst.trailers.reset();
        trailers.copyTo(dst.trailers);
    }

    /** The request as it would be written (body as UTF-8), for logs and tests. Allocates. */
    @Override
    public String toString() {
        return header + new String(body.array(), 0, body.length(), StandardCharsets.UTF_8);
    }
}
