package io.fasthttp4j.bench.common;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The Date header's value (IMF-fixdate, RFC 9110 §5.6.7) for the current second, encoded once a
 * second by a ticker thread and shared, for contenders whose framework does not write one: no clock
 * read per response (one costs ~35 ns on these machines, a few % of a pipelined request), as
 * fasthttp4j's own date and Vert.x's timer. Thread-safe.
 */
public final class HttpDate {
    private HttpDate() {
    }

    // Not RFC_1123_DATE_TIME: that one writes a one-digit day ("Sun, 6 Nov 1994"); IMF-fixdate has two.
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private record Cached(long second, String text, byte[] bytes) {
    }

    private static volatile Cached cached = encode(System.currentTimeMillis() / 1000);

    static {
        Thread.ofPlatform().daemon().name("bench-date").start(() -> {
            while (true) {
                try {
                    Thread.sleep(1000 - System.currentTimeMillis() % 1000);   // to the next second boundary
                } catch (InterruptedException e) {
                    return;
                }
                long second = System.currentTimeMillis() / 1000;
                if (cached.second != second) cached = encode(second);
            }
        });
    }

    /** The current second's date as a string, e.g. "Sun, 06 Nov 1994 08:49:37 GMT". */
    public static String current() {
        return cached.text;
    }

    /** The current second's date as ASCII bytes; shared, do not modify. */
    public static byte[] currentBytes() {
        return cached.bytes;
    }

    private static Cached encode(long second) {
        String text = IMF_FIXDATE.format(Instant.ofEpochSecond(second));
        return new Cached(second, text, text.getBytes(StandardCharsets.US_ASCII));
    }
}
