package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Response;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What only the event-loop transport does: partial writes, back-pressure, hand-off and back, the watchdog. */
class EventLoopIT {
    private static TestServer start(RequestHandler handler, java.util.function.UnaryOperator<Server.Builder> configure) {
        return TestServer.start(handler, b -> configure.apply(b.eventLoops(1)));
    }

    private static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) ('a' + i % 26);
        return b;
    }

    @Test
    @Timeout(30)
    void aLargeResponseToASlowReaderIsCompletedByPartialWrites() throws Exception {
        byte[] body = pattern(32 * 1024 * 1024);   // far more than the socket buffers hold
        try (var server = start(ctx -> ctx.setBody(ctx.path().contentEquals("/big") ? body : "small".getBytes()), b -> b);
             var client = RawClient.connect(server.port())) {
            client.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
            Thread.sleep(300);   // the socket buffers fill; the loop must park the rest on OP_WRITE, not block
            try (var other = RawClient.connect(server.port())) {
                other.send("GET /small HTTP/1.1\r\nHost: a\r\n\r\n");
                assertEquals("small", other.readResponse().body().toString(), "the loop keeps serving others meanwhile");
            }
            Response r = client.readResponse();
            assertTrue(Arrays.equals(body, r.body().toBytes()), "the body arrives whole and in order");
        }
    }

    @Test
    @Timeout(30)
    void aClientThatDoesNotReadStopsTheServerReadingItsRequestsUntilItDoes() throws Exception {
        byte[] body = pattern(256 * 1024);
        try (var server = start(ctx -> ctx.setBody(body), b -> b);
             var client = RawClient.connect(server.port())) {
            StringBuilder many = new StringBuilder();
            for (int i = 0; i < 200; i++) many.append("GET /r").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    client.send(many.toString());
                } catch (IOException ignored) {
                    // the test fails below if the responses do not arrive
                }
            });
            Thread.sleep(500);
            // 200 × 256 KiB = 50 MiB of responses cannot all be buffered by the kernel: the server had to stop
            assertTrue(server.server().openConnections() == 1);
            for (int i = 0; i < 200; i++) assertEquals(body.length, client.readResponse().body().length(), "response " + i);
            writer.join(5000);
        }
    }

    @Test
    @Timeout(60)
    void theContextsALoopKeepsStartCleanAndGoBackToThePoolAtShutdown() throws Exception {
        var loopThread = new java.util.concurrent.atomic.AtomicReference<Thread>();
        var seen = new CopyOnWriteArrayList<String>();
        TestServer server = start(ctx -> {
            loopThread.set(Thread.currentThread());
            seen.add(ctx.request().header().fieldCount() + "/" + ctx.requestBody().length() + "/" + ctx.userValue("mark"));
            ctx.setUserValue("mark", "set");
            ctx.response().header().set("X-Mark", "from " + ctx.path());
            ctx.setBody("ok");
        }, b -> b);
        try {
            // A connection that goes away in the middle of a body: its context is given back dirty.
            try (RawClient a = RawClient.connect(server.port())) {
                a.send("POST /a HTTP/1.1\r\nHost: a\r\nX-One: 1\r\nX-Two: 2\r\nContent-Length: 10\r\n\r\nabc");
                Thread.sleep(100);
            }
            // More idle connections than a loop keeps contexts for, each after one request; then all again.
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < ContextPool.LOCAL_CAPACITY * 3; i++) clients.add(RawClient.connect(server.port()));
                for (int round = 0; round < 2; round++) {
                    for (RawClient c : clients) {
                        c.send("GET /b HTTP/1.1\r\nHost: a\r\n\r\n");
                        Response r = c.readResponse();
                        assertEquals("ok", r.body().toString());
                        assertEquals("from /b", r.header().get("X-Mark"));
                    }
                    LimitsIT.awaitTrue(() -> server.server().contextsInUse() == 0, "idle connections hold no context");
                }
            } finally {
                for (RawClient c : clients) c.close();
            }
            for (String s : seen) assertEquals("1/0/null", s, "a request saw another's fields, body or user value: " + seen);
            assertEquals(ContextPool.LOCAL_CAPACITY * 3 * 2, seen.size());
        } finally {
            server.close();   // asserts contextsInUse() == 0
        }
        assertFalse(loopThread.get().isAlive(), "shutdown returns once the loop has given back the contexts it kept");
        assertEquals(0, server.server().contextsInUse());
    }

    @Test
    @Timeout(60)
    void oneLoopServesManyConnections() throws Exception {
        try (var server = start(ctx -> ctx.setBody("c" + ctx.connId()), b -> b)) {
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 500; i++) clients.add(RawClient.connect(server.port()));
                for (int round = 0; round < 3; round++) {
                    for (RawClient c : clients) c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                    for (RawClient c : clients) assertTrue(c.readResponse().body().toString().startsWith("c"));
                }
            } finally {
                for (RawClient c : clients) c.close();
            }
        }
    }

    @Test
    @Timeout(20)
    void aHandlerThatBlocksMovesToAVirtualThreadAndTheConnectionComesBackToItsLoop() throws Exception {
        RequestHandler handler = ctx -> {
            if (ctx.path().contentEquals("/slow")) {
                if (ctx.startBlocking()) return;
                Thread.sleep(50);   // allowed: this runs on a virtual thread now
                ctx.setBody("slow on loop=" + ctx.isOnEventLoop() + " conn=" + ctx.connId());
            } else {
                ctx.setBody("fast on loop=" + ctx.isOnEventLoop() + " conn=" + ctx.connId());
            }
        };
        try (var server = start(handler, b -> b);
             var client = RawClient.connect(server.port())) {
            client.send("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n");
            String first = client.readResponse().body().toString();
            client.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\nGET /fast HTTP/1.1\r\nHost: a\r\n\r\n");
            String slow = client.readResponse().body().toString();
            String after = client.readResponse().body().toString();
            String conn = first.substring(first.indexOf("conn="));
            assertEquals("fast on loop=true " + conn, first);
            assertEquals("slow on loop=false " + conn, slow);
            assertEquals("fast on loop=true " + conn, after, "back on its loop, same connection");
        }
    }

    /**
     * The loops select without a timeout: after shutdown, the end of the last connection (here one
     * handed off to a virtual thread, which ends it there) must wake every loop, also the one that
     * never had a connection, or it would wait in select for ever.
     */
    @Test
    @Timeout(30)
    void afterShutdownTheLastHandedOffConnectionEndingWakesEveryLoop() throws Exception {
        var entered = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        RequestHandler handler = ctx -> {
            if (ctx.startBlocking()) return;
            entered.countDown();
            release.await();
            ctx.setBody("late");
        };
        var before = loopThreads();
        TestServer server = TestServer.start(handler, b -> b.eventLoops(2));
        List<Thread> loops = loopThreads().stream().filter(t -> !before.contains(t)).toList();
        assertEquals(2, loops.size(), "this server's two loop threads: " + loops);
        FutureTask<Void> closer = new FutureTask<>(server::close, null);
        try (RawClient client = RawClient.connect(server.port())) {
            client.send("GET /block HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the handler runs on a virtual thread");
            Thread.ofPlatform().start(closer);   // graceful: waits for the request in flight
            LimitsIT.awaitTrue(() -> server.server().isShuttingDown(), "shutdown started");
            release.countDown();
            Response r = client.readResponse();
            assertEquals("late", r.body().toString());
            assertEquals("close", r.header().get("Connection"), "a response during shutdown closes its connection");
        }
        closer.get(15, TimeUnit.SECONDS);   // shutdown returned, and TestServer's checks passed
        for (Thread t : loops) {
            t.join(10_000);
            assertFalse(t.isAlive(), t.getName() + " ended after its last connection went");
        }
    }

    private static List<Thread> loopThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("fasthttp4j-loop-")).toList();
    }

    /**
     * With streamRequestBody, a small body that arrives in pieces is waited for on the loop (a
     * hand-off would cost more); a large one moves the connection to a virtual thread, as before.
     */
    @Test
    @Timeout(20)
    void aSmallStreamedBodyIsReadOnTheLoopAndALargeOneOnAVirtualThread() throws Exception {
        RequestHandler handler = ctx -> {
            long n = 0;
            var in = ctx.requestBodyStream();
            for (int b; (b = in.read()) >= 0; ) n++;
            ctx.setBody("read " + n + " on loop=" + ctx.isOnEventLoop());
        };
        try (var server = start(handler, b -> b.streamRequestBody(true));
             var client = RawClient.connect(server.port())) {
            client.send("POST /small HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n01234");
            Thread.sleep(50);   // the rest comes in a later read
            client.send("56789");
            assertEquals("read 10 on loop=true", client.readResponse().body().toString());

            client.send("POST /chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n");
            Thread.sleep(50);
            client.send("3\r\nabc\r\n0\r\n\r\n");
            assertEquals("read 8 on loop=true", client.readResponse().body().toString());

            int large = 100_000;
            client.send("POST /large HTTP/1.1\r\nHost: a\r\nContent-Length: " + large + "\r\n\r\n" + "x".repeat(1000));
            Thread.sleep(50);
            client.send("y".repeat(large - 1000));
            assertEquals("read " + large + " on loop=false", client.readResponse().body().toString());

            client.send("POST /small HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
            assertEquals("read 3 on loop=true", client.readResponse().body().toString(), "back on the loop afterwards");
        }
    }

    @Test
    @Timeout(20)
    void theWatchdogNamesTheHandlerThatBlockedTheLoop() throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(Server.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try (var server = start(ctx -> {
                 if (ctx.path().contentEquals("/sleepy")) Thread.sleep(400);   // wrong on a loop: the watchdog must say so
                 ctx.setBody("ok");
             }, b -> b.eventLoopWatchdog(Duration.ofMillis(50)).readTimeout(Duration.ofMillis(200)));
             var client = RawClient.connect(server.port())) {
            for (int i = 0; i < 2; i++) {
                client.send("GET /sleepy?x=" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
                assertEquals("ok", client.readResponse().body().toString());
            }
        } finally {
            logger.removeHandler(capture);
        }
        List<String> aboutSleepy = warnings.stream().filter(w -> w.contains("/sleepy")).toList();
        assertEquals(1, aboutSleepy.size(), "one warning per path, naming it: " + warnings);
        assertTrue(aboutSleepy.get(0).contains("startBlocking"));
        assertFalse(aboutSleepy.get(0).contains("x=0"), "the path, not the query");
    }

    @Test
    @Timeout(60)
    void theLoopAllocatesNothingPerRequestInSteadyState() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (var server = start(ctx -> ctx.setContentType("application/json").setBody("{\"message\":\"Hello, World!\"}"), b -> b);
             var client = RawClient.connect(server.port())) {
            String batch = "GET /json HTTP/1.1\r\nHost: a\r\n\r\n".repeat(16);
            client.send(batch);   // first, so that the loop thread has run (and allocated) before it is looked for
            client.readResponses(16);
            long loopId = loopThreads().stream().mapToLong(Thread::threadId)
                    .filter(id -> threads.getThreadAllocatedBytes(id) > 0).max().orElseThrow();
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 6; round++) {
                long before = threads.getThreadAllocatedBytes(loopId);
                for (int i = 0; i < 1000; i++) {
                    client.send(batch);
                    client.readResponses(16);
                }
                long perRequest = (threads.getThreadAllocatedBytes(loopId) - before) / 16_000;
                if (round >= 2) best = Math.min(best, perRequest);
            }
            assertEquals(0, best, "bytes the event loop allocates per request");
        }
    }

    @Test
    @Timeout(10)
    void pipelinedRequestsThatEachMoveToAVirtualThreadAreAllServed() throws Exception {
        // The second request is parsed when the connection comes back from the first one's virtual
        // thread, and is handed off from there: the loop must not wait for another event to do it.
        try (var server = start(ctx -> {
                 if (ctx.startBlocking()) return;
                 ctx.setBody("blocked " + ctx.path());
             }, b -> b);
             var client = RawClient.connect(server.port())) {
            client.send("GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\nGET /c HTTP/1.1\r\nHost: a\r\n\r\n");
            for (String path : new String[]{"/a", "/b", "/c"}) assertEquals("blocked " + path, client.readResponse().body().toString());
        }
    }
}
