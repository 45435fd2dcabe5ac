package io.fasthttp4j.internal.codec;

import io.fasthttp4j.internal.bytes.Ascii;
import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.Request;
import io.fasthttp4j.RequestHeader;
import io.fasthttp4j.pool.BudgetExceededException;

/**
 * Reads requests from bytes that arrive in any number of pieces, one request after another
 * (pipelining). Usage: call {@link #parse} with the unconsumed bytes each time more arrive; when
 * {@link #isComplete()}, handle the request, then {@link #reset()} this parser and the request and
 * go on from the returned index. Strict RFC 9110/9112: bad input throws {@link BadRequestException}
 * with the status to answer, and the connection must then be closed; so does a body buffer that may
 * not grow within its memory budget (503). Runs on one connection's thread.
 *
 * <p>While the header section is incomplete nothing is consumed: pass the same bytes again (they may
 * have moved) with more after them; only the new bytes are scanned. Once it is complete, the request's
 * header values are views into {@code buf}: keep those bytes unchanged until the request is handled.
 * Body bytes are copied into {@link Request#bodyBuffer()} as they are consumed.
 */
public final class RequestParser {
    /** Most empty lines accepted before a request line (RFC 9112 §2.2 says to ignore at least one). */
    static final int MAX_LEADING_EMPTY_LINES = 8;

    /**
     * Told when a request's header section is complete, before any of its body is read: the place for
     * a server to apply per-request limits ({@link #setMaxBodyBytes}) and answer Expect: 100-continue.
     */
    @FunctionalInterface
    public interface HeaderListener {
        void onHeader(Request request);
    }

    private static final String[] REQUEST_LIMIT_NAMES = {"request line", "maxRequestLineBytes", "header section", "maxHeaderBytes"};

    private final HttpLimits limits;
    private final SectionScanner scanner = new SectionScanner();
    private final BodyDecoder body = new BodyDecoder();
    private HeaderListener headerListener;
    private boolean headerComplete;
    private int headerEnd;
    private int leadingEmptyLines;
    private long maxBodyBytes;

    public RequestParser(HttpLimits limits) {
        this.limits = limits;
        this.maxBodyBytes = limits.maxBodyBytes();
    }

    /** Readies this parser for the next request; keeps its header listener. */
    public void reset() {
        scanner.reset();
        body.reset();
        headerComplete = false;
        leadingEmptyLines = 0;
        maxBodyBytes = limits.maxBodyBytes();
    }

    /** Sets (or clears, with null) the listener told of each complete header section. */
    public void setHeaderListener(HeaderListener listener) {
        headerListener = listener;
    }

    /** True when the header section has been parsed (the body may still be arriving). */
    public boolean isHeaderComplete() {
        return headerComplete;
    }

    /**
     * Where the header section ended, as an index into the {@code buf} of the {@link #parse} call that
     * completed it: the bytes before it hold the header's views; after it, only consumed body bytes.
     */
    public int headerEnd() {
        return headerEnd;
    }

    /** True when the whole request, body and trailers included, has been parsed. */
    public boolean isComplete() {
        return headerComplete && body.isDone();
    }

    /**
     * Changes the body limit of the request being parsed (a server's per-request hook, best called
     * from the {@link HeaderListener}). Throws 413 at once if a declared Content-Length exceeds it.
     */
    public void setMaxBodyBytes(long maxBodyBytes) {
        if (maxBodyBytes < 1) throw new IllegalArgumentException("maxBodyBytes must be at least 1, was " + maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
        if (headerComplete) body.setMaxBodyBytes(maxBodyBytes);
    }

    /**
     * Parses what it can of {@code buf[from..to)} into {@code request}; returns the index of the
     * first byte not consumed.
     *
     * @throws BadRequestException for input that breaks the rules or a limit
     */
    public int parse(byte[] buf, int from, int to, Request request) {
        int at = from;
        if (!headerComplete) {
            at = skipLeadingEmptyLines(buf, at, to);
            // Nothing yet, or a lone CR that may be the start of another empty line: wait for more.
            if (scanner.isFresh() && (at == to || (to - at == 1 && buf[at] == Ascii.CR))) return at;
            int end = parseHeader(buf, at, to, request.header());
            if (end < 0) return at;
            if (headerListener != null) headerListener.onHeader(request);
            headerComplete = true;
            headerEnd = end;
            startBody(request.header());
            at = end;
        }
        if (!body.isDone()) {
            try {
                at = body.decode(buf, at, to, request.bodyBuffer(), request.trailers(), limits.maxTrailerBytes(),
                        limits.maxChunkExtensionBytes(), limits.maxHeaderCount());
            } catch (BudgetExceededException e) {
                // The server's bodies together hold all its budget allows: shed this request, as a 503.
                throw BadRequestException.of(503, "%s", e.getMessage());
            }
        }
        return at;
    }

    private int skipLeadingEmptyLines(byte[] buf, int at, int to) {
        while (scanner.isFresh() && to - at >= 2 && buf[at] == Ascii.CR && buf[at + 1] == Ascii.LF) {
            if (++leadingEmptyLines > MAX_LEADING_EMPTY_LINES) {
                throw BadRequestException.of(400, "more than %d empty lines before the request line", MAX_LEADING_EMPTY_LINES);
            }
            at += 2;
        }
        return at;
    }

    /** Returns the index after the header section, or -1 while it is incomplete. */
    private int parseHeader(byte[] buf, int from, int to, RequestHeader header) {
        if (scanner.isFresh()) {
            // Fast path: the whole section usually arrives in one read, and then one pass is enough.
            int end = header.parse(buf, from, to, limits);
            if (end >= 0) return end;
        }
        int length = scanner.scan(buf, from, to, limits.maxRequestLineBytes(), 414, limits.maxHeaderBytes(), 431, REQUEST_LIMIT_NAMES);
        if (length < 0) return -1;
        int end = header.parse(buf, from, from + length, limits);
        if (end < 0) throw new IllegalStateException("scanner and parser disagree on the end of the header section");
        return end;
    }

    private void startBody(RequestHeader header) {
        if (header.isChunked()) {
            body.start(BodyDecoder.Mode.CHUNKED, -1, maxBodyBytes);
        } else if (header.contentLength() > 0) {
            body.start(BodyDecoder.Mode.LENGTH, header.contentLength(), maxBodyBytes);
        } else {
            body.start(BodyDecoder.Mode.NONE, 0, maxBodyBytes);   // RFC 9112 §6.3: no length, no body
        }
    }
}
