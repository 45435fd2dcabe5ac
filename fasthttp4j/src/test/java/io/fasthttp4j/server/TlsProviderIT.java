package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.tls.TestCertificates;
import io.fasthttp4j.tls.TlsConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.Provider;
import java.util.Arrays;
import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS served by a TLS provider other than the JDK's: Conscrypt (BoringSSL), as a user adds it. */
class TlsProviderIT {
    @TempDir
    static Path dir;
    static TestCertificates ca;
    static TestCertificates.Issued localhost;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.newCa(dir);
        localhost = ca.issueLocalhost(TestCertificates.KeyType.EC);
    }

    @Test
    void freesEachConscryptEngineWhenItsConnectionEnds() throws Exception {
        // Conscrypt holds an SSL object and a pipe pair per engine until the engine is closed (or collected):
        // a server that only closed sockets ran out of descriptors under a handshake-per-request load.
        TlsConfig tls = TlsConfig.builder().provider(Conscrypt.newProvider()).certificate(localhost.chain(), localhost.key()).build();
        try (TestServer server = TestServer.start(ctx -> ctx.setBody("x"), b -> b.tls(tls))) {
            long before = openDescriptors();
            for (int i = 0; i < 150; i++) {
                try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) ca.clientContext().getSocketFactory().createSocket("localhost", server.port())) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    socket.getInputStream().readAllBytes();
                }
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (server.server().openConnections() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
            long grown = openDescriptors() - before;
            assertTrue(grown < 60, "descriptors grew by " + grown + " over 150 connections");
        }
    }

    private static long openDescriptors() throws java.io.IOException {
        try (var fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void servesHttpsWithConscrypt() throws Exception {
        Provider conscrypt = Conscrypt.newProvider();
        TlsConfig tls = TlsConfig.builder().provider(conscrypt).certificate(localhost.chain(), localhost.key()).build();
        assertEquals(conscrypt.getName(), tls.sslContext().getProvider().getName());
        RequestHandler handler = ctx -> {
            ctx.responseHeader().set("X-Tls", ctx.tlsSession().getProtocol() + " " + ctx.tlsSession().getCipherSuite());
            if (ctx.isPost()) ctx.setBody(ctx.requestBody().toBytes());
            else ctx.setBody("hello");
        };
        try (TestServer server = TestServer.start(handler, b -> b.tls(tls));
             HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext()).version(HttpClient.Version.HTTP_1_1).build()) {
            String base = "https://localhost:" + server.port();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("hello", r.body());
            assertTrue(r.headers().firstValue("X-Tls").orElseThrow().startsWith("TLSv1.3 "), r.headers().toString());
            byte[] big = new byte[2 << 20];
            for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 7);
            HttpResponse<byte[]> echoed = client.send(HttpRequest.newBuilder(URI.create(base + "/echo")).POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertTrue(Arrays.equals(big, echoed.body()), "2 MiB echoed through Conscrypt's engine");
        }
    }
}
