package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * maxBufferedBodyBytes (issue 13): bodies and output buffers of all connections together stay within
 * the budget; what does not fit gets 503 with Retry-After and a close, never an OutOfMemoryError; the
 * budget is given back when connections end and pooled contexts are dropped.
 */
class MemoryBudgetIT {
    private static final long BUDGET = 512 * 1024;

    private static String post(int declared) {
        return "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + declared + "\r\n\r\n";
    }

    private static void assertShed(Response r) {
        assertEquals(503, r.statusCode(), r.body().toString());
        assertEquals("1", r.header().peek("Retry-After").toString());
        assertTrue(r.header().connectionClose(), "Connection: close expected: " + r.header());
        assertTrue(r.body().toString().contains("maxBufferedBodyBytes=" + BUDGET), r.body().toString());
    }

    @Test
    @Timeout(10)
    void aBodyPastTheBudgetGets503WithRetryAfterAndAClose() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody("len=" + ctx.requestBody().length()), b -> b.maxBufferedBodyBytes(BUDGET));
             var client = RawClient.connect(server.port())) {
            client.send(post(1_000_000)).send(new byte[1_000_000]);   // within maxBodyBytes (4 MiB), past the budget
            assertShed(client.readResponse());
            assertTrue(client.awaitPeerClose());
        }
    }

    @Test
    @Timeout(10)
    void aChunkedBodyPastTheBudgetGets503() throws IOException {
        String chunk = Integer.toHexString(100_000) + "\r\n" + "c".repeat(100_000) + "\r\n";
        try (var server = TestServer.start(ctx -> ctx.setBody("len=" + ctx.requestBody().length()), b -> b.maxBufferedBodyBytes(BUDGET));
             var client = RawClient.connect(server.port())) {
            client.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk.repeat(10) + "0\r\n\r\n");
            assertShed(client.readResponse());
        }
    }

    @Test
    @Timeout(15)
    void manyConnectionsTogetherStayWithinTheBudget() throws Exception {
        AtomicLong peak = new AtomicLong();
        try (var server = TestServer.start(ctx -> ctx.setBody("len=" + ctx.requestBody().length()), b -> b.maxBufferedBodyBytes(BUDGET))) {
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {   // each holds 200 KB of a 300 KB body, and stalls
                    RawClient c = RawClient.connect(server.port());
                    clients.add(c);
                    c.send(post(300_000)).send(new byte[200_000]);
                }
                int shed = 0;
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (System.nanoTime() < deadline && shed < 4) {
                    peak.accumulateAndGet(server.server().bufferedBodyBytes(), Math::max);
                    shed = 0;
                    for (RawClient c : clients) {
                        if (c.socket().getInputStream().available() > 0) shed++;
                    }
                    Thread.sleep(10);
                }
                assertTrue(shed >= 4, "at most two 300 KB bodies fit in 512 KiB; " + shed + " connections were answered");
                for (RawClient c : clients) {
                    if (c.socket().getInputStream().available() > 0) assertShed(c.readResponse());
                }
                assertTrue(peak.get() <= BUDGET, "peak " + peak.get());
            } finally {
                for (RawClient c : clients) c.close();
            }
            try (var client = RawClient.connect(server.port())) {   // the server goes on serving
                client.send(post(10)).send("0123456789");
                assertEquals("len=10", client.readResponse().body().toString());
            }
        }
    }

    @Test
    @Timeout(10)
    void aResponsePastTheBudgetGets503() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody(new byte[1_000_000]), b -> b.maxBufferedBodyBytes(BUDGET));
             var client = RawClient.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertShed(client.readResponse());
            assertTrue(client.awaitPeerClose());
        }
    }

    @Test
    @Timeout(10)
    void pipelinedResponsesPastTheBudgetKeepTheOnesBeforeThem() throws IOException {
        // Each response fits alone; the output buffer holding several of them does not.
        try (var server = TestServer.start(ctx -> ctx.setBody(new byte[150_000]), b -> b.maxBufferedBodyBytes(BUDGET));
             var client = RawClient.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n".repeat(8));
            List<Integer> statuses = new ArrayList<>();
            while (true) {
                Response r = client.readResponse();
                statuses.add(r.statusCode());
                if (r.statusCode() != 200) {
                    assertShed(r);
                    break;
                }
                assertEquals(150_000, r.body().length());
                if (statuses.size() == 8) break;
            }
            assertTrue(statuses.size() >= 1, statuses.toString());
        }
    }

    @Test
    @Timeout(15)
    void idleContextsAndTheirChargeAreDroppedAfterAnIdlePeriod() throws Exception {
        try (var server = TestServer.start(ctx -> ctx.setBody("len=" + ctx.requestBody().length()),
                b -> b.maxIdleWorkerDuration(java.time.Duration.ofMillis(200)))) {
            List<RawClient> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) clients.add(RawClient.connect(server.port()));
            for (RawClient c : clients) c.send(post(50_000)).send(new byte[50_000]);
            for (RawClient c : clients) assertEquals("len=50000", c.readResponse().body().toString());
            for (RawClient c : clients) c.close();
            assertTrue(server.server().bufferedBodyBytes() > 0, "pooled contexts keep their (trimmed) buffers for a while");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while ((server.server().idleContexts() > 0 || server.server().bufferedBodyBytes() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, server.server().idleContexts(), "idle contexts dropped");
            assertEquals(0, server.server().bufferedBodyBytes(), "their charge given back");
        }
    }
}
