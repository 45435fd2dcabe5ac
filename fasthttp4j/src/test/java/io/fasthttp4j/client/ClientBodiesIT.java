package io.fasthttp4j.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.server.RequestCtx;
import io.fasthttp4j.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bodies beyond byte arrays, over loopback: request bodies from a stream or a stream writer, response
 * bodies streamed from the connection, and compressed responses decoded. Against our server and the
 * JDK's {@code com.sun.net.httpserver}; every test checks where the connection ended up.
 */
class ClientBodiesIT {
    private static final long MIB = 1024 * 1024;

    private final Request request = Client.acquireRequest();
    private final Response response = Client.acquireResponse();

    @AfterEach
    void releaseAndCheckPools() {
        Client.releaseRequest(request);
        Client.releaseResponse(response);
        assertEquals(0, Client.requestsInUse(), "Request acquired but not released");
        assertEquals(0, Client.responsesInUse(), "Response acquired but not released");
    }

    /** {@code size} bytes of a fixed pattern, produced as read; remembers whether it was closed. */
    static class PatternStream extends InputStream {
        private final long size;
        long pos;
        volatile boolean closed;

        PatternStream(long size) {
            this.size = size;
        }

        static byte at(long i) {
            return (byte) (i * 31 + (i >>> 9));
        }

        @Override
        public int read() {
            return pos < size ? at(pos++) & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == size) return -1;
            int n = (int) Math.min(len, size - pos);
            for (int i = 0; i < n; i++) b[off + i] = at(pos++);
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }

        static long crc(long size) {
            CRC32 crc = new CRC32();
            byte[] buf = new byte[64 * 1024];
            PatternStream s = new PatternStream(size);
            for (int n; (n = s.read(buf, 0, buf.length)) > 0; ) crc.update(buf, 0, n);
            return crc.getValue();
        }
    }

    /** "count crc" of what {@code in} yields. */
    static String countAndCrc(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[64 * 1024];
        long count = 0;
        for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
            crc.update(buf, 0, n);
            count += n;
        }
        return count + " " + crc.getValue();
    }

    static String expected(long size) {
        return size + " " + PatternStream.crc(size);
    }

    // ---- servers ----

    /** A running server, ours or the JDK's, with the same paths. */
    interface Peer extends AutoCloseable {
        String addr();

        @Override
        void close();
    }

    static Stream<String> peers() {
        return Stream.of("fasthttp4j", "jdk-httpserver");
    }

    static Peer start(String name) throws IOException {
        if (name.equals("jdk-httpserver")) return startJdk();
        TestServer server = TestServer.start(ClientBodiesIT::handle, b -> b.streamRequestBody(true).maxRequestBodySize(64 * MIB));
        return new Peer() {
            public String addr() {
                return "127.0.0.1:" + server.port();
            }

            public void close() {
                server.close();
            }
        };
    }

    /** /upload: "count crc framing" of the request body; /download?n: n pattern bytes (Content-Length); /chunked?n: chunked; /gzip: TEXT gzipped. */
    private static void handle(RequestCtx ctx) {
        String path = ctx.path().toString();
        long n = ctx.queryArgs().peek("n") == null ? 0 : Long.parseLong(ctx.queryArgs().get("n"));
        switch (path) {
            case "/upload" -> {
                try {
                    String framing = ctx.requestHeader().isChunked() ? "chunked" : "length=" + ctx.requestHeader().contentLength();
                    ctx.setBody(countAndCrc(ctx.requestBodyStream()) + " " + framing + " " + ctx.method());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            case "/download" -> ctx.setBodyStream(new PatternStream(n), n);
            case "/chunked" -> ctx.setBodyStreamWriter(out -> new PatternStream(n).transferTo(out));
            case "/gzip" -> {
                ctx.response().header().set("Content-Encoding", "gzip");
                ctx.setBody(gzip(TEXT));
            }
            case "/conn" -> ctx.setBody(Long.toString(ctx.connId()));
            case "/307" -> ctx.redirect("/upload", 307);
            case "/303" -> ctx.redirect("/upload", 303);
            default -> ctx.setStatusCode(404);
        }
    }

    static final byte[] TEXT = "compressible text, ".repeat(10_000).getBytes(StandardCharsets.US_ASCII);

    static byte[] gzip(byte[] data) {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Peer startJdk() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        var executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", ClientBodiesIT::jdkHandle);
        server.start();
        String addr = "127.0.0.1:" + server.getAddress().getPort();
        return new Peer() {
            public String addr() {
                return addr;
            }

            public void close() {
                server.stop(0);
                executor.close();
            }
        };
    }

    private static void jdkHandle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getQuery();
        long n = query == null ? 0 : Long.parseLong(query.substring(2));
        byte[] body;
        long length;
        InputStream source = null;
        switch (path) {
            case "/upload" -> {
                var h = exchange.getRequestHeaders();
                String framing = "chunked".equalsIgnoreCase(h.getFirst("Transfer-Encoding")) ? "chunked" : "length=" + h.getFirst("Content-Length");
                body = (countAndCrc(exchange.getRequestBody()) + " " + framing + " " + exchange.getRequestMethod()).getBytes(StandardCharsets.US_ASCII);
                length = body.length;
            }
            case "/chunked" -> {
                body = null;
                source = new PatternStream(n);
                length = 0;   // the JDK's way of saying chunked
            }
            case "/gzip" -> {
                exchange.getResponseHeaders().set("Content-Encoding", "gzip");
                body = gzip(TEXT);
                length = body.length;
            }
            default -> {
                body = new byte[0];
                length = -1;
                exchange.sendResponseHeaders(404, length);
                exchange.close();
                return;
            }
        }
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(200, length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (body != null) out.write(body);
            else source.transferTo(out);
        }
        exchange.close();
    }

    private void upload(HostClient client, InputStream body, long size) throws IOException {
        request.reset();
        request.header().setMethod("PUT");
        request.header().setRequestUri("/upload");
        request.setBodyStream(body, size);
        client.doRequest(request, response);
    }

    // ---- request bodies ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    @Timeout(60)
    void uploadsTwentyMegabytesFromAStreamOfKnownSize(String name) throws Exception {
        try (Peer peer = start(name); var client = HostClient.builder(peer.addr()).build()) {
            PatternStream body = new PatternStream(20 * MIB);
            upload(client, body, 20 * MIB);
            assertEquals(expected(20 * MIB) + " length=" + 20 * MIB + " PUT", response.body().toString());
            assertTrue(body.closed, "the client closes a stream it has sent");
            assertEquals(null, request.bodyStream(), "a sent stream is dropped from the request");
            assertEquals(1, client.idleConnsCount(), "the connection is reused after a streamed upload");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    @Timeout(60)
    void uploadsTwentyMegabytesFromAStreamChunked(String name) throws Exception {
        try (Peer peer = start(name); var client = HostClient.builder(peer.addr()).build()) {
            upload(client, new PatternStream(20 * MIB), -1);
            assertEquals(expected(20 * MIB) + " chunked PUT", response.body().toString());
            upload(client, new PatternStream(0), -1);
            assertEquals(expected(0) + " chunked PUT", response.body().toString(), "an empty chunked body");
            assertEquals(1, client.connsCount());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    @Timeout(60)
    void uploadsWhatAStreamWriterWrites(String name) throws Exception {
        try (Peer peer = start(name); var client = HostClient.builder(peer.addr()).build()) {
            request.header().setMethod("POST");
            request.header().setRequestUri("/upload");
            request.setBodyStreamWriter(out -> {
                PatternStream s = new PatternStream(3 * MIB + 7);
                while (s.pos < 100) out.write(s.read());   // byte by byte first
                out.flush();
                s.transferTo(out);
            });
            client.doRequest(request, response);
            assertEquals(expected(3 * MIB + 7) + " chunked POST", response.body().toString());
            assertEquals(1, client.idleConnsCount());
        }
    }

    @Test
    @Timeout(30)
    void sendsTheBodyWhileTheStreamIsStillProducingIt() throws Exception {
        CountDownLatch serverHasAMegabyte = new CountDownLatch(1);
        try (var server = TestServer.start(ctx -> {
                 byte[] buf = new byte[64 * 1024];
                 long total = 0;
                 try {
                     for (int n; (n = ctx.requestBodyStream().read(buf)) >= 0; ) {
                         total += n;
                         if (total >= MIB) serverHasAMegabyte.countDown();
                     }
                 } catch (IOException e) {
                     throw new java.io.UncheckedIOException(e);
                 }
                 ctx.setBody(Long.toString(total));
             }, b -> b.streamRequestBody(true).maxRequestBodySize(64 * MIB));
             var client = HostClient.builder("127.0.0.1:" + server.port()).build()) {
            // Produces 2 MiB, then waits until the server has received 1 MiB of them: only a client that
            // sends as it reads, rather than reading the whole stream first, gets past that point.
            InputStream gated = new PatternStream(4 * MIB) {
                @Override
                public int read(byte[] b, int off, int len) {
                    if (super.pos >= 2 * MIB) await(serverHasAMegabyte);
                    return super.read(b, off, len);
                }
            };
            upload(client, gated, 4 * MIB);
            assertEquals(Long.toString(4 * MIB), response.body().toString());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) throw new AssertionError("the server received nothing while the stream was producing");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Timeout(20)
    void aStreamShorterThanItsSizeFailsNamingTheShortfallAndClosesTheConnection() throws Exception {
        try (Peer peer = start("fasthttp4j"); var client = HostClient.builder(peer.addr()).build()) {
            request.header().setRequestUri("/conn");
            client.doRequest(request, response);
            assertEquals(1, client.idleConnsCount());
            PatternStream shortStream = new PatternStream(100_000);
            var e = assertThrows(EOFException.class, () -> upload(client, shortStream, 300_000));
            assertTrue(e.getMessage().startsWith("request body stream ended after 100000 of the 300000 bytes given to setBodyStream, 200000 short"),
                    e.getMessage());
            assertTrue(shortStream.closed);
            assertEquals(0, client.connsCount(), "a connection with half a body sent is closed, not reused");
            upload(client, new PatternStream(1000), 1000);
            assertEquals(expected(1000) + " length=1000 PUT", response.body().toString(), "the next call dials afresh");
        }
    }

    @Test
    @Timeout(20)
    void aStreamThatThrowsFailsTheCallWithItsExceptionAndClosesTheConnection() throws Exception {
        try (Peer peer = start("fasthttp4j"); var client = HostClient.builder(peer.addr()).build()) {
            request.header().setMethod("POST");
            request.header().setRequestUri("/upload");
            request.setBodyStreamWriter(out -> {
                out.write(new byte[50_000]);
                throw new IOException("disk on fire");
            });
            var e = assertThrows(IOException.class, () -> client.doRequest(request, response));
            assertEquals("disk on fire", e.getMessage());
            assertEquals(0, client.connsCount());
        }
    }

    @Test
    void resetClosesAStreamThatWasNotSent() {
        PatternStream s = new PatternStream(10);
        request.setBodyStream(s, 10);
        assertTrue(request.hasBodyStream());
        request.reset();
        assertTrue(s.closed);
        assertTrue(!request.hasBodyStream());
        assertThrows(IllegalArgumentException.class, () -> request.setBodyStream(s, -2));
    }

    @Test
    @Timeout(20)
    void aStreamedRequestIsNotRetriedOnAStaleConnection() throws Exception {
        String ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        try (var server = RawServer.start((conn, index) -> {
                 for (String r; (r = conn.readRequest()) != null; ) {
                     conn.write(ok);
                     if (index == 0) return;   // closes the first connection after one response, without saying so
                 }
             });
             var client = HostClient.builder(server.addr()).build()) {
            request.header().setRequestUri("/");
            client.doRequest(request, response);
            Thread.sleep(100);   // let the close arrive
            request.header().setMethod("PUT");
            request.setBody("bytes");
            client.doRequest(request, response);   // a byte body is sent again on a new connection
            assertEquals("ok", response.body().toString());
            assertEquals(2, server.accepted());

            try (var s2 = RawServer.start((conn, index) -> {
                     conn.readRequest();
                     conn.write(ok);   // and close
                 });
                 var client2 = HostClient.builder(s2.addr()).build()) {
                request.reset();
                request.header().setRequestUri("/");
                client2.doRequest(request, response);
                Thread.sleep(100);
                request.header().setMethod("PUT");
                request.setBodyStream(new PatternStream(10), 10);
                assertThrows(HttpClientException.ConnectionClosed.class, () -> client2.doRequest(request, response));
                assertEquals(1, s2.accepted(), "a streamed body cannot be sent again: no retry");
            }
        }
    }

    @Test
    @Timeout(20)
    void aRedirectThatWouldResendAStreamedBodyIsNotFollowed() throws Exception {
        try (Peer peer = start("fasthttp4j"); var client = Client.builder().build()) {
            request.header().setMethod("POST");
            request.header().setRequestUri("http://" + peer.addr() + "/307");
            request.setBodyStream(new PatternStream(1000), 1000);
            client.doRedirects(request, response, 5);
            assertEquals(307, response.statusCode(), "the 307 is the answer");
            assertEquals("/upload", response.header().get("Location").replaceFirst("^http://[^/]+", ""));

            request.reset();
            request.header().setMethod("POST");
            request.header().setRequestUri("http://" + peer.addr() + "/303");
            request.setBodyStream(new PatternStream(1000), 1000);
            client.doRedirects(request, response, 5);
            assertEquals(200, response.statusCode(), "a 303 continues as a GET without body");
            assertEquals(expected(0) + " length=-1 GET", response.body().toString());
            client.close();
        }
    }

    // ---- response bodies ----

    private InputStream download(HostClient client, String uri) throws IOException {
        request.reset();
        request.header().setRequestUri(uri);
        response.setStreamBody(true);
        client.doRequest(request, response);
        assertEquals(200, response.statusCode());
        return response.bodyStream();
    }

    @Test
    @Timeout(60)
    void streamsFiftyMegabytesPastASmallMaxResponseBodySize() throws Exception {
        try (Peer peer = start("fasthttp4j"); var client = HostClient.builder(peer.addr()).maxResponseBodySize(MIB).build()) {
            response.bodyBuffer().trimTo(4096);   // a pooled response may have grown in an earlier test
            for (String uri : new String[] {"/download?n=" + 50 * MIB, "/chunked?n=" + 50 * MIB}) {
                try (InputStream in = download(client, uri)) {
                    assertEquals(1, client.connsCount());
                    assertEquals(0, client.idleConnsCount(), "the stream holds the connection");
                    assertEquals(expected(50 * MIB), countAndCrc(in), uri);
                    assertEquals(1, client.idleConnsCount(), "back in the pool once the body's end is read");
                }
                assertTrue(response.bodyBuffer().capacity() <= 128 * 1024, "passed through a small buffer: " + response.bodyBuffer().capacity());
            }
            assertEquals(1, client.connsCount(), "one connection for both");

            request.reset();
            request.header().setRequestUri("/download?n=" + 50 * MIB);
            response.setStreamBody(false);
            var e = assertThrows(HttpClientException.BodyTooLarge.class, () -> client.doRequest(request, response));
            assertTrue(e.getMessage().contains("maxBodyBytes=1048576"), e.getMessage());
        }
    }

    @Test
    @Timeout(60)
    void streamsAChunkedDownloadFromTheJdkServer() throws Exception {
        try (Peer peer = start("jdk-httpserver"); var client = HostClient.builder(peer.addr()).maxResponseBodySize(MIB).build()) {
            InputStream in = download(client, "/chunked?n=" + 10 * MIB);
            assertTrue(response.header().isChunked());
            assertEquals(expected(10 * MIB), countAndCrc(in));
            assertEquals(1, client.idleConnsCount());
        }
    }

    @Test
    @Timeout(30)
    void closingEarlyClosesTheConnectionInsteadOfReusingIt() throws Exception {
        try (Peer peer = start("fasthttp4j"); var client = HostClient.builder(peer.addr()).build()) {
            String firstConn = connId(client);
            InputStream in = download(client, "/download?n=" + 50 * MIB);
            assertEquals(100_000, in.readNBytes(100_000).length);
            in.close();
            assertEquals(0, client.connsCount(), "closed, not put back with 50 MB still to come");
            assertThrows(IOException.class, in::read, "a closed stream cannot be read");
            assertNotEquals(firstConn, connId(client), "the next call dials a new connection");
            assertEquals(1, client.connsCount());
        }
    }

    private String connId(HostClient client) throws IOException {
        request.reset();
        request.header().setRequestUri("/conn");
        response.setStreamBody(false);
        client.doRequest(request, response);
        return response.body().toString();
    }

    @Test
    @Timeout(30)
    void releasingTheResponseClosesItsStream() throws Exception {
        try (Peer peer = start("fasthttp4j"); var client = HostClient.builder(peer.addr()).build()) {
            Response other = Client.acquireResponse();
            request.header().setRequestUri("/download?n=" + 10 * MIB);
            other.setStreamBody(true);
            client.doRequest(request, other);
            other.bodyStream().read();
            Client.releaseResponse(other);   // never closed by the caller
            assertEquals(0, client.connsCount(), "release closed the stream and with it the half-read connection");

            Response small = Client.acquireResponse();
            small.setStreamBody(true);
            client.doRequest(request, small);   // the same Response object may come back: fine
            Client.releaseResponse(small);
            request.reset();
            request.header().setRequestUri("/download?n=100");
            Response tiny = Client.acquireResponse();
            tiny.setStreamBody(true);
            client.doRequest(request, tiny);
            assertEquals(1, client.idleConnsCount(), "a body that arrived with the header frees the connection at once");
            Client.releaseResponse(tiny);
            assertEquals(1, client.idleConnsCount());
        }
    }

    @Test
    @Timeout(30)
    void aStreamedResponseWithoutBodyAndAnEmptyOneReadAsEmptyStreams() throws Exception {
        try (Peer peer = start("fasthttp4j"); var client = HostClient.builder(peer.addr()).build()) {
            assertEquals(-1, download(client, "/download?n=0").read());
            request.header().setMethod("HEAD");
            response.setStreamBody(true);
            client.doRequest(request, response);
            assertEquals(-1, response.bodyStream().read());
            assertEquals(1, client.idleConnsCount());
        }
    }

    @Test
    @Timeout(30)
    void theReadTimeoutEndsAStalledStreamedBody() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        var server = TestServer.start(ctx -> ctx.setBodyStreamWriter(out -> {
            out.write(new byte[1000]);
            out.flush();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.write(1);
        }));
        try (var client = HostClient.builder("127.0.0.1:" + server.port()).readTimeout(Duration.ofMillis(300)).build()) {
            InputStream in = download(client, "/stall");
            Thread.sleep(600);   // a slow reader is fine: the timeout counts only while a read waits
            assertEquals(1000, in.readNBytes(1000).length);
            long start = System.nanoTime();
            var e = assertThrows(HttpClientException.Timeout.class, in::read);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "timed out after the read timeout, not the server's 10 s");
            assertTrue(e.getMessage().contains("timed out reading the response"), e.getMessage());
            assertEquals(0, client.connsCount());
        } finally {
            release.countDown();
            server.close();
        }
    }

    @Test
    @Timeout(20)
    void aMalformedChunkInAStreamedBodyFailsTheReadAndClosesTheConnection() throws Exception {
        try (var server = RawServer.start((conn, index) -> {
                 conn.readRequest();
                 conn.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
                 Thread.sleep(200);
                 conn.write("zz\r\n");
                 Thread.sleep(5000);
             });
             var client = HostClient.builder(server.addr()).build()) {
            InputStream in = download(client, "/");
            assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), in.readNBytes(5));
            var e = assertThrows(HttpClientException.MalformedResponse.class, in::read);
            assertTrue(e.getMessage().contains("chunk size"), e.getMessage());
            assertEquals(0, client.connsCount());
        }
    }

    @Test
    @Timeout(20)
    void streamsACloseDelimitedBodyAndDoesNotReuseTheConnection() throws Exception {
        try (var server = RawServer.start((conn, index) -> {
                 conn.readRequest();
                 conn.write("HTTP/1.1 200 OK\r\n\r\n");
                 byte[] chunk = new byte[100_000];
                 for (int i = 0; i < 30; i++) conn.out.write(chunk);
             });
             var client = HostClient.builder(server.addr()).maxResponseBodySize(MIB).build()) {
            assertEquals(3_000_000, download(client, "/").readAllBytes().length);
            assertEquals(0, client.connsCount());
        }
    }

    @Test
    @Timeout(30)
    void aClientStreamsAResponseFromAnAbsoluteUrl() throws Exception {
        try (Peer peer = start("fasthttp4j"); var client = Client.builder().maxResponseBodySize(MIB).build()) {
            request.header().setRequestUri("http://" + peer.addr() + "/chunked?n=" + 5 * MIB);
            response.setStreamBody(true);
            client.doRequest(request, response);
            assertEquals(expected(5 * MIB), countAndCrc(response.bodyStream()));
            assertEquals(1, client.connsCount());
            client.close();
            assertEquals(0, client.connsCount());
        }
    }

    // ---- compressed responses ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    @Timeout(20)
    void decodesAGzipResponse(String name) throws Exception {
        try (Peer peer = start(name); var client = HostClient.builder(peer.addr()).build()) {
            request.header().setRequestUri("/gzip");
            request.header().set("Accept-Encoding", "gzip, deflate");
            client.doRequest(request, response);
            assertEquals("gzip", response.header().get("Content-Encoding"));
            assertTrue(response.body().length() < TEXT.length / 10, "the client does not decode on its own");
            assertArrayEquals(TEXT, response.bodyUncompressed().toBytes());
            var e = assertThrows(io.fasthttp4j.ContentEncodingException.class, () -> response.bodyUncompressed(1000));
            assertTrue(e.getMessage().startsWith("gzip body decodes to more than maxBytes=1000"), e.getMessage());
        }
    }
}
