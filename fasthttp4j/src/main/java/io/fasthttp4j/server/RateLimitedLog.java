package io.fasthttp4j.server;

import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs an error at most once per interval for each kind of failure, with the number of the same kind
 * left out since: a server under hostile load or out of memory can fail thousands of times a second,
 * and logging each would cost more than the failures. Never throws, even out of memory. Thread-safe.
 */
final class RateLimitedLog {
    private final System.Logger log;
    private final long intervalNanos;
    private final ConcurrentHashMap<String, Kind> kinds = new ConcurrentHashMap<>();   // keys: the call sites' constants

    RateLimitedLog(System.Logger log, long intervalNanos) {
        this.log = log;
        this.intervalNanos = intervalNanos;
    }

    /** Logs {@code message} and {@code error} unless a failure of {@code kind} was logged within the interval. */
    void log(Level level, String kind, String message, Throwable error) {
        log(level, kind, message, "", error);
    }

    /**
     * Logs {@code message + subject} (joined only if it is logged: building it may fail out of memory)
     * and {@code error}, unless a failure of {@code kind} was logged within the interval.
     */
    void log(Level level, String kind, String message, Object subject, Throwable error) {
        try {
            Kind k = kinds.computeIfAbsent(kind, key -> new Kind());
            long now = System.nanoTime();
            long last = k.lastNanos.get();
            if (last != 0 && now - last < intervalNanos || !k.lastNanos.compareAndSet(last, now)) {
                k.suppressed.incrementAndGet();
                return;
            }
            long suppressed = k.suppressed.getAndSet(0);
            String text = message + subject;
            log.log(level, suppressed == 0 ? text : text + " (" + suppressed + " more like it since the last report)", error);
        } catch (Throwable ignored) {
            // out of memory while logging: the failure is counted by whoever called, not lost silently twice
        }
    }

    private static final class Kind {
        final AtomicLong lastNanos = new AtomicLong();
        final AtomicLong suppressed = new AtomicLong();
    }
}
