package io.fasthttp4j.server.soak;

import io.fasthttp4j.ByteView;
import io.fasthttp4j.server.RequestCtx;
import io.fasthttp4j.server.Server;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * The server of the fault soak, run in a JVM of its own so that its heap flag is the one under test:
 * GET / answers "Hello, World!", any method on /echo answers the request body. Controlled over
 * stdin and stdout only, one line each way (the network is the load's): it prints {@code port N}
 * once started, then answers {@code stats} with one {@link SoakStats} line and {@code quit} with
 * {@code bye} before it exits 0. It also exits when stdin ends, so a killed parent leaves no server.
 *
 * <p>Usage: {@code SoakServer vt|eventloop maxIdleWorkerSeconds}; the event-loop transport runs one loop.
 */
public final class SoakServer {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final Path FDS = Path.of("/proc/self/fd");
    // HotSpot counts every OutOfMemoryError it throws, caught or not, and VM.info prints the counts
    // ("OutOfMemoryError java_heap_errors=3"); OOMs thrown by Java code (direct buffers) are not in it.
    private static final Pattern OOM_COUNT = Pattern.compile("OutOfMemoryError \\w+_errors=(\\d+)");
    private static final int MAX_DEATHS_KEPT = 3;

    private final Server server;
    private final AtomicLong deaths = new AtomicLong();
    private final AtomicLong loggedErrors = new AtomicLong();
    private final List<String> firstDeaths = new ArrayList<>();   // guarded by itself

    private SoakServer(Server server) {
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("vt") || args[0].equals("eventloop"))) {
            System.err.println("usage: SoakServer vt|eventloop maxIdleWorkerSeconds");
            System.exit(2);
        }
        Server.Builder builder = Server.builder(SoakServer::handle)
                .maxIdleWorkerDuration(Duration.ofSeconds(Long.parseLong(args[1])));
        if (args[0].equals("eventloop")) builder.eventLoops(1);
        var soak = new SoakServer(builder.build());
        soak.watchDeathsAndErrors();
        InetSocketAddress bound = (InetSocketAddress) soak.server.start("127.0.0.1:0");
        soak.stats();   // loads what stats uses (the platform MBean server among it), so the baseline holds it too
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        out.println("port " + bound.getPort());
        soak.answerCommands(out);
    }

    /** The handler under test: deliberately plain, so that what the soak measures is the server. */
    static void handle(RequestCtx ctx) {
        ByteView path = ctx.path();
        if (path.contentEquals("/echo")) {
            ByteView body = ctx.requestBody();
            ctx.bodyBuffer().append(body.array(), body.offset(), body.length());
        } else if (path.contentEquals("/") && ctx.isGet()) {
            ctx.setBody(HELLO);
        } else {
            ctx.notFound();
        }
    }

    private void answerCommands(PrintStream out) throws IOException {
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line; (line = in.readLine()) != null; ) {
            try {
                switch (line.trim()) {
                    case "stats" -> out.println(stats().line());
                    case "quit" -> {
                        boolean graceful = server.shutdown(Duration.ofSeconds(5));
                        out.println("bye graceful=" + graceful);
                        System.exit(0);
                    }
                    default -> out.println("error unknown command '" + line + "'");
                }
            } catch (Throwable t) {   // an OOM here must not end the control loop: the parent still wants to know
                out.println("error " + t.toString().replace('\n', ' '));
            }
        }
        System.exit(0);   // stdin closed: the parent is gone
    }

    /** Counts threads that die of an uncaught throwable, and error records the server logs. */
    private void watchDeathsAndErrors() {
        Thread.setDefaultUncaughtExceptionHandler((thread, t) -> {
            long n = deaths.incrementAndGet();
            if (n <= MAX_DEATHS_KEPT) {
                synchronized (firstDeaths) {
                    firstDeaths.add(thread.getName() + ": " + t);
                }
                System.err.println("SoakServer: thread " + thread + " died");
                t.printStackTrace();
            }
        });
        Logger.getLogger("").addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) loggedErrors.incrementAndGet();
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    /** Collects garbage until the used heap stops falling, then reads the figures. */
    private SoakStats stats() throws Exception {
        long heap = usedHeapAfterFullGc();
        long fds;
        try (var list = Files.list(FDS)) {
            fds = list.count() - 1;   // less the descriptor of the listing itself
        }
        String died;
        synchronized (firstDeaths) {
            died = String.join(" | ", firstDeaths);
        }
        return new SoakStats(heap, fds, server.openConnections(), server.contextsInUse(), deaths.get(),
                outOfMemoryErrorsThrown(), loggedErrors.get(), died);
    }

    private static long usedHeapAfterFullGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {   // Serial and Parallel GC: System.gc() is a full, compacting collection
            System.gc();
            Thread.sleep(50);   // lets finalization and reference processing free what they hold
            long now = rt.totalMemory() - rt.freeMemory();
            if (now >= used - 64 * 1024) return Math.min(now, used);
            used = now;
        }
        return used;
    }

    private static long outOfMemoryErrorsThrown() throws Exception {
        String info = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmInfo",
                new Object[] {null}, new String[] {String[].class.getName()});
        long count = 0;
        for (Matcher m = OOM_COUNT.matcher(info); m.find(); ) count += Long.parseLong(m.group(1));
        return count;
    }
}
