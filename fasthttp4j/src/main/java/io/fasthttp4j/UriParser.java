package io.fasthttp4j;

import io.fasthttp4j.internal.bytes.Ascii;
import io.fasthttp4j.internal.bytes.Numbers;
import io.fasthttp4j.internal.bytes.PercentCodec;
import io.fasthttp4j.pool.ByteBuf;

/**
 * The strict reading of bytes into a {@link Uri}'s parts: a request-target (RFC 9112 §3.2), and a
 * reference resolved against a URI (RFC 3986 §5.2.2). Errors are {@link BadRequestException}s with
 * status 400; the offsets in their messages count from {@code base}.
 */
final class UriParser {
    private static final boolean[] HOST = new boolean[256];
    private static final boolean[] SCHEME = new boolean[256];

    static {
        // RFC 3986 §3.2.2: reg-name = *( unreserved / pct-encoded / sub-delims ).
        for (char c : "-._~%!$&'()*+,;=".toCharArray()) HOST[c] = true;
        // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
        for (char c : "+-.".toCharArray()) SCHEME[c] = true;
        for (int c = '0'; c <= '9'; c++) HOST[c] = SCHEME[c] = true;
        for (int c = 'a'; c <= 'z'; c++) HOST[c] = SCHEME[c] = true;
        for (int c = 'A'; c <= 'Z'; c++) HOST[c] = SCHEME[c] = true;
    }

    private UriParser() {
    }

    /** Reads the request-target in {@code buf[from..to)} into {@code uri}, which is empty; see {@link Uri#parse(byte[], int, int)}. */
    static void parseTarget(Uri uri, byte[] buf, int from, int to) {
        if (from >= to) throw BadRequestException.of(400, "empty request target");
        for (int i = from; i < to; i++) {
            if (!Ascii.isTargetChar(buf[i])) {   // RFC 9112 §3.2: anything else must be percent-encoded
                int b = buf[i] & 0xff;
                throw BadRequestException.of(400, "invalid byte 0x%02x in request target at offset %d", b, i - from);
            }
        }
        int colon = schemeEnd(buf, from, to);
        if (buf[from] == '/') {
            parsePathQueryHash(uri, buf, from, to, from);
        } else if (to - from == 1 && buf[from] == '*') {
            uri.pathOriginal.append((byte) '*');
            uri.path.append((byte) '*');
        } else if (colon >= 0 && startsWithSlashes(buf, colon + 1, to)) {
            parseAfterScheme(uri, buf, from, colon, to, from);
            if (uri.host.isEmpty()) throw BadRequestException.of(400, "empty host in request target");   // RFC 9110 §4.2.1
        } else if (indexOfAny(buf, from, to, "/?#@") == to && indexOf(buf, from, to, ':') < to) {
            parseAuthorityForm(uri, buf, from, to);
        } else {
            throw BadRequestException.of(400, "request path must start with '/' at offset 0");
        }
    }

    /**
     * Resolves the reference {@code ref[0..n)} against {@code uri} in place (RFC 3986 §5.2.2, strict):
     * the target takes the reference's parts from the first one the reference defines. On an error
     * {@code uri} is left half-changed: {@link Uri#resolve} works on a copy.
     */
    static void resolve(Uri uri, byte[] ref, int n) {
        int colon = schemeEnd(ref, 0, n);
        if (colon >= 0) {                                // R.scheme defined: T = R
            uri.reset();
            parseAfterScheme(uri, ref, 0, colon, n, 0);
            return;
        }
        uri.hash.reset();                                // T.fragment = R.fragment, always
        if (startsWithSlashes(ref, 0, n)) {              // R.authority defined: keep only the scheme
            uri.removeAuthority();
            uri.queryString.reset();
            int authorityEnd = indexOfAny(ref, 2, n, "/?#");
            parseAuthority(uri, ref, 2, authorityEnd, 0, true);
            parsePathQueryHash(uri, ref, authorityEnd, n, 0);
            return;
        }
        int hashAt = indexOf(ref, 0, n, '#');
        int queryAt = indexOf(ref, 0, hashAt, '?');
        if (queryAt > 0) UriPaths.merge(uri, ref, queryAt);   // R.path non-empty
        if (queryAt > 0 || queryAt < hashAt) {           // T.query = R.query, unless R is only a fragment
            uri.queryString.reset();
            if (queryAt < hashAt) uri.queryString.append(ref, queryAt + 1, hashAt - queryAt - 1);
        }
        if (hashAt < n) uri.hash.append(ref, hashAt + 1, n - hashAt - 1);
    }

    private static void parseAuthorityForm(Uri uri, byte[] buf, int from, int to) {   // RFC 9112 §3.2.3: uri-host ":" port
        parseAuthority(uri, buf, from, to, from, false);
        if (uri.host.isEmpty()) throw BadRequestException.of(400, "empty host in request target");
        if (uri.port < 0) throw BadRequestException.of(400, "missing port in authority-form request target");
    }

    // buf[schemeFrom..colon) is a valid scheme: the rest is "//authority path?query#hash" or "path?query#hash".
    private static void parseAfterScheme(Uri uri, byte[] buf, int schemeFrom, int colon, int to, int base) {
        appendLower(uri.scheme, buf, schemeFrom, colon);
        int from = colon + 1;
        if (startsWithSlashes(buf, from, to)) {
            int authorityEnd = indexOfAny(buf, from + 2, to, "/?#");
            parseAuthority(uri, buf, from + 2, authorityEnd, base, true);
            from = authorityEnd;
        }
        parsePathQueryHash(uri, buf, from, to, base);
    }

    private static void parseAuthority(Uri uri, byte[] buf, int from, int to, int base, boolean userinfoAllowed) {
        uri.hasAuthority = true;
        int at = lastIndexOf(buf, from, to, '@');
        if (at >= 0) {
            if (!userinfoAllowed) throw BadRequestException.of(400, "userinfo in authority-form request target");
            int colon = indexOf(buf, from, at, ':');
            uri.username.append(buf, from, colon - from);
            if (colon < at) uri.password.append(buf, colon + 1, at - colon - 1);
            from = at + 1;
        }
        int hostEnd = hostEnd(buf, from, to, base);
        appendLower(uri.host, buf, from, hostEnd);
        if (hostEnd < to) uri.port = parsePort(buf, hostEnd + 1, to, base);
    }

    /** End of the host in {@code buf[from..to)}: checks its bytes; what follows is nothing or ':' port. */
    static int hostEnd(byte[] buf, int from, int to, int base) {
        int end = from < to && buf[from] == '[' ? indexOf(buf, from, to, ']') + 1 : indexOf(buf, from, to, ':');
        if (end > to) throw BadRequestException.of(400, "unclosed '[' in host at offset %d", from - base);
        boolean literal = end > from && buf[from] == '[';   // RFC 3986 §3.2.2: IP-literal = "[" ... "]"
        for (int i = literal ? from + 1 : from; i < (literal ? end - 1 : end); i++) {
            if (!HOST[buf[i] & 0xff] && !(literal && buf[i] == ':')) {
                throw BadRequestException.of(400, "invalid byte 0x%02x in host at offset %d", buf[i] & 0xff, i - base);
            }
        }
        int bad = PercentCodec.indexOfBadEscape(buf, from, end);
        if (bad >= 0) throw BadRequestException.of(400, "invalid percent-escape in host at offset %d", bad - base);
        if (end < to && buf[end] != ':') {
            throw BadRequestException.of(400, "invalid byte after host at offset %d", end - base);
        }
        return end;
    }

    private static int parsePort(byte[] buf, int from, int to, int base) {
        boolean digits = to - from <= 5 && from < to && Ascii.isDigit(buf[from]);   // no sign, at most 65535's length
        int value = digits ? Numbers.parseInt(buf, from, to) : -1;
        if (value < 1 || value > 65535) {
            throw BadRequestException.of(400, "invalid port in request target at offset %d", from - base);
        }
        return value;
    }

    private static void parsePathQueryHash(Uri uri, byte[] buf, int from, int to, int base) {
        int hashAt = indexOf(buf, from, to, '#');
        int queryAt = indexOf(buf, from, hashAt, '?');   // a '?' after '#' belongs to the fragment
        int bad = UriPaths.set(uri, buf, from, queryAt, false);
        if (bad >= 0) {
            throw BadRequestException.of(400, "invalid percent-escape in request path at offset %d", bad - base);
        }
        if (queryAt < hashAt) uri.queryString.append(buf, queryAt + 1, hashAt - queryAt - 1);
        if (hashAt < to) uri.hash.append(buf, hashAt + 1, to - hashAt - 1);
    }

    /** Index of the ':' ending a scheme at {@code buf[from..)}, -1 when there is none, -2 when all of {@code buf[from..to)} is a scheme. */
    static int schemeEnd(byte[] buf, int from, int to) {
        if (from >= to || !isAlpha(buf[from])) return -1;
        int i = from + 1;
        while (i < to && SCHEME[buf[i] & 0xff]) i++;
        if (i == to) return -2;
        return buf[i] == ':' ? i : -1;
    }

    private static boolean isAlpha(byte b) {
        byte lower = Ascii.lower(b);
        return lower >= 'a' && lower <= 'z';
    }

    private static boolean startsWithSlashes(byte[] buf, int from, int to) {
        return to - from >= 2 && buf[from] == '/' && buf[from + 1] == '/';
    }

    /** Appends {@code src[from..to)} to {@code dst}, ASCII letters lower-cased. */
    static void appendLower(ByteBuf dst, byte[] src, int from, int to) {
        byte[] a = dst.ensureSpace(to - from);
        int w = dst.length();
        for (int i = from; i < to; i++) a[w++] = Ascii.lower(src[i]);
        dst.setLength(w);
    }

    /** Index of the first {@code b} in {@code buf[from..to)}, or {@code to}. */
    static int indexOf(byte[] buf, int from, int to, char b) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) return i;
        }
        return to;
    }

    // Index of the first byte of buf[from..to) that is one of chars (ASCII), or to.
    private static int indexOfAny(byte[] buf, int from, int to, String chars) {
        for (int i = from; i < to; i++) {
            if (chars.indexOf(buf[i]) >= 0) return i;
        }
        return to;
    }

    /** Index of the last {@code b} in {@code buf[from..to)}, or -1. */
    static int lastIndexOf(byte[] buf, int from, int to, char b) {
        for (int i = to - 1; i >= from; i--) {
            if (buf[i] == b) return i;
        }
        return -1;
    }
}
