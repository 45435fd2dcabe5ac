package io.fasthttp4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HostClient against responses scripted byte by byte: malformed ones, every body framing, interim
 * responses, servers that close, reset or never answer. After each failure the connection is closed,
 * never pooled.
 */
class ClientRawResponsesIT {
    private final Request request = Client.acquireRequest();
    private final Response response = Client.acquireResponse();

    @AfterEach
    void releaseAndCheckPools() {
        Client.releaseRequest(request);
        Client.releaseResponse(response);
        assertEquals(0, Client.requestsInUse(), "Request acquired but not released");
        assertEquals(0, Client.responsesInUse(), "Response acquired but not released");
    }

    private void get(HostClient client, String uri) throws IOException {
        request.reset();
        request.header().setRequestUri(uri);
        client.doRequest(request, response);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
            arguments("length and chunked", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "both Content-Length and Transfer-Encoding"),
            arguments("differing lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", "differing Content-Length values 1 and 2"),
            arguments("length not a number", "HTTP/1.1 200 OK\r\nContent-Length: 1a\r\n\r\nab", "malformed Content-Length '1a'"),
            arguments("status not a number", "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n", "malformed status code in 'HTTP/1.1 2x0 OK'"),
            arguments("HTTP/2.0 status line", "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", "HTTP version 2.0 not supported"),
            arguments("not HTTP at all", "SSH-2.0-OpenSSH_9.6\r\n\r\n", "malformed status line 'SSH-2.0-OpenSSH_9.6'"),
            arguments("bare LF", "HTTP/1.1 200 OK\nContent-Length: 0\n\n", "bare LF"),
            arguments("space before colon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", "whitespace between header name 'Content-Length' and colon"),
            arguments("bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "invalid byte 0x7a at start of chunk size"),
            arguments("chunked in HTTP/1.0", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "Transfer-Encoding in an HTTP/1.0 response"),
            arguments("gzip then chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "Transfer-Encoding has a coding after chunked"),
            arguments("forbidden trailer", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nContent-Length: 5\r\n\r\n", "field Content-Length not allowed in trailers"),
            arguments("header too large", "HTTP/1.1 200 OK\r\nX: " + "a".repeat(9000) + "\r\n\r\n", "header section exceeds maxHeaderBytes=8192"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    @Timeout(10)
    void rejectsAMalformedResponseWithTheCodecsMessageAndClosesTheConnection(String name, String raw, String message) throws IOException {
        try (var server = RawServer.answering(raw); var client = HostClient.builder(server.addr()).build()) {
            var e = assertThrows(HttpClientException.MalformedResponse.class, () -> get(client, "/"));
            assertTrue(e.getMessage().contains(message), "message: " + e.getMessage());
            assertEquals(0, client.connsCount(), "a connection that carried a malformed response is not pooled");
        }
    }

    @Test
    @Timeout(10)
    void readsAChunkedBodyWithExtensionsAndTrailers() throws IOException {
        try (var server = RawServer.answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n7\r\n, world\r\n0\r\nX-Checksum: abc\r\n\r\n");
             var client = HostClient.builder(server.addr()).build()) {
            get(client, "/");
            assertEquals("hello, world", response.body().toString());
            assertEquals("abc", response.trailers().get("X-Checksum"));
            get(client, "/");
            assertEquals("hello, world", response.body().toString());
            assertEquals(1, server.accepted(), "a chunked response keeps the connection");
        }
    }

    @Test
    @Timeout(10)
    void readsACloseDelimitedBodyToTheEndAndDoesNotReuseTheConnection() throws IOException {
        try (var server = RawServer.start((conn, i) -> {
                 conn.readRequest();
                 conn.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + "body until close ".repeat(1000));
             });
             var client = HostClient.builder(server.addr()).build()) {
            get(client, "/");
            assertEquals("body until close ".repeat(1000), response.body().toString());
            assertEquals(0, client.connsCount());
            get(client, "/");
            assertEquals(2, server.accepted());
        }
    }

    @Test
    @Timeout(10)
    void doesNotReuseAnHttp10ConnectionWithoutKeepAlive() throws IOException {
        try (var server = RawServer.answering("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
             var client = HostClient.builder(server.addr()).build()) {
            get(client, "/");
            assertEquals("ok", response.body().toString());
            assertEquals(0, client.connsCount());
        }
    }

    @Test
    @Timeout(10)
    void reusesAnHttp10ConnectionWithKeepAlive() throws IOException {
        try (var server = RawServer.answering("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok");
             var client = HostClient.builder(server.addr()).build()) {
            get(client, "/");
            get(client, "/");
            assertEquals(1, server.accepted());
            assertEquals(1, client.connsCount());
        }
    }

    @Test
    @Timeout(10)
    void skipsInterimResponses() throws IOException {
        try (var server = RawServer.answering("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
             var client = HostClient.builder(server.addr()).build()) {
            get(client, "/");
            assertEquals(200, response.statusCode());
            assertEquals("ok", response.body().toString());
            assertEquals(null, response.header().get("Link"), "fields of the interim response are dropped");
            get(client, "/");
            assertEquals(1, client.connsCount());
        }
    }

    @Test
    @Timeout(10)
    void readsNoBodyForHeadWhateverTheContentLength() throws IOException {
        try (var server = RawServer.answering("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
             var client = HostClient.builder(server.addr()).build()) {
            request.header().setMethod("HEAD");
            request.header().setRequestUri("/");
            client.doRequest(request, response);
            assertEquals(1000, response.header().contentLength());
            assertEquals(0, response.body().length());
            client.doRequest(request, response);
            assertEquals(1, server.accepted());
        }
    }

    @Test
    @Timeout(10)
    void readTimeoutClosesTheConnectionWhenTheServerNeverAnswers() throws IOException {
        try (var server = RawServer.start((conn, i) -> {
                 conn.readRequest();
                 Thread.sleep(60_000);
             });
             var client = HostClient.builder(server.addr()).readTimeout(Duration.ofMillis(200)).build()) {
            long start = System.nanoTime();
            assertThrows(HttpClientException.Timeout.class, () -> get(client, "/"));
            assertTrue(System.nanoTime() - start >= 200_000_000L, "not before the read timeout");
            assertEquals(0, client.connsCount());
        }
    }

    @Test
    @Timeout(10)
    void failsWithBodyTooLargeOnALargerContentLengthOrAGrowingChunkedBody() throws IOException {
        try (var declared = RawServer.answering("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + "x".repeat(100));
             var chunked = RawServer.answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n");
             var c1 = HostClient.builder(declared.addr()).maxResponseBodySize(10).build();
             var c2 = HostClient.builder(chunked.addr()).maxResponseBodySize(10).build()) {
            var e = assertThrows(HttpClientException.BodyTooLarge.class, () -> get(c1, "/"));
            assertTrue(e.getMessage().contains("body exceeds maxBodyBytes=10"), e.getMessage());
            assertThrows(HttpClientException.BodyTooLarge.class, () -> get(c2, "/"));
            assertEquals(0, c1.connsCount());
            assertEquals(0, c2.connsCount());
        }
    }

    @Test
    @Timeout(10)
    void failsWithConnectionClosedWhenTheBodyIsCutShort() throws IOException {
        try (var server = RawServer.start((conn, i) -> {
                 conn.readRequest();
                 conn.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
             });
             var client = HostClient.builder(server.addr()).build()) {
            var e = assertThrows(HttpClientException.ConnectionClosed.class, () -> get(client, "/"));
            assertTrue(e.getMessage().contains("connection closed after 3 of the body's bytes"), e.getMessage());
            assertEquals(0, client.connsCount());
        }
    }

    @Test
    @Timeout(10)
    void doesNotReuseAConnectionThatSentBytesAfterTheResponse() throws IOException {
        try (var server = RawServer.answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA");
             var client = HostClient.builder(server.addr()).build()) {
            get(client, "/");
            assertEquals("ok", response.body().toString());
            assertEquals(0, client.connsCount());
        }
    }

    /** Answers the first request on each connection, then closes it: every pooled connection is stale. */
    private static RawServer oneResponsePerConnection() throws IOException {
        return RawServer.start((conn, i) -> {
            conn.readRequest();
            conn.write("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n" + i);
        });
    }

    @Test
    @Timeout(10)
    void retriesAnIdempotentRequestWhenThePooledConnectionWasClosedByTheServer() throws Exception {
        try (var server = oneResponsePerConnection(); var client = HostClient.builder(server.addr()).build()) {
            get(client, "/");
            assertEquals("0", response.body().toString());
            awaitAccepted(server, 1);
            get(client, "/");   // the pooled connection is dead: sent again on a new one, transparently
            assertEquals("1", response.body().toString());
            assertEquals(2, server.accepted());
        }
    }

    @Test
    @Timeout(10)
    void doesNotRetryAPostUnlessRetryIfSaysSo() throws Exception {
        try (var server = oneResponsePerConnection();
             var strict = HostClient.builder(server.addr()).build();
             var lenient = HostClient.builder(server.addr()).retryIf((req, attempt, error) -> true).build()) {
            post(strict);
            var e = assertThrows(HttpClientException.ConnectionClosed.class, () -> post(strict));
            assertTrue(e.getMessage().contains("before responding") || e.getMessage().contains("connection failed"), e.getMessage());
            assertEquals(0, strict.connsCount());
            post(lenient);
            post(lenient);
            assertEquals(200, response.statusCode());
        }
    }

    private void post(HostClient client) throws IOException {
        request.reset();
        request.header().setMethod("POST");
        request.header().setRequestUri("/");
        request.setBody("data");
        client.doRequest(request, response);
    }

    @Test
    @Timeout(10)
    void failsWithConnectExceptionWhenNothingListens() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (var client = HostClient.builder("127.0.0.1:" + port).build()) {
            assertThrows(ConnectException.class, () -> get(client, "/"));
            assertEquals(0, client.connsCount());
        }
    }

    @Test
    @Timeout(10)
    void dialsSeveralAddressesRoundRobin() throws IOException {
        try (var a = RawServer.answering("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\na");
             var b = RawServer.answering("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\nb");
             var client = HostClient.builder(a.addr() + "," + b.addr()).build()) {
            StringBuilder seen = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                get(client, "/");
                seen.append(response.body());
            }
            assertEquals("abab", seen.toString());
            assertTrue(a.requests.get(0).contains("Host: " + a.addr()), "Host is the first address: " + a.requests.get(0));
            assertFalse(b.requests.isEmpty());
        }
    }

    @Test
    @Timeout(10)
    void writeTimeoutClosesTheConnectionWhenTheServerStopsReading() throws IOException {
        try (var server = RawServer.start((conn, i) -> Thread.sleep(60_000));
             var client = HostClient.builder(server.addr()).writeTimeout(Duration.ofMillis(200)).build()) {
            request.header().setMethod("PUT");
            request.header().setRequestUri("/");
            request.setBody(new byte[64 << 20]);   // more than loopback's socket buffers hold
            assertThrows(HttpClientException.Timeout.class, () -> client.doRequest(request, response));
            assertEquals(0, client.connsCount());
        }
    }

    @Test
    @Timeout(10)
    void dialTimeoutFiresWhenTheServersBacklogIsFull() throws IOException {
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            var fillers = new java.util.ArrayList<java.net.Socket>();
            try {
                for (int i = 0; i < 8; i++) {   // never accepted: once the backlog is full, the kernel drops further SYNs
                    java.net.Socket s = new java.net.Socket();
                    fillers.add(s);
                    try {
                        s.connect(full.getLocalSocketAddress(), 100);
                    } catch (IOException ignored) {
                        break;   // the backlog is full now
                    }
                }
                try (var client = HostClient.builder("127.0.0.1:" + full.getLocalPort()).dialTimeout(Duration.ofMillis(200)).build()) {
                    assertThrows(HttpClientException.DialTimeout.class, () -> get(client, "/"));
                    assertEquals(0, client.connsCount());
                }
            } finally {
                for (java.net.Socket s : fillers) s.close();
            }
        }
    }

    private static void awaitAccepted(RawServer server, int n) throws InterruptedException {
        while (server.accepted() < n) Thread.sleep(1);
    }
}
