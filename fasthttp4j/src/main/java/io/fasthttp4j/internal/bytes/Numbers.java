package io.fasthttp4j.internal.bytes;

import java.nio.charset.StandardCharsets;

/**
 * Strict, allocation-free parsing of decimal numbers from bytes: Content-Length, ports, typed
 * query arguments. Strict means an optional leading {@code '-'} and digits only: no {@code '+'},
 * no whitespace, no underscores, never empty; overflow is malformed rather than wrapped.
 */
public final class Numbers {
    private Numbers() {
    }

    /**
     * What {@link #parseLong} returns for malformed input or overflow. It is also the value of
     * {@code "-9223372036854775808"}; a caller that must accept that one number checks the text.
     */
    public static final long MALFORMED = Long.MIN_VALUE;

    /** What {@link #parseInt} returns for malformed input or overflow; also the value of {@code "-2147483648"}. */
    public static final int MALFORMED_INT = Integer.MIN_VALUE;

    /** What {@link #parseDouble} returns for malformed input or overflow; test with {@link Double#isNaN}. */
    public static final double MALFORMED_DOUBLE = Double.NaN;

    private static final long MAX_EXACT_MANTISSA = 1L << 53;
    private static final long MANTISSA_LIMIT = 100_000_000_000_000_000L;   // 10^17: one more digit fits in a long
    private static final int MAX_EXPONENT = 100_000;      // far past any finite double; stops int overflow
    private static final double[] EXACT_POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };

    /** Parses {@code -?[0-9]+} in {@code b[from..to)}; returns {@link #MALFORMED} for anything else or overflow. */
    public static long parseLong(byte[] b, int from, int to) {
        boolean negative = from < to && b[from] == '-';
        int i = negative ? from + 1 : from;
        if (i >= to) return MALFORMED;
        long value = 0;   // accumulated negatively: the negative range is one larger, so MIN_VALUE fits
        for (; i < to; i++) {
            int digit = b[i] - '0';
            if (digit < 0 || digit > 9) return MALFORMED;
            if (value < Long.MIN_VALUE / 10) return MALFORMED;
            value *= 10;
            if (value < Long.MIN_VALUE + digit) return MALFORMED;
            value -= digit;
        }
        if (negative) return value;
        return value == Long.MIN_VALUE ? MALFORMED : -value;
    }

    /** Parses {@code -?[0-9]+} in {@code b[from..to)} as an int; {@link #MALFORMED_INT} if malformed or too large. */
    public static int parseInt(byte[] b, int from, int to) {
        long value = parseLong(b, from, to);
        if (value == MALFORMED || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) return MALFORMED_INT;
        return (int) value;
    }

    /**
     * Parses {@code -?digits[.digits][(e|E)[+-]digits]} in {@code b[from..to)}, correctly rounded as
     * {@link Double#parseDouble} would. Returns {@link #MALFORMED_DOUBLE} for anything else and for a
     * value too large for a double (which {@code Double.parseDouble} would make infinite).
     *
     * <p>With at most 15 significant digits and a decimal exponent within ±22 (after moving the point)
     * it computes the value without allocating: both the digits and the power of ten are exact
     * doubles, so one multiplication or division rounds correctly (Clinger's fast path). Other inputs
     * are checked here, then handed to {@code Double.parseDouble} as a new {@code String}: that
     * allocates.
     */
    public static double parseDouble(byte[] b, int from, int to) {
        boolean negative = from < to && b[from] == '-';
        int start = negative ? from + 1 : from;
        int point = -1;         // index of the '.', if any
        long mantissa = 0;
        int exponent = 0;       // decimal exponent to apply to mantissa
        boolean exact = true;   // false once a significant digit did not fit in mantissa
        int i = start;
        for (; i < to; i++) {
            if (b[i] == '.' && point < 0) {
                point = i;
                continue;
            }
            if (!Ascii.isDigit(b[i])) break;
            if (mantissa < MANTISSA_LIMIT) {
                mantissa = mantissa * 10 + (b[i] - '0');
                if (point >= 0) exponent--;
            } else {
                exact = false;
            }
        }
        if (i == start || point == start || point == i - 1) return MALFORMED_DOUBLE;   // digits on both sides of '.'
        if (i < to && (b[i] == 'e' || b[i] == 'E')) {
            int explicit = parseExponent(b, i + 1, to);
            if (explicit == Integer.MIN_VALUE) return MALFORMED_DOUBLE;
            exponent += explicit;
        } else if (i != to) {
            return MALFORMED_DOUBLE;
        }
        double value = exact ? fastPath(mantissa, exponent) : Double.NaN;
        if (Double.isNaN(value)) value = Math.abs(slowPath(b, from, to));
        return Double.isInfinite(value) ? MALFORMED_DOUBLE : negative ? -value : value;
    }

    // [+-]?digits; Integer.MIN_VALUE when malformed. Saturates at ±MAX_EXPONENT, which is already
    // past every finite double and every non-zero one.
    private static int parseExponent(byte[] b, int from, int to) {
        boolean negative = from < to && b[from] == '-';
        int i = from < to && (b[from] == '-' || b[from] == '+') ? from + 1 : from;
        if (i >= to) return Integer.MIN_VALUE;
        int value = 0;
        for (; i < to; i++) {
            if (!Ascii.isDigit(b[i])) return Integer.MIN_VALUE;
            value = Math.min(value * 10 + (b[i] - '0'), MAX_EXPONENT);
        }
        return negative ? -value : value;
    }

    // Clinger's fast path: exact when mantissa <= 2^53 and |exponent| <= 22; NaN when it does not apply.
    private static double fastPath(long mantissa, int exponent) {
        if (mantissa == 0) return 0.0;
        if (mantissa > MAX_EXACT_MANTISSA || exponent < -22 || exponent > 22) return Double.NaN;
        return exponent < 0 ? mantissa / EXACT_POWERS_OF_TEN[-exponent] : mantissa * EXACT_POWERS_OF_TEN[exponent];
    }

    private static double slowPath(byte[] b, int from, int to) {
        return Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
    }
}
