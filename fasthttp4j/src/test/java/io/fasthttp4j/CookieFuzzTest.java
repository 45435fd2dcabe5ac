package io.fasthttp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.fasthttp4j.internal.bytes.Cookies;
import io.fasthttp4j.internal.codec.RequestParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz targets for cookies. A Set-Cookie value either parses or is rejected with {@link
 * IllegalArgumentException}, leaving the cookie reset, as {@link Cookie#parse} says; one that parses
 * is written back ({@link Cookie#appendTo}) as a value that parses to the same cookie. A Cookie
 * header value always splits into pairs ({@link Cookies#parseRequestCookies} throws nothing), and a
 * request's {@link RequestHeader#cookie} finds the first pair of each name. Without {@code
 * JAZZER_FUZZ=1} only the seeds in {@code CookieFuzzTestInputs} run.
 */
class CookieFuzzTest {
    private static final byte[] BEFORE_COOKIE = "GET / HTTP/1.1\r\nHost: a\r\nCookie: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AFTER_COOKIE = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @FuzzTest
    void parsesAnySetCookieOrRejectsIt(byte[] input) {
        Cookie cookie = new Cookie();
        try {
            cookie.parse(input, 0, input.length);
        } catch (IllegalArgumentException e) {
            assertEquals(CookieTest.fields(new Cookie()), CookieTest.fields(cookie), "a rejected Set-Cookie left fields set");
            return;
        }
        String written = cookie.toString();
        Cookie again = new Cookie();
        again.parse(written);
        Cookie expected = new Cookie();
        cookie.copyTo(expected);
        if (cookie.sameSite() == Cookie.SameSite.NONE || cookie.isPartitioned()) expected.setSecure(true);   // written though not set
        assertEquals(CookieTest.fields(expected), CookieTest.fields(again), "re-parsed from " + written);
    }

    @FuzzTest
    void splitsAnyCookieHeaderIntoPairs(byte[] input) {
        List<String[]> pairs = new ArrayList<>();
        Cookies.parseRequestCookies(input, 0, input.length, (buf, nameFrom, nameTo, valueFrom, valueTo) -> {
            assertTrue(0 <= nameFrom && nameFrom <= nameTo && nameTo <= valueFrom && valueFrom <= valueTo && valueTo <= input.length,
                    () -> "pair outside the input: " + nameFrom + ".." + nameTo + " = " + valueFrom + ".." + valueTo);
            String name = text(buf, nameFrom, nameTo);
            String value = text(buf, valueFrom, valueTo);
            assertTrue(name.indexOf(';') < 0 && name.indexOf('=') < 0 && value.indexOf(';') < 0, () -> name + " = " + value);
            pairs.add(new String[] {name, value});
        });
        checkLookups(input, pairs);
    }

    // The same value in a request's Cookie field: visitCookies sees the same pairs, and cookie(name)
    // returns the first pair of that name (ASCII names only: a CharSequence holds no other bytes).
    private static void checkLookups(byte[] value, List<String[]> pairs) {
        for (byte b : value) if (b == '\r' || b == '\n') return;   // would end the field: one field is what is compared
        byte[] raw = new byte[BEFORE_COOKIE.length + value.length + AFTER_COOKIE.length];
        System.arraycopy(BEFORE_COOKIE, 0, raw, 0, BEFORE_COOKIE.length);
        System.arraycopy(value, 0, raw, BEFORE_COOKIE.length, value.length);
        System.arraycopy(AFTER_COOKIE, 0, raw, BEFORE_COOKIE.length + value.length, AFTER_COOKIE.length);
        Request request = new Request();
        RequestParser parser = new RequestParser(HttpLimits.defaults());
        try {
            parser.parse(raw, 0, raw.length, request);
        } catch (BadRequestException e) {
            return;   // not a valid field value (control bytes, for one): the request parser's targets cover that
        }
        assertTrue(parser.isComplete(), "request incomplete");
        List<String> visited = new ArrayList<>();
        request.header().visitCookies((name, v) -> visited.add(text(name) + "=" + text(v)));
        assertEquals(pairs.stream().map(p -> p[0] + "=" + p[1]).toList(), visited, "visitCookies");
        for (String[] pair : pairs) {
            if (!pair[0].chars().allMatch(c -> c < 0x80)) continue;
            String first = pairs.stream().filter(p -> p[0].equals(pair[0])).findFirst().orElseThrow()[1];
            ByteView found = request.header().cookie(pair[0]);
            assertEquals(first, found == null ? null : text(found), "cookie(\"" + pair[0] + "\")");
        }
    }

    private static String text(byte[] buf, int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static String text(ByteView view) {
        return new String(view.toBytes(), StandardCharsets.ISO_8859_1);
    }
}
