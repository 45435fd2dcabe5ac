package io.fasthttp4j.internal.codec;

import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.Response;
import io.fasthttp4j.ResponseHeader;
import io.fasthttp4j.Status;

/**
 * Reads responses from bytes that arrive in any number of pieces: the client's half of the codec,
 * used the same way as {@link RequestParser}. A response without Content-Length or chunked framing
 * runs until the peer closes: call {@link #parseEof} then. Runs on one connection's thread.
 */
public final class ResponseParser {
    private static final String[] RESPONSE_LIMIT_NAMES = {"status line", "maxRequestLineBytes", "header section", "maxHeaderBytes"};

    private final HttpLimits limits;
    private final SectionScanner scanner = new SectionScanner();
    private final BodyDecoder body = new BodyDecoder();
    private boolean headerComplete;
    private boolean headResponse;
    private boolean copyHeader;
    private boolean streamBody;

    public ResponseParser(HttpLimits limits) {
        this.limits = limits;
    }

    /** Readies this parser for the next response; keeps {@link #setHeadResponse} until changed. */
    public void reset() {
        scanner.reset();
        body.reset();
        headerComplete = false;
    }

    /** Tells the parser the response answers a HEAD request: it has no body, whatever its header says. */
    public void setHeadResponse(boolean value) {
        headResponse = value;
    }

    /**
     * Makes the parsed header own a copy of its bytes (see {@link ResponseHeader#parseCopy}) instead of
     * viewing the input, so the response outlives the buffer it was read from; kept until changed.
     */
    public void setCopyHeader(boolean value) {
        copyHeader = value;
    }

    /**
     * Makes {@link #parse} return as soon as the header is complete, leaving the body to later calls,
     * and lifts the body limit: the caller streams the body instead of holding it. Kept until changed.
     */
    public void setStreamBody(boolean value) {
        streamBody = value;
    }

    public boolean isHeaderComplete() {
        return headerComplete;
    }

    public boolean isComplete() {
        return headerComplete && body.isDone();
    }

    /** Parses what it can of {@code buf[from..to)}; returns the index of the first byte not consumed. */
    public int parse(byte[] buf, int from, int to, Response response) {
        int at = from;
        if (!headerComplete) {
            int end = parseHeader(buf, at, to, response.header());
            if (end < 0) return at;
            headerComplete = true;
            startBody(response.header());
            if (streamBody) return end;   // the caller decides when to read the body
            at = end;
        }
        if (!body.isDone()) {
            at = body.decode(buf, at, to, response.bodyBuffer(), response.trailers(), limits.maxTrailerBytes(),
                    limits.maxChunkExtensionBytes(), limits.maxHeaderCount());
        }
        return at;
    }

    /**
     * The peer closed the connection. Completes a body delimited by the close; throws
     * {@link BadRequestException} if the response is incomplete.
     */
    public void parseEof(Response response) {
        if (!headerComplete) throw BadRequestException.of(400, "connection closed before the response header was complete");
        body.endOfInput();
    }

    private int parseHeader(byte[] buf, int from, int to, ResponseHeader header) {
        if (scanner.isFresh() && !copyHeader) {
            int end = header.parse(buf, from, to, limits);
            if (end >= 0) return end;
        }
        int length = scanner.scan(buf, from, to, limits.maxRequestLineBytes(), 400, limits.maxHeaderBytes(), 431, RESPONSE_LIMIT_NAMES);
        if (length < 0) return -1;
        int end = copyHeader ? header.parseCopy(buf, from, from + length, limits) : header.parse(buf, from, from + length, limits);
        if (end < 0) throw new IllegalStateException("scanner and parser disagree on the end of the header section");
        return end;
    }

    // RFC 9112 §6.3: HEAD, 1xx, 204 and 304 have no body; then chunked; then Content-Length; else until close.
    private void startBody(ResponseHeader header) {
        long max = streamBody ? Long.MAX_VALUE : limits.maxBodyBytes();
        if (headResponse || Status.isBodyless(header.statusCode())) body.start(BodyDecoder.Mode.NONE, 0, max);
        else if (header.isChunked()) body.start(BodyDecoder.Mode.CHUNKED, -1, max);
        else if (header.contentLength() >= 0) body.start(BodyDecoder.Mode.LENGTH, header.contentLength(), max);
        else body.start(BodyDecoder.Mode.UNTIL_EOF, -1, max);
    }
}
