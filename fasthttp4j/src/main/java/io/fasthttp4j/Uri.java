package io.fasthttp4j;

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
    // The parts: UriParser reads input into them, UriPaths sets the two paths.
    final ByteBuf scheme = new ByteBuf(8);          // lower-cased; empty for origin-form
    final ByteBuf username = new ByteBuf(0);        // raw, escapes not decoded
    final ByteBuf password = new ByteBuf(0);        // raw, escapes not decoded
    final ByteBuf host = new ByteBuf(32);           // lower-cased; an IP literal keeps its brackets
    int port = -1;
    boolean hasAuthority;                           // "//" authority present, or authority-form
    final ByteBuf pathOriginal = new ByteBuf(64);   // as received
    final ByteBuf path = new ByteBuf(64);           // decoded and normalised
    final ByteBuf queryString = new ByteBuf(64);    // raw, without '?'
    final ByteBuf hash = new ByteBuf(0);            // raw, without '#'
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
    final ByteBuf merged = new ByteBuf(0);                  // UriPaths.merge's
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
        UriParser.parseTarget(this, buf, from, to);
    }

    /**
     * Replaces the content with the request-target {@code uri}, taken as UTF-8; see {@link
     * #parse(byte[], int, int)}.
     */
    public void parse(String uri) {
        byte[] bytes = uri.getBytes(StandardCharsets.UTF_8);
        parse(bytes, 0, bytes.length);
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
            UriParser.resolve(resolved, resolved.scratch.array(), resolved.scratch.length());
        } catch (BadRequestException e) {
            throw new IllegalArgumentException("invalid reference: " + e.getMessage());
        }
        resolved.copyTo(this);
    }

    /** Removes the userinfo, host and port: what a reference with an authority replaces. */
    void removeAuthority() {
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
        if (!value.isEmpty() && UriParser.schemeEnd(scratch.array(), 0, scratch.length()) != -2) {
            throw new IllegalArgumentException("invalid scheme \"" + value + "\"");
        }
        scheme.reset();
        UriParser.appendLower(scheme, scratch.array(), 0, scratch.length());
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
            end = UriParser.hostEnd(scratch.array(), 0, scratch.length(), 0);
        } catch (BadRequestException e) {
            throw new IllegalArgumentException("invalid host \"" + value + "\": " + e.getMessage());
        }
        if (end < scratch.length()) throw new IllegalArgumentException("port in host \"" + value + "\": use setPort");
        host.reset();
        UriParser.appendLower(host, scratch.array(), 0, scratch.length());
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
        int bad = UriPaths.set(this, scratch.array(), 0, scratch.length(), true);
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
}
