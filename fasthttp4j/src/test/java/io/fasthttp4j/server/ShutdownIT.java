package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.Response;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Graceful shutdown: nothing in flight is lost or truncated, idle connections go at once, and nothing new gets in. */
class ShutdownIT {
    private static final int CLIENTS = 8;

    /** What each client saw, tallied across threads; {@link #violations} must stay empty. */
    private static final class Tally {
        final AtomicInteger complete = new AtomicInteger();
        final AtomicInteger closedDuringShutdown = new AtomicInteger();   // 200 + Connection: close after shutdown began
        final AtomicInteger closedWithoutResponse = new AtomicInteger();
        final AtomicInteger sendFailed = new AtomicInteger();
        final AtomicInteger refused503 = new AtomicInteger();
        final AtomicInteger connectRefused = new AtomicInteger();
        final Queue<String> violations = new ConcurrentLinkedQueue<>();
    }

    @Test
    @Timeout(60)
    void gracefulShutdownUnderLoadLosesAndTruncatesNothing() throws Exception {
        AtomicReference<Server> serverRef = new AtomicReference<>();
        RequestHandler slow = ctx -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // Set only when the handler ends after shutdown began: the response must then say Connection: close.
            if (serverRef.get().isShuttingDown()) ctx.responseHeader().set("X-During-Shutdown", "1");
            ctx.setBody("ok:" + ctx.path());
        };
        try (var server = TestServer.start(slow)) {
            serverRef.set(server.server());
            Tally tally = new Tally();
            AtomicBoolean shutdownStarted = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                int thread = t;
                clients.add(Thread.ofVirtual().name("load-" + t).start(
                        () -> load(server.port(), thread, tally, shutdownStarted, stop)));
            }
            long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (tally.complete.get() < 20 * CLIENTS && System.nanoTime() < warm) Thread.sleep(5);
            assertTrue(tally.complete.get() >= 20 * CLIENTS, "the load did not get going: " + tally.complete.get());
            int beforeShutdown = tally.complete.get();

            shutdownStarted.set(true);
            boolean graceful = server.server().shutdown(Duration.ofSeconds(10));
            stop.set(true);
            for (Thread c : clients) assertTrue(c.join(Duration.ofSeconds(15)), c.getName() + " did not finish");

            System.out.printf("shutdown under load: %d complete (%d before shutdown, %d with Connection: close during it), "
                    + "%d closed without a response, %d sends failed, %d refused with 503, %d connects refused%n",
                    tally.complete.get(), beforeShutdown, tally.closedDuringShutdown.get(), tally.closedWithoutResponse.get(),
                    tally.sendFailed.get(), tally.refused503.get(), tally.connectRefused.get());
            assertTrue(tally.violations.isEmpty(), "violations: " + tally.violations);
            assertTrue(graceful, "shutdown(10 s) had to force-close connections");
            assertEquals(0, server.server().openConnections());
            assertEquals(0, server.server().contextsInUse());
            assertTrue(tally.closedDuringShutdown.get() >= 1,
                    "no response in flight at shutdown carried Connection: close (completed before: " + beforeShutdown + ")");
            assertThrows(IOException.class, () -> RawClient.connect(server.port()).close(), "a new connection after shutdown must be refused");
        }
    }

    /** One client: keep-alive requests in a loop, reconnecting after a close, until told to stop or refused. */
    private static void load(int port, int thread, Tally tally, AtomicBoolean shutdownStarted, AtomicBoolean stop) {
        int seq = 0;
        while (!stop.get()) {
            RawClient client;
            try {
                client = RawClient.connect(port);
            } catch (IOException e) {
                if (shutdownStarted.get()) {
                    tally.connectRefused.incrementAndGet();
                    return;
                }
                tally.violations.add("connect failed before shutdown: " + e);
                return;
            }
            try (client) {
                while (!stop.get()) {
                    String path = "/t" + thread + "-r" + (++seq);
                    boolean duringShutdown = shutdownStarted.get();
                    try {
                        client.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
                    } catch (IOException e) {
                        tally.sendFailed.incrementAndGet();   // not fully sent: no promise was made
                        break;
                    }
                    long before = client.bytesReceived();
                    Response r;
                    try {
                        r = client.readResponse();
                    } catch (SocketTimeoutException e) {
                        tally.violations.add(path + ": no response and no close within 5 s");
                        break;
                    } catch (IOException | BadRequestException e) {
                        long got = client.bytesReceived() - before;
                        if (got == 0 && (shutdownStarted.get() || duringShutdown)) {
                            tally.closedWithoutResponse.incrementAndGet();
                        } else {
                            tally.violations.add(path + ": " + got + " response bytes then " + e);
                        }
                        break;
                    }
                    if (r.statusCode() == 503 && r.header().connectionClose() && shutdownStarted.get()) {
                        tally.refused503.incrementAndGet();   // accepted in the instant before the listener closed
                        break;
                    }
                    if (r.statusCode() != 200 || !r.body().toString().equals("ok:" + path)) {
                        tally.violations.add(path + ": got " + r.statusCode() + " '" + r.body() + "'");
                        break;
                    }
                    if (r.header().get("X-During-Shutdown") != null && !r.header().connectionClose()) {
                        tally.violations.add(path + ": answered during shutdown without Connection: close");
                    }
                    tally.complete.incrementAndGet();
                    if (r.header().connectionClose()) {
                        if (!shutdownStarted.get()) tally.violations.add(path + ": Connection: close before shutdown");
                        else tally.closedDuringShutdown.incrementAndGet();
                        if (!client.awaitPeerClose(5000)) tally.violations.add(path + ": Connection: close but the server kept it open");
                        break;
                    }
                }
            } catch (IOException e) {
                tally.violations.add("thread " + thread + ": " + e);
            }
        }
    }

    @Test
    @Timeout(20)
    void shutdownClosesIdleKeepAliveConnectionsAtOnceAndReturnsQuickly() throws Exception {
        try (var server = TestServer.start(ctx -> ctx.setBody("ok"))) {
            List<RawClient> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawClient c = RawClient.connect(server.port());
                    idle.add(c);
                    c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                    assertEquals(200, c.readResponse().statusCode());
                }
                RawClient silent = RawClient.connect(server.port());   // connected, never sent a byte
                idle.add(silent);
                LimitsIT.awaitTrue(() -> server.server().openConnections() == 4, "four connections open");

                CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(() -> server.server().shutdown(Duration.ofSeconds(10)));
                for (RawClient c : idle) assertTrue(c.awaitPeerClose(2000), "an idle connection is closed at once by shutdown");
                assertTrue(shutdown.get(3, TimeUnit.SECONDS), "shutdown of an idle server returns at once, and gracefully");
                assertEquals(0, server.server().openConnections());
            } finally {
                for (RawClient c : idle) c.close();
            }
        }
    }

    @Test
    @Timeout(20)
    void aRequestInFlightAtShutdownCompletesWithConnectionCloseAndShutdownWaitsForIt() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (var server = TestServer.start(ctx -> {
                 entered.countDown();
                 try {
                     release.await(10, TimeUnit.SECONDS);
                 } catch (InterruptedException e) {
                     Thread.currentThread().interrupt();
                 }
                 ctx.setBody("finished " + ctx.path());
             });
             var client = RawClient.connect(server.port())) {
            client.send("GET /inflight HTTP/1.1\r\nHost: a\r\n\r\nGET /pipelined HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(entered.await(5, TimeUnit.SECONDS));
            CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(() -> server.server().shutdown(Duration.ofSeconds(10)));
            LimitsIT.awaitTrue(() -> server.server().isShuttingDown(), "shutdown began");
            assertThrows(IOException.class, () -> RawClient.connect(server.port()).close(), "no new connections once shutdown began");
            assertFalse(shutdown.isDone(), "shutdown must wait for the request in flight");
            release.countDown();
            Response r = client.readResponse();
            assertEquals(200, r.statusCode());
            assertEquals("finished /inflight", r.body().toString());
            assertTrue(r.header().connectionClose(), "the last response before shutdown says Connection: close");
            assertEquals("", client.readUntilClose(), "the pipelined request behind it gets no answer");
            assertTrue(shutdown.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    @Timeout(30)
    void shutdownPastItsTimeoutForceClosesAndReturnsFalse() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (var server = TestServer.start(ctx -> {
                 entered.countDown();
                 try {
                     release.await(20, TimeUnit.SECONDS);
                 } catch (InterruptedException e) {
                     Thread.currentThread().interrupt();
                 }
                 ctx.setBody("late");
             });
             var client = RawClient.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(entered.await(5, TimeUnit.SECONDS));
            CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(() -> server.server().shutdown(Duration.ofMillis(500)));
            assertTrue(client.awaitPeerClose(5000), "the stuck connection is closed by force");
            release.countDown();   // let the handler return so that its context is released
            assertFalse(shutdown.get(10, TimeUnit.SECONDS), "a forced shutdown reports false");
            LimitsIT.awaitTrue(() -> server.server().contextsInUse() == 0, "the handler's context comes back");
        }
    }
}
