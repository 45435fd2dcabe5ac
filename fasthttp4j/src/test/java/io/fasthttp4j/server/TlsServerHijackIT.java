package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.internal.tls.EngineClient;
import io.fasthttp4j.tls.TestCertificates;
import io.fasthttp4j.tls.TlsConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hijacked HTTPS connections on both transports (issue 14): after the 101 response the hijack
 * handler reads and writes plaintext through the connection's TLS stage, starting with what the
 * server had already decrypted, and the server ends the connection with close_notify.
 */
@Timeout(20)
class TlsServerHijackIT {
    private static final String UPGRADE = "GET /echo HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n";

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

    /** 101, then echoes every byte until the client's end of stream, through the streams or the channel. */
    private static RequestHandler echo(boolean viaChannel) {
        return ctx -> {
            ctx.setStatusCode(101);
            ctx.responseHeader().set("Upgrade", "echo");
            ctx.responseHeader().set("Connection", "Upgrade");
            ctx.hijack(viaChannel ? TlsServerHijackIT::echoChannel : TlsServerHijackIT::echoStreams);
        };
    }

    private static void echoStreams(HijackedConnection conn) throws Exception {
        InputStream in = conn.inputStream();
        OutputStream out = conn.outputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
            out.flush();
        }
    }

    private static void echoChannel(HijackedConnection conn) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        conn.readBuffered(buf);   // what the server had decrypted past the request comes first
        while (buf.position() > 0 || conn.channel().read(buf) >= 0) {
            buf.flip();
            while (buf.hasRemaining()) conn.channel().write(buf);
            buf.clear();
        }
    }

    @ParameterizedTest(name = "through the {0}")
    @ValueSource(strings = {"streams", "channel"})
    void hijackedConnectionEchoesPlaintextThroughTheTlsStage(String api) throws Exception {
        try (TestServer server = TestServer.start(echo(api.equals("channel")), b -> b.tls(tls));
             SSLSocket socket = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("localhost", server.port());
             RawConnection conn = RawConnection.over(socket)) {
            conn.send(UPGRADE + "early");   // sent with the request: the server has read it before the hijack
            RawConnection.Head head = conn.readHead();
            assertEquals("HTTP/1.1 101 Switching Protocols", head.statusLine());
            assertEquals("early", new String(conn.readExactly(5), StandardCharsets.US_ASCII));
            for (String msg : new String[] {"ping", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "x".repeat(100_000)}) {
                conn.send(msg);
                assertEquals(msg, new String(conn.readExactly(msg.length()), StandardCharsets.US_ASCII));
            }
            socket.shutdownOutput();   // close_notify: the handler reads its end and returns
            assertTrue(conn.awaitPeerClose(), "the server closes once the hijack handler returns");
            for (int i = 0; i < 500 && server.server().openConnections() != 0; i++) Thread.sleep(10);
            assertEquals(0, server.server().openConnections());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void sendsCloseNotifyWhenTheHijackHandlerReturns(String protocol) throws Exception {
        RequestHandler bye = ctx -> {
            ctx.setStatusCode(101);
            ctx.responseHeader().set("Upgrade", "bye");
            ctx.responseHeader().set("Connection", "Upgrade");
            ctx.hijack(conn -> conn.outputStream().write("bye".getBytes(StandardCharsets.US_ASCII)));
        };
        try (TestServer server = TestServer.start(bye, b -> b.tls(tls));
             EngineClient client = EngineClient.connect(server.port(), ca.clientContext(), protocol, false)) {
            client.handshake();
            client.write(UPGRADE.getBytes(StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 101 ", new String(client.read(13), StandardCharsets.US_ASCII));
            assertTrue(client.awaitCloseNotify(), "the connection ended with close_notify, not a bare TCP close");
        }
    }
}
