package io.fasthttp4j;

import io.fasthttp4j.internal.bytes.Ascii;

/** The strict reading of a request line (RFC 9112 §3) and of a Host value (RFC 9110 §7.2). */
final class RequestLines {
    private RequestLines() {
    }

    /** Parses {@code method SP request-target SP HTTP-version} in {@code buf[from..to)} into {@code header}. */
    static void parse(byte[] buf, int from, int to, RequestHeader header) {
        int methodEnd = from;
        while (methodEnd < to && Ascii.isTokenChar(buf[methodEnd])) methodEnd++;
        if (methodEnd == from) throw BadRequestException.of(400, "empty or invalid method in request line");
        if (methodEnd == to || buf[methodEnd] != Ascii.SP) {
            throw BadRequestException.of(400, "invalid byte %s after method in request line", describe(buf, methodEnd, to));
        }
        int uriFrom = methodEnd + 1;
        int uriEnd = uriFrom;
        while (uriEnd < to && isTargetCharButHash(buf[uriEnd])) uriEnd++;
        if (uriEnd < to && buf[uriEnd] == '#') throw BadRequestException.of(400, "fragment ('#') in request-target");
        if (uriEnd == uriFrom) throw BadRequestException.of(400, "empty request-target or more than one space after method");
        if (uriEnd == to) throw BadRequestException.of(400, "request line without HTTP version");
        if (buf[uriEnd] != Ascii.SP) {
            throw BadRequestException.of(400, "invalid byte %s in request-target", describe(buf, uriEnd, to));
        }
        boolean http11 = version(buf, uriEnd + 1, to);
        checkTarget(buf, from, methodEnd, uriFrom, uriEnd);
        header.setRequestLine(buf, from, methodEnd, uriFrom, uriEnd, uriEnd + 1, http11, -1);
    }

    /**
     * The common request line in one pass: a token method of other than 7 bytes (so neither CONNECT
     * nor OPTIONS), an origin-form target, {@code HTTP/1.1} or {@code HTTP/1.0}, CRLF. Sets the header's
     * request line and, when the path is its own normal form (no '%', no dot or empty segment), where
     * it ends. Returns the index of the line's CR, or -1 for anything else (incomplete, another form,
     * malformed), which {@link #parse} then reads after finding the line end, naming any error.
     */
    static int parseCommon(byte[] buf, int from, int to, RequestHeader header) {
        int i = from;
        if (to - from > 4 && buf[from] == 'G' && buf[from + 1] == 'E' && buf[from + 2] == 'T' && buf[from + 3] == Ascii.SP) {
            i = from + 3;   // most requests: no token scan
        } else {
            while (i < to && Ascii.isTokenChar(buf[i])) i++;
        }
        int methodEnd = i;
        if (methodEnd == from || methodEnd - from == 7 || i == to || buf[i] != Ascii.SP) return -1;
        int uriFrom = ++i;
        if (i == to || buf[i] != '/') return -1;
        int pathEnd = -1;          // the '?' that ends the path, once seen
        boolean plainPath = true;  // no '%' and no '/' followed by '.' or '/' in the path
        for (; i < to; i++) {
            byte b = buf[i];
            int kind = TARGET_KIND[b & 0xff];
            if (kind == TARGET_PLAIN) continue;
            if (kind == TARGET_END) break;
            if (pathEnd < 0) {     // '%', '/' or '?'
                if (b == '?') pathEnd = i;
                else if (b == '%' || (i + 1 < to && (buf[i + 1] == '.' || buf[i + 1] == '/'))) plainPath = false;
            }
        }
        if (i == to || buf[i] != Ascii.SP) return -1;
        int uriEnd = i;
        int v = uriEnd + 1;
        if (to - v < 10 || buf[v + 8] != Ascii.CR || buf[v + 9] != Ascii.LF) return -1;
        long version = (long) LONG_LE.get(buf, v);
        boolean http11;
        if (version == HTTP_1_1) http11 = true;
        else if (version == HTTP_1_0) http11 = false;
        else return -1;
        header.setRequestLine(buf, from, methodEnd, uriFrom, uriEnd, v, http11, plainPath ? (pathEnd < 0 ? uriEnd : pathEnd) : -1);
        return v + 8;
    }

    private static final java.lang.invoke.VarHandle LONG_LE = Ascii.LONG_LE;
    private static final long HTTP_1_1 = (long) LONG_LE.get("HTTP/1.1".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0);
    private static final long HTTP_1_0 = (long) LONG_LE.get("HTTP/1.0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0);

    // parseCommon's classes of request-target bytes: ends the target (SP, '#', anything not allowed),
    // needs a look ('%', '/', '?'), or plain.
    private static final byte TARGET_END = 0;
    private static final byte TARGET_PLAIN = 1;
    private static final byte TARGET_SPECIAL = 2;
    private static final byte[] TARGET_KIND = new byte[256];

    static {
        for (int b = 0; b < 256; b++) {
            boolean target = b != '#' && Ascii.isTargetChar((byte) b);
            TARGET_KIND[b] = !target ? TARGET_END : (b == '%' || b == '/' || b == '?') ? TARGET_SPECIAL : TARGET_PLAIN;
        }
    }

    private static final boolean[] TARGET_BUT_HASH = new boolean[256];

    static {
        for (int b = 0; b < 256; b++) TARGET_BUT_HASH[b] = b != '#' && Ascii.isTargetChar((byte) b);
    }

    // A visible ASCII byte other than '#': RFC 9112 §3.2 allows no fragment in a request-target.
    private static boolean isTargetCharButHash(byte b) {
        return TARGET_BUT_HASH[b & 0xff];
    }

    private static String describe(byte[] buf, int at, int to) {
        return at == to ? "end of line" : String.format("0x%02x", buf[at] & 0xff);
    }

    /** True for HTTP/1.1, false for HTTP/1.0; 505 for any other well-formed version, 400 for a malformed one. */
    private static boolean version(byte[] buf, int from, int to) {
        if (to - from != 8 || buf[from] != 'H' || buf[from + 1] != 'T' || buf[from + 2] != 'T' || buf[from + 3] != 'P'
                || buf[from + 4] != '/' || !Ascii.isDigit(buf[from + 5]) || buf[from + 6] != '.' || !Ascii.isDigit(buf[from + 7])) {
            throw BadRequestException.of(400, "malformed HTTP version '%s' in request line", FieldLines.printable(buf, from, to));
        }
        if (buf[from + 5] == '1' && buf[from + 7] == '1') return true;
        if (buf[from + 5] == '1' && buf[from + 7] == '0') return false;
        throw BadRequestException.of(505, "HTTP version %c.%c not supported", (char) buf[from + 5], (char) buf[from + 7]);
    }

    /** RFC 9112 §3.2: the four forms of request-target, each only where it belongs. */
    private static void checkTarget(byte[] buf, int methodFrom, int methodTo, int from, int to) {
        byte first = buf[from];
        if (first == '/' && methodTo - methodFrom != 7) return;     // origin-form, and the method is not CONNECT: the common case
        if (equals(buf, methodFrom, methodTo, "CONNECT")) {
            checkAuthority(buf, from, to, "CONNECT request-target");
            if (indexOf(buf, from, to, (byte) ':') < 0) {
                throw BadRequestException.of(400, "CONNECT request-target must be host:port");
            }
            return;
        }
        if (first == '/') return;                                   // origin-form
        if (to - from == 1 && first == '*') {                       // asterisk-form
            if (equals(buf, methodFrom, methodTo, "OPTIONS")) return;
            throw BadRequestException.of(400, "request-target '*' is only allowed with OPTIONS");
        }
        if (!isAbsoluteForm(buf, from, to)) {
            throw BadRequestException.of(400, "request-target '%s' is neither origin-form nor absolute-form", FieldLines.printable(buf, from, to));
        }
    }

    private static boolean isAbsoluteForm(byte[] buf, int from, int to) {
        int i = from;
        if (i == to || !isAlpha(buf[i])) return false;
        while (i < to && (isAlpha(buf[i]) || Ascii.isDigit(buf[i]) || buf[i] == '+' || buf[i] == '-' || buf[i] == '.')) i++;
        return to - i > 3 && buf[i] == ':' && buf[i + 1] == '/' && buf[i + 2] == '/';
    }

    /** Case-sensitive: methods are (RFC 9110 §9.1). */
    private static boolean equals(byte[] buf, int from, int to, String s) {
        if (to - from != s.length()) return false;
        for (int i = 0; i < s.length(); i++) if (buf[from + i] != s.charAt(i)) return false;
        return true;
    }

    private static boolean isAlpha(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }

    private static int indexOf(byte[] buf, int from, int to, byte b) {
        for (int i = from; i < to; i++) if (buf[i] == b) return i;
        return -1;
    }

    /** RFC 9110 §7.2: Host = uri-host [ ":" port ]; empty is allowed when the target has no authority. */
    static void checkHost(ByteView host) {
        checkAuthority(host.array(), host.offset(), host.offset() + host.length(), "Host header");
    }

    /** RFC 3986 §3.2.2-3: host (an IP literal in brackets, or a reg-name) and an optional numeric port. */
    private static void checkAuthority(byte[] buf, int from, int to, String what) {
        int hostEnd;
        if (from < to && buf[from] == '[') {
            int close = indexOf(buf, from, to, (byte) ']');
            if (close < 0) throw BadRequestException.of(400, "unclosed '[' in %s", what);
            for (int i = from + 1; i < close; i++) {
                byte b = buf[i];
                if (Ascii.hexValue(b) < 0 && b != ':' && b != '.') throw BadRequestException.of(400, "invalid byte 0x%02x in IP literal of %s", b & 0xff, what);
            }
            hostEnd = close + 1;
            if (hostEnd < to && buf[hostEnd] != ':') throw BadRequestException.of(400, "invalid byte 0x%02x after IP literal in %s", buf[hostEnd] & 0xff, what);
        } else {
            hostEnd = from;
            while (hostEnd < to && buf[hostEnd] != ':') {
                if (!isRegNameChar(buf[hostEnd])) throw BadRequestException.of(400, "invalid byte 0x%02x in %s", buf[hostEnd] & 0xff, what);
                hostEnd++;
            }
        }
        if (hostEnd < to) checkPort(buf, hostEnd + 1, to, what);
    }

    private static void checkPort(byte[] buf, int from, int to, String what) {
        if (to - from > 5) throw BadRequestException.of(400, "port out of range in %s", what);
        int port = 0;
        for (int i = from; i < to; i++) {
            if (!Ascii.isDigit(buf[i])) throw BadRequestException.of(400, "invalid byte 0x%02x in port of %s", buf[i] & 0xff, what);
            port = port * 10 + buf[i] - '0';
        }
        if (port > 65535) throw BadRequestException.of(400, "port %d out of range in %s", port, what);
    }

    // reg-name = *( unreserved / pct-encoded / sub-delims ): RFC 3986 §3.2.2
    private static final boolean[] REG_NAME = new boolean[256];

    static {
        for (int b = 0; b < 256; b++) {
            REG_NAME[b] = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || "-._~%!$&'()*+,;=".indexOf(b) >= 0;
        }
    }

    private static boolean isRegNameChar(byte b) {
        return REG_NAME[b & 0xff];
    }
}
