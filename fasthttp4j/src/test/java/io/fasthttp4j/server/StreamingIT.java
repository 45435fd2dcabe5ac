package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Response;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Streamed response bodies (input streams, stream writers, files) and streamed request bodies. */
class StreamingIT {
    private static final String GET_END = " HTTP/1.1\r\nHost: a\r\n\r\n";
    private static final int MIB = 1024 * 1024;

    // ---- response bodies ----

    @Test
    @Timeout(10)
    void bodyStreamOfKnownSizeIsSentWithContentLengthAndClosed() throws IOException {
        byte[] data = randomBytes(300_000, 1);
        AtomicInteger closed = new AtomicInteger();
        RequestHandler handler = ctx -> ctx.setBodyStream(closeCounting(new ByteArrayInputStream(data), closed), data.length);
        try (var server = TestServer.start(handler);
             var conn = RawConnection.connect(server.port())) {
            for (int i = 1; i <= 2; i++) {   // and the connection stays usable
                conn.send("GET /" + GET_END);
                var head = conn.readHead();
                assertEquals(200, head.status());
                assertEquals(String.valueOf(data.length), head.field("Content-Length"));
                assertNull(head.field("Transfer-Encoding"));
                assertArrayEquals(data, conn.readExactly(data.length));
                assertEquals(i, closed.get(), "the stream is closed after it was sent");
            }
        }
    }

    @Test
    @Timeout(10)
    void bodyStreamOfUnknownSizeIsSentChunked() throws IOException {
        byte[] data = randomBytes(100_003, 2);
        AtomicInteger closed = new AtomicInteger();
        // a stream that returns small, uneven pieces, like a pipe
        RequestHandler handler = ctx -> ctx.setBodyStream(closeCounting(new Trickle(data, 997), closed), -1);
        try (var server = TestServer.start(handler);
             var conn = RawConnection.connect(server.port())) {
            conn.send("GET /" + GET_END);
            var head = conn.readHead();
            assertEquals("chunked", head.field("Transfer-Encoding"));
            assertNull(head.field("Content-Length"));
            assertArrayEquals(data, conn.readChunkedBody());
            assertEquals(1, closed.get());
        }
        try (var server = TestServer.start(handler);
             var client = RawClient.connect(server.port())) {
            client.send("GET /" + GET_END);
            assertArrayEquals(data, client.readResponse().body().toBytes());
        }
    }

    /** A handler that set the stream on the Response (the client's setter) gets it sent, not silently dropped. */
    @Test
    @Timeout(10)
    void bodyStreamSetOnTheResponseIsSentChunked() throws IOException {
        byte[] data = randomBytes(40_000, 5);
        AtomicInteger closed = new AtomicInteger();
        try (var server = TestServer.start(ctx -> ctx.response().setBodyStream(closeCounting(new ByteArrayInputStream(data), closed)));
             var conn = RawConnection.connect(server.port())) {
            conn.send("GET /" + GET_END);
            var head = conn.readHead();
            assertEquals("chunked", head.field("Transfer-Encoding"));
            assertArrayEquals(data, conn.readChunkedBody());
            assertEquals(1, closed.get());
        }
    }

    /**
     * RFC 9112 §6.1: a server must not send chunked (or any Transfer-Encoding) to an HTTP/1.0 client;
     * a body of unknown length is then delimited by closing the connection (§6.3).
     */
    @Test
    @Timeout(10)
    void bodyStreamOfUnknownSizeToAnHttp10ClientIsDelimitedByClose() throws IOException {
        byte[] data = randomBytes(50_000, 9);
        try (var server = TestServer.start(ctx -> ctx.setBodyStream(new ByteArrayInputStream(data), -1));
             var conn = RawConnection.connect(server.port())) {
            conn.send("GET / HTTP/1.0\r\nHost: a\r\n\r\n");
            var head = conn.readHead();
            assertEquals(200, head.status());
            assertNull(head.field("Transfer-Encoding"), head.text());
            assertArrayEquals(data, conn.readUntilClose());
        }
    }

    @Test
    @Timeout(10)
    void streamWriterToAnHttp10ClientIsDelimitedByClose() throws IOException {
        RequestHandler handler = ctx -> ctx.setBodyStreamWriter(out -> {
            out.write("one ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            out.write("two".getBytes(StandardCharsets.US_ASCII));
        });
        try (var server = TestServer.start(handler);
             var conn = RawConnection.connect(server.port())) {
            conn.send("GET / HTTP/1.0\r\nHost: a\r\n\r\n");
            var head = conn.readHead();
            assertEquals(200, head.status());
            assertNull(head.field("Transfer-Encoding"), head.text());
            assertEquals("one two", new String(conn.readUntilClose(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    @Timeout(10)
    void bodyStreamEndingBeforeItsDeclaredSizeClosesTheConnectionWithoutAHang() throws IOException {
        AtomicInteger closed = new AtomicInteger();
        byte[] ten = "0123456789".getBytes(StandardCharsets.US_ASCII);
        RequestHandler handler = ctx -> ctx.setBodyStream(closeCounting(new ByteArrayInputStream(ten), closed), 1000);
        try (var server = TestServer.start(handler);
             var conn = RawConnection.connect(server.port())) {
            conn.send("GET /" + GET_END);
            String received = new String(conn.readUntilClose(), StandardCharsets.ISO_8859_1);
            // Never a complete response: at most the header and the 10 bytes, then the close.
            int headerEnd = received.indexOf("\r\n\r\n");
            if (!received.isEmpty()) {
                assertTrue(received.startsWith("HTTP/1.1 200 OK\r\n"), received);
                assertTrue(headerEnd > 0 && received.substring(0, headerEnd).contains("\r\nContent-Length: 1000"), received);
                assertTrue(received.length() - headerEnd - 4 <= 10, received);
            }
            assertEquals(1, closed.get());
        }
    }

    @Test
    @Timeout(10)
    void bodyStreamEndingEarlyAfterLargeOutputLeavesTheClientATruncatedBody() throws IOException {
        byte[] half = randomBytes(50_000, 3);
        RequestHandler handler = ctx -> ctx.setBodyStream(new ByteArrayInputStream(half), 100_000);
        try (var server = TestServer.start(handler);
             var conn = RawConnection.connect(server.port())) {
            conn.send("GET /" + GET_END);
            var head = conn.readHead();
            assertEquals(200, head.status());
            assertEquals("100000", head.field("Content-Length"));
            byte[] body = conn.readUntilClose();
            assertTrue(body.length > 0 && body.length <= half.length, "received " + body.length);
            assertArrayEquals(Arrays.copyOf(half, body.length), body);
        }
    }

    @Test
    @Timeout(15)
    void streamWriterFlushesEachEventToTheClientBeforeItFinishes() throws Exception {
        CountDownLatch firstEventSeen = new CountDownLatch(1);
        AtomicBoolean writerDone = new AtomicBoolean();
        RequestHandler handler = ctx -> {
            ctx.setContentType("text/event-stream");
            ctx.setBodyStreamWriter(out -> {
                for (int i = 0; i < 5; i++) {
                    out.write(("data: event " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (i == 0) {
                        // blocked until the client has read event 0: proves flush() sent it
                        if (!await(firstEventSeen)) throw new IOException("client never saw event 0");
                    } else {
                        sleep(200);
                    }
                }
                writerDone.set(true);
            });
        };
        try (var server = TestServer.start(handler);
             var conn = RawConnection.connect(server.port())) {
            conn.send("GET /events" + GET_END);
            var head = conn.readHead();
            assertEquals("text/event-stream", head.field("Content-Type"));
            assertEquals("chunked", head.field("Transfer-Encoding"));
            assertEquals("data: event 0\n\n", readEvent(conn));
            assertFalse(writerDone.get(), "event 0 arrived only after the writer finished");
            firstEventSeen.countDown();
            for (int i = 1; i < 5; i++) assertEquals("data: event " + i + "\n\n", readEvent(conn));
            assertNull(conn.readChunk());
            assertEquals("", conn.readTrailerSection());
            assertTrue(writerDone.get());
            conn.send("GET /after" + GET_END);   // keep-alive after a streamed body
            assertEquals(200, conn.readHead().status());
        }
    }

    @Test
    @Timeout(10)
    void streamWriterThatFailsClosesTheConnectionWithoutTheLastChunk() throws IOException {
        RequestHandler handler = ctx -> ctx.setBodyStreamWriter(out -> {
            out.write("partial".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            throw new IOException("backend went away");
        });
        try (var server = TestServer.start(handler);
             var conn = RawConnection.connect(server.port())) {
            conn.send("GET /" + GET_END);
            assertEquals(200, conn.readHead().status());
            assertEquals("partial", new String(conn.readChunk(), StandardCharsets.US_ASCII));
            String rest = new String(conn.readUntilClose(), StandardCharsets.ISO_8859_1);
            assertFalse(rest.contains("0\r\n\r\n"), "a failed body must not look complete: " + rest);
        }
    }

    @Test
    @Timeout(20)
    void sendFileSendsTheFileBytesWithItsLengthAndHeadSendsOnlyTheLength(@TempDir Path dir) throws IOException {
        byte[] data = randomBytes(5 * MIB, 4);
        Path file = dir.resolve("big.bin");
        Files.write(file, data);
        try (var server = TestServer.start(ctx -> ctx.sendFile(file));
             var conn = RawConnection.connect(server.port())) {
            conn.send("GET /big.bin" + GET_END);
            var head = conn.readHead();
            assertEquals(200, head.status());
            assertEquals(String.valueOf(data.length), head.field("Content-Length"));
            assertArrayEquals(data, conn.readExactly(data.length));
            conn.send("HEAD /big.bin" + GET_END);
            var headOnly = conn.readHead();
            assertEquals(200, headOnly.status());
            assertEquals(String.valueOf(data.length), headOnly.field("Content-Length"));
            conn.send("GET /big.bin" + GET_END);   // proves HEAD sent no body bytes
            assertEquals(200, conn.readHead().status());
            assertArrayEquals(data, conn.readExactly(data.length));
        }
    }

    @Test
    @Timeout(10)
    void sendFileOfAMissingFileAnswers404(@TempDir Path dir) throws IOException {
        try (var server = TestServer.start(ctx -> ctx.sendFile(dir.resolve("missing.txt")));
             var client = RawClient.connect(server.port())) {
            client.send("GET /missing.txt" + GET_END);
            Response r = client.readResponse();
            assertEquals(404, r.statusCode());
            client.send("GET /missing.txt" + GET_END);
            assertEquals(404, client.readResponse().statusCode());
        }
    }

    // ---- request bodies ----

    @Test
    @Timeout(30)
    void streamedRequestBodyOfTwentyMegabytesIsReadInPiecesWithContentLength() throws Exception {
        try (var server = TestServer.start(StreamingIT::countBody, b -> b.streamRequestBody(true).maxRequestBodySize(64L * MIB));
             var conn = RawConnection.connect(server.port())) {
            int size = 20 * MIB;
            conn.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + size + "\r\n\r\n");
            byte[] piece = randomBytes(64 * 1024, 5);
            for (int sent = 0; sent < size; sent += piece.length) conn.send(piece);
            var head = conn.readHead();
            assertEquals(200, head.status(), head.text());
            assertEquals(size + " " + expectedSum(piece, size / piece.length), readBody(conn, head));
        }
    }

    @Test
    @Timeout(30)
    void streamedRequestBodyOfTwentyMegabytesIsReadInPiecesWhenChunked() throws Exception {
        try (var server = TestServer.start(StreamingIT::countBody, b -> b.streamRequestBody(true).maxRequestBodySize(64L * MIB));
             var conn = RawConnection.connect(server.port())) {
            int size = 20 * MIB;
            conn.send("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] piece = randomBytes(64 * 1024, 6);
            byte[] prefix = (Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int sent = 0; sent < size; sent += piece.length) {
                conn.send(prefix);
                conn.send(piece);
                conn.send("\r\n");
            }
            conn.send("0\r\n\r\n");
            var head = conn.readHead();
            assertEquals(200, head.status(), head.text());
            assertEquals(size + " " + expectedSum(piece, size / piece.length), readBody(conn, head));
        }
    }

    @Test
    @Timeout(15)
    void streamedRequestBodyHandlerRunsBeforeTheBodyHasArrived() throws Exception {
        CountDownLatch handlerStarted = new CountDownLatch(1);
        RequestHandler handler = ctx -> {
            handlerStarted.countDown();
            countBody(ctx);
        };
        try (var server = TestServer.start(handler, b -> b.streamRequestBody(true).maxRequestBodySize(64L * MIB));
             var conn = RawConnection.connect(server.port())) {
            int size = 2 * MIB;
            byte[] body = randomBytes(size, 7);
            conn.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + size + "\r\n\r\n");
            conn.send(Arrays.copyOf(body, 1024));
            assertTrue(handlerStarted.await(5, TimeUnit.SECONDS), "the handler waited for the whole body");
            conn.send(Arrays.copyOfRange(body, 1024, size));
            var head = conn.readHead();
            assertEquals(200, head.status());
            assertEquals(size + " " + sum(body), readBody(conn, head));
            conn.send("POST /second HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");   // keep-alive after a fully read stream
            var second = conn.readHead();
            assertEquals(200, second.status());
            assertEquals("3 " + sum("abc".getBytes(StandardCharsets.US_ASCII)), readBody(conn, second));
        }
    }

    @Test
    @Timeout(15)
    void streamedRequestBodyPastMaxRequestBodySizeGets413AndClose() throws Exception {
        AtomicLong seen = new AtomicLong(-1);
        RequestHandler handler = ctx -> {
            long n = 0;
            try (InputStream in = ctx.requestBodyStream()) {
                byte[] buf = new byte[8192];
                for (int r; (r = in.read(buf)) >= 0; ) {
                    n += r;
                    seen.set(n);
                }
            }
            ctx.setBody("read " + n);
        };
        try (var server = TestServer.start(handler, b -> b.streamRequestBody(true).maxRequestBodySize(MIB));
             var conn = RawConnection.connect(server.port())) {
            conn.send("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
            Thread sender = sendInBackground(conn, chunked(randomBytes(2 * MIB, 8), 32 * 1024));
            var head = conn.readHead();
            assertEquals(413, head.status(), head.text());
            assertEquals("close", head.field("Connection"));
            assertTrue(seen.get() <= MIB, "handler read " + seen.get() + " bytes past the limit");
            conn.readExactly(Integer.parseInt(head.field("Content-Length")));
            assertTrue(conn.awaitPeerClose());
            sender.join(5000);
        }
    }

    @Test
    @Timeout(15)
    void declaredContentLengthPastMaxRequestBodySizeGets413BeforeTheHandlerRuns() throws Exception {
        AtomicBoolean handled = new AtomicBoolean();
        try (var server = TestServer.start(ctx -> handled.set(true), b -> b.streamRequestBody(true).maxRequestBodySize(MIB));
             var conn = RawConnection.connect(server.port())) {
            conn.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + (MIB + 1) + "\r\n\r\n");
            var head = conn.readHead();
            assertEquals(413, head.status());
            assertEquals("close", head.field("Connection"));
            conn.readExactly(Integer.parseInt(head.field("Content-Length")));
            assertTrue(conn.awaitPeerClose());
            assertFalse(handled.get());
        }
    }

    @Test
    @Timeout(15)
    void handlerReadingPartOfAStreamedBodyGetsItsResponseDeliveredThenTheConnectionClosed() throws Exception {
        List<String> paths = new CopyOnWriteArrayList<>();
        RequestHandler handler = ctx -> {
            paths.add(ctx.path().toString());
            byte[] first = ctx.requestBodyStream().readNBytes(1024);
            ctx.setBody("read " + first.length);
        };
        // A body made of requests: if the server parsed on after the unread body, they would be served.
        byte[] smuggled = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n".repeat(40_000).getBytes(StandardCharsets.US_ASCII);
        try (var server = TestServer.start(handler, b -> b.streamRequestBody(true).maxRequestBodySize(64L * MIB));
             var conn = RawConnection.connect(server.port())) {
            conn.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + smuggled.length + "\r\n\r\n");
            conn.send(Arrays.copyOf(smuggled, 4096));
            Thread sender = sendInBackground(conn, Arrays.copyOfRange(smuggled, 4096, smuggled.length));
            var head = conn.readHead();
            assertEquals(200, head.status(), head.text());
            assertEquals("close", head.field("Connection"));
            assertEquals("read 1024", readBody(conn, head));
            assertTrue(conn.awaitPeerClose());
            sender.join(5000);
        }
        assertEquals(List.of("/upload"), paths);
    }

    @Test
    @Timeout(10)
    void requestBodyStreamReadsAnInMemoryBodyWithoutStreamingMode() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody(new String(ctx.requestBodyStream().readAllBytes(), StandardCharsets.UTF_8)));
             var client = RawClient.connect(server.port())) {
            client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
            assertEquals("hello", client.readResponse().body().toString());
            client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nbye");   // the stream starts over
            assertEquals("bye", client.readResponse().body().toString());
        }
    }

    // ---- helpers ----

    /** Reads the body in 8 KiB pieces and answers "count sum". */
    private static void countBody(RequestCtx ctx) throws IOException {
        long n = 0;
        long sum = 0;
        InputStream in = ctx.requestBodyStream();
        byte[] buf = new byte[8192];
        for (int r; (r = in.read(buf, 0, buf.length)) >= 0; ) {
            if (r == 0) throw new IOException("read returned 0");
            n += r;
            for (int i = 0; i < r; i++) sum += buf[i] & 0xff;
        }
        ctx.setBody(n + " " + sum);
    }

    private static long sum(byte[] data) {
        long s = 0;
        for (byte b : data) s += b & 0xff;
        return s;
    }

    private static long expectedSum(byte[] piece, int times) {
        return sum(piece) * times;
    }

    private static String readBody(RawConnection conn, RawConnection.Head head) throws IOException {
        String length = head.field("Content-Length");
        byte[] body = length != null ? conn.readExactly(Integer.parseInt(length)) : conn.readChunkedBody();
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String readEvent(RawConnection conn) throws IOException {
        StringBuilder event = new StringBuilder();
        while (!event.toString().endsWith("\n\n")) {
            byte[] chunk = conn.readChunk();
            if (chunk == null) throw new IOException("body ended inside an event: " + event);
            event.append(new String(chunk, StandardCharsets.UTF_8));
        }
        return event.toString();
    }

    private static byte[] chunked(byte[] data, int chunkSize) {
        var out = new java.io.ByteArrayOutputStream();
        for (int at = 0; at < data.length; at += chunkSize) {
            int n = Math.min(chunkSize, data.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Writes {@code bytes} from another thread; a server that closes early makes the write fail, which is fine. */
    private static Thread sendInBackground(RawConnection conn, byte[] bytes) {
        return Thread.ofPlatform().daemon().start(() -> {
            try {
                for (int at = 0; at < bytes.length; at += 16 * 1024) {
                    conn.send(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 16 * 1024)));
                }
            } catch (IOException expected) {
                // the server closed the connection: the rest of the body is not wanted
            }
        });
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static InputStream closeCounting(InputStream in, AtomicInteger closed) {
        return new FilterInputStream(in) {
            @Override
            public void close() throws IOException {
                closed.incrementAndGet();
                super.close();
            }
        };
    }

    private static boolean await(CountDownLatch latch) throws IOException {
        try {
            return latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Returns at most {@code step} bytes per read. */
    private static final class Trickle extends InputStream {
        private final byte[] data;
        private final int step;
        private int pos;

        Trickle(byte[] data, int step) {
            this.data = data;
            this.step = step;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == data.length) return -1;
            int n = Math.min(Math.min(len, step), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
