package io.fasthttp4j.client;

import io.fasthttp4j.ByteView;
import io.fasthttp4j.Request;
import io.fasthttp4j.internal.bytes.Ascii;
import io.fasthttp4j.internal.codec.RequestWriter;
import io.fasthttp4j.pool.ByteBuf;

/**
 * Splits a request's URI, origin-form ({@code /p?q}) or absolute ({@code http://host:port/p?q#f}),
 * into what a client writes and where it connects, without copying or allocating. Offsets index the
 * array of {@link Request#header()}'s {@code requestUri()}. Runs on the calling thread; one per
 * connection (reused), or a short-lived one for a lookup.
 */
final class RequestTarget {
    byte[] array;
    boolean absolute;
    boolean tls;            // scheme https
    int hostFrom;           // host[:port], userinfo excluded; hostFrom == hostTo when origin-form
    int hostTo;
    int pathFrom;           // the origin-form target: path and query, fragment excluded
    int pathTo;

    private static final byte[] SLASH = {'/'};
    private static final byte[] HOST_PREFIX = {'H', 'o', 's', 't', ':', ' '};
    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * Reads the request's URI. An empty one means {@code "/"}.
     *
     * @throws IllegalArgumentException for an absolute URI whose scheme is neither http nor https
     */
    void parse(Request request) {
        ByteView uri = request.header().requestUri();
        array = uri.isEmpty() ? SLASH : uri.array();
        int from = uri.isEmpty() ? 0 : uri.offset();
        int to = uri.isEmpty() ? 1 : uri.offset() + uri.length();
        absolute = false;
        tls = false;
        hostFrom = hostTo = from;
        if (array[from] != '/' && array[from] != '*') from = parseAuthority(from, to, uri);
        pathFrom = from;
        pathTo = indexOf(array, from, to, (byte) '#');
    }

    private int parseAuthority(int from, int to, ByteView uri) {
        int colon = indexOf(array, from, to, (byte) ':');
        if (colon + 2 < to && array[colon + 1] == '/' && array[colon + 2] == '/') {
            if (Ascii.equalsIgnoreCase(array, from, colon, HTTPS)) tls = true;
            else if (!Ascii.equalsIgnoreCase(array, from, colon, HTTP)) throw new IllegalArgumentException("unsupported scheme in " + uri);
            absolute = true;
            int authorityFrom = colon + 3;
            int authorityTo = authorityFrom;
            while (authorityTo < to && array[authorityTo] != '/' && array[authorityTo] != '?' && array[authorityTo] != '#') authorityTo++;
            int at = authorityTo;
            while (at > authorityFrom && array[at - 1] != '@') at--;
            hostFrom = at > authorityFrom ? at : authorityFrom;
            hostTo = authorityTo;
            if (hostFrom == hostTo) throw new IllegalArgumentException("no host in " + uri);
            return authorityTo;
        }
        throw new IllegalArgumentException("request URI is neither origin-form nor an http(s) URL: " + uri);
    }

    private static final byte[] HTTP = {'h', 't', 't', 'p'};
    private static final byte[] HTTPS = {'h', 't', 't', 'p', 's'};

    boolean hasHost() {
        return hostTo > hostFrom;
    }

    /**
     * Writes the request: request line with the origin-form target, a Host field when the request
     * has none (from the URI, else {@code defaultHost}), then the fields and body; for a body stream,
     * only the fields and the framing: the caller streams the body after them.
     */
    void write(Request request, byte[] defaultHost, ByteBuf out) {
        ByteView method = request.header().method();
        out.append(method.array(), method.offset(), method.length());
        out.append((byte) ' ');
        if (pathFrom == pathTo || array[pathFrom] == '?') out.append((byte) '/');   // RFC 9112 §3.2.1: an empty path is sent as "/"
        out.append(array, pathFrom, pathTo - pathFrom);
        out.append((byte) ' ');
        ByteView protocol = request.header().protocol();
        out.append(protocol.array(), protocol.offset(), protocol.length());
        out.append(CRLF);
        if (request.header().host() == null) {
            out.append(HOST_PREFIX);
            if (hasHost()) out.append(array, hostFrom, hostTo - hostFrom);
            else out.append(defaultHost);
            out.append(CRLF);
        }
        if (!request.hasBodyStream()) RequestWriter.writeFieldsAndBody(request, out);
        else RequestWriter.writeFieldsForStream(request, request.bodyStreamWriter() != null ? -1 : request.bodyStreamSize(), out);
    }

    /** Readies this object for the next request; drops the reference to the URI's array. */
    void reset() {
        array = null;
    }

    private static int indexOf(byte[] b, int from, int to, byte x) {
        for (int i = from; i < to; i++) if (b[i] == x) return i;
        return to;
    }
}
