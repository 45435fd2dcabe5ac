package io.fasthttp4j.client;

import static io.fasthttp4j.client.PipelineClientIT.awaitSize;
import static io.fasthttp4j.client.PipelineClientIT.echoEach;
import static io.fasthttp4j.client.PipelineClientIT.firstLine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.client.PipelineClientIT.Call;
import io.fasthttp4j.server.RequestHandler;
import io.fasthttp4j.server.TestServer;
import io.fasthttp4j.tls.TestCertificates;
import io.fasthttp4j.tls.TlsConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PipelineClient over TLS (issue 14): against our own HTTPS server (the build runs this once per
 * server transport), the JDK's HttpsServer as a foreign one, and scripted TLS servers (the JDK's
 * SSLServerSocket), for requests
 * pipelined in order under many callers, large bodies each way while the reader and writer share one
 * TLS engine, trust and host-name failures, servers that end connections, and timeouts. Every test
 * checks that no pooled object is left out.
 */
class PipelineClientTlsIT {
    private static final int FIVE_MB = 5 << 20;

    @TempDir
    static Path dir;
    static TestCertificates ca;
    static TlsConfig localhost;
    static TlsConfig exampleTest;   // a certificate naming example.test only
    static SSLContext untrusting;   // trusts another CA

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.newCa(Files.createDirectories(dir.resolve("ca")));
        TestCertificates.Issued local = ca.issueLocalhost(TestCertificates.KeyType.EC);
        localhost = TlsConfig.builder().certificate(local.chain(), local.key()).build();
        TestCertificates.Issued example = ca.issue("example.test", TestCertificates.KeyType.EC, "DNS:example.test");
        exampleTest = TlsConfig.builder().certificate(example.chain(), example.key()).build();
        untrusting = TestCertificates.newCa(Files.createDirectories(dir.resolve("other"))).clientContext();
    }

    @AfterEach
    void checkSharedPools() {
        assertEquals(0, Client.requestsInUse(), "Request acquired but not released");
        assertEquals(0, Client.responsesInUse(), "Response acquired but not released");
    }

    private static TestServer start(RequestHandler handler) {
        return TestServer.start(handler, b -> b.tls(localhost).maxRequestBodySize(8 << 20));
    }

    private static RequestHandler echo(Set<Long> connIds) {
        return ctx -> {
            connIds.add(ctx.connId());
            ctx.responseHeader().set("X-Tls", Boolean.toString(ctx.isTls()));
            if (ctx.isPost()) ctx.setBody(ctx.requestBody().toBytes());
            else ctx.setBody(ctx.requestHeader().requestUri().toString());
        };
    }

    private static PipelineClient.Builder tlsClient(String addr) {
        return PipelineClient.builder(addr).tls(true).sslContext(ca.clientContext());
    }

    /** Nothing counted, nothing pooled out, and after close no connection. */
    private static void assertNothingLeft(PipelineClient client) {
        assertEquals(0, client.pendingRequests(), "calls still counted");
        assertEquals(0, client.worksInUse(), "queue items acquired and not released");
        client.close();
        assertEquals(0, client.connsCount(), "connections still open after close");
    }

    // ---- our server ----

    @Test
    @Timeout(120)
    void everyCallerGetsItsOwnResponseWhenManyCallersPipelineGetsAndPostsOverTwoTlsConnections() throws Exception {
        Set<Long> connIds = ConcurrentHashMap.newKeySet();
        try (var server = start(echo(connIds)); var client = tlsClient("localhost:" + server.port()).maxConns(2).build()) {
            List<String> wrong = new CopyOnWriteArrayList<>();
            AtomicInteger answered = new AtomicInteger();
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                int caller = t;
                callers.add(Thread.ofVirtual().start(() -> callMany(client, caller, 300, answered, wrong)));
            }
            for (Thread t : callers) t.join();
            assertEquals(List.of(), wrong.subList(0, Math.min(5, wrong.size())));
            assertEquals(32 * 300, answered.get());
            assertTrue(connIds.size() <= 2, "connections: " + connIds);
            assertNothingLeft(client);
        }
    }

    private static void callMany(PipelineClient client, int caller, int calls, AtomicInteger answered, List<String> wrong) {
        Request request = Client.acquireRequest();
        Response response = Client.acquireResponse();
        try {
            for (int i = 0; i < calls; i++) {
                String expected = "/c" + caller + "/r" + i;
                request.reset();
                request.header().setRequestUri(expected);
                if (i % 2 == 1) {
                    request.header().setMethod("POST");
                    expected = "posted by " + caller + " #" + i;
                    request.setBody(expected);
                }
                client.doRequest(request, response);
                if (response.body().toString().equals(expected) && "true".equals(response.header().get("X-Tls"))) answered.incrementAndGet();
                else wrong.add(expected + " got " + response.body() + ", X-Tls " + response.header().get("X-Tls"));
            }
        } catch (IOException e) {
            wrong.add("caller " + caller + ": " + e);
        } finally {
            Client.releaseRequest(request);
            Client.releaseResponse(response);
        }
    }

    @Test
    @Timeout(120)
    void carriesFiveMegabyteBodiesEachWayWhileOtherCallsShareTheConnection() throws Exception {
        Set<Long> connIds = ConcurrentHashMap.newKeySet();
        try (var server = start(echo(connIds)); var client = tlsClient("localhost:" + server.port()).build()) {
            List<String> wrong = new CopyOnWriteArrayList<>();
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                byte[] big = new byte[FIVE_MB];
                for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31 + t);
                callers.add(Thread.ofVirtual().start(() -> {
                    Request request = Client.acquireRequest();
                    Response response = Client.acquireResponse();
                    try {
                        for (int round = 0; round < 2; round++) {
                            request.reset();
                            request.header().setMethod("POST");
                            request.header().setRequestUri("/echo");
                            request.setBody(big);
                            client.doRequest(request, response);
                            if (!java.util.Arrays.equals(big, response.body().toBytes())) wrong.add("5 MB echo differs, " + response.body().length() + " bytes");
                        }
                    } catch (IOException e) {
                        wrong.add(e.toString());
                    } finally {
                        Client.releaseRequest(request);
                        Client.releaseResponse(response);
                    }
                }));
            }
            AtomicInteger answered = new AtomicInteger();
            callers.add(Thread.ofVirtual().start(() -> callMany(client, 99, 200, answered, wrong)));   // small calls in between
            for (Thread t : callers) t.join();
            assertEquals(List.of(), wrong);
            assertEquals(200, answered.get());
            assertEquals(1, connIds.size(), "one connection carried it all");
            assertNothingLeft(client);
        }
    }

    @Test
    @Timeout(30)
    void failsWithSslHandshakeExceptionNamingTheHostWhenTheCertificateDoesNotNameIt() throws Exception {
        try (var server = TestServer.start(ctx -> ctx.setBody("ok"), b -> b.tls(exampleTest));
             var byName = tlsClient("localhost:" + server.port()).build();
             var byIp = tlsClient("127.0.0.1:" + server.port()).build();
             var rightName = tlsClient("example.test:" + server.port())
                     .resolver(host -> new InetAddress[] {InetAddress.getLoopbackAddress()}).build()) {
            var e = Call.start(byName, "GET", "/", null).failure(SSLHandshakeException.class);
            assertTrue(e.getMessage().startsWith("TLS handshake with localhost:" + server.port() + " failed: "), e.getMessage());
            assertTrue(e.getMessage().contains("No subject alternative DNS name matching localhost"), e.getMessage());
            e = Call.start(byIp, "GET", "/", null).failure(SSLHandshakeException.class);
            assertTrue(e.getMessage().contains("No subject alternative names matching IP address 127.0.0.1"), e.getMessage());
            Call.start(rightName, "GET", "/", null).assertBody("200 ok");   // the same trust, the name in the certificate
            awaitNoConns(byName);
            awaitNoConns(byIp);
            assertNothingLeft(byName);
            assertNothingLeft(byIp);
            assertNothingLeft(rightName);
        }
    }

    @Test
    @Timeout(30)
    void refusesACertificateFromAnUntrustedIssuerAndSendsNothing() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (var server = start(ctx -> requests.incrementAndGet());
             var client = PipelineClient.builder("localhost:" + server.port()).tls(true).sslContext(untrusting).build();
             var jdkTrust = PipelineClient.builder("localhost:" + server.port()).tls(true).build()) {
            List<Call> calls = new ArrayList<>();
            for (int i = 0; i < 5; i++) calls.add(Call.start(client, "GET", "/" + i, null));
            for (Call call : calls) {
                var e = call.failure(SSLHandshakeException.class);
                assertTrue(e.getMessage().startsWith("TLS handshake with localhost:" + server.port() + " failed: "), e.getMessage());
                assertTrue(e.getMessage().contains("PKIX path"), e.getMessage());   // building or validation: both CAs have the same name
            }
            Call.start(jdkTrust, "GET", "/", null).failure(SSLHandshakeException.class);   // the JDK's trust store: not ours either
            assertEquals(0, requests.get(), "no request may have reached the handler");
            awaitNoConns(client);
            assertNothingLeft(client);
            assertNothingLeft(jdkTrust);
        }
    }

    @Test
    @Timeout(60)
    void retriesIdempotentCallsWhenTheServerClosesEveryTenthResponseWithConnectionClose() throws Exception {
        Map<Long, AtomicInteger> perConn = new ConcurrentHashMap<>();
        try (var server = start(ctx -> {
                 if (perConn.computeIfAbsent(ctx.connId(), id -> new AtomicInteger()).incrementAndGet() % 10 == 0) ctx.setConnectionClose();
                 ctx.setBody(ctx.requestHeader().requestUri().toString());
             });
             var client = tlsClient("localhost:" + server.port()).maxConns(2).build()) {
            List<Call> calls = new ArrayList<>();
            for (int t = 0; t < 8; t++) calls.add(Call.repeat(client, "/t" + t, 100, null));
            for (int t = 0; t < 8; t++) calls.get(t).assertBody("100 answers");
            assertTrue(perConn.size() >= 8 * 100 / 10, "the server ended a connection every ten responses: " + perConn.size() + " connections");
            assertNothingLeft(client);
        }
    }

    @Test
    @Timeout(30)
    void dialsAgainWhenTheServerClosedTheIdleConnection() throws Exception {
        Set<Long> connIds = ConcurrentHashMap.newKeySet();
        try (var server = TestServer.start(echo(connIds), b -> b.tls(localhost).idleTimeout(Duration.ofMillis(200)));
             var client = tlsClient("localhost:" + server.port()).build()) {
            Call.start(client, "GET", "/1", null).assertBody("200 /1");
            long waitUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (client.connsCount() > 0 && System.nanoTime() - waitUntil < 0) Thread.sleep(10);   // the server's close_notify and FIN ended it
            assertEquals(0, client.connsCount(), "the reader saw the server's close");
            Call.start(client, "GET", "/2", null).assertBody("200 /2");
            assertEquals(2, connIds.size());
            assertNothingLeft(client);
        }
    }

    @Test
    @Timeout(30)
    void aCallThatTimesOutInFlightClosesItsTlsConnectionAndTheNextCallDialsAgain() throws Exception {
        Set<Long> connIds = ConcurrentHashMap.newKeySet();
        RequestHandler echo = echo(connIds);
        try (var server = start(ctx -> {
                 if (ctx.path().toString().equals("/slow")) sleep(1000);
                 echo.handle(ctx);
             });
             var client = tlsClient("localhost:" + server.port()).build()) {
            Call.start(client, "GET", "/warm", null).assertBody("200 /warm");
            var e = Call.start(client, "GET", "/slow", Duration.ofMillis(200)).failure(HttpClientException.Timeout.class);
            assertTrue(e.getMessage().contains("it was in flight, so its connection was closed"), e.getMessage());
            Call.start(client, "GET", "/after", null).assertBody("200 /after");
            assertEquals(2, connIds.size(), "a new connection after the timeout");
            assertNothingLeft(client);
        }
    }

    @Test
    @Timeout(30)
    void readTimeoutFailsTheLateRequestAndTheOneBehindIt() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (var server = RawServer.startTls(TlsServer.serverContext(TlsServer.LOCALHOST), (conn, index) -> {
                 for (String r; (r = conn.readRequest()) != null; ) seen.add(firstLine(r));   // never answers
             });
             var client = PipelineClient.builder("localhost:" + server.port()).tls(true).sslContext(TlsServer.trusting(TlsServer.LOCALHOST))
                     .readTimeout(Duration.ofMillis(300)).build()) {
            Call first = Call.start(client, "GET", "/1", null);
            awaitSize(seen, 1);
            Call second = Call.start(client, "GET", "/2", null);
            var late = first.failure(HttpClientException.Timeout.class);
            assertTrue(late.getMessage().contains("readTimeout=300ms"), late.getMessage());
            var behind = second.failure(HttpClientException.ConnectionClosed.class);
            assertTrue(behind.getMessage().contains("an earlier request on it timed out"), behind.getMessage());
            awaitNoConns(client);
            assertNothingLeft(client);
        }
    }

    @Test
    @Timeout(30)
    void aStalledHandshakeFailsTheQueuedCallsWithDialTimeout() throws Exception {
        try (var server = new HostClientTlsIT.SilentServer();
             var client = tlsClient("localhost:" + server.port()).dialTimeout(Duration.ofMillis(200)).build()) {
            var e = Call.start(client, "GET", "/", null).failure(HttpClientException.DialTimeout.class);
            assertTrue(e.getMessage().contains("dialTimeout=200ms"), e.getMessage());
            assertTrue(server.awaitPeerClose(0), "the client must close the socket");
            awaitNoConns(client);
            assertNothingLeft(client);
        }
    }

    @Test
    @Timeout(30)
    void tunnelsTlsThroughAProxy() throws Exception {
        Set<Long> connIds = ConcurrentHashMap.newKeySet();
        try (var server = start(echo(connIds));
             var proxy = ConnectProxy.tunnelling();
             var client = tlsClient("localhost:" + server.port()).proxy(proxy.addr()).build()) {
            List<Call> calls = new ArrayList<>();
            for (int t = 0; t < 4; t++) calls.add(Call.repeat(client, "/p" + t, 50, null));
            for (int t = 0; t < 4; t++) calls.get(t).assertBody("50 answers");
            assertEquals(List.of("CONNECT localhost:" + server.port()), proxy.requests.stream().map(PipelineClientIT::firstLine).toList());
            assertNothingLeft(client);
        }
    }

    // ---- scripted TLS servers ----

    @Test
    @Timeout(30)
    void writesRequestsBehindEachOtherBeforeTheFirstResponseAndReadsTheAnswersInOrder() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (var server = RawServer.startTls(TlsServer.serverContext(TlsServer.LOCALHOST), (conn, index) -> {
                 StringBuilder answers = new StringBuilder();
                 for (int i = 0; i < 3; i++) {
                     String path = firstLine(conn.readRequest()).split(" ")[1];
                     seen.add(path);
                     answers.append("HTTP/1.1 200 OK\r\nContent-Length: ").append(path.length()).append("\r\n\r\n").append(path);
                 }
                 conn.write(answers.toString());   // three responses in one TLS write, after three requests
                 echoEach(conn, seen);
             });
             var client = PipelineClient.builder("localhost:" + server.port()).tls(true).sslContext(TlsServer.trusting(TlsServer.LOCALHOST)).build()) {
            List<Call> calls = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                calls.add(Call.start(client, "GET", "/" + i, null));
                awaitSize(seen, i);
            }
            for (int i = 1; i <= 3; i++) calls.get(i - 1).assertBody("200 /" + i);
            assertEquals(1, server.accepted());
            assertNothingLeft(client);
        }
    }

    @Test
    @Timeout(60)
    void answersTheServersKeyUpdatesWhileTheWriterIsBusy() throws Exception {
        AtomicInteger keyUpdates = new AtomicInteger();
        try (var server = RawServer.startTls(TlsServer.serverContext(TlsServer.LOCALHOST), (conn, index) -> {
                 var socket = (javax.net.ssl.SSLSocket) conn.socket;
                 int n = 0;
                 for (String r; (r = conn.readRequest()) != null; ) {
                     String path = firstLine(r).split(" ")[1];
                     conn.write("HTTP/1.1 200 OK\r\nContent-Length: " + path.length() + "\r\n\r\n" + path);
                     if (++n % 7 == 0 && socket.getSession().getProtocol().equals("TLSv1.3")) {
                         socket.startHandshake();   // TLS 1.3, after the handshake: a KeyUpdate asking for one back
                         keyUpdates.incrementAndGet();
                     }
                 }
             });
             var client = PipelineClient.builder("localhost:" + server.port()).tls(true).sslContext(TlsServer.trusting(TlsServer.LOCALHOST)).build()) {
            List<Call> calls = new ArrayList<>();
            for (int t = 0; t < 8; t++) calls.add(Call.repeat(client, "/k" + t, 100, null));
            for (int t = 0; t < 8; t++) calls.get(t).assertBody("100 answers");
            assertTrue(keyUpdates.get() >= 100, "key updates: " + keyUpdates);
            assertEquals(1, server.accepted(), "a record out of order would have broken the connection");
            assertNothingLeft(client);
        }
    }

    static Stream<Arguments> firstResponseEndsTheConnection() {
        return PipelineClientIT.firstResponseEndsTheConnection();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("firstResponseEndsTheConnection")
    @Timeout(30)
    void requestsSentBehindAResponseThatEndsTheTlsConnectionAreSentAgainOnlyIfIdempotent(String name, String first) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (var server = RawServer.startTls(TlsServer.serverContext(TlsServer.LOCALHOST), (conn, index) -> {
                 if (index == 0) {
                     for (int i = 0; i < 3; i++) seen.add(firstLine(conn.readRequest()));
                     conn.write(first);
                     return;   // RawServer closes the socket (SSLSocket: close_notify first)
                 }
                 echoEach(conn, seen);
             });
             var client = PipelineClient.builder("localhost:" + server.port()).tls(true).sslContext(TlsServer.trusting(TlsServer.LOCALHOST)).build()) {
            Call get1 = Call.start(client, "GET", "/1", null);
            awaitSize(seen, 1);
            Call post2 = Call.start(client, "POST", "/2", null);
            awaitSize(seen, 2);
            Call get3 = Call.start(client, "GET", "/3", null);
            get1.assertBody("200 /1");
            get3.assertBody("200 /3");
            var e = post2.failure(HttpClientException.ConnectionClosed.class);
            assertTrue(e.getMessage().contains("after 0 bytes of this response"), e.getMessage());
            assertEquals(List.of("GET /1", "POST /2", "GET /3", "GET /3"), seen, "GET /3 again on a new connection, POST /2 not");
            assertEquals(2, server.accepted());
            assertNothingLeft(client);
        }
    }

    // ---- a foreign server ----

    // One call at a time: the JDK's HttpsServer does not answer pipelined requests that arrive as
    // separate TLS records in one read (it unwraps one record, then waits for the socket to be
    // readable again, until its idle timeout closes the connection). Plain, or in one record, it does.
    @Test
    @Timeout(60)
    void speaksToTheJdkHttpsServerOverOneKeptAliveConnection() throws Exception {
        try (var server = TlsServer.start(TlsServer.LOCALHOST);
             var client = PipelineClient.builder("localhost:" + server.port()).tls(true).sslContext(TlsServer.trusting(TlsServer.LOCALHOST)).build()) {
            Request request = Client.acquireRequest();
            Response response = Client.acquireResponse();
            try {
                for (int i = 0; i < 50; i++) {
                    request.reset();
                    request.header().setMethod("POST");
                    request.header().setRequestUri("/echo");
                    request.setBody("call " + i + " " + "x".repeat(i * 1000));   // up to 49 KB: several records
                    client.doRequest(request, response);
                    assertEquals("call " + i + " " + "x".repeat(i * 1000), response.body().toString());
                    request.reset();
                    request.header().setRequestUri("/sni");
                    client.doRequest(request, response);
                    assertEquals("localhost", response.body().toString());
                }
            } finally {
                Client.releaseRequest(request);
                Client.releaseResponse(response);
            }
            assertEquals(1, server.clientPorts.size(), "connections: " + server.clientPorts);
            assertNothingLeft(client);
        }
    }

    @Test
    @Timeout(30)
    void httpsOnTheDefaultPortWhenTheAddressNamesNone() {
        try (var client = PipelineClient.builder("localhost").tls(true).build()) {
            assertEquals(443, client.port());
        }
        try (var client = PipelineClient.builder("localhost").build()) {
            assertEquals(80, client.port());
        }
    }

    // ---- helpers ----

    private static void awaitNoConns(PipelineClient client) throws InterruptedException {
        long waitUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (client.connsCount() > 0 && System.nanoTime() - waitUntil < 0) Thread.sleep(5);
        assertEquals(0, client.connsCount(), "a failed connection must not stay counted");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
