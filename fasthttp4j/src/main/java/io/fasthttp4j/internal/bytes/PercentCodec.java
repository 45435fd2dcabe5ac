package io.fasthttp4j.internal.bytes;

import io.fasthttp4j.pool.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding and -encoding (RFC 3986 §2.1) of paths, queries and form data, appending to a
 * {@link ByteBuf} without allocating once the buffer has grown. Source and destination must not
 * share an array.
 */
public final class PercentCodec {
    private PercentCodec() {
    }

    private static final byte[] UPPER_HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final boolean[] FORM_KEEP = new boolean[256];
    private static final boolean[] PATH_KEEP = new boolean[256];
    private static final boolean[] QUERY_KEEP = new boolean[256];

    static {
        // RFC 3986 §2.3: unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"; the only bytes a form keeps.
        for (int c = '0'; c <= '9'; c++) FORM_KEEP[c] = true;
        for (int c = 'a'; c <= 'z'; c++) FORM_KEEP[c] = true;
        for (int c = 'A'; c <= 'Z'; c++) FORM_KEEP[c] = true;
        for (char c : "-._~".toCharArray()) FORM_KEEP[c] = true;
        // RFC 3986 §3.3: pchar = unreserved / pct-encoded / sub-delims / ":" / "@", and "/" between segments.
        System.arraycopy(FORM_KEEP, 0, PATH_KEEP, 0, 256);
        for (char c : "!$&'()*+,;=:@/".toCharArray()) PATH_KEEP[c] = true;
        // A raw query or fragment is already encoded: keep visible ASCII ('%' included), except the
        // '#' that would end it early.
        for (int c = 0x21; c <= 0x7e; c++) QUERY_KEEP[c] = true;
        QUERY_KEEP['#'] = false;
    }

    /**
     * Appends {@code src[from..to)} to {@code out} with every {@code %XX} decoded; {@code '+'} stays
     * {@code '+'} (paths). Returns -1, or the index in {@code src} of the first {@code '%'} not
     * followed by two hex digits; then {@code out}'s length is unchanged.
     */
    public static int decodeStrict(byte[] src, int from, int to, ByteBuf out) {
        byte[] dst = out.ensureSpace(to - from);
        int w = out.length();
        for (int i = from; i < to; i++) {
            byte b = src[i];
            if (b == '%') {
                int decoded = escapedByte(src, i, to);
                if (decoded < 0) return i;
                b = (byte) decoded;
                i += 2;
            }
            dst[w++] = b;
        }
        out.setLength(w);
        return -1;
    }

    /** Index in {@code src} of the first {@code '%'} in {@code src[from..to)} not followed by two hex digits, or -1. */
    public static int indexOfBadEscape(byte[] src, int from, int to) {
        for (int i = from; i < to; i++) {
            if (src[i] == '%' && escapedByte(src, i, to) < 0) return i;
        }
        return -1;
    }

    /**
     * Appends {@code src[from..to)} to {@code out} decoded as {@code application/x-www-form-urlencoded}:
     * {@code '+'} becomes a space and {@code %XX} its byte. A {@code '%'} not followed by two hex
     * digits is kept literally, as fasthttp and browsers do, so that a sloppy query still reads.
     */
    public static void decodeForm(byte[] src, int from, int to, ByteBuf out) {
        byte[] dst = out.ensureSpace(to - from);
        int w = out.length();
        for (int i = from; i < to; i++) {
            byte b = src[i];
            if (b == '+') {
                b = ' ';
            } else if (b == '%') {
                int decoded = escapedByte(src, i, to);
                if (decoded >= 0) {
                    b = (byte) decoded;
                    i += 2;
                }
            }
            dst[w++] = b;
        }
        out.setLength(w);
    }

    /** Appends a decoded path, encoding every byte that is not a pchar or {@code '/'} as upper-case {@code %XX}. */
    public static void encodePath(byte[] src, int from, int to, ByteBuf out) {
        encode(src, from, to, out, PATH_KEEP, false);
    }

    /**
     * Appends a raw (already encoded) query or fragment, encoding only what may not appear in a
     * request line: spaces, control bytes, bytes from 0x80, and {@code '#'}.
     */
    public static void encodeQuery(byte[] src, int from, int to, ByteBuf out) {
        encode(src, from, to, out, QUERY_KEEP, false);
    }

    /** Appends form data: unreserved bytes kept, space as {@code '+'}, everything else upper-case {@code %XX}. */
    public static void encodeForm(byte[] src, int from, int to, ByteBuf out) {
        encode(src, from, to, out, FORM_KEEP, true);
    }

    private static void encode(byte[] src, int from, int to, ByteBuf out, boolean[] keep, boolean spaceAsPlus) {
        byte[] dst = out.ensureSpace(3 * (to - from));
        int w = out.length();
        for (int i = from; i < to; i++) {
            int b = src[i] & 0xff;
            if (keep[b]) {
                dst[w++] = (byte) b;
            } else if (b == ' ' && spaceAsPlus) {
                dst[w++] = '+';
            } else {
                dst[w++] = '%';
                dst[w++] = UPPER_HEX[b >>> 4];
                dst[w++] = UPPER_HEX[b & 15];
            }
        }
        out.setLength(w);
    }

    // The byte of "%XX" at src[i], or -1 when two hex digits do not follow.
    private static int escapedByte(byte[] src, int i, int to) {
        if (i + 2 >= to) return -1;
        int high = Ascii.hexValue(src[i + 1]);
        int low = Ascii.hexValue(src[i + 2]);
        return high < 0 || low < 0 ? -1 : high << 4 | low;
    }
}
