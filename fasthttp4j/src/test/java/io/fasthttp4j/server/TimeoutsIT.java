package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Read, idle and write timeouts, enforced by the server's sweeper. Each test asserts the outcome
 * (closed, or served) within a generous bound, never how long something took.
 */
class TimeoutsIT {
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @Test
    @Timeout(15)
    void aClientThatSendsHalfARequestAndStopsIsDisconnected() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody("ok"), b -> b.readTimeout(ONE_SECOND));
             var client = RawClient.connect(server.port())) {
            client.send("GET /half HTTP/1.1\r\nHost: a\r\nX-Par");
            assertEquals("", client.timeout(8000).readUntilClose(), "closed without a response, as readTimeout's Javadoc says");
        }
    }

    @Test
    @Timeout(15)
    void aBodyThatStopsHalfwayIsCutOffByTheReadTimeout() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody("ok"), b -> b.readTimeout(ONE_SECOND));
             var client = RawClient.connect(server.port())) {
            client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly ten b");
            assertEquals("", client.timeout(8000).readUntilClose());
        }
    }

    @Test
    @Timeout(15)
    void aNewConnectionThatSendsNothingIsClosedAfterTheReadTimeout() throws Exception {
        try (var server = TestServer.start(ctx -> ctx.setBody("ok"), b -> b.readTimeout(ONE_SECOND));
             var client = RawClient.connect(server.port())) {
            assertTrue(client.awaitPeerClose(8000), "a silent new connection is closed after readTimeout");
            LimitsIT.awaitTrue(() -> server.server().openConnections() == 0, "the server forgets the connection");
        }
    }

    @Test
    @Timeout(15)
    void aSlowlorisClientIsCutOffLongBeforeItFinishesItsHeaderWhileOthersAreServed() throws Exception {
        String header = "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: " + "s".repeat(2048) + "\r\n\r\n";
        try (var server = TestServer.start(ctx -> ctx.setBody("ok"), b -> b.readTimeout(ONE_SECOND));
             var slow = new Socket()) {
            slow.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            slow.setTcpNoDelay(true);
            CompletableFuture<Integer> closed = readUntilClosed(slow);
            OutputStream out = slow.getOutputStream();
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            int sent = 0;
            boolean servedMeanwhile = false;
            try {
                while (sent < header.length() && !closed.isDone() && System.nanoTime() < giveUp) {
                    out.write(header.charAt(sent++));
                    out.flush();
                    if (sent == 3) {
                        // While the slow client trickles, a normal client is served at once.
                        try (var normal = RawClient.connect(server.port())) {
                            normal.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                            servedMeanwhile = normal.readResponse().statusCode() == 200;
                        }
                    }
                    Thread.sleep(200);
                }
            } catch (IOException e) {
                // broken pipe or reset: the server closed the connection, which is the point
            }
            Integer responseBytes = closed.get(5, TimeUnit.SECONDS);   // fails if the connection is still open
            assertTrue(sent < header.length(), "the server waited for the whole trickled header");
            assertTrue(sent < 60, "cut off after " + sent + " bytes; at 5 bytes/s a 1 s readTimeout allows a handful");
            assertEquals(0, responseBytes, "a timed-out request gets no response");
            assertTrue(servedMeanwhile, "another client was served while the slow one trickled");
        }
    }

    @Test
    @Timeout(15)
    void aBodyTrickledAfter100ContinueIsStillCutOffByTheReadTimeout() throws Exception {
        // The 100 Continue is a write; the request's read deadline must survive it.
        try (var server = TestServer.start(ctx -> ctx.setBody("ok"), b -> b.readTimeout(ONE_SECOND));
             var client = RawClient.connect(server.port())) {
            client.send("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1000\r\n\r\n");
            assertEquals(100, client.readResponse().statusCode());
            client.send("only a few bytes of the body");
            assertTrue(client.awaitPeerClose(4000),
                    "with readTimeout=1s the stalled body must be cut off within a few seconds (writeTimeout is the default 10 s)");
        }
    }

    @Test
    @Timeout(15)
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (var server = TestServer.start(ctx -> ctx.setBody("ok"), b -> b.idleTimeout(ONE_SECOND));
             var client = RawClient.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(200, client.readResponse().statusCode());
            assertTrue(client.awaitPeerClose(8000), "idle keep-alive connection closed after idleTimeout");
            LimitsIT.awaitTrue(() -> server.server().openConnections() == 0, "the server forgets the connection");
        }
    }

    @Test
    @Timeout(15)
    void theReadTimeoutDoesNotCloseAnIdleKeepAliveConnection() throws Exception {
        // Between requests the (long) idle timeout applies, not the (short) read timeout.
        try (var server = TestServer.start(ctx -> ctx.setBody("ok"), b -> b.readTimeout(ONE_SECOND).idleTimeout(Duration.ofSeconds(60)));
             var client = RawClient.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(200, client.readResponse().statusCode());
            assertFalse(client.awaitPeerClose(3000), "closed by the read timeout while idle between requests");
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(200, client.readResponse().statusCode());
        }
    }

    @Test
    @Timeout(30)
    void aClientThatNeverReadsAnEndlessResponseIsDisconnectedByTheWriteTimeout() throws Exception {
        CountDownLatch streaming = new CountDownLatch(1);
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'z';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                streaming.countDown();
                Arrays.fill(b, off, off + len, (byte) 'z');
                return len;
            }
        };
        try (var server = TestServer.start(ctx -> ctx.setBodyStream(endless, -1), b -> b.writeTimeout(ONE_SECOND));
             var client = RawClient.connect(server.port())) {
            client.socket().setReceiveBufferSize(64 * 1024);
            client.send("GET /endless HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(streaming.await(5, TimeUnit.SECONDS), "the handler started streaming");
            // The client never reads: the server's writes block once the socket buffers are full.
            awaitTrue(() -> server.server().openConnections() == 0, 15, "the server closes a connection whose client does not read");
            assertEquals(0, server.server().contextsInUse());
        }
    }

    @Test
    @Timeout(30)
    void aClientThatNeverReadsALargeFixedLengthResponseIsDisconnectedByTheWriteTimeout() throws Exception {
        byte[] body = new byte[64 << 20];   // 64 MB: far more than loopback socket buffers hold (a few MB), and kind to the 1 GB test heap
        try (var server = TestServer.start(ctx -> ctx.setBody(body), b -> b.writeTimeout(ONE_SECOND));
             var client = RawClient.connect(server.port())) {
            client.send("GET /huge HTTP/1.1\r\nHost: a\r\n\r\n");
            LimitsIT.awaitTrue(() -> server.server().openConnections() == 1, "accepted");
            awaitTrue(() -> server.server().openConnections() == 0, 15, "the server closes a connection whose client does not read");
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + seconds + " s: " + what);
            Thread.sleep(20);
        }
    }

    /** Reads {@code socket} on a virtual thread; completes with the count of bytes received once it is closed or reset. */
    private static CompletableFuture<Integer> readUntilClosed(Socket socket) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            int total = 0;
            try {
                InputStream in = socket.getInputStream();
                byte[] buf = new byte[1024];
                for (int n; (n = in.read(buf)) >= 0; ) total += n;
            } catch (IOException e) {
                // reset: closed all the same
            }
            done.complete(total);
        });
        return done;
    }
}
