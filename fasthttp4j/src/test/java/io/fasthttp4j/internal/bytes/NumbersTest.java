package io.fasthttp4j.internal.bytes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NumbersTest {
    static Stream<Arguments> validLongs() {
        return Stream.of(
                arguments("zero", "0"),
                arguments("negative zero reads as zero", "-0"),
                arguments("a single digit", "7"),
                arguments("leading zeros", "007"),
                arguments("a negative number", "-42"),
                arguments("the largest long", "9223372036854775807"),
                arguments("the largest long with leading zeros", "0009223372036854775807"),
                arguments("one below the largest long", "9223372036854775806"),
                arguments("the smallest long plus one", "-9223372036854775807"),
                arguments("a typical content length", "1048576"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validLongs")
    void parsesLongsAsTheJdkDoes(String name, String text) {
        assertEquals(Long.parseLong(text), parseLong(text));
    }

    @Test
    void smallestLongIsIndistinguishableFromMalformed() {
        assertEquals(Numbers.MALFORMED, parseLong("-9223372036854775808"));
        assertEquals(Long.MIN_VALUE, Numbers.MALFORMED);
    }

    static Stream<Arguments> malformedLongs() {
        return Stream.of(
                arguments("empty", ""),
                arguments("a sign alone", "-"),
                arguments("a leading plus, which the JDK accepts", "+1"),
                arguments("one past the largest long", "9223372036854775808"),
                arguments("far past the largest long", "99999999999999999999"),
                arguments("one past the smallest long", "-9223372036854775809"),
                arguments("a leading space", " 1"),
                arguments("a trailing space", "1 "),
                arguments("a letter", "12a"),
                arguments("two signs", "--1"),
                arguments("a decimal point", "1.0"),
                arguments("an underscore", "1_000"),
                arguments("a non-ASCII digit", "\u0661"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedLongs")
    void rejectsMalformedLongs(String name, String text) {
        assertEquals(Numbers.MALFORMED, parseLong(text));
    }

    static Stream<Arguments> ints() {
        return Stream.of(
                arguments("the largest int", "2147483647", 2147483647),
                arguments("the smallest int, which equals MALFORMED_INT", "-2147483648", Integer.MIN_VALUE),
                arguments("one past the largest int", "2147483648", Numbers.MALFORMED_INT),
                arguments("one past the smallest int", "-2147483649", Numbers.MALFORMED_INT),
                arguments("a long-sized value", "9223372036854775807", Numbers.MALFORMED_INT),
                arguments("a leading plus", "+5", Numbers.MALFORMED_INT),
                arguments("empty", "", Numbers.MALFORMED_INT),
                arguments("negative zero", "-0", 0),
                arguments("a port", "8080", 8080));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ints")
    void parsesIntsStrictly(String name, String text, int expected) {
        byte[] b = bytes(text);
        assertEquals(expected, Numbers.parseInt(b, 0, b.length));
    }

    @Test
    void parsesOnlyTheGivenRange() {
        byte[] b = bytes("xx123yy");
        assertEquals(123, Numbers.parseLong(b, 2, 5));
        assertEquals(1, Numbers.parseInt(b, 2, 3));
    }

    static Stream<Arguments> validDoubles() {
        return Stream.of(
                arguments("zero", "0"),
                arguments("negative zero keeps its sign", "-0"),
                arguments("negative zero with a fraction keeps its sign", "-0.0"),
                arguments("an integer", "42"),
                arguments("a simple fraction", "1.5"),
                arguments("a fraction that is not exact in binary", "0.1"),
                arguments("a negative fraction", "-3.25"),
                arguments("leading zeros in the fraction", "0.000123"),
                arguments("fifteen significant digits", "123456789.012345"),
                arguments("sixteen significant digits, beyond the fast path", "1234567890.123456"),
                arguments("the closest double to 0.1 spelled out", "0.1000000000000000055511151231257827"),
                arguments("twenty digits", "12345678901234567890"),
                arguments("an exponent", "1e10"),
                arguments("an upper-case exponent", "1E10"),
                arguments("an exponent with a plus", "2.5e+3"),
                arguments("a negative exponent", "2.5e-3"),
                arguments("the largest exact power of ten", "1e22"),
                arguments("past the exact powers of ten", "1e23"),
                arguments("a small exponent past the fast path", "1e-23"),
                arguments("the largest double", "1.7976931348623157e308"),
                arguments("the smallest subnormal", "4.9e-324"),
                arguments("underflow to zero", "1e-400"),
                arguments("2^53", "9007199254740992"),
                arguments("2^53 + 1, which rounds", "9007199254740993"),
                arguments("a huge exponent with a zero mantissa", "0e999999999999"),
                arguments("many trailing zeros", "1.50000000000000000000000"),
                arguments("a halfway case", "9007199254740993.0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validDoubles")
    void parsesDoublesAsTheJdkDoes(String name, String text) {
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), Double.doubleToRawLongBits(parseDouble(text)), text);
    }

    static Stream<Arguments> malformedDoubles() {
        return Stream.of(
                arguments("empty", ""),
                arguments("a sign alone", "-"),
                arguments("a leading plus", "+1.0"),
                arguments("no digits before the point", ".5"),
                arguments("no digits after the point", "5."),
                arguments("an exponent without digits", "1e"),
                arguments("an exponent with a sign alone", "1e-"),
                arguments("a fraction in the exponent", "1e2.5"),
                arguments("a JDK type suffix", "1.0d"),
                arguments("a JDK float suffix", "1f"),
                arguments("NaN", "NaN"),
                arguments("Infinity", "Infinity"),
                arguments("a hexadecimal float", "0x1p3"),
                arguments("a leading space", " 1"),
                arguments("two points", "1.2.3"),
                arguments("overflow to infinity", "1e309"),
                arguments("negative overflow to infinity", "-1.8e308"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedDoubles")
    void rejectsMalformedDoubles(String name, String text) {
        assertTrue(Double.isNaN(parseDouble(text)), () -> text + " gave " + parseDouble(text));
    }

    @Test
    void parsesRandomDoublesExactlyAsTheJdkDoes() {
        Random random = new Random(20240601);
        for (int i = 0; i < 50_000; i++) {
            String text = randomDecimal(random);
            long expected = Double.doubleToRawLongBits(Double.parseDouble(text));
            assertEquals(expected, Double.doubleToRawLongBits(parseDouble(text)), text);
        }
    }

    @Test
    void parsesRandomLongsAsTheJdkDoes() {
        Random random = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            long value = random.nextLong() >> random.nextInt(64);
            if (value == Long.MIN_VALUE) continue;
            assertEquals(value, parseLong(Long.toString(value)));
        }
    }

    // digits[.digits][e[-]digits] with up to 17 significant digits and exponents around the fast path's edge.
    private static String randomDecimal(Random random) {
        StringBuilder s = new StringBuilder();
        if (random.nextBoolean()) s.append('-');
        s.append(random.nextInt(1_000_000_000));
        if (random.nextBoolean()) s.append('.').append(String.format("%0" + (1 + random.nextInt(8)) + "d", random.nextInt(10_000_000)));
        if (random.nextInt(3) == 0) s.append('e').append(random.nextInt(60) - 30);
        return s.toString();
    }

    private static long parseLong(String text) {
        byte[] b = bytes(text);
        return Numbers.parseLong(b, 0, b.length);
    }

    private static double parseDouble(String text) {
        byte[] b = bytes(text);
        return Numbers.parseDouble(b, 0, b.length);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
