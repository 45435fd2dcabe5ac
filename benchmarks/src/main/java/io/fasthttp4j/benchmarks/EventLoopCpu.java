package io.fasthttp4j.benchmarks;

import io.fasthttp4j.ByteView;
import io.fasthttp4j.server.RequestCtx;
import io.fasthttp4j.server.Server;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The event loop's whole per-read path ({@code EventLoopTransport.Loop.onReadable}: read, parse, the
 * handler, write, reset, going idle) over in-memory connections, timed by the thread's CPU time: the
 * Java part of what a load-run request costs the server, without the kernel's. The loop's own thread
 * sits in its selector; this thread plays it, serving {@value #CONNECTIONS} connections in turn, as
 * wrk's do. Requests and handler are the load harness's: {@code pipelined} (16 {@code GET /pipeline}
 * per read, answered "ok") and {@code baseline} (one request per read, rotating through its GET, POST
 * with Content-Length and chunked POST of {@code /baseline11}, answered with the sum of the numbers).
 * Its counterpart for the floor is {@code io.fasthttp4j.bench.floor.InMemory} in the floor contender.
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar io.fasthttp4j.benchmarks.EventLoopCpu pipelined,baseline}</pre>
 *
 * The transport's classes are package-private: it reaches them through method handles, which the JIT
 * inlines like direct calls (on the class path, where benchmarks.jar runs, module boundaries do not
 * apply). A rename in the transport fails this at start-up with the member's name.
 */
public final class EventLoopCpu {
    static final int CONNECTIONS = 256;
    private static final byte[] OK = {'o', 'k'};
    private static final String HOST = "Host: 127.0.0.1:18080\r\n";

    private EventLoopCpu() {
    }

    /** The load contender's handler for the two routes measured here. */
    static void handle(RequestCtx ctx) {
        ByteView path = ctx.path();
        if (path.contentEquals("/baseline11")) {
            long sum = 0;
            var args = ctx.queryArgs();
            for (int i = 0; i < args.count(); i++) sum += parseLong(args.value(i));
            if (ctx.isPost()) sum += parseLong(ctx.requestBody());
            ctx.setContentType("text/plain").bodyBuffer().appendDecimal(sum);
        } else if (path.contentEquals("/pipeline")) {
            ctx.setContentType("text/plain").setBody(OK);
        } else {
            ctx.setStatusCode(404);
        }
    }

    private static long parseLong(ByteView v) {
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            byte b = v.byteAt(i);
            if (b < '0' || b > '9') break;
            n = n * 10 + (b - '0');
        }
        return n;
    }

    /** What one read of a connection returns: for pipelined the same batch, for baseline the next request of the rotation. */
    static byte[][] reads(String shape) {
        if (shape.equals("pipelined")) {
            return new byte[][] {ascii(("GET /pipeline HTTP/1.1\r\n" + HOST + "\r\n").repeat(16))};
        }
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

    // The transport's package-private members this drives: Server.transport(), EventLoopTransport.loops,
    // Loop.onReadable(LoopConn), and ServerConn / LoopConn as Loop.adopt makes them.
    private static final MethodHandle TRANSPORT;
    private static final VarHandle LOOPS;
    private static final MethodHandle ON_READABLE;
    private static final MethodHandle NEW_CONN;
    private static final MethodHandle SET_STATE;
    private static final MethodHandle NEW_LOOP_CONN;
    private static final VarHandle CONN_OWNER;
    private static final int IDLE;
    private static final int CLOSED;

    static {
        try {
            Class<?> transport = Class.forName("io.fasthttp4j.server.EventLoopTransport");
            Class<?> loop = Class.forName("io.fasthttp4j.server.EventLoopTransport$Loop");
            Class<?> loopConn = Class.forName("io.fasthttp4j.server.EventLoopTransport$LoopConn");
            Class<?> conn = Class.forName("io.fasthttp4j.server.ServerConn");
            Class<?> owner = Class.forName("io.fasthttp4j.server.ServerConn$Owner");
            Class<?> transportType = Class.forName("io.fasthttp4j.server.Transport");
            MethodHandles.Lookup server = MethodHandles.privateLookupIn(Server.class, MethodHandles.lookup());
            TRANSPORT = server.findVirtual(Server.class, "transport", MethodType.methodType(transportType))
                    .asType(MethodType.methodType(Object.class, Server.class));
            LOOPS = MethodHandles.privateLookupIn(transport, MethodHandles.lookup())
                    .findVarHandle(transport, "loops", loop.arrayType());
            ON_READABLE = MethodHandles.privateLookupIn(loop, MethodHandles.lookup())
                    .findVirtual(loop, "onReadable", MethodType.methodType(void.class, loopConn))
                    .asType(MethodType.methodType(void.class, Object.class, Object.class));
            MethodHandles.Lookup c = MethodHandles.privateLookupIn(conn, MethodHandles.lookup());
            NEW_CONN = c.findConstructor(conn, MethodType.methodType(void.class, ByteChannel.class, java.nio.channels.SocketChannel.class,
                            long.class, java.net.SocketAddress.class, java.net.SocketAddress.class, java.net.InetAddress.class))
                    .asType(MethodType.methodType(Object.class, ByteChannel.class, java.nio.channels.SocketChannel.class,
                            long.class, java.net.SocketAddress.class, java.net.SocketAddress.class, java.net.InetAddress.class));
            SET_STATE = c.findVirtual(conn, "setState", MethodType.methodType(void.class, int.class))
                    .asType(MethodType.methodType(void.class, Object.class, int.class));
            IDLE = (int) c.findStaticVarHandle(conn, "IDLE", int.class).get();
            CLOSED = (int) c.findStaticVarHandle(conn, "CLOSED", int.class).get();
            CONN_OWNER = c.findVarHandle(conn, "owner", owner);
            NEW_LOOP_CONN = MethodHandles.privateLookupIn(loopConn, MethodHandles.lookup())
                    .findConstructor(loopConn, MethodType.methodType(void.class, loop, conn, RequestCtx.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Object.class, RequestCtx.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static Object connOf(Object loopConn) throws ReflectiveOperationException {
        java.lang.reflect.Field f = loopConn.getClass().getDeclaredField("conn");
        f.setAccessible(true);
        return f.get(loopConn);
    }

    public static void main(String[] args) throws Throwable {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String[] shapes = (args.length > 0 ? args[0] : "pipelined,baseline").split(",");
        for (String shape : shapes) {
            Server server = Server.builder(EventLoopCpu::handle).name("bench").eventLoops(1)
                    .streamRequestBody(true).maxRequestBodySize(64L << 20).build();   // as the load contender
            Object transport = TRANSPORT.invokeExact(server);
            Object loop = ((Object[]) LOOPS.get(transport))[0];
            byte[][] reads = reads(shape);
            int perRead = shape.equals("pipelined") ? 16 : 1;
            Object[] conns = new Object[CONNECTIONS];
            ConnectionLoopBenchmark.ScriptedChannel[] channels = new ConnectionLoopBenchmark.ScriptedChannel[CONNECTIONS];
            for (int i = 0; i < CONNECTIONS; i++) {
                channels[i] = new ConnectionLoopBenchmark.ScriptedChannel(i, reads);   // each read returns one whole entry of reads
                channels[i].rewind(Long.MAX_VALUE);
                Object conn = NEW_CONN.invokeExact((ByteChannel) channels[i], (java.nio.channels.SocketChannel) null, (long) i,
                        (java.net.SocketAddress) new InetSocketAddress("127.0.0.1", 40000 + i),
                        (java.net.SocketAddress) new InetSocketAddress("127.0.0.1", 18080), (java.net.InetAddress) null);
                SET_STATE.invokeExact(conn, IDLE);   // as a connection the loop registered, waiting for its first bytes
                conns[i] = NEW_LOOP_CONN.invokeExact(loop, conn, (RequestCtx) null);
                CONN_OWNER.set(conn, conns[i]);
            }
            int readsPerRound = 2_000_000 / perRead;
            for (int r = 0; r < 3 * readsPerRound; r++) ON_READABLE.invokeExact(loop, conns[r % CONNECTIONS]);   // warm-up: JIT
            int rounds = 15;
            double[] nanos = new double[rounds];
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            for (int round = 0; round < rounds; round++) {
                long t0 = threads.getCurrentThreadCpuTime();
                for (int r = 0; r < readsPerRound; r++) ON_READABLE.invokeExact(loop, conns[r % CONNECTIONS]);
                nanos[round] = (threads.getCurrentThreadCpuTime() - t0) / ((double) readsPerRound * perRead);
            }
            double bytes = (threads.getCurrentThreadAllocatedBytes() - allocatedBefore) / ((double) rounds * readsPerRound * perRead);
            long written = 0;
            for (ConnectionLoopBenchmark.ScriptedChannel c : channels) written += c.written;
            if (written == 0) throw new IllegalStateException("nothing was answered");
            for (Object lc : conns) SET_STATE.invokeExact(connOf(lc), CLOSED);
            server.shutdown(java.time.Duration.ofSeconds(5));
            Arrays.sort(nanos);
            System.out.printf("event loop %-9s CPU ns/request: min %.1f, median %.1f; B/request %.3f%n",
                    shape, nanos[0], nanos[rounds / 2], bytes);
        }
    }
}
