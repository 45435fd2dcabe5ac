package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.internal.tls.EngineClient;
import io.fasthttp4j.tls.TestCertificates;
import io.fasthttp4j.tls.TlsConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS on the server's transports (the build runs this once per transport). */
class TlsServerIT {
    @TempDir
    static Path dir;
    static TestCertificates ca;
    static TlsConfig tls;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.newCa(dir);
        TestCertificates.Issued localhost = ca.issueLocalhost(TestCertificates.KeyType.EC);
        tls = TlsConfig.builder().certificate(localhost.chain(), localhost.key()).build();
    }

    private static TestServer start(RequestHandler handler) {
        return TestServer.start(handler, b -> b.tls(tls));
    }

    private static RequestHandler echo() {
        return ctx -> {
            ctx.responseHeader().set("X-Tls", ctx.isTls() + " " + ctx.tlsSession().getProtocol());
            ctx.responseHeader().set("X-Conn-Id", Long.toString(ctx.connId()));
            if (ctx.isPost()) ctx.setBody(ctx.requestBody().toBytes());
            else ctx.setBody("hello " + ctx.path());
        };
    }

    @Test
    void jdkHttpClientGetsAndPostsOverOneConnection() throws Exception {
        try (TestServer server = start(echo());
             HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext()).version(HttpClient.Version.HTTP_1_1).build()) {
            String base = "https://localhost:" + server.port();
            String connId = null;
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/p" + i)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertEquals("hello /p" + i, r.body());
                assertTrue(r.headers().firstValue("X-Tls").orElseThrow().startsWith("true TLSv1."), r.headers().toString());
                if (connId == null) connId = r.headers().firstValue("X-Conn-Id").orElseThrow();
                assertEquals(connId, r.headers().firstValue("X-Conn-Id").orElseThrow(), "keep-alive over TLS");
            }
            byte[] big = new byte[3 << 20];
            for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + "/echo")).POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            assertTrue(Arrays.equals(big, r.body()), "3 MiB echoed");
        }
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        try (TestServer server = start(echo());
             SSLSocket socket = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("localhost", server.port())) {
            socket.setSoTimeout(10_000);
            StringBuilder requests = new StringBuilder();
            for (int i = 0; i < 20; i++) requests.append("GET /r").append(i).append(" HTTP/1.1\r\nHost: localhost\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(requests.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[8192];
            while (count(got, "hello /r") < 20) {
                int n = in.read(buf);
                if (n < 0) break;
                got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
            for (int i = 0; i < 20; i++) assertTrue(got.indexOf("hello /r" + i) >= 0, "response " + i);
            assertTrue(got.indexOf("hello /r3") < got.indexOf("hello /r4"));
            long deadline = System.nanoTime() + 5_000_000_000L;   // the connection goes idle once its responses are written
            while (server.server().tlsBuffersInUse() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(0, server.server().tlsBuffersInUse(), "an idle keep-alive TLS connection holds no pooled buffers");
            assertEquals(1, server.server().openConnections());
        }
    }

    /**
     * RFC 8446 §6.1: a party closing a connection sends close_notify first. Without it the client
     * cannot tell our close from a truncation attack, and openssl s_client exits with "unexpected eof".
     */
    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    @Timeout(10)
    void sendsCloseNotifyBeforeClosingAfterAConnectionCloseResponse(String protocol) throws Exception {
        try (TestServer server = start(echo());
             EngineClient client = EngineClient.connect(server.port(), ca.clientContext(), protocol, false)) {
            client.handshake();
            client.write("GET /last HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 200 OK\r\n", new String(client.read(17), StandardCharsets.US_ASCII));
            assertTrue(client.awaitCloseNotify(), "the response ended with close_notify, not a bare TCP close");
        }
    }

    private static int count(CharSequence s, String what) {
        int n = 0;
        for (int i = s.toString().indexOf(what); i >= 0; i = s.toString().indexOf(what, i + 1)) n++;
        return n;
    }
}
