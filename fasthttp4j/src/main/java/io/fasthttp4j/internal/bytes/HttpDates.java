package io.fasthttp4j.internal.bytes;

import io.fasthttp4j.pool.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * HTTP-dates (RFC 9110 §5.6.7) to and from epoch seconds, without allocating and without java.time,
 * and the current date for the Date header, encoded once a second by a ticker and shared by all threads.
 */
public final class HttpDates {
    private HttpDates() {
    }

    /** What {@link #parse} returns for input that is not an HTTP-date. */
    public static final long MALFORMED = Long.MIN_VALUE;

    /** Length of an IMF-fixdate: {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    public static final int IMF_FIXDATE_LENGTH = 29;

    private static final int ASCTIME_LENGTH = 24;            // Sun Nov  6 08:49:37 1994
    private static final int RFC850_LENGTH_AFTER_NAME = 24;  // , 06-Nov-94 08:49:37 GMT
    private static final int NETSCAPE_SHORT_LENGTH = 27;     // Sun, 06-Nov-94 08:49:37 GMT
    private static final long SECONDS_PER_DAY = 86_400;
    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years an IMF-fixdate's 4DIGIT can hold. */
    private static final long MIN_FORMATTABLE = -62_167_219_200L;
    private static final long MAX_FORMATTABLE = 253_402_300_799L;

    private static final byte[] DAY_NAMES = ascii("SunMonTueWedThuFriSat");
    private static final byte[][] LONG_DAY_NAMES = {
        ascii("Sunday"), ascii("Monday"), ascii("Tuesday"), ascii("Wednesday"),
        ascii("Thursday"), ascii("Friday"), ascii("Saturday")};
    private static final byte[] MONTH_NAMES = ascii("JanFebMarAprMayJunJulAugSepOctNovDec");
    private static final byte[] GMT = ascii(" GMT");

    /** The current time in whole seconds since the epoch, from the system clock. */
    public static long currentSecond() {
        return Math.floorDiv(System.currentTimeMillis(), 1000);
    }

    /**
     * Appends the current date as an IMF-fixdate, for the Date header: the value a ticker thread
     * publishes at each second boundary (see {@link #currentDate}). Thread-safe, allocation-free, and
     * no clock read: a clock read costs 35 ns on a virtual machine, a tenth of a pipelined request.
     */
    public static void appendCurrentDate(ByteBuf out) {
        out.append(currentDate(), 0, IMF_FIXDATE_LENGTH);
    }

    /**
     * The current date as an IMF-fixdate's 29 bytes. A new array each second, never modified once
     * published, so a caller may keep it and tell by identity whether the second has changed. It lags
     * the clock by the ticker's wake-up delay: microseconds normally, more on a starved machine
     * (as fasthttp's date, which is also updated by a background ticker).
     */
    public static byte[] currentDate() {
        return current;
    }

    // The shared Date value: an immutable array, replaced each second by the ticker (48 bytes a second).
    private static volatile byte[] current = encode(currentSecond());

    private static byte[] encode(long second) {
        byte[] date = new byte[IMF_FIXDATE_LENGTH];
        formatImfFixdate(second, date, 0);
        return date;
    }

    static {
        Thread.ofPlatform().name("fasthttp4j-date").daemon().start(HttpDates::tick);
    }

    private static void tick() {
        long published = currentSecond();
        while (true) {
            try {
                long millis = System.currentTimeMillis();
                long second = Math.floorDiv(millis, 1000);
                if (second != published) {   // also when the clock stepped back
                    current = encode(second);
                    published = second;
                }
                Thread.sleep(1000 - Math.floorMod(millis, 1000) + 1);   // just past the next boundary
            } catch (InterruptedException e) {
                // nobody interrupts this daemon on purpose: keep ticking
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError) throw e;
                // encoding cannot fail for a clock within years 0000-9999; keep the last value and go on
            }
        }
    }

    /** True when {@code epochSeconds} falls in years 0000 to 9999, the years {@link #formatImfFixdate} can write. */
    public static boolean isFormattable(long epochSeconds) {
        return epochSeconds >= MIN_FORMATTABLE && epochSeconds <= MAX_FORMATTABLE;
    }

    /**
     * Writes {@code epochSeconds} as an IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}) into
     * {@code dst} at {@code at} and returns {@code at + 29}. Years 0000 to 9999 only: others throw
     * {@link IllegalArgumentException}.
     */
    public static int formatImfFixdate(long epochSeconds, byte[] dst, int at) {
        if (!isFormattable(epochSeconds)) {
            throw new IllegalArgumentException("epoch second " + epochSeconds + " is outside years 0000-9999");
        }
        Objects.checkFromIndexSize(at, IMF_FIXDATE_LENGTH, dst.length);
        long days = Math.floorDiv(epochSeconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(epochSeconds, SECONDS_PER_DAY);
        long civil = civilFromDays(days);
        System.arraycopy(DAY_NAMES, 3 * Math.floorMod(days + 4, 7), dst, at, 3);   // 1970-01-01 was a Thursday
        dst[at + 3] = ',';
        dst[at + 4] = ' ';
        writeDigits(dst, at + 5, 2, civilDay(civil));
        dst[at + 7] = ' ';
        System.arraycopy(MONTH_NAMES, 3 * (civilMonth(civil) - 1), dst, at + 8, 3);
        dst[at + 11] = ' ';
        writeDigits(dst, at + 12, 4, civilYear(civil));
        dst[at + 16] = ' ';
        writeDigits(dst, at + 17, 2, secondOfDay / 3600);
        dst[at + 19] = ':';
        writeDigits(dst, at + 20, 2, secondOfDay / 60 % 60);
        dst[at + 22] = ':';
        writeDigits(dst, at + 23, 2, secondOfDay % 60);
        System.arraycopy(GMT, 0, dst, at + 25, GMT.length);
        return at + IMF_FIXDATE_LENGTH;
    }

    /**
     * Returns the epoch seconds of the HTTP-date in {@code buf[from..to)}, or {@link #MALFORMED}.
     * Accepts the three forms RFC 9110 §5.6.7 requires recipients to accept, exactly and
     * case-sensitively: IMF-fixdate, rfc850-date and asctime-date. The day name must be a valid name
     * but is not checked against the date, as Go's parser and browsers do not check it either
     * (RFC 9110 asks recipients to be robust). A two-digit rfc850 year is placed in the century that
     * keeps it at most 50 years ahead of the current year.
     */
    public static long parse(byte[] buf, int from, int to) {
        return parse(buf, from, to, currentYear());
    }

    private static int currentYear() {
        return civilYear(civilFromDays(Math.floorDiv(currentSecond(), SECONDS_PER_DAY)));
    }

    /** {@link #parse(byte[], int, int)} as if the current year were {@code currentYear}; for tests. */
    public static long parse(byte[] buf, int from, int to, int currentYear) {
        Objects.checkFromToIndex(from, to, buf.length);
        return switch (to - from) {
            case IMF_FIXDATE_LENGTH -> parseImfFixdate(buf, from, (byte) ' ');
            case ASCTIME_LENGTH -> parseAsctime(buf, from);
            default -> parseRfc850(buf, from, to, currentYear);
        };
    }

    /**
     * Returns the epoch seconds of a cookie's Expires date in {@code buf[from..to)}, or {@link #MALFORMED}.
     * Accepts what {@link #parse} accepts and the two Netscape cookie forms many sites still send:
     * {@code Sun, 06-Nov-1994 08:49:37 GMT} (which Go's net/http and fasthttp accept too) and
     * {@code Sun, 06-Nov-94 08:49:37 GMT} (Cloudflare's, which browsers accept), its year placed as in rfc850.
     */
    public static long parseCookieExpires(byte[] buf, int from, int to) {
        long seconds = parse(buf, from, to);
        if (seconds != MALFORMED) return seconds;
        if (to - from == IMF_FIXDATE_LENGTH) return parseImfFixdate(buf, from, (byte) '-');
        if (to - from == NETSCAPE_SHORT_LENGTH) return parseNetscapeShort(buf, from, currentYear());
        return MALFORMED;
    }

    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"; with '-' as separator, the Netscape cookie form.
    private static long parseImfFixdate(byte[] b, int p, byte separator) {
        if (dayName(b, p) < 0 || b[p + 3] != ',' || b[p + 4] != ' ' || b[p + 7] != separator
                || b[p + 11] != separator || b[p + 16] != ' ' || !isGmt(b, p + 25)) {
            return MALFORMED;
        }
        return epochSeconds(digits(b, p + 12, 4), month(b, p + 8), digits(b, p + 5, 2), secondOfDay(b, p + 17));
    }

    // rfc850-date: "Sunday, 06-Nov-94 08:49:37 GMT".
    private static long parseRfc850(byte[] b, int from, int to, int currentYear) {
        int p = from + longDayNameLength(b, from, to);
        if (p == from || to - p != RFC850_LENGTH_AFTER_NAME || b[p] != ',' || b[p + 1] != ' '
                || b[p + 4] != '-' || b[p + 8] != '-' || b[p + 11] != ' ' || !isGmt(b, p + 20)) {
            return MALFORMED;
        }
        int twoDigitYear = digits(b, p + 9, 2);
        int year = twoDigitYear < 0 ? -1 : nearestYear(twoDigitYear, currentYear);
        return epochSeconds(year, month(b, p + 5), digits(b, p + 2, 2), secondOfDay(b, p + 12));
    }

    // Netscape cookie form with a two-digit year: "Sun, 06-Nov-94 08:49:37 GMT".
    private static long parseNetscapeShort(byte[] b, int p, int currentYear) {
        if (dayName(b, p) < 0 || b[p + 3] != ',' || b[p + 4] != ' ' || b[p + 7] != '-' || b[p + 11] != '-'
                || b[p + 14] != ' ' || !isGmt(b, p + 23)) {
            return MALFORMED;
        }
        int twoDigitYear = digits(b, p + 12, 2);
        int year = twoDigitYear < 0 ? -1 : nearestYear(twoDigitYear, currentYear);
        return epochSeconds(year, month(b, p + 8), digits(b, p + 5, 2), secondOfDay(b, p + 15));
    }

    // RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is the most recent past one.
    private static int nearestYear(int twoDigitYear, int currentYear) {
        int latest = currentYear + 50;
        return latest - Math.floorMod(latest - twoDigitYear, 100);
    }

    // asctime-date: "Sun Nov  6 08:49:37 1994"; the day is 2DIGIT or SP DIGIT.
    private static long parseAsctime(byte[] b, int p) {
        if (dayName(b, p) < 0 || b[p + 3] != ' ' || b[p + 7] != ' ' || b[p + 10] != ' ' || b[p + 19] != ' ') {
            return MALFORMED;
        }
        int day = b[p + 8] == ' ' ? digits(b, p + 9, 1) : digits(b, p + 8, 2);
        return epochSeconds(digits(b, p + 20, 4), month(b, p + 4), day, secondOfDay(b, p + 11));
    }

    private static long epochSeconds(int year, int month, int day, int secondOfDay) {
        if (year < 0 || month < 1 || secondOfDay < 0 || day < 1 || day > daysInMonth(year, month)) return MALFORMED;
        return daysFromCivil(year, month, day) * SECONDS_PER_DAY + secondOfDay;
    }

    /** "08:49:37" at {@code p} as seconds of the day, or -1; hour 24 and second 60 are refused. */
    private static int secondOfDay(byte[] b, int p) {
        if (b[p + 2] != ':' || b[p + 5] != ':') return -1;
        int hour = digits(b, p, 2);
        int minute = digits(b, p + 3, 2);
        int second = digits(b, p + 6, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return -1;
        return hour * 3600 + minute * 60 + second;
    }

    /** The {@code count} decimal digits at {@code p} as a number, or -1 if any is not a digit. */
    private static int digits(byte[] b, int p, int count) {
        int value = 0;
        for (int i = p; i < p + count; i++) {
            if (!Ascii.isDigit(b[i])) return -1;
            value = value * 10 + (b[i] - '0');
        }
        return value;
    }

    /** 1 for "Jan" at {@code p} through 12 for "Dec", or -1. */
    private static int month(byte[] b, int p) {
        for (int m = 0; m < 12; m++) {
            if (equals3(b, p, MONTH_NAMES, 3 * m)) return m + 1;
        }
        return -1;
    }

    /** 0 for "Sun" at {@code p} through 6 for "Sat", or -1. */
    private static int dayName(byte[] b, int p) {
        for (int d = 0; d < 7; d++) {
            if (equals3(b, p, DAY_NAMES, 3 * d)) return d;
        }
        return -1;
    }

    /** Length of the long day name ("Sunday") that {@code b[from..to)} starts with, or 0. */
    private static int longDayNameLength(byte[] b, int from, int to) {
        for (byte[] name : LONG_DAY_NAMES) {
            if (to - from >= name.length && java.util.Arrays.equals(b, from, from + name.length, name, 0, name.length)) {
                return name.length;
            }
        }
        return 0;
    }

    private static boolean equals3(byte[] b, int p, byte[] table, int t) {
        return b[p] == table[t] && b[p + 1] == table[t + 1] && b[p + 2] == table[t + 2];
    }

    private static boolean isGmt(byte[] b, int p) {
        return equals3(b, p + 1, GMT, 1) && b[p] == ' ';
    }

    private static int daysInMonth(int year, int month) {
        if (month == 2) return isLeapYear(year) ? 29 : 28;
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    private static boolean isLeapYear(int year) {
        return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    // Days since 1970-01-01 in the proleptic Gregorian calendar; H. Hinnant's days_from_civil,
    // which counts from March so that the leap day is the last day of the (shifted) year.
    private static long daysFromCivil(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    // The inverse (Hinnant's civil_from_days), packed as year * 10000 + month * 100 + day so that
    // nothing is allocated for the three results.
    private static long civilFromDays(long days) {
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
        long month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        return year * 10_000 + month * 100 + day;
    }

    private static int civilYear(long civil) {
        return (int) Math.floorDiv(civil, 10_000);
    }

    private static int civilMonth(long civil) {
        return Math.floorMod(civil, 10_000) / 100;
    }

    private static int civilDay(long civil) {
        return Math.floorMod(civil, 10_000) % 100;
    }

    private static void writeDigits(byte[] dst, int at, int count, int value) {
        for (int i = at + count - 1; i >= at; i--) {
            dst[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
