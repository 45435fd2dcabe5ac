package io.fasthttp4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.server.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HostClient against our own server over loopback: reuse, the pool's limits, idle expiry, framing. */
class HostClientIT {
    private final Request request = Client.acquireRequest();
    private final Response response = Client.acquireResponse();

    @AfterEach
    void releaseAndCheckPools() {
        Client.releaseRequest(request);
        Client.releaseResponse(response);
        assertEquals(0, Client.requestsInUse(), "Request acquired but not released");
        assertEquals(0, Client.responsesInUse(), "Response acquired but not released");
    }

    private static TestServer connIdServer() {
        return TestServer.start(ctx -> ctx.setBody(Long.toString(ctx.connId())));
    }

    private String get(HostClient client, String uri) throws IOException {
        request.reset();
        request.header().setRequestUri(uri);
        client.doRequest(request, response);
        return response.body().toString();
    }

    @Test
    @Timeout(10)
    void reusesOneConnectionForSequentialRequests() throws IOException {
        try (var server = connIdServer(); var client = HostClient.builder("127.0.0.1:" + server.port()).build()) {
            Set<String> connIds = new HashSet<>();
            for (int i = 0; i < 50; i++) connIds.add(get(client, "/n" + i));
            assertEquals(1, connIds.size(), "connection ids seen: " + connIds);
            assertEquals(1, client.connsCount());
            assertEquals(1, client.idleConnsCount());
            assertEquals(0, client.pendingRequests());
            client.close();
            assertEquals(0, client.connsCount(), "close() must close the idle connection");
        }
    }

    @Test
    @Timeout(10)
    void sendsOriginFormTargetAndHostFromAnAbsoluteUri() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody(ctx.method() + " " + ctx.requestHeader().requestUri() + " " + ctx.host()));
             var client = HostClient.builder("127.0.0.1:" + server.port()).build()) {
            assertEquals("GET /a/b?x=1 example.com:8080", get(client, "http://example.com:8080/a/b?x=1#frag"));
            assertEquals("GET /?q example.com", get(client, "http://example.com?q"));
            assertEquals("GET /c 127.0.0.1:" + server.port(), get(client, "/c"));
        }
    }

    @Test
    @Timeout(10)
    void postsBodyAndReadsTheEcho() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody(ctx.requestBody().toString().toUpperCase()));
             var client = HostClient.builder("127.0.0.1:" + server.port()).build()) {
            for (int i = 0; i < 3; i++) {
                request.reset();
                request.header().setMethod("POST");
                request.header().setRequestUri("/echo");
                request.setBody("hello " + i);
                client.doRequest(request, response);
                assertEquals(200, response.statusCode());
                assertEquals("HELLO " + i, response.body().toString());
            }
            assertEquals(1, client.connsCount());
        }
    }

    @Test
    @Timeout(10)
    void secondCallerWaitsForTheOnlyConnection() throws Exception {
        CountDownLatch firstArrived = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        try (var server = TestServer.start(ctx -> {
                 if (ctx.path().contentEquals("/slow")) {
                     firstArrived.countDown();
                     await(releaseFirst);
                 }
                 ctx.setBody(Long.toString(ctx.connId()));
             });
             var client = HostClient.builder("127.0.0.1:" + server.port()).maxConns(1).maxConnWaitTimeout(Duration.ofSeconds(5)).build()) {
            AtomicReference<String> first = new AtomicReference<>();
            Thread a = Thread.ofVirtual().start(() -> first.set(call(client, "/slow")));
            firstArrived.await();
            AtomicReference<String> second = new AtomicReference<>();
            Thread b = Thread.ofVirtual().start(() -> second.set(call(client, "/fast")));
            while (client.pendingRequests() < 2) Thread.onSpinWait();
            assertEquals(1, client.connsCount(), "the second caller must wait, not dial");
            releaseFirst.countDown();
            a.join();
            b.join();
            assertEquals(first.get(), second.get(), "both calls ran on the one connection");
            assertEquals(1, client.connsCount());
        }
    }

    @Test
    @Timeout(10)
    void failsWithNoFreeConnectionsOnceTheWaitIsOver() throws Exception {
        CountDownLatch firstArrived = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        try (var server = TestServer.start(ctx -> {
                 firstArrived.countDown();
                 await(releaseFirst);
             });
             var client = HostClient.builder("127.0.0.1:" + server.port()).maxConns(1).maxConnWaitTimeout(Duration.ofMillis(100)).build()) {
            Thread a = Thread.ofVirtual().start(() -> call(client, "/slow"));
            firstArrived.await();
            var e = assertThrows(HttpClientException.NoFreeConnections.class, () -> get(client, "/other"));
            assertTrue(e.getMessage().contains("maxConns=1"), e.getMessage());
            releaseFirst.countDown();
            a.join();
            assertEquals("", get(client, "/again"));   // the connection is free again
        }
    }

    @Test
    @Timeout(10)
    void closesIdleConnectionsAfterMaxIdleConnDuration() throws Exception {
        try (var server = connIdServer();
             var client = HostClient.builder("127.0.0.1:" + server.port()).maxIdleConnDuration(Duration.ofMillis(50)).build()) {
            String before = get(client, "/");
            assertEquals(1, client.connsCount());
            while (client.connsCount() > 0) Thread.sleep(5);   // the sweeper closes it
            String after = get(client, "/");
            assertTrue(!before.equals(after), "a new connection after the idle one expired");
        }
    }

    @Test
    @Timeout(10)
    void closeIdleConnectionsClosesThemNow() throws Exception {
        try (var server = connIdServer(); var client = HostClient.builder("127.0.0.1:" + server.port()).build()) {
            get(client, "/");
            assertEquals(1, client.closeIdleConnections());
            assertEquals(0, client.connsCount());
        }
    }

    @Test
    @Timeout(10)
    void doesNotReuseAConnectionTheServerSaidItWouldClose() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setConnectionClose().setBody(Long.toString(ctx.connId())));
             var client = HostClient.builder("127.0.0.1:" + server.port()).build()) {
            String first = get(client, "/");
            assertEquals(0, client.connsCount());
            assertTrue(!first.equals(get(client, "/")));
        }
    }

    @Test
    @Timeout(10)
    void closesTheConnectionAfterARequestThatAskedForIt() throws IOException {
        try (var server = connIdServer(); var client = HostClient.builder("127.0.0.1:" + server.port()).build()) {
            request.reset();
            request.header().setRequestUri("/");
            request.header().setConnectionClose(true);
            client.doRequest(request, response);
            assertEquals(200, response.statusCode());
            assertEquals(0, client.connsCount());
        }
    }

    @Test
    @Timeout(10)
    void readsHeadAnd204And304WithoutABodyAndKeepsTheConnection() throws IOException {
        try (var server = TestServer.start(ctx -> {
                 if (ctx.path().contentEquals("/204")) ctx.setStatusCode(204);
                 else if (ctx.path().contentEquals("/304")) ctx.notModified();
                 else ctx.setBody("hello, head");
             });
             var client = HostClient.builder("127.0.0.1:" + server.port()).build()) {
            request.header().setMethod("HEAD");
            request.header().setRequestUri("/");
            client.doRequest(request, response);
            assertEquals(200, response.statusCode());
            assertEquals(11, response.header().contentLength());
            assertEquals(0, response.body().length());
            assertEquals(204, statusOf(client, "/204"));
            assertEquals(304, statusOf(client, "/304"));
            assertEquals("hello, head", get(client, "/"));
            assertEquals(1, client.connsCount());
        }
    }

    @Test
    @Timeout(10)
    void readsAChunkedResponse() throws IOException {
        try (var server = TestServer.start(ctx -> {
                 ctx.responseHeader().setChunked(true);
                 ctx.setBody("x".repeat(10_000));
             });
             var client = HostClient.builder("127.0.0.1:" + server.port()).build()) {
            assertEquals("x".repeat(10_000), get(client, "/"));
            assertTrue(response.header().isChunked());
            assertEquals("x".repeat(10_000), get(client, "/"));
            assertEquals(1, client.connsCount());
        }
    }

    @Test
    @Timeout(10)
    void doTimeoutFailsWithTimeoutAndClosesTheConnection() throws IOException {
        CountDownLatch release = new CountDownLatch(1);
        try (var server = TestServer.start(ctx -> await(release));
             var client = HostClient.builder("127.0.0.1:" + server.port()).build()) {
            request.header().setRequestUri("/");
            assertThrows(HttpClientException.Timeout.class, () -> client.doTimeout(request, response, Duration.ofMillis(100)));
            assertEquals(0, client.connsCount());
            release.countDown();
        }
    }

    @Test
    @Timeout(10)
    void readsTheResponseBodyIntoAResponseThatOutlivesTheConnectionBuffer() throws IOException {
        try (var server = TestServer.start(ctx -> {
                 ctx.responseHeader().set("X-Path", ctx.path().toString());
                 ctx.setBody(ctx.path().toString());
             });
             var client = HostClient.builder("127.0.0.1:" + server.port()).build()) {
            Response kept = new Response();
            request.header().setRequestUri("/first");
            client.doRequest(request, kept);
            get(client, "/second-and-longer");   // reuses the connection and its read buffer
            assertEquals("/first", kept.header().get("X-Path"));
            assertEquals("/first", kept.body().toString());
        }
    }

    private int statusOf(HostClient client, String uri) throws IOException {
        request.reset();
        request.header().setRequestUri(uri);
        client.doRequest(request, response);
        assertEquals(0, response.body().length());
        return response.statusCode();
    }

    private static String call(HostClient client, String uri) {
        Request req = Client.acquireRequest();
        Response resp = Client.acquireResponse();
        try {
            req.header().setRequestUri(uri);
            client.doRequest(req, resp);
            return resp.body().toString();
        } catch (IOException e) {
            throw new RuntimeException(e);
        } finally {
            Client.releaseRequest(req);
            Client.releaseResponse(resp);
        }
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
