package io.fasthttp4j.internal.bytes;

import java.util.Objects;

/** Splits a request's Cookie header value into name-value pairs without allocating (RFC 6265 §4.2.1, §5.4). */
public final class Cookies {
    private Cookies() {
    }

    /** Receives one cookie as offsets into {@code buf}; the bytes are the caller's, valid only during the call. */
    @FunctionalInterface
    public interface Sink {
        void accept(byte[] buf, int nameFrom, int nameTo, int valueFrom, int valueTo);
    }

    /**
     * Calls {@code sink} once per cookie in the Cookie header value {@code buf[from..to)}, in order.
     * Pieces are separated by {@code ';'}; SP and HTAB around names and values are trimmed, and one
     * pair of DQUOTEs around a value is removed.
     *
     * <p>A piece without {@code '='} ({@code "foo"}) is a cookie with an empty name and value
     * {@code "foo"}, as in RFC 6265bis §5.6 and fasthttp: browsers send a nameless cookie that way,
     * so dropping it would lose what the client stored. {@code "=foo"} is the same cookie. Pieces
     * with neither name nor value ({@code ";;"}, {@code "="}, blanks) are skipped. Bytes are not
     * validated: the header parser has already refused control bytes, and a server should read
     * what browsers really send rather than reject the whole request for one odd cookie.
     */
    public static void parseRequestCookies(byte[] buf, int from, int to, Sink sink) {
        Objects.checkFromToIndex(from, to, buf.length);
        int start = from;
        while (true) {
            int end = indexOf(buf, (byte) ';', start, to);
            parsePiece(buf, start, end, sink);
            if (end == to) return;
            start = end + 1;
        }
    }

    private static void parsePiece(byte[] buf, int from, int to, Sink sink) {
        int equals = indexOf(buf, (byte) '=', from, to);
        int nameFrom = Ascii.skipOws(buf, from, equals);
        int nameTo = Ascii.trimOwsEnd(buf, nameFrom, equals);
        if (equals == to) nameTo = nameFrom;   // no '=': the whole piece is the value
        int valueFrom = Ascii.skipOws(buf, equals == to ? from : equals + 1, to);
        int valueTo = Ascii.trimOwsEnd(buf, valueFrom, to);
        if (valueTo - valueFrom >= 2 && buf[valueFrom] == '"' && buf[valueTo - 1] == '"') {
            valueFrom++;
            valueTo--;
        }
        if (nameFrom == nameTo && valueFrom == valueTo) return;
        sink.accept(buf, nameFrom, nameTo, valueFrom, valueTo);
    }

    /** Index of the first {@code b} in {@code buf[from..to)}, or {@code to}. */
    public static int indexOf(byte[] buf, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) return i;
        }
        return to;
    }
}
