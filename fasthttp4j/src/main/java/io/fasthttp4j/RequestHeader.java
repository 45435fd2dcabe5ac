package io.fasthttp4j;

import io.fasthttp4j.internal.bytes.Ascii;
import io.fasthttp4j.pool.ByteBuf;

/**
 * The request line and header fields of a request, reused from request to request. Parsed values are
 * views into the connection's read buffer: valid until the handler returns; copy what you need to
 * keep. Header names are compared without regard to ASCII case and keep the case they arrived in.
 * The fields that decide framing and routing (Host, Content-Length, Transfer-Encoding, Connection)
 * are recognised and checked while parsing; Content-Type, User-Agent, Cookie and Expect are indexed.
 * Not thread-safe.
 */
public final class RequestHeader {
    private final ByteView method = new ByteView();
    private final ByteView requestUri = new ByteView();
    private final ByteView protocol = new ByteView();
    private final HeaderFields fields = new HeaderFields();
    private final ByteBuf owned = new ByteBuf(64);   // method and request URI set by code
    private boolean http11 = true;
    private final RequestFieldIndex known = new RequestFieldIndex();   // the well-known fields and the framing

    /** Readies this header for the next request. Keeps its arrays; drops its references. */
    public void reset() {
        method.reset();
        requestUri.reset();
        protocol.reset();
        fields.reset();
        resetState();
    }

    /** {@link #reset} for the next request parsed from the same buffer: the views keep their references (see {@link Request#resetForNextInBuffer}). */
    void resetForNextInBuffer() {
        method.resetForNextInBuffer();
        requestUri.resetForNextInBuffer();
        protocol.resetForNextInBuffer();
        fields.resetForNextInBuffer();
        resetState();
    }

    /** What both resets do: everything but the views. */
    private void resetState() {
        plainPathEnd = -1;
        owned.reset();
        http11 = true;
        known.reset();
    }

    /** Creates an empty request header (method GET, HTTP/1.1); reuse it with {@link #reset()}. */
    public RequestHeader() {
    }

    private static final byte[] GET = {'G', 'E', 'T'};
    private static final byte[] HTTP_1_1 = {'H', 'T', 'T', 'P', '/', '1', '.', '1'};

    /** The method, as sent (methods are case-sensitive). "GET" when none was parsed or set. */
    public ByteView method() {
        if (method.isEmpty()) method.set(GET, 0, GET.length);
        return method;
    }

    public boolean isGet() {
        return method().contentEquals("GET");
    }

    public boolean isHead() {
        return method.contentEquals("HEAD");
    }

    public boolean isPost() {
        return method.contentEquals("POST");
    }

    public boolean isPut() {
        return method.contentEquals("PUT");
    }

    public boolean isDelete() {
        return method.contentEquals("DELETE");
    }

    public boolean isPatch() {
        return method.contentEquals("PATCH");
    }

    public boolean isOptions() {
        return method.contentEquals("OPTIONS");
    }

    public boolean isConnect() {
        return method.contentEquals("CONNECT");
    }

    public boolean isTrace() {
        return method.contentEquals("TRACE");
    }

    /** The request-target as received (not decoded). View: valid until the handler returns; copy what you need to keep. */
    public ByteView requestUri() {
        return requestUri;
    }

    /** "HTTP/1.1" or "HTTP/1.0" as received; "HTTP/1.1" for a header built by code. */
    public ByteView protocol() {
        if (protocol.isEmpty()) protocol.set(HTTP_1_1, 0, HTTP_1_1.length);
        return protocol;
    }

    public boolean isHttp11() {
        return http11;
    }

    /** The declared Content-Length, or -1 when there is none (no body, or a chunked one). */
    public long contentLength() {
        return known.contentLength;
    }

    /** True when the body is chunked (Transfer-Encoding ends in chunked). */
    public boolean isChunked() {
        return known.chunked;
    }

    /** True when "Connection: close" was sent. */
    public boolean connectionClose() {
        return (known.connection & Framing.CONN_CLOSE) != 0;
    }

    /**
     * True when the connection may carry another request after this one: HTTP/1.1 unless
     * "Connection: close", HTTP/1.0 only with "Connection: keep-alive" (RFC 9112 §9.3).
     */
    public boolean isKeepAlive() {
        if (connectionClose()) return false;
        return http11 || (known.connection & Framing.CONN_KEEP_ALIVE) != 0;
    }

    /** The Host field's value, or null. View: valid until the handler returns; copy what you need to keep. */
    public ByteView host() {
        return known.hostIndex < 0 ? null : fields.valueAt(known.hostIndex);
    }

    /** The Content-Type field's value, or null. View: valid until the handler returns; copy what you need to keep. */
    public ByteView contentType() {
        return known.contentTypeIndex < 0 ? null : fields.valueAt(known.contentTypeIndex);
    }

    /** The User-Agent field's value, or null. View: valid until the handler returns; copy what you need to keep. */
    public ByteView userAgent() {
        return known.userAgentIndex < 0 ? null : fields.valueAt(known.userAgentIndex);
    }

    /** The first Cookie field's value, or null. View: valid until the handler returns; copy what you need to keep. */
    public ByteView cookieHeader() {
        return known.cookieIndex < 0 ? null : fields.valueAt(known.cookieIndex);
    }

    /**
     * The value of request cookie {@code name} from the Cookie fields, or null. Allocates nothing.
     * View: valid until the handler returns; copy what you need to keep.
     */
    public ByteView cookie(CharSequence name) {
        return known.cookieIndex < 0 ? null : cookies.find(fields, known.cookieIndex, name);
    }

    /** Visits every request cookie as (name, value) views, in order. Allocates nothing. */
    public void visitCookies(HeaderVisitor visitor) {
        cookies.visit(fields, known.cookieIndex, visitor);
    }

    private final RequestCookies cookies = new RequestCookies();

    /** The Expect field's value, or null. View: valid until the handler returns; copy what you need to keep. */
    public ByteView expect() {
        return known.expectIndex < 0 ? null : fields.valueAt(known.expectIndex);
    }

    /** The header fields, in order, as received or set. */
    public HeaderFields fields() {
        return fields;
    }

    public int fieldCount() {
        return fields.count();
    }

    public ByteView nameAt(int i) {
        return fields.nameAt(i);
    }

    public ByteView valueAt(int i) {
        return fields.valueAt(i);
    }

    /** First value of {@code name} (any case), or null. View: valid until the handler returns; copy what you need to keep. */
    public ByteView peek(CharSequence name) {
        return fields.peek(name);
    }

    /** First value of {@code name} (any case) as a new string, or null. */
    public String get(CharSequence name) {
        return fields.get(name);
    }

    public void visitAll(HeaderVisitor visitor) {
        fields.visitAll(visitor);
    }

    // ---- setters (for clients and tests); each refuses CR, LF and other control bytes ----

    public void setMethod(CharSequence value) {
        int from = owned.length();
        owned.append(value);
        for (int i = from; i < owned.length(); i++) {
            if (!Ascii.isTokenChar(owned.array()[i])) {
                owned.setLength(from);
                throw new IllegalArgumentException("invalid method '" + value + "': a method is a token");
            }
        }
        if (from == owned.length()) throw new IllegalArgumentException("empty method");
        method.set(owned.array(), from, owned.length() - from);
    }

    /** Sets the request-target written in the request line, e.g. "/a?b=c". Must be visible ASCII. */
    public void setRequestUri(CharSequence value) {
        int from = owned.length();
        owned.append(value);
        for (int i = from; i < owned.length(); i++) {
            if (!Ascii.isTargetChar(owned.array()[i])) {
                owned.setLength(from);
                throw new IllegalArgumentException(String.format("invalid byte 0x%02x in request URI", owned.array()[i] & 0xff));
            }
        }
        if (from == owned.length()) throw new IllegalArgumentException("empty request URI");
        requestUri.set(owned.array(), from, owned.length() - from);
        plainPathEnd = -1;
    }

    /** Makes this an HTTP/1.0 ({@code false}) or HTTP/1.1 ({@code true}) request. */
    public void setHttp11(boolean value) {
        http11 = value;
        protocol.reset();
        if (!value) protocol.set(HTTP_1_0, 0, HTTP_1_0.length);
    }

    private static final byte[] HTTP_1_0 = {'H', 'T', 'T', 'P', '/', '1', '.', '0'};

    public void setHost(CharSequence value) {
        set("Host", value);
    }

    public void setContentType(CharSequence value) {
        set("Content-Type", value);
    }

    public void setUserAgent(CharSequence value) {
        set("User-Agent", value);
    }

    /** Sets Content-Length (and drops Transfer-Encoding); a negative value removes it. */
    public void setContentLength(long value) {
        fields.del("Transfer-Encoding");
        if (value < 0) {
            fields.del("Content-Length");
        } else {
            fields.set("Content-Length", decimal(value));
        }
        known.reindex(fields);
    }

    private final StringBuilder digits = new StringBuilder(20);

    private CharSequence decimal(long value) {
        digits.setLength(0);
        return digits.append(value);
    }

    /** Makes the body chunked ("Transfer-Encoding: chunked", no Content-Length) or not. */
    public void setChunked(boolean value) {
        if (value) {
            fields.del("Content-Length");
            fields.set("Transfer-Encoding", "chunked");
        } else {
            fields.del("Transfer-Encoding");
        }
        known.reindex(fields);
    }

    /** Sets or clears "Connection: close". */
    public void setConnectionClose(boolean value) {
        if (value) fields.set("Connection", "close");
        else fields.del("Connection");
        known.reindex(fields);
    }

    /** Replaces every field named {@code name} with one field. */
    public void set(CharSequence name, CharSequence value) {
        fields.set(name, value);
        known.reindex(fields);
    }

    /** Adds a field; a name may repeat. */
    public void add(CharSequence name, CharSequence value) {
        fields.add(name, value);
        known.reindex(fields);
    }

    /** Removes every field named {@code name}. */
    public void del(CharSequence name) {
        if (fields.del(name) > 0) known.reindex(fields);
    }

    /** Copies this header into {@code dst}, which then owns its bytes. */
    public void copyTo(RequestHeader dst) {
        dst.reset();
        dst.setMethod(method());
        if (!requestUri.isEmpty()) dst.setRequestUri(requestUri);
        dst.setHttp11(http11);
        fields.copyTo(dst.fields);
        dst.known.reindex(dst.fields);
    }

    // ---- parsing ----

    /**
     * Parses a complete header section (request line, fields, empty line) from {@code buf[from..to)}.
     * Returns the index after the section, or -1 if it is not complete yet. Values stay views into
     * {@code buf}: keep those bytes unchanged while this header is in use.
     *
     * @throws BadRequestException with the status to answer (400, 414, 431, 501, 505) and a message
     *         naming the field or limit
     */
    public int parse(byte[] buf, int from, int to, HttpLimits limits) {
        int lineEnd = RequestLines.parseCommon(buf, from, to, this);   // one pass for the usual line
        if (lineEnd < 0) {
            lineEnd = FieldLines.lineEnd(buf, from, to);
            if (lineEnd < 0) {
                if (to - from > limits.maxRequestLineBytes()) throw requestLineTooLong(limits);
                return -1;
            }
            if (lineEnd + 2 - from > limits.maxRequestLineBytes()) throw requestLineTooLong(limits);
            RequestLines.parse(buf, from, lineEnd, this);
        } else if (lineEnd + 2 - from > limits.maxRequestLineBytes()) {
            throw requestLineTooLong(limits);
        }
        int end = fields.parse(buf, lineEnd + 2, to, limits.maxHeaderCount());
        if (end < 0) {
            method.reset();
            requestUri.reset();
            protocol.reset();
            plainPathEnd = -1;
            return -1;
        }
        if (end - from > limits.maxHeaderBytes()) {
            throw BadRequestException.of(431, "header section exceeds maxHeaderBytes=%d", limits.maxHeaderBytes());
        }
        known.indexParsed(fields, http11);
        return end;
    }

    private static BadRequestException requestLineTooLong(HttpLimits limits) {
        return BadRequestException.of(414, "request line exceeds maxRequestLineBytes=%d", limits.maxRequestLineBytes());
    }

    void setRequestLine(byte[] buf, int methodFrom, int methodTo, int uriFrom, int uriTo, int protoFrom, boolean http11, int plainPathEnd) {
        method.set(buf, methodFrom, methodTo - methodFrom);
        requestUri.set(buf, uriFrom, uriTo - uriFrom);
        protocol.set(buf, protoFrom, 8);
        this.http11 = http11;
        this.plainPathEnd = plainPathEnd;
    }

    /**
     * Where the path of the request-target ends (its '?' or its end) when the parser saw that it is an
     * origin-form path that is its own normal form (no '%', no dot or empty segment); -1 when unknown.
     */
    int plainPathEnd() {
        return plainPathEnd;
    }

    private int plainPathEnd = -1;

    /** The header section as it would be written, for logs and tests. Allocates. */
    @Override
    public String toString() {
        return method() + " " + requestUri + " " + protocol() + "\r\n" + fields + "\r\n";
    }
}
