package io.fasthttp4j.server.soak;

import java.util.HashMap;
import java.util.Map;

/**
 * What {@link SoakServer} answers to {@code stats}, and its one-line form:
 * {@code stats heap=N fds=N conns=N ctxs=N deaths=N oom=N loggedErrors=N died=TEXT}, where TEXT
 * (the first threads that died, may be empty) runs to the end of the line.
 *
 * @param heapBytes used heap after full collections, until it stopped falling
 * @param fds open file descriptors of the server's process
 * @param openConnections {@code Server.openConnections()}
 * @param contextsInUse {@code Server.contextsInUse()}: pooled contexts acquired and not released
 * @param deaths threads ended by an uncaught throwable
 * @param outOfMemoryErrors OutOfMemoryErrors the JVM threw (caught or not), from HotSpot's own count
 * @param loggedErrors records the server logged at ERROR
 * @param died the first few deaths, "thread: throwable", joined by " | "
 */
public record SoakStats(long heapBytes, long fds, long openConnections, long contextsInUse, long deaths,
        long outOfMemoryErrors, long loggedErrors, String died) {

    private static final String PREFIX = "stats ";
    private static final String DIED = " died=";

    public String line() {
        return PREFIX + "heap=" + heapBytes + " fds=" + fds + " conns=" + openConnections + " ctxs=" + contextsInUse
                + " deaths=" + deaths + " oom=" + outOfMemoryErrors + " loggedErrors=" + loggedErrors + DIED + died;
    }

    /** Reads {@link #line()}'s form; fails with the line in the message if it is anything else. */
    public static SoakStats parse(String line) {
        int died = line.indexOf(DIED);
        if (!line.startsWith(PREFIX) || died < 0) throw new IllegalArgumentException("not a stats line: " + line);
        Map<String, Long> values = new HashMap<>();
        for (String field : line.substring(PREFIX.length(), died).split(" ")) {
            int eq = field.indexOf('=');
            values.put(field.substring(0, eq), Long.parseLong(field.substring(eq + 1)));
        }
        try {
            return new SoakStats(values.get("heap"), values.get("fds"), values.get("conns"), values.get("ctxs"),
                    values.get("deaths"), values.get("oom"), values.get("loggedErrors"), line.substring(died + DIED.length()));
        } catch (NullPointerException e) {
            throw new IllegalArgumentException("a field is missing: " + line, e);
        }
    }

    /** Heap in MiB with one decimal, for summaries. */
    public static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
