package io.fasthttp4j.server.soak;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load of the fault soak ("bounded memory under hostile load"): well-behaved keep-alive clients
 * ({@link GoodClient}) beside hostile ones ({@link HostileClient}) against a {@link SoakServer} on
 * 127.0.0.1. Every client's random choices come from a seed derived from {@link Config#seed()}, so a
 * run can be repeated (its timing cannot). Usable from a test ({@link #run}) and from the command line:
 *
 * <pre>FaultSoak --port P [--seconds 600] [--good 8] [--hostile 8] [--seed 1]
 * FaultSoak --port P --warm-up</pre>
 *
 * The first prints {@link Summary#line()} and exits 0 whatever the counts (the caller judges them);
 * the second runs {@link #warmUp} only, for a baseline taken before the load.
 */
public final class FaultSoak {
    /** How the load runs. */
    public record Config(int port, Duration duration, int goodClients, int hostileClients, long seed) {
        public static Config of(int port, Duration duration) {
            return new Config(port, duration, 8, 8, 1);
        }
    }

    /**
     * What the load saw.
     *
     * @param good answers checked byte for byte
     * @param wrong answers with a status other than 200 (503 with Retry-After aside) or other bytes
     * @param failed exchanges that ended in an I/O error or got no complete answer within 15 s
     * @param shed 503 answers with Retry-After: the server shedding load, reported, not an error
     * @param hostileConnections connections the hostile clients made
     * @param hostileConnectFailures connections they tried and could not make
     * @param elapsed how long the load ran, the stop included
     * @param slowestGood the longest good exchange
     * @param serverAnswers whether a fresh connection's GET / was answered right after the load
     * @param harnessErrors clients of the soak that ended on an unexpected throwable: the harness's failure, not the server's
     * @param problems the first few wrong and failed exchanges and harness errors, described
     */
    public record Summary(long good, long wrong, long failed, long shed, long hostileConnections, long hostileConnectFailures,
            Duration elapsed, Duration slowestGood, boolean serverAnswers, long harnessErrors, List<String> problems) {

        /** One line of {@code key=value} pairs, the problems last (they contain spaces). */
        public String line() {
            return String.format(Locale.ROOT, "good=%d wrong=%d failed=%d shed=%d hostile=%d hostileConnectFailures=%d"
                    + " elapsedMs=%d slowestGoodMs=%d serverAnswers=%b harnessErrors=%d problems=%s", good, wrong, failed, shed,
                    hostileConnections, hostileConnectFailures, elapsed.toMillis(), slowestGood.toMillis(), serverAnswers,
                    harnessErrors, problems);
        }
    }

    /** The counters every client adds to. Thread-safe. */
    static final class Tally {
        private static final int PROBLEMS_KEPT = 5;
        private final AtomicLong good = new AtomicLong();
        private final AtomicLong wrong = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong shed = new AtomicLong();
        private final AtomicLong hostileConnections = new AtomicLong();
        private final AtomicLong hostileConnectFailures = new AtomicLong();
        private final AtomicLong slowestGoodNanos = new AtomicLong();
        private final AtomicLong harnessErrors = new AtomicLong();
        private final List<String> problems = new ArrayList<>();   // guarded by itself

        void good(long nanos) {
            good.incrementAndGet();
            slowestGoodNanos.accumulateAndGet(nanos, Math::max);
        }

        void wrong(String what) {
            wrong.incrementAndGet();
            problem("wrong: " + what);
        }

        void failed(String what) {
            failed.incrementAndGet();
            problem("failed: " + what);
        }

        void shed() {
            shed.incrementAndGet();
        }

        void harnessError(Thread thread, Throwable t) {
            harnessErrors.incrementAndGet();
            problem("harness: " + thread.getName() + " ended on " + t);
        }

        void hostileConnection() {
            hostileConnections.incrementAndGet();
        }

        void hostileConnectFailed() {
            hostileConnectFailures.incrementAndGet();
        }

        private void problem(String what) {
            synchronized (problems) {
                if (problems.size() < PROBLEMS_KEPT) problems.add(what);
            }
        }

        Summary summary(Duration elapsed, boolean serverAnswers) {
            synchronized (problems) {
                return new Summary(good.get(), wrong.get(), failed.get(), shed.get(), hostileConnections.get(),
                        hostileConnectFailures.get(), elapsed, Duration.ofNanos(slowestGoodNanos.get()), serverAnswers,
                        harnessErrors.get(), List.copyOf(problems));
            }
        }
    }

    private FaultSoak() {
    }

    /**
     * Runs the load for {@code config.duration()}, then stops: hostile connections are closed at once,
     * good clients finish the exchange they are in (15 s at most). Then checks that a fresh connection
     * is still answered.
     */
    public static Summary run(Config config) throws InterruptedException {
        var tally = new Tally();
        var stop = new CountDownLatch(1);
        Set<Socket> hostileSockets = ConcurrentHashMap.newKeySet();
        long start = System.nanoTime();
        try (ScheduledExecutorService watchdog = newWatchdog()) {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < config.goodClients(); i++) {
                var client = new GoodClient(config.port(), config.seed() * 1_000_003 + i, tally, watchdog, () -> stop.getCount() == 0);
                threads.add(daemon(client, "soak-good-" + i, tally));
            }
            for (int i = 0; i < config.hostileClients(); i++) {
                var client = new HostileClient(config.port(), i, ~config.seed() * 1_000_003 + i, tally, watchdog, stop, hostileSockets);
                threads.add(daemon(client, "soak-hostile-" + i, tally));
            }
            threads.forEach(Thread::start);
            stop.await(config.duration().toMillis(), TimeUnit.MILLISECONDS);
            stop.countDown();
            hostileSockets.forEach(GoodClient::closeQuietly);
            for (Thread t : threads) {
                if (!t.join(Duration.ofMillis(GoodClient.TIMEOUT_MILLIS + 2000))) {
                    tally.harnessError(t, new IllegalStateException("did not stop"));
                }
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return tally.summary(elapsed, answersGet(config.port()));
    }

    /** Opens one connection and runs a GET / and two echoes on it, so that the server's lazy state exists before a baseline. */
    public static void warmUp(int port) throws IOException {
        try (ScheduledExecutorService watchdog = newWatchdog()) {
            new GoodClient(port, 0, new Tally(), watchdog, () -> true).warmUp();
        }
    }

    /** Whether a fresh connection's GET / gets "Hello, World!" within 5 s. */
    public static boolean answersGet(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return all.startsWith("HTTP/1.1 200 ") && all.endsWith("\r\n\r\nHello, World!");
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs the clients' cut-offs; on shutdown, pending ones are dropped instead of awaited. */
    private static ScheduledExecutorService newWatchdog() {
        var watchdog = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "soak-watchdog", null));
        watchdog.setRemoveOnCancelPolicy(true);   // one cut-off per exchange, nearly all cancelled
        watchdog.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return watchdog;
    }

    /** A daemon thread; with a tally, a throwable that ends it is counted as the harness's error. */
    private static Thread daemon(Runnable r, String name, Tally tally) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        if (tally != null) t.setUncaughtExceptionHandler(tally::harnessError);
        return t;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length == 3 && args[0].equals("--port") && args[2].equals("--warm-up")) {
            warmUp(Integer.parseInt(args[1]));
            return;
        }
        int port = -1;
        long seconds = 600;
        int good = 8;
        int hostile = 8;
        long seed = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Long.parseLong(args[i + 1]);
                case "--good" -> good = Integer.parseInt(args[i + 1]);
                case "--hostile" -> hostile = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (port <= 0 || args.length % 2 != 0) {
            System.err.println("usage: FaultSoak --port P [--seconds 600] [--good 8] [--hostile 8] [--seed 1]\n"
                    + "       FaultSoak --port P --warm-up");
            System.exit(2);
        }
        System.out.println(run(new Config(port, Duration.ofSeconds(seconds), good, hostile, seed)).line());
    }
}
