package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server's promise: in steady state the connection loop (read, parse, handler, write, reset)
 * allocates nothing of its own. The loop runs on this thread over a {@link ScriptedChannel}, so the
 * thread's counter sees all of it; the per-connection setup is spread over many requests.
 */
class ConnectionLoopAllocationTest {
    private static final MethodHandle ALLOCATED = allocatedBytesHandle();

    private static MethodHandle allocatedBytesHandle() {
        try {
            Object bean = ManagementFactory.getThreadMXBean();
            Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
            return MethodHandles.publicLookup()
                    .findVirtual(type, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
                    .bindTo(bean);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static long allocated() {
        try {
            return (long) ALLOCATED.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static final byte[] JSON = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "{0} requests per read")
    @ValueSource(ints = {1, 16})
    void servingKeepAliveRequestsAllocatesNothingPerRequest(int perRead) throws IOException {
        Server server = Server.builder(ctx -> {
            if (ctx.path().contentEquals("/json")) ctx.setContentType("application/json").setBody(JSON);
            else ctx.setBody("Hello, World!");
        }).build();
        String one = "GET /json?a=1 HTTP/1.1\r\nHost: localhost\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n";
        byte[] batch = one.repeat(perRead).getBytes(StandardCharsets.US_ASCII);
        var remote = new InetSocketAddress("127.0.0.1", 40000);
        var local = new InetSocketAddress("127.0.0.1", 8080);
        ScriptedChannel channel = new ScriptedChannel(batch, 1);
        try {
            int connections = 5;
            long batches = 40_000 / perRead;
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 8; round++) {          // the first rounds warm up the JIT and the pools
                channel.rewind(batches);
                long before = allocated();
                for (int c = 0; c < connections; c++) {
                    channel.rewind(batches);
                    server.serveConn(channel, remote, local);
                }
                long total = allocated() - before;
                assertTrue(channel.written() > 0);
                if (round >= 3) best = Math.min(best, total);
            }
            // What a connection costs once (its ServerConn, channel wrappers) is allowed; anything per
            // request would add up to far more: one byte per request is 40,000 bytes per connection.
            long perConnectionBudget = 4096;   // its ServerConn, first-read buffer and channel wrappers
            assertTrue(best <= connections * perConnectionBudget,
                    "connection loop allocated " + best + " bytes for " + connections * batches * perRead + " requests");
        } finally {
            assertTrue(server.shutdown(Duration.ofSeconds(5)));
            assertEquals(0, server.contextsInUse());
        }
    }
}
