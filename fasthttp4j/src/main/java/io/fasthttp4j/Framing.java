package io.fasthttp4j;

import io.fasthttp4j.internal.bytes.Ascii;

/**
 * How a message's body is delimited, read from its Content-Length, Transfer-Encoding and Connection
 * fields (RFC 9112 §6). Shared by {@link RequestHeader} and {@link ResponseHeader}; every rule here
 * rejects rather than guesses, because two parsers that guess differently see different messages.
 */
final class Framing {
    private Framing() {
    }

    static final long NO_CONTENT_LENGTH = -1;

    /** Transfer-coding state bits, accumulated over every Transfer-Encoding field in order. */
    static final int TE_SEEN = 1;
    static final int TE_CHUNKED_LAST = 2;
    static final int TE_OTHER = 4;

    private static final byte[] CHUNKED = {'c', 'h', 'u', 'n', 'k', 'e', 'd'};
    private static final byte[] CLOSE = {'c', 'l', 'o', 's', 'e'};
    private static final byte[] KEEP_ALIVE = {'k', 'e', 'e', 'p', '-', 'a', 'l', 'i', 'v', 'e'};

    /**
     * Parses a Content-Length value, a comma list of equal values allowed (RFC 9110 §8.6), and checks
     * it against the value of an earlier field ({@link #NO_CONTENT_LENGTH} if none).
     */
    static long contentLength(ByteView value, long earlier) {
        byte[] b = value.array();
        int at = value.offset();
        int end = at + value.length();
        long result = earlier;
        do {
            int itemEnd = at;
            while (itemEnd < end && b[itemEnd] != ',') itemEnd++;
            long n = digits(b, Ascii.skipOws(b, at, itemEnd), Ascii.trimOwsEnd(b, at, itemEnd), value);
            if (result != NO_CONTENT_LENGTH && result != n) {
                throw BadRequestException.of(400, "differing Content-Length values %d and %d", result, n);
            }
            result = n;
            at = itemEnd + 1;
        } while (at <= end);
        return result;
    }

    private static long digits(byte[] b, int from, int to, ByteView value) {
        if (from == to) throw BadRequestException.of(400, "empty Content-Length");
        long n = 0;
        for (int i = from; i < to; i++) {
            if (!Ascii.isDigit(b[i])) throw BadRequestException.of(400, "malformed Content-Length '%s'", FieldLines.printable(b, value.offset(), value.offset() + value.length()));
            int d = b[i] - '0';
            if (n > (Long.MAX_VALUE - d) / 10) throw BadRequestException.of(400, "Content-Length overflows 2^63-1");
            n = n * 10 + d;
        }
        return n;
    }

    /**
     * Folds one Transfer-Encoding field into {@code state}. RFC 9112 §6.1: chunked must be the final
     * coding and applied once; a coding after chunked means the body's end cannot be known.
     */
    static int transferEncoding(ByteView value, int state) {
        byte[] b = value.array();
        int at = value.offset();
        int end = at + value.length();
        do {
            int itemEnd = at;
            while (itemEnd < end && b[itemEnd] != ',') itemEnd++;
            int from = Ascii.skipOws(b, at, itemEnd);
            int to = Ascii.trimOwsEnd(b, from, itemEnd);
            if (from == to) throw BadRequestException.of(400, "empty transfer coding in Transfer-Encoding");
            if ((state & TE_CHUNKED_LAST) != 0) throw BadRequestException.of(400, "Transfer-Encoding has a coding after chunked");
            state |= TE_SEEN | (Ascii.equalsIgnoreCase(b, from, to, CHUNKED) ? TE_CHUNKED_LAST : TE_OTHER);
            at = itemEnd + 1;
        } while (at <= end);
        return state;
    }

    /** Checks the folded Transfer-Encoding state: 400 unless it ends in chunked, 501 for any other coding. */
    static void checkTransferEncoding(int state) {
        if ((state & TE_CHUNKED_LAST) == 0) throw BadRequestException.of(400, "Transfer-Encoding does not end with chunked");
        if ((state & TE_OTHER) != 0) throw BadRequestException.of(501, "Transfer-Encoding has a coding other than chunked: not implemented");
    }

    /** Connection option bits. */
    static final int CONN_CLOSE = 1;
    static final int CONN_KEEP_ALIVE = 2;

    /** Folds the options of one Connection field (a token list) into {@code state}. */
    static int connection(ByteView value, int state) {
        byte[] b = value.array();
        int at = value.offset();
        int end = at + value.length();
        do {
            int itemEnd = at;
            while (itemEnd < end && b[itemEnd] != ',') itemEnd++;
            int from = Ascii.skipOws(b, at, itemEnd);
            int to = Ascii.trimOwsEnd(b, from, itemEnd);
            if (Ascii.equalsIgnoreCase(b, from, to, CLOSE)) state |= CONN_CLOSE;
            else if (Ascii.equalsIgnoreCase(b, from, to, KEEP_ALIVE)) state |= CONN_KEEP_ALIVE;
            at = itemEnd + 1;
        } while (at <= end);
        return state;
    }
}
