package io.fasthttp4j.benchmarks;

import io.fasthttp4j.server.Server;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's whole per-request path (read, parse, route, handler, write, reset) through the real
 * connection loop, over an in-memory connection that never blocks, on the benchmark thread. One
 * invocation serves a connection of {@value #REQUESTS} requests, so the figures (ns/op and
 * {@code gc.alloc.rate.norm}) are per request, and what a connection costs once is spread thin.
 * Without the kernel's read and write this is the part of a request's cost that is ours.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ConnectionLoopBenchmark {
    static final int REQUESTS = 1000;

    /** Requests per read: 1 is keep-alive, 16 is pipelined. */
    @Param({"1", "16"})
    public int perRead;

    /**
     * The request: {@code browserish} (3 fields, /json) or {@code wrk} (the load harness's pipelined
     * profile: only Host, {@code /pipeline}, answered "ok" as text/plain, as its contender does).
     */
    @Param({"browserish", "wrk"})
    public String shape;

    private static final byte[] OK = {'o', 'k'};
    private static final byte[] JSON = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.US_ASCII);
    private final InetSocketAddress remote = new InetSocketAddress("127.0.0.1", 40000);
    private final InetSocketAddress local = new InetSocketAddress("127.0.0.1", 8080);
    private Server server;
    private ScriptedChannel channel;

    @Setup
    public void start() {
        server = Server.builder(ctx -> {
            if (ctx.path().contentEquals("/json")) ctx.setContentType("application/json").setBody(JSON);
            else if (ctx.path().contentEquals("/pipeline")) ctx.setContentType("text/plain").setBody(OK);
            else ctx.setBody("Hello, World!");
        }).name("bench").build();
        String one = shape.equals("wrk") ? "GET /pipeline HTTP/1.1\r\nHost: 127.0.0.1:18080\r\n\r\n"
                : "GET /json HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n";
        channel = new ScriptedChannel(0, one.repeat(perRead).getBytes(StandardCharsets.US_ASCII));
    }

    @TearDown
    public void stop() {
        server.shutdown(Duration.ofSeconds(5));
    }

    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public long serveConnection() throws IOException {
        channel.rewind(REQUESTS / perRead);
        server.serveConn(channel, remote, local);
        return channel.written;
    }

    /**
     * A connection that never blocks: batches of requests, a read taking at most the rest of the current
     * one, a number of batches in all (rotating through them from {@code first}), then end of stream.
     * Writes are counted and dropped. Also EventLoopCpu's connection.
     */
    static final class ScriptedChannel implements ByteChannel {
        private final byte[][] batches;
        private int current;
        private long batchesLeft;
        private int pos;
        long written;

        ScriptedChannel(int first, byte[]... batches) {
            this.batches = batches;
            this.current = first % batches.length;
        }

        void rewind(long batches) {
            batchesLeft = batches;
            pos = 0;
            written = 0;
        }

        @Override
        public int read(ByteBuffer dst) {
            byte[] batch = batches[current];
            if (pos == batch.length) {
                if (--batchesLeft <= 0) return -1;
                pos = 0;
                current = current + 1 == batches.length ? 0 : current + 1;
                batch = batches[current];
            }
            int n = Math.min(dst.remaining(), batch.length - pos);
            dst.put(batch, pos, n);
            pos += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            written += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
