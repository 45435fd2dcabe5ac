package io.fasthttp4j.internal.codec;

import io.fasthttp4j.internal.bytes.Bytes;
import io.fasthttp4j.ByteView;
import io.fasthttp4j.Request;
import io.fasthttp4j.RequestHeader;
import io.fasthttp4j.pool.ByteBuf;

/**
 * Writes a request (the client's half of the codec) into a reusable output buffer. The framing comes
 * from the body, not from fields a caller set: Content-Length is the body's length, or the body is
 * sent as one chunk when the header asks for chunked; so a request can never say one length and
 * carry another.
 */
public final class RequestWriter {
    private RequestWriter() {
    }

    private static final byte[] SLASH = {'/'};

    public static void write(Request request, ByteBuf out) {
        RequestHeader h = request.header();
        ByteView method = h.method();
        out.append(method.array(), method.offset(), method.length());
        out.append((byte) ' ');
        ByteView uri = h.requestUri();
        if (uri.isEmpty()) out.append(SLASH);
        else out.append(uri.array(), uri.offset(), uri.length());
        out.append((byte) ' ');
        ByteView protocol = h.protocol();
        out.append(protocol.array(), protocol.offset(), protocol.length());
        out.append(Bytes.CRLF);
        writeFieldsAndBody(request, out);
    }

    /**
     * Writes what follows the request line: the fields, the framing computed from the body, the body.
     * For a client that writes its own request line (origin-form target taken from an absolute URI,
     * Host added).
     */
    public static void writeFieldsAndBody(Request request, ByteBuf out) {
        RequestHeader h = request.header();
        FieldWriter.writeFields(h.fields(), false, out);   // Connection fields included: setConnectionClose sets one
        ByteView body = request.body();
        if (h.isChunked()) {
            out.append(Bytes.TRANSFER_ENCODING_CHUNKED_LINE);
            out.append(Bytes.CRLF);
            ChunkedWriter.appendBody(body, request.trailers(), out);
            return;
        }
        if (body.length() > 0 || h.contentLength() >= 0) FieldWriter.writeContentLength(body.length(), out);
        out.append(Bytes.CRLF);
        out.append(body.array(), body.offset(), body.length());
    }

    /**
     * Writes what follows the request line for a body streamed after it: the fields, then
     * Content-Length {@code size}, or Transfer-Encoding: chunked when {@code size} is -1, and the
     * blank line. The body follows through a {@link ChunkedWriter} (chunked) or as raw
     * bytes.
     */
    public static void writeFieldsForStream(Request request, long size, ByteBuf out) {
        FieldWriter.writeFields(request.header().fields(), false, out);
        if (size < 0) out.append(Bytes.TRANSFER_ENCODING_CHUNKED_LINE);
        else FieldWriter.writeContentLength(size, out);
        out.append(Bytes.CRLF);
    }
}
