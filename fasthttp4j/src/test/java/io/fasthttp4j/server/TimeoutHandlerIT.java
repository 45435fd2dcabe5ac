package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Response;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** fasthttp's TimeoutHandler (issue 13): a late handler gets its status and message out, and its own response dropped. */
class TimeoutHandlerIT {
    @Test
    @Timeout(10)
    void aLateHandlerIsAnsweredForAndItsResponseDropped() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> lateSawCancel = new CompletableFuture<>();
        RequestHandler slow = ctx -> {
            release.await(5, TimeUnit.SECONDS);
            lateSawCancel.complete(ctx.isCancelled());
            ctx.setBody("too late");
        };
        try (var server = TestServer.start(TimeoutHandler.wrap(slow, Duration.ofMillis(200), "the service took too long"));
             var client = RawClient.connect(server.port())) {
            client.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            Response r = client.readResponse();
            assertEquals(503, r.statusCode());
            assertEquals("the service took too long", r.body().toString());
            assertTrue(r.header().connectionClose());
            assertTrue(client.awaitPeerClose());
            assertEquals(1, server.server().contextsInUse(), "the late handler still holds its context");
            release.countDown();
            assertTrue(lateSawCancel.get(5, TimeUnit.SECONDS), "the late handler sees isCancelled()");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.server().contextsInUse() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(0, server.server().contextsInUse(), "released once the late handler is done");
        }
    }

    @Test
    @Timeout(10)
    void aHandlerWithinItsLimitAnswersAsUsualAndKeepsTheConnection() throws Exception {
        RequestHandler quick = ctx -> ctx.setBody("hello " + ctx.queryArgs().get("n"));
        try (var server = TestServer.start(TimeoutHandler.wrap(quick, Duration.ofSeconds(5), "late", 504));
             var client = RawClient.connect(server.port())) {
            for (int i = 0; i < 3; i++) {
                client.send("GET /?n=" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
                Response r = client.readResponse();
                assertEquals(200, r.statusCode());
                assertEquals("hello " + i, r.body().toString());
            }
        }
    }

    @Test
    @Timeout(10)
    void theStatusIsTheOneAskedFor() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (var server = TestServer.start(TimeoutHandler.wrap(ctx -> release.await(5, TimeUnit.SECONDS), Duration.ofMillis(100), "late", 504));
             var client = RawClient.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(504, client.readResponse().statusCode());
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.server().contextsInUse() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
        }
    }

    @Test
    @Timeout(10)
    void anExceptionOfTheInnerHandlerIsA500() throws Exception {
        try (var server = TestServer.start(TimeoutHandler.wrap(ctx -> {
                 throw new IllegalStateException("boom");
             }, Duration.ofSeconds(5), "late"));
             var client = RawClient.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(500, client.readResponse().statusCode());
        }
    }
}
