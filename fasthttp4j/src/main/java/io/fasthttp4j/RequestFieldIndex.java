package io.fasthttp4j;

import static io.fasthttp4j.FieldNames.CONNECTION;
import static io.fasthttp4j.FieldNames.CONTENT_LENGTH;
import static io.fasthttp4j.FieldNames.CONTENT_TYPE;
import static io.fasthttp4j.FieldNames.COOKIE;
import static io.fasthttp4j.FieldNames.EXPECT;
import static io.fasthttp4j.FieldNames.HOST;
import static io.fasthttp4j.FieldNames.TRANSFER_ENCODING;
import static io.fasthttp4j.FieldNames.USER_AGENT;

import io.fasthttp4j.internal.bytes.Ascii;
import io.fasthttp4j.pool.ByteBuf;

/**
 * What a {@link RequestHeader}'s well-known fields say: where Host, Content-Type, User-Agent, Cookie
 * and Expect are among its fields, and the framing that Content-Length, Transfer-Encoding and
 * Connection declare. Recomputed after parsing, which also checks the framing and Host rules, and
 * after every setter. One per header; not thread-safe.
 */
final class RequestFieldIndex {
    // Read by RequestHeader's accessors; written only here.
    long contentLength = Framing.NO_CONTENT_LENGTH;
    boolean chunked;
    int connection;                           // Framing.CONN_* bits
    int transferCodings;                      // Framing.TE_* bits
    int hostIndex = -1;
    int contentTypeIndex = -1;
    int userAgentIndex = -1;
    int cookieIndex = -1;
    int expectIndex = -1;

    /** Forgets what the fields said; keeps the last Host found valid (see {@link #checkHost}). */
    void reset() {
        contentLength = Framing.NO_CONTENT_LENGTH;
        chunked = false;
        connection = 0;
        transferCodings = 0;
        hostIndex = contentTypeIndex = userAgentIndex = cookieIndex = expectIndex = -1;
    }

    private static final int MAX_KEPT_HOST = 255;
    private final ByteBuf validHost = new ByteBuf(32);

    /**
     * Indexes parsed fields and checks the framing rules of RFC 9112 §6 and the Host rules of §3.2.
     *
     * @throws BadRequestException 400 naming the field
     */
    void indexParsed(HeaderFields fields, boolean http11) {
        int hosts = recognize(fields);
        if (transferCodings != 0) {
            // RFC 9112 §6.1: CL with TE "ought to be handled as an error"; it is the classic smuggling vector.
            if (contentLength != Framing.NO_CONTENT_LENGTH) throw BadRequestException.of(400, "both Content-Length and Transfer-Encoding");
            // RFC 9112 §6.1: an HTTP/1.0 peer cannot have meant chunked framing.
            if (!http11) throw BadRequestException.of(400, "Transfer-Encoding in an HTTP/1.0 request");
            Framing.checkTransferEncoding(transferCodings);
            chunked = true;
        }
        // RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request without Host or with several.
        if (hosts > 1) throw BadRequestException.of(400, "more than one Host header");
        if (hosts == 0 && http11) throw BadRequestException.of(400, "missing Host header in HTTP/1.1 request");
        if (hostIndex >= 0) checkHost(fields.valueAt(hostIndex));
    }

    /** Recomputes the index after a setter changed the fields; a bad framing field is an IllegalArgumentException. */
    void reindex(HeaderFields fields) {
        try {
            recognize(fields);
            if (transferCodings != 0) {
                Framing.checkTransferEncoding(transferCodings);
                chunked = true;
            }
        } catch (BadRequestException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    // A connection sends the same Host with every request: the last value found valid is kept (kept
    // across reset()) and an equal one is not checked again. Comparing costs less than checking.
    private void checkHost(ByteView host) {
        if (host.length() == validHost.length() && Ascii.equalBytes(host.array(), host.offset(), validHost.array(), 0, host.length())) return;
        RequestLines.checkHost(host);
        if (host.length() <= MAX_KEPT_HOST) {
            validHost.reset();
            validHost.append(host.array(), host.offset(), host.length());
        }
    }

    /**
     * Finds the well-known fields (switching on the name's length first, so most fields cost one
     * comparison) and folds the framing ones; returns how many Host fields there are.
     */
    private int recognize(HeaderFields fields) {
        reset();
        int hosts = 0;
        for (int i = 0; i < fields.count(); i++) {
            ByteView name = fields.nameAt(i);
            switch (name.length()) {
                case 4 -> {
                    if (name.equalsToken(HOST)) {
                        hosts++;
                        hostIndex = i;
                    }
                }
                case 6 -> {
                    if (name.equalsToken(COOKIE)) {
                        if (cookieIndex < 0) cookieIndex = i;
                    } else if (name.equalsToken(EXPECT)) {
                        expectIndex = i;
                    }
                }
                case 10 -> {
                    if (name.equalsToken(CONNECTION)) connection = Framing.connection(fields.valueAt(i), connection);
                    else if (name.equalsToken(USER_AGENT)) userAgentIndex = i;
                }
                case 12 -> {
                    if (name.equalsToken(CONTENT_TYPE)) contentTypeIndex = i;
                }
                case 14 -> {
                    if (name.equalsToken(CONTENT_LENGTH)) contentLength = Framing.contentLength(fields.valueAt(i), contentLength);
                }
                case 17 -> {
                    if (name.equalsToken(TRANSFER_ENCODING)) transferCodings = Framing.transferEncoding(fields.valueAt(i), transferCodings);
                }
                default -> {
                }
            }
        }
        return hosts;
    }
}
