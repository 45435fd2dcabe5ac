package io.fasthttp4j.internal.bytes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fasthttp4j.pool.ByteBuf;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HttpDatesTest {
    // java.time's RFC_1123_DATE_TIME writes the day without a leading zero, so formatting uses a pattern.
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC850 =
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss uuuu", Locale.US).withZone(ZoneOffset.UTC);
    private static final long YEAR_1970 = 0;
    private static final long YEAR_2101 = 4_133_980_800L;
    private static final int SAMPLES = 20_000;
    private static final int CURRENT_YEAR = 2025;

    private static String format(long epochSeconds) {
        byte[] dst = new byte[HttpDates.IMF_FIXDATE_LENGTH + 2];
        assertEquals(1 + HttpDates.IMF_FIXDATE_LENGTH, HttpDates.formatImfFixdate(epochSeconds, dst, 1));
        return new String(dst, 1, HttpDates.IMF_FIXDATE_LENGTH, StandardCharsets.US_ASCII);
    }

    private static long parse(String date) {
        byte[] bytes = ("<<" + date + ">>").getBytes(StandardCharsets.ISO_8859_1);
        return HttpDates.parse(bytes, 2, bytes.length - 2, CURRENT_YEAR);
    }

    private static long epoch(String isoInstant) {
        return Instant.parse(isoInstant).getEpochSecond();
    }

    @Test
    void formatsLikeJavaTimeFrom1970To2100() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < SAMPLES; i++) {
            long seconds = random.nextLong(YEAR_1970, YEAR_2101);
            assertEquals(IMF_FIXDATE.format(Instant.ofEpochSecond(seconds)), format(seconds), "epoch second " + seconds);
        }
    }

    static Stream<Arguments> edgeInstants() {
        return Stream.of(
                arguments("the epoch", "1970-01-01T00:00:00Z"),
                arguments("RFC 9110's example", "1994-11-06T08:49:37Z"),
                arguments("leap day of a year divisible by 400", "2000-02-29T23:59:59Z"),
                arguments("day after 28 February of a century year", "1900-03-01T00:00:00Z"),
                arguments("day after 28 February 2100", "2100-03-01T00:00:00Z"),
                arguments("before the epoch", "1969-12-31T23:59:59Z"),
                arguments("first formattable second", "0000-01-01T00:00:00Z"),
                arguments("last formattable second", "9999-12-31T23:59:59Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edgeInstants")
    void formatsAndParsesEdgeInstantsLikeJavaTime(String name, String iso) {
        long seconds = epoch(iso);
        String expected = IMF_FIXDATE.format(Instant.ofEpochSecond(seconds));
        assertEquals(expected, format(seconds));
        assertEquals(seconds, parse(expected));
    }

    @Test
    void refusesToFormatYearsBeyondFourDigits() {
        byte[] dst = new byte[HttpDates.IMF_FIXDATE_LENGTH];
        assertThrows(IllegalArgumentException.class, () -> HttpDates.formatImfFixdate(epoch("9999-12-31T23:59:59Z") + 1, dst, 0));
        assertThrows(IllegalArgumentException.class, () -> HttpDates.formatImfFixdate(epoch("0000-01-01T00:00:00Z") - 1, dst, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> HttpDates.formatImfFixdate(0, dst, 1));
    }

    @Test
    void parsesImfFixdateLikeJavaTime() {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < SAMPLES; i++) {
            String date = IMF_FIXDATE.format(Instant.ofEpochSecond(random.nextLong(YEAR_1970, YEAR_2101)));
            long expected = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
            assertEquals(expected, parse(date), date);
        }
    }

    @Test
    void parsesRfc850LikeJavaTimeWithinFiftyYearsOfNow() {
        long from = epoch((CURRENT_YEAR - 49) + "-01-01T00:00:00Z");
        long to = epoch((CURRENT_YEAR + 51) + "-01-01T00:00:00Z");
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < SAMPLES; i++) {
            long seconds = random.nextLong(from, to);
            String date = RFC850.format(Instant.ofEpochSecond(seconds));
            assertEquals(seconds, parse(date), date);
        }
    }

    @Test
    void parsesAsctimeLikeJavaTime() {
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < SAMPLES; i++) {
            long seconds = random.nextLong(YEAR_1970, YEAR_2101);
            String date = ASCTIME.format(Instant.ofEpochSecond(seconds));
            assertEquals(seconds, parse(date), date);
        }
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                arguments("IMF-fixdate", "Sun, 06 Nov 1994 08:49:37 GMT", "1994-11-06T08:49:37Z"),
                arguments("rfc850-date", "Sunday, 06-Nov-94 08:49:37 GMT", "1994-11-06T08:49:37Z"),
                arguments("asctime-date with a one-digit day", "Sun Nov  6 08:49:37 1994", "1994-11-06T08:49:37Z"),
                arguments("asctime-date with a two-digit day", "Sun Nov 06 08:49:37 1994", "1994-11-06T08:49:37Z"),
                arguments("rfc850 year 75 is 2075: 50 years ahead", "Monday, 01-Jan-75 00:00:00 GMT", "2075-01-01T00:00:00Z"),
                arguments("rfc850 year 76 is 1976: 51 years ahead", "Monday, 01-Jan-76 00:00:00 GMT", "1976-01-01T00:00:00Z"),
                arguments("rfc850 year 00 is 2000", "Monday, 01-Jan-00 00:00:00 GMT", "2000-01-01T00:00:00Z"),
                arguments("leap day of 2000 (divisible by 400)", "Tue, 29 Feb 2000 12:00:00 GMT", "2000-02-29T12:00:00Z"),
                arguments("leap day of 2024", "Thu, 29 Feb 2024 12:00:00 GMT", "2024-02-29T12:00:00Z"),
                arguments("last second of a day", "Wed, 31 Dec 2025 23:59:59 GMT", "2025-12-31T23:59:59Z"),
                arguments("day name that does not match the date", "Mon, 06 Nov 1994 08:49:37 GMT", "1994-11-06T08:49:37Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesValidDate(String name, String date, String iso) {
        assertEquals(epoch(iso), parse(date));
    }

    @Test
    void placesTwoDigitYearsRelativeToTheCurrentYear() {
        byte[] date = "Thursday, 01-Jan-05 00:00:00 GMT".getBytes(StandardCharsets.US_ASCII);
        assertEquals(epoch("2105-01-01T00:00:00Z"), HttpDates.parse(date, 0, date.length, 2090));
        assertEquals(epoch("2005-01-01T00:00:00Z"), HttpDates.parse(date, 0, date.length, 2054));
        assertEquals(epoch("1905-01-01T00:00:00Z"), HttpDates.parse(date, 0, date.length, 1954));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                arguments("empty", ""),
                arguments("bad day name", "Sux, 06 Nov 1994 08:49:37 GMT"),
                arguments("lower-case day name", "sun, 06 Nov 1994 08:49:37 GMT"),
                arguments("bad month", "Sun, 06 Nox 1994 08:49:37 GMT"),
                arguments("upper-case month", "Sun, 06 NOV 1994 08:49:37 GMT"),
                arguments("day 0", "Sun, 00 Nov 1994 08:49:37 GMT"),
                arguments("31 November", "Sun, 31 Nov 1994 08:49:37 GMT"),
                arguments("29 February 1900 (century, not divisible by 400)", "Thu, 29 Feb 1900 00:00:00 GMT"),
                arguments("29 February 2100", "Mon, 29 Feb 2100 00:00:00 GMT"),
                arguments("29 February 2001", "Thu, 29 Feb 2001 00:00:00 GMT"),
                arguments("hour 24", "Sun, 06 Nov 1994 24:00:00 GMT"),
                arguments("minute 60", "Sun, 06 Nov 1994 08:60:37 GMT"),
                arguments("leap second 60", "Sun, 06 Nov 1994 08:49:60 GMT"),
                arguments("missing GMT", "Sun, 06 Nov 1994 08:49:37"),
                arguments("UTC instead of GMT", "Sun, 06 Nov 1994 08:49:37 UTC"),
                arguments("lower-case gmt", "Sun, 06 Nov 1994 08:49:37 gmt"),
                arguments("extra byte at the end", "Sun, 06 Nov 1994 08:49:37 GMTX"),
                arguments("trailing space", "Sun, 06 Nov 1994 08:49:37 GMT "),
                arguments("leading space", " Sun, 06 Nov 1994 08:49:37 GMT"),
                arguments("one-digit day in IMF-fixdate", "Sun, 6 Nov 1994 08:49:37 GMT"),
                arguments("sign in a number", "Sun, 06 Nov +994 08:49:37 GMT"),
                arguments("missing comma", "Sun 06 Nov 1994 08:49:37 GMT "),
                arguments("dashes with a four-digit year (Netscape cookie form)", "Sun, 06-Nov-1994 08:49:37 GMT"),
                arguments("rfc850 with a short day name", "Sun, 06-Nov-94 08:49:37 GMT"),
                arguments("rfc850 with a bad long day name", "Sundax, 06-Nov-94 08:49:37 GMT"),
                arguments("rfc850 with a four-digit year", "Sunday, 06-Nov-1994 08:49:37 GMT"),
                arguments("rfc850 without GMT", "Sunday, 06-Nov-94 08:49:37 UTC"),
                arguments("asctime with the day's digit first", "Sun Nov 6  08:49:37 1994"),
                arguments("asctime with a bad day name", "Sux Nov  6 08:49:37 1994"),
                arguments("asctime hour 24", "Sun Nov  6 24:49:37 1994"),
                arguments("ISO 8601", "1994-11-06T08:49:37Z"),
                arguments("non-ASCII byte", "Sun, 06 Nov 1994 08:49:37 GM\u00ff"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedDate(String name, String date) {
        assertEquals(HttpDates.MALFORMED, parse(date));
    }

    @Test
    void parsesTheNetscapeCookieFormsOnlyAsCookieExpires() {
        byte[] date = "Sun, 06-Nov-1994 08:49:37 GMT".getBytes(StandardCharsets.US_ASCII);
        assertEquals(epoch("1994-11-06T08:49:37Z"), HttpDates.parseCookieExpires(date, 0, date.length));
        byte[] imf = "Sun, 06 Nov 1994 08:49:37 GMT".getBytes(StandardCharsets.US_ASCII);
        assertEquals(epoch("1994-11-06T08:49:37Z"), HttpDates.parseCookieExpires(imf, 0, imf.length));
        byte[] cloudflare = "Tue, 21-Nov-23 12:30:00 GMT".getBytes(StandardCharsets.US_ASCII);
        assertEquals(epoch("2023-11-21T12:30:00Z"), HttpDates.parseCookieExpires(cloudflare, 0, cloudflare.length));
        assertEquals(HttpDates.MALFORMED, HttpDates.parse(cloudflare, 0, cloudflare.length));
        byte[] badShort = "Tue, 21-Nov-23 24:30:00 GMT".getBytes(StandardCharsets.US_ASCII);
        assertEquals(HttpDates.MALFORMED, HttpDates.parseCookieExpires(badShort, 0, badShort.length));
        byte[] bad = "Sun, 31-Nov-1994 08:49:37 GMT".getBytes(StandardCharsets.US_ASCII);
        assertEquals(HttpDates.MALFORMED, HttpDates.parseCookieExpires(bad, 0, bad.length));
    }

    @Test
    void appendsTheCurrentSecondAfterWhatTheBufferHolds() {
        ByteBuf out = new ByteBuf(4);
        out.append("Date: ");
        long before = HttpDates.currentSecond();
        HttpDates.appendCurrentDate(out);
        long after = HttpDates.currentSecond();
        String text = out.toString();
        assertTrue(text.startsWith("Date: "), text);
        long seconds = parse(text.substring("Date: ".length()));
        // the ticker publishes each second just after its boundary: the value may lag by that wake-up
        assertTrue(before - 1 <= seconds && seconds <= after, text + " not within [" + (before - 1) + ", " + after + "]");
    }

    @Test
    @Timeout(10)
    void theTickerPublishesEachNewSecond() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            long millis = System.currentTimeMillis();
            Thread.sleep(1000 - millis % 1000 + 200);   // 200 ms past the next boundary: the ticker has woken
            ByteBuf out = new ByteBuf(HttpDates.IMF_FIXDATE_LENGTH);
            long expected = HttpDates.currentSecond();
            HttpDates.appendCurrentDate(out);
            assertEquals(expected, HttpDates.parse(out.array(), 0, out.length()), out.toString());
        }
    }

    @Test
    @Timeout(10)
    void threadsSharingTheCurrentDateNeverSeeATornValue() throws InterruptedException {
        AtomicReference<String> failure = new AtomicReference<>();
        long deadline = System.nanoTime() + 1_200_000_000L;   // long enough to cross a second boundary
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                ByteBuf out = new ByteBuf(HttpDates.IMF_FIXDATE_LENGTH);
                while (System.nanoTime() < deadline && failure.get() == null) {
                    out.reset();
                    long before = HttpDates.currentSecond();
                    HttpDates.appendCurrentDate(out);
                    long seconds = HttpDates.parse(out.array(), 0, out.length());
                    if (seconds < before - 1 || seconds > HttpDates.currentSecond()) failure.set(out.toString());
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) thread.join();
        assertEquals(null, failure.get());
    }

    @Test
    @Timeout(20)
    void appendCurrentDateAllocatesNothingAcrossSecondBoundaries() {
        ByteBuf out = new ByteBuf(HttpDates.IMF_FIXDATE_LENGTH);
        long fewestBytes = minAllocatedBytes(() -> {
            long end = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < end) {
                out.reset();
                HttpDates.appendCurrentDate(out);
            }
        });
        assertEquals(0, fewestBytes);
    }

    @Test
    @Timeout(20)
    void formatImfFixdateAllocatesNothing() {
        byte[] dst = new byte[HttpDates.IMF_FIXDATE_LENGTH];
        long fewestBytes = minAllocatedBytes(() -> {
            for (long s = 0; s < 2_000_000; s++) HttpDates.formatImfFixdate(s * 7919, dst, 0);
        });
        assertEquals(0, fewestBytes);
    }

    @Test
    @Timeout(20)
    void parseAllocatesNothing() {
        byte[] dates = "Sun, 06 Nov 1994 08:49:37 GMTSunday, 06-Nov-94 08:49:37 GMTSun Nov  6 08:49:37 1994"
                .getBytes(StandardCharsets.US_ASCII);
        long fewestBytes = minAllocatedBytes(() -> {
            for (int i = 0; i < 500_000; i++) {
                HttpDates.parse(dates, 0, 29);
                HttpDates.parse(dates, 29, 59);
                HttpDates.parse(dates, 59, dates.length);
            }
        });
        assertEquals(0, fewestBytes);
    }

    /** Runs {@code work} up to four times and returns the fewest bytes this thread allocated in one run; the first runs warm up the JIT. */
    static long minAllocatedBytes(Runnable work) {
        long fewest = Long.MAX_VALUE;
        for (int run = 0; run < 4 && fewest > 0; run++) {
            long before = currentThreadAllocatedBytes();
            work.run();
            fewest = Math.min(fewest, currentThreadAllocatedBytes() - before);
        }
        return fewest;
    }

    // com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes(), reached reflectively: test
    // sources compile inside module io.fasthttp4j, which reads neither java.management nor
    // jdk.management. A method handle, unlike Method.invoke, returns the long without boxing it.
    private static Object threads;
    private static final MethodHandle ALLOCATED_BYTES = allocatedBytesHandle();

    private static MethodHandle allocatedBytesHandle() {
        try {
            threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
            return MethodHandles.publicLookup()
                    .findVirtual(type, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
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
