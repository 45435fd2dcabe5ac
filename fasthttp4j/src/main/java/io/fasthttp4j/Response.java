package io.fasthttp4j;

import io.fasthttp4j.pool.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP response: header, body and trailers, reused from response to response. Views it hands out
 * are valid until the handler returns (on a client: until the response is reset or released); copy
 * what you need to keep. Not thread-safe.
 */
public final class Response {
    private final ResponseHeader header = new ResponseHeader();
    private final ByteBuf body = new ByteBuf(0);
    private final ByteView bodyView = new ByteView();
    private final HeaderFields trailers = new HeaderFields();

    /** Readies this response for the next one. Keeps its arrays; drops its references. */
    public void reset() {
        header.reset();
        body.reset();
        bodyView.reset();
        trailers.reset();
    }

    /** Creates an empty 200 response; reuse it with {@link #reset()}. */
    public Response() {
    }

    public ResponseHeader header() {
        return header;
    }

    public int statusCode() {
        return header.statusCode();
    }

    /** Sets the status: 100 to 599. */
    public void setStatusCode(int code) {
        header.setStatusCode(code);
    }

    public void setContentType(CharSequence value) {
        header.setContentType(value);
    }

    /** The body. View: valid until the handler returns; copy what you need to keep. */
    public ByteView body() {
        bodyView.set(body.array(), 0, body.length());
        return bodyView;
    }

    /** The buffer that holds the body: append to it to build a body without copies. */
    public ByteBuf bodyBuffer() {
        return body;
    }

    /** The trailer fields, written after a chunked body. */
    public HeaderFields trailers() {
        return trailers;
    }

    /** Replaces the body with a copy of {@code bytes}. */
    public void setBody(byte[] bytes) {
        body.reset();
        body.append(bytes);
    }

    /** Replaces the body with {@code text} encoded as UTF-8. */
    public void setBody(CharSequence text) {
        body.reset();
        body.append(text);
    }

    /** Appends {@code bytes} to the body. */
    public void appendBody(byte[] bytes) {
        body.append(bytes);
    }

    /** Appends {@code text}, UTF-8 encoded, to the body. */
    public void appendBody(CharSequence text) {
        body.append(text);
    }

    /** Copies this response into {@code dst}, which then owns its bytes. */
    public void copyTo(Response dst) {
        header.copyTo(dst.header);
        dst.body.reset();
        dst.body.append(body.array(), 0, body.length());
        dst.trailers.reset();
        trailers.copyTo(dst.trailers);
    }

    /** The response as it would be written (body as UTF-8), for logs and tests. Allocates. */
    @Override
    public String toString() {
        return header + new String(body.array(), 0, body.length(), StandardCharsets.UTF_8);
    }
}
