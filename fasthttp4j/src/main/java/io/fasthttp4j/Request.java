package io.fasthttp4j;

import io.fasthttp4j.pool.ByteBuf;
import java.nio.charset.StandardCharsets;

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

    /** Readies this request for the next one. Keeps its arrays; drops its references. */
    public void reset() {
        header.reset();
        body.reset();
        bodyView.reset();
        trailers.reset();
        uri.reset();
        uriParsed = false;
        postArgs.reset();
        postArgsParsed = false;
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
     * The arguments of an {@code application/x-www-form-urlencoded} body, parsed on first use; empty
     * for any other content type. Valid until the handler returns; copy what you need to keep.
     */
    public Args postArgs() {
        if (!postArgsParsed) {
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
        body.reset();
        body.append(bytes);
    }

    /** Replaces the body with {@code text} encoded as UTF-8. */
    public void setBody(CharSequence text) {
        postArgsParsed = false;
        body.reset();
        body.append(text);
    }

    /** Appends {@code bytes} to the body. */
    public void appendBody(byte[] bytes, int offset, int length) {
        body.append(bytes, offset, length);
    }

    /** Copies this request into {@code dst}, which then owns its bytes. */
    public void copyTo(Request dst) {
        header.copyTo(dst.header);
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
