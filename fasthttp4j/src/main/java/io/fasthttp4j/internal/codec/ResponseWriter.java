package io.fasthttp4j.internal.codec;

import io.fasthttp4j.internal.bytes.Bytes;
import io.fasthttp4j.internal.bytes.Ascii;
import io.fasthttp4j.internal.bytes.HttpDates;
import io.fasthttp4j.ByteView;
import io.fasthttp4j.Response;
import io.fasthttp4j.ResponseHeader;
import io.fasthttp4j.Status;
import io.fasthttp4j.pool.ByteBuf;

/**
 * Writes a response into a reusable output buffer: a pre-encoded status line, Server, the Date of the
 * current second (encoded once a second and shared), Content-Type (default
 * {@code text/plain; charset=utf-8}), Content-Length or chunked framing from the body, Connection,
 * the handler's fields (Set-Cookie included), then the body. HEAD responses carry the real
 * Content-Length and no body; 1xx, 204 and 304 carry neither. Allocates nothing. Thread-safe.
 */
public final class ResponseWriter {
    private final byte[] serverLine;   // "Server: name\r\n", or null for none

    /** @param serverName value of the Server field, or null to write none */
    public ResponseWriter(String serverName) {
        if (serverName != null) {
            for (int i = 0; i < serverName.length(); i++) {
                char c = serverName.charAt(i);
                if (c > 0x7e || !Ascii.isFieldValueChar((byte) c)) throw new IllegalArgumentException("invalid char in server name");
            }
        }
        serverLine = serverName == null ? null : Bytes.ascii("Server: " + serverName + "\r\n");
    }

    // "HTTP/1.1 200 OK\r\nServer: name\r\nDate: <date>\r\n" for the current date; rebuilt (about 90
    // bytes) by the first writer to see a new date, at most once a second. Immutable once published.
    // withLength: the same followed by "Content-Length: ", for the common response (see write).
    private record OkPrefix(byte[] date, byte[] bytes, byte[] withLength) {
    }

    private volatile OkPrefix okPrefix;

    private OkPrefix okPrefix() {
        byte[] date = HttpDates.currentDate();
        OkPrefix p = okPrefix;
        if (p == null || p.date != date) {
            ByteBuf b = new ByteBuf(128);
            b.append(StatusLines.of(Status.OK));
            if (serverLine != null) b.append(serverLine);
            b.append(Bytes.DATE_PREFIX).append(date).append(Bytes.CRLF);
            byte[] bytes = java.util.Arrays.copyOf(b.array(), b.length());
            b.append(Bytes.CONTENT_LENGTH_PREFIX);
            okPrefix = p = new OkPrefix(date, bytes, java.util.Arrays.copyOf(b.array(), b.length()));
        }
        return p;
    }

    /** {@link #writeHeader}'s body length for a chunked body. */
    public static final long CHUNKED = -1;
    /** {@link #writeHeader}'s body length for a body that ends when the connection closes (HTTP/1.0 streaming). */
    public static final long UNTIL_CLOSE = -2;

    /** Writes {@code response} to {@code out}; {@code headRequest} leaves the body out. */
    public void write(Response response, boolean headRequest, ByteBuf out) {
        write(response, headRequest, true, out);
    }

    /**
     * Writes {@code response} to {@code out}. {@code chunkedAllowed} is false for an HTTP/1.0 client,
     * which cannot read chunked framing (RFC 9112 §6.1): a body marked chunked then gets a Content-Length
     * and its trailers are dropped.
     */
    public void write(Response response, boolean headRequest, boolean chunkedAllowed, ByteBuf out) {
        ResponseHeader h = response.header();
        ByteView body = response.body();
        ByteView contentTypeLine = h.contentTypeLineIfOnlyField();
        if (contentTypeLine != null && h.statusCode() == Status.OK && !headRequest && h.reasonPhrase().isEmpty()
                && !h.isChunked() && !h.connectionClose() && !h.connectionKeepAlive()) {
            writeCommon(contentTypeLine, body, out);
            return;
        }
        boolean chunked = h.isChunked() && chunkedAllowed;
        writeHeader(response, chunked ? CHUNKED : body.length(), out);
        if (Status.isBodyless(h.statusCode()) || headRequest) return;
        if (chunked) ChunkedWriter.appendBody(body, response.trailers(), out);
        else out.append(body.array(), body.offset(), body.length());
    }

    // The usual response: 200, its only field the Content-Type set by setContentType, a body in memory.
    // The same bytes writeHeader and write produce, with three copies and one capacity check.
    private void writeCommon(ByteView contentTypeLine, ByteView body, ByteBuf out) {
        byte[] prefix = okPrefix().withLength;   // status line, Server, Date, "Content-Length: "
        int length = body.length();
        int ct = contentTypeLine.length();
        int at = out.length();
        byte[] a = out.ensureSpace(prefix.length + 10 + 2 + ct + 2 + length);
        System.arraycopy(prefix, 0, a, at, prefix.length);
        out.setLength(at + prefix.length);
        out.appendDecimal(length);   // room made above: the array stays the same
        at = out.length();
        a[at++] = '\r';
        a[at++] = '\n';
        System.arraycopy(contentTypeLine.array(), contentTypeLine.offset(), a, at, ct);
        at += ct;
        a[at++] = '\r';
        a[at++] = '\n';
        System.arraycopy(body.array(), body.offset(), a, at, length);
        out.setLength(at + length);
    }

    /**
     * Writes only the header section, framed for a body of {@code bodyLength} bytes, {@link #CHUNKED}
     * or {@link #UNTIL_CLOSE}; for bodies that are streamed after it.
     */
    public void writeHeader(Response response, long bodyLength, ByteBuf out) {
        ResponseHeader h = response.header();
        int status = h.statusCode();
        if (status == Status.OK && h.reasonPhrase().isEmpty() && !h.hasServer() && !h.hasDate()) {
            out.append(okPrefix().bytes);   // the usual case: status line, Server and Date in one copy
        } else {
            writeStatusLine(h, status, out);
            if (serverLine != null && !h.hasServer()) out.append(serverLine);
            if (!h.hasDate()) {
                out.append(Bytes.DATE_PREFIX);
                HttpDates.appendCurrentDate(out);
                out.append(Bytes.CRLF);
            }
        }
        if (!Status.isBodyless(status)) {
            if (h.contentType() == null) out.append(Bytes.DEFAULT_CONTENT_TYPE_LINE);
            if (bodyLength == CHUNKED) out.append(Bytes.TRANSFER_ENCODING_CHUNKED_LINE);
            else if (bodyLength >= 0) FieldWriter.writeContentLength(bodyLength, out);
        }
        if (h.connectionClose()) out.append(Bytes.CONNECTION_CLOSE_LINE);
        else if (h.connectionKeepAlive()) out.append(Bytes.CONNECTION_KEEP_ALIVE_LINE);
        ByteView contentTypeLine = h.contentTypeLineIfOnlyField();
        if (contentTypeLine != null) {
            out.append(contentTypeLine.array(), contentTypeLine.offset(), contentTypeLine.length());   // the usual case: one copy
        } else {
            FieldWriter.writeFields(h.fields(), true, out);
        }
        out.append(Bytes.CRLF);
    }

    /** {@link ChunkedWriter#appendChunk}, under the name the server's streamed bodies call. */
    public static void appendChunk(byte[] data, int offset, int length, ByteBuf out) {
        ChunkedWriter.appendChunk(data, offset, length, out);
    }

    /** {@link ChunkedWriter#appendLastChunk}, under the name the server's streamed bodies call. */
    public static void appendLastChunk(io.fasthttp4j.HeaderFields trailers, ByteBuf out) {
        ChunkedWriter.appendLastChunk(trailers, out);
    }

    private static void writeStatusLine(ResponseHeader h, int status, ByteBuf out) {
        ByteView reason = h.reasonPhrase();
        if (reason.isEmpty()) {
            out.append(StatusLines.of(status));
            return;
        }
        out.append(Bytes.HTTP_1_1_SP);
        out.appendDecimal(status);
        out.append((byte) ' ');
        out.append(reason.array(), reason.offset(), reason.length());
        out.append(Bytes.CRLF);
    }
}
