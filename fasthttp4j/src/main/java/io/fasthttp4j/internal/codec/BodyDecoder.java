package io.fasthttp4j.internal.codec;

import io.fasthttp4j.internal.bytes.Ascii;
import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.HeaderFields;
import io.fasthttp4j.pool.ByteBuf;

/**
 * Reads a message body as it arrives, in any number of pieces: a fixed Content-Length, chunked
 * framing (RFC 9112 §7.1) with extensions and trailers, or everything until the peer closes.
 * Decoded bytes are copied into the message's body buffer, so the caller may reuse the input bytes
 * once they are consumed. Runs on one connection's thread only.
 */
final class BodyDecoder {
    enum Mode { NONE, LENGTH, CHUNKED, UNTIL_EOF }

    private enum Chunk { SIZE_START, SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILERS, DONE }

    private Mode mode = Mode.NONE;
    private Chunk chunk = Chunk.SIZE_START;
    private long remaining;          // bytes left: of the body (LENGTH) or of the current chunk
    private long total;              // decoded bytes so far
    private long maxBodyBytes;
    private boolean done;
    private final ByteBuf extension = new ByteBuf(32);
    private final ByteBuf trailerBytes = new ByteBuf(0);

    /** Readies this decoder for the next message. */
    void reset() {
        mode = Mode.NONE;
        chunk = Chunk.SIZE_START;
        remaining = 0;
        total = 0;
        maxBodyBytes = 0;
        done = false;
        extension.reset();
        trailerBytes.reset();
    }

    /** Starts a body of {@code mode}; {@code contentLength} counts only for {@link Mode#LENGTH}. */
    void start(Mode mode, long contentLength, long maxBodyBytes) {
        this.mode = mode;
        this.maxBodyBytes = maxBodyBytes;
        if (mode == Mode.LENGTH) {
            if (contentLength > maxBodyBytes) throw tooLarge();
            remaining = contentLength;
        }
        done = mode == Mode.NONE || (mode == Mode.LENGTH && contentLength == 0);
    }

    void setMaxBodyBytes(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        if (mode == Mode.LENGTH && remaining + total > maxBodyBytes) throw tooLarge();
    }

    boolean isDone() {
        return done;
    }

    Mode mode() {
        return mode;
    }

    private BadRequestException tooLarge() {
        return BadRequestException.of(413, "body exceeds maxBodyBytes=%d", maxBodyBytes);
    }

    /** Decodes from {@code buf[from..to)} into {@code body}; returns the index of the first byte not consumed. */
    int decode(byte[] buf, int from, int to, ByteBuf body, HeaderFields trailers, int maxTrailerBytes,
               int maxExtensionBytes, int maxTrailerCount) {
        return switch (mode) {
            case NONE -> from;
            case LENGTH -> copyFixed(buf, from, to, body);
            case UNTIL_EOF -> copyUntilEof(buf, from, to, body);
            case CHUNKED -> decodeChunked(buf, from, to, body, trailers, maxTrailerBytes, maxExtensionBytes, maxTrailerCount);
        };
    }

    /** The peer closed the connection: completes a body read until EOF; anything else is truncated. */
    void endOfInput() {
        if (done) return;
        if (mode == Mode.UNTIL_EOF) {
            done = true;
            return;
        }
        long received = mode == Mode.CHUNKED && chunk == Chunk.DATA ? total - remaining : total;
        throw BadRequestException.of(400, "connection closed after %d of the body's bytes, before its end", received);
    }

    private int copyFixed(byte[] buf, int from, int to, ByteBuf body) {
        int n = (int) Math.min(remaining, to - from);
        if (body.length() == 0 && n < remaining) body.ensureSpace((int) Math.min(remaining, 64 * 1024));
        body.append(buf, from, n);
        remaining -= n;
        total += n;
        done = remaining == 0;
        return from + n;
    }

    private int copyUntilEof(byte[] buf, int from, int to, ByteBuf body) {
        if (total + (to - from) > maxBodyBytes) throw tooLarge();
        body.append(buf, from, to - from);
        total += to - from;
        return to;
    }

    private int decodeChunked(byte[] buf, int from, int to, ByteBuf body, HeaderFields trailers,
                              int maxTrailerBytes, int maxExtensionBytes, int maxTrailerCount) {
        int i = from;
        while (i < to && !done) {
            if (chunk == Chunk.DATA) {
                int n = (int) Math.min(remaining, to - i);
                body.append(buf, i, n);
                remaining -= n;
                i += n;
                if (remaining == 0) chunk = Chunk.DATA_CR;
            } else if (chunk == Chunk.TRAILERS) {
                i = trailers(buf, i, to, trailers, maxTrailerBytes, maxTrailerCount);
            } else {
                sizeLineByte(buf[i++], maxExtensionBytes);
            }
        }
        return i;
    }

    /** One byte of the chunk-size line or of the CRLF after chunk data. */
    private void sizeLineByte(byte b, int maxExtensionBytes) {
        switch (chunk) {
            case SIZE_START -> {
                int digit = Ascii.hexValue(b);
                if (digit < 0) throw BadRequestException.of(400, "invalid byte 0x%02x at start of chunk size", b & 0xff);
                remaining = digit;
                chunk = Chunk.SIZE;
            }
            case SIZE -> {
                int digit = Ascii.hexValue(b);
                if (digit >= 0) {
                    if (remaining > (Long.MAX_VALUE >>> 4)) throw BadRequestException.of(400, "chunk size overflows 2^63-1");
                    remaining = remaining << 4 | digit;
                } else if (b == Ascii.CR) {
                    chunk = Chunk.SIZE_LF;
                } else if (b == ';' || b == Ascii.SP || b == Ascii.HTAB) {
                    extension.reset();
                    extension.append(b);
                    chunk = Chunk.EXTENSION;
                } else {
                    throw BadRequestException.of(400, "invalid byte 0x%02x in chunk size", b & 0xff);
                }
            }
            case EXTENSION -> {
                if (b == Ascii.CR) {
                    ChunkExtensions.check(extension.array(), 0, extension.length());
                    chunk = Chunk.SIZE_LF;
                } else {
                    if (extension.length() >= maxExtensionBytes) {
                        throw BadRequestException.of(400, "chunk extension exceeds maxChunkExtensionBytes=%d", maxExtensionBytes);
                    }
                    extension.append(b);
                }
            }
            case SIZE_LF -> {
                if (b != Ascii.LF) throw BadRequestException.of(400, "chunk size line not ended by CRLF");
                startChunkData();
            }
            case DATA_CR -> {
                if (b != Ascii.CR) throw BadRequestException.of(400, "chunk data not followed by CRLF");
                chunk = Chunk.DATA_LF;
            }
            case DATA_LF -> {
                if (b != Ascii.LF) throw BadRequestException.of(400, "chunk data not followed by CRLF");
                chunk = Chunk.SIZE_START;
            }
            default -> throw new IllegalStateException("chunk state " + chunk);
        }
    }

    private void startChunkData() {
        if (remaining == 0) {
            chunk = Chunk.TRAILERS;
            trailerBytes.reset();
            return;
        }
        if (total + remaining > maxBodyBytes) throw tooLarge();
        total += remaining;
        chunk = Chunk.DATA;
    }

    /** Collects the trailer section (bounded), then parses it into {@code trailers}. */
    private int trailers(byte[] buf, int from, int to, HeaderFields trailers, int maxTrailerBytes, int maxTrailerCount) {
        for (int i = from; i < to; i++) {
            if (trailerBytes.length() >= maxTrailerBytes) {
                throw BadRequestException.of(431, "trailer section exceeds maxTrailerBytes=%d", maxTrailerBytes);
            }
            byte b = buf[i];
            trailerBytes.append(b);
            if (b != Ascii.LF) continue;
            int n = trailerBytes.length();
            byte[] t = trailerBytes.array();
            if (n < 2 || t[n - 2] != Ascii.CR) throw BadRequestException.of(400, "bare LF in trailer section");
            if (n == 2 || (n >= 4 && t[n - 3] == Ascii.LF && t[n - 4] == Ascii.CR)) {
                Trailers.parse(t, 0, n, trailers, maxTrailerCount);
                chunk = Chunk.DONE;
                done = true;
                return i + 1;
            }
        }
        return to;
    }
}
