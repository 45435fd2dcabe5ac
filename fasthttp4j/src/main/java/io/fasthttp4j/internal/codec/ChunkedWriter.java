package io.fasthttp4j.internal.codec;

import io.fasthttp4j.internal.bytes.Bytes;
import io.fasthttp4j.ByteView;
import io.fasthttp4j.HeaderFields;
import io.fasthttp4j.pool.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes chunked framing (RFC 9112 §7.1): the one chunked writer of the client and the server. The
 * static methods frame bytes into an output buffer. An instance is the stream a body writer writes
 * to: writes collect into chunks of up to its pending buffer's size, each framed into the output
 * buffer, and the subclass's {@link #writeOut()} sends that buffer once it holds {@code writeOutAt}
 * bytes, and on {@link #flush()}. Used by one thread at a time.
 */
public abstract class ChunkedWriter extends OutputStream {
    private final ByteBuf out;
    private final byte[] pending;          // written, not yet framed into out
    private final HeaderFields trailers;   // read at the end, so a writer may add to them as it goes
    private final boolean chunked;
    private final int writeOutAt;
    private int pendingLength;
    private boolean finished;

    /**
     * A stream framing into {@code out}, in chunks of up to {@code pending.length} bytes, ended by the
     * last chunk and {@code trailers}. With {@code chunked} false the bytes go out raw, for a peer that
     * reads the body until the connection closes (HTTP/1.0), and the trailers are dropped.
     */
    protected ChunkedWriter(ByteBuf out, byte[] pending, HeaderFields trailers, boolean chunked, int writeOutAt) {
        this.out = out;
        this.pending = pending;
        this.trailers = trailers;
        this.chunked = chunked;
        this.writeOutAt = writeOutAt;
    }

    /** Appends one chunk of a chunked body: size line, data, CRLF. Nothing for an empty piece. */
    public static void appendChunk(byte[] data, int offset, int length, ByteBuf out) {
        if (length == 0) return;   // a zero-size chunk is the last one
        out.appendHex(length);
        out.append(Bytes.CRLF);
        out.append(data, offset, length);
        out.append(Bytes.CRLF);
    }

    /** Appends the last chunk and the trailer section that end a chunked body. */
    public static void appendLastChunk(HeaderFields trailers, ByteBuf out) {
        out.append(Bytes.LAST_CHUNK);
        for (int i = 0; i < trailers.count(); i++) FieldWriter.writeField(trailers.nameAt(i), trailers.valueAt(i), out);
        out.append(Bytes.CRLF);
    }

    /** Appends a body held in memory: one chunk (none if empty), the last chunk and the trailers. */
    public static void appendBody(ByteView body, HeaderFields trailers, ByteBuf out) {
        appendChunk(body.array(), body.offset(), body.length(), out);
        appendLastChunk(trailers, out);
    }

    /** Sends what the output buffer holds and empties it. */
    protected abstract void writeOut() throws IOException;

    @Override
    public void write(int b) throws IOException {
        if (finished) throw new IOException("body already finished");
        pending[pendingLength++] = (byte) b;
        if (pendingLength == pending.length) emit();
    }

    /** Collects bytes into whole chunks: a chunk per small write would cost framing and a syscall each. */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (finished) throw new IOException("body already finished");
        while (len > 0) {
            int n = Math.min(len, pending.length - pendingLength);
            System.arraycopy(b, off, pending, pendingLength, n);
            pendingLength += n;
            off += n;
            len -= n;
            if (pendingLength == pending.length) emit();
        }
    }

    /** Frames the pending bytes into the output buffer as one chunk, writing the buffer out once it is full. */
    private void emit() throws IOException {
        if (chunked) appendChunk(pending, 0, pendingLength, out);
        else out.append(pending, 0, pendingLength);
        pendingLength = 0;
        if (out.length() >= writeOutAt) writeOut();
    }

    /** Sends what was written so far: a server-sent event, say, reaches the peer now. Nothing once finished. */
    @Override
    public void flush() throws IOException {
        if (finished) return;
        emit();
        if (!out.isEmpty()) writeOut();
    }

    /** Frames the rest, then the last chunk and the trailers, into the output buffer; the caller sends it. Later writes fail. */
    public void finish() throws IOException {
        if (finished) return;
        emit();
        finished = true;
        if (chunked) appendLastChunk(trailers, out);
    }

    /** Ends the body, as {@link #finish()}. */
    @Override
    public void close() throws IOException {
        finish();
    }
}
