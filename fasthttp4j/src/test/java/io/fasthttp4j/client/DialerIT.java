package io.fasthttp4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.server.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How connections are set up, pooled or pipelined: the DNS cache (its TTL, round-robin, fallback, IP literals) and the limit on dials in flight. */
class DialerIT {
    private static final String CLOSE_A = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\na";
    private static final String CLOSE_B = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\nb";

    private final Request request = Client.acquireRequest();
    private final Response response = Client.acquireResponse();

    @AfterEach
    void releaseAndCheckPools() {
        Client.releaseRequest(request);
        Client.releaseResponse(response);
        assertEquals(0, Client.requestsInUse(), "Request acquired but not released");
        assertEquals(0, Client.responsesInUse(), "Response acquired but not released");
    }

    /** Counts lookups and answers with {@code addresses}, or the system's answer when there are none. */
    static final class CountingResolver implements DnsCache.Resolver {
        final List<String> lookups = new CopyOnWriteArrayList<>();
        private final InetAddress[] addresses;

        CountingResolver(InetAddress... addresses) {
            this.addresses = addresses;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            lookups.add(host);
            return addresses.length > 0 ? addresses : InetAddress.getAllByName(host);
        }
    }

    private String get(HostClient client) throws IOException {
        request.reset();
        request.header().setRequestUri("/");
        client.doRequest(request, response);
        assertEquals(200, response.statusCode());
        return response.body().toString();
    }

    private static TestServer closingServer() {
        return TestServer.start(ctx -> ctx.setConnectionClose().setBody("ok"));   // every call dials anew
    }

    @Test
    @Timeout(20)
    void looksANameUpOnceWithinTheTtl() throws IOException {
        var resolver = new CountingResolver();
        try (var server = closingServer(); var client = HostClient.builder("localhost:" + server.port()).resolver(resolver).build()) {
            for (int i = 0; i < 3; i++) assertEquals("ok", get(client));
            assertEquals(List.of("localhost"), resolver.lookups, "three dials, one lookup (default TTL 1 minute)");
        }
    }

    @Test
    @Timeout(20)
    void looksTheNameUpAgainOnceTheTtlHasPassed() throws Exception {
        var resolver = new CountingResolver();
        try (var server = closingServer();
             var client = HostClient.builder("localhost:" + server.port()).resolver(resolver).dnsCacheDuration(Duration.ofMillis(200)).build()) {
            get(client);
            get(client);
            assertEquals(1, resolver.lookups.size());
            Thread.sleep(300);
            get(client);
            assertEquals(2, resolver.lookups.size(), "the entry expired");
        }
    }

    @Test
    @Timeout(20)
    void zeroDurationLooksTheNameUpForEachDial() throws IOException {
        var resolver = new CountingResolver();
        try (var server = closingServer();
             var client = HostClient.builder("localhost:" + server.port()).resolver(resolver).dnsCacheDuration(Duration.ZERO).build()) {
            for (int i = 0; i < 3; i++) get(client);
            assertEquals(3, resolver.lookups.size());
        }
    }

    @Test
    @Timeout(20)
    void neverLooksUpAnIpLiteral() throws IOException {
        var resolver = new CountingResolver();
        try (var server = closingServer(); var client = HostClient.builder("127.0.0.1:" + server.port()).resolver(resolver).build()) {
            for (int i = 0; i < 3; i++) get(client);
            assertEquals(List.of(), resolver.lookups);
        }
    }

    @Test
    @Timeout(20)
    void aReusedConnectionNeedsNoLookup() throws IOException {
        var resolver = new CountingResolver();
        try (var server = TestServer.start(ctx -> ctx.setBody("ok"));
             var client = HostClient.builder("localhost:" + server.port()).resolver(resolver).dnsCacheDuration(Duration.ZERO).build()) {
            for (int i = 0; i < 5; i++) get(client);
            assertEquals(1, resolver.lookups.size(), "only the one dial looks up, even without caching");
            assertEquals(1, client.connsCount());
        }
    }

    @Test
    @Timeout(20)
    void dialsEveryAddressOfANameRoundRobin() throws IOException {
        InetAddress first = InetAddress.getByName("127.0.0.1");
        InetAddress second = InetAddress.getByName("127.0.0.2");
        try (var a = RawServer.answering(first, 0, CLOSE_A);
             var b = RawServer.answering(second, a.port(), CLOSE_B);
             var client = HostClient.builder("multi.test:" + a.port()).resolver(new CountingResolver(first, second)).build()) {
            StringBuilder seen = new StringBuilder();
            for (int i = 0; i < 4; i++) seen.append(get(client));
            assertEquals("abab", seen.toString());
            assertEquals(2, b.accepted(), "127.0.0.2 got every other dial");
            assertTrue(a.requests.get(0).contains("Host: multi.test:" + a.port()), a.requests.get(0));
        }
    }

    @Test
    @Timeout(20)
    void movesOnToTheNextAddressWhenOneRefuses() throws IOException {
        InetAddress nothingThere = InetAddress.getByName("127.0.0.3");
        try (var a = RawServer.answering(CLOSE_A);
             var client = HostClient.builder("multi.test:" + a.port())
                     .resolver(new CountingResolver(nothingThere, InetAddress.getLoopbackAddress())).build()) {
            for (int i = 0; i < 4; i++) assertEquals("a", get(client), "call " + i);
            assertEquals(4, a.accepted());
        }
    }

    @Test
    @Timeout(20)
    void failsWithTheConnectErrorWhenNoAddressTakesTheConnection() throws IOException {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (var client = HostClient.builder("multi.test:" + port)
                     .resolver(new CountingResolver(InetAddress.getByName("127.0.0.3"), InetAddress.getByName("127.0.0.4"))).build()) {
            var e = assertThrows(java.net.ConnectException.class, () -> get(client));
            assertEquals(1, e.getSuppressed().length, "the second address's failure rides along");
            assertEquals(0, client.connsCount());
        }
    }

    @Test
    @Timeout(20)
    void failsWithUnknownHostAndGivesTheCountBack() throws IOException {
        try (var client = HostClient.builder("nowhere.test:80").maxConns(1).resolver(host -> {
            throw new UnknownHostException(host);
        }).build()) {
            for (int i = 0; i < 3; i++) assertThrows(UnknownHostException.class, () -> get(client));   // maxConns=1 is free again each time
            assertEquals(0, client.connsCount());
        }
    }

    @Test
    @Timeout(20)
    void aPipelineClientDialsThroughTheDnsCacheToo() throws IOException {
        var resolver = new CountingResolver();
        try (var server = closingServer();
             var client = PipelineClient.builder("localhost:" + server.port()).resolver(resolver).build()) {
            for (int i = 0; i < 3; i++) {
                request.reset();
                request.header().setRequestUri("/");
                client.doRequest(request, response);
                assertEquals("ok", response.body().toString());
            }
            assertEquals(List.of("localhost"), resolver.lookups, "three connections, one lookup");
        }
    }

    @Test
    @Timeout(30)
    void keepsAtMostMaxConcurrentDialsInFlight() throws Exception {
        try (var server = new HostClientTlsIT.SilentServer();   // TLS handshakes that never end keep dials in flight
             var client = Client.builder().maxConcurrentDials(2).dialTimeout(Duration.ofSeconds(10))
                     .sslContext(TlsServer.trusting(TlsServer.LOCALHOST)).build()) {
            String url = "https://localhost:" + server.port() + "/";
            List<Thread> stalled = new ArrayList<>();
            List<Throwable> stalledFailures = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 2; i++) stalled.add(Thread.ofVirtual().start(() -> stalledFailures.add(call(client, url, Duration.ofSeconds(10)))));
            while (server.accepted.size() < 2) Thread.sleep(5);

            for (int i = 0; i < 3; i++) {   // a third dial waits for a slot within its deadline, and gets none
                Throwable e = call(client, "https://127.0.0.1:" + server.port() + "/", Duration.ofMillis(150));
                assertInstanceOf(HttpClientException.DialTimeout.class, e);
                assertEquals("dialing 127.0.0.1:" + server.port() + ": timed out waiting for one of maxConcurrentDials=2 dials in flight to end",
                        e.getMessage());
            }
            Thread.sleep(100);
            assertEquals(2, server.accepted.size(), "no third connection reached the server");
            assertEquals(2, client.connsCount(), "the two stalled dials");

            for (var s : server.accepted) s.close();   // the stalled handshakes fail: their slots come free
            for (Thread t : stalled) t.join();
            assertEquals(2, stalledFailures.size());
            for (Throwable e : stalledFailures) assertInstanceOf(javax.net.ssl.SSLHandshakeException.class, e);
            assertInstanceOf(HttpClientException.DialTimeout.class, call(client, url, Duration.ofMillis(300)));
            assertEquals(3, server.accepted.size(), "a slot was free again: the next dial reached the server");
            assertEquals(0, client.connsCount());
        }
    }

    private static Throwable call(Client client, String url, Duration timeout) {
        Request req = Client.acquireRequest();
        Response resp = Client.acquireResponse();
        try {
            req.header().setRequestUri(url);
            client.doTimeout(req, resp, timeout);
            return null;
        } catch (IOException e) {
            return e;
        } finally {
            Client.releaseRequest(req);
            Client.releaseResponse(resp);
        }
    }
}
