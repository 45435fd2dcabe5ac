package io.fasthttp4j.server.soak;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.server.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bounded memory under hostile load: a server in a 64 MiB heap keeps answering well-behaved clients
 * correctly while hostile ones reset, stall, pipeline without reading, send junk and oversized
 * headers and bodies; and once the load is gone, its descriptors, contexts and heap go back to where
 * they were before it. Runs for the transport {@link TestServer#eventLoop()} selects (one event loop).
 *
 * <p>The server runs in a child JVM ({@link SoakServerProcess}) so that its heap is the one limited,
 * with -XX:+UseSerialGC: its System.gc() is a full compacting collection, so the used heap after it is
 * the live set, and it has no GC worker threads to compete with the load on a small machine.
 * maxIdleWorkerDuration is 1 s, so idle pools may be trimmed well inside the idle wait.
 */
class FaultSoakIT {
    private static final List<String> SERVER_JVM_FLAGS = List.of("-Xmx64m", "-XX:+UseSerialGC");
    private static final Duration LOAD = Duration.ofSeconds(20);
    private static final Duration FDS_WAIT = Duration.ofSeconds(10);
    private static final Duration HEAP_WAIT = Duration.ofSeconds(15);
    private static final long HEAP_SLACK_BYTES = 2L << 20;
    private static final long SEED = 20261201;

    @Test
    @Timeout(90)   // the plan is under 60 s; this only stops a hung run
    void serverStaysCorrectAndGivesItsMemoryBackUnderHostileLoad() throws Exception {
        String transport = TestServer.eventLoop() ? "eventloop" : "vt";
        Path log = Path.of("target", "soak", "FaultSoakIT-" + transport + "-server.log");
        try (var server = SoakServerProcess.start(transport, SERVER_JVM_FLAGS, Duration.ofSeconds(1), log)) {
            FaultSoak.warmUp(server.port());
            SoakStats before = server.stats();
            long harnessFdsBefore = openFileDescriptors();
            FaultSoak.Summary load = FaultSoak.run(new FaultSoak.Config(server.port(), LOAD, 8, 8, SEED));
            long harnessFdsAfter = openFileDescriptors();
            SoakStats afterLoad;
            SoakStats fdsSettled;
            SoakStats idle;
            try {
                afterLoad = server.stats();
                long idleStart = System.nanoTime();
                fdsSettled = awaitStats(server, FDS_WAIT, s -> s.fds() <= before.fds() && s.contextsInUse() == 0);
                idle = awaitStats(server, HEAP_WAIT.minusNanos(System.nanoTime() - idleStart),
                        s -> s.heapBytes() <= before.heapBytes() + HEAP_SLACK_BYTES && s.fds() <= before.fds());
            } catch (IOException e) {
                throw new AssertionError("FaultSoakIT " + transport + ": no stats from the server after the load ("
                        + load.line() + "): " + e.getMessage(), e);
            }
            System.out.println(summaryLine(transport, load, before, afterLoad, fdsSettled, idle)
                    + " harness: errors=" + load.harnessErrors() + " fds " + harnessFdsBefore + "->" + harnessFdsAfter);

            assertAll(
                    () -> assertEquals(0, load.harnessErrors(), () -> "the harness itself failed: " + load.problems()),
                    () -> assertTrue(harnessFdsAfter <= harnessFdsBefore, () -> "the harness leaked descriptors: "
                            + harnessFdsAfter + ", before the load " + harnessFdsBefore),
                    () -> assertEquals(0, load.wrong(), () -> "wrong answers to good clients; first problems: " + load.problems()),
                    () -> assertEquals(0, load.failed(), () -> "failed exchanges of good clients; first problems: " + load.problems()),
                    () -> assertTrue(load.good() > 0, "no good exchange at all"),
                    () -> assertTrue(load.serverAnswers(), "a fresh GET / after the load got no right answer"),
                    () -> assertEquals(0, idle.deaths(), () -> "threads of the server died: " + idle.died()),
                    () -> assertEquals(0, idle.outOfMemoryErrors(), "OutOfMemoryErrors thrown in the server"),
                    () -> assertTrue(fdsSettled.fds() <= before.fds(), () -> "open descriptors " + FDS_WAIT.toSeconds()
                            + " s after the load: " + fdsSettled.fds() + ", baseline " + before.fds()),
                    () -> assertEquals(0, fdsSettled.openConnections(), "connections the server still counts after the load"),
                    () -> assertEquals(0, fdsSettled.contextsInUse(), "contexts in use after the load"),
                    () -> assertTrue(idle.heapBytes() <= before.heapBytes() + HEAP_SLACK_BYTES,
                            () -> "heap retained after " + HEAP_WAIT.toSeconds() + " s idle: " + SoakStats.mib(idle.heapBytes())
                                    + ", baseline " + SoakStats.mib(before.heapBytes()) + " (slack 2 MiB)"));
        }   // close() kills the server's JVM whatever state it is in
    }

    /** This JVM's open descriptors: the harness must give back every one it took. */
    private static long openFileDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count() - 1;   // less the listing's own
        }
    }

    /** Polls stats until {@code done} holds or {@code wait} passes; returns the last stats. */
    private static SoakStats awaitStats(SoakServerProcess server, Duration wait, Predicate<SoakStats> done)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        SoakStats s = server.stats();
        while (!done.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            s = server.stats();
        }
        return s;
    }

    private static String summaryLine(String transport, FaultSoak.Summary load, SoakStats before, SoakStats afterLoad,
            SoakStats fdsSettled, SoakStats idle) {
        return "FaultSoakIT " + transport + " " + SERVER_JVM_FLAGS + ": good=" + load.good() + " wrong=" + load.wrong()
                + " failed=" + load.failed() + " shed=" + load.shed() + " hostile=" + load.hostileConnections()
                + " serverAnswers=" + load.serverAnswers() + " | heap before=" + SoakStats.mib(before.heapBytes())
                + " afterLoad=" + SoakStats.mib(afterLoad.heapBytes()) + " afterIdle=" + SoakStats.mib(idle.heapBytes())
                + " | fds before=" + before.fds() + " afterLoad=" + afterLoad.fds() + " settled=" + fdsSettled.fds()
                + " | conns=" + fdsSettled.openConnections() + " ctxs=" + fdsSettled.contextsInUse() + " deaths=" + idle.deaths()
                + " oom=" + idle.outOfMemoryErrors() + " loggedErrors=" + idle.loggedErrors() + " died=[" + idle.died() + "]"
                + " problems=" + load.problems();
    }
}
