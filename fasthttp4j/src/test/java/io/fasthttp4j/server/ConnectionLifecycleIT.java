package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How long a connection lives: keep-alive, close, the request limit, pipelining, and the states it reports. */
class ConnectionLifecycleIT {
    /** Answers "connId/requestNum method path body" so that every response tells where and in what order it was served. */
    private static final RequestHandler ECHO = ctx -> ctx.setBody(ctx.connId() + "/" + ctx.connRequestNum() + " "
            + ctx.method() + " " + ctx.path() + " " + ctx.requestBody());

    private static String connOf(Response r) {
        String body = r.body().toString();
        return body.substring(0, body.indexOf('/'));
    }

    @Test
    @Timeout(10)
    void http11RequestsShareOneConnectionThatStaysOpen() throws IOException {
        try (var server = TestServer.start(ECHO);
             var client = RawClient.connect(server.port())) {
            String conn = null;
            for (int i = 1; i <= 3; i++) {
                client.send("GET /k" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
                Response r = client.readResponse();
                assertEquals(200, r.statusCode());
                assertFalse(r.header().connectionClose(), "response " + i + " must not close an HTTP/1.1 connection");
                assertTrue(r.body().toString().endsWith("/" + i + " GET /k" + i + " "), r.body().toString());
                if (conn == null) conn = connOf(r);
                assertEquals(conn, connOf(r), "every request is served on the same connection");
            }
            assertFalse(client.awaitPeerClose(300), "an HTTP/1.1 connection stays open after its responses");
            assertEquals(1, server.server().openConnections());
        }
    }

    @Test
    @Timeout(10)
    void aPipelinedRequestSeesNothingOfTheRequestOrResponseBeforeIt() throws IOException {
        // Between requests read in one buffer the server only empties the views (Request.resetForNextInBuffer):
        // the second request has fewer fields than the first, and its response must not inherit anything.
        RequestHandler handler = ctx -> {
            var h = ctx.requestHeader();
            StringBuilder names = new StringBuilder();
            for (int i = 0; i < h.fieldCount(); i++) names.append(h.nameAt(i)).append(';');
            if (ctx.path().contentEquals("/first")) {
                ctx.responseHeader().set("X-First", "1");
                ctx.setStatusCode(201).setContentType("application/x-first");
            }
            ctx.setBody(ctx.method() + " " + ctx.path() + " " + ctx.queryArgs().count() + " " + names + " "
                    + (h.peek("Cookie") == null) + " " + ctx.requestBody());
        };
        try (var server = TestServer.start(handler);
             var client = RawClient.connect(server.port())) {
            client.send("GET /first?a=1&b=2 HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nX-B: 2\r\nCookie: c=1\r\n\r\n"
                    + "POST /second HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi");
            List<Response> responses = client.readResponses(2);
            Response first = responses.get(0);
            assertEquals(201, first.statusCode());
            assertEquals("1", first.header().get("X-First"));
            assertEquals("GET /first 2 Host;X-A;X-B;Cookie; false ", first.body().toString());
            Response second = responses.get(1);
            assertEquals(200, second.statusCode());
            assertEquals(null, second.header().get("X-First"));
            assertEquals("text/plain; charset=utf-8", second.header().get("Content-Type"));
            assertEquals("POST /second 0 Host;Content-Length; true hi", second.body().toString());
        }
    }

    @Test
    @Timeout(10)
    void http10RequestWithoutConnectionHeaderIsAnsweredAndClosed() throws IOException {
        try (var server = TestServer.start(ECHO);
             var client = RawClient.connect(server.port())) {
            client.send("GET /old HTTP/1.0\r\n\r\n");
            Response r = client.readResponse();
            assertEquals(200, r.statusCode());
            assertFalse(r.header().connectionKeepAlive(), "no keep-alive offered to an HTTP/1.0 client that did not ask");
            String connection = r.header().get("Connection");
            assertTrue(connection == null || connection.equalsIgnoreCase("close"), "Connection: " + connection);
            assertTrue(client.awaitPeerClose(), "HTTP/1.0 without keep-alive: the server closes after the response");
        }
    }

    @Test
    @Timeout(10)
    void http10RequestWithKeepAliveGetsKeepAliveAndTheConnectionStaysOpen() throws IOException {
        try (var server = TestServer.start(ECHO);
             var client = RawClient.connect(server.port())) {
            client.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Response first = client.readResponse();
            assertEquals(200, first.statusCode());
            assertEquals("keep-alive", first.header().get("Connection").toLowerCase());
            assertFalse(client.awaitPeerClose(300), "an HTTP/1.0 keep-alive connection stays open");
            client.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Response second = client.readResponse();
            assertEquals(200, second.statusCode());
            assertEquals(connOf(first), connOf(second));
            assertTrue(second.body().toString().contains("/2 GET /b"), second.body().toString());
            // And an HTTP/1.0 request without the header then ends it.
            client.send("GET /c HTTP/1.0\r\n\r\n");
            assertFalse(client.readResponse().header().connectionKeepAlive());
            assertTrue(client.awaitPeerClose());
        }
    }

    @Test
    @Timeout(10)
    void connectionCloseRequestGetsConnectionCloseAndTheServerCloses() throws IOException {
        try (var server = TestServer.start(ECHO);
             var client = RawClient.connect(server.port())) {
            client.send("GET /bye HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            Response r = client.readResponse();
            assertEquals(200, r.statusCode());
            assertTrue(r.header().connectionClose());
            assertTrue(client.awaitPeerClose());
        }
    }

    @Test
    @Timeout(10)
    void requestsPipelinedAfterConnectionCloseAreNotAnswered() throws IOException {
        try (var server = TestServer.start(ECHO);
             var client = RawClient.connect(server.port())) {
            client.send("GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                    + "GET /ignored HTTP/1.1\r\nHost: a\r\n\r\n");
            Response r = client.readResponse();
            assertTrue(r.body().toString().endsWith("GET /last "));
            assertTrue(r.header().connectionClose());
            assertEquals("", client.readUntilClose(), "nothing may be answered after a Connection: close response");
        }
    }

    @Test
    @Timeout(10)
    void maxRequestsPerConnClosesTheConnectionAfterTheThirdResponse() throws IOException {
        try (var server = TestServer.start(ECHO, b -> b.maxRequestsPerConn(3));
             var client = RawClient.connect(server.port())) {
            for (int i = 1; i <= 2; i++) {
                client.send("GET /" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
                Response r = client.readResponse();
                assertEquals(200, r.statusCode());
                assertFalse(r.header().connectionClose(), "response " + i + " of 3 keeps the connection");
            }
            client.send("GET /3 HTTP/1.1\r\nHost: a\r\n\r\n");
            Response third = client.readResponse();
            assertEquals(200, third.statusCode());
            assertTrue(third.header().connectionClose(), "the third response announces the close");
            assertTrue(client.awaitPeerClose());
        }
    }

    @Test
    @Timeout(10)
    void maxRequestsPerConnAlsoLimitsPipelinedRequests() throws IOException {
        try (var server = TestServer.start(ECHO, b -> b.maxRequestsPerConn(3));
             var client = RawClient.connect(server.port())) {
            StringBuilder five = new StringBuilder();
            for (int i = 1; i <= 5; i++) five.append("GET /p").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
            client.send(five.toString());
            List<Response> three = client.readResponses(3);
            assertFalse(three.get(1).header().connectionClose());
            assertTrue(three.get(2).header().connectionClose());
            assertTrue(three.get(2).body().toString().endsWith("GET /p3 "));
            assertEquals("", client.readUntilClose(), "requests past the limit get no answer");
        }
    }

    @Test
    @Timeout(10)
    void disableKeepaliveClosesAfterEveryResponse() throws IOException {
        try (var server = TestServer.start(ECHO, b -> b.disableKeepalive(true));
             var client = RawClient.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            Response r = client.readResponse();
            assertEquals(200, r.statusCode());
            assertTrue(r.header().connectionClose());
            assertTrue(client.awaitPeerClose());
        }
    }

    @Test
    @Timeout(10)
    void oneHundredPipelinedRequestsInOneWriteAreAnsweredInOrder() throws IOException {
        try (var server = TestServer.start(ECHO);
             var client = RawClient.connect(server.port())) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 100; i++) all.append("GET /r").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
            client.send(all.toString());
            List<Response> responses = client.readResponses(100);
            String conn = connOf(responses.get(0));
            for (int i = 0; i < 100; i++) {
                Response r = responses.get(i);
                assertEquals(200, r.statusCode());
                assertEquals(conn + "/" + (i + 1) + " GET /r" + i + " ", r.body().toString());
                assertFalse(r.header().connectionClose());
            }
            assertFalse(client.awaitPeerClose(200));
        }
    }

    @Test
    @Timeout(20)
    void requestsSentOneByteAtATimeAreAnsweredCorrectly() throws IOException {
        try (var server = TestServer.start(ECHO);
             var client = RawClient.connect(server.port())) {
            client.sendByteByByte("GET /slow?x=1 HTTP/1.1\r\nHost: a\r\nX-Pad: abc\r\n\r\n", 3);
            assertTrue(client.readResponse().body().toString().endsWith("/1 GET /slow "));
            client.sendByteByByte("POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", 3);
            assertTrue(client.readResponse().body().toString().endsWith("/2 POST /form hello"));
            client.sendByteByByte("POST /chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n", 3);
            assertTrue(client.readResponse().body().toString().endsWith("/3 POST /chunked abcde"));
        }
    }

    @Test
    @Timeout(20)
    void aRequestSplitIntoTwoWritesAtEveryByteBoundaryIsAnsweredCorrectly() throws Exception {
        String request = "POST /split HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbody";
        try (var server = TestServer.start(ECHO);
             var client = RawClient.connect(server.port())) {
            for (int at = 1; at < request.length(); at++) {
                client.send(request.substring(0, at));
                Thread.sleep(2);   // lets the first part arrive on its own most of the time; correctness does not depend on it
                client.send(request.substring(at));
                Response r = client.readResponse();
                assertEquals(200, r.statusCode(), "split at " + at);
                assertTrue(r.body().toString().endsWith(" POST /split body"), "split at " + at + ": " + r.body());
            }
        }
    }

    @Test
    @Timeout(10)
    void pipelinedPostsWithLengthAndChunkedBodiesMixedWithGetsAreAnsweredInOrder() throws IOException {
        try (var server = TestServer.start(ECHO);
             var client = RawClient.connect(server.port())) {
            String big = "x".repeat(10_000);   // larger than one read buffer: the body spans reads
            client.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET /3 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /4 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwiki\r\n5\r\npedia\r\n0\r\n\r\n"
                    + "POST /5 HTTP/1.1\r\nHost: a\r\nContent-Length: 10000\r\n\r\n" + big
                    + "PUT /6 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\nX-T: t\r\n\r\n"
                    + "GET /7 HTTP/1.1\r\nHost: a\r\n\r\n");
            List<Response> r = client.readResponses(7);
            String[] expected = {"GET /1 ", "POST /2 abc", "GET /3 ", "POST /4 wikipedia", "POST /5 " + big, "PUT /6 z", "GET /7 "};
            for (int i = 0; i < 7; i++) {
                assertEquals(200, r.get(i).statusCode(), "response " + (i + 1));
                String body = r.get(i).body().toString();
                assertEquals((i + 1) + " " + expected[i], body.substring(body.indexOf('/') + 1), "response " + (i + 1));
            }
            assertFalse(client.awaitPeerClose(200));
        }
    }

    @Test
    @Timeout(10)
    void connStateListenerSeesNewActiveIdleClosedInOrder() throws Exception {
        Map<Long, List<ConnState>> states = new ConcurrentHashMap<>();
        ConnStateListener listener = (id, remote, state) -> states.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(state);
        try (var server = TestServer.start(ECHO, b -> b.connStateListener(listener))) {
            try (var client = RawClient.connect(server.port())) {
                client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertEquals(200, client.readResponse().statusCode());
                awaitState(states, ConnState.IDLE);   // the server reports IDLE once the response is out
            }
            List<ConnState> seen = awaitState(states, ConnState.CLOSED);
            assertEquals(List.of(ConnState.NEW, ConnState.ACTIVE, ConnState.IDLE, ConnState.CLOSED), seen);
        }
    }

    @Test
    @Timeout(10)
    void connStateListenerSeesEachKeepAliveRequestAndAServerSideClose() throws Exception {
        Map<Long, List<ConnState>> states = new ConcurrentHashMap<>();
        ConnStateListener listener = (id, remote, state) -> states.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(state);
        try (var server = TestServer.start(ECHO, b -> b.connStateListener(listener));
             var client = RawClient.connect(server.port())) {
            client.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
            client.readResponse();
            client.send("GET /2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            client.readResponse();
            assertTrue(client.awaitPeerClose());
            List<ConnState> seen = awaitState(states, ConnState.CLOSED);
            // No IDLE after the last response: the server closes instead of waiting.
            assertEquals(List.of(ConnState.NEW, ConnState.ACTIVE, ConnState.IDLE, ConnState.ACTIVE, ConnState.CLOSED), seen);
        }
    }

    /** Waits until the only connection's states include {@code state}; returns a copy of them. */
    private static List<ConnState> awaitState(Map<Long, List<ConnState>> states, ConnState state) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (states.size() == 1) {
                List<ConnState> list = states.values().iterator().next();
                if (list.contains(state)) return new ArrayList<>(list);
            }
            assertTrue(states.size() <= 1, "one connection expected, saw " + states);
            Thread.sleep(10);
        }
        throw new AssertionError("no " + state + " within 5 s; states: " + states);
    }

    @Test
    @Timeout(10)
    void anIdleConnectionResetByItsClientGivesItsContextBack() throws Exception {
        // issue 13, found by the fault soak: on the event loop the first read of an idle connection took a
        // context and then failed with "connection reset", and nothing released that context.
        try (var server = TestServer.start(ctx -> ctx.setBody("ok"))) {
            for (int i = 0; i < 20; i++) {
                RawClient client = RawClient.connect(server.port());
                client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertEquals("ok", client.readResponse().body().toString());
                client.socket().setSoLinger(true, 0);
                client.socket().close();   // RST while idle: the server's next read fails
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (server.server().openConnections() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(0, server.server().contextsInUse(), "contexts in use after every connection was reset");
        }
    }
}
