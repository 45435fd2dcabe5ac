package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.tls.ClientAuth;
import io.fasthttp4j.tls.TestCertificates;
import io.fasthttp4j.tls.TestCertificates.Issued;
import io.fasthttp4j.tls.TestCertificates.KeyType;
import io.fasthttp4j.tls.TlsConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server's certificates over HTTPS on both transports (issue 14): the one SNI names, a reload
 * while connections are open, client certificates required (mutual TLS), and ALPN.
 */
@Timeout(30)
class TlsServerCertificatesIT {
    @TempDir
    static Path dir;
    static TestCertificates ca;
    static Issued localhost;
    static Issued aTest;
    static Issued bTest;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.newCa(dir);
        localhost = ca.issueLocalhost(KeyType.EC);
        aTest = ca.issue("a.test", KeyType.RSA, "DNS:a.test");
        bTest = ca.issue("b.test", KeyType.EC, "DNS:b.test", "DNS:*.b.test");
    }

    /** Answers "CN of the client's certificate or none | the SNI name or none". */
    private static final RequestHandler WHO = ctx -> {
        String client = "none";
        try {
            Certificate[] peer = ctx.tlsSession().getPeerCertificates();
            client = ((X509Certificate) peer[0]).getSubjectX500Principal().getName();
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            // no client certificate
        }
        List<SNIServerName> names = ((ExtendedSSLSession) ctx.tlsSession()).getRequestedServerNames();
        String sni = names.isEmpty() ? "none" : ((SNIHostName) names.get(0)).getAsciiName();
        ctx.setBody(client + " | " + sni);
    };

    private static SSLSocket connect(TestServer server, SSLContext context, String sniName, String... alpn) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        if (sniName != null) parameters.setServerNames(List.of(new SNIHostName(sniName)));
        if (alpn.length > 0) parameters.setApplicationProtocols(alpn);
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /** GET / on the connection; returns the body. */
    private static String get(SSLSocket socket) throws IOException {
        RawConnection conn = RawConnection.over(socket).timeout(10_000);
        conn.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawConnection.Head head = conn.readHead();
        assertEquals(200, head.status(), head.text());
        return new String(conn.readExactly(Integer.parseInt(head.field("Content-Length"))), StandardCharsets.UTF_8);
    }

    private static X509Certificate served(SSLSocket socket) throws IOException {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    // ---- SNI ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a.test", "b.test", "www.b.test", "unknown.test", "no name"})
    void servesTheCertificateTheSniNameSelects(String name) throws Exception {
        TlsConfig tls = TlsConfig.builder().certificate(localhost.chain(), localhost.key())
                .certificate(aTest.chain(), aTest.key()).certificate(bTest.chain(), bTest.key()).build();
        Issued expected = switch (name) {
            case "a.test" -> aTest;
            case "b.test", "www.b.test" -> bTest;
            default -> localhost;   // the first certificate is the default
        };
        String sni = name.equals("no name") ? null : name;
        try (TestServer server = TestServer.start(WHO, b -> b.tls(tls)); SSLSocket socket = connect(server, ca.clientContext(), sni)) {
            assertEquals(expected.leaf(), served(socket));
            assertEquals("none | " + (sni == null ? "none" : sni), get(socket), "the handler sees the SNI name");
        }
    }

    @Test
    void curlReceivesTheCertificateForTheNameItResolves() throws Exception {
        Assumptions.assumeTrue(ExternalCommand.onPath("curl"), "curl is not installed");
        TlsConfig tls = TlsConfig.builder().certificate(localhost.chain(), localhost.key()).certificate(bTest.chain(), bTest.key()).build();
        try (TestServer server = TestServer.start(WHO, b -> b.tls(tls))) {
            int port = server.port();
            ExternalCommand.Result r = ExternalCommand.run(List.of("curl", "-sS", "-v", "--max-time", "15", "--cacert", ca.caFile().toString(),
                    "--resolve", "b.test:" + port + ":127.0.0.1", "https://b.test:" + port + "/"), new byte[0], Duration.ofSeconds(20));
            assertEquals(0, r.exit(), r.err());   // curl checks the name against the certificate it got
            assertTrue(r.err().contains("subject: CN=b.test"), r.err());
            assertEquals("none | b.test", r.out());
        }
    }

    // ---- reload ----

    @Test
    void reloadServesNewConnectionsTheNewCertificateWhileOpenOnesGoOn() throws Exception {
        Path chain = dir.resolve("live-chain.pem");
        Path key = dir.resolve("live-key.pem");
        Issued before = ca.issueLocalhost(KeyType.EC);
        Issued after = ca.issueLocalhost(KeyType.RSA);
        Files.copy(before.chain(), chain, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(before.key(), key, StandardCopyOption.REPLACE_EXISTING);
        TlsConfig tls = TlsConfig.builder().certificate(chain, key).build();
        try (TestServer server = TestServer.start(WHO, b -> b.tls(tls));
             SSLSocket old = connect(server, ca.clientContext(), "localhost")) {
            assertEquals(before.leaf(), served(old));
            assertEquals("none | localhost", get(old));
            Files.copy(after.chain(), chain, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(after.key(), key, StandardCopyOption.REPLACE_EXISTING);
            tls.reload();
            try (SSLSocket fresh = connect(server, ca.clientContext(), "localhost")) {   // a new client context: no session to resume
                assertEquals(after.leaf(), served(fresh));
                assertEquals("none | localhost", get(fresh));
            }
            assertEquals("none | localhost", get(old), "the open connection keeps working on its keys");
            assertEquals(before.leaf(), served(old));
        }
    }

    // ---- mutual TLS ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void requiredClientCertificateIsSeenByTheHandlerAndItsAbsenceRefused(String protocol) throws Exception {
        TlsConfig tls = TlsConfig.builder().certificate(localhost.chain(), localhost.key()).protocols(protocol)
                .clientAuth(ClientAuth.NEED).trustedCertificates(ca.caFile()).build();
        Issued clientCertificate = ca.issue("client one", KeyType.EC);
        AtomicInteger handled = new AtomicInteger();
        RequestHandler counting = ctx -> {
            handled.incrementAndGet();
            WHO.handle(ctx);
        };
        try (TestServer server = TestServer.start(counting, b -> b.tls(tls))) {
            URI uri = URI.create("https://localhost:" + server.port() + "/");
            try (HttpClient with = HttpClient.newBuilder().sslContext(ca.clientContext(clientCertificate)).version(HttpClient.Version.HTTP_1_1).build()) {
                HttpResponse<String> r = with.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals("CN=client one | localhost", r.body());
            }
            try (HttpClient without = HttpClient.newBuilder().sslContext(ca.clientContext()).version(HttpClient.Version.HTTP_1_1).build()) {
                assertThrows(IOException.class, () -> without.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
            }
            Issued stranger = TestCertificates.newCa(Files.createTempDirectory(dir, "other-ca")).issue("stranger", KeyType.EC);
            try (HttpClient untrusted = HttpClient.newBuilder().sslContext(ca.clientContext(stranger)).version(HttpClient.Version.HTTP_1_1).build()) {
                assertThrows(IOException.class, () -> untrusted.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()),
                        "a certificate from a CA the server does not trust");
            }
            assertEquals(1, handled.get(), "only the client with a trusted certificate reached the handler");
            for (int i = 0; i < 500 && server.server().openConnections() != 0; i++) Thread.sleep(10);
            assertEquals(0, server.server().openConnections());
        }
    }

    @Test
    void curlPresentsItsClientCertificate() throws Exception {
        Assumptions.assumeTrue(ExternalCommand.onPath("curl"), "curl is not installed");
        TlsConfig tls = TlsConfig.builder().certificate(localhost.chain(), localhost.key())
                .clientAuth(ClientAuth.NEED).trustedCertificates(ca.caFile()).build();
        Issued clientCertificate = ca.issue("curl client", KeyType.RSA);
        try (TestServer server = TestServer.start(WHO, b -> b.tls(tls))) {
            List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "15", "--cacert", ca.caFile().toString(),
                    "--cert", clientCertificate.chain().toString(), "--key", clientCertificate.key().toString(),
                    "https://localhost:" + server.port() + "/"));
            ExternalCommand.Result r = ExternalCommand.run(command, new byte[0], Duration.ofSeconds(20));
            assertEquals(0, r.exit(), r.err());
            assertEquals("CN=curl client | localhost", r.out());
        }
    }

    // ---- ALPN ----

    @Test
    void selectsHttp11ByAlpnAndRefusesAClientOfferingOnlyH2() throws Exception {
        TlsConfig tls = TlsConfig.builder().certificate(localhost.chain(), localhost.key()).build();
        try (TestServer server = TestServer.start(WHO, b -> b.tls(tls))) {
            try (SSLSocket both = connect(server, ca.clientContext(), "localhost", "h2", "http/1.1")) {
                assertEquals("http/1.1", both.getApplicationProtocol());
                assertEquals("none | localhost", get(both));
            }
            try (SSLSocket none = connect(server, ca.clientContext(), "localhost")) {
                assertEquals("", none.getApplicationProtocol(), "a client without ALPN is served without");
                assertEquals("none | localhost", get(none));
            }
            assertThrows(SSLHandshakeException.class, () -> connect(server, ca.clientContext(), "localhost", "h2").close(),
                    "RFC 7301 §3.2: no_application_protocol");
        }
    }

    @Test
    void offersNoProtocolWhenAlpnIsOff() throws Exception {
        TlsConfig tls = TlsConfig.builder().certificate(localhost.chain(), localhost.key()).applicationProtocols().build();
        try (TestServer server = TestServer.start(WHO, b -> b.tls(tls));
             SSLSocket socket = connect(server, ca.clientContext(), "localhost", "h2", "http/1.1")) {
            assertEquals("", socket.getApplicationProtocol());
            assertEquals("none | localhost", get(socket));
        }
    }
}
