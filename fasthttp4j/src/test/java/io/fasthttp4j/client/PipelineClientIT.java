package io.fasthttp4j.client;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.server.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PipelineClient over loopback: against our server for ordering under many concurrent callers, and
 * against scripted raw servers that hold responses back, answer several at once, end the connection,
 * stall or send garbage, to check what each caller gets and what is sent again.
 */
class PipelineClientIT {
    private static final int UPLOAD_BYTES = 16 << 20;

    @AfterEach
    void checkSharedPools() {
        assertEquals(0, Client.requestsInUse(), "Request acquired but not released");
        assertEquals(0, Client.responsesInUse(), "Response acquired but not released");
    }

    @Test
    @Timeout(120)
    void everyCallerGetsItsOwnResponseWhenManyCallersShareTwoConnections() throws Exception {
        Set<Long> connIds = ConcurrentHashMap.newKeySet();
        try (var server = TestServer.start(ctx -> {
                 connIds.add(ctx.connId());
                 ctx.setBody(ctx.requestHeader().requestUri().toString());
             });
             var client = PipelineClient.builder("127.0.0.1:" + server.port()).maxConns(2).build()) {
            AtomicInteger answered = new AtomicInteger();
            List<String> wrong = new CopyOnWriteArrayList<>();
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                int caller = t;
                callers.add(Thread.ofVirtual().start(() -> {
                    Request request = Client.acquireRequest();
                    Response response = Client.acquireResponse();
                    try {
                        for (int i = 0; i < 500; i++) {
                            String uri = "/c" + caller + "/r" + i;
                            request.header().setRequestUri(uri);
                            client.doRequest(request, response);
                            if (response.body().toString().equals(uri)) answered.incrementAndGet();
                            else wrong.add(uri + " got " + response.body());
                        }
                    } catch (IOException e) {
                        wrong.add("caller " + caller + ": " + e);
                    } finally {
                        Client.releaseRequest(request);
                        Client.releaseResponse(response);
                    }
                }));
            }
            for (Thread t : callers) t.join();
            assertEquals(List.of(), wrong.subList(0, Math.min(5, wrong.size())));
            assertEquals(64 * 500, answered.get());
            assertEquals(2, connIds.size(), "connections the server saw: maxConns, no more and (64 callers) no fewer");
            assertEquals(0, client.pendingRequests());
            assertEquals(2, client.connsCount());
            client.close();
            assertEquals(0, client.connsCount());
            assertEquals(0, client.worksInUse());
        }
    }

    @Test
    @Timeout(30)
    void sendsManyRequestsOnOneConnectionBeforeTheFirstResponse() throws Exception {
        AtomicInteger mostInOneRead = new AtomicInteger();
        // Answers nothing on a connection until 16 requests are waiting on it: a client that sent one
        // request at a time would time out. Then answers everything, as it arrives.
        try (var server = RawServer.start((conn, index) -> {
                 List<String> held = new ArrayList<>();
                 StringBuilder in = new StringBuilder();
                 byte[] buf = new byte[65536];
                 boolean released = false;
                 for (int n; (n = conn.in.read(buf)) > 0; ) {
                     in.append(new String(buf, 0, n, ISO_8859_1));
                     int inThisRead = 0;
                     for (int end; (end = in.indexOf("\r\n\r\n")) >= 0; inThisRead++) {
                         held.add(in.substring(0, end).split(" ")[1]);
                         in.delete(0, end + 4);
                     }
                     mostInOneRead.accumulateAndGet(inThisRead, Math::max);
                     released |= held.size() >= 16;
                     if (!released) continue;
                     StringBuilder out = new StringBuilder();
                     for (String path : held) out.append(echo(path));
                     held.clear();
                     conn.write(out.toString());
                 }
             });
             var client = PipelineClient.builder(server.addr()).build()) {
            List<Call> calls = new ArrayList<>();
            for (int t = 0; t < 16; t++) calls.add(Call.repeat(client, "/c" + t, 20, Duration.ofSeconds(10)));
            for (Call c : calls) c.assertBody("20 answers");
            assertEquals(1, server.accepted(), "maxConns=1: one connection");
            assertTrue(mostInOneRead.get() > 1, "the server never received more than one request in one read");
            client.close();
        }
    }

    @Test
    @Timeout(30)
    void maxBatchDelayCollectsRequestsThatArriveApartIntoOneWrite() throws Exception {
        AtomicInteger mostInOneRead = new AtomicInteger();
        try (var server = RawServer.start((conn, index) -> {
                 StringBuilder in = new StringBuilder();
                 byte[] buf = new byte[65536];
                 for (int n; (n = conn.in.read(buf)) > 0; ) {
                     in.append(new String(buf, 0, n, ISO_8859_1));
                     StringBuilder out = new StringBuilder();
                     int inThisRead = 0;
                     for (int end; (end = in.indexOf("\r\n\r\n")) >= 0; inThisRead++) {
                         out.append(echo(in.substring(0, end).split(" ")[1]));
                         in.delete(0, end + 4);
                     }
                     mostInOneRead.accumulateAndGet(inThisRead, Math::max);
                     conn.write(out.toString());
                 }
             });
             var client = PipelineClient.builder(server.addr()).maxBatchDelay(Duration.ofMillis(500)).build()) {
            List<Call> calls = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                calls.add(Call.start(client, "GET", "/c" + t, null));
                Thread.sleep(5);   // apart: without the delay each would be written on its own
            }
            for (int t = 0; t < 8; t++) calls.get(t).assertBody("200 /c" + t);
            assertEquals(8, mostInOneRead.get(), "all eight requests in one write");
            client.close();
        }
    }

    @Test
    @Timeout(30)
    void failsAtOnceWithPipelineOverflowWhenMaxPendingRequestsAreOut() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (var server = stallingServer(seen, new CountDownLatch(1));
             var client = PipelineClient.builder(server.addr()).maxPendingRequests(4).build()) {
            List<Call> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) calls.add(Call.start(client, "GET", "/" + i, null));
            awaitSize(seen, 4);
            assertEquals(4, client.pendingRequests());
            Call overflow = Call.start(client, "GET", "/overflow", null);
            var e = overflow.failure(HttpClientException.PipelineOverflow.class);
            assertTrue(e.getMessage().contains("maxPendingRequests=4"), e.getMessage());
            assertEquals(4, seen.size(), "the refused request was not sent");
            client.close();
            for (Call c : calls) {
                var closed = c.failure(HttpClientException.ConnectionClosed.class);
                assertTrue(closed.getMessage().contains("was closed"), closed.getMessage());
            }
            assertEquals(0, client.pendingRequests());
            assertEquals(0, client.worksInUse());
            assertEquals(0, client.connsCount());
        }
    }

    @Test
    @Timeout(30)
    void aCallThatTimesOutInFlightClosesItsConnectionAndFailsTheRequestsBehindIt() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch peerClosed = new CountDownLatch(1);
        try (var server = stallingServer(seen, peerClosed); var client = PipelineClient.builder(server.addr()).build()) {
            Call late = Call.start(client, "GET", "/late", Duration.ofSeconds(1));
            awaitSize(seen, 1);
            Call behindGet = Call.start(client, "GET", "/behind-get", null);
            awaitSize(seen, 2);
            Call behindPost = Call.start(client, "POST", "/behind-post", null);
            awaitSize(seen, 3);
            var timeout = late.failure(HttpClientException.Timeout.class);
            assertTrue(timeout.getMessage().contains("in flight, so its connection was closed"), timeout.getMessage());
            for (Call c : List.of(behindGet, behindPost)) {
                var e = c.failure(HttpClientException.ConnectionClosed.class);
                assertTrue(e.getMessage().contains("because an earlier request on it timed out"), e.getMessage());
            }
            assertTrue(peerClosed.await(5, TimeUnit.SECONDS), "the client closed the connection");
            assertEquals(1, server.accepted(), "nothing was sent again");
            assertEquals(List.of("GET /late", "GET /behind-get", "POST /behind-post"), seen);
            assertEquals(0, client.pendingRequests());
            assertEquals(0, client.connsCount());
        }
    }

    @Test
    @Timeout(30)
    void aCallThatTimesOutWhileQueuedSendsNothingAndTheWriterDropsIt() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch bodyStarted = new CountDownLatch(1);
        CountDownLatch readBody = new CountDownLatch(1);
        // reads the upload's header, then nothing until told: the writer stays blocked writing its body
        try (var server = RawServer.start((conn, index) -> {
                 StringBuilder head = new StringBuilder();
                 while (!head.toString().endsWith("\r\n\r\n")) head.append((char) conn.in.read());
                 seen.add(firstLine(head.toString()));
                 bodyStarted.countDown();
                 readBody.await();
                 conn.in.readNBytes(UPLOAD_BYTES);
                 conn.write(echo("/upload"));
                 echoEach(conn, seen);
             });
             var client = PipelineClient.builder(server.addr()).build()) {
            Request upload = Client.acquireRequest();
            Response uploadResponse = Client.acquireResponse();
            upload.header().setMethod("POST");
            upload.header().setRequestUri("/upload");
            upload.setBody(new byte[UPLOAD_BYTES]);   // more than the socket buffers hold
            var uploadFailure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
            Thread uploader = Thread.ofVirtual().start(() -> {
                try {
                    client.doRequest(upload, uploadResponse);
                } catch (Throwable t) {
                    uploadFailure.set(t);
                }
            });
            assertTrue(bodyStarted.await(10, TimeUnit.SECONDS));
            Call queued = Call.start(client, "GET", "/queued", Duration.ofMillis(200));
            var e = queued.failure(HttpClientException.Timeout.class);
            assertTrue(e.getMessage().contains("still queued, so nothing was sent"), e.getMessage());
            assertEquals(1, client.connsCount(), "the connection carrying the upload stays open");
            readBody.countDown();
            uploader.join();
            assertEquals(null, uploadFailure.get());
            assertEquals("/upload", uploadResponse.body().toString());
            Client.releaseRequest(upload);
            Client.releaseResponse(uploadResponse);
            for (long until = System.nanoTime() + 5_000_000_000L; client.pendingRequests() > 0 && System.nanoTime() < until; ) Thread.sleep(1);
            assertEquals(0, client.pendingRequests(), "the writer that found the given-up call in the queue did not release it");
            assertEquals(0, client.worksInUse());
            assertEquals(List.of("POST /upload"), seen, "the given-up call was not sent");
            assertEquals(1, server.accepted());
        }
    }

    @Test
    @Timeout(30)
    void readTimeoutFailsTheLateRequestWithTimeoutAndTheOnesBehindWithConnectionClosed() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (var server = stallingServer(seen, new CountDownLatch(1));
             var client = PipelineClient.builder(server.addr()).readTimeout(Duration.ofMillis(300)).build()) {
            Call first = Call.start(client, "GET", "/first", null);
            awaitSize(seen, 1);
            Call second = Call.start(client, "POST", "/second", null);
            var e = first.failure(HttpClientException.Timeout.class);
            assertTrue(e.getMessage().contains("readTimeout=300ms"), e.getMessage());
            var behind = second.failure(HttpClientException.ConnectionClosed.class);
            assertTrue(behind.getMessage().contains("an earlier request on it timed out"), behind.getMessage());
        }
    }

    static Stream<Arguments> firstResponseEndsTheConnection() {
        return Stream.of(
            arguments("then the server closes", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n/1"),
            arguments("it says Connection: close", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n/1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("firstResponseEndsTheConnection")
    @Timeout(30)
    void requestsSentBehindAResponseThatEndsTheConnectionAreSentAgainOnlyIfIdempotent(String name, String first) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (var server = RawServer.start((conn, index) -> {
                 if (index == 0) {
                     for (int i = 0; i < 3; i++) seen.add(firstLine(conn.readRequest()));
                     conn.write(first);
                     return;   // RawServer closes the socket
                 }
                 echoEach(conn, seen);
             });
             var client = PipelineClient.builder(server.addr()).build()) {
            Call get1 = Call.start(client, "GET", "/1", null);
            awaitSize(seen, 1);
            Call post2 = Call.start(client, "POST", "/2", null);
            awaitSize(seen, 2);
            Call get3 = Call.start(client, "GET", "/3", null);
            get1.assertBody("200 /1");
            get3.assertBody("200 /3");
            var e = post2.failure(HttpClientException.ConnectionClosed.class);
            assertTrue(e.getMessage().contains("after 0 bytes of this response"), e.getMessage());
            assertEquals(List.of("GET /1", "POST /2", "GET /3", "GET /3"), seen, "GET /3 again on a new connection, POST /2 not");
            assertEquals(2, server.accepted());
        }
    }

    @Test
    @Timeout(30)
    void aResponseCutShortFailsItsRequestWithoutSendingItAgain() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (var server = RawServer.start((conn, index) -> {
                 if (index > 0) {
                     echoEach(conn, seen);
                     return;
                 }
                 for (int i = 0; i < 2; i++) seen.add(firstLine(conn.readRequest()));
                 conn.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n/1HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
             });
             var client = PipelineClient.builder(server.addr()).build()) {
            Call get1 = Call.start(client, "GET", "/1", null);
            awaitSize(seen, 1);
            Call get2 = Call.start(client, "GET", "/2", null);
            get1.assertBody("200 /1");
            var e = get2.failure(HttpClientException.ConnectionClosed.class);
            assertTrue(e.getMessage().contains("after 42 bytes of this response"), e.getMessage());
            assertEquals(List.of("GET /1", "GET /2"), seen, "a request whose response had begun is not sent again");
        }
    }

    @Test
    @Timeout(30)
    void readsHeadAnd204And304AndSkips100InsideOnePipelinedWrite() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (var server = RawServer.start((conn, index) -> {
                 for (int i = 0; i < 5; i++) seen.add(firstLine(conn.readRequest()));
                 conn.write("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n"            // HEAD: no body, whatever the length says
                         + "HTTP/1.1 204 No Content\r\n\r\n"
                         + "HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n"
                         + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody"
                         + "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlast");
                 while (conn.readRequest() != null) Thread.onSpinWait();
             });
             var client = PipelineClient.builder(server.addr()).build()) {
            String[][] requests = {{"HEAD", "/head"}, {"GET", "/204"}, {"GET", "/304"}, {"GET", "/continue"}, {"GET", "/last"}};
            List<Call> calls = new ArrayList<>();
            for (String[] r : requests) {
                calls.add(Call.start(client, r[0], r[1], null));
                awaitSize(seen, calls.size());
            }
            calls.get(0).assertBody("200 ");
            assertEquals(11, calls.get(0).contentLength);
            calls.get(1).assertBody("204 ");
            calls.get(2).assertBody("304 ");
            calls.get(3).assertBody("200 body");
            calls.get(4).assertBody("200 last");
            assertEquals(1, server.accepted());
            assertEquals(1, client.connsCount(), "the connection stays open");
        }
    }

    @Test
    @Timeout(30)
    void aMalformedResponseFailsItsRequestAndTheOnesBehindItWithoutSendingThemAgain() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (var server = RawServer.start((conn, index) -> {
                 if (index > 0) {
                     echoEach(conn, seen);
                     return;
                 }
                 for (int i = 0; i < 3; i++) seen.add(firstLine(conn.readRequest()));
                 conn.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n/1HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n");
                 while (conn.readRequest() != null) Thread.onSpinWait();
             });
             var client = PipelineClient.builder(server.addr()).build()) {
            List<Call> calls = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                calls.add(Call.start(client, "GET", "/" + i, null));
                awaitSize(seen, i);
            }
            calls.get(0).assertBody("200 /1");
            var malformed = calls.get(1).failure(HttpClientException.MalformedResponse.class);
            assertTrue(malformed.getMessage().contains("malformed Content-Length 'x'"), malformed.getMessage());
            var behind = calls.get(2).failure(HttpClientException.ConnectionClosed.class);
            assertTrue(behind.getMessage().contains("an earlier response was malformed"), behind.getMessage());
            assertEquals(List.of("GET /1", "GET /2", "GET /3"), seen, "nothing sent again to a broken server");
        }
    }

    @Test
    @Timeout(30)
    void aRefusedConnectionFailsTheQueuedCallsWithTheDialError() throws Exception {
        int port;
        try (var unused = new java.net.ServerSocket(0)) {
            port = unused.getLocalPort();
        }
        try (var client = PipelineClient.builder("127.0.0.1:" + port).build()) {
            List<Call> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) calls.add(Call.start(client, "GET", "/" + i, null));
            for (Call c : calls) c.failure(java.net.ConnectException.class);
            assertEquals(0, client.pendingRequests());
            assertEquals(0, client.worksInUse());
        }
    }

    @Test
    @Timeout(60)
    void closeLeavesNothingOutAfterAMixOfSuccessesTimeoutsAndServerCloses() throws Exception {
        try (var server = TestServer.start(ctx -> {
                 // on the event-loop transport a sleeping handler would stall every connection of its
                 // loop, and then no call at all succeeds within its 100 ms: sleep on a virtual thread
                 if (ctx.path().contentEquals("/slow") && ctx.startBlocking()) return;
                 switch (ctx.path().toString()) {
                     case "/slow" -> sleep(150);
                     case "/close" -> ctx.setConnectionClose();
                     default -> { }
                 }
                 ctx.setBody("ok");
             })) {
            var client = PipelineClient.builder("127.0.0.1:" + server.port()).maxConns(3).maxPendingRequests(64).build();
            String[] uris = {"/", "/slow", "/close", "/", "/"};
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger successes = new AtomicInteger();
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int id = t;
                callers.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 40; i++) {
                        Request request = Client.acquireRequest();
                        Response response = Client.acquireResponse();
                        try {
                            request.header().setRequestUri(uris[(id + i) % uris.length]);
                            if (i % 2 == 0) request.header().setMethod("POST");
                            client.doTimeout(request, response, Duration.ofMillis(100));
                            successes.incrementAndGet();
                        } catch (IOException e) {
                            failures.incrementAndGet();
                        } finally {
                            Client.releaseRequest(request);
                            Client.releaseResponse(response);
                        }
                    }
                }));
            }
            Thread.sleep(300);
            // On a loaded machine 300 ms may pass before any call got through: close only after one did
            long waitUntil = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (successes.get() == 0 && System.nanoTime() - waitUntil < 0) Thread.sleep(5);
            client.close();   // with calls queued and in flight
            for (Thread t : callers) t.join();
            assertTrue(failures.get() > 0 && successes.get() > 0, "the mix must include both: " + successes + " ok, " + failures + " failed");
            assertEquals(0, client.pendingRequests(), "calls still counted");
            assertEquals(0, client.worksInUse(), "queue items acquired and not released");
            assertEquals(0, client.connsCount(), "connections still open after close");
        }
    }

    // ---- helpers ----

    /** One call (or a run of calls) on a virtual thread; its outcome is the status and body, or the exception. */
    static final class Call {
        private volatile Thread thread;
        volatile String outcome;
        volatile Throwable error;
        volatile long contentLength;

        static Call start(PipelineClient client, String method, String uri, Duration timeout) {
            Call call = new Call();
            call.thread = Thread.ofVirtual().start(() -> call.run(client, method, uri, timeout, 1));
            return call;
        }

        /** {@code times} calls in a row, each checked to echo {@code uri}; the outcome is "N answers". */
        static Call repeat(PipelineClient client, String uri, int times, Duration timeout) {
            Call call = new Call();
            call.thread = Thread.ofVirtual().start(() -> call.run(client, "GET", uri, timeout, times));
            return call;
        }

        private void run(PipelineClient client, String method, String uri, Duration timeout, int times) {
            Request request = Client.acquireRequest();
            Response response = Client.acquireResponse();
            try {
                request.header().setMethod(method);
                request.header().setRequestUri(uri);
                if (method.equals("POST")) request.setBody("x");
                for (int i = 0; i < times; i++) {
                    if (timeout == null) client.doRequest(request, response);
                    else client.doTimeout(request, response, timeout);
                    if (times > 1 && !response.body().toString().equals(uri)) throw new AssertionError(uri + " got " + response.body());
                }
                contentLength = response.header().contentLength();
                outcome = times > 1 ? times + " answers" : response.statusCode() + " " + response.body();
            } catch (Throwable t) {
                error = t;
            } finally {
                Client.releaseRequest(request);
                Client.releaseResponse(response);
            }
        }

        private void join() throws InterruptedException {
            assertTrue(thread.join(Duration.ofSeconds(20)), "call still running");
        }

        void assertBody(String expected) throws InterruptedException {
            join();
            if (error != null) throw new AssertionError("expected \"" + expected + "\", failed with " + error, error);
            assertEquals(expected, outcome);
        }

        <T extends Throwable> T failure(Class<T> type) throws InterruptedException {
            join();
            if (error == null) throw new AssertionError("expected " + type.getSimpleName() + ", got \"" + outcome + "\"");
            return assertInstanceOf(type, error, () -> "got " + error);
        }
    }

    /** A server that reads requests (their first lines into {@code seen}) and never answers; counts down {@code peerClosed} on EOF. */
    private static RawServer stallingServer(List<String> seen, CountDownLatch peerClosed) throws IOException {
        return RawServer.start((conn, index) -> {
            for (String r; (r = conn.readRequest()) != null; ) seen.add(firstLine(r));
            peerClosed.countDown();
        });
    }

    static void echoEach(RawServer.Conn conn, List<String> seen) throws IOException {
        for (String r; (r = conn.readRequest()) != null; ) {
            seen.add(firstLine(r));
            conn.write(echo(r.split(" ")[1]));
        }
    }

    private static String echo(String path) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + path.length() + "\r\n\r\n" + path;
    }

    /** "GET /x" from "GET /x HTTP/1.1\r\n..." */
    static String firstLine(String request) {
        String line = request.substring(0, request.indexOf("\r\n"));
        return line.substring(0, line.lastIndexOf(' '));
    }

    static void awaitSize(List<?> list, int size) throws InterruptedException {
        while (list.size() < size) Thread.sleep(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
