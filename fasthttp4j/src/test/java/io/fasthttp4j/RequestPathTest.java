package io.fasthttp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Request.path() takes a short cut for plain paths: it must answer exactly what uri().path() does. */
class RequestPathTest {
    static Stream<Arguments> targets() {
        return Stream.of(
                Arguments.of("/", "/"),
                Arguments.of("/plain/path", "/plain/path"),
                Arguments.of("/a/b/?q=1&r=%zz", "/a/b/"),           // the query is not decoded by path()
                Arguments.of("/file.txt", "/file.txt"),
                Arguments.of("/a.b/c..d/", "/a.b/c..d/"),
                Arguments.of("/a/./b", "/a/b"),                    // not plain: resolved by the URI parser
                Arguments.of("/a/../b", "/b"),
                Arguments.of("/a//b", "/a/b"),
                Arguments.of("/a%20b", "/a b"),
                Arguments.of("/a?x#f", "/a"),
                Arguments.of("http://h:8080/abs/p?q", "/abs/p"),
                Arguments.of("*", "*"));
    }

    static Stream<String> queryTargets() {
        return Stream.of("/", "/a?x=1&y=%20z&z", "/a?", "/a/./b?k=v+w", "/a%2Fb?q=%3D&q=2", "/a?x=1?y=2", "/p?&&a=&=b",
                "/p?x=%zz", "http://h/p?q=1", "*");
    }

    /** queryArgs() reads an origin-form target's query itself (after the parser, or by a scan): it must equal uri().queryArgs(). */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("queryTargets")
    void queryArgsMatchTheParsedUri(String target) {
        Request expected = new Request();
        expected.header().setRequestUri(target);
        String want = expected.uri().queryArgs().toString();

        Request set = new Request();
        set.header().setRequestUri(target);
        assertEquals(want, set.queryArgs().toString(), "target set by code");
        assertSame(set.queryArgs(), set.queryArgs(), "parsed once");

        if (!target.equals("*")) {   // what a server receives: through the parser, which notes where a plain path ends
            byte[] bytes = ("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Request parsed = new Request();
            new io.fasthttp4j.internal.codec.RequestParser(HttpLimits.defaults()).parse(bytes, 0, bytes.length, parsed);
            assertEquals(want, parsed.queryArgs().toString(), "target parsed");
            parsed.reset();
            assertEquals(0, parsed.queryArgs().count(), "reset forgets the arguments");
        }
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @MethodSource("targets")
    void pathMatchesTheParsedUri(String target, String expected) {
        Request shortCut = new Request();
        shortCut.header().setRequestUri(target);
        Request parsed = new Request();
        parsed.header().setRequestUri(target);
        assertEquals(expected, parsed.uri().path().toString());
        assertEquals(expected, shortCut.path().toString());
        assertEquals(expected, shortCut.uri().path().toString(), "uri() after path()");
        assertEquals(expected, shortCut.path().toString(), "path() after uri()");
    }

    /** The targets that may arrive on the wire: a fragment is refused there (RFC 9112 §3.2; RequestParserTest). */
    static Stream<Arguments> wireTargets() {
        return targets().filter(a -> !((String) a.get()[0]).contains("#"));
    }

    @ParameterizedTest(name = "parsed [{0}] -> {1}")
    @MethodSource("wireTargets")
    void aParsedTargetHasTheSamePath(String target, String expected) {
        // The parser notes where a plain path ends as it reads the request line; path() then takes that.
        String method = target.equals("*") ? "OPTIONS" : "GET";
        byte[] raw = (method + " " + target + " HTTP/1.1\r\nHost: h\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Request request = new Request();
        assertEquals(raw.length, request.header().parse(raw, 0, raw.length, HttpLimits.defaults()));
        assertEquals(target, request.header().requestUri().toString());
        assertEquals(expected, request.path().toString());
        assertEquals(expected, request.uri().path().toString());
    }

    @Test
    void anHttp10RequestLineIsReadInTheSamePass() {
        byte[] raw = "POST /a/b?c=d HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Request request = new Request();
        assertEquals(raw.length, request.header().parse(raw, 0, raw.length, HttpLimits.defaults()));
        assertEquals("POST", request.header().method().toString());
        assertEquals("/a/b", request.path().toString());
        assertEquals(false, request.header().isHttp11());
    }

    @Test
    void aRequestLineCutAfterASlashAtTheEndOfTheArrayWaitsForMore() {
        // The plain-path check looks at the byte after each '/': it must not look past the array.
        for (String cut : new String[] {"GET /", "GET /a/", "GET /a/b/", "GET /a?x/"}) {
            byte[] raw = cut.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals(-1, new Request().header().parse(raw, 0, raw.length, HttpLimits.defaults()), cut);
        }
    }

    @Test
    void settingTheTargetAfterParsingForgetsTheParsedPath() {
        byte[] raw = "GET /parsed HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Request request = new Request();
        request.header().parse(raw, 0, raw.length, HttpLimits.defaults());
        request.header().setRequestUri("/set/by/code?q");
        assertEquals("/set/by/code", request.path().toString());
    }

    @Test
    void aRequestWithoutTargetHasTheRootPath() {
        assertEquals("/", new Request().path().toString());
    }

    @Test
    void aBadEscapeInThePathIsStillRefused() {
        Request request = new Request();
        request.header().setRequestUri("/a%zzb");
        assertEquals(400, assertThrows(BadRequestException.class, request::path).status());
    }

    @Test
    void resetForgetsThePath() {
        Request request = new Request();
        request.header().setRequestUri("/first");
        assertEquals("/first", request.path().toString());
        request.reset();
        request.header().setRequestUri("/second");
        assertEquals("/second", request.path().toString());
        ByteView again = request.path();
        assertSame(again, request.path());
    }
}
