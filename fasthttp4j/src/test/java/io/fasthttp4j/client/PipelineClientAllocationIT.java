package io.fasthttp4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.server.TestServer;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PipelineClient's promise: in steady state a call allocates nothing of its own, neither on the
 * calling threads nor on the connection's writer and reader. Both are platform threads here (the
 * writer and reader through {@code threadFactory}), so that the JVM's per-thread allocation counters
 * see all of it ({@code com.sun.management.ThreadMXBean}); a virtual thread's parking allocates in
 * the JDK, which is not ours to count. The server's threads are not counted.
 *
 * <p>{@value #CALLERS} callers at once, so that requests are really pipelined and batched. After a
 * warm-up we measure {@value #WINDOWS} windows of {@value #CALLS} calls per caller: each caller
 * measures itself around its own calls, and the connection's threads are measured between windows,
 * when they are idle. As in {@link HostClientAllocationIT}, a window may show a one-off of a few
 * hundred bytes from the JIT (a deoptimized method runs interpreted for a while); a per-call
 * allocation of one 16-byte object would show as {@value #CALLERS} × {@value #CALLS} × 16 bytes.
 */
class PipelineClientAllocationIT {
    private static final int CALLERS = 4;
    private static final int CALLS = 5_000;
    private static final int WINDOWS = 4;
    private static final long ONE_OFF_MAX_BYTES = 4096;

    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    @Timeout(180)
    void steadyStateCallsAllocateNothingOnCallersWriterOrReader() throws Exception {
        List<Thread> connThreads = new CopyOnWriteArrayList<>();
        ThreadFactory platform = r -> {
            Thread t = Thread.ofPlatform().daemon().name("pipeline-conn-" + connThreads.size()).unstarted(r);
            connThreads.add(t);
            return t;
        };
        try (var server = TestServer.start(ctx -> ctx.setContentType("application/json").setBody("{\"message\":\"Hello, World!\"}"));
             var client = PipelineClient.builder("127.0.0.1:" + server.port()).threadFactory(platform).build()) {
            runCallers(client, 4);   // warm-up
            assertEquals(2, connThreads.size(), "one connection: a writer and a reader");
            long[] windows = new long[WINDOWS];
            long[] onCallers = new long[WINDOWS];
            for (int w = 0; w < WINDOWS; w++) {
                long before = allocatedBy(connThreads);
                onCallers[w] = runCallers(client, 1);
                windows[w] = onCallers[w] + allocatedBy(connThreads) - before;
            }
            System.out.println("PipelineClient: bytes allocated per window of " + CALLERS + " x " + CALLS + " calls (callers + writer + reader): "
                    + Arrays.toString(windows) + ", of which on the callers: " + Arrays.toString(onCallers));
            String all = Arrays.toString(windows);
            assertTrue(Arrays.stream(windows).anyMatch(w -> w == 0), "no window without allocation: " + all);
            assertTrue(Arrays.stream(windows).sum() <= ONE_OFF_MAX_BYTES, "more than one-off JIT residue: " + all);
            assertEquals(1, client.connsCount());
        }
    }

    private static long allocatedBy(List<Thread> threads) {
        long sum = 0;
        for (Thread t : threads) sum += THREADS.getThreadAllocatedBytes(t.threadId());
        return sum;
    }

    /** Runs {@value #CALLERS} platform callers of {@code rounds} × {@value #CALLS} calls each; returns what they allocated during their calls. */
    private static long runCallers(PipelineClient client, int rounds) throws InterruptedException {
        long[] allocated = new long[CALLERS];
        Throwable[] failed = new Throwable[CALLERS];
        Thread[] callers = new Thread[CALLERS];
        for (int c = 0; c < CALLERS; c++) {
            int id = c;
            callers[c] = Thread.ofPlatform().name("caller-" + c).start(() -> {
                try {
                    allocated[id] = callMany(client, rounds * CALLS);
                } catch (Throwable t) {
                    failed[id] = t;
                }
            });
        }
        for (Thread t : callers) t.join();
        for (Throwable t : failed) if (t != null) throw new AssertionError("a caller failed", t);
        return Arrays.stream(allocated).sum();
    }

    private static long callMany(PipelineClient client, int calls) {
        Request request = Client.acquireRequest();
        Response response = Client.acquireResponse();
        try {
            request.header().setRequestUri("/json?a=1");
            request.header().set("User-Agent", "fasthttp4j-test");
            request.header().set("Accept", "application/json");
            long counterCost = THREADS.getCurrentThreadAllocatedBytes();
            counterCost = THREADS.getCurrentThreadAllocatedBytes() - counterCost;
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < calls; i++) {
                client.doRequest(request, response);
                if (response.statusCode() != 200 || response.body().length() != 27) throw new AssertionError(response.toString());
            }
            return THREADS.getCurrentThreadAllocatedBytes() - before - counterCost;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } finally {
            Client.releaseRequest(request);
            Client.releaseResponse(response);
        }
    }
}
