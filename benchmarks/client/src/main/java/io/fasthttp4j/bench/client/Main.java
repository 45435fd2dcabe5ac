package io.fasthttp4j.bench.client;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One measured run of one contender, in a JVM of its own: {@code concurrency} virtual threads each
 * call the server in a loop (one blocking GET at a time, every answer checked); after
 * {@code warmup} seconds the process's CPU time, the JVM's allocated bytes and the completed calls
 * are read, and again {@code duration} seconds later. Prints one line,
 * {@code CLIENTSTATS key=value ...}, that run.sh parses; or {@code CLIENTFAILED} and exits 1 when
 * any call failed or got a wrong answer, in which case nothing is measured.
 *
 * <pre>
 * java -cp client-bench.jar io.fasthttp4j.bench.client.Main --contender jdk --port 19080 \
 *      [--host 127.0.0.1] [--path /pipeline] [--body ok] [--concurrency 16] [--warmup 20] [--duration 10] [--server-pid PID]
 * java -cp client-bench.jar io.fasthttp4j.bench.client.Main --list
 * </pre>
 */
public final class Main {
    private Main() {
    }

    private static final long POLL_MILLIS = 100;

    private final LongAdder completed = new LongAdder();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--list")) {
            Contenders.ALL.keySet().forEach(System.out::println);
            return;
        }
        Options options = Options.parse(args);
        int status = new Main().run(options);
        System.out.flush();
        System.exit(status);   // client libraries may leave non-daemon threads behind
    }

    private int run(Options o) throws Exception {
        Contender.Factory factory = Contenders.ALL.get(o.contender);
        if (factory == null) throw new IllegalArgumentException("no contender '" + o.contender + "' (have: " + Contenders.ALL.keySet() + ")");
        Target target = new Target(o.host, o.port, o.path, o.body.getBytes(StandardCharsets.ISO_8859_1), o.concurrency);
        Contender contender = factory.create(target);
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < o.concurrency; i++) {
            callers.add(Thread.ofVirtual().name("caller-" + i).start(() -> callInLoop(contender)));
        }
        Snapshot start = null;
        Snapshot end = null;
        if (await(o.warmupSeconds)) {
            start = Snapshot.take(completed, o.serverPid);
            if (await(o.durationSeconds)) end = Snapshot.take(completed, o.serverPid);
        }
        running = false;
        for (Thread caller : callers) caller.join(10_000);
        contender.close();
        if (failure.get() != null || end == null) {
            Throwable f = failure.get();
            System.out.println("CLIENTFAILED contender=" + o.contender + " message=" + (f == null ? "no failure recorded" : describe(f)));
            if (f != null) f.printStackTrace();
            return 1;
        }
        System.out.println("CLIENTSTATS contender=" + o.contender + " concurrency=" + o.concurrency
                + " requests=" + (end.completed - start.completed)
                + " window_ns=" + (end.nanoTime - start.nanoTime)
                + " cpu_ns=" + (end.cpuNanos - start.cpuNanos)
                + " alloc_bytes=" + (end.allocatedBytes - start.allocatedBytes)
                + " server_cpu_ticks=" + (end.serverTicks < 0 ? "" : end.serverTicks - start.serverTicks));
        return 0;
    }

    // runs on its own virtual thread
    private void callInLoop(Contender contender) {
        try (Contender.Caller caller = contender.newCaller()) {
            while (running) {
                caller.call();
                completed.increment();
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Sleeps {@code seconds}; false as soon as a caller has failed. */
    private boolean await(double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (failure.get() == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return true;
            Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, left / 1_000_000)));
        }
        return false;
    }

    private static String describe(Throwable e) {
        return (e.getClass().getName() + ": " + e.getMessage()).replace('\n', ' ');
    }

    /** The counters at one instant: completed calls, this process's CPU time, the JVM's allocated bytes, the server's CPU ticks. */
    private record Snapshot(long nanoTime, long completed, long cpuNanos, long allocatedBytes, long serverTicks) {
        static Snapshot take(LongAdder completed, long serverPid) {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            return new Snapshot(System.nanoTime(), completed.sum(), os.getProcessCpuTime(), threads.getTotalThreadAllocatedBytes(),
                    serverTicks(serverPid));
        }

        /** utime + stime of {@code pid} from /proc, in clock ticks; -1 without a pid. */
        private static long serverTicks(long pid) {
            if (pid <= 0) return -1;
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");   // fields from the 3rd (state) on
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);          // utime (14th) + stime (15th)
            } catch (Exception e) {
                return -1;
            }
        }
    }

    /** The command line. */
    private record Options(String contender, String host, int port, String path, String body, int concurrency,
                           double warmupSeconds, double durationSeconds, long serverPid) {
        static Options parse(String[] args) {
            String contender = null;
            String host = "127.0.0.1";
            int port = -1;
            String path = "/pipeline";
            String body = "ok";
            int concurrency = 16;
            double warmup = 20;
            double duration = 10;
            long serverPid = -1;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) throw new IllegalArgumentException("option " + args[i] + " needs a value");
                String v = args[i + 1];
                switch (args[i]) {
                    case "--contender" -> contender = v;
                    case "--host" -> host = v;
                    case "--port" -> port = Integer.parseInt(v);
                    case "--path" -> path = v;
                    case "--body" -> body = v;
                    case "--concurrency" -> concurrency = Integer.parseInt(v);
                    case "--warmup" -> warmup = Double.parseDouble(v);
                    case "--duration" -> duration = Double.parseDouble(v);
                    case "--server-pid" -> serverPid = Long.parseLong(v);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (contender == null || port < 1) throw new IllegalArgumentException("--contender NAME and --port N are required");
            if (concurrency < 1 || duration <= 0 || warmup < 0) throw new IllegalArgumentException("bad --concurrency, --warmup or --duration");
            return new Options(contender, host, port, path, body, concurrency, warmup, duration, serverPid);
        }
    }
}
