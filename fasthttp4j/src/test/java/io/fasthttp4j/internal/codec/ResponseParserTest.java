package io.fasthttp4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.Response;
import io.fasthttp4j.internal.codec.ParserHarness.ParsedResponse;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The response parser: status line, the same field and framing rules as requests, bodies that a
 * status or a HEAD request rules out, and bodies delimited by the peer closing. The harness closes
 * the connection (parseEof) after the last byte when a response is still open.
 */
class ResponseParserTest {
    private static final HttpLimits DEFAULTS = HttpLimits.defaults();
    private static final boolean HEAD = true;
    private static final boolean GET = false;

    // ---- valid responses --------------------------------------------------------------------------

    static Stream<Arguments> valid() {
        return Stream.of(
            valid("200 with Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
                    r(200, "OK", "Content-Length: 5").body("hello")),
            valid("empty reason", "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", r(200, "", "Content-Length: 0")),
            valid("reason with spaces", "HTTP/1.1 404 Not Found Here\r\nContent-Length: 0\r\n\r\n",
                    r(404, "Not Found Here", "Content-Length: 0")),
            valid("reason with HTAB and obs-text", "HTTP/1.1 200 O\tK caf\u00e9\r\nContent-Length: 0\r\n\r\n",
                    r(200, "O\tK caf\u00e9", "Content-Length: 0")),
            valid("HTTP/1.0 with Content-Length", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
                    r(200, "OK", "Content-Length: 2").v10().body("ok")),
            valid("500 with body", "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\noops",
                    r(500, "Internal Server Error", "Content-Length: 4").body("oops")),
            valid("status 599", "HTTP/1.1 599 Whatever\r\nContent-Length: 1\r\n\r\nx", r(599, "Whatever", "Content-Length: 1").body("x")),
            valid("Content-Length with leading zeros", "HTTP/1.1 200 OK\r\nContent-Length: 003\r\n\r\nabc",
                    r(200, "OK", "Content-Length: 003").body("abc")),
            valid("Content-Length list of same value", "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nab",
                    r(200, "OK", "Content-Length: 2, 2").body("ab")),
            valid("binary body", "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n\0\u00ff\r\n\r\n",
                    r(200, "OK", "Content-Length: 6").body("\0\u00ff\r\n\r\n")),
            valid("fields in order, OWS trimmed", "HTTP/1.1 200 OK\r\nB:1\r\nA: \t2 \r\nB: 3\r\nContent-Length: 0\r\n\r\n",
                    r(200, "OK", "B: 1", "A: 2", "B: 3", "Content-Length: 0")),
            valid("close-delimited body", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello world",
                    r(200, "OK", "Content-Type: text/plain").body("hello world")),
            valid("close-delimited body in HTTP/1.0", "HTTP/1.0 200 OK\r\n\r\nabc", r(200, "OK").v10().body("abc")),
            valid("close-delimited empty body", "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", r(200, "OK", "Connection: close")),
            valid("close-delimited body that looks like a response", "HTTP/1.1 200 OK\r\n\r\nHTTP/1.1 200 OK\r\n\r\n",
                    r(200, "OK").body("HTTP/1.1 200 OK\r\n\r\n")),
            valid("204 has no body", "HTTP/1.1 204 No Content\r\n\r\n", r(204, "No Content")),
            valid("304 with Content-Length has no body", "HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n",
                    r(304, "Not Modified", "Content-Length: 100")),
            valid("100 Continue", "HTTP/1.1 100 Continue\r\n\r\n", r(100, "Continue")),
            valid("101 Switching Protocols", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
                    r(101, "Switching Protocols", "Upgrade: websocket", "Connection: Upgrade")),
            valid("HEAD response with Content-Length", HEAD, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n",
                    r(200, "OK", "Content-Length: 100")),
            valid("HEAD response chunked", HEAD, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                    r(200, "OK", "Transfer-Encoding: chunked")),
            valid("HEAD response without length", HEAD, "HTTP/1.1 200 OK\r\n\r\n", r(200, "OK")),
            valid("chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
                    r(200, "OK", "Transfer-Encoding: chunked").body("hello world")),
            valid("chunked with trailers", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nX-Checksum: 1\r\nX-Other:2\r\n\r\n",
                    r(200, "OK", "Transfer-Encoding: chunked").body("x").trailers("X-Checksum: 1", "X-Other: 2")),
            valid("chunked with extensions", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;a=b;c=\"d\"\r\nx\r\n0;e\r\n\r\n",
                    r(200, "OK", "Transfer-Encoding: chunked").body("x")),
            valid("chunked, upper-case hex and leading zeros", "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n00A\r\n0123456789\r\n0\r\n\r\n",
                    r(200, "OK", "Transfer-Encoding: Chunked").body("0123456789")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesValidResponse(String name, String raw, boolean headResponse, ParsedResponse expected) {
        assertEquals(expected, ParserHarness.parseResponse(raw, DEFAULTS, headResponse));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesTheSameAtEverySplitPoint(String name, String raw, boolean headResponse, ParsedResponse expected) {
        for (int at = 0; at <= raw.length(); at++) {
            int split = at;
            assertEquals(expected, assertDoesNotThrow(() -> ParserHarness.parseResponseSplitAt(raw, split, headResponse), "split at " + split), "split at " + at);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesTheSameByteByByte(String name, String raw, boolean headResponse, ParsedResponse expected) {
        assertEquals(expected, ParserHarness.parseResponseByteByByte(raw, DEFAULTS, headResponse));
    }

    // ---- invalid responses ------------------------------------------------------------------------

    /** {@code ANY}: the rules say to reject but not which status a client reports. */
    private static final int ANY = -1;

    static Stream<Arguments> malformed() {
        return Stream.of(
            bad("status of four digits", "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n", 400),
            bad("status of two digits", "HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n", 400),
            bad("status not a number", "HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n", 400),
            bad("status with letter", "HTTP/1.1 20a OK\r\nContent-Length: 0\r\n\r\n", 400),
            bad("status 099", "HTTP/1.1 099 Low\r\nContent-Length: 0\r\n\r\n", 400),
            bad("status 600", "HTTP/1.1 600 High\r\nContent-Length: 0\r\n\r\n", 400),
            bad("status 999", "HTTP/1.1 999 High\r\nContent-Length: 0\r\n\r\n", 400),
            bad("status negative", "HTTP/1.1 -20 OK\r\nContent-Length: 0\r\n\r\n", 400),
            bad("empty status", "HTTP/1.1  OK\r\nContent-Length: 0\r\n\r\n", 400),
            bad("version in lower case", "http/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", ANY),
            bad("version without minor", "HTTP/1 200 OK\r\nContent-Length: 0\r\n\r\n", ANY),
            bad("version with trailing x", "HTTP/1.1x 200 OK\r\nContent-Length: 0\r\n\r\n", ANY),
            bad("version HTTP/2.0", "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", ANY),
            bad("status line ends in bare LF", "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", 400),
            bad("bare CR in reason", "HTTP/1.1 200 O\rK\r\nContent-Length: 0\r\n\r\n", 400),
            bad("NUL in reason", "HTTP/1.1 200 O\0K\r\nContent-Length: 0\r\n\r\n", 400),
            bad("space before colon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", 400),
            bad("obs-fold", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n", 400),
            bad("bare CR in value", "HTTP/1.1 200 OK\r\nX: a\rb\r\nContent-Length: 0\r\n\r\n", 400),
            bad("bare LF after field", "HTTP/1.1 200 OK\r\nX: a\nContent-Length: 0\r\n\r\n", 400),
            bad("NUL in value", "HTTP/1.1 200 OK\r\nX: a\0b\r\nContent-Length: 0\r\n\r\n", 400),
            bad("DEL in value", "HTTP/1.1 200 OK\r\nX: a\u007fb\r\nContent-Length: 0\r\n\r\n", 400),
            bad("name with '@'", "HTTP/1.1 200 OK\r\nX@: a\r\nContent-Length: 0\r\n\r\n", 400),
            bad("line without colon", "HTTP/1.1 200 OK\r\nNoColon\r\nContent-Length: 0\r\n\r\n", 400),
            bad("Content-Length with plus", "HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\nx", 400, "content-length"),
            bad("Content-Length in hex", "HTTP/1.1 200 OK\r\nContent-Length: 0x1\r\n\r\nx", 400, "content-length"),
            bad("Content-Length overflows long", "HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775808\r\n\r\n", 400, "content-length"),
            bad("Content-Length fields differ", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy", 400, "content-length"),
            bad("Content-Length and Transfer-Encoding", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
            bad("chunk size not hex", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nz\r\nx\r\n0\r\n\r\n", 400),
            bad("chunk size with 0x", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x1\r\nx\r\n0\r\n\r\n", 400),
            bad("chunk data too long", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n0\r\n\r\n", 400),
            bad("chunk size overflows", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\nx\r\n0\r\n\r\n", 400),
            bad("forbidden trailer Content-Length", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: 5\r\n\r\n", 400,
                    "content-length"),
            bad("forbidden trailer Set-Cookie", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nSet-Cookie: a=b\r\n\r\n", 400,
                    "set-cookie"),
            bad("header section over maxHeaderBytes", limits().maxHeaderBytes(40).build(),
                    "HTTP/1.1 200 OK\r\nX: " + "v".repeat(30) + "\r\nContent-Length: 0\r\n\r\n", 431, "maxHeaderBytes=40"),
            bad("fields over maxHeaderCount", limits().maxHeaderCount(2).build(),
                    "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nContent-Length: 0\r\n\r\n", 431, "maxHeaderCount=2"),
            bad("Content-Length past maxBodyBytes", limits().maxBodyBytes(4).build(),
                    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 413, "maxBodyBytes=4"),
            bad("chunked body past maxBodyBytes", limits().maxBodyBytes(4).build(),
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", 413, "maxBodyBytes=4"),
            bad("close-delimited body past maxBodyBytes", limits().maxBodyBytes(4).build(),
                    "HTTP/1.1 200 OK\r\n\r\nhello", 413, "maxBodyBytes=4"),
            bad("extension over maxChunkExtensionBytes", limits().maxChunkExtensionBytes(4).build(),
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;abcdefgh\r\nx\r\n0\r\n\r\n", 400, "maxChunkExtensionBytes=4"),
            bad("trailer section over maxTrailerBytes", limits().maxTrailerBytes(8).build(),
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 0123456789\r\n\r\n", 431, "maxTrailerBytes=8"),
            bad("peer closes inside the status line", "HTTP/1.1 20", ANY),
            bad("peer closes inside the header section", "HTTP/1.1 200 OK\r\nContent-Le", ANY),
            bad("peer closes before the blank line", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n", ANY),
            bad("peer closes inside a Content-Length body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", ANY),
            bad("peer closes inside a chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", ANY),
            bad("peer closes before the last chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n", ANY),
            bad("peer closes inside the trailers", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 1\r\n", ANY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedResponse(String name, String raw, HttpLimits limits, int status, String messagePart) {
        var e = assertThrows(BadRequestException.class, () -> ParserHarness.parseResponse(raw, limits, GET));
        if (status != ANY) assertEquals(status, e.status(), e.getMessage());
        if (messagePart != null) {
            assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains(messagePart.toLowerCase(Locale.ROOT)),
                    "message \"" + e.getMessage() + "\" does not name " + messagePart);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedResponseByteByByte(String name, String raw, HttpLimits limits, int status, String messagePart) {
        var e = assertThrows(BadRequestException.class, () -> ParserHarness.parseResponseByteByByte(raw, limits, GET));
        if (status != ANY) assertEquals(status, e.status(), e.getMessage());
    }

    // ---- end of body, pipelining, accessors -------------------------------------------------------

    @Test
    void completesCloseDelimitedBodyOnlyAtEof() {
        byte[] buf = ParserHarness.bytes("HTTP/1.1 200 OK\r\n\r\nhello");
        var parser = new ResponseParser(DEFAULTS);
        var response = new Response();
        assertEquals(buf.length, parser.parse(buf, 0, buf.length, response));
        assertFalse(parser.isComplete());
        parser.parseEof(response);
        assertTrue(parser.isComplete());
        assertEquals("hello", response.body().toString());
    }

    @Test
    void completesLengthDelimitedBodyWithoutEof() {
        byte[] buf = ParserHarness.bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        var parser = new ResponseParser(DEFAULTS);
        var response = new Response();
        assertEquals(buf.length, parser.parse(buf, 0, buf.length, response));
        assertTrue(parser.isComplete());
        assertEquals("ok", response.body().toString());
    }

    @Test
    void consumesNothingWhileTheHeaderSectionIsIncomplete() {
        byte[] buf = ParserHarness.bytes("xxHTTP/1.1 200 OK\r\nContent-Length: 2\r\n");
        var parser = new ResponseParser(DEFAULTS);
        assertEquals(2, parser.parse(buf, 2, buf.length, new Response()));
        assertFalse(parser.isComplete());
    }

    @Test
    void headResponseLeavesTheNextResponseUnread() {
        byte[] buf = ParserHarness.bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
        var parser = new ResponseParser(DEFAULTS);
        parser.setHeadResponse(true);
        var response = new Response();
        int end = parser.parse(buf, 0, buf.length, response);
        assertTrue(parser.isComplete());
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n".length(), end);
        assertEquals(0, response.body().length());
        assertEquals(5, response.header().contentLength());
    }

    @Test
    void exposesStatusAndWellKnownFields() {
        byte[] buf = ParserHarness.bytes("HTTP/1.1 201 Created\r\ncontent-type: application/json\r\nConnection: close\r\n"
                + "Content-Length: 2\r\n\r\n{}");
        var parser = new ResponseParser(DEFAULTS);
        var response = new Response();
        parser.parse(buf, 0, buf.length, response);
        assertTrue(parser.isComplete());
        var h = response.header();
        assertAll(
            () -> assertEquals(201, response.statusCode()),
            () -> assertEquals(201, h.statusCode()),
            () -> assertEquals("Created", h.reasonPhrase().toString()),
            () -> assertEquals("HTTP/1.1", h.protocol().toString()),
            () -> assertEquals("application/json", h.contentType().toString()),
            () -> assertEquals(2, h.contentLength()),
            () -> assertFalse(h.isChunked()),
            () -> assertTrue(h.connectionClose()),
            () -> assertEquals("close", h.get("CONNECTION")),
            () -> assertEquals("{}", response.body().toString()));
    }

    @Test
    void keepsConnectionOpenWithoutConnectionClose() {
        byte[] buf = ParserHarness.bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        var parser = new ResponseParser(DEFAULTS);
        var response = new Response();
        parser.parse(buf, 0, buf.length, response);
        assertTrue(parser.isComplete());
        assertFalse(response.header().connectionClose());
        assertTrue(response.header().isChunked());
        assertEquals(-1, response.header().contentLength());
    }

    @Test
    void parsesPipelinedResponses() {
        String raw = "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                + "HTTP/1.1 204 No Content\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX-T: t\r\n\r\n"
                + "HTTP/1.1 200 OK\r\n\r\nuntil close";
        List<ParsedResponse> expected = List.of(
                r(100, "Continue").build(),
                r(200, "OK", "Content-Length: 2").body("ok").build(),
                r(204, "No Content").build(),
                r(200, "OK", "Transfer-Encoding: chunked").body("hi").trailers("X-T: t").build(),
                r(200, "OK").body("until close").build());
        assertEquals(expected, ParserHarness.parseAllResponses(raw));
        assertEquals(expected, ParserHarness.parseAllResponsesByteByByte(raw));
    }

    @Test
    void reusesParserAfterReset() {
        var parser = new ResponseParser(DEFAULTS);
        var response = new Response();
        byte[] first = ParserHarness.bytes("HTTP/1.1 200 OK\r\nX-First: 1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nX-T: 1\r\n\r\n");
        parser.parse(first, 0, first.length, response);
        assertTrue(parser.isComplete());
        parser.reset();
        response.reset();
        byte[] second = ParserHarness.bytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        assertEquals(second.length, parser.parse(second, 0, second.length, response));
        assertEquals(new ParsedResponse(404, "Not Found", "HTTP/1.1", List.of("Content-Length: 0"), "", List.of()),
                ParserHarness.extract(response));
    }

    // ---- case tables: builders --------------------------------------------------------------------

    private static HttpLimits.Builder limits() {
        return HttpLimits.builder();
    }

    private static Arguments valid(String name, String raw, Expected expected) {
        return arguments(name, raw, GET, expected.build());
    }

    private static Arguments valid(String name, boolean headResponse, String raw, Expected expected) {
        return arguments(name, raw, headResponse, expected.build());
    }

    private static Arguments bad(String name, String raw, int status) {
        return arguments(name, raw, DEFAULTS, status, null);
    }

    private static Arguments bad(String name, String raw, int status, String messagePart) {
        return arguments(name, raw, DEFAULTS, status, messagePart);
    }

    private static Arguments bad(String name, HttpLimits limits, String raw, int status, String messagePart) {
        return arguments(name, raw, limits, status, messagePart);
    }

    private static Expected r(int status, String reason, String... headers) {
        return new Expected(status, reason, List.of(headers));
    }

    /** Builds a {@link ParsedResponse}: HTTP/1.1, no body, no trailers unless said otherwise. */
    private static final class Expected {
        private final int status;
        private final String reason;
        private final List<String> headers;
        private String protocol = "HTTP/1.1";
        private String body = "";
        private List<String> trailers = List.of();

        Expected(int status, String reason, List<String> headers) {
            this.status = status;
            this.reason = reason;
            this.headers = headers;
        }

        Expected v10() {
            protocol = "HTTP/1.0";
            return this;
        }

        Expected body(String value) {
            body = value;
            return this;
        }

        Expected trailers(String... fields) {
            trailers = List.of(fields);
            return this;
        }

        ParsedResponse build() {
            return new ParsedResponse(status, reason, protocol, headers, body, trailers);
        }
    }
}
