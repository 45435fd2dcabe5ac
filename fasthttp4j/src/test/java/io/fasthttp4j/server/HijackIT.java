package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hijacked connections: a 101 response, then raw bytes both ways until the hijack handler returns. */
class HijackIT {
    private static final String UPGRADE_REQUEST = "GET /echo HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n";

    /** Answers 101 and echoes every byte back until the client half-closes. */
    private static final RequestHandler ECHO = ctx -> {
        ctx.setStatusCode(101);
        ctx.responseHeader().set("Upgrade", "echo");
        ctx.responseHeader().set("Connection", "Upgrade");
        ctx.hijack(conn -> {
            InputStream in = conn.inputStream();
            OutputStream out = conn.outputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        });
    };

    @Test
    @Timeout(10)
    void hijackedConnectionEchoesBytesAfterA101Response() throws IOException {
        try (var server = TestServer.start(ECHO);
             var conn = RawConnection.connect(server.port())) {
            conn.send(UPGRADE_REQUEST);
            var head = conn.readHead();
            assertEquals("HTTP/1.1 101 Switching Protocols", head.statusLine());
            assertEquals("echo", head.field("Upgrade"));
            assertNull(head.field("Content-Length"), head.text());
            assertNull(head.field("Transfer-Encoding"), head.text());
            for (String msg : new String[] {"ping", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "x".repeat(100_000)}) {
                conn.send(msg);
                assertEquals(msg, new String(conn.readExactly(msg.length()), StandardCharsets.ISO_8859_1));
            }
            conn.shutdownOutput();
            assertTrue(conn.awaitPeerClose(), "the server closes once the hijack handler returns");
        }
    }

    /**
     * RFC 9110 §7.8: a sender of Upgrade must also send Connection with the "upgrade" option, and a
     * WebSocket client fails the handshake without it (RFC 6455 §4.1).
     */
    @Test
    @Timeout(10)
    void switchingProtocolsResponseCarriesTheHandlersConnectionUpgradeField() throws IOException {
        try (var server = TestServer.start(ECHO);
             var conn = RawConnection.connect(server.port())) {
            conn.send(UPGRADE_REQUEST);
            var head = conn.readHead();
            assertEquals(101, head.status());
            assertEquals("echo", head.field("Upgrade"), head.text());
            String connection = head.field("Connection");
            assertTrue(connection != null && connection.toLowerCase(java.util.Locale.ROOT).contains("upgrade"),
                    "Connection field of the 101 response: " + head.text());
            conn.shutdownOutput();
            assertTrue(conn.awaitPeerClose());
        }
    }

    @Test
    @Timeout(10)
    void bytesSentWithTheRequestReachTheHijackHandlerFirst() throws Exception {
        List<String> firstRead = new CopyOnWriteArrayList<>();
        RequestHandler handler = ctx -> {
            ctx.setStatusCode(101);
            ctx.responseHeader().set("Upgrade", "echo");
            ctx.responseHeader().set("Connection", "Upgrade");
            ctx.hijack(conn -> {
                InputStream in = conn.inputStream();
                byte[] early = in.readNBytes(5);
                firstRead.add(new String(early, StandardCharsets.US_ASCII));
                byte[] late = in.readNBytes(4);
                conn.outputStream().write((new String(early, StandardCharsets.US_ASCII) + "+"
                        + new String(late, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
            });
        };
        try (var server = TestServer.start(handler);
             var conn = RawConnection.connect(server.port())) {
            conn.send(UPGRADE_REQUEST + "EARLY");   // one write: the server reads both at once
            assertEquals(101, conn.readHead().status());
            conn.send("LATE");
            assertEquals("EARLY+LATE", new String(conn.readExactly(10), StandardCharsets.US_ASCII));
            assertTrue(conn.awaitPeerClose());
            assertEquals(List.of("EARLY"), firstRead);
        }
    }

    @Test
    @Timeout(10)
    void serverClosesTheConnectionWhenTheHijackHandlerReturns() throws IOException {
        RequestHandler handler = ctx -> {
            ctx.setStatusCode(101);
            ctx.responseHeader().set("Upgrade", "bye");
            ctx.responseHeader().set("Connection", "Upgrade");
            ctx.hijack(conn -> conn.outputStream().write("bye".getBytes(StandardCharsets.US_ASCII)));   // returns without reading
        };
        try (var server = TestServer.start(handler);
             var conn = RawConnection.connect(server.port())) {
            conn.send(UPGRADE_REQUEST);
            assertEquals(101, conn.readHead().status());
            assertEquals("bye", new String(conn.readExactly(3), StandardCharsets.US_ASCII));
            assertTrue(conn.awaitPeerClose());
        }
    }

    @Test
    @Timeout(10)
    void hijackHandlerThatThrowsStillGetsTheConnectionClosed() throws IOException {
        RequestHandler handler = ctx -> {
            ctx.setStatusCode(101);
            ctx.responseHeader().set("Connection", "Upgrade");
            ctx.responseHeader().set("Upgrade", "x");
            ctx.hijack(conn -> {
                throw new IllegalStateException("hijack handler failed");
            });
        };
        try (var server = TestServer.start(handler);
             var conn = RawConnection.connect(server.port())) {
            conn.send(UPGRADE_REQUEST);
            assertEquals(101, conn.readHead().status());
            assertTrue(conn.awaitPeerClose());
        }
    }

    @Test
    @Timeout(10)
    void connectionStateListenerSeesHijackedThenClosed() throws Exception {
        List<ConnState> states = new CopyOnWriteArrayList<>();
        CountDownLatch closed = new CountDownLatch(1);
        ConnStateListener listener = (id, remote, state) -> {
            states.add(state);
            if (state == ConnState.CLOSED) closed.countDown();
        };
        var server = TestServer.start(ECHO, b -> b.connStateListener(listener));
        try (server; var conn = RawConnection.connect(server.port())) {
            conn.send(UPGRADE_REQUEST);
            assertEquals(101, conn.readHead().status());
            conn.send("hi");
            assertEquals("hi", new String(conn.readExactly(2), StandardCharsets.US_ASCII));
            assertTrue(states.contains(ConnState.HIJACKED), states.toString());
            conn.shutdownOutput();
            assertTrue(conn.awaitPeerClose());
            assertTrue(closed.await(5, TimeUnit.SECONDS), states.toString());
        }
        assertEquals(List.of(ConnState.NEW, ConnState.ACTIVE, ConnState.HIJACKED, ConnState.CLOSED), new ArrayList<>(states));
        assertEquals(0, server.server().contextsInUse());
        assertEquals(0, server.server().openConnections());
    }

    @Test
    @Timeout(10)
    void hijackedConnectionIsNotServedAsHttpAgain() throws IOException {
        List<String> paths = new CopyOnWriteArrayList<>();
        RequestHandler handler = ctx -> {
            paths.add(ctx.path().toString());
            ECHO.handle(ctx);
        };
        try (var server = TestServer.start(handler);
             var conn = RawConnection.connect(server.port())) {
            // a pipelined request right behind the upgrade belongs to the hijacked protocol now
            String behind = "GET /behind HTTP/1.1\r\nHost: a\r\n\r\n";
            conn.send(UPGRADE_REQUEST + behind);
            assertEquals(101, conn.readHead().status());
            assertEquals(behind, new String(conn.readExactly(behind.length()), StandardCharsets.US_ASCII));
            conn.shutdownOutput();
            assertTrue(conn.awaitPeerClose());
        }
        assertEquals(List.of("/echo"), paths);
    }
}
