package io.fasthttp4j;

import io.fasthttp4j.pool.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

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
    private boolean streamBody;
    private InputStream bodyStream;
    private ByteBuf uncompressed;                     // created on first use of bodyUncompressed
    private ByteBuf uncompressScratch;                // for stacked codings only
    private final ByteView uncompressedView = new ByteView();

    /**
     * Readies this response for the next one. Keeps its arrays (but drops a decoded body's buffer
     * past {@value #MAX_KEPT_UNCOMPRESSED_BYTES} bytes); closes an open body stream; clears
     * {@link #setStreamBody}.
     */
    public void reset() {
        header.reset();
        bodyView.reset();
        trailers.reset();
        resetState();
    }

    /**
     * Readies this response for the next one on the same connection, whose request (or, on a client,
     * whose own bytes) is parsed from the same buffer: as {@link #reset()}, but its views are only
     * emptied and keep their references, to that buffer and to arrays this response has since grown
     * out of. Nothing of the old response stays visible.
     *
     * <p>Safe only under the condition of {@link Request#resetForNextInBuffer()}: a full
     * {@link #reset()} follows before that buffer may be dropped or reused for anything else.
     */
    public void resetForNextInBuffer() {
        header.resetForNextInBuffer();
        bodyView.resetForNextInBuffer();
        trailers.resetForNextInBuffer();
        resetState();
    }

    /** What both resets do: everything but the header's, body's and trailers' views. */
    private void resetState() {
        body.reset();
        streamBody = false;
        closeBodyStream();
        if (uncompressed != null) uncompressed.trimTo(MAX_KEPT_UNCOMPRESSED_BYTES);
        if (uncompressScratch != null) uncompressScratch.trimTo(MAX_KEPT_UNCOMPRESSED_BYTES);
        uncompressedView.reset();   // dropped by resetForNextInBuffer too: its array may just have been trimmed away
    }

    /** A decoded body buffer larger than this is dropped on reset, so one large download does not pin its array in a pooled response. */
    static final int MAX_KEPT_UNCOMPRESSED_BYTES = 1024 * 1024;

    /** Default limit of {@link #bodyUncompressed()}: 64 MiB, the client's default maxResponseBodySize. */
    public static final long DEFAULT_MAX_UNCOMPRESSED_BYTES = 64L * 1024 * 1024;

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

    // ---- streamed bodies (client) ----

    /**
     * Asks a client to stream this response's body instead of reading it into memory (fasthttp's
     * {@code StreamBody}): set it before the call; the call then returns once the header is read, and
     * {@link #bodyStream()} reads the body (Content-Length, chunked or until close) from the
     * connection as it is consumed, not limited by maxResponseBodySize. The read timeout applies to
     * each read from the connection, the call's deadline ({@code doTimeout}) to all of them.
     *
     * <p>The connection goes back to the pool when the stream has read the body's end; closing the
     * stream before that keeps the connection only if the rest of the body has already arrived in the
     * read buffer, and closes it otherwise (close never waits for the network). Resetting or releasing
     * this response closes the stream: close it or release the response, or the connection is never
     * returned. Cleared by {@link #reset()}; kept by the client's own reset at the start of a call.
     */
    public void setStreamBody(boolean stream) {
        streamBody = stream;
    }

    public boolean isStreamBody() {
        return streamBody;
    }

    /**
     * The body stream of a response read with {@link #setStreamBody}, or null. While it is open,
     * {@link #body()} holds only the bytes staged for it. Valid until the response is reset or released.
     */
    public InputStream bodyStream() {
        return bodyStream;
    }

    /**
     * Sets the stream a client reads this response's body from; closes the one before. On the server,
     * a handler should use {@code RequestCtx.setBodyStream(in, size)}; a stream set here is sent chunked,
     * as {@code setBodyStream(in, -1)} would.
     */
    public void setBodyStream(InputStream in) {
        Objects.requireNonNull(in, "in");
        closeBodyStream();
        bodyStream = in;
    }

    /** Drops the body stream without closing it: whoever called this now owns it. */
    public void detachBodyStream() {
        bodyStream = null;
    }

    /** Closes the body stream, if any, and drops it; errors while closing are ignored (the stream is abandoned). */
    public void closeBodyStream() {
        InputStream in = bodyStream;
        bodyStream = null;
        if (in == null) return;
        try {
            in.close();
        } catch (IOException ignored) {
            // the connection under it is closed by then: nothing to recover
        }
    }

    // ---- content codings ----

    /** {@link #bodyUncompressed(long)} with a limit of {@value #DEFAULT_MAX_UNCOMPRESSED_BYTES} bytes. */
    public ByteView bodyUncompressed() throws ContentEncodingException {
        return bodyUncompressed(DEFAULT_MAX_UNCOMPRESSED_BYTES);
    }

    /**
     * The body decoded from its Content-Encoding: gzip (x-gzip), deflate (zlib or raw) or identity;
     * a list such as {@code "deflate, gzip"} is decoded last coding first. Without a coding (or with
     * only identity, or an empty body) this is {@link #body()} itself, not a copy. The client never
     * decodes on its own: send Accept-Encoding and call this. A view: valid until the response is
     * reset or released.
     *
     * @throws ContentEncodingException for an unsupported coding, corrupt or truncated data, or a
     *                                  decoded body larger than {@code maxBytes} (decoding stops there)
     * @throws IllegalStateException    when the body is streamed ({@link #setStreamBody})
     */
    public ByteView bodyUncompressed(long maxBytes) throws ContentEncodingException {
        checkNotStreamed();
        if (uncompressed == null) uncompressed = new ByteBuf(0);
        if (uncompressScratch == null) uncompressScratch = new ByteBuf(0);
        if (!ContentDecoder.decode(header.fields(), body(), uncompressed, uncompressScratch, maxBytes)) return body();
        uncompressedView.set(uncompressed.array(), 0, uncompressed.length());
        return uncompressedView;
    }

    /** The body decoded as gzip, whatever Content-Encoding says (fasthttp's BodyGunzip). See {@link #bodyUncompressed(long)}. */
    public ByteView bodyGunzip(long maxBytes) throws ContentEncodingException {
        checkNotStreamed();
        if (uncompressed == null) uncompressed = new ByteBuf(0);
        uncompressed.reset();
        ContentDecoder.gunzip(body.array(), 0, body.length(), uncompressed, maxBytes);
        uncompressedView.set(uncompressed.array(), 0, uncompressed.length());
        return uncompressedView;
    }

    /** The body decoded as deflate (zlib or raw), whatever Content-Encoding says (fasthttp's BodyInflate). See {@link #bodyUncompressed(long)}. */
    public ByteView bodyInflate(long maxBytes) throws ContentEncodingException {
        checkNotStreamed();
        if (uncompressed == null) uncompressed = new ByteBuf(0);
        uncompressed.reset();
        ContentDecoder.inflate(body.array(), 0, body.length(), uncompressed, maxBytes);
        uncompressedView.set(uncompressed.array(), 0, uncompressed.length());
        return uncompressedView;
    }

    private void checkNotStreamed() {
        if (bodyStream != null) throw new IllegalStateException("the body is streamed: read bodyStream() (wrap it in a GZIPInputStream to decode it)");
    }

    /** Copies this response into {@code dst}, which then owns its bytes. A body stream is not copied. */
    public void copyTo(Response dst) {
        header.copyTo(dst.header);
        dst.closeBodyStream();
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
