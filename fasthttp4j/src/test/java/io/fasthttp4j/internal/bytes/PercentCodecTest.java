package io.fasthttp4j.internal.bytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fasthttp4j.pool.ByteBuf;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PercentCodecTest {
    static Stream<Arguments> strictDecoding() {
        return Stream.of(
                arguments("plain bytes pass through", "/a/b", "/a/b"),
                arguments("an escaped space decodes", "/a%20b", "/a b"),
                arguments("lower-case hex decodes", "%c3%a9", "é"),
                arguments("upper-case hex decodes", "%C3%A9", "é"),
                arguments("plus stays plus in a path", "/a+b", "/a+b"),
                arguments("an escaped percent decodes once", "%2541", "%41"),
                arguments("an escaped slash decodes", "a%2Fb", "a/b"),
                arguments("an escape at the very end decodes", "a%41", "aA"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strictDecoding")
    void decodesStrictly(String name, String input, String expected) {
        ByteBuf out = new ByteBuf(1);
        byte[] in = bytes(input);
        assertEquals(-1, PercentCodec.decodeStrict(in, 0, in.length, out));
        assertEquals(expected, out.toString());
    }

    static Stream<Arguments> badEscapes() {
        return Stream.of(
                arguments("non-hex digits", "/a%zz", 2),
                arguments("a percent at the end", "/a%", 2),
                arguments("one hex digit at the end", "/a%4", 2),
                arguments("one hex digit then a non-hex byte", "%4g", 0),
                arguments("the first of two bad escapes", "ok%2%zz", 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEscapes")
    void reportsTheFirstBadEscapeAndLeavesTheOutputLength(String name, String input, int badAt) {
        ByteBuf out = new ByteBuf();
        out.append("kept");
        byte[] in = bytes(input);
        assertEquals(badAt, PercentCodec.decodeStrict(in, 0, in.length, out));
        assertEquals("kept", out.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEscapes")
    void findsTheFirstBadEscapeWithoutDecoding(String name, String input, int badAt) {
        byte[] in = bytes(input);
        assertEquals(badAt, PercentCodec.indexOfBadEscape(in, 0, in.length));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strictDecoding")
    void findsNoBadEscapeInValidInput(String name, String input, String expected) {
        byte[] in = bytes(input);
        assertEquals(-1, PercentCodec.indexOfBadEscape(in, 0, in.length));
    }

    static Stream<Arguments> formDecoding() {
        return Stream.of(
                arguments("plus becomes a space", "a+b", "a b"),
                arguments("an escaped plus stays a plus", "a%2Bb", "a+b"),
                arguments("UTF-8 escapes decode to their bytes", "%E2%82%AC", "€"),
                arguments("non-hex digits are kept literally", "100%zz", "100%zz"),
                arguments("a percent at the end is kept literally", "100%", "100%"),
                arguments("one hex digit at the end is kept literally", "a%4", "a%4"),
                arguments("a good escape after a bad one still decodes", "%%41", "%A"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formDecoding")
    void decodesFormsLeniently(String name, String input, String expected) {
        ByteBuf out = new ByteBuf(0);
        byte[] in = bytes(input);
        PercentCodec.decodeForm(in, 0, in.length, out);
        assertEquals(expected, out.toString());
    }

    static Stream<Arguments> encoding() {
        return Stream.of(
                arguments("a path keeps pchars and slashes", "path", "/a-b_c.d~e/!$&'()*+,;=:@", "/a-b_c.d~e/!$&'()*+,;=:@"),
                arguments("a path encodes space, query and fragment delimiters", "path", "/a b?c#d", "/a%20b%3Fc%23d"),
                arguments("a path encodes a literal percent", "path", "/100%", "/100%25"),
                arguments("a path encodes UTF-8 bytes upper-case", "path", "/é", "/%C3%A9"),
                arguments("a path encodes control bytes", "path", "/a\u0000\n", "/a%00%0A"),
                arguments("a query keeps existing escapes and delimiters", "query", "a=%41&b=/?:", "a=%41&b=/?:"),
                arguments("a query encodes space, hash and UTF-8", "query", "a b#é", "a%20b%23%C3%A9"),
                arguments("a form writes space as plus", "form", "a b", "a+b"),
                arguments("a form keeps only unreserved bytes", "form", "aZ09-._~", "aZ09-._~"),
                arguments("a form encodes delimiters", "form", "a=b&c+d/e", "a%3Db%26c%2Bd%2Fe"),
                arguments("a form encodes UTF-8 bytes upper-case", "form", "€", "%E2%82%AC"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encoding")
    void encodes(String name, String kind, String input, String expected) {
        ByteBuf out = new ByteBuf(0);
        byte[] in = bytes(input);
        switch (kind) {
            case "path" -> PercentCodec.encodePath(in, 0, in.length, out);
            case "query" -> PercentCodec.encodeQuery(in, 0, in.length, out);
            default -> PercentCodec.encodeForm(in, 0, in.length, out);
        }
        assertEquals(expected, out.toString());
    }

    @Test
    void formEncodingMatchesTheJdkExceptForItsKeptStar() {
        // The JDK keeps '*' and encodes '~'; RFC 3986 unreserved is the reverse. Every other byte agrees.
        for (int b = 0; b < 256; b++) {
            if (b == '*' || b == '~') continue;
            byte[] in = {(byte) b};
            ByteBuf out = new ByteBuf(0);
            PercentCodec.encodeForm(in, 0, 1, out);
            String jdk = URLEncoder.encode(new String(in, StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
            assertEquals(jdk, out.toString(), "byte " + b);
        }
    }

    @Test
    void everyByteSurvivesAFormRoundTrip() {
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) all[b] = (byte) b;
        ByteBuf encoded = new ByteBuf(0);
        PercentCodec.encodeForm(all, 0, all.length, encoded);
        ByteBuf decoded = new ByteBuf(0);
        PercentCodec.decodeForm(encoded.array(), 0, encoded.length(), decoded);
        assertArrayEquals(all, decoded.toBytes());
        assertEquals(new String(all, StandardCharsets.ISO_8859_1),
                URLDecoder.decode(encoded.toString(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void everyByteSurvivesAPathRoundTrip() {
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) all[b] = (byte) b;
        ByteBuf encoded = new ByteBuf(0);
        PercentCodec.encodePath(all, 0, all.length, encoded);
        ByteBuf decoded = new ByteBuf(0);
        assertEquals(-1, PercentCodec.decodeStrict(encoded.array(), 0, encoded.length(), decoded));
        assertArrayEquals(all, decoded.toBytes());
    }

    @Test
    void decodesOnlyTheGivenRangeAndAppends() {
        byte[] in = bytes("xx%41yy");
        ByteBuf out = new ByteBuf(0);
        out.append("<");
        assertEquals(-1, PercentCodec.decodeStrict(in, 2, 5, out));
        assertEquals("<A", out.toString());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
