package io.fasthttp4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * https through JSSE against the JDK's HttpsServer with self-signed certificates: requests over TLS
 * with keep-alive, trust, host-name verification, SNI, and a handshake that never ends.
 */
class HostClientTlsIT {
    private static final SSLContext TRUSTS_LOCALHOST = TlsServer.trusting(TlsServer.LOCALHOST);

    private final Request request = Client.acquireRequest();
    private final Response response = Client.acquireResponse();

    @AfterEach
    void releaseAndCheckPools() {
        Client.releaseRequest(request);
        Client.releaseResponse(response);
        assertEquals(0, Client.requestsInUse(), "Request acquired but not released");
        assertEquals(0, Client.responsesInUse(), "Response acquired but not released");
    }

    private String get(HostClient client, String uri) throws IOException {
        request.reset();
        request.header().setRequestUri(uri);
        client.doRequest(request, response);
        assertEquals(200, response.statusCode());
        return response.body().toString();
    }

    private static HostClient.Builder tlsClient(String addr) {
        return HostClient.builder(addr).tls(true).sslContext(TRUSTS_LOCALHOST);
    }

    @Test
    @Timeout(20)
    void sendsRequestsOverOneKeptAliveTlsConnection() throws IOException {
        try (var server = TlsServer.start(TlsServer.LOCALHOST); var client = tlsClient("localhost:" + server.port()).build()) {
            for (int i = 0; i < 5; i++) assertEquals("ok", get(client, "/n" + i));
            assertEquals(1, server.clientPorts.size(), "client ports seen by the server: " + server.clientPorts);
            assertEquals(1, client.connsCount());
            assertEquals(1, client.idleConnsCount());
            client.close();
            assertEquals(0, client.connsCount(), "close() must close the idle connection");
        }
    }

    @Test
    @Timeout(20)
    void carriesBodiesLargerThanOneTlsRecordBothWays() throws IOException {
        String big = "0123456789abcdef".repeat(10_000);   // 160 KB: ten records and more each way
        try (var server = TlsServer.start(TlsServer.LOCALHOST); var client = tlsClient("localhost:" + server.port()).build()) {
            for (int i = 0; i < 3; i++) {
                request.reset();
                request.header().setMethod("POST");
                request.header().setRequestUri("/echo");
                request.setBody(big + i);
                client.doRequest(request, response);
                assertEquals(big + i, response.body().toString());
            }
            assertEquals(1, client.connsCount());
        }
    }

    @Test
    @Timeout(20)
    void clientSpeaksHttpsForHttpsUrls() throws IOException {
        try (var server = TlsServer.start(TlsServer.LOCALHOST); var client = Client.builder().sslContext(TRUSTS_LOCALHOST).build()) {
            for (String host : List.of("localhost", "127.0.0.1")) {
                request.reset();
                request.header().setRequestUri("https://" + host + ":" + server.port() + "/");
                client.doRequest(request, response);
                assertEquals("ok", response.body().toString(), host);
            }
            assertEquals(2, client.hostClientsCount());
            assertEquals(2, client.connsCount());
            client.close();
            assertEquals(0, client.connsCount());
        }
    }

    @Test
    @Timeout(20)
    void sendsTheHostNameAsSniButNotAnIpLiteral() throws IOException {
        try (var server = TlsServer.start(TlsServer.LOCALHOST);
             var byName = tlsClient("localhost:" + server.port()).build();
             var byIp = tlsClient("127.0.0.1:" + server.port()).build()) {
            assertEquals("localhost", get(byName, "/sni"));   // the JDK alone sends none for a name without a dot
            assertEquals("-", get(byIp, "/sni"));   // RFC 6066 §3: no IP literal in SNI
        }
    }

    @Test
    @Timeout(20)
    void failsWithSslHandshakeExceptionWhenTheCertificateIsNotTrusted() throws IOException {
        try (var server = TlsServer.start(TlsServer.LOCALHOST);
             var client = HostClient.builder("localhost:" + server.port()).tls(true).build()) {   // the JDK's trust store
            var e = assertThrows(SSLHandshakeException.class, () -> get(client, "/"));
            assertTrue(e.getMessage().startsWith("TLS handshake with localhost:" + server.port() + " failed: "), e.getMessage());
            assertTrue(e.getMessage().contains("PKIX path building failed"), e.getMessage());
            assertEquals(0, client.connsCount(), "the failed connection must not stay counted");
            assertEquals(0, server.clientPorts.size(), "no request may have been sent");
        }
    }

    @Test
    @Timeout(20)
    void failsWhenTheCertificateDoesNotNameTheHost() throws IOException {
        SSLContext trustsExample = TlsServer.trusting(TlsServer.EXAMPLE_TEST);
        try (var server = TlsServer.start(TlsServer.EXAMPLE_TEST);
             var byIp = HostClient.builder("127.0.0.1:" + server.port()).tls(true).sslContext(trustsExample).build();
             var byName = HostClient.builder("localhost:" + server.port()).tls(true).sslContext(trustsExample).build();
             var rightName = HostClient.builder("example.test:" + server.port()).tls(true).sslContext(trustsExample)
                     .resolver(host -> new InetAddress[] {InetAddress.getLoopbackAddress()}).build()) {
            var e = assertThrows(SSLHandshakeException.class, () -> get(byIp, "/"));
            assertTrue(e.getMessage().contains("No subject alternative names matching IP address 127.0.0.1"), e.getMessage());
            e = assertThrows(SSLHandshakeException.class, () -> get(byName, "/"));
            assertTrue(e.getMessage().contains("No subject alternative DNS name matching localhost"), e.getMessage());
            assertEquals(0, byIp.connsCount() + byName.connsCount());
            assertEquals("example.test", get(rightName, "/sni"), "the same trust with the name in the certificate works");
        }
    }

    @Test
    @Timeout(20)
    void stalledHandshakeFailsWithDialTimeoutAndLeavesNothingOpen() throws Exception {
        try (var server = new SilentServer();
             var client = tlsClient("localhost:" + server.port()).dialTimeout(Duration.ofMillis(200)).build()) {
            var e = assertThrows(HttpClientException.DialTimeout.class, () -> get(client, "/"));
            assertTrue(e.getMessage().contains("in the TLS handshake"), e.getMessage());
            assertEquals(0, client.connsCount());
            assertTrue(server.awaitPeerClose(0), "the client must close the socket");

            var deadline = assertThrows(HttpClientException.DialTimeout.class, () -> {   // the call's deadline bounds it too
                request.reset();
                request.header().setRequestUri("/");
                client.doTimeout(request, response, Duration.ofMillis(100));
            });
            assertTrue(deadline.getMessage().contains("in the TLS handshake"), deadline.getMessage());
            assertEquals(0, client.connsCount());
            assertTrue(server.awaitPeerClose(1));
        }
    }

    @Test
    @Timeout(20)
    void retriesOnANewConnectionWhenTheServerEndedTheIdleOne() throws Exception {
        try (var server = new OneShotTlsServer(); var client = tlsClient("localhost:" + server.port()).build()) {
            assertEquals("one", get(client, "/"));
            assertEquals(1, client.idleConnsCount(), "the response said keep-alive");
            server.closed.get(0).await();   // the server sent close_notify and closed
            assertEquals("one", get(client, "/"), "the stale connection's EOF before any response byte is retried");
            assertEquals(2, server.sockets.size());
        }
    }

    @Test
    @Timeout(20)
    void closingAnIdleTlsConnectionSendsCloseNotify() throws Exception {
        try (var server = new OneShotTlsServer(false);
             var proxy = ConnectProxy.tunnelling();   // to count the bytes the client sends
             var client = tlsClient("localhost:" + server.port()).proxy(proxy.addr()).build()) {
            assertEquals("one", get(client, "/"));
            long sent = proxy.clientBytes.get();   // the handshake and the request: all relayed before the answer came
            client.close();
            server.closed.get(0).await();
            while (proxy.clientBytesAtEnd.isEmpty()) Thread.sleep(5);
            assertTrue(proxy.clientBytesAtEnd.get(0) > sent, "a close_notify record after the request: "
                    + sent + " bytes before close, " + proxy.clientBytesAtEnd.get(0) + " at the end");
        }
    }

    /**
     * An SSLServerSocket that answers one request per connection ("one", kept alive) and then either
     * closes (sending close_notify) or reads until the client ends the connection.
     */
    static final class OneShotTlsServer implements AutoCloseable {
        private final javax.net.ssl.SSLServerSocket listener;
        private final boolean closeAfterResponse;
        final List<Socket> sockets = new CopyOnWriteArrayList<>();
        final List<java.util.concurrent.CountDownLatch> closed = new CopyOnWriteArrayList<>();

        OneShotTlsServer() throws IOException {
            this(true);
        }

        OneShotTlsServer(boolean closeAfterResponse) throws IOException {
            this.closeAfterResponse = closeAfterResponse;
            listener = (javax.net.ssl.SSLServerSocket) TlsServer.serverContext(TlsServer.LOCALHOST).getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Socket s = listener.accept();
                        var done = new java.util.concurrent.CountDownLatch(1);
                        sockets.add(s);
                        closed.add(done);
                        Thread.ofVirtual().start(() -> serve(s, done));
                    }
                } catch (IOException e) {
                    // closed
                }
            });
        }

        private void serve(Socket s, java.util.concurrent.CountDownLatch done) {
            try (s) {
                var conn = new RawServer.Conn(s);
                conn.readRequest();
                conn.write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none");
                if (!closeAfterResponse) conn.in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                // the client went away
            } finally {
                done.countDown();
            }
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : sockets) s.close();
        }
    }

    /** Accepts connections on 127.0.0.1 and never says a word; remembers them. */
    static final class SilentServer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Socket> accepted = new CopyOnWriteArrayList<>();

        SilentServer() throws IOException {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) accepted.add(listener.accept());
                } catch (IOException e) {
                    // closed
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        /** True when the client closed connection {@code index}: its ClientHello read, then EOF. */
        boolean awaitPeerClose(int index) throws IOException {
            Socket s = accepted.get(index);
            s.setSoTimeout(5000);
            var in = s.getInputStream();
            while (true) {
                if (in.read(new byte[4096]) < 0) return true;
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : accepted) s.close();
        }
    }
}
