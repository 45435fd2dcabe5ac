package io.fasthttp4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.ByteView;
import io.fasthttp4j.HeaderFields;
import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.Request;
import io.fasthttp4j.RequestHeader;
import io.fasthttp4j.Response;
import io.fasthttp4j.ResponseHeader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Drives {@link RequestParser} and {@link ResponseParser} the way a socket reader does, and turns
 * what they parsed into plain records that tests compare with {@code assertEquals}.
 *
 * <p>Input arrives in pieces (the whole input, two pieces, or one byte at a time) and accumulates
 * in one buffer. While a message's header section is incomplete the parser consumes nothing, and
 * the harness sometimes moves the unconsumed bytes to another array at another offset, scribbling
 * over the old one, to prove the parser remembers positions relative to {@code from} and keeps no
 * reference to the old array. Once the parser has consumed bytes of a message, header views may
 * point into the buffer, so the harness only appends until that message completes. Bytes past
 * {@code to} are always NUL, so a parser that reads beyond {@code to} sees garbage.
 *
 * <p>Test strings become bytes as ISO-8859-1 (one char, one byte), and parsed bytes become strings
 * the same way, so obs-text and binary bodies survive the trip unchanged.
 */
final class ParserHarness {
    private ParserHarness() {
    }

    /** A parsed request; headers and trailers are {@code "Name: value"} in the order received. */
    record ParsedRequest(String method, String target, String protocol, List<String> headers, String body,
            List<String> trailers, boolean keepAlive) {
    }

    /** A parsed response; headers and trailers are {@code "Name: value"} in the order received. */
    record ParsedResponse(int status, String reason, String protocol, List<String> headers, String body,
            List<String> trailers) {
    }

    /**
     * What a fuzz target compares between two ways of feeding the same bytes: the messages that
     * completed, in order; the status of the {@link BadRequestException} that stopped the input, or 0
     * when none did; and whether the input ran out inside a message. A request left incomplete is not
     * counted, as a server still waiting for more would not; a response left incomplete gets the
     * peer's close, which completes or rejects it.
     */
    record Outcome<T>(List<T> messages, int status, boolean waiting) {
    }

    /** Free bytes kept before and after the data, so moves can land at different offsets. */
    private static final int SLACK = 16;

    // ---- requests -------------------------------------------------------------------------------

    static ParsedRequest parse(String raw) {
        return parse(raw, HttpLimits.defaults());
    }

    static ParsedRequest parse(String raw, HttpLimits limits) {
        return single(parseRequests(raw, limits, wholeInput(raw)));
    }

    static ParsedRequest parseSplitAt(String raw, int at) {
        return parseSplitAt(raw, at, HttpLimits.defaults());
    }

    static ParsedRequest parseSplitAt(String raw, int at, HttpLimits limits) {
        return single(parseRequests(raw, limits, splitAt(raw, at)));
    }

    static ParsedRequest parseByteByByte(String raw) {
        return parseByteByByte(raw, HttpLimits.defaults());
    }

    static ParsedRequest parseByteByByte(String raw, HttpLimits limits) {
        return single(parseRequests(raw, limits, byteByByte(raw)));
    }

    static List<ParsedRequest> parseAll(String raw) {
        return parseRequests(raw, HttpLimits.defaults(), wholeInput(raw));
    }

    static List<ParsedRequest> parseAllSplitAt(String raw, int at) {
        return parseRequests(raw, HttpLimits.defaults(), splitAt(raw, at));
    }

    static List<ParsedRequest> parseAllByteByByte(String raw) {
        return parseRequests(raw, HttpLimits.defaults(), byteByByte(raw));
    }

    private static List<ParsedRequest> parseRequests(String raw, HttpLimits limits, int[] cuts) {
        List<ParsedRequest> messages = new ArrayList<>();
        feed(new RequestSide(limits), bytes(raw), cuts, AtEnd.FAIL, messages);
        return messages;
    }

    /**
     * Feeds any bytes cut at {@code cuts} (increasing, the last one {@code input.length}) and returns what
     * came of them; an incomplete request at the end is dropped. Any exception other than {@link
     * BadRequestException}, or one with a status outside 400..599, propagates.
     */
    static Outcome<ParsedRequest> requestOutcome(byte[] input, HttpLimits limits, int[] cuts) {
        return outcome(new RequestSide(limits), input, cuts, false);
    }

    // ---- responses ------------------------------------------------------------------------------

    static ParsedResponse parseResponse(String raw) {
        return parseResponse(raw, HttpLimits.defaults(), false);
    }

    /** Parses one response; the peer closes after the last byte (parseEof) if the response needs it. */
    static ParsedResponse parseResponse(String raw, HttpLimits limits, boolean headResponse) {
        return single(parseResponses(raw, limits, headResponse, wholeInput(raw)));
    }

    static ParsedResponse parseResponseSplitAt(String raw, int at, boolean headResponse) {
        return single(parseResponses(raw, HttpLimits.defaults(), headResponse, splitAt(raw, at)));
    }

    static ParsedResponse parseResponseByteByByte(String raw, HttpLimits limits, boolean headResponse) {
        return single(parseResponses(raw, limits, headResponse, byteByByte(raw)));
    }

    static List<ParsedResponse> parseAllResponses(String raw) {
        return parseResponses(raw, HttpLimits.defaults(), false, wholeInput(raw));
    }

    static List<ParsedResponse> parseAllResponsesByteByByte(String raw) {
        return parseResponses(raw, HttpLimits.defaults(), false, byteByByte(raw));
    }

    private static List<ParsedResponse> parseResponses(String raw, HttpLimits limits, boolean headResponse, int[] cuts) {
        List<ParsedResponse> messages = new ArrayList<>();
        feed(new ResponseSide(limits, headResponse, false), bytes(raw), cuts, AtEnd.EOF, messages);
        return messages;
    }

    /**
     * Feeds any bytes cut at {@code cuts} (increasing, the last one {@code input.length}), then the
     * peer's close, and returns what came of them; see {@link #requestOutcome}. {@code copyHeader} is
     * {@link ResponseParser#setCopyHeader}, which the client uses.
     */
    static Outcome<ParsedResponse> responseOutcome(byte[] input, HttpLimits limits, boolean headResponse,
            boolean copyHeader, int[] cuts) {
        return outcome(new ResponseSide(limits, headResponse, copyHeader), input, cuts, true);
    }

    // ---- conversions ----------------------------------------------------------------------------

    static byte[] bytes(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) > 0xff) throw new IllegalArgumentException("test input char > 0xff at " + i);
        }
        return raw.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(ByteView view) {
        return view == null ? null : new String(view.toBytes(), StandardCharsets.ISO_8859_1);
    }

    static ParsedRequest extract(Request request) {
        RequestHeader h = request.header();
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < h.fieldCount(); i++) headers.add(text(h.nameAt(i)) + ": " + text(h.valueAt(i)));
        return new ParsedRequest(text(h.method()), text(h.requestUri()), text(h.protocol()), List.copyOf(headers),
                text(request.body()), fields(request.trailers()), h.isKeepAlive());
    }

    static ParsedResponse extract(Response response) {
        ResponseHeader h = response.header();
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < h.fieldCount(); i++) headers.add(text(h.nameAt(i)) + ": " + text(h.valueAt(i)));
        return new ParsedResponse(h.statusCode(), text(h.reasonPhrase()), text(h.protocol()), List.copyOf(headers),
                text(response.body()), fields(response.trailers()));
    }

    static List<String> fields(HeaderFields fields) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < fields.count(); i++) out.add(text(fields.nameAt(i)) + ": " + text(fields.valueAt(i)));
        return List.copyOf(out);
    }

    // ---- the reader loop ------------------------------------------------------------------------

    private static int[] wholeInput(String raw) {
        return wholeInput(raw.length());
    }

    private static int[] splitAt(String raw, int at) {
        return splitAt(raw.length(), at);
    }

    private static int[] byteByByte(String raw) {
        return byteByByte(raw.length());
    }

    static int[] wholeInput(int length) {
        return new int[] {length};
    }

    static int[] splitAt(int length, int at) {
        if (at < 0 || at > length) throw new IllegalArgumentException("split " + at + " outside input");
        return new int[] {at, length};
    }

    static int[] byteByByte(int length) {
        int[] cuts = new int[length];
        for (int i = 0; i < cuts.length; i++) cuts[i] = i + 1;
        return cuts;
    }

    /**
     * Where a fuzz target splits an input of {@code length} bytes in two: every point of an input
     * under 32 bytes, 16 or so spread over a longer one (every point would make each run quadratic).
     */
    static int[] splitPoints(int length) {
        int step = Math.max(1, length / 16);
        return IntStream.iterate(1, at -> at < length, at -> at + step).toArray();
    }

    private static <T> T single(List<T> messages) {
        assertEquals(1, messages.size(), () -> "expected exactly one message, parsed " + messages);
        return messages.get(0);
    }

    /** One parser and its message, behind the few calls the reader loop makes. */
    private interface Side<T> {
        int parse(byte[] buf, int from, int to);

        boolean isComplete();

        /** The peer closed: completes a close-delimited message or throws. */
        void eof();

        T extractAndReset();
    }

    private static final class RequestSide implements Side<ParsedRequest> {
        final RequestParser parser;
        final Request request = new Request();

        RequestSide(HttpLimits limits) {
            parser = new RequestParser(limits);
        }

        @Override
        public int parse(byte[] buf, int from, int to) {
            return parser.parse(buf, from, to, request);
        }

        @Override
        public boolean isComplete() {
            return parser.isComplete();
        }

        @Override
        public void eof() {
            fail("request incomplete at end of input");
        }

        @Override
        public ParsedRequest extractAndReset() {
            ParsedRequest parsed = extract(request);
            parser.reset();
            request.reset();
            return parsed;
        }
    }

    private static final class ResponseSide implements Side<ParsedResponse> {
        final ResponseParser parser;
        final Response response = new Response();
        final boolean headResponse;

        ResponseSide(HttpLimits limits, boolean headResponse, boolean copyHeader) {
            parser = new ResponseParser(limits);
            this.headResponse = headResponse;
            parser.setHeadResponse(headResponse);
            parser.setCopyHeader(copyHeader);
        }

        @Override
        public int parse(byte[] buf, int from, int to) {
            return parser.parse(buf, from, to, response);
        }

        @Override
        public boolean isComplete() {
            return parser.isComplete();
        }

        @Override
        public void eof() {
            parser.parseEof(response);
        }

        @Override
        public ParsedResponse extractAndReset() {
            ParsedResponse parsed = extract(response);
            parser.reset();
            response.reset();
            parser.setHeadResponse(headResponse);
            return parsed;
        }
    }

    /**
     * Asserts that the same bytes fed another way ({@code other}: in other pieces, or with {@link
     * ResponseParser#setCopyHeader}) came to the same outcome as {@code whole}: the same messages, and
     * the same status if nothing was rejected. Where {@code whole} was rejected, two differences are
     * allowed, both from the header section's two paths. Its one-pass parse also runs on the first
     * read of a section, and checks a line's syntax before the next line's end; once a section has
     * arrived in part, and always with copyHeader, later reads only look for its end, checking line
     * ends and limits on the way (SectionScanner), and the one-pass parse runs when it ends. So
     * {@code other} may have run out of input inside that message (still waiting, or rejected by the
     * peer's close), and where a section has two faults each path may report a different one (a bad
     * version's 505 on one path, a bare CR's 400 on the other).
     */
    static <T> void assertSameOutcome(Outcome<T> whole, Outcome<T> other, Supplier<String> how) {
        assertEquals(whole.messages(), other.messages(), how);
        if (whole.status() == 0) {
            assertEquals(whole, other, how);
        } else if (other.status() == 0) {
            assertTrue(other.waiting(), () -> how.get() + ": rejected with " + whole.status() + " when whole, accepted in pieces");
        }
    }

    /** What the reader loop does with bytes left over at the end of the input. */
    private enum AtEnd {
        /** A test's input is whole messages: left-over bytes fail the test. */
        FAIL,
        /** The peer closes: {@code eof()} completes the message or throws. */
        EOF,
        /** The peer may send more later: an incomplete message is not counted. */
        DROP
    }

    /** Feeds the input, then, if it ended inside a message and {@code closeAtEnd}, the peer's close. */
    private static <T> Outcome<T> outcome(Side<T> side, byte[] input, int[] cuts, boolean closeAtEnd) {
        List<T> messages = new ArrayList<>();
        boolean waiting;
        try {
            waiting = feed(side, input, cuts, AtEnd.DROP, messages);
        } catch (BadRequestException e) {
            return rejected(messages, e, false);
        }
        if (!waiting || !closeAtEnd) return new Outcome<>(List.copyOf(messages), 0, waiting);
        try {
            side.eof();
        } catch (BadRequestException e) {
            return rejected(messages, e, true);
        }
        assertTrue(side.isComplete(), "parseEof returned without completing the message");
        messages.add(side.extractAndReset());
        return new Outcome<>(List.copyOf(messages), 0, false);
    }

    private static <T> Outcome<T> rejected(List<T> messages, BadRequestException e, boolean waiting) {
        if (e.status() < 400 || e.status() > 599) throw new AssertionError("status " + e.status() + " outside 400..599", e);
        return new Outcome<>(List.copyOf(messages), e.status(), waiting);
    }

    /**
     * Feeds {@code input} cut at {@code cuts} (increasing, the last one input.length) and adds every
     * complete message to {@code messages}. Returns true when it dropped an incomplete one at the end.
     */
    private static <T> boolean feed(Side<T> side, byte[] input, int[] cuts, AtEnd atEnd, List<T> messages) {
        byte[] buf = new byte[input.length + 2 * SLACK];
        int start = 0;
        int end = 0;
        int fed = 0;
        int moves = 0;
        boolean touched = false;   // the parser consumed bytes of the current message: its views may point into buf
        for (int piece = 0; piece < cuts.length; piece++) {
            int cut = cuts[piece];
            if (!touched && start < end && piece % 3 == 1) {
                int offset = (++moves * 5) % SLACK;
                byte[] moved = new byte[input.length + 2 * SLACK];
                System.arraycopy(buf, start, moved, offset, end - start);
                Arrays.fill(buf, (byte) '#');   // a parser that kept the old array now reads garbage
                buf = moved;
                end = offset + (end - start);
                start = offset;
            }
            System.arraycopy(input, fed, buf, end, cut - fed);
            end += cut - fed;
            fed = cut;
            while (true) {
                int next = side.parse(buf, start, end);
                assertTrue(next >= start && next <= end,
                        "parse returned " + next + " outside [" + start + ", " + end + "]");
                boolean progressed = next > start;
                touched |= progressed;
                start = next;
                if (side.isComplete()) {
                    messages.add(side.extractAndReset());
                    touched = false;
                    if (start == end) break;
                } else if (!progressed || start == end) {
                    break;
                }
            }
        }
        if (touched || start < end) {
            if (atEnd == AtEnd.DROP) return true;
            if (atEnd == AtEnd.FAIL) fail("incomplete message at end of input: " + (end - start) + " bytes unconsumed, "
                    + messages.size() + " complete before it");
            side.eof();
            assertTrue(side.isComplete(), "parseEof returned without completing the message");
            messages.add(side.extractAndReset());
        }
        return false;
    }
}
