package io.fasthttp4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.Request;
import io.fasthttp4j.internal.codec.ParserHarness.ParsedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request parser against RFC 9110/9112 and our limits, as tables of named cases. Every valid
 * case also parses split at every byte boundary and one byte at a time; every invalid case is also
 * rejected with the same status when fed one byte at a time and at every split point.
 */
class RequestParserTest {
    private static final HttpLimits DEFAULTS = HttpLimits.defaults();
    private static final String HOST = "Host: a\r\n";

    // ---- valid requests ---------------------------------------------------------------------------

    static Stream<Arguments> valid() {
        return Stream.of(
            // request line
            valid("minimal GET", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", e("GET", "/").h("Host: a")),
            valid("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", e("GET", "/").v10()),
            valid("HTTP/1.0 with Host", "GET /x HTTP/1.0\r\nHost: a\r\n\r\n", e("GET", "/x").v10().h("Host: a")),
            valid("HEAD", "HEAD /h HTTP/1.1\r\n" + HOST + "\r\n", e("HEAD", "/h").h("Host: a")),
            valid("PUT", "PUT /p HTTP/1.1\r\n" + HOST + "\r\n", e("PUT", "/p").h("Host: a")),
            valid("DELETE", "DELETE /d HTTP/1.1\r\n" + HOST + "\r\n", e("DELETE", "/d").h("Host: a")),
            valid("PATCH", "PATCH /p HTTP/1.1\r\n" + HOST + "\r\n", e("PATCH", "/p").h("Host: a")),
            valid("TRACE", "TRACE / HTTP/1.1\r\n" + HOST + "\r\n", e("TRACE", "/").h("Host: a")),
            valid("lower-case method kept as is", "get / HTTP/1.1\r\n" + HOST + "\r\n", e("get", "/").h("Host: a")),
            valid("extension method M-SEARCH", "M-SEARCH /s HTTP/1.1\r\n" + HOST + "\r\n", e("M-SEARCH", "/s").h("Host: a")),
            valid("method of every tchar", "!#$%&'*+-.^_`|~09azAZ / HTTP/1.1\r\n" + HOST + "\r\n",
                    e("!#$%&'*+-.^_`|~09azAZ", "/").h("Host: a")),
            valid("OPTIONS asterisk-form", "OPTIONS * HTTP/1.1\r\n" + HOST + "\r\n", e("OPTIONS", "*").h("Host: a")),
            valid("OPTIONS origin-form", "OPTIONS /o HTTP/1.1\r\n" + HOST + "\r\n", e("OPTIONS", "/o").h("Host: a")),
            valid("CONNECT authority-form", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
                    e("CONNECT", "example.com:443").h("Host: example.com:443")),
            valid("absolute-form", "GET http://example.com/path?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n",
                    e("GET", "http://example.com/path?q=1").h("Host: example.com")),
            valid("absolute-form without path", "GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n",
                    e("GET", "http://example.com").h("Host: example.com")),
            valid("absolute-form https with port", "GET https://example.com:8443/p HTTP/1.1\r\nHost: example.com:8443\r\n\r\n",
                    e("GET", "https://example.com:8443/p").h("Host: example.com:8443")),
            valid("CONNECT to an IPv6 authority", "CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n\r\n",
                    e("CONNECT", "[::1]:443").h("Host: [::1]:443")),
            valid("query string", "GET /search?q=a+b&x=%20&y= HTTP/1.1\r\n" + HOST + "\r\n",
                    e("GET", "/search?q=a+b&x=%20&y=").h("Host: a")),
            valid("target of every allowed visible char", "GET /a-b_c.d~e!$&'()*+,;=:@/%41?x=/?[]{}|\\^`\"<> HTTP/1.1\r\n" + HOST + "\r\n",
                    e("GET", "/a-b_c.d~e!$&'()*+,;=:@/%41?x=/?[]{}|\\^`\"<>").h("Host: a")),
            valid("long path within limit", "GET /" + "p".repeat(4000) + " HTTP/1.1\r\n" + HOST + "\r\n",
                    e("GET", "/" + "p".repeat(4000)).h("Host: a")),
            valid("one leading CRLF skipped", "\r\nGET / HTTP/1.1\r\n" + HOST + "\r\n", e("GET", "/").h("Host: a")),
            valid("two leading CRLFs skipped", "\r\n\r\nGET / HTTP/1.1\r\n" + HOST + "\r\n", e("GET", "/").h("Host: a")),
            valid("request line exactly maxRequestLineBytes", limits().maxRequestLineBytes(32).build(),
                    "GET /" + "a".repeat(16) + " HTTP/1.1\r\n" + HOST + "\r\n", e("GET", "/" + "a".repeat(16)).h("Host: a")),

            // fields
            valid("value without space after colon", "GET / HTTP/1.1\r\nHost:a\r\nX:v\r\n\r\n", e("GET", "/").h("Host: a", "X: v")),
            valid("OWS around value trimmed", "GET / HTTP/1.1\r\nHost: a\r\nX: \t  v w \t \r\n\r\n",
                    e("GET", "/").h("Host: a", "X: v w")),
            valid("empty value", "GET / HTTP/1.1\r\nHost: a\r\nX:\r\n\r\n", e("GET", "/").h("Host: a", "X: ")),
            valid("value of only OWS", "GET / HTTP/1.1\r\nHost: a\r\nX: \t \r\n\r\n", e("GET", "/").h("Host: a", "X: ")),
            valid("HTAB inside value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\tb\r\n\r\n", e("GET", "/").h("Host: a", "X: a\tb")),
            valid("obs-text in value", "GET / HTTP/1.1\r\nHost: a\r\nX: caf\u00e9 \u0080\u00ff\r\n\r\n",
                    e("GET", "/").h("Host: a", "X: caf\u00e9 \u0080\u00ff")),
            valid("value with colons, quotes, commas and #", "GET / HTTP/1.1\r\nHost: a\r\nX: a:b, \"c;d\" #e\r\n\r\n",
                    e("GET", "/").h("Host: a", "X: a:b, \"c;d\" #e")),
            valid("fields in order with duplicates", "GET / HTTP/1.1\r\nHost: a\r\nB: 1\r\nA: 2\r\nB: 3\r\n\r\n",
                    e("GET", "/").h("Host: a", "B: 1", "A: 2", "B: 3")),
            valid("name of every tchar", "GET / HTTP/1.1\r\nHost: a\r\n!#$%&'*+-.^_`|~09azAZ: v\r\n\r\n",
                    e("GET", "/").h("Host: a", "!#$%&'*+-.^_`|~09azAZ: v")),
            valid("name case kept", "GET / HTTP/1.1\r\nhOsT: a\r\nx-LoWeR: v\r\n\r\n", e("GET", "/").h("hOsT: a", "x-LoWeR: v")),
            valid("Host after other fields", "GET / HTTP/1.1\r\nA: 1\r\nHost: a\r\n\r\n", e("GET", "/").h("A: 1", "Host: a")),
            valid("header section exactly maxHeaderBytes", limits().maxHeaderBytes(64).build(), headerSectionOf(64),
                    e("GET", "/").h("Host: a", "X: " + "v".repeat(64 - 32))),
            valid("exactly maxHeaderCount fields", manyFields(100), e("GET", "/").h(fieldList(100))),
            valid("exactly maxHeaderCount fields, custom limit", limits().maxHeaderCount(3).build(), manyFields(3),
                    e("GET", "/").h(fieldList(3))),

            // Host
            valid("empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", e("GET", "/").h("Host: ")),
            valid("Host with port", "GET / HTTP/1.1\r\nHost: host:8080\r\n\r\n", e("GET", "/").h("Host: host:8080")),
            valid("Host IPv6 with port", "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", e("GET", "/").h("Host: [::1]:80")),
            valid("Host IPv6", "GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n", e("GET", "/").h("Host: [::1]")),
            valid("Host IPv4", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", e("GET", "/").h("Host: 127.0.0.1")),
            valid("Host name with dots and dashes", "GET / HTTP/1.1\r\nHost: my-host.example.com\r\n\r\n",
                    e("GET", "/").h("Host: my-host.example.com")),

            // Connection
            valid("HTTP/1.1 keeps alive by default", "GET / HTTP/1.1\r\n" + HOST + "\r\n", e("GET", "/").h("Host: a")),
            valid("Connection close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
                    e("GET", "/").h("Host: a", "Connection: close").close()),
            valid("Connection Close in other case", "GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n",
                    e("GET", "/").h("Host: a", "Connection: Close").close()),
            valid("Connection list with close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, close\r\n\r\n",
                    e("GET", "/").h("Host: a", "Connection: Upgrade, close").close()),
            valid("Connection keep-alive, Upgrade", "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n\r\n",
                    e("GET", "/").h("Host: a", "Connection: keep-alive, Upgrade", "Upgrade: websocket")),
            valid("HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                    e("GET", "/").v10().h("Connection: keep-alive").keepAlive()),
            valid("HTTP/1.0 Keep-Alive in other case", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
                    e("GET", "/").v10().h("Connection: Keep-Alive").keepAlive()),
            valid("HTTP/1.0 Connection close", "GET / HTTP/1.0\r\nConnection: close\r\n\r\n",
                    e("GET", "/").v10().h("Connection: close")),

            // Content-Length
            valid("Content-Length body", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
                    e("POST", "/").h("Host: a", "Content-Length: 5").body("hello")),
            valid("Content-Length 0", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
                    e("POST", "/").h("Host: a", "Content-Length: 0")),
            valid("Content-Length with leading zeros", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 007\r\n\r\nabcdefg",
                    e("POST", "/").h("Host: a", "Content-Length: 007").body("abcdefg")),
            valid("Content-Length twice, same value", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
                    e("POST", "/").h("Host: a", "Content-Length: 3", "Content-Length: 3").body("abc")),
            valid("Content-Length list of same value", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello",
                    e("POST", "/").h("Host: a", "Content-Length: 5, 5").body("hello")),
            valid("Content-Length with OWS", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \t 2 \r\n\r\nab",
                    e("POST", "/").h("Host: a", "Content-Length: 2").body("ab")),
            valid("content-length name in lower case", "POST / HTTP/1.1\r\nHost: a\r\ncontent-length: 2\r\n\r\nab",
                    e("POST", "/").h("Host: a", "content-length: 2").body("ab")),
            valid("binary body with CRLF, NUL and 0xff", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 8\r\n\r\na\r\n\0\u00ff\r\n\r",
                    e("POST", "/").h("Host: a", "Content-Length: 8").body("a\r\n\0\u00ff\r\n\r")),
            valid("body that looks like a request", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 27\r\n\r\nGET / HTTP/1.1\r\nHost: b\r\n\r\n",
                    e("POST", "/").h("Host: a", "Content-Length: 27").body("GET / HTTP/1.1\r\nHost: b\r\n\r\n")),
            valid("POST without length has empty body", "POST / HTTP/1.1\r\nHost: a\r\n\r\n", e("POST", "/").h("Host: a")),
            valid("HTTP/1.0 with Content-Length", "POST / HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc",
                    e("POST", "/").v10().h("Content-Length: 3").body("abc")),
            valid("body exactly maxBodyBytes", limits().maxBodyBytes(10).build(),
                    "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789",
                    e("POST", "/").h("Host: a", "Content-Length: 10").body("0123456789")),

            // chunked
            valid("one chunk", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                    chunked().body("hello")),
            valid("three chunks", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n1\r\nd\r\n2\r\nef\r\n0\r\n\r\n",
                    chunked().body("abcdef")),
            valid("empty chunked body", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", chunked()),
            valid("upper-case hex size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n",
                    chunked().body("0123456789")),
            valid("lower-case hex size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nb\r\n0123456789a\r\n0\r\n\r\n",
                    chunked().body("0123456789a")),
            valid("size with leading zeros", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0003\r\nabc\r\n000\r\n\r\n",
                    chunked().body("abc")),
            valid("two-digit size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1a\r\n" + "z".repeat(26) + "\r\n0\r\n\r\n",
                    chunked().body("z".repeat(26))),
            valid("chunk data with CRLF inside", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n\r\n\r\n\r\n0\r\n\r\n",
                    chunked().body("\r\n\r\n")),
            valid("extension name only", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;ext\r\nabc\r\n0\r\n\r\n",
                    chunked().body("abc")),
            valid("extension with token value", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;name=value\r\nabc\r\n0\r\n\r\n",
                    chunked().body("abc")),
            valid("extension with quoted value", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;name=\"quoted; value\"\r\nabc\r\n0\r\n\r\n",
                    chunked().body("abc")),
            valid("several extensions", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;a=b;c;d=\"e\"\r\nabc\r\n0\r\n\r\n",
                    chunked().body("abc")),
            valid("BWS before extension", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 ;a=b\r\nhello\r\n0\r\n\r\n",
                    chunked().body("hello")),
            valid("extension with quoted-pair", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;q=\"a\\\"b\"\r\nabc\r\n0\r\n\r\n",
                    chunked().body("abc")),
            valid("extension quoted value with HTAB and obs-text", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;q=\"\t\u00e9\"\r\nabc\r\n0\r\n\r\n",
                    chunked().body("abc")),
            valid("BWS after semicolon and around equals", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3 ; a = b\r\nabc\r\n0\r\n\r\n",
                    chunked().body("abc")),
            valid("extension on last chunk", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0;done=yes\r\n\r\n",
                    chunked().body("x")),
            valid("extension limit applies per chunk", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + ("1;a=" + "e".repeat(200) + "\r\nx\r\n").repeat(5) + "0\r\n\r\n", chunked().body("xxxxx")),
            valid("extension exactly maxChunkExtensionBytes", limits().maxChunkExtensionBytes(5).build(),
                    "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;abcd\r\nx\r\n0\r\n\r\n", chunked().body("x")),
            valid("two hundred one-byte chunks", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + "1\r\nz\r\n".repeat(200) + "0\r\n\r\n",
                    chunked().body("z".repeat(200))),
            valid("one trailer", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nX-Checksum: abc\r\n\r\n",
                    chunked().body("x").trailers("X-Checksum: abc")),
            valid("trailers in order, OWS trimmed", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nB: 1\r\nA:2 \r\nB:  3\r\n\r\n",
                    chunked().trailers("B: 1", "A: 2", "B: 3")),
            valid("trailer section exactly maxTrailerBytes", limits().maxTrailerBytes(16).build(),
                    "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: " + "t".repeat(9) + "\r\n\r\n",
                    chunked().trailers("X: " + "t".repeat(9))),
            valid("Transfer-Encoding Chunked in other case", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: CHUNKED\r\n\r\n2\r\nab\r\n0\r\n\r\n",
                    e("POST", "/").h("Host: a", "Transfer-Encoding: CHUNKED").body("ab")),
            valid("trailer with empty value", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Empty:\r\n\r\n",
                    chunked().trailers("X-Empty: ")),
            valid("Transfer-Encoding with HTAB as OWS", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\tchunked\t\r\n\r\n1\r\nx\r\n0\r\n\r\n",
                    chunked().body("x")),
            valid("Transfer-Encoding with OWS", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:  chunked \r\n\r\n2\r\nab\r\n0\r\n\r\n",
                    chunked().body("ab")),
            valid("chunked body exactly maxBodyBytes", limits().maxBodyBytes(10).build(),
                    "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n4\r\nghij\r\n0\r\n\r\n",
                    chunked().body("abcdefghij")),
            valid("chunked with Connection close", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n1\r\nx\r\n0\r\n\r\n",
                    e("POST", "/").h("Host: a", "Transfer-Encoding: chunked", "Connection: close").body("x").close()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesValidRequest(String name, String raw, HttpLimits limits, ParsedRequest expected) {
        assertEquals(expected, ParserHarness.parse(raw, limits));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesTheSameAtEverySplitPoint(String name, String raw, HttpLimits limits, ParsedRequest expected) {
        for (int at = 0; at <= raw.length(); at++) {
            int split = at;
            assertEquals(expected, assertDoesNotThrow(() -> ParserHarness.parseSplitAt(raw, split, limits), "split at " + split), "split at " + at);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesTheSameByteByByte(String name, String raw, HttpLimits limits, ParsedRequest expected) {
        assertEquals(expected, ParserHarness.parseByteByByte(raw, limits));
    }

    // ---- invalid requests -------------------------------------------------------------------------

    static Stream<Arguments> malformed() {
        List<Arguments> cases = new ArrayList<>(List.of(
            // request line
            bad("empty method", " / HTTP/1.1\r\n" + HOST + "\r\n", 400, "method"),
            bad("empty request line", "\r\n\r\n \r\n" + HOST + "\r\n", 400),
            bad("method with '('", "GE(T / HTTP/1.1\r\n" + HOST + "\r\n", 400, "method"),
            bad("method with '/'", "GE/T / HTTP/1.1\r\n" + HOST + "\r\n", 400),
            bad("method with byte 0x80", "G\u0080T / HTTP/1.1\r\n" + HOST + "\r\n", 400),
            bad("tab after method", "GET\t/ HTTP/1.1\r\n" + HOST + "\r\n", 400),
            bad("tab before version", "GET /\tHTTP/1.1\r\n" + HOST + "\r\n", 400),
            bad("two spaces after method", "GET  / HTTP/1.1\r\n" + HOST + "\r\n", 400),
            bad("two spaces before version", "GET /  HTTP/1.1\r\n" + HOST + "\r\n", 400),
            bad("space before request line", " GET / HTTP/1.1\r\n" + HOST + "\r\n", 400),
            bad("space after version", "GET / HTTP/1.1 \r\n" + HOST + "\r\n", 400),
            bad("empty target", "GET  HTTP/1.1\r\n" + HOST + "\r\n", 400),
            bad("space inside target", "GET /a b HTTP/1.1\r\n" + HOST + "\r\n", 400),
            bad("target with byte 0x80", "GET /caf\u00e9 HTTP/1.1\r\n" + HOST + "\r\n", 400, "request-target"),
            bad("target with byte 0xff", "GET /\u00ff HTTP/1.1\r\n" + HOST + "\r\n", 400),
            bad("target with NUL", "GET /a\0b HTTP/1.1\r\n" + HOST + "\r\n", 400),
            bad("target with 0x01", "GET /a\u0001 HTTP/1.1\r\n" + HOST + "\r\n", 400),
            bad("target with DEL", "GET /a\u007f HTTP/1.1\r\n" + HOST + "\r\n", 400),
            bad("target with fragment", "GET /a#frag HTTP/1.1\r\n" + HOST + "\r\n", 400, "request-target"),
            bad("origin-form without slash", "GET a/b HTTP/1.1\r\n" + HOST + "\r\n", 400),
            bad("asterisk with GET", "GET * HTTP/1.1\r\n" + HOST + "\r\n", 400, "OPTIONS"),
            bad("asterisk with POST", "POST * HTTP/1.1\r\n" + HOST + "\r\n", 400),
            bad("authority-form with GET", "GET example.com:80 HTTP/1.1\r\nHost: example.com:80\r\n\r\n", 400),
            bad("CONNECT with origin-form", "CONNECT / HTTP/1.1\r\n" + HOST + "\r\n", 400),
            bad("CONNECT without port", "CONNECT example.com HTTP/1.1\r\nHost: example.com\r\n\r\n", 400),
            bad("version HTTP/2.0", "GET / HTTP/2.0\r\n" + HOST + "\r\n", 505, "version"),
            bad("version HTTP/3.0", "GET / HTTP/3.0\r\n" + HOST + "\r\n", 505),
            bad("version HTTP/0.9", "GET / HTTP/0.9\r\n" + HOST + "\r\n", 505),
            bad("version HTTP/1.2", "GET / HTTP/1.2\r\n" + HOST + "\r\n", 505),
            bad("version in lower case", "GET / http/1.1\r\n" + HOST + "\r\n", 400, "version"),
            bad("version without minor", "GET / HTTP/1\r\n" + HOST + "\r\n", 400),
            bad("version with trailing x", "GET / HTTP/1.1x\r\n" + HOST + "\r\n", 400),
            bad("version with two-digit minor", "GET / HTTP/1.10\r\n" + HOST + "\r\n", 400),
            bad("version without dot", "GET / HTTP/11\r\n" + HOST + "\r\n", 400),
            bad("version not HTTP", "GET / HTTPS/1.1\r\n" + HOST + "\r\n", 400),
            bad("missing version", "GET /\r\n" + HOST + "\r\n", 400),
            bad("missing version after space", "GET / \r\n" + HOST + "\r\n", 400),
            bad("request line ends in bare LF", "GET / HTTP/1.1\n" + HOST + "\r\n", 400),
            bad("bare CR in request line", "GET /\r HTTP/1.1\r\n" + HOST + "\r\n", 400),
            bad("leading bare LF", "\nGET / HTTP/1.1\r\n" + HOST + "\r\n", 400),
            bad("request line over maxRequestLineBytes", limits().maxRequestLineBytes(32).build(),
                    "GET /" + "a".repeat(17) + " HTTP/1.1\r\n" + HOST + "\r\n", 414, "maxRequestLineBytes=32"),
            bad("request line over default maxRequestLineBytes", "GET /" + "a".repeat(8200) + " HTTP/1.1\r\n" + HOST + "\r\n",
                    414, "maxRequestLineBytes=8192"),

            // field syntax
            bad("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400, "Host"),
            bad("tab before colon", "GET / HTTP/1.1\r\nHost: a\r\nX\t: v\r\n\r\n", 400),
            bad("empty name", "GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n", 400),
            bad("name with '('", "GET / HTTP/1.1\r\nHost: a\r\nX(: v\r\n\r\n", 400),
            bad("name with '\"'", "GET / HTTP/1.1\r\nHost: a\r\nX\"y: v\r\n\r\n", 400),
            bad("name with '@'", "GET / HTTP/1.1\r\nHost: a\r\nX@y: v\r\n\r\n", 400, "header name"),
            bad("name with '/'", "GET / HTTP/1.1\r\nHost: a\r\nX/y: v\r\n\r\n", 400),
            bad("name with ','", "GET / HTTP/1.1\r\nHost: a\r\nX,y: v\r\n\r\n", 400),
            bad("name with '='", "GET / HTTP/1.1\r\nHost: a\r\nX=y: v\r\n\r\n", 400),
            bad("name with '{'", "GET / HTTP/1.1\r\nHost: a\r\nX{: v\r\n\r\n", 400),
            bad("name with byte 0x80", "GET / HTTP/1.1\r\nHost: a\r\nX\u0080: v\r\n\r\n", 400),
            bad("name with byte 0xe9", "GET / HTTP/1.1\r\nHost: a\r\nCaf\u00e9: v\r\n\r\n", 400),
            bad("name with NUL", "GET / HTTP/1.1\r\nHost: a\r\nX\0: v\r\n\r\n", 400),
            bad("obs-fold with SP", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", 400, "fold"),
            bad("obs-fold with HTAB", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n\tb\r\n\r\n", 400),
            bad("first field line starts with SP", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400),
            bad("bare CR inside value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", 400),
            bad("bare CR at end of value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\r\n\r\n", 400),
            bad("bare CR in name", "GET / HTTP/1.1\r\nHost: a\r\nX\ry: v\r\n\r\n", 400),
            bad("bare CR before final CRLF", "GET / HTTP/1.1\r\nHost: a\r\n\r\r\n", 400),
            bad("field line ends in bare LF", "GET / HTTP/1.1\r\nHost: a\nX: v\r\n\r\n", 400),
            bad("section ends in bare LF", "GET / HTTP/1.1\r\nHost: a\r\n\n", 400),
            bad("only bare LFs", "GET / HTTP/1.1\nHost: a\n\n", 400),
            bad("NUL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", 400, "'X'"),
            bad("0x01 in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u0001b\r\n\r\n", 400),
            bad("0x08 in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\bb\r\n\r\n", 400),
            bad("0x0b in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u000bb\r\n\r\n", 400),
            bad("0x0c in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\fb\r\n\r\n", 400),
            bad("0x1b in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u001bb\r\n\r\n", 400),
            bad("0x1f in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u001fb\r\n\r\n", 400),
            bad("DEL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u007fb\r\n\r\n", 400),
            bad("line without colon", "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400),
            bad("line without colon but with space", "GET / HTTP/1.1\r\nHost: a\r\nNo colon here\r\n\r\n", 400),
            bad("header section over maxHeaderBytes", limits().maxHeaderBytes(64).build(), headerSectionOf(65), 431,
                    "maxHeaderBytes=64"),
            bad("header section over default maxHeaderBytes", "GET / HTTP/1.1\r\nHost: a\r\nX: " + "a".repeat(9000) + "\r\n\r\n",
                    431, "maxHeaderBytes=8192"),
            bad("many fields over maxHeaderBytes", "GET / HTTP/1.1\r\nHost: a\r\n" + ("X: " + "v".repeat(95) + "\r\n").repeat(90) + "\r\n",
                    431, "maxHeaderBytes=8192"),
            bad("fields over maxHeaderCount", manyFields(101), 431, "maxHeaderCount=100"),
            bad("fields over custom maxHeaderCount", limits().maxHeaderCount(3).build(), manyFields(4), 431,
                    "maxHeaderCount=3"),

            // Host
            bad("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nX: v\r\n\r\n", 400, "host"),
            bad("HTTP/1.1 with no fields at all", "GET / HTTP/1.1\r\n\r\n", 400, "host"),
            bad("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "host"),
            bad("two Host fields, same value", "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", 400, "host"),
            bad("two Host fields in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", 400),
            bad("Host with space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
            bad("Host with slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400, "host"),
            bad("Host with userinfo", "GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", 400),
            bad("Host with query", "GET / HTTP/1.1\r\nHost: a?b\r\n\r\n", 400),
            bad("Host with backslash", "GET / HTTP/1.1\r\nHost: a\\b\r\n\r\n", 400),
            bad("Host with unclosed IPv6 bracket", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400),   // RFC 3986 §3.2.2: IP-literal
            bad("Host with non-numeric port", "GET / HTTP/1.1\r\nHost: a:b\r\n\r\n", 400),   // RFC 3986 §3.2.3: port = *DIGIT
            bad("Host with two values", "GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", 400),

            // Content-Length
            bad("Content-Length with plus sign", cl("+5") + "hello", 400, "content-length"),
            bad("Content-Length negative", cl("-5") + "hello", 400, "content-length"),
            bad("Content-Length with inner space", cl("1 2") + "x".repeat(12), 400, "content-length"),
            bad("Content-Length in hex", cl("0x5") + "hello", 400, "content-length"),
            bad("Content-Length with trailing letter", cl("5a") + "hello", 400, "content-length"),
            bad("Content-Length empty", cl("") + "hello", 400, "content-length"),
            bad("Content-Length decimal point", cl("5.0") + "hello", 400, "content-length"),
            bad("Content-Length overflows long", cl("9223372036854775808"), 400, "content-length"),
            bad("Content-Length far past long", cl("99999999999999999999999"), 400, "content-length"),
            bad("Content-Length fields differ", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy", 400,
                    "content-length"),
            bad("Content-Length list differs", cl("5, 6") + "hello!", 400, "content-length"),
            bad("Content-Length list with empty element", cl("5,") + "hello", 400, "content-length"),
            bad("Content-Length and Transfer-Encoding", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                    400, "transfer-encoding"),
            bad("Transfer-Encoding and Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
                    400),
            bad("Content-Length past maxBodyBytes", limits().maxBodyBytes(10).build(), cl("11"), 413, "maxBodyBytes=10"),
            bad("Content-Length past default maxBodyBytes", cl("4194305"), 413, "maxBodyBytes=4194304"),
            bad("Content-Length of Long.MAX_VALUE", cl("9223372036854775807"), 413, "maxBodyBytes="),

            // Transfer-Encoding
            bad("Transfer-Encoding chunked, gzip", te("chunked, gzip"), 400, "transfer-encoding"),
            bad("Transfer-Encoding gzip", te("gzip"), 400, "transfer-encoding"),
            bad("Transfer-Encoding identity", te("identity"), 400, "transfer-encoding"),
            bad("Transfer-Encoding empty", te(""), 400, "transfer-encoding"),
            bad("Transfer-Encoding chunked twice", te("chunked, chunked"), 400, "transfer-encoding"),
            bad("Transfer-Encoding chunked in two fields", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                    400),
            bad("Transfer-Encoding gzip, chunked", te("gzip, chunked"), 501, "transfer-encoding"),
            bad("Transfer-Encoding deflate, chunked", te("deflate, chunked"), 501),
            bad("Transfer-Encoding unknown, chunked", te("foo, chunked"), 501),
            bad("Transfer-Encoding on HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "transfer-encoding"),
            bad("Transfer-Encoding with VT before chunked", te("\u000bchunked"), 400),
            bad("Content-Length with NUL", cl("5\0") + "hello", 400),
            bad("Transfer-Encoding chunkedx", te("chunkedx"), 400),

            // chunk framing
            bad("chunk size with plus", chunkedBody("+5\r\nhello\r\n0\r\n\r\n"), 400),
            bad("chunk size negative", chunkedBody("-5\r\nhello\r\n0\r\n\r\n"), 400),
            bad("chunk size with 0x", chunkedBody("0x5\r\nhello\r\n0\r\n\r\n"), 400),
            bad("chunk size with leading space", chunkedBody(" 5\r\nhello\r\n0\r\n\r\n"), 400),
            bad("chunk size with trailing space", chunkedBody("5 \r\nhello\r\n0\r\n\r\n"), 400),
            bad("chunk size empty", chunkedBody("\r\nhello\r\n0\r\n\r\n"), 400),
            bad("chunk size not hex", chunkedBody("g\r\nhello\r\n0\r\n\r\n"), 400, "chunk size"),
            bad("chunk size with trailing junk", chunkedBody("5g\r\nhello\r\n0\r\n\r\n"), 400),
            bad("chunk size of 17 hex digits", chunkedBody("10000000000000000\r\nhello\r\n0\r\n\r\n"), 400, "chunk size"),
            bad("chunk size of 16 f", chunkedBody("ffffffffffffffff\r\nhello\r\n0\r\n\r\n"), 400),
            bad("chunk size with tab", chunkedBody("5\t\r\nhello\r\n0\r\n\r\n"), 400),
            bad("chunk size line ends in bare LF", chunkedBody("5\nhello\r\n0\r\n\r\n"), 400),
            bad("chunk data too long", chunkedBody("5\r\nhelloX\r\n0\r\n\r\n"), 400, "chunk"),
            bad("chunk data ends in bare LF", chunkedBody("5\r\nhello\n0\r\n\r\n"), 400),
            bad("chunk data ends in bare CR", chunkedBody("5\r\nhello\r0\r\n\r\n"), 400),
            bad("last chunk ends in bare LF", chunkedBody("0\n\r\n"), 400),
            bad("chunked section ends in bare LF", chunkedBody("0\r\n\n"), 400),
            bad("extension over maxChunkExtensionBytes", limits().maxChunkExtensionBytes(5).build(),
                    chunkedBody("1;abcdefgh\r\nx\r\n0\r\n\r\n"), 400, "maxChunkExtensionBytes=5"),
            bad("extension over default maxChunkExtensionBytes", chunkedBody("1;a=" + "b".repeat(300) + "\r\nx\r\n0\r\n\r\n"), 400,
                    "maxChunkExtensionBytes=256"),
            bad("extension empty after semicolon", chunkedBody("1;\r\nx\r\n0\r\n\r\n"), 400),
            bad("chunk size of Long.MAX_VALUE", chunkedBody("7fffffffffffffff\r\nx\r\n0\r\n\r\n"), 413, "maxBodyBytes="),
            bad("extension with empty name", chunkedBody("1;=v\r\nx\r\n0\r\n\r\n"), 400),
            bad("extension name with '('", chunkedBody("1;a(b\r\nx\r\n0\r\n\r\n"), 400, "chunk extension"),
            bad("extension name with '@'", chunkedBody("1;a@b=c\r\nx\r\n0\r\n\r\n"), 400),
            bad("extension value with unclosed quote", chunkedBody("1;a=\"b\r\nx\r\n0\r\n\r\n"), 400),
            bad("extension with CTL in quoted value", chunkedBody("1;a=\"\u0001\"\r\nx\r\n0\r\n\r\n"), 400),
            // RFC 9110 §5.6.4: quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ): a backslash does not make a CTL legal
            bad("extension quoted-pair of a CTL", chunkedBody("1;a=\"\\\u0001\"\r\nx\r\n0\r\n\r\n"), 400),
            bad("extension quoted-pair of DEL", chunkedBody("1;a=\"\\\u007f\"\r\nx\r\n0\r\n\r\n"), 400),
            bad("extension with NUL", chunkedBody("1;a\0\r\nx\r\n0\r\n\r\n"), 400),
            bad("chunked body past maxBodyBytes", limits().maxBodyBytes(10).build(),
                    chunkedBody("6\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n"), 413, "maxBodyBytes=10"),
            bad("one chunk past maxBodyBytes", limits().maxBodyBytes(10).build(), chunkedBody("b\r\n"), 413, "maxBodyBytes=10"),

            // trailers
            bad("trailer section over maxTrailerBytes", limits().maxTrailerBytes(16).build(),
                    chunkedBody("0\r\nX: " + "t".repeat(10) + "\r\n\r\n"), 431, "maxTrailerBytes=16"),
            bad("trailer section over default maxTrailerBytes", chunkedBody("0\r\nX: " + "t".repeat(5000) + "\r\n\r\n"), 431,
                    "maxTrailerBytes=4096"),
            bad("trailer with space before colon", chunkedBody("0\r\nX : v\r\n\r\n"), 400),
            bad("trailer obs-fold", chunkedBody("0\r\nX: v\r\n w\r\n\r\n"), 400),
            bad("trailer without colon", chunkedBody("0\r\nNoColon\r\n\r\n"), 400),
            bad("trailer with NUL in value", chunkedBody("0\r\nX: a\0b\r\n\r\n"), 400),
            bad("trailer name with '@'", chunkedBody("0\r\nX@: v\r\n\r\n"), 400),
            bad("trailer ends in bare LF", chunkedBody("0\r\nX: v\n\r\n"), 400)));
        for (String field : List.of("Content-Length", "Transfer-Encoding", "Host", "Trailer", "Content-Type",
                "Content-Encoding", "Authorization", "Expect", "Range", "TE", "Cookie", "Set-Cookie", "Connection")) {
            cases.add(bad("forbidden trailer " + field, chunkedBody("0\r\n" + field + ": v\r\n\r\n"), 400, field));
        }
        cases.add(bad("forbidden trailer in lower case", chunkedBody("0\r\ncontent-length: 5\r\n\r\n"), 400, "content-length"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedRequest(String name, String raw, HttpLimits limits, int status, String messagePart) {
        var e = assertThrows(BadRequestException.class, () -> ParserHarness.parse(raw, limits));
        assertEquals(status, e.status(), e.getMessage());
        if (messagePart != null) {
            assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains(messagePart.toLowerCase(Locale.ROOT)),
                    "message \"" + e.getMessage() + "\" does not name " + messagePart);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedRequestByteByByte(String name, String raw, HttpLimits limits, int status, String messagePart) {
        var e = assertThrows(BadRequestException.class, () -> ParserHarness.parseByteByByte(raw, limits));
        assertEquals(status, e.status(), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedRequestAtEverySplitPoint(String name, String raw, HttpLimits limits, int status, String messagePart) {
        int step = Math.max(1, raw.length() / 400);   // the long cases: every step-th boundary keeps this fast
        for (int at = 0; at <= raw.length(); at += step) {
            int split = at;
            var e = assertThrows(BadRequestException.class, () -> ParserHarness.parseSplitAt(raw, split, limits),
                    "split at " + split);
            assertEquals(status, e.status(), "split at " + split + ": " + e.getMessage());
        }
    }

    // ---- pipelining -------------------------------------------------------------------------------

    static Stream<Arguments> pipelined() {
        return Stream.of(
            arguments("two GETs", "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: b\r\n\r\n",
                    List.of(e("GET", "/1").h("Host: a").build(), e("GET", "/2").h("Host: b").build())),
            arguments("POST with body then GET", "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /g HTTP/1.1\r\nHost: a\r\n\r\n",
                    List.of(e("POST", "/p").h("Host: a", "Content-Length: 3").body("abc").build(), e("GET", "/g").h("Host: a").build())),
            arguments("chunked with trailers, then GET, then close",
                    "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\nX-T: 1\r\n\r\n"
                            + "GET /g HTTP/1.1\r\nHost: a\r\n\r\n"
                            + "GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
                    List.of(e("POST", "/c").h("Host: a", "Transfer-Encoding: chunked").body("ab").trailers("X-T: 1").build(),
                            e("GET", "/g").h("Host: a").build(),
                            e("GET", "/last").h("Host: a", "Connection: close").close().build())),
            arguments("empty line between requests", "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n",
                    List.of(e("GET", "/1").h("Host: a").build(), e("GET", "/2").h("Host: a").build())),
            arguments("HTTP/1.0 keep-alive then HTTP/1.1",
                    "GET /1 HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nxGET /2 HTTP/1.1\r\nHost: a\r\n\r\n",
                    List.of(e("GET", "/1").v10().h("Connection: keep-alive", "Content-Length: 1").body("x").keepAlive().build(),
                            e("GET", "/2").h("Host: a").build())),
            arguments("100 requests", hundredRequests(), hundredExpected()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelined")
    void parsesPipelinedRequests(String name, String raw, List<ParsedRequest> expected) {
        assertEquals(expected, ParserHarness.parseAll(raw));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelined")
    void parsesPipelinedRequestsByteByByte(String name, String raw, List<ParsedRequest> expected) {
        assertEquals(expected, ParserHarness.parseAllByteByByte(raw));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelined")
    void parsesPipelinedRequestsAtEverySplitPoint(String name, String raw, List<ParsedRequest> expected) {
        int step = Math.max(1, raw.length() / 500);
        for (int at = 0; at <= raw.length(); at += step) {
            int split = at;
            assertEquals(expected, assertDoesNotThrow(() -> ParserHarness.parseAllSplitAt(raw, split), "split at " + split), "split at " + at);
        }
    }

    @Test
    void returnsTheIndexAfterEachPipelinedRequest() {
        byte[] buf = ParserHarness.bytes("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok");
        var parser = new RequestParser(DEFAULTS);
        var request = new Request();
        int first = parser.parse(buf, 0, buf.length, request);
        assertEquals("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n".length(), first);
        assertTrue(parser.isComplete());
        assertEquals("/1", request.header().requestUri().toString());
        parser.reset();
        request.reset();
        int second = parser.parse(buf, first, buf.length, request);
        assertEquals(buf.length, second);
        assertTrue(parser.isComplete());
        assertEquals("/2", request.header().requestUri().toString());
        assertEquals("ok", request.body().toString());
    }

    @Test
    void rejectsMalformedRequestAfterAValidOne() {
        byte[] buf = ParserHarness.bytes("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost : a\r\n\r\n");
        var parser = new RequestParser(DEFAULTS);
        var request = new Request();
        int first = parser.parse(buf, 0, buf.length, request);
        assertTrue(parser.isComplete());
        parser.reset();
        request.reset();
        var e = assertThrows(BadRequestException.class, () -> parser.parse(buf, first, buf.length, request));
        assertEquals(400, e.status());
    }

    // ---- the incremental contract -----------------------------------------------------------------

    @Test
    void consumesNothingWhileTheHeaderSectionIsIncomplete() {
        String head = "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n";
        byte[] buf = ParserHarness.bytes("junk" + head);
        var parser = new RequestParser(DEFAULTS);
        var request = new Request();
        assertEquals(4, parser.parse(buf, 4, buf.length, request));
        assertFalse(parser.isComplete());
    }

    @Test
    void consumesBodyBytesAsTheyArrive() {
        String head = "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n";
        byte[] buf = new byte[head.length() + 10];
        byte[] first = ParserHarness.bytes(head + "012");
        System.arraycopy(first, 0, buf, 0, first.length);
        var parser = new RequestParser(DEFAULTS);
        var request = new Request();
        assertEquals(first.length, parser.parse(buf, 0, first.length, request));
        assertFalse(parser.isComplete());
        assertEquals(3, request.bodyBuffer().length());
        assertEquals("/x", request.header().requestUri().toString());
        assertEquals(10, request.header().contentLength());
        byte[] rest = ParserHarness.bytes("3456789");
        System.arraycopy(rest, 0, buf, first.length, rest.length);
        assertEquals(buf.length, parser.parse(buf, first.length, buf.length, request));
        assertTrue(parser.isComplete());
        assertEquals("0123456789", request.body().toString());
    }

    @Test
    void doesNotConsumeTheNextRequestWithTheBody() {
        byte[] buf = ParserHarness.bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nabGET");
        var parser = new RequestParser(DEFAULTS);
        var request = new Request();
        assertEquals(buf.length - 3, parser.parse(buf, 0, buf.length, request));
        assertTrue(parser.isComplete());
        assertEquals("ab", request.body().toString());
    }

    @Test
    void parsesLargeBodiesInPieces() {
        byte[] body = new byte[1 << 20];
        for (int i = 0; i < body.length; i++) body[i] = (byte) (i * 31 + (i >>> 8));
        String bodyText = new String(body, StandardCharsets.ISO_8859_1);
        String withLength = "PUT /big HTTP/1.1\r\nHost: a\r\nContent-Length: " + body.length + "\r\n\r\n" + bodyText;
        String chunked = "PUT /big HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(1000) + "\r\n" + bodyText.substring(0, 1000) + "\r\n"
                + Integer.toHexString(body.length - 1000) + "\r\n" + bodyText.substring(1000) + "\r\n0\r\n\r\n";
        for (String raw : List.of(withLength, chunked)) {
            for (int at : new int[] {10, raw.length() / 3, raw.length() - 7}) {
                assertEquals(bodyText, ParserHarness.parseSplitAt(raw, at).body(), "split at " + at);
            }
        }
    }

    @Test
    void exposesWellKnownFields() {
        byte[] buf = ParserHarness.bytes("POST /p?q=1 HTTP/1.1\r\nhost: example.com:8080\r\nContent-Type: text/plain\r\n"
                + "X-Multi: 1\r\nx-multi: 2\r\nContent-Length: 3\r\n\r\nabc");
        var parser = new RequestParser(DEFAULTS);
        var request = new Request();
        assertEquals(buf.length, parser.parse(buf, 0, buf.length, request));
        var h = request.header();
        assertAll(
            () -> assertEquals("HTTP/1.1", h.protocol().toString()),
            () -> assertTrue(h.isHttp11()),
            () -> assertEquals("example.com:8080", h.host().toString()),
            () -> assertEquals("text/plain", h.contentType().toString()),
            () -> assertEquals(3, h.contentLength()),
            () -> assertFalse(h.isChunked()),
            () -> assertEquals("1", h.peek("X-MULTI").toString()),
            () -> assertEquals("1", h.get("x-multi")),
            () -> assertEquals("example.com:8080", h.get("HOST")),
            () -> assertNull(h.peek("Missing")),
            () -> assertNull(h.get("Missing")),
            () -> assertEquals(5, h.fieldCount()),
            () -> assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), request.body().toBytes()));
    }

    @Test
    void reportsAbsentLengthAndChunked() {
        byte[] buf = ParserHarness.bytes("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: v\r\n\r\n");
        var parser = new RequestParser(DEFAULTS);
        var request = new Request();
        assertEquals(buf.length, parser.parse(buf, 0, buf.length, request));
        assertEquals(-1, request.header().contentLength());
        assertTrue(request.header().isChunked());
        assertEquals("v", request.trailers().peek("x-t").toString());
        assertEquals(0, request.body().length());
    }

    @Test
    void reusesParserAndRequestAfterReset() {
        var parser = new RequestParser(DEFAULTS);
        var request = new Request();
        byte[] first = ParserHarness.bytes("POST /a HTTP/1.1\r\nHost: a\r\nX-Only-First: 1\r\nContent-Length: 3\r\n\r\nabc");
        parser.parse(first, 0, first.length, request);
        assertTrue(parser.isComplete());
        parser.reset();
        request.reset();
        assertFalse(parser.isComplete());
        byte[] second = ParserHarness.bytes("GET /b HTTP/1.0\r\n\r\n");
        assertEquals(second.length, parser.parse(second, 0, second.length, request));
        assertEquals(new ParsedRequest("GET", "/b", "HTTP/1.0", List.of(), "", List.of(), false), ParserHarness.extract(request));
        assertEquals(-1, request.header().contentLength());
        assertNull(request.header().peek("X-Only-First"));
    }

    @Test
    void resetsAfterAnErrorAndParsesTheNextRequest() {
        var parser = new RequestParser(DEFAULTS);
        var request = new Request();
        byte[] badBytes = ParserHarness.bytes("GET / HTTP/1.1\r\nHost : a\r\n\r\n");
        assertThrows(BadRequestException.class, () -> parser.parse(badBytes, 0, badBytes.length, request));
        parser.reset();
        request.reset();
        byte[] good = ParserHarness.bytes("GET /ok HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(good.length, parser.parse(good, 0, good.length, request));
        assertEquals("/ok", request.header().requestUri().toString());
    }

    @Test
    void rejectsOversizedHeaderSectionBeforeItEnds() {
        // No CRLFCRLF at all: a reader must not wait for ever for the end of an oversized section.
        byte[] buf = ParserHarness.bytes("GET / HTTP/1.1\r\nHost: a\r\nX: " + "a".repeat(9000));
        var e = assertThrows(BadRequestException.class, () -> new RequestParser(DEFAULTS).parse(buf, 0, buf.length, new Request()));
        assertEquals(431, e.status());
    }

    @Test
    void rejectsOversizedRequestLineBeforeItEnds() {
        byte[] buf = ParserHarness.bytes("GET /" + "a".repeat(9000));
        var e = assertThrows(BadRequestException.class, () -> new RequestParser(DEFAULTS).parse(buf, 0, buf.length, new Request()));
        assertEquals(414, e.status());
    }

    // issue 13: found by fuzzing. The section's one-pass parse also runs on its first read, so a bad
    // request line that arrives with it is rejected before the section ends. Once a section has
    // arrived in part, later reads only look for its end (bounded by maxHeaderBytes): the same bytes
    // in pieces wait, and get the same 400 when the section ends.
    @Test
    void rejectsABadProtocolAtOnceInOneReadAndWhenTheSectionEndsInPieces() {
        String unfinished = "POST / NTT\u00ff\u00ff\u00ffZP/1.0\r\nHost: a\r\n";
        byte[] bytes = ParserHarness.bytes(unfinished);
        assertEquals(new ParserHarness.Outcome<ParsedRequest>(List.of(), 400, false),
                ParserHarness.requestOutcome(bytes, DEFAULTS, ParserHarness.wholeInput(bytes.length)));
        assertEquals(new ParserHarness.Outcome<ParsedRequest>(List.of(), 0, true),
                ParserHarness.requestOutcome(bytes, DEFAULTS, ParserHarness.splitAt(bytes.length, 1)));
        String finished = unfinished + "\r\n";
        for (int at = 0; at <= finished.length(); at++) {
            int split = at;
            var e = assertThrows(BadRequestException.class, () -> ParserHarness.parseSplitAt(finished, split), "split at " + at);
            assertEquals(400, e.status(), "split at " + at);
        }
    }

    @Test
    void doesNotReadPastTo() {
        // The bytes after 'to' would make the request invalid; the parser must wait instead.
        byte[] buf = ParserHarness.bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        byte[] withJunk = Arrays.copyOf(buf, buf.length + 4);
        Arrays.fill(withJunk, buf.length - 2, withJunk.length, (byte) 0);
        var parser = new RequestParser(DEFAULTS);
        assertEquals(0, parser.parse(withJunk, 0, buf.length - 2, new Request()));
        assertFalse(parser.isComplete());
    }

    // ---- case tables: builders --------------------------------------------------------------------

    private static HttpLimits.Builder limits() {
        return HttpLimits.builder();
    }

    private static Arguments valid(String name, String raw, Expected expected) {
        return arguments(name, raw, DEFAULTS, expected.build());
    }

    private static Arguments valid(String name, HttpLimits limits, String raw, Expected expected) {
        return arguments(name, raw, limits, expected.build());
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

    /** A request whose header section, request line and final CRLF included, is exactly {@code bytes} long. */
    private static String headerSectionOf(int bytes) {
        String prefix = "GET / HTTP/1.1\r\nHost: a\r\nX: ";
        String suffix = "\r\n\r\n";
        return prefix + "v".repeat(bytes - prefix.length() - suffix.length()) + suffix;
    }

    /** A GET with {@code count} fields, Host first. */
    private static String manyFields(int count) {
        return "GET / HTTP/1.1\r\n" + String.join("", Arrays.stream(fieldList(count)).map(f -> f + "\r\n").toList()) + "\r\n";
    }

    private static String[] fieldList(int count) {
        return IntStream.range(0, count).mapToObj(i -> i == 0 ? "Host: a" : "X-" + i + ": " + i).toArray(String[]::new);
    }

    private static String cl(String value) {
        return "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + value + "\r\n\r\n";
    }

    private static String te(String value) {
        return "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: " + value + "\r\n\r\n0\r\n\r\n";
    }

    private static String chunkedBody(String body) {
        return "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body;
    }

    private static String hundredRequests() {
        StringBuilder raw = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            if (i % 3 == 0) {
                raw.append("POST /").append(i).append(" HTTP/1.1\r\nHost: a\r\nContent-Length: ")
                        .append(String.valueOf(i).length()).append("\r\n\r\n").append(i);
            } else if (i % 3 == 1) {
                raw.append("PUT /").append(i).append(" HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .append(Integer.toHexString(String.valueOf(i).length())).append("\r\n").append(i).append("\r\n0\r\n\r\n");
            } else {
                raw.append("GET /").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
            }
        }
        return raw.toString();
    }

    private static List<ParsedRequest> hundredExpected() {
        List<ParsedRequest> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String n = String.valueOf(i);
            if (i % 3 == 0) {
                expected.add(e("POST", "/" + n).h("Host: a", "Content-Length: " + n.length()).body(n).build());
            } else if (i % 3 == 1) {
                expected.add(e("PUT", "/" + n).h("Host: a", "Transfer-Encoding: chunked").body(n).build());
            } else {
                expected.add(e("GET", "/" + n).h("Host: a").build());
            }
        }
        return expected;
    }

    private static Expected e(String method, String target) {
        return new Expected(method, target);
    }

    /** The chunked POST most chunked cases share. */
    private static Expected chunked() {
        return e("POST", "/").h("Host: a", "Transfer-Encoding: chunked");
    }

    /** Builds a {@link ParsedRequest}: HTTP/1.1, keep-alive, no body, no trailers unless said otherwise. */
    private static final class Expected {
        private final String method;
        private final String target;
        private String protocol = "HTTP/1.1";
        private List<String> headers = List.of();
        private String body = "";
        private List<String> trailers = List.of();
        private boolean keepAlive = true;

        Expected(String method, String target) {
            this.method = method;
            this.target = target;
        }

        /** HTTP/1.0, which closes unless it says keep-alive. */
        Expected v10() {
            protocol = "HTTP/1.0";
            keepAlive = false;
            return this;
        }

        Expected h(String... fields) {
            headers = List.of(fields);
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

        Expected close() {
            keepAlive = false;
            return this;
        }

        Expected keepAlive() {
            keepAlive = true;
            return this;
        }

        ParsedRequest build() {
            return new ParsedRequest(method, target, protocol, headers, body, trailers, keepAlive);
        }
    }
}
