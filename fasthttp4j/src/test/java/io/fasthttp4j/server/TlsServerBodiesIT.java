package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.tls.TestCertificates;
import io.fasthttp4j.tls.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies over HTTPS on both transports (issue 14): 20 MB each way, a client that reads slowly, a
 * file (the TLS stage copies it: no sendfile under TLS), a chunked body writer, a streamed request
 * body after 100 Continue, and a handler that asks to block on the event loop.
 */
@Timeout(60)
class TlsServerBodiesIT {
    private static final int TWENTY_MB = 20 * 1000 * 1000;
    private static final byte[] BIG = pattern(TWENTY_MB);

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
        return start(handler, b -> b);
    }

    private static TestServer start(RequestHandler handler, UnaryOperator<Server.Builder> more) {
        return TestServer.start(handler, b -> more.apply(b.tls(tls).maxRequestBodySize(32 << 20)));
    }

    private static HttpClient jdkClient() {
        return HttpClient.newBuilder().sslContext(ca.clientContext()).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** A TLS connection to the server read piece by piece; the handshake is done. */
    private static RawConnection connect(TestServer server) throws IOException {
        SSLSocket socket = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("localhost", server.port());
        socket.startHandshake();
        return RawConnection.over(socket).timeout(10_000);
    }

    @Test
    void receivesATwentyMegabyteRequestBody() throws Exception {
        RequestHandler digest = ctx -> ctx.setBody(sha256(ctx.requestBody().toBytes()));
        try (TestServer server = start(digest); HttpClient client = jdkClient()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/up"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(BIG)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(sha256(BIG), r.body());
        }
    }

    @Test
    void sendsATwentyMegabyteResponseBody() throws Exception {
        try (TestServer server = start(ctx -> ctx.setBody(BIG)); HttpClient client = jdkClient()) {
            for (int i = 0; i < 2; i++) {   // the connection carries on after 20 MB
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/down")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode());
                assertTrue(Arrays.equals(BIG, r.body()), "20 MB intact");
            }
        }
    }

    @Test
    void keepsSendingTwentyMegabytesToAClientThatReadsSlowly() throws Exception {
        RequestHandler handler = ctx -> {
            if (ctx.path().contentEquals("/big")) ctx.setBody(BIG);
            else ctx.setBody("after");
        };
        try (TestServer server = start(handler); RawConnection conn = connect(server)) {
            conn.send("GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n");
            Thread.sleep(300);   // the server fills the socket's buffers and has to wait for the client
            RawConnection.Head head = conn.readHead();
            assertEquals(200, head.status());
            assertEquals(Integer.toString(TWENTY_MB), head.field("Content-Length"));
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            for (int at = 0; at < TWENTY_MB; ) {
                int n = Math.min(4096, TWENTY_MB - at);
                received.update(conn.readExactly(n));
                at += n;
                if (at % (1 << 20) < 4096) Thread.sleep(40);   // a pause every MiB or so: 20 in all
            }
            assertEquals(sha256(BIG), HexFormat.of().formatHex(received.digest()));
            conn.send("GET /next HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals(200, conn.readHead().status());
            assertEquals("after", new String(conn.readExactly(5), StandardCharsets.US_ASCII));
            awaitNoContextInUse(server);   // the connection is open and idle: its context is back
            assertEquals(1, server.server().openConnections());
        }
    }

    @Test
    void sendsAFileThroughTheTlsStage() throws Exception {
        Path file = dir.resolve("file.bin");
        byte[] content = pattern(3_000_017);
        Files.write(file, content);
        RequestHandler handler = ctx -> {
            ctx.responseHeader().set("X-Conn-Id", Long.toString(ctx.connId()));
            if (ctx.path().contentEquals("/file")) ctx.sendFile(file);
            else ctx.setBody("small");
        };
        try (TestServer server = start(handler); HttpClient client = jdkClient()) {
            String base = "https://localhost:" + server.port();
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + "/file")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            assertTrue(Arrays.equals(content, r.body()), "the file, encrypted and intact");
            HttpResponse<String> after = client.send(HttpRequest.newBuilder(URI.create(base + "/small")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("small", after.body());
            assertEquals(r.headers().firstValue("X-Conn-Id"), after.headers().firstValue("X-Conn-Id"), "keep-alive after the file");
        }
    }

    @Test
    void streamsAChunkedBodyFromABodyStreamWriter() throws Exception {
        byte[] piece = pattern(10_000);
        RequestHandler handler = ctx -> {
            if (!ctx.path().contentEquals("/stream")) {
                ctx.setBody("plain");
                return;
            }
            ctx.setBodyStreamWriter(out -> {
                for (int i = 0; i < 100; i++) {
                    out.write(piece);
                    if (i % 10 == 9) out.flush();   // ten chunks of 100 KB
                }
            });
        };
        try (TestServer server = start(handler); RawConnection conn = connect(server)) {
            conn.send("GET /stream HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawConnection.Head head = conn.readHead();
            assertEquals(200, head.status());
            assertEquals("chunked", head.field("Transfer-Encoding"), head.text());
            byte[] body = conn.readChunkedBody();
            assertEquals(1_000_000, body.length);
            for (int i = 0; i < 100; i++) assertArrayEquals(piece, Arrays.copyOfRange(body, i * piece.length, (i + 1) * piece.length));
            conn.send("GET /after HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals(200, conn.readHead().status());
            assertEquals("plain", new String(conn.readExactly(5), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void streamsARequestBodyToTheHandlerAfter100Continue() throws Exception {
        int size = 5_000_000;
        byte[] body = pattern(size);
        RequestHandler handler = ctx -> {
            MessageDigest digest = newSha256();
            byte[] buf = new byte[8192];
            long total = 0;
            try (InputStream in = ctx.requestBodyStream()) {
                for (int n; (n = in.read(buf)) >= 0; total += n) digest.update(buf, 0, n);
            }
            ctx.setBody(total + " " + HexFormat.of().formatHex(digest.digest()));
        };
        try (TestServer server = start(handler, b -> b.streamRequestBody(true)); RawConnection conn = connect(server)) {
            conn.send("POST /up HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: " + size + "\r\n\r\n");
            RawConnection.Head interim = conn.readHead();
            assertEquals("HTTP/1.1 100 Continue", interim.statusLine(), "the body is sent only after 100 Continue");
            OutputStream out = conn.socket().getOutputStream();
            for (int at = 0; at < size; at += 65_536) out.write(body, at, Math.min(65_536, size - at));
            out.flush();
            RawConnection.Head head = conn.readHead();
            assertEquals(200, head.status());
            String expected = size + " " + sha256(body);
            assertEquals(expected, new String(conn.readExactly(expected.length()), StandardCharsets.US_ASCII));
        }
    }

    /** On the event loop the handler runs again on a virtual thread, whose reads and writes go through the same TLS stage; then back. */
    @Test
    void aHandlerThatStartsBlockingIsServedAndTheConnectionGoesOn() throws Exception {
        RequestHandler handler = ctx -> {
            if (ctx.path().contentEquals("/block")) {
                if (ctx.startBlocking()) return;
                Thread.sleep(50);   // blocking is fine here
            }
            ctx.setBody(ctx.path() + " loop=" + ctx.isOnEventLoop() + " virtual=" + Thread.currentThread().isVirtual());
        };
        boolean loop = TestServer.eventLoop();
        try (TestServer server = start(handler); RawConnection conn = connect(server)) {
            conn.send("GET /block HTTP/1.1\r\nHost: localhost\r\n\r\nGET /inline HTTP/1.1\r\nHost: localhost\r\n\r\n");   // pipelined
            assertEquals("/block loop=false virtual=true", readBody(conn));
            assertEquals("/inline loop=" + loop + " virtual=" + !loop, readBody(conn), "back on the loop after the hand-off");
            conn.send("GET /block HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals("/block loop=false virtual=true", readBody(conn));
            conn.send("GET /inline HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals("/inline loop=" + loop + " virtual=" + !loop, readBody(conn));
        }
    }

    private static String readBody(RawConnection conn) throws IOException {
        RawConnection.Head head = conn.readHead();
        assertEquals(200, head.status(), head.text());
        return new String(conn.readExactly(Integer.parseInt(head.field("Content-Length"))), StandardCharsets.US_ASCII);
    }

    private static void awaitNoContextInUse(TestServer server) throws InterruptedException {
        for (int i = 0; i < 200 && server.server().contextsInUse() != 0; i++) Thread.sleep(10);
        assertEquals(0, server.server().contextsInUse(), "contexts in use after the response");
    }

    private static String sha256(byte[] data) {
        return HexFormat.of().formatHex(newSha256().digest(data));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + (i >>> 8));
        return b;
    }
}
