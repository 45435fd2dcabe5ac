package io.fasthttp4j.bench.floor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The floor's per-read work without the kernel: what {@code Conn.read} does with the bytes of one read
 * (consume each request, respond, reset; then the output buffer is cleared, as a flush would), on 256
 * connections served in turn, timed by the thread's CPU time. The counterpart of the library's
 * {@code io.fasthttp4j.server.EventLoopCpu}, with the same requests: {@code pipelined} (16 per read) and
 * {@code baseline} (one per read, GET, POST and chunked POST of /baseline11 in turn). The serving code is
 * the contender's own, reached through method handles (inlined by the JIT like direct calls).
 *
 * <pre>{@code java -cp benchmarks/load/contenders/floor/target/contender.jar io.fasthttp4j.bench.floor.InMemory pipelined,baseline}</pre>
 */
public final class InMemory {
    private static final MethodHandle RESPOND;
    private static final VarHandle OUT;
    private static final VarHandle REQ;
    private static final String HOST = "Host: 127.0.0.1:18080\r\n";

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Main.Conn.class, MethodHandles.lookup());
            RESPOND = lookup.findVirtual(Main.Conn.class, "respond", MethodType.methodType(void.class));
            OUT = lookup.findVarHandle(Main.Conn.class, "out", ByteBuffer.class);
            REQ = lookup.findVarHandle(Main.Conn.class, "req", Request.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private InMemory() {
    }

    static byte[][] reads(String shape) {
        if (shape.equals("pipelined")) return new byte[][] {ascii(("GET /pipeline HTTP/1.1\r\n" + HOST + "\r\n").repeat(16))};
        String[] queries = {"a=13&b=42", "a=7&b=1", "a=100&b=23"};
        String[] bodies = {"20", "5", "1234"};
        byte[][] reads = new byte[9][];
        for (int i = 0; i < 3; i++) {
            String q = queries[i];
            String b = bodies[i];
            reads[3 * i] = ascii("GET /baseline11?" + q + " HTTP/1.1\r\n" + HOST + "\r\n");
            reads[3 * i + 1] = ascii("POST /baseline11?" + q + " HTTP/1.1\r\n" + HOST + "Content-Type: text/plain\r\nContent-Length: "
                    + b.length() + "\r\n\r\n" + b);
            reads[3 * i + 2] = ascii("POST /baseline11?" + q + " HTTP/1.1\r\n" + HOST + "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(b.length()) + "\r\n" + b + "\r\n0\r\n\r\n");
        }
        return reads;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Serves one read's bytes on {@code conn}, as Conn.read does after its channel read; returns the bytes answered. */
    private static int serve(Main.Conn conn, byte[] buf) throws Throwable {
        Request req = (Request) REQ.get(conn);
        int pos = 0;
        while (pos < buf.length) {
            int used = req.consume(buf, pos, buf.length);
            if (used == 0) break;
            pos += used;
            if (req.complete) {
                RESPOND.invokeExact(conn);
                req.reset();
            }
        }
        ByteBuffer out = (ByteBuffer) OUT.get(conn);
        int n = out.position();
        out.clear();
        return n;
    }

    public static void main(String[] args) throws Throwable {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (String shape : (args.length > 0 ? args[0] : "pipelined,baseline").split(",")) {
            byte[][] reads = reads(shape);
            int perRead = shape.equals("pipelined") ? 16 : 1;
            Main.Conn[] conns = new Main.Conn[256];
            int[] next = new int[conns.length];
            for (int i = 0; i < conns.length; i++) {
                conns[i] = new Main.Conn(null);
                next[i] = i % reads.length;
            }
            int readsPerRound = 2_000_000 / perRead;
            long answered = 0;
            for (int r = 0; r < 3 * readsPerRound; r++) answered += serveNext(conns, next, reads, r);   // warm-up: JIT
            int rounds = 15;
            double[] nanos = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                long t0 = threads.getCurrentThreadCpuTime();
                for (int r = 0; r < readsPerRound; r++) answered += serveNext(conns, next, reads, r);
                nanos[round] = (threads.getCurrentThreadCpuTime() - t0) / ((double) readsPerRound * perRead);
            }
            if (answered == 0) throw new IllegalStateException("nothing was answered");
            Arrays.sort(nanos);
            System.out.printf("floor      %-9s CPU ns/request: min %.1f, median %.1f%n", shape, nanos[0], nanos[rounds / 2]);
        }
    }

    private static int serveNext(Main.Conn[] conns, int[] next, byte[][] reads, int r) throws Throwable {
        int c = r & (conns.length - 1);
        byte[] buf = reads[next[c]];
        next[c] = next[c] + 1 == reads.length ? 0 : next[c] + 1;
        return serve(conns[c], buf);
    }
}
