package io.fasthttp4j;

import io.fasthttp4j.internal.bytes.Ascii;
import io.fasthttp4j.pool.ByteBuf;

import static io.fasthttp4j.FieldNames.CONNECTION;
import static io.fasthttp4j.FieldNames.CONTENT_LENGTH;
import static io.fasthttp4j.FieldNames.CONTENT_TYPE;
import static io.fasthttp4j.FieldNames.DATE;
import static io.fasthttp4j.FieldNames.SERVER;
import static io.fasthttp4j.FieldNames.TRANSFER_ENCODING;

/**
 * The status line and header fields of a response, reused from response to response. On the server
 * the writer adds Server, Date, Content-Type (default {@code text/plain; charset=utf-8}),
 * Content-Length or chunked framing and Connection itself; fields with those names that a handler
 * sets replace the defaults, except the framing ones, which always follow the body. Parsed values are
 * views into the read buffer: valid until the handler returns; copy what you need to keep.
 * Not thread-safe.
 */
public final class ResponseHeader {
    private int statusCode = Status.OK;
    private final ByteView reasonPhrase = new ByteView();
    private final ByteView protocol = new ByteView();
    private final HeaderFields fields = new HeaderFields();
    private final ByteBuf owned = new ByteBuf(32);   // a reason phrase set by code
    private long contentLength = Framing.NO_CONTENT_LENGTH;
    private boolean chunked;                          // Transfer-Encoding: chunked among the fields
    private boolean chunkedSet;                       // asked for by code (a streamed body)
    private boolean http11 = true;
    private int connection;                           // Framing.CONN_* bits from the fields
    private int connectionSet;                        // Framing.CONN_* bits asked for by code
    private int contentTypeIndex = -1;
    private int serverIndex = -1;
    private int dateIndex = -1;

    /** Readies this header for the next response. Keeps its arrays; drops its references. */
    public void reset() {
        reasonPhrase.reset();
        protocol.reset();
        fields.reset();
        resetState();
    }

    /** {@link #reset} for the next response of the same connection: the views keep their references (see {@link Response#resetForNextInBuffer}). */
    void resetForNextInBuffer() {
        reasonPhrase.resetForNextInBuffer();
        protocol.resetForNextInBuffer();
        fields.resetForNextInBuffer();
        resetState();
    }

    /** What both resets do: everything but the views. */
    private void resetState() {
        statusCode = Status.OK;
        owned.reset();
        contentLength = Framing.NO_CONTENT_LENGTH;
        chunked = false;
        chunkedSet = false;
        http11 = true;
        connection = 0;
        connectionSet = 0;
        contentTypeIndex = serverIndex = dateIndex = -1;
    }

    /** Creates an empty 200 response header; reuse it with {@link #reset()}. */
    public ResponseHeader() {
    }

    public int statusCode() {
        return statusCode;
    }

    /** Sets the status; 100 to 599, else {@link IllegalArgumentException}. Clears a custom reason phrase. */
    public void setStatusCode(int code) {
        if (!Status.isValid(code)) throw new IllegalArgumentException("status code " + code + " is not between 100 and 599");
        statusCode = code;
        reasonPhrase.reset();
    }

    /** The reason phrase as received or set; empty when the standard one for the status is to be used. */
    public ByteView reasonPhrase() {
        return reasonPhrase;
    }

    /** Sets a custom reason phrase: SP, HTAB and visible bytes only. */
    public void setReasonPhrase(CharSequence reason) {
        int from = owned.length();
        owned.append(reason);
        for (int i = from; i < owned.length(); i++) {
            if (!Ascii.isFieldValueChar(owned.array()[i])) {
                owned.setLength(from);
                throw new IllegalArgumentException(String.format("invalid byte 0x%02x in reason phrase", reason.charAt(i - from) & 0xffff));
            }
        }
        reasonPhrase.set(owned.array(), from, owned.length() - from);
    }

    private static final byte[] HTTP_1_1 = {'H', 'T', 'T', 'P', '/', '1', '.', '1'};

    /** "HTTP/1.1" or "HTTP/1.0" as received; "HTTP/1.1" for a header built by code. */
    public ByteView protocol() {
        if (protocol.isEmpty()) protocol.set(HTTP_1_1, 0, HTTP_1_1.length);
        return protocol;
    }

    public boolean isHttp11() {
        return http11;
    }

    /** The declared Content-Length, or -1 when there is none. */
    public long contentLength() {
        return contentLength;
    }

    /** True when the body is chunked: Transfer-Encoding says so, or {@link #setChunked} asked for it. */
    public boolean isChunked() {
        return chunked || chunkedSet;
    }

    /** Asks the writer for chunked framing (for streamed bodies of unknown length), or withdraws it. */
    public void setChunked(boolean value) {
        chunkedSet = value;
    }

    /** True when the response says "Connection: close", or a handler or the server asked for it. */
    public boolean connectionClose() {
        return ((connection | connectionSet) & Framing.CONN_CLOSE) != 0;
    }

    /** Asks for (or withdraws) "Connection: close": the connection closes after this response. */
    public void setConnectionClose(boolean value) {
        connectionSet = value ? connectionSet | Framing.CONN_CLOSE : connectionSet & ~Framing.CONN_CLOSE;
    }

    /** True when "Connection: keep-alive" was received or set (what an HTTP/1.0 peer needs to hear). */
    public boolean connectionKeepAlive() {
        return ((connection | connectionSet) & Framing.CONN_KEEP_ALIVE) != 0;
    }

    public void setConnectionKeepAlive(boolean value) {
        connectionSet = value ? connectionSet | Framing.CONN_KEEP_ALIVE : connectionSet & ~Framing.CONN_KEEP_ALIVE;
    }

    /** True when the peer may send another request on this connection after this response. */
    public boolean isKeepAlive() {
        if (connectionClose()) return false;
        return http11 || connectionKeepAlive();
    }

    /** The Content-Type value, or null (the server then writes its default). View: copy what you need to keep. */
    public ByteView contentType() {
        return contentTypeIndex < 0 ? null : fields.valueAt(contentTypeIndex);
    }

    public void setContentType(CharSequence value) {
        if (contentTypeIndex >= 0) {
            set("Content-Type", value);
            return;
        }
        // The common case, once per response: no field to replace, so no lookup and no re-index; and
        // a handler passes the same constant each time, so its checked line is kept from last time.
        java.util.Objects.requireNonNull(value, "value");
        if (value != lastContentType) {
            lastContentType = null;
            contentTypeLine.reset();
            contentTypeLine.append(CONTENT_TYPE_PREFIX);
            contentTypeLine.append(value);
            HeaderFields.checkValue(contentTypeLine.array(), CONTENT_TYPE_PREFIX.length, contentTypeLine.length(), "Content-Type");
            contentTypeLine.append(CRLF);
            if (value instanceof String s) lastContentType = s;   // immutable: safe to know again by identity
        }
        // The field views the line itself (name and value), no copy: the line is only rewritten above,
        // when no Content-Type field is set, so no view of it is left to change under anyone.
        fields.addView(contentTypeLine.array(), 0, CONTENT_TYPE_NAME_LENGTH, CONTENT_TYPE_PREFIX.length, contentTypeLine.length() - 2);
        contentTypeIndex = fields.count() - 1;
        contentTypeLineMod = fields.modCount();
    }

    private String lastContentType;                                 // kept across reset(): see setContentType
    private final ByteBuf contentTypeLine = new ByteBuf(48);        // "Content-Type: <lastContentType>\r\n"
    private int contentTypeLineMod;                                 // fields.modCount() after setContentType added its field

    private static final int CONTENT_TYPE_NAME_LENGTH = 12;
    private static final byte[] CONTENT_TYPE_PREFIX = {'C', 'o', 'n', 't', 'e', 'n', 't', '-', 'T', 'y', 'p', 'e', ':', ' '};
    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * For writers: the whole line {@code Content-Type: <value>\r\n} when the field {@link #setContentType}
     * added is the only field and no field changed since, so that it can be copied as it is; else null.
     */
    public ByteView contentTypeLineIfOnlyField() {
        if (fields.count() != 1 || contentTypeLineMod != fields.modCount()) return null;
        contentTypeLineView.set(contentTypeLine.array(), 0, contentTypeLine.length());
        return contentTypeLineView;
    }

    private final ByteView contentTypeLineView = new ByteView();

    /** True when a Server field was set (the writer then leaves out its own). */
    public boolean hasServer() {
        return serverIndex >= 0;
    }

    /** True when a Date field was set (the writer then leaves out its own). */
    public boolean hasDate() {
        return dateIndex >= 0;
    }

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

    public String get(CharSequence name) {
        return fields.get(name);
    }

    public void visitAll(HeaderVisitor visitor) {
        fields.visitAll(visitor);
    }

    public void set(CharSequence name, CharSequence value) {
        fields.set(name, value);
        reindexAfterSet();
    }

    public void add(CharSequence name, CharSequence value) {
        fields.add(name, value);
        reindexAfterSet();
    }

    public void del(CharSequence name) {
        if (fields.del(name) > 0) reindexAfterSet();
    }

    private void reindexAfterSet() {
        try {
            reindex();
        } catch (BadRequestException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** Adds a Set-Cookie field carrying {@code cookie}. Allocates nothing once warm. */
    public void addCookie(Cookie cookie) {
        cookieScratch.reset();
        cookie.appendTo(cookieScratch);
        fields.add(SET_COOKIE, cookieScratch.array(), 0, cookieScratch.length());
    }

    private static final byte[] SET_COOKIE = {'S', 'e', 't', '-', 'C', 'o', 'o', 'k', 'i', 'e'};
    private final ByteBuf cookieScratch = new ByteBuf(64);

    /** Copies this header into {@code dst}, which then owns its bytes. */
    public void copyTo(ResponseHeader dst) {
        dst.reset();
        dst.statusCode = statusCode;
        if (!reasonPhrase.isEmpty()) dst.setReasonPhrase(reasonPhrase);
        dst.http11 = http11;
        fields.copyTo(dst.fields);
        dst.reindex();
        dst.connectionSet = connectionSet;
        dst.chunkedSet = chunkedSet;
    }

    // ---- parsing (the client reads responses) ----

    /**
     * Parses a complete header section (status line, fields, empty line) from {@code buf[from..to)}.
     * Returns the index after it, or -1 if it is not complete yet. Values are views into {@code buf}.
     *
     * @throws BadRequestException (400, 431, 505) with a message naming the field or limit
     */
    public int parse(byte[] buf, int from, int to, HttpLimits limits) {
        int lineEnd = FieldLines.lineEnd(buf, from, to);
        if (lineEnd < 0) {
            if (to - from > limits.maxRequestLineBytes()) throw statusLineTooLong(limits);
            return -1;
        }
        if (lineEnd + 2 - from > limits.maxRequestLineBytes()) throw statusLineTooLong(limits);
        parseStatusLine(buf, from, lineEnd);
        int end = fields.parse(buf, lineEnd + 2, to, limits.maxHeaderCount());
        if (end < 0) return -1;
        if (end - from > limits.maxHeaderBytes()) {
            throw BadRequestException.of(431, "header section exceeds maxHeaderBytes=%d", limits.maxHeaderBytes());
        }
        reindex();
        if (chunked && !http11) throw BadRequestException.of(400, "Transfer-Encoding in an HTTP/1.0 response");
        return end;
    }

    /**
     * Like {@link #parse}, but first copies the section into this header's own array, so that the
     * values stay valid after {@code buf} is reused: a client reads into a connection's buffer, and
     * the connection serves another caller once the response is complete. Allocates nothing once the
     * array has grown to the sizes seen.
     */
    public int parseCopy(byte[] buf, int from, int to, HttpLimits limits) {
        int base = owned.length();
        owned.append(buf, from, to - from);
        int end = parse(owned.array(), base, owned.length(), limits);
        if (end < 0) {
            owned.setLength(base);
            return -1;
        }
        return from + (end - base);
    }

    private static BadRequestException statusLineTooLong(HttpLimits limits) {
        return BadRequestException.of(400, "status line exceeds maxRequestLineBytes=%d", limits.maxRequestLineBytes());
    }

    // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]
    private void parseStatusLine(byte[] buf, int from, int to) {
        if (to - from < 12 || buf[from] != 'H' || buf[from + 1] != 'T' || buf[from + 2] != 'T' || buf[from + 3] != 'P'
                || buf[from + 4] != '/' || !Ascii.isDigit(buf[from + 5]) || buf[from + 6] != '.'
                || !Ascii.isDigit(buf[from + 7]) || buf[from + 8] != Ascii.SP) {
            throw BadRequestException.of(400, "malformed status line '%s'", FieldLines.printable(buf, from, to));
        }
        if (buf[from + 5] != '1' || (buf[from + 7] != '0' && buf[from + 7] != '1')) {
            throw BadRequestException.of(505, "HTTP version %c.%c not supported", (char) buf[from + 5], (char) buf[from + 7]);
        }
        http11 = buf[from + 7] == '1';
        protocol.set(buf, from, 8);
        int code = 0;
        for (int i = from + 9; i < from + 12; i++) {
            if (!Ascii.isDigit(buf[i])) throw BadRequestException.of(400, "malformed status code in '%s'", FieldLines.printable(buf, from, to));
            code = code * 10 + buf[i] - '0';
        }
        if (!Status.isValid(code)) throw BadRequestException.of(400, "status code %d is not between 100 and 599", code);
        statusCode = code;
        int reasonFrom = from + 12;
        if (reasonFrom < to) {
            if (buf[reasonFrom] != Ascii.SP) throw BadRequestException.of(400, "malformed status line '%s'", FieldLines.printable(buf, from, to));
            reasonFrom++;
        }
        for (int i = reasonFrom; i < to; i++) {
            if (!Ascii.isFieldValueChar(buf[i])) throw BadRequestException.of(400, "invalid byte 0x%02x in reason phrase", buf[i] & 0xff);
        }
        reasonPhrase.set(buf, reasonFrom, to - reasonFrom);
    }

    /** Recognises the well-known fields and checks framing, after parsing or after a setter changed the fields. */
    private void reindex() {
        long length = Framing.NO_CONTENT_LENGTH;
        int conn = 0;
        int te = 0;
        contentTypeIndex = serverIndex = dateIndex = -1;
        for (int i = 0; i < fields.count(); i++) {
            ByteView name = fields.nameAt(i);
            switch (name.length()) {
                case 4 -> {
                    if (name.equalsToken(DATE)) dateIndex = i;
                }
                case 6 -> {
                    if (name.equalsToken(SERVER)) serverIndex = i;
                }
                case 10 -> {
                    if (name.equalsToken(CONNECTION)) conn = Framing.connection(fields.valueAt(i), conn);
                }
                case 12 -> {
                    if (name.equalsToken(CONTENT_TYPE)) contentTypeIndex = i;
                }
                case 14 -> {
                    if (name.equalsToken(CONTENT_LENGTH)) length = Framing.contentLength(fields.valueAt(i), length);
                }
                case 17 -> {
                    if (name.equalsToken(TRANSFER_ENCODING)) te = Framing.transferEncoding(fields.valueAt(i), te);
                }
                default -> {
                }
            }
        }
        if (te != 0) {
            if (length != Framing.NO_CONTENT_LENGTH) throw BadRequestException.of(400, "both Content-Length and Transfer-Encoding");
            Framing.checkTransferEncoding(te);
        }
        contentLength = length;
        chunked = te != 0;
        connection = conn;
    }

    /** The header section, for logs and tests. Allocates. */
    @Override
    public String toString() {
        return protocol() + " " + statusCode + " " + (reasonPhrase.isEmpty() ? Status.reasonPhrase(statusCode) : reasonPhrase)
                + "\r\n" + fields + "\r\n";
    }
}
