package io.fasthttp4j;

import io.fasthttp4j.internal.bytes.Ascii;

/** The strict reading of one line of an HTTP/1.1 header section (RFC 9112 §2.2, §5). */
final class FieldLines {
    private FieldLines() {
    }

    /**
     * Index of the CR of the CRLF that ends the line starting at {@code from}, or -1 if no line end
     * is in {@code buf[from..to)} yet. A CR not followed by LF, or an LF without CR, is refused:
     * RFC 9112 §2.2 lets us reject bare CR, and a lenient reading of line ends is how two parsers
     * come to disagree about where a message ends (request smuggling).
     */
    static int lineEnd(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b == Ascii.LF) throw BadRequestException.of(400, "bare LF at offset %d: lines must end with CRLF", i - from);
            if (b == Ascii.CR) {
                if (i + 1 == to) return -1;
                if (buf[i + 1] != Ascii.LF) throw BadRequestException.of(400, "bare CR at offset %d", i - from);
                return i;
            }
        }
        return -1;
    }

    /**
     * Parses the field line that starts at {@code buf[from]} (not an empty line) and adds the field to
     * {@code fields}; returns the index of the CR that ends it, or -1 when the line is not complete.
     * One pass for a well-formed line: the name's token bytes, the colon, the value's bytes up to the
     * CRLF. Anything else is handed to {@link #lineEnd} and {@link #parseField}, which find the error
     * and name it exactly as they would have with the line found first.
     */
    static int parseFieldLine(byte[] buf, int from, int to, HeaderFields fields) {
        int i = from;
        while (i < to && Ascii.isTokenChar(buf[i])) i++;
        if (i == to) return -1;
        if (buf[i] != ':' || i == from) return parseFieldSlowly(buf, from, to, fields);
        int colon = i++;
        i = Ascii.skipFieldValue(buf, i, to);
        if (i == to) return -1;
        if (buf[i] != Ascii.CR || i + 1 == to || buf[i + 1] != Ascii.LF) return parseFieldSlowly(buf, from, to, fields);
        int valueFrom = Ascii.skipOws(buf, colon + 1, i);
        fields.addView(buf, from, colon, valueFrom, Ascii.trimOwsEnd(buf, valueFrom, i));
        return i;
    }

    private static int parseFieldSlowly(byte[] buf, int from, int to, HeaderFields fields) {
        int lineEnd = lineEnd(buf, from, to);
        if (lineEnd < 0) return -1;
        parseField(buf, from, lineEnd, fields);
        return lineEnd;
    }

    /** Parses {@code name ":" OWS value OWS} in {@code buf[from..to)} and adds it to {@code fields}. */
    static void parseField(byte[] buf, int from, int to, HeaderFields fields) {
        byte first = buf[from];
        if (first == Ascii.SP || first == Ascii.HTAB) {
            // RFC 9112 §5.2: obs-fold is obsolete; a server may reject it, and we do.
            throw BadRequestException.of(400, "obsolete line folding in header section");
        }
        int colon = from;
        while (colon < to && Ascii.isTokenChar(buf[colon])) colon++;
        if (colon == to) throw BadRequestException.of(400, "header line without a colon: '%s'", printable(buf, from, to));
        if (buf[colon] != ':') {
            if (buf[colon] == Ascii.SP || buf[colon] == Ascii.HTAB) {
                // RFC 9112 §5.1: no whitespace between name and colon; servers MUST reject it with 400.
                throw BadRequestException.of(400, "whitespace between header name '%s' and colon", printable(buf, from, colon));
            }
            throw BadRequestException.of(400, "invalid byte 0x%02x in header name '%s'", buf[colon] & 0xff, printable(buf, from, colon));
        }
        if (colon == from) throw BadRequestException.of(400, "empty header name");
        int valueFrom = Ascii.skipOws(buf, colon + 1, to);
        int valueTo = Ascii.trimOwsEnd(buf, valueFrom, to);
        for (int i = valueFrom; i < valueTo; i++) {
            if (!Ascii.isFieldValueChar(buf[i])) {
                throw BadRequestException.of(400, "invalid byte 0x%02x in value of header '%s'", buf[i] & 0xff, printable(buf, from, colon));
            }
        }
        fields.addView(buf, from, colon, valueFrom, valueTo);
    }

    /** At most 64 bytes of {@code buf[from..to)}, non-printable bytes escaped: safe to put in a message or a log. */
    static String printable(byte[] buf, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < Math.min(to, from + 64); i++) {
            int b = buf[i] & 0xff;
            if (b >= 0x20 && b < 0x7f) sb.append((char) b);
            else sb.append(String.format("\\x%02x", b));
        }
        if (to - from > 64) sb.append("...");
        return sb.toString();
    }
}
