package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.Response;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every limit, from the codec through the server to the client: its status, its message, and the close. */
class LimitsIT {
    private static final HttpLimits SMALL = HttpLimits.builder()
            .maxRequestLineBytes(256)
            .maxHeaderBytes(1024)
            .maxHeaderCount(8)
            .maxBodyBytes(1000)
            .build();

    private static String headers(int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) sb.append("X-H").append(i).append(": v\r\n");
        return sb.toString();
    }

    private static String chunks(int chunkSize, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) sb.append(Integer.toHexString(chunkSize)).append("\r\n").append("c".repeat(chunkSize)).append("\r\n");
        return sb.append("0\r\n\r\n").toString();
    }

    static Stream<Arguments> overLimit() {
        return Stream.of(
                arguments("request line too long", "GET /" + "a".repeat(300) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414, "maxRequestLineBytes=256"),
                arguments("header section too large", "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(1100) + "\r\n\r\n", 431, "maxHeaderBytes=1024"),
                arguments("header section too large, never ending", "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(5000), 431, "maxHeaderBytes=1024"),
                arguments("too many headers", "GET / HTTP/1.1\r\nHost: a\r\n" + headers(20) + "\r\n", 431, "maxHeaderCount=8"),
                arguments("Content-Length body too large", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n" + "d".repeat(1001), 413, "maxBodyBytes=1000"),
                arguments("chunked body too large", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks(100, 11), 413, "maxBodyBytes=1000"),
                arguments("one chunk too large", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks(2000, 1), 413, "maxBodyBytes=1000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overLimit")
    @Timeout(10)
    void aRequestPastALimitGetsItsStatusAMessageNamingTheLimitAndAClose(String name, String raw, int status, String message) throws IOException {
        AtomicInteger handled = new AtomicInteger();
        try (var server = TestServer.start(ctx -> handled.incrementAndGet(), b -> b.limits(SMALL));
             var client = RawClient.connect(server.port())) {
            client.send(raw);
            Response r = client.readResponse();
            assertEquals(status, r.statusCode(), r.body().toString());
            assertTrue(r.header().connectionClose(), "a refused request gets Connection: close");
            assertTrue(r.body().toString().contains(message), "body should name the limit: " + r.body());
            assertTrue(client.awaitPeerClose(), "the server closes after refusing a request");
            assertEquals(0, handled.get(), "the handler never sees a refused request");
        }
    }

    @Test
    @Timeout(10)
    void requestsAtTheLimitsAreServed() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody("len=" + ctx.requestBody().length()), b -> b.limits(SMALL));
             var client = RawClient.connect(server.port())) {
            client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n" + "d".repeat(1000));
            assertEquals("len=1000", client.readResponse().body().toString());
            client.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks(100, 10));
            assertEquals("len=1000", client.readResponse().body().toString());
            client.send("GET / HTTP/1.1\r\nHost: a\r\n" + headers(7) + "\r\n");
            assertEquals(200, client.readResponse().statusCode());
            assertFalse(client.awaitPeerClose(200));
        }
    }

    @Test
    @Timeout(10)
    void defaultLimitsRefuseAnOversizedRequestLineAndHeader() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody("ok"))) {
            try (var client = RawClient.connect(server.port())) {
                client.send("GET /" + "a".repeat(HttpLimits.DEFAULT_MAX_REQUEST_LINE_BYTES) + " HTTP/1.1\r\nHost: a\r\n\r\n");
                Response r = client.readResponse();
                assertEquals(414, r.statusCode());
                assertTrue(r.body().toString().contains("maxRequestLineBytes=" + HttpLimits.DEFAULT_MAX_REQUEST_LINE_BYTES), r.body().toString());
                assertTrue(client.awaitPeerClose());
            }
            try (var client = RawClient.connect(server.port())) {
                client.send("GET / HTTP/1.1\r\nHost: a\r\nX: " + "a".repeat(9000) + "\r\n\r\n");
                Response r = client.readResponse();
                assertEquals(431, r.statusCode());
                assertTrue(r.body().toString().contains("maxHeaderBytes=" + HttpLimits.DEFAULT_MAX_HEADER_BYTES), r.body().toString());
                assertTrue(client.awaitPeerClose());
            }
        }
    }

    @Test
    @Timeout(10)
    void maxRequestBodySizeRefusesLargerBodiesWith413() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody("len=" + ctx.requestBody().length()), b -> b.maxRequestBodySize(64 * 1024))) {
            try (var client = RawClient.connect(server.port())) {
                client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + (64 * 1024) + "\r\n\r\n" + "e".repeat(64 * 1024));
                assertEquals("len=65536", client.readResponse().body().toString());
            }
            try (var client = RawClient.connect(server.port())) {
                client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + (64 * 1024 + 1) + "\r\n\r\n");
                Response r = client.readResponse();
                assertEquals(413, r.statusCode());
                assertTrue(r.header().connectionClose());
                assertTrue(r.body().toString().contains("maxBodyBytes=65536"), r.body().toString());
                assertTrue(client.awaitPeerClose());
            }
            try (var client = RawClient.connect(server.port())) {
                client.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks(4096, 17));
                Response r = client.readResponse();
                assertEquals(413, r.statusCode());
                assertTrue(r.header().connectionClose());
                assertTrue(client.awaitPeerClose());
            }
        }
    }

    @Test
    @Timeout(10)
    void getOnlyRefusesPostWith405AndCloses() throws IOException {
        AtomicInteger handled = new AtomicInteger();
        try (var server = TestServer.start(ctx -> ctx.setBody("n=" + handled.incrementAndGet()), b -> b.getOnly(true))) {
            try (var client = RawClient.connect(server.port())) {
                client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertEquals(200, client.readResponse().statusCode());
                client.send("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertEquals(200, client.readResponse(true).statusCode());
                client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
                Response r = client.readResponse();
                assertEquals(405, r.statusCode());
                assertTrue(r.header().connectionClose());
                assertTrue(r.body().toString().contains("POST"), r.body().toString());
                assertTrue(client.awaitPeerClose());
            }
            assertEquals(2, handled.get(), "the handler never sees the POST");
        }
    }

    @Test
    @Timeout(15)
    void maxConnsPerIpRefusesTheThirdConnectionWith429AndAcceptsAgainAfterOneCloses() throws Exception {
        try (var server = TestServer.start(ctx -> ctx.setBody("ok"), b -> b.maxConnsPerIp(2));
             var first = RawClient.connect(server.port());
             var second = RawClient.connect(server.port())) {
            for (RawClient c : new RawClient[] {first, second}) {
                c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertEquals(200, c.readResponse().statusCode());
            }
            try (var third = RawClient.connect(server.port())) {
                Response r = third.readResponse();   // refused before it sends anything
                assertEquals(429, r.statusCode());
                assertTrue(r.header().connectionClose());
                assertTrue(third.awaitPeerClose());
            }
            assertEquals(1, server.server().rejectedConnections());
            // The first two are unaffected.
            second.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(200, second.readResponse().statusCode());

            first.close();
            awaitTrue(() -> server.server().openConnections() == 1, "the server notices the closed connection");
            try (var fourth = RawClient.connect(server.port())) {
                fourth.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertEquals(200, fourth.readResponse().statusCode(), "a slot freed by a close is usable again");
            }
            assertEquals(1, server.server().rejectedConnections());
        }
    }

    @Test
    @Timeout(15)
    void concurrencyLimitAnswersAnExtraConnectionWithAFast503AndServesAgainAfterward() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(2);
        RequestHandler blocking = ctx -> {
            if (ctx.path().contentEquals("/block")) {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ctx.setBody("done");
        };
        try (var server = TestServer.start(blocking, b -> b.concurrency(2))) {
            var a = RawClient.connect(server.port());
            var b = RawClient.connect(server.port());
            try {
                a.send("GET /block HTTP/1.1\r\nHost: a\r\n\r\n");
                b.send("GET /block HTTP/1.1\r\nHost: a\r\n\r\n");
                assertTrue(entered.await(5, TimeUnit.SECONDS), "both handlers running");
                try (var c = RawClient.connect(server.port())) {
                    c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                    Response r = c.readResponse();   // within RawClient's 5 s read timeout, while both handlers still block
                    assertEquals(503, r.statusCode());
                    assertTrue(r.header().connectionClose());
                    assertTrue(c.awaitPeerClose());
                }
                assertEquals(1, server.server().rejectedConnections());
                release.countDown();
                assertEquals("done", a.readResponse().body().toString());
                assertEquals("done", b.readResponse().body().toString());
            } finally {
                release.countDown();
                a.close();
                b.close();
            }
            awaitTrue(() -> server.server().currentConcurrency() == 0, "workers free again once their connections close");
            try (var d = RawClient.connect(server.port())) {
                d.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertEquals("done", d.readResponse().body().toString());
            }
            assertEquals(1, server.server().rejectedConnections());
        }
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 5 s: " + what);
            Thread.sleep(10);
        }
    }
}
