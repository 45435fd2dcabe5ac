package io.fasthttp4j.internal.bytes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CookiesTest {
    /** Parses {@code header} placed inside other bytes and returns the cookies as "name=value" strings. */
    private static List<String> parse(String header) {
        byte[] buf = ("x;" + header + ";x").getBytes(StandardCharsets.ISO_8859_1);
        List<String> cookies = new ArrayList<>();
        Cookies.parseRequestCookies(buf, 2, buf.length - 2, (b, nameFrom, nameTo, valueFrom, valueTo) ->
                cookies.add(new String(b, nameFrom, nameTo - nameFrom, StandardCharsets.ISO_8859_1) + "="
                        + new String(b, valueFrom, valueTo - valueFrom, StandardCharsets.ISO_8859_1)));
        return cookies;
    }

    static Stream<Arguments> headers() {
        return Stream.of(
                arguments("one cookie", "a=b", List.of("a=b")),
                arguments("two cookies as browsers send them", "a=b; c=d", List.of("a=b", "c=d")),
                arguments("no space after the semicolon", "a=b;c=d", List.of("a=b", "c=d")),
                arguments("spaces and tabs around names and values", " \ta \t= \tb\t ;  c=d  ", List.of("a=b", "c=d")),
                arguments("empty value", "a=; c=d", List.of("a=", "c=d")),
                arguments("quoted value loses one pair of quotes", "a=\"b c\"; d=\"\"e\"\"", List.of("a=b c", "d=\"e\"")),
                arguments("a lone quote is kept", "a=\"", List.of("a=\"")),
                arguments("quotes around the name are kept", "\"a\"=b", List.of("\"a\"=b")),
                arguments("'=' inside a value", "a=b=c; d==", List.of("a=b=c", "d==")),
                arguments("piece without '=' is a value with an empty name", "foo; a=b", List.of("=foo", "a=b")),
                arguments("piece starting with '=' has an empty name", "=foo", List.of("=foo")),
                arguments("empty pieces are skipped", ";; a=b ;;; ; c=d;", List.of("a=b", "c=d")),
                arguments("lone '=' is skipped", "=; a=b", List.of("a=b")),
                arguments("empty header", "", List.of()),
                arguments("blank header", "  \t ", List.of()),
                arguments("comma is part of the value", "a=b, c=d", List.of("a=b, c=d")),
                arguments("duplicate names are all delivered, in order", "a=1; a=2", List.of("a=1", "a=2")),
                arguments("real browser header", "_ga=GA1.2.1234567890.1700000000; _gid=GA1.2.987654321.1700000000; "
                        + "session-id=132-4567890-1234567; i18n-prefs=USD",
                        List.of("_ga=GA1.2.1234567890.1700000000", "_gid=GA1.2.987654321.1700000000",
                                "session-id=132-4567890-1234567", "i18n-prefs=USD")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headers")
    void splitsCookieHeaderIntoNamesAndValues(String name, String header, List<String> expected) {
        assertEquals(expected, parse(header));
    }

    @Test
    void readsOnlyTheGivenRange() {
        byte[] buf = "a=b; c=d".getBytes(StandardCharsets.US_ASCII);
        List<String> names = new ArrayList<>();
        Cookies.parseRequestCookies(buf, 0, 3, (b, nameFrom, nameTo, valueFrom, valueTo) ->
                names.add(new String(b, nameFrom, nameTo - nameFrom, StandardCharsets.US_ASCII) + "=" + (valueTo - valueFrom)));
        assertEquals(List.of("a=1"), names);
    }

    @Test
    @Timeout(20)
    void allocatesNothing() {
        byte[] buf = "_ga=GA1.2.1; _gid=\"GA1.2.9\"; foo; =x; session-id=132-4567890".getBytes(StandardCharsets.US_ASCII);
        int[] count = new int[1];
        Cookies.Sink sink = (b, nameFrom, nameTo, valueFrom, valueTo) -> count[0] += valueTo - valueFrom;
        long fewestBytes = HttpDatesTest.minAllocatedBytes(() -> {
            for (int i = 0; i < 500_000; i++) Cookies.parseRequestCookies(buf, 0, buf.length, sink);
        });
        assertEquals(0, fewestBytes);
    }
}
