package io.fasthttp4j.internal.bytes;

/** Byte classes of RFC 9110/9112 as lookup tables, and ASCII case folding. */
public final class Ascii {
    private Ascii() {
    }

    /** Eight bytes of a byte[] at any index as one little-endian long: for comparing short runs of bytes. */
    public static final java.lang.invoke.VarHandle LONG_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * True when {@code a[aFrom..aFrom+length)} and {@code b[bFrom..bFrom+length)} hold the same bytes.
     * Eight at a time: for the few dozen bytes of a header value this is cheaper than
     * {@code Arrays.equals} on ranges, whose checks and call cost more than the comparison.
     */
    public static boolean equalBytes(byte[] a, int aFrom, byte[] b, int bFrom, int length) {
        if (length < 8) {
            for (int i = 0; i < length; i++) if (a[aFrom + i] != b[bFrom + i]) return false;
            return true;
        }
        int last = length - 8;   // the last eight bytes, which may overlap the ones before
        for (int i = 0; i < last; i += 8) {
            if ((long) LONG_LE.get(a, aFrom + i) != (long) LONG_LE.get(b, bFrom + i)) return false;
        }
        return (long) LONG_LE.get(a, aFrom + last) == (long) LONG_LE.get(b, bFrom + last);
    }

    public static final byte CR = '\r';
    public static final byte LF = '\n';
    public static final byte SP = ' ';
    public static final byte HTAB = '\t';

    private static final boolean[] TOKEN = new boolean[256];
    private static final boolean[] FIELD_VALUE = new boolean[256];
    private static final boolean[] TARGET = new boolean[256];
    private static final byte[] HEX_VALUE = new byte[256];

    static {
        // RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
        //   "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
        for (int c = '0'; c <= '9'; c++) TOKEN[c] = true;
        for (int c = 'a'; c <= 'z'; c++) TOKEN[c] = true;
        for (int c = 'A'; c <= 'Z'; c++) TOKEN[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TOKEN[c] = true;
        // RFC 9110 §5.5: field-value octets are VCHAR, obs-text, SP and HTAB (no CTLs, no DEL).
        for (int c = 0x21; c <= 0x7e; c++) FIELD_VALUE[c] = true;
        for (int c = 0x80; c <= 0xff; c++) FIELD_VALUE[c] = true;
        FIELD_VALUE[SP] = true;
        FIELD_VALUE[HTAB] = true;
        // RFC 9112 §3.2: a request-target is visible ASCII; anything else must be percent-encoded.
        for (int c = 0x21; c <= 0x7e; c++) TARGET[c] = true;
        java.util.Arrays.fill(HEX_VALUE, (byte) -1);
        for (int c = '0'; c <= '9'; c++) HEX_VALUE[c] = (byte) (c - '0');
        for (int c = 'a'; c <= 'f'; c++) HEX_VALUE[c] = (byte) (c - 'a' + 10);
        for (int c = 'A'; c <= 'F'; c++) HEX_VALUE[c] = (byte) (c - 'A' + 10);
    }

    /** True for a tchar: the bytes of methods, header names and transfer codings. */
    public static boolean isTokenChar(byte b) {
        return TOKEN[b & 0xff];
    }

    /** True for a byte allowed inside a field value (SP and HTAB included, CR, LF, NUL and DEL not). */
    public static boolean isFieldValueChar(byte b) {
        return FIELD_VALUE[b & 0xff];
    }

    /**
     * Index of the first byte at or after {@code from} in {@code buf[from..to)} that is not a field-value
     * byte ({@link #isFieldValueChar}), or {@code to}. Eight bytes at a time: a word without a control
     * byte or DEL is passed whole; in one with such a byte, the first is found from the word's bits (an
     * HTAB, the one control byte a value may hold, is passed and the scan goes on). The last few bytes,
     * fewer than eight, byte by byte.
     */
    public static int skipFieldValue(byte[] buf, int from, int to) {
        int i = from;
        while (i + 8 <= to) {
            long w = (long) LONG_LE.get(buf, i);
            long del = w ^ 0x7f7f7f7f7f7f7f7fL;
            // A byte's high bit is set here when the byte is below 0x20 or is 0x7f; bytes of 0x80 and
            // up never are. Bits above the lowest set one may be false (a borrow), the lowest is exact.
            long found = (((w - 0x2020202020202020L) & ~w) | ((del - 0x0101010101010101L) & ~del)) & 0x8080808080808080L;
            if (found == 0) {
                i += 8;
                continue;
            }
            i += Long.numberOfTrailingZeros(found) >>> 3;
            if (buf[i] != HTAB) return i;
            i++;
        }
        while (i < to && FIELD_VALUE[buf[i] & 0xff]) i++;
        return i;
    }

    /** True for a byte allowed in a request-target (visible ASCII). */
    public static boolean isTargetChar(byte b) {
        return TARGET[b & 0xff];
    }

    public static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** The value of a hex digit, or -1. */
    public static int hexValue(byte b) {
        return HEX_VALUE[b & 0xff];
    }

    /** ASCII lower case of {@code b}; other bytes unchanged. */
    public static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    /** True when {@code buf[from..to)} equals {@code lowerCaseName} ignoring ASCII case. */
    public static boolean equalsIgnoreCase(byte[] buf, int from, int to, byte[] lowerCaseName) {
        if (to - from != lowerCaseName.length) return false;
        for (int i = 0; i < lowerCaseName.length; i++) {
            if (lower(buf[from + i]) != lowerCaseName[i]) return false;
        }
        return true;
    }

    /**
     * True when {@code buf[from..from+lowerName.length)}, which holds token characters (a parsed or
     * checked field name), equals {@code lowerName} ignoring case. {@code lowerName} must hold only
     * lower-case letters, digits and '-': then OR-ing 0x20 into a token byte lower-cases a letter and
     * leaves the others as they are (no token byte maps onto a digit or '-' but itself), so one OR and
     * one compare suffice, done on eight (or four) bytes at once. The caller has checked the length.
     */
    public static boolean equalsTokenIgnoreCase(byte[] buf, int from, byte[] lowerName) {
        int n = lowerName.length;
        if (n >= 8) {   // a word at a time, the last one overlapping the one before
            for (int i = 0; i < n - 8; i += 8) {
                if (((long) LONG_LE.get(buf, from + i) | LOWER_WORD) != (long) LONG_LE.get(lowerName, i)) return false;
            }
            return ((long) LONG_LE.get(buf, from + n - 8) | LOWER_WORD) == (long) LONG_LE.get(lowerName, n - 8);
        }
        if (n >= 4) {
            return ((int) INT_LE.get(buf, from) | LOWER_INT) == (int) INT_LE.get(lowerName, 0)
                    && ((int) INT_LE.get(buf, from + n - 4) | LOWER_INT) == (int) INT_LE.get(lowerName, n - 4);
        }
        for (int i = 0; i < n; i++) {
            if ((buf[from + i] | 0x20) != lowerName[i]) return false;
        }
        return true;
    }

    private static final long LOWER_WORD = 0x2020202020202020L;
    private static final int LOWER_INT = 0x20202020;
    private static final java.lang.invoke.VarHandle INT_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** True when {@code buf[from..to)} equals {@code name} ignoring ASCII case, each char taken as a byte. */
    public static boolean equalsIgnoreCase(byte[] buf, int from, int to, CharSequence name) {
        if (to - from != name.length()) return false;
        for (int i = 0; i < to - from; i++) {
            char c = name.charAt(i);
            if (c > 0xff || lower(buf[from + i]) != lower((byte) c)) return false;
        }
        return true;
    }

    /** Index of the first non-OWS (SP/HTAB) byte in {@code buf[from..to)}, or {@code to}. */
    public static int skipOws(byte[] buf, int from, int to) {
        while (from < to && (buf[from] == SP || buf[from] == HTAB)) from++;
        return from;
    }

    /** Index after the last non-OWS byte in {@code buf[from..to)}, or {@code from}. */
    public static int trimOwsEnd(byte[] buf, int from, int to) {
        while (to > from && (buf[to - 1] == SP || buf[to - 1] == HTAB)) to--;
        return to;
    }
}
