package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.internal.tls.EngineClient;
import io.fasthttp4j.tls.TestCertificates;
import io.fasthttp4j.tls.TlsConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients that break the rules over HTTPS (issue 14): a handshake that stalls, bytes that are not
 * TLS, a client that leaves in the middle of a request or a response. Each connection is closed,
 * nothing stays in use, and the server goes on serving others.
 */
@Timeout(30)
class TlsServerHostileIT {
    @TempDir
    static Path dir;
    static TestCertificates ca;
    static TlsConfig tls;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.newCa(dir);
        TestCertificates.Issued localhost = ca.issueLocalhost(TestCertificates.KeyType.EC);
        tls = TlsConfig.builder().certificate(localhost.chain(), localhost.key()).handshakeTimeout(Duration.ofMillis(500)).build();
    }

    private static final RequestHandler HELLO = ctx -> ctx.setBody("hello");

    /** The handshake timeout is 500 ms, the read timeout 30 s; the clients below give up after 10 s. */
    private static TestServer start(RequestHandler handler) {
        return TestServer.start(handler, b -> b.tls(tls).readTimeout(Duration.ofSeconds(30)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nothing", "half a ClientHello", "a whole ClientHello"})
    void closesAClientThatStallsInTheHandshakeAfterTheHandshakeTimeout(String sent) throws Exception {
        try (TestServer server = start(HELLO);
             EngineClient client = EngineClient.connect(server.port(), ca.clientContext(), "TLSv1.3", false)) {
            byte[] hello = client.clientHello();
            int length = switch (sent) {
                case "nothing" -> 0;
                case "half a ClientHello" -> hello.length / 2;
                default -> hello.length;
            };
            client.sendRaw(hello, 0, length);
            assertTrue(client.awaitSocketEnd(), "closed long before the 30 s read timeout");
            awaitZero(server.server()::openConnections, "open connections");
            assertServes(server);
        }
    }

    @Test
    void closesAClientThatSendsNoRequestAfterItsHandshakeWithinTheHandshakeTimeout() throws Exception {
        try (TestServer server = start(HELLO);
             EngineClient client = EngineClient.connect(server.port(), ca.clientContext(), "TLSv1.3", false)) {
            client.handshake();
            assertTrue(client.awaitSocketEnd(), "closed long before the 30 s read timeout");
            awaitZero(server.server()::openConnections, "open connections");
            assertServes(server);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain HTTP", "a TLS record header and junk", "zeros"})
    void closesAConnectionThatSendsSomethingElseThanTlsAndServesOthers(String what) throws Exception {
        byte[] garbage = switch (what) {
            case "plain HTTP" -> "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            case "a TLS record header and junk" -> {
                byte[] b = new byte[300];
                Arrays.fill(b, (byte) 0x5a);
                b[0] = 22;   // handshake
                b[1] = 3;
                b[2] = 1;
                b[3] = 1;    // length 295
                b[4] = 39;
                yield b;
            }
            default -> new byte[1000];
        };
        AtomicInteger handled = new AtomicInteger();
        try (TestServer server = start(ctx -> {
                handled.incrementAndGet();
                ctx.setBody("hello");
            });
             RawConnection conn = RawConnection.connect(server.port()).timeout(10_000)) {
            conn.send(garbage);
            byte[] answer = conn.readUntilClose();   // a TLS alert at most; never an HTTP response
            assertTrue(answer.length < 10 && (answer.length == 0 || answer[0] == 21), "only an alert record: " + Arrays.toString(answer));
            awaitZero(server.server()::openConnections, "open connections");
            assertEquals(0, server.server().contextsInUse());
            assertServes(server);
            assertEquals(1, handled.get(), "only the TLS client's request reached the handler");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"in the header", "in the body", "in the body, without close_notify"})
    void forgetsAClientThatLeavesInTheMiddleOfARequest(String where) throws Exception {
        AtomicInteger handled = new AtomicInteger();
        try (TestServer server = start(ctx -> {
                handled.incrementAndGet();
                ctx.setBody("hello");
            })) {
            Socket tcp = new Socket();
            tcp.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            SSLSocket socket = (SSLSocket) ca.clientContext().getSocketFactory().createSocket(tcp, "localhost", server.port(), true);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            if (where.equals("in the header")) {
                out.write("POST /up HTTP/1.1\r\nHost: local".getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write("POST /up HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[100_000]);
            }
            out.flush();
            Thread.sleep(100);   // the server has read some of it
            if (where.endsWith("without close_notify")) tcp.close();
            else socket.close();
            awaitZero(server.server()::openConnections, "open connections");
            awaitZero(server.server()::contextsInUse, "contexts in use");
            assertEquals(0, handled.get(), "no handler for a request that never came whole");
            assertServes(server);
        }
    }

    @Test
    void forgetsAClientThatLeavesWhileItsResponseIsSent() throws Exception {
        byte[] big = new byte[20_000_000];
        try (TestServer server = start(ctx -> {
                if (ctx.path().contentEquals("/big")) ctx.setBody(big);
                else ctx.setBody("hello");
            })) {
            Socket tcp = new Socket();
            tcp.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            SSLSocket socket = (SSLSocket) ca.clientContext().getSocketFactory().createSocket(tcp, "localhost", server.port(), true);
            socket.getOutputStream().write("GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getInputStream().readNBytes(1 << 20);   // 1 MB of 20, then away
            tcp.close();
            awaitZero(server.server()::openConnections, "open connections");
            awaitZero(server.server()::contextsInUse, "contexts in use");
            awaitZero(server.server()::bufferedBodyBytes, "buffered body bytes");
            assertServes(server);
        }
    }

    /** A well-behaved TLS client still gets its answer. */
    private static void assertServes(TestServer server) throws IOException {
        try (SSLSocket socket = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("localhost", server.port());
             RawConnection conn = RawConnection.over(socket)) {
            conn.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawConnection.Head head = conn.readHead();
            assertEquals(200, head.status(), head.text());
            assertEquals("hello", new String(conn.readExactly(5), StandardCharsets.US_ASCII));
        }
    }

    private static void awaitZero(LongSupplier value, String what) throws InterruptedException {
        for (int i = 0; i < 500 && value.getAsLong() != 0; i++) Thread.sleep(10);
        assertEquals(0, value.getAsLong(), what);
    }

    private static void awaitZero(IntSupplier value, String what) throws InterruptedException {
        awaitZero((LongSupplier) value::getAsInt, what);
    }
}
