package io.fasthttp4j;

import io.fasthttp4j.internal.bytes.Ascii;
import io.fasthttp4j.internal.bytes.Numbers;
import io.fasthttp4j.internal.bytes.PercentCodec;
import io.fasthttp4j.pool.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A request-target or URI, parsed into its parts and held in its own buffers: scheme, userinfo,
 * host, port, path (raw and normalised), query string and fragment.
 *
 * <p>Reusable: {@link #reset()} empties it and keeps its arrays, so a reused {@code Uri} parses
 * without allocating once it has grown. Views it returns are valid until this object is reset or
 * changed; copy what you need to keep. Not thread-safe.
 */
public final class Uri {
    private final ByteBuf scheme = new ByteBuf(8);          // lower-cased; empty for origin-form
    private final ByteBuf username = new ByteBuf(0);        // raw, escapes not decoded
    private final ByteBuf password = new ByteBuf(0);        // raw, escapes not decoded
    private final ByteBuf host = new ByteBuf(32);           // lower-cased; an IP literal keeps its brackets
    private int port = -1;
    private boolean hasAuthority;                           // "//" authority present, or authority-form
    private final ByteBuf pathOriginal = new ByteBuf(64);   // as received
    private final ByteBuf path = new ByteBuf(64);           // decoded and normalised
    private final ByteBuf queryString = new ByteBuf(64);    // raw, without '?'
    private final ByteBuf hash = new ByteBuf(0);            // raw, without '#'
    private final Args queryArgs = new Args();
    private boolean queryArgsParsed;

    /** Empties this object; keeps its arrays. */
    public void reset() {
        scheme.reset();
        username.reset();
        password.reset();
        host.reset();
        port = -1;
        hasAuthority = false;
        pathOriginal.reset();
        path.reset();
        queryString.reset();
        hash.reset();
        queryArgs.reset();
        queryArgsParsed = false;
    }

    // Working space and views, not state: reset() leaves them, every use overwrites them.
    private final ByteBuf scratch = new ByteBuf(0);
    private final ByteBuf merged = new ByteBuf(0);
    private Uri resolved;                                   // created by the first resolve()
    private final ByteView schemeView = new ByteView();
    private final ByteView usernameView = new ByteView();
    private final ByteView passwordView = new ByteView();
    private final ByteView hostView = new ByteView();
    private final ByteView pathOriginalView = new ByteView();
    private final ByteView pathView = new ByteView();
    private final ByteView queryStringView = new ByteView();
    private final ByteView hashView = new ByteView();

    private static final byte[] SLASH = {'/'};
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

    /** An empty URI; {@link #path()} reads {@code "/"}. */
    public Uri() {
    }

    /**
     * Replaces the content with the request-target in {@code buf[from..to)} (RFC 9112 §3.2):
     * origin-form {@code /p?q}, absolute-form {@code http://user:pw@host:8080/p?q}, authority-form
     * {@code host:443} (CONNECT) or asterisk-form {@code *}. A {@code #fragment} is accepted and
     * kept in {@link #hash()}. The bytes are copied; {@code buf} may be reused afterwards.
     *
     * @throws BadRequestException (400) for an empty target, a byte that is not visible ASCII, a
     *     bad percent-escape in the path, a bad host or port, or a target of none of the four forms;
     *     offsets in the message count from {@code from}
     */
    public void parse(byte[] buf, int from, int to) {
        reset();
        if (from >= to) throw BadRequestException.of(400, "empty request target");
        for (int i = from; i < to; i++) {
            if (!Ascii.isTargetChar(buf[i])) {   // RFC 9112 §3.2: anything else must be percent-encoded
                int b = buf[i] & 0xff;
                throw BadRequestException.of(400, "invalid byte 0x%02x in request target at offset %d", b, i - from);
            }
        }
        int colon = schemeEnd(buf, from, to);
        if (buf[from] == '/') {
            parsePathQueryHash(buf, from, to, from);
        } else if (to - from == 1 && buf[from] == '*') {
            pathOriginal.append((byte) '*');
            path.append((byte) '*');
        } else if (colon >= 0 && startsWithSlashes(buf, colon + 1, to)) {
            parseAfterScheme(buf, from, colon, to, from);
            if (host.isEmpty()) throw BadRequestException.of(400, "empty host in request target");   // RFC 9110 §4.2.1
        } else if (indexOfAny(buf, from, to, "/?#@") == to && indexOf(buf, from, to, ':') < to) {
            parseAuthorityForm(buf, from, to);
        } else {
            throw BadRequestException.of(400, "request path must start with '/' at offset 0");
        }
    }

    /**
     * Replaces the content with the request-target {@code uri}, taken as UTF-8; see {@link
     * #parse(byte[], int, int)}.
     */
    public void parse(String uri) {
        byte[] bytes = uri.getBytes(StandardCharsets.UTF_8);
        parse(bytes, 0, bytes.length);
    }

    private void parseAuthorityForm(byte[] buf, int from, int to) {   // RFC 9112 §3.2.3: uri-host ":" port
        parseAuthority(buf, from, to, from, false);
        if (host.isEmpty()) throw BadRequestException.of(400, "empty host in request target");
        if (port < 0) throw BadRequestException.of(400, "missing port in authority-form request target");
    }

    // buf[schemeFrom..colon) is a valid scheme: the rest is "//authority path?query#hash" or "path?query#hash".
    private void parseAfterScheme(byte[] buf, int schemeFrom, int colon, int to, int base) {
        appendLower(scheme, buf, schemeFrom, colon);
        int from = colon + 1;
        if (startsWithSlashes(buf, from, to)) {
            int authorityEnd = indexOfAny(buf, from + 2, to, "/?#");
            parseAuthority(buf, from + 2, authorityEnd, base, true);
            from = authorityEnd;
        }
        parsePathQueryHash(buf, from, to, base);
    }

    private void parseAuthority(byte[] buf, int from, int to, int base, boolean userinfoAllowed) {
        hasAuthority = true;
        int at = lastIndexOf(buf, from, to, '@');
        if (at >= 0) {
            if (!userinfoAllowed) throw BadRequestException.of(400, "userinfo in authority-form request target");
            int colon = indexOf(buf, from, at, ':');
            username.append(buf, from, colon - from);
            if (colon < at) password.append(buf, colon + 1, at - colon - 1);
            from = at + 1;
        }
        int hostEnd = hostEnd(buf, from, to, base);
        appendLower(host, buf, from, hostEnd);
        if (hostEnd < to) port = parsePort(buf, hostEnd + 1, to, base);
    }

    // End of the host in buf[from..to): checks its bytes; what follows is nothing or ':' port.
    private static int hostEnd(byte[] buf, int from, int to, int base) {
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

    private void parsePathQueryHash(byte[] buf, int from, int to, int base) {
        int hashAt = indexOf(buf, from, to, '#');
        int queryAt = indexOf(buf, from, hashAt, '?');   // a '?' after '#' belongs to the fragment
        int bad = setPathBytes(buf, from, queryAt, false);
        if (bad >= 0) {
            throw BadRequestException.of(400, "invalid percent-escape in request path at offset %d", bad - base);
        }
        if (queryAt < hashAt) queryString.append(buf, queryAt + 1, hashAt - queryAt - 1);
        if (hashAt < to) hash.append(buf, hashAt + 1, to - hashAt - 1);
    }

    // Sets pathOriginal to buf[from..to) and path to it decoded and normalised; returns -1. Or
    // changes nothing and returns the index of a bad percent-escape. A rootless path ("h" in "g:h")
    // is decoded only.
    private int setPathBytes(byte[] buf, int from, int to, boolean forceRoot) {
        if (isPlainRootedPath(buf, from, to)) {   // the common case: nothing to decode or resolve
            pathOriginal.reset();
            pathOriginal.append(buf, from, to - from);
            path.reset();
            path.append(buf, from, to - from);
            return -1;
        }
        int bad = PercentCodec.indexOfBadEscape(buf, from, to);
        if (bad >= 0) return bad;
        pathOriginal.reset();
        pathOriginal.append(buf, from, to - from);
        path.reset();
        if (forceRoot && (from == to || buf[from] != '/')) path.append((byte) '/');
        PercentCodec.decodeStrict(buf, from, to, path);
        if (!path.isEmpty() && path.array()[0] == '/') removeDotSegments(path);
        return -1;
    }

    // True for "/" followed by visible ASCII bytes without '%' (nothing to decode) in which no '/' is
    // followed by '.' or '/' (no dot segment, no empty segment): such a path is its own normal form.
    /** True when every byte of {@code buf[from..to)} may appear in a request-target (parse would accept them). */
    static boolean areTargetChars(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) if (!Ascii.isTargetChar(buf[i])) return false;
        return true;
    }

    static boolean isPlainRootedPath(byte[] buf, int from, int to) {
        if (from == to || buf[from] != '/') return false;
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b == '%' || !Ascii.isTargetChar(b)) return false;
            if (b == '/' && i + 1 < to && (buf[i + 1] == '.' || buf[i + 1] == '/')) return false;
        }
        return true;
    }

    // RFC 3986 §5.2.4 in place, on a path that starts with '/': "." and ".." resolved (never above
    // the root), empty segments ("//") dropped, a trailing slash kept. Output never outruns input.
    private static void removeDotSegments(ByteBuf p) {
        byte[] a = p.array();
        int n = p.length();
        int w = 0;
        for (int r = 0; r < n; ) {                      // a[r] == '/'
            int s = r + 1;
            while (s < n && a[s] == '/') s++;
            int e = indexOf(a, s, n, '/');
            boolean dot = e - s == 1 && a[s] == '.';
            boolean dotDot = e - s == 2 && a[s] == '.' && a[s + 1] == '.';
            if (dotDot) w = Math.max(lastIndexOf(a, 0, w, '/'), 0);   // drop the last output segment
            if (dot || dotDot) {
                if (e == n) a[w++] = '/';
            } else {
                a[w++] = '/';
                System.arraycopy(a, s, a, w, e - s);
                w += e - s;
            }
            r = e;
        }
        p.setLength(w);
    }

    /**
     * Resolves {@code reference} against this URI in place (RFC 3986 §5.2.2, strict), as a client
     * follows a redirect: a reference with a scheme replaces everything, {@code //host/p} keeps the
     * scheme, {@code /p} replaces the path, {@code p} or {@code ../p} merges with it, {@code ?q}
     * replaces the query, {@code #f} the fragment. The fragment is always the reference's.
     *
     * @throws IllegalArgumentException for a control byte, a bad percent-escape, host or port
     */
    public void resolve(String reference) {
        checkNoControls(reference, "reference");
        if (resolved == null) resolved = new Uri();
        copyTo(resolved);   // resolved on a copy, so that a bad reference leaves this URI as it was
        resolved.scratch.reset();
        resolved.scratch.append(reference);
        try {
            resolved.resolveInPlace(resolved.scratch.array(), resolved.scratch.length());
        } catch (BadRequestException e) {
            throw new IllegalArgumentException("invalid reference: " + e.getMessage());
        }
        resolved.copyTo(this);
    }

    // RFC 3986 §5.2.2 on ref[0..n), strict: T takes R's parts from the first one R defines.
    private void resolveInPlace(byte[] ref, int n) {
        int colon = schemeEnd(ref, 0, n);
        if (colon >= 0) {                                // R.scheme defined: T = R
            reset();
            parseAfterScheme(ref, 0, colon, n, 0);
            return;
        }
        hash.reset();                                    // T.fragment = R.fragment, always
        if (startsWithSlashes(ref, 0, n)) {              // R.authority defined: keep only the scheme
            clearAuthority();
            queryString.reset();
            int authorityEnd = indexOfAny(ref, 2, n, "/?#");
            parseAuthority(ref, 2, authorityEnd, 0, true);
            parsePathQueryHash(ref, authorityEnd, n, 0);
            return;
        }
        int hashAt = indexOf(ref, 0, n, '#');
        int queryAt = indexOf(ref, 0, hashAt, '?');
        if (queryAt > 0) mergePath(ref, queryAt);        // R.path non-empty
        if (queryAt > 0 || queryAt < hashAt) {           // T.query = R.query, unless R is only a fragment
            queryString.reset();
            if (queryAt < hashAt) queryString.append(ref, queryAt + 1, hashAt - queryAt - 1);
        }
        if (hashAt < n) hash.append(ref, hashAt + 1, n - hashAt - 1);
    }

    // RFC 3986 §5.2.3: an absolute reference path replaces ours; a relative one replaces our last segment.
    private void mergePath(byte[] ref, int to) {
        merged.reset();
        if (ref[0] != '/') {
            if (hasAuthority && path.isEmpty()) {
                merged.append((byte) '/');
            } else {
                PercentCodec.encodePath(path.array(), 0, lastIndexOf(path.array(), 0, path.length(), '/') + 1, merged);
            }
        }
        merged.append(ref, 0, to);
        int bad = setPathBytes(merged.array(), 0, merged.length(), false);
        if (bad >= 0) throw BadRequestException.of(400, "invalid percent-escape in path at offset %d", bad);
    }

    private void clearAuthority() {
        username.reset();
        password.reset();
        host.reset();
        port = -1;
        hasAuthority = false;
    }

    /**
     * Lower-cased scheme, empty when absent. Valid until this object is reset or changed; copy what
     * you need to keep.
     */
    public ByteView scheme() {
        return view(schemeView, scheme);
    }

    /**
     * Lower-cased host; an IP literal keeps its brackets ({@code [::1]}). Valid until this object is
     * reset or changed; copy what you need to keep.
     */
    public ByteView host() {
        return view(hostView, host);
    }

    /** The port, or -1 when none was given (no default is derived from the scheme). */
    public int port() {
        return port;
    }

    /**
     * The userinfo's user name, raw (escapes not decoded). Valid until this object is reset or
     * changed; copy what you need to keep.
     */
    public ByteView username() {
        return view(usernameView, username);
    }

    /**
     * The userinfo's password, raw (escapes not decoded). Valid until this object is reset or changed;
     * copy what you need to keep.
     */
    public ByteView password() {
        return view(passwordView, password);
    }

    /**
     * The path percent-decoded, with {@code "//"} collapsed and {@code "."} and {@code ".."} resolved
     * (never above the root); {@code "/"} when the path is empty; {@code "*"} for asterisk-form.
     * What a handler should route on. Valid until this object is reset or changed; copy what you need to keep.
     */
    public ByteView path() {
        if (path.isEmpty()) {
            pathView.set(SLASH, 0, 1);
            return pathView;
        }
        return view(pathView, path);
    }

    /**
     * The path as received (or as given to {@link #setPath}). Valid until this object is reset or
     * changed; copy what you need to keep.
     */
    public ByteView pathOriginal() {
        return view(pathOriginalView, pathOriginal);
    }

    /**
     * The query, raw and without {@code '?'}; empty when absent. Valid until this object is reset or
     * changed; copy what you need to keep.
     */
    public ByteView queryString() {
        return view(queryStringView, queryString);
    }

    /**
     * The fragment, raw and without {@code '#'}; empty when absent. Valid until this object is reset
     * or changed; copy what you need to keep.
     */
    public ByteView hash() {
        return view(hashView, hash);
    }

    /**
     * The query string's arguments, parsed on the first call and kept until this object is reset or
     * changed. A parsed copy: changing it does not change {@link #queryString()}; to send changed
     * arguments, call {@code setQueryString(args.toString())}.
     */
    public Args queryArgs() {
        if (!queryArgsParsed) {
            queryArgs.parse(queryString.array(), 0, queryString.length());
            queryArgsParsed = true;
        }
        return queryArgs;
    }

    /** True when this URI has a scheme (absolute-form, or after resolving an absolute reference). */
    public boolean isAbsolute() {
        return !scheme.isEmpty();
    }

    /** Sets the scheme, lower-cased; empty removes it. Refuses what is not a scheme with IllegalArgumentException. */
    public void setScheme(String value) {
        checkNoControls(value, "scheme");
        scratch.reset();
        scratch.append(value);
        if (!value.isEmpty() && schemeEnd(scratch.array(), 0, scratch.length()) != -2) {
            throw new IllegalArgumentException("invalid scheme \"" + value + "\"");
        }
        scheme.reset();
        appendLower(scheme, scratch.array(), 0, scratch.length());
    }

    /**
     * Sets the host, lower-cased; empty removes the authority. The port stays: set it with {@link #setPort}.
     *
     * @throws IllegalArgumentException for a byte a host cannot hold, or a port
     */
    public void setHost(String value) {
        checkNoControls(value, "host");
        scratch.reset();
        scratch.append(value);
        int end;
        try {
            end = hostEnd(scratch.array(), 0, scratch.length(), 0);
        } catch (BadRequestException e) {
            throw new IllegalArgumentException("invalid host \"" + value + "\": " + e.getMessage());
        }
        if (end < scratch.length()) throw new IllegalArgumentException("port in host \"" + value + "\": use setPort");
        host.reset();
        appendLower(host, scratch.array(), 0, scratch.length());
        hasAuthority = !host.isEmpty();
    }

    /** Sets the port; -1 removes it. Refuses other values outside 1..65535 with IllegalArgumentException. */
    public void setPort(int value) {
        if (value != -1 && (value < 1 || value > 65535)) throw new IllegalArgumentException("invalid port " + value);
        port = value;
    }

    /**
     * Sets the path from its encoded form, as in a request line: {@code "/a%20b"} reads as {@code "/a b"}.
     * A missing leading {@code '/'} is added; the path is then normalised as by {@link #parse}.
     *
     * @throws IllegalArgumentException for a control byte or a bad percent-escape
     */
    public void setPath(String value) {
        checkNoControls(value, "path");
        scratch.reset();
        scratch.append(value);
        int bad = setPathBytes(scratch.array(), 0, scratch.length(), true);
        if (bad >= 0) throw new IllegalArgumentException("invalid percent-escape in path at index " + bad);
    }

    /** Sets the raw query string, without {@code '?'}. Refuses control characters with IllegalArgumentException. */
    public void setQueryString(String value) {
        checkNoControls(value, "query string");
        queryString.reset();
        queryString.append(value);
        queryArgsParsed = false;
    }

    /** Sets the raw fragment, without {@code '#'}. Refuses control characters with IllegalArgumentException. */
    public void setHash(String value) {
        checkNoControls(value, "hash");
        hash.reset();
        hash.append(value);
    }

    /**
     * Appends what a client writes as an origin-form request-target: the path re-encoded
     * ({@code "/"} when empty), then {@code ?query} if there is one. (A CONNECT request writes
     * {@link #host()} and {@link #port()} instead.)
     */
    public void appendRequestUri(ByteBuf out) {
        if (path.isEmpty()) {
            out.append((byte) '/');
        } else {
            PercentCodec.encodePath(path.array(), 0, path.length(), out);
        }
        appendQuery(out);
    }

    /** Appends {@code scheme://[userinfo@]host[:port]/path?query#hash}, leaving out the parts that are absent. */
    public void appendFullUri(ByteBuf out) {
        if (!scheme.isEmpty()) out.append(scheme.array(), 0, scheme.length()).append((byte) ':');
        if (hasAuthority) appendAuthority(out);
        PercentCodec.encodePath(path.array(), 0, path.length(), out);
        appendQuery(out);
        if (!hash.isEmpty()) {
            out.append((byte) '#');
            PercentCodec.encodeQuery(hash.array(), 0, hash.length(), out);
        }
    }

    private void appendAuthority(ByteBuf out) {
        boolean authorityForm = scheme.isEmpty() && path.isEmpty() && queryString.isEmpty() && hash.isEmpty();
        if (!authorityForm) out.append((byte) '/').append((byte) '/');
        if (!username.isEmpty() || !password.isEmpty()) {
            out.append(username.array(), 0, username.length());
            if (!password.isEmpty()) out.append((byte) ':').append(password.array(), 0, password.length());
            out.append((byte) '@');
        }
        out.append(host.array(), 0, host.length());
        if (port >= 0) out.append((byte) ':').appendDecimal(port);
    }

    private void appendQuery(ByteBuf out) {
        if (queryString.isEmpty()) return;
        out.append((byte) '?');
        PercentCodec.encodeQuery(queryString.array(), 0, queryString.length(), out);
    }

    /** The full URI, as {@link #appendFullUri(ByteBuf)} writes it. Allocates. */
    @Override
    public String toString() {
        ByteBuf out = new ByteBuf();
        appendFullUri(out);
        return out.toString();
    }

    /** Makes {@code dst} an independent copy of this URI, reusing {@code dst}'s arrays. */
    public void copyTo(Uri dst) {
        dst.reset();
        copy(scheme, dst.scheme);
        copy(username, dst.username);
        copy(password, dst.password);
        copy(host, dst.host);
        dst.port = port;
        dst.hasAuthority = hasAuthority;
        copy(pathOriginal, dst.pathOriginal);
        copy(path, dst.path);
        copy(queryString, dst.queryString);
        copy(hash, dst.hash);
    }

    private static void copy(ByteBuf src, ByteBuf dst) {
        dst.append(src.array(), 0, src.length());
    }

    private static ByteView view(ByteView view, ByteBuf buf) {
        view.set(buf.array(), 0, buf.length());
        return view;
    }

    private static void checkNoControls(String value, String component) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                String message = String.format("control character 0x%02x in %s at index %d", (int) c, component, i);
                throw new IllegalArgumentException(message);
            }
        }
    }

    // Index of the ':' ending a scheme at buf[from..), -1 when there is none, -2 when all of buf[from..to) is a scheme.
    private static int schemeEnd(byte[] buf, int from, int to) {
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

    private static void appendLower(ByteBuf dst, byte[] src, int from, int to) {
        byte[] a = dst.ensureSpace(to - from);
        int w = dst.length();
        for (int i = from; i < to; i++) a[w++] = Ascii.lower(src[i]);
        dst.setLength(w);
    }

    // Index of the first b in buf[from..to), or to.
    private static int indexOf(byte[] buf, int from, int to, char b) {
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

    // Index of the last b in buf[from..to), or -1.
    private static int lastIndexOf(byte[] buf, int from, int to, char b) {
        for (int i = to - 1; i >= from; i--) {
            if (buf[i] == b) return i;
        }
        return -1;
    }
}
