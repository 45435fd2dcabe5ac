package io.fasthttp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fasthttp4j.pool.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UriTest {
    // Expected parts: scheme, username, password, host, port, path, pathOriginal, queryString, hash.
    static Stream<Arguments> forms() {
        return Stream.of(
                arguments("origin-form splits path, query and fragment", "/a/b?x=1#f",
                        List.of("", "", "", "", "-1", "/a/b", "/a/b", "x=1", "f")),
                arguments("origin-form root", "/", List.of("", "", "", "", "-1", "/", "/", "", "")),
                arguments("absolute-form with userinfo and port, host lower-cased", "http://user:pw@Host.EXAMPLE:8080/p?q",
                        List.of("http", "user", "pw", "host.example", "8080", "/p", "/p", "q", "")),
                arguments("absolute-form scheme lower-cased and empty path read as slash", "HTTPS://example.com",
                        List.of("https", "", "", "example.com", "-1", "/", "", "", "")),
                arguments("absolute-form with a query and no path", "http://example.com?x=1",
                        List.of("http", "", "", "example.com", "-1", "/", "", "x=1", "")),
                arguments("absolute-form user without password", "http://user@h/",
                        List.of("http", "user", "", "h", "-1", "/", "/", "", "")),
                arguments("absolute-form IPv6 literal keeps its brackets", "http://[::1]:8080/x",
                        List.of("http", "", "", "[::1]", "8080", "/x", "/x", "", "")),
                arguments("absolute-form path is normalised, original kept", "http://h/a/./b/../c",
                        List.of("http", "", "", "h", "-1", "/a/c", "/a/./b/../c", "", "")),
                arguments("authority-form for CONNECT", "Example.com:443",
                        List.of("", "", "", "example.com", "443", "/", "", "", "")),
                arguments("asterisk-form for OPTIONS", "*", List.of("", "", "", "", "-1", "*", "*", "", "")),
                arguments("an empty query after '?'", "/a?", List.of("", "", "", "", "-1", "/a", "/a", "", "")),
                arguments("a '?' after '#' belongs to the fragment", "/a#f?x", List.of("", "", "", "", "-1", "/a", "/a", "", "f?x")),
                arguments("a second '?' belongs to the query", "/a?b?c", List.of("", "", "", "", "-1", "/a", "/a", "b?c", "")),
                arguments("the query is kept raw", "/s?q=a+b%20c", List.of("", "", "", "", "-1", "/s", "/s", "q=a+b%20c", "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void parsesEachFormOfRequestTarget(String name, String target, List<String> parts) {
        Uri uri = new Uri();
        uri.parse(target);
        assertEquals(parts, List.of(uri.scheme().toString(), uri.username().toString(), uri.password().toString(),
                uri.host().toString(), Integer.toString(uri.port()), uri.path().toString(), uri.pathOriginal().toString(),
                uri.queryString().toString(), uri.hash().toString()));
        assertEquals(!parts.get(0).isEmpty(), uri.isAbsolute());
    }

    static Stream<Arguments> paths() {
        return Stream.of(
                arguments("double slashes collapse", "/a//b///c", "/a/b/c"),
                arguments("a dot segment is removed", "/a/./b", "/a/b"),
                arguments("a dot-dot segment removes its parent", "/a/b/../c", "/a/c"),
                arguments("dot-dot never climbs above the root", "/../../a", "/a"),
                arguments("a trailing dot-dot keeps the trailing slash", "/a/b/..", "/a/"),
                arguments("a trailing dot keeps the trailing slash", "/a/b/.", "/a/b/"),
                arguments("a trailing slash is kept", "/a/b/", "/a/b/"),
                arguments("only slashes collapse to the root", "///", "/"),
                arguments("dot-dot at the root is the root", "/..", "/"),
                arguments("encoded dot segments are resolved after decoding", "/a/%2e%2E/%2e/etc", "/etc"),
                arguments("an escaped space decodes", "/a%20b", "/a b"),
                arguments("an escaped slash becomes a separator", "/a%2Fb", "/a/b"),
                arguments("UTF-8 escapes decode to their bytes", "/caf%C3%A9", "/café"),
                arguments("a plus stays a plus", "/a+b", "/a+b"),
                arguments("dots inside a segment are not dot segments", "/a/.b/..c/.../d.", "/a/.b/..c/.../d."),
                arguments("an escaped percent decodes once", "/100%2541", "/100%41"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void normalisesThePath(String name, String target, String expected) {
        Uri uri = new Uri();
        uri.parse(target);
        assertEquals(expected, uri.path().toString());
        assertEquals(target, uri.pathOriginal().toString());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                arguments("an empty target", "", "empty request target"),
                arguments("a bad percent-escape in the path", "/a%zz", "invalid percent-escape in request path at offset 2"),
                arguments("a lone percent at the end of the path", "/a/%", "invalid percent-escape in request path at offset 3"),
                arguments("a percent with one hex digit", "/%4", "invalid percent-escape in request path at offset 1"),
                arguments("a bad escape in an absolute path", "http://h/x%g0", "invalid percent-escape in request path at offset 10"),
                arguments("a space", "/a b", "invalid byte 0x20 in request target at offset 2"),
                arguments("a NUL", "/a\u0000", "invalid byte 0x00 in request target at offset 2"),
                arguments("a CR", "/a\r", "invalid byte 0x0d in request target at offset 2"),
                arguments("a LF", "/\n", "invalid byte 0x0a in request target at offset 1"),
                arguments("a tab", "/\t", "invalid byte 0x09 in request target at offset 1"),
                arguments("DEL", "/\u007f", "invalid byte 0x7f in request target at offset 1"),
                arguments("a raw UTF-8 byte", "/é", "invalid byte 0xc3 in request target at offset 1"),
                arguments("a relative path", "a/b", "request path must start with '/'"),
                arguments("a bare word", "index.html", "request path must start with '/'"),
                arguments("a scheme without slashes", "http:/x", "request path must start with '/'"),
                arguments("a port past 65535", "http://h:65536/", "invalid port in request target at offset 9"),
                arguments("port zero", "http://h:0/", "invalid port"),
                arguments("an empty port", "http://h:/", "invalid port"),
                arguments("a signed port", "http://h:-1/", "invalid port"),
                arguments("a port with a letter", "http://h:8a/", "invalid port"),
                arguments("a very long port", "http://h:0000000080/", "invalid port"),
                arguments("an empty host", "http:///p", "empty host in request target"),
                arguments("an empty host with userinfo", "http://u@/p", "empty host in request target"),
                arguments("a byte a host cannot hold", "http://h<o/", "invalid byte 0x3c in host at offset 8"),
                arguments("a bad percent-escape in the host", "http://h%zz/", "invalid percent-escape in host at offset 8"),
                arguments("an unclosed IPv6 literal", "http://[::1/", "unclosed '[' in host"),
                arguments("a byte after an IPv6 literal", "http://[::1]x/", "invalid byte after host"),
                arguments("authority-form with a bad port", "host:443x", "invalid port"),
                arguments("authority-form with an empty host", ":443", "empty host in request target"),
                arguments("authority-form with an empty port", "host:", "invalid port"),
                arguments("authority-form with userinfo", "u@host:443", "request path must start with '/'"),
                arguments("another scheme in authority-form shape", "mailto:x", "invalid port"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedTargetsNamingThePart(String name, String target, String message) {
        Uri uri = new Uri();
        byte[] bytes = target.getBytes(StandardCharsets.UTF_8);
        var e = assertThrows(BadRequestException.class, () -> uri.parse(bytes, 0, bytes.length));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void countsErrorOffsetsFromTheStartOfTheTarget() {
        byte[] line = "GET /a%zz HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
        var e = assertThrows(BadRequestException.class, () -> new Uri().parse(line, 4, 9));
        assertEquals("invalid percent-escape in request path at offset 2", e.getMessage());
    }

    @Test
    void parsesARangeAndCopiesItsBytes() {
        byte[] line = "GET /a/b?x=1 HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
        Uri uri = new Uri();
        uri.parse(line, 4, 12);
        java.util.Arrays.fill(line, (byte) 'z');
        assertEquals("/a/b", uri.path().toString());
        assertEquals("/a/b", uri.pathOriginal().toString());
        assertEquals("x=1", uri.queryString().toString());
    }

    @Test
    void parsingReplacesEverythingFromBefore() {
        Uri uri = new Uri();
        uri.parse("http://u:p@h:81/a?q#f");
        uri.parse("/b");
        assertEquals("/b", uri.toString());
        assertEquals(-1, uri.port());
        assertFalse(uri.isAbsolute());
    }

    // RFC 3986 §5.4.1, all normal examples, base http://a/b/c/d;p?q.
    static Stream<Arguments> rfc3986NormalExamples() {
        return Stream.of(
                arguments("g:h", "g:h"), arguments("g", "http://a/b/c/g"), arguments("./g", "http://a/b/c/g"),
                arguments("g/", "http://a/b/c/g/"), arguments("/g", "http://a/g"), arguments("//g", "http://g"),
                arguments("?y", "http://a/b/c/d;p?y"), arguments("g?y", "http://a/b/c/g?y"), arguments("#s", "http://a/b/c/d;p?q#s"),
                arguments("g#s", "http://a/b/c/g#s"), arguments("g?y#s", "http://a/b/c/g?y#s"), arguments(";x", "http://a/b/c/;x"),
                arguments("g;x", "http://a/b/c/g;x"), arguments("g;x?y#s", "http://a/b/c/g;x?y#s"), arguments("", "http://a/b/c/d;p?q"),
                arguments(".", "http://a/b/c/"), arguments("./", "http://a/b/c/"), arguments("..", "http://a/b/"),
                arguments("../", "http://a/b/"), arguments("../g", "http://a/b/g"), arguments("../..", "http://a/"),
                arguments("../../", "http://a/"), arguments("../../g", "http://a/g"));
    }

    // RFC 3986 §5.4.2, the abnormal examples, resolved strictly.
    static Stream<Arguments> rfc3986AbnormalExamples() {
        return Stream.of(
                arguments("../../../g", "http://a/g"), arguments("../../../../g", "http://a/g"), arguments("/./g", "http://a/g"),
                arguments("/../g", "http://a/g"), arguments("g.", "http://a/b/c/g."), arguments(".g", "http://a/b/c/.g"),
                arguments("g..", "http://a/b/c/g.."), arguments("..g", "http://a/b/c/..g"), arguments("./../g", "http://a/b/g"),
                arguments("./g/.", "http://a/b/c/g/"), arguments("g/./h", "http://a/b/c/g/h"), arguments("g/../h", "http://a/b/c/h"),
                arguments("g;x=1/./y", "http://a/b/c/g;x=1/y"), arguments("g;x=1/../y", "http://a/b/c/y"),
                arguments("g?y/./x", "http://a/b/c/g?y/./x"), arguments("g?y/../x", "http://a/b/c/g?y/../x"),
                arguments("g#s/./x", "http://a/b/c/g#s/./x"), arguments("g#s/../x", "http://a/b/c/g#s/../x"),
                arguments("http:g", "http:g"));
    }

    @ParameterizedTest(name = "\"{0}\" resolves to {1}")
    @MethodSource({"rfc3986NormalExamples", "rfc3986AbnormalExamples"})
    void resolvesReferencesAsRfc3986Section5Says(String reference, String expected) {
        Uri uri = new Uri();
        uri.parse("http://a/b/c/d;p?q");
        uri.resolve(reference);
        assertEquals(expected, uri.toString());
    }

    static Stream<Arguments> redirects() {
        return Stream.of(
                arguments("an absolute URL replaces everything", "https://Other.example/x?y", "https://other.example/x?y"),
                arguments("a network-path reference keeps the scheme only", "//cdn.example:8443/img", "http://cdn.example:8443/img"),
                arguments("an absolute path keeps userinfo, host and port", "/login?next=%2F", "http://u:p@h:8080/login?next=%2F"),
                arguments("a relative path merges with the directory", "../up", "http://u:p@h:8080/dir/up"),
                arguments("a fragment keeps the query", "#top", "http://u:p@h:8080/dir/sub/page?q=1#top"),
                arguments("a query keeps the path and drops the fragment", "?q=2", "http://u:p@h:8080/dir/sub/page?q=2"),
                arguments("a path is re-encoded", "a%20b/c d", "http://u:p@h:8080/dir/sub/a%20b/c%20d"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("redirects")
    void followsRedirectLocations(String name, String location, String expected) {
        Uri uri = new Uri();
        uri.parse("http://u:p@h:8080/dir/sub/page?q=1#frag");
        uri.resolve(location);
        assertEquals(expected, uri.toString());
    }

    @Test
    void resolvingAgainstAnEmptyPathStartsAtTheRoot() {
        Uri uri = new Uri();
        uri.parse("http://h");
        uri.resolve("g");
        assertEquals("http://h/g", uri.toString());
    }

    @Test
    void resolvingRefreshesTheQueryArgs() {
        Uri uri = new Uri();
        uri.parse("http://h/p?a=1");
        assertEquals(1, uri.queryArgs().getInt("a", 0));
        uri.resolve("?a=2");
        assertEquals(2, uri.queryArgs().getInt("a", 0));
    }

    @Test
    void aFailedResolveLeavesTheUriAsItWas() {
        Uri uri = new Uri();
        uri.parse("http://u:p@h:81/a/b?q=1#f");
        assertEquals(1, uri.queryArgs().getInt("q", 0));
        assertThrows(IllegalArgumentException.class, () -> uri.resolve("//other:99999/x?q=2"));
        assertThrows(IllegalArgumentException.class, () -> uri.resolve("../c%zz?q=3"));
        assertEquals("http://u:p@h:81/a/b?q=1#f", uri.toString());
        assertEquals("/a/b", uri.pathOriginal().toString());
        assertEquals(1, uri.queryArgs().getInt("q", 0));
    }

    static Stream<Arguments> badReferences() {
        return Stream.of(
                arguments("a CR", "/a\rb", "control character 0x0d in reference"),
                arguments("a LF", "/a\nSet-Cookie: x", "control character 0x0a in reference"),
                arguments("a NUL", "\u0000", "control character 0x00 in reference"),
                arguments("a bad escape", "/a%zz", "invalid reference: invalid percent-escape"),
                arguments("a bad port", "//h:70000/", "invalid reference: invalid port"),
                arguments("a bad host", "http://h o/", "invalid reference: invalid byte 0x20 in host"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badReferences")
    void refusesBadReferences(String name, String reference, String message) {
        Uri uri = new Uri();
        uri.parse("http://h/p");
        var e = assertThrows(IllegalArgumentException.class, () -> uri.resolve(reference));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        assertEquals("http://h/p", uri.toString());
    }

    static Stream<Arguments> requestUris() {
        return Stream.of(
                arguments("an escaped space is written escaped", "/a%20b?x=%41", "/a%20b?x=%41"),
                arguments("the normalised path is written", "/a/../b//c?q", "/b/c?q"),
                arguments("scheme, authority and fragment are left out", "http://u@h:1/p?q#f", "/p?q"),
                arguments("an empty path is written as a slash", "http://h", "/"),
                arguments("a decoded percent is escaped again", "/100%25", "/100%25"),
                arguments("a decoded question mark is escaped again", "/a%3Fb", "/a%3Fb"),
                arguments("escapes are written upper-case", "/caf%c3%a9", "/caf%C3%A9"),
                arguments("pchars are written plainly", "/%41%3a@!$&'()*+,;=", "/A:@!$&'()*+,;="),
                arguments("asterisk-form is written as is", "*", "*"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestUris")
    void appendsTheRequestUri(String name, String target, String expected) {
        Uri uri = new Uri();
        uri.parse(target);
        ByteBuf out = new ByteBuf(0);
        out.append("GET ");
        uri.appendRequestUri(out);
        assertEquals("GET " + expected, out.toString());
    }

    static Stream<Arguments> fullUris() {
        return Stream.of(
                arguments("every part", "http://User:pw@Host:8080/a/./b?q#f", "http://User:pw@host:8080/a/b?q#f"),
                arguments("origin-form has no authority", "/a?b#c", "/a?b#c"),
                arguments("authority-form is host and port", "host:443", "host:443"),
                arguments("an IPv6 literal keeps its brackets", "http://[::1]:80/", "http://[::1]:80/"),
                arguments("an empty path stays empty", "https://h", "https://h"),
                arguments("a query after an empty path", "http://h?x", "http://h?x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fullUris")
    void appendsTheFullUri(String name, String target, String expected) {
        Uri uri = new Uri();
        uri.parse(target);
        assertEquals(expected, uri.toString());
        ByteBuf out = new ByteBuf(0);
        uri.appendFullUri(out);
        assertEquals(expected, out.toString());
    }

    @Test
    void buildsAUriWithSetters() {
        Uri uri = new Uri();
        uri.setScheme("HTTPS");
        uri.setHost("Example.COM");
        uri.setPort(8443);
        uri.setPath("search/./a b");
        uri.setQueryString("q=caf%C3%A9");
        uri.setHash("results");
        assertEquals("https://example.com:8443/search/a%20b?q=caf%C3%A9#results", uri.toString());
        assertEquals("/search/a b", uri.path().toString());
        assertEquals("search/./a b", uri.pathOriginal().toString());
        assertEquals("café", uri.queryArgs().get("q"));
        uri.setPort(-1);
        uri.setHost("");
        uri.setScheme("");
        assertEquals("/search/a%20b?q=caf%C3%A9#results", uri.toString());
    }

    static Stream<Arguments> controlsInSetters() {
        return Stream.of(
                arguments("CR in the scheme", "scheme", "ht\rtp"),
                arguments("LF in the host", "host", "h\nx"),
                arguments("NUL in the path", "path", "/a\u0000"),
                arguments("CRLF in the query string", "query string", "a=1\r\nX-Injected: 1"),
                arguments("DEL in the hash", "hash", "f\u007f"),
                arguments("a tab in the path", "path", "/a\tb"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controlsInSetters")
    void settersRefuseControlCharactersNamingTheComponent(String name, String component, String value) {
        Uri uri = new Uri();
        var e = assertThrows(IllegalArgumentException.class, () -> set(uri, component, value));
        assertTrue(e.getMessage().contains(" in " + component + " at index "), e.getMessage());
    }

    static Stream<Arguments> otherBadSetterValues() {
        return Stream.of(
                arguments("a scheme starting with a digit", "scheme", "1http"),
                arguments("a scheme with a colon", "scheme", "http:"),
                arguments("a host with a slash", "host", "a/b"),
                arguments("a host with a port", "host", "a:80"),
                arguments("a host with a space", "host", "a b"),
                arguments("a path with a bad escape", "path", "/a%zz"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherBadSetterValues")
    void settersRefuseValuesThatWouldChangeTheUrisShape(String name, String component, String value) {
        Uri uri = new Uri();
        uri.parse("http://h/p");
        String before = uri.toString();
        assertThrows(IllegalArgumentException.class, () -> set(uri, component, value));
        assertEquals(before, uri.toString());
    }

    @Test
    void setPortRefusesPortsOutOfRange() {
        Uri uri = new Uri();
        assertThrows(IllegalArgumentException.class, () -> uri.setPort(0));
        assertThrows(IllegalArgumentException.class, () -> uri.setPort(65536));
        assertThrows(IllegalArgumentException.class, () -> uri.setPort(-2));
    }

    @Test
    void queryArgsAreParsedOnceAndRefreshedWhenTheQueryChanges() {
        Uri uri = new Uri();
        uri.parse("/p?a=1&b=2");
        Args args = uri.queryArgs();
        assertEquals("1", args.get("a"));
        assertSame(args, uri.queryArgs());
        args.add("c", "3");
        assertEquals(3, uri.queryArgs().count());   // cached: not parsed again
        assertEquals("a=1&b=2", uri.queryString().toString());
        uri.setQueryString("x=9");
        assertEquals(List.of("9"), uri.queryArgs().getAll("x"));
        assertEquals(1, uri.queryArgs().count());
        uri.parse("/p?y=8");
        assertEquals("8", uri.queryArgs().get("y"));
        uri.reset();
        assertEquals(0, uri.queryArgs().count());
    }

    @Test
    void resetEmptiesEveryPart() {
        Uri uri = new Uri();
        uri.parse("http://u:p@h:81/a?q#f");
        uri.reset();
        assertEquals("", uri.toString());
        assertEquals(-1, uri.port());
        assertEquals("/", uri.path().toString());
        assertTrue(uri.host().isEmpty() && uri.username().isEmpty() && uri.password().isEmpty());
        assertTrue(uri.pathOriginal().isEmpty() && uri.queryString().isEmpty() && uri.hash().isEmpty());
        assertFalse(uri.isAbsolute());
    }

    @Test
    void copyToMakesAnIndependentCopy() {
        Uri src = new Uri();
        src.parse("http://u:p@h:81/a/../b?q=1#f");
        Uri dst = new Uri();
        dst.parse("/old?z=0");
        dst.queryArgs();
        src.copyTo(dst);
        src.parse("/other");
        assertEquals("http://u:p@h:81/b?q=1#f", dst.toString());
        assertEquals("/a/../b", dst.pathOriginal().toString());
        assertEquals(1, dst.queryArgs().getInt("q", 0));
        assertFalse(dst.queryArgs().has("z"));
    }

    @Test
    void parsingAndReadingDoNotAllocateOnReuse() throws Throwable {
        Uri uri = new Uri();
        byte[][] targets = {
            "/api/v1/users/./42/../43//profile?page=2&sort=name#top".getBytes(StandardCharsets.US_ASCII),
            "http://user:pw@Example.COM:8080/caf%C3%A9/a%20b/?q=x+y".getBytes(StandardCharsets.US_ASCII),
            "*".getBytes(StandardCharsets.US_ASCII),
            "example.com:443".getBytes(StandardCharsets.US_ASCII),
        };
        ByteBuf out = new ByteBuf();
        long[] sink = new long[1];
        Runnable work = () -> {
            for (byte[] target : targets) {
                uri.parse(target, 0, target.length);
                sink[0] += uri.path().length() + uri.host().length() + uri.queryArgs().getInt("page", 1);
                out.reset();
                uri.appendRequestUri(out);
                sink[0] += out.length();
            }
        };
        assertEquals(0, ArgsTest.minAllocatedBytes(work));
        assertTrue(sink[0] > 0);
    }

    private static void set(Uri uri, String component, String value) {
        switch (component) {
            case "scheme" -> uri.setScheme(value);
            case "host" -> uri.setHost(value);
            case "path" -> uri.setPath(value);
            case "query string" -> uri.setQueryString(value);
            case "hash" -> uri.setHash(value);
            default -> throw new IllegalArgumentException(component);
        }
    }
}
