package io.fasthttp4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.server.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connections through an HTTP proxy's CONNECT tunnel: https and plain http, pipelined too, credentials, refusals. */
class ClientProxyIT {
    private final Request request = Client.acquireRequest();
    private final Response response = Client.acquireResponse();

    @AfterEach
    void releaseAndCheckPools() {
        Client.releaseRequest(request);
        Client.releaseResponse(response);
        assertEquals(0, Client.requestsInUse(), "Request acquired but not released");
        assertEquals(0, Client.responsesInUse(), "Response acquired but not released");
    }

    private void get(Client client, String url) throws IOException {
        request.reset();
        request.header().setRequestUri(url);
        client.doRequest(request, response);
    }

    @Test
    @Timeout(20)
    void tunnelsHttpsThroughTheProxyWithCredentialsAndKeepsTheTunnel() throws IOException {
        try (var server = TlsServer.start(TlsServer.LOCALHOST);
             var proxy = ConnectProxy.tunnelling();
             var client = Client.builder().sslContext(TlsServer.trusting(TlsServer.LOCALHOST)).proxy(proxy.addr(), "user", "sécret").build()) {
            for (int i = 0; i < 3; i++) {
                get(client, "https://localhost:" + server.port() + "/sni");
                assertEquals(200, response.statusCode());
                assertEquals("localhost", response.body().toString(), "SNI names the server, not the proxy");
            }
            assertEquals(1, proxy.requests.size(), "one tunnel for three calls: " + proxy.requests);
            assertEquals("CONNECT localhost:" + server.port() + " HTTP/1.1\r\n"
                    + "Host: localhost:" + server.port() + "\r\n"
                    + "Proxy-Authorization: Basic dXNlcjpzw6ljcmV0\r\n\r\n", proxy.requests.get(0));   // base64("user:sécret" in UTF-8)
            assertEquals(1, client.connsCount());
            client.close();
            assertEquals(0, client.connsCount());
        }
    }

    @Test
    @Timeout(20)
    void tunnelsPlainHttpTooAndSendsTheOriginForm() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody(ctx.requestHeader().requestUri() + " " + ctx.host()));
             var proxy = ConnectProxy.tunnelling();
             var client = HostClient.builder("127.0.0.1:" + server.port()).proxy(proxy.addr()).build()) {
            for (int i = 0; i < 2; i++) {
                request.reset();
                request.header().setRequestUri("/a?b=" + i);
                client.doRequest(request, response);
                assertEquals("/a?b=" + i + " 127.0.0.1:" + server.port(), response.body().toString());
            }
            assertEquals(1, proxy.requests.size());
            assertEquals("CONNECT 127.0.0.1:" + server.port() + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n\r\n",
                    proxy.requests.get(0), "no credentials were given");
            client.close();
            assertEquals(0, client.connsCount());
        }
    }

    @Test
    @Timeout(20)
    void pipelinesThroughTheProxysTunnel() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody(ctx.requestHeader().requestUri() + " " + ctx.host()));
             var proxy = ConnectProxy.tunnelling();
             var client = PipelineClient.builder("127.0.0.1:" + server.port()).proxy(proxy.addr(), "user", "pw").build()) {
            for (int i = 0; i < 2; i++) {
                request.reset();
                request.header().setRequestUri("/p?i=" + i);
                client.doRequest(request, response);
                assertEquals("/p?i=" + i + " 127.0.0.1:" + server.port(), response.body().toString());
            }
            assertEquals(List.of("CONNECT 127.0.0.1:" + server.port() + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nProxy-Authorization: Basic dXNlcjpwdw==\r\n\r\n"), proxy.requests, "one tunnel for both calls");
        }
    }

    @Test
    @Timeout(20)
    void aProxysRefusalFailsThePipelinesQueuedCalls() throws IOException {
        try (var proxy = ConnectProxy.refusing("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
             var client = PipelineClient.builder("example.test:80").proxy(proxy.addr()).build()) {
            request.reset();
            request.header().setRequestUri("/");
            var e = assertThrows(HttpClientException.ProxyRefused.class, () -> client.doRequest(request, response));
            assertEquals(403, e.statusCode());
            assertEquals(0, client.pendingRequests());
        }
    }

    @Test
    @Timeout(20)
    void failsWithProxyRefusedNamingTheStatusWhenTheProxyWantsCredentials() throws IOException {
        try (var proxy = ConnectProxy.refusing("HTTP/1.1 407 Proxy Authentication Required\r\n"
                     + "Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 6\r\n\r\ndenied");
             var client = Client.builder().proxy(proxy.addr()).build()) {
            var e = assertThrows(HttpClientException.ProxyRefused.class, () -> get(client, "https://example.test:8443/"));
            assertEquals(407, e.statusCode());
            assertEquals("proxy " + proxy.addr() + " answered CONNECT example.test:8443 with 407 Proxy Authentication Required",
                    e.getMessage());
            assertEquals(0, client.connsCount(), "the refused connection must not stay counted");
            assertEquals(1, proxy.requests.size());
        }
    }

    @Test
    @Timeout(20)
    void proxyThatNeverAnswersCONNECTFailsWithDialTimeout() throws IOException {
        try (var proxy = ConnectProxy.silent();
             var client = Client.builder().proxy(proxy.addr()).dialTimeout(Duration.ofMillis(200)).build()) {
            var e = assertThrows(HttpClientException.DialTimeout.class, () -> get(client, "http://example.test/"));
            assertEquals("dialing example.test:80: timed out waiting for proxy " + proxy.addr()
                    + " to open a tunnel (dial timeout or the call's deadline)", e.getMessage());
            assertEquals(0, client.connsCount());
        }
    }

    @Test
    @Timeout(20)
    void resolvesTheProxyNotTheServer() throws IOException {
        AtomicInteger lookups = new AtomicInteger();
        try (var proxy = ConnectProxy.refusing("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
             var client = Client.builder().proxy("proxy.test:" + proxy.addr().split(":")[1])
                     .resolver(host -> {
                         lookups.incrementAndGet();
                         assertEquals("proxy.test", host);
                         return new java.net.InetAddress[] {java.net.InetAddress.getLoopbackAddress()};
                     }).build()) {
            var e = assertThrows(HttpClientException.ProxyRefused.class, () -> get(client, "http://unresolvable.invalid/"));
            assertEquals(502, e.statusCode());
            assertEquals(1, lookups.get());
            assertTrue(proxy.requests.get(0).startsWith("CONNECT unresolvable.invalid:80 HTTP/1.1\r\n"), proxy.requests.get(0));
        }
    }
}
