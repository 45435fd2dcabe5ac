package io.fasthttp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fasthttp4j.Cookie.SameSite;
import io.fasthttp4j.pool.ByteBuf;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CookieTest {
    private static final long NOV_6_1994 = Instant.parse("1994-11-06T08:49:37Z").getEpochSecond();
    private static final String NOV_6_1994_IMF = "Sun, 06 Nov 1994 08:49:37 GMT";

    private static Cookie cookie(Consumer<Cookie> setup) {
        Cookie c = new Cookie();
        c.setKey("a");
        c.setValue("b");
        setup.accept(c);
        return c;
    }

    /** Every field of {@code c} in one string, so that a failed comparison shows them all. */
    static String fields(Cookie c) {
        return "key=" + c.key() + " value=" + c.value() + " domain=" + c.domain() + " path=" + c.path()
                + " expires=" + c.expires() + " maxAge=" + c.maxAge() + " secure=" + c.isSecure()
                + " httpOnly=" + c.isHttpOnly() + " sameSite=" + c.sameSite() + " partitioned=" + c.isPartitioned();
    }

    private static String written(Cookie c) {
        ByteBuf out = new ByteBuf(1);
        c.appendTo(out);
        return out.toString();
    }

    static Stream<Arguments> writeCases() {
        return Stream.of(
                arguments("name and value only", cookie(c -> { }), "a=b"),
                arguments("empty value", cookie(c -> c.setValue("")), "a="),
                arguments("Domain", cookie(c -> c.setDomain(".example.com")), "a=b; Domain=.example.com"),
                arguments("Path", cookie(c -> c.setPath("/docs")), "a=b; Path=/docs"),
                arguments("Expires as IMF-fixdate", cookie(c -> c.setExpires(NOV_6_1994)), "a=b; Expires=" + NOV_6_1994_IMF),
                arguments("Max-Age", cookie(c -> c.setMaxAge(3600)), "a=b; Max-Age=3600"),
                arguments("negative Max-Age deletes now", cookie(c -> c.setMaxAge(-1)), "a=b; Max-Age=0"),
                arguments("Secure", cookie(c -> c.setSecure(true)), "a=b; Secure"),
                arguments("HttpOnly", cookie(c -> c.setHttpOnly(true)), "a=b; HttpOnly"),
                arguments("SameSite=Lax", cookie(c -> c.setSameSite(SameSite.LAX)), "a=b; SameSite=Lax"),
                arguments("SameSite=Strict", cookie(c -> c.setSameSite(SameSite.STRICT)), "a=b; SameSite=Strict"),
                arguments("SameSite=None forces Secure", cookie(c -> c.setSameSite(SameSite.NONE)), "a=b; Secure; SameSite=None"),
                arguments("SameSite default writes nothing", cookie(c -> c.setSameSite(SameSite.DEFAULT)), "a=b"),
                arguments("Partitioned forces Secure", cookie(c -> c.setPartitioned(true)), "a=b; Secure; Partitioned"),
                arguments("everything, in order", cookie(c -> {
                    c.setKey("__Host-id");
                    c.setValue("v1.2=x");
                    c.setDomain("example.com");
                    c.setPath("/");
                    c.setExpires(NOV_6_1994);
                    c.setMaxAge(60);
                    c.setSecure(true);
                    c.setHttpOnly(true);
                    c.setSameSite(SameSite.NONE);
                    c.setPartitioned(true);
                }), "__Host-id=v1.2=x; Domain=example.com; Path=/; Expires=" + NOV_6_1994_IMF
                        + "; Max-Age=60; Secure; HttpOnly; SameSite=None; Partitioned"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writeCases")
    void writesSetCookieValue(String name, Cookie cookie, String expected) {
        assertEquals(expected, written(cookie));
        assertEquals(expected, cookie.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writeCases")
    void readsBackWhatItWrites(String name, Cookie cookie, String line) {
        Cookie parsed = new Cookie();
        parsed.parse(written(cookie));
        Cookie expected = new Cookie();
        cookie.copyTo(expected);
        if (cookie.sameSite() == SameSite.NONE || cookie.isPartitioned()) expected.setSecure(true);   // written though not set
        assertEquals(fields(expected), fields(parsed));
    }

    @Test
    void writesAnyNegativeMaxAgeAsZero() {
        assertEquals("a=b; Max-Age=0", written(cookie(c -> c.setMaxAge(-5))));
    }

    @Test
    void appendsAfterWhatTheBufferHolds() {
        ByteBuf out = new ByteBuf();
        out.append("Set-Cookie: ");
        cookie(c -> c.setPath("/")).appendTo(out);
        assertEquals("Set-Cookie: a=b; Path=/", out.toString());
    }

    @Test
    void refusesToWriteACookieWithoutName() {
        assertThrows(IllegalStateException.class, () -> new Cookie().appendTo(new ByteBuf()));
    }

    static Stream<Arguments> parseCases() {
        return Stream.of(
                arguments("Google: lower-case attributes, Netscape date, leading-dot domain",
                        "AEC=AVYB7cpQ1x-Ab_cD; expires=Sat, 15-Feb-2025 10:39:17 GMT; path=/; domain=.google.com; Secure; HttpOnly; SameSite=lax",
                        cookie(c -> {
                            c.setKey("AEC");
                            c.setValue("AVYB7cpQ1x-Ab_cD");
                            c.setExpires(Instant.parse("2025-02-15T10:39:17Z"));
                            c.setPath("/");
                            c.setDomain(".google.com");
                            c.setSecure(true);
                            c.setHttpOnly(true);
                            c.setSameSite(SameSite.LAX);
                        })),
                arguments("GitHub: session cookie with percent-encoded value",
                        "_gh_sess=abc%2Fdef--123%3D%3D; path=/; secure; HttpOnly; SameSite=Lax",
                        cookie(c -> {
                            c.setKey("_gh_sess");
                            c.setValue("abc%2Fdef--123%3D%3D");
                            c.setPath("/");
                            c.setSecure(true);
                            c.setHttpOnly(true);
                            c.setSameSite(SameSite.LAX);
                        })),
                arguments("Facebook: both Expires and Max-Age, SameSite=None",
                        "fr=0abcDEF.AWV.AAA; expires=Mon, 24-Feb-2025 10:00:00 GMT; Max-Age=7776000; path=/; domain=.facebook.com; secure; httponly; SameSite=None",
                        cookie(c -> {
                            c.setKey("fr");
                            c.setValue("0abcDEF.AWV.AAA");
                            c.setExpires(Instant.parse("2025-02-24T10:00:00Z"));
                            c.setMaxAge(7776000);
                            c.setPath("/");
                            c.setDomain(".facebook.com");
                            c.setSecure(true);
                            c.setHttpOnly(true);
                            c.setSameSite(SameSite.NONE);
                        })),
                arguments("Cloudflare: two-digit Netscape date",
                        "__cf_bm=x.y-1700000000-1.0.1.1-z; path=/; expires=Tue, 21-Nov-23 12:30:00 GMT; domain=.example.com; HttpOnly; Secure; SameSite=None",
                        cookie(c -> {
                            c.setKey("__cf_bm");
                            c.setValue("x.y-1700000000-1.0.1.1-z");
                            c.setPath("/");
                            c.setExpires(Instant.parse("2023-11-21T12:30:00Z"));
                            c.setDomain(".example.com");
                            c.setHttpOnly(true);
                            c.setSecure(true);
                            c.setSameSite(SameSite.NONE);
                        })),
                arguments("attribute names in any case",
                        "a=b; DOMAIN=x.com; pAtH=/p; EXPIRES=" + NOV_6_1994_IMF + "; MAX-AGE=10; SECURE; HTTPONLY; SAMESITE=STRICT; PARTITIONED",
                        cookie(c -> {
                            c.setDomain("x.com");
                            c.setPath("/p");
                            c.setExpires(NOV_6_1994);
                            c.setMaxAge(10);
                            c.setSecure(true);
                            c.setHttpOnly(true);
                            c.setSameSite(SameSite.STRICT);
                            c.setPartitioned(true);
                        })),
                arguments("quoted value loses its quotes", "a=\"b\"; Path=/", cookie(c -> c.setPath("/"))),
                arguments("spaces around everything", "  a = b  ;  Path = /  ;Secure ", cookie(c -> {
                    c.setPath("/");
                    c.setSecure(true);
                })),
                arguments("'=' inside the value", "a=b=c", cookie(c -> c.setValue("b=c"))),
                arguments("deletion: empty value and Max-Age=0", "a=; Max-Age=0", cookie(c -> {
                    c.setValue("");
                    c.setMaxAge(-1);
                })),
                arguments("negative Max-Age", "a=b; Max-Age=-5", cookie(c -> c.setMaxAge(-1))),
                arguments("Max-Age past int is clamped", "a=b; Max-Age=99999999999999999999", cookie(c -> c.setMaxAge(Integer.MAX_VALUE))),
                arguments("Max-Age with a non-digit is ignored", "a=b; Max-Age=1e3", cookie(c -> { })),
                arguments("Max-Age with a plus sign is ignored", "a=b; Max-Age=+3", cookie(c -> { })),
                arguments("empty Max-Age is ignored", "a=b; Max-Age=; Max-Age=-", cookie(c -> { })),
                arguments("Expires as rfc850-date", "a=b; Expires=Sunday, 06-Nov-94 08:49:37 GMT", cookie(c -> c.setExpires(NOV_6_1994))),
                arguments("Expires as asctime-date", "a=b; Expires=Sun Nov  6 08:49:37 1994", cookie(c -> c.setExpires(NOV_6_1994))),
                arguments("malformed Expires is ignored", "a=b; Expires=tomorrow", cookie(c -> { })),
                arguments("unknown attributes are ignored", "a=b; Priority=High; Comment=x; Version=1; Foo", cookie(c -> { })),
                arguments("the last of each attribute wins", "a=b; Path=/x; Path=/y; Max-Age=1; Max-Age=2", cookie(c -> {
                    c.setPath("/y");
                    c.setMaxAge(2);
                })),
                arguments("empty Domain and Path are ignored", "a=b; Domain=; Path=", cookie(c -> { })),
                arguments("unknown SameSite means the default", "a=b; SameSite=Lax; SameSite=bogus", cookie(c -> { })),
                arguments("empty attributes are skipped", "a=b;;; ;Secure;", cookie(c -> c.setSecure(true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parseCases")
    void parsesSetCookieValue(String name, String line, Cookie expected) {
        Cookie parsed = cookie(c -> {
            c.setPath("/stale");   // parse replaces everything
            c.setSecure(true);
        });
        parsed.parse(line);
        assertEquals(fields(expected), fields(parsed));
    }

    static Stream<Arguments> malformedLines() {
        return Stream.of(
                arguments("empty", "", "no '='"),
                arguments("no '='", "foo; Path=/", "no '='"),
                arguments("empty name", "=b", "cookie name is empty"),
                arguments("space inside the name", "a b=c", "invalid byte 0x20 in cookie name at index 1"),
                arguments("separator in the name", "a(=b", "invalid byte 0x28 in cookie name at index 1"),
                arguments("space inside the value", "a=b c", "invalid byte 0x20 in cookie value at index 1"),
                arguments("comma in the value", "a=b,c", "invalid byte 0x2c in cookie value at index 1"),
                arguments("unbalanced quote", "a=\"b", "invalid byte 0x22 in cookie value at index 0"),
                arguments("quote inside a quoted value", "a=\"b\"c\"", "invalid byte 0x22 in cookie value at index 1"),
                arguments("backslash in the value", "a=b\\c", "invalid byte 0x5c in cookie value at index 1"),
                arguments("control byte in the value", "a=b\u0001", "invalid byte 0x01 in cookie value at index 1"),
                arguments("non-ASCII value", "a=\u00e9", "invalid byte 0xc3 in cookie value at index 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedLines")
    void rejectsMalformedNameOrValue(String name, String line, String message) {
        Cookie cookie = cookie(c -> c.setPath("/stale"));
        var e = assertThrows(IllegalArgumentException.class, () -> cookie.parse(line));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(fields(new Cookie()), fields(cookie), "left reset");
    }

    static Stream<Arguments> invalidSetters() {
        Cookie c = new Cookie();
        return Stream.of(
                arguments("empty name", (Executable) () -> c.setKey(""), "cookie name is empty"),
                arguments("space in the name", (Executable) () -> c.setKey("a b"), "invalid char U+0020 in cookie name at index 1"),
                arguments("'=' in the name", (Executable) () -> c.setKey("a=b"), "invalid char U+003D in cookie name at index 1"),
                arguments("non-ASCII name", (Executable) () -> c.setKey("\u00e9"), "invalid char U+00E9 in cookie name at index 0"),
                arguments("non-ASCII name bytes", (Executable) () -> c.setKey(new byte[] {'a', (byte) 0x80}, 0, 2),
                        "invalid byte 0x80 in cookie name at index 1"),
                arguments("semicolon in the value", (Executable) () -> c.setValue("a;b"), "invalid char U+003B in cookie value at index 1"),
                arguments("quotes in the value", (Executable) () -> c.setValue("\"a\""), "invalid char U+0022 in cookie value at index 0"),
                arguments("backslash in the value", (Executable) () -> c.setValue("a\\b"), "invalid char U+005C in cookie value at index 1"),
                arguments("comma in the value", (Executable) () -> c.setValue("a,b"), "invalid char U+002C in cookie value at index 1"),
                arguments("space in the value", (Executable) () -> c.setValue("a b"), "invalid char U+0020 in cookie value at index 1"),
                arguments("DEL in the value bytes", (Executable) () -> c.setValue(new byte[] {0x7f}, 0, 1),
                        "invalid byte 0x7f in cookie value at index 0"),
                arguments("character beyond Latin-1 in the value", (Executable) () -> c.setValue("\u20ac"),
                        "invalid char U+20AC in cookie value at index 0"),
                arguments("semicolon in Domain", (Executable) () -> c.setDomain("a;b"), "invalid char U+003B in Domain at index 1"),
                arguments("tab in Domain", (Executable) () -> c.setDomain("a\tb"), "invalid char U+0009 in Domain at index 1"),
                arguments("DEL in Path", (Executable) () -> c.setPath("/\u007f"), "invalid char U+007F in Path at index 1"),
                arguments("CR in Path", (Executable) () -> c.setPath("/\r\nX: y"), "invalid char U+000D in Path at index 1"),
                arguments("Expires after year 9999", (Executable) () -> c.setExpires(Instant.parse("+10000-01-01T00:00:00Z")),
                        "outside years 0000-9999"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSetters")
    void settersRejectInvalidInput(String name, Executable setter, String message) {
        var e = assertThrows(IllegalArgumentException.class, setter);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void failedSetterKeepsTheOldValue() {
        Cookie c = cookie(x -> x.setPath("/p"));
        assertThrows(IllegalArgumentException.class, () -> c.setValue("x y"));
        assertThrows(IllegalArgumentException.class, () -> c.setPath("/;"));
        assertEquals("a=b; Path=/p", c.toString());
    }

    @Test
    void settersTakeByteRanges() {
        byte[] bytes = "xxsid=42xx".getBytes(StandardCharsets.US_ASCII);
        Cookie c = new Cookie();
        c.setKey(bytes, 2, 5);
        c.setValue(bytes, 6, 8);
        assertEquals("sid=42", c.toString());
    }

    @Test
    void peekReturnsViewsOfTheCurrentBytes() {
        Cookie c = cookie(x -> {
            x.setDomain("example.com");
            x.setPath("/");
        });
        assertTrue(c.peekKey().contentEquals("a"));
        assertTrue(c.peekValue().contentEquals("b"));
        assertTrue(c.peekDomain().contentEquals("example.com"));
        assertTrue(c.peekPath().contentEquals("/"));
        assertSame(c.peekValue(), c.peekValue());
        c.setValue("a-much-longer-value-than-before-that-makes-the-buffer-grow-beyond-its-first-array");
        assertTrue(c.peekValue().contentEquals("a-much-longer-value-than-before-that-makes-the-buffer-grow-beyond-its-first-array"));
    }

    @Test
    void setExpiresFromInstantDropsTheFraction() {
        Cookie c = new Cookie();
        c.setExpires(Instant.parse("1994-11-06T08:49:37.999Z"));
        assertEquals(NOV_6_1994, c.expires());
        c.setExpires(Cookie.NO_EXPIRES);
        assertEquals(Cookie.NO_EXPIRES, c.expires());
    }

    @Test
    void resetForgetsEverything() {
        Cookie c = cookie(x -> {
            x.setDomain("d");
            x.setPath("/");
            x.setExpires(NOV_6_1994);
            x.setMaxAge(5);
            x.setSecure(true);
            x.setHttpOnly(true);
            x.setSameSite(SameSite.LAX);
            x.setPartitioned(true);
        });
        c.reset();
        assertEquals("key= value= domain= path= expires=" + Cookie.NO_EXPIRES
                + " maxAge=0 secure=false httpOnly=false sameSite=DEFAULT partitioned=false", fields(c));
    }

    @Test
    void copyToReplacesEveryFieldOfTheTarget() {
        Cookie source = cookie(x -> {
            x.setPath("/");
            x.setExpires(NOV_6_1994);
            x.setSameSite(SameSite.STRICT);
        });
        Cookie target = cookie(x -> {
            x.setKey("old");
            x.setDomain("old.example");
            x.setHttpOnly(true);
        });
        source.copyTo(target);
        assertEquals(fields(source), fields(target));
        source.setValue("changed");
        assertEquals("b", target.value());
    }

    @Test
    void parsesAByteRangeInsideALargerBuffer() {
        byte[] buf = "Set-Cookie: a=b; Path=/\r\n".getBytes(StandardCharsets.US_ASCII);
        Cookie c = new Cookie();
        c.parse(buf, 12, buf.length - 2);
        assertEquals("a=b; Path=/", c.toString());
    }

    @Test
    @Timeout(20)
    void appendToAllocatesNothingOnReuse() {
        Cookie cookie = writeCases().map(a -> (Cookie) a.get()[1]).reduce((first, last) -> last).orElseThrow();
        ByteBuf out = new ByteBuf(256);
        long fewestBytes = minAllocatedBytes(() -> {
            for (int i = 0; i < 500_000; i++) {
                out.reset();
                cookie.appendTo(out);
            }
        });
        assertEquals(0, fewestBytes);
    }

    @Test
    @Timeout(20)
    void parseAllocatesNothingOnReuse() {
        byte[] line = ("fr=0abcDEF.AWV.AAA; expires=Mon, 24-Feb-2025 10:00:00 GMT; Max-Age=7776000; path=/; "
                + "domain=.facebook.com; secure; httponly; SameSite=None; Partitioned").getBytes(StandardCharsets.US_ASCII);
        Cookie cookie = new Cookie();
        long fewestBytes = minAllocatedBytes(() -> {
            for (int i = 0; i < 200_000; i++) cookie.parse(line, 0, line.length);
        });
        assertEquals(0, fewestBytes);
    }

    // The same measurement as HttpDatesTest's, which lives in another package.
    private static long minAllocatedBytes(Runnable work) {
        long fewest = Long.MAX_VALUE;
        for (int run = 0; run < 4 && fewest > 0; run++) {
            long before = currentThreadAllocatedBytes();
            work.run();
            fewest = Math.min(fewest, currentThreadAllocatedBytes() - before);
        }
        return fewest;
    }

    // Reflective because test sources compile inside module io.fasthttp4j, which reads neither
    // java.management nor jdk.management; a method handle returns the long without boxing it.
    private static Object threads;
    private static final MethodHandle ALLOCATED_BYTES = allocatedBytesHandle();

    private static MethodHandle allocatedBytesHandle() {
        try {
            threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            return MethodHandles.publicLookup()
                    .findVirtual(Class.forName("com.sun.management.ThreadMXBean"), "getCurrentThreadAllocatedBytes",
                            MethodType.methodType(long.class))
                    .asType(MethodType.methodType(long.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("this JVM cannot count allocated bytes", e);
        }
    }

    private static long currentThreadAllocatedBytes() {
        try {
            return (long) ALLOCATED_BYTES.invokeExact(threads);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
