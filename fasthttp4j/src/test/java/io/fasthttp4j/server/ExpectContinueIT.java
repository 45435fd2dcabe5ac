package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Response;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Expect: 100-continue, the continue handler, and the per-request body limit set by the header hook. */
class ExpectContinueIT {
    private static final RequestHandler ECHO = ctx -> ctx.setBody(ctx.requestBody().toBytes());

    @Test
    @Timeout(10)
    void expectContinueGets100ContinueThenTheBodyIsReadAndEchoed() throws IOException {
        try (var server = TestServer.start(ECHO);
             var client = RawClient.connect(server.port())) {
            client.send("POST /up HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n");
            Response interim = client.readResponse();
            assertEquals(100, interim.statusCode());
            assertEquals(0, interim.body().length());
            client.send("hello world");
            Response r = client.readResponse();
            assertEquals(200, r.statusCode());
            assertEquals("hello world", r.body().toString());
            assertFalse(r.header().connectionClose());
            // The connection serves the next request normally, without another 100.
            client.send("POST /again HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok");
            Response next = client.readResponse();
            assertEquals(200, next.statusCode());
            assertEquals("ok", next.body().toString());
        }
    }

    @Test
    @Timeout(10)
    void expectContinueWithAChunkedBodyGets100ContinueFirst() throws IOException {
        try (var server = TestServer.start(ECHO);
             var client = RawClient.connect(server.port())) {
            client.send("POST /up HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n");
            assertEquals(100, client.readResponse().statusCode());
            client.send("5\r\nchunk\r\n0\r\n\r\n");
            assertEquals("chunk", client.readResponse().body().toString());
        }
    }

    @Test
    @Timeout(10)
    void aClientThatSendsTheBodyWithoutWaitingGetsOneInterimAndOneFinalResponse() throws IOException {
        try (var server = TestServer.start(ECHO);
             var client = RawClient.connect(server.port())) {
            client.send("POST /up HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            Response first = client.readResponse();
            Response second = client.readResponse();
            if (first.statusCode() == 100) {   // a 100 is optional once the body is here (RFC 9110 §10.1.1)
                first = second;
                second = client.readResponse();
            }
            assertEquals(200, first.statusCode());
            assertEquals("abc", first.body().toString());
            assertEquals(200, second.statusCode());
            assertEquals("", second.body().toString());
        }
    }

    @Test
    @Timeout(10)
    void continueHandlerRefusingGives417AndCloseAndTheHandlerNeverRuns() throws IOException {
        AtomicInteger handled = new AtomicInteger();
        AtomicInteger asked = new AtomicInteger();
        try (var server = TestServer.start(ctx -> handled.incrementAndGet(),
                     b -> b.continueHandler(h -> {
                         asked.incrementAndGet();
                         return !h.requestUri().contentEquals("/refused");
                     }));
             var client = RawClient.connect(server.port())) {
            client.send("POST /refused HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1000000\r\n\r\n");
            Response r = client.readResponse();
            assertEquals(417, r.statusCode());
            assertTrue(r.header().connectionClose());
            assertTrue(client.awaitPeerClose());
            assertEquals(1, asked.get());
            assertEquals(0, handled.get(), "the request handler never runs for a refused expectation");
        }
    }

    @Test
    @Timeout(10)
    void continueHandlerAcceptingLetsTheBodyThrough() throws IOException {
        try (var server = TestServer.start(ECHO, b -> b.continueHandler(h -> true));
             var client = RawClient.connect(server.port())) {
            client.send("PUT /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
            assertEquals(100, client.readResponse().statusCode());
            client.send("data");
            assertEquals("data", client.readResponse().body().toString());
        }
    }

    @Test
    @Timeout(10)
    void anUnknownExpectationGets417AndClose() throws IOException {
        AtomicInteger handled = new AtomicInteger();
        try (var server = TestServer.start(ctx -> handled.incrementAndGet());
             var client = RawClient.connect(server.port())) {
            client.send("POST / HTTP/1.1\r\nHost: a\r\nExpect: foo\r\nContent-Length: 3\r\n\r\nabc");
            Response r = client.readResponse();
            assertEquals(417, r.statusCode());
            assertTrue(r.header().connectionClose());
            assertTrue(r.body().toString().contains("foo"), r.body().toString());
            assertTrue(client.awaitPeerClose());
            assertEquals(0, handled.get());
        }
    }

    @Test
    @Timeout(20)
    void headerReceivedRaisesTheBodyLimitForOnePathAndLowersItForAnother() throws IOException {
        HeaderReceived hook = (h, config) -> {
            if (h.requestUri().contentEquals("/big")) config.setMaxBodyBytes(4L << 20);
            else if (h.requestUri().contentEquals("/tiny")) config.setMaxBodyBytes(10);
        };
        String twoMegabytes = "b".repeat(2 << 20);
        try (var server = TestServer.start(ctx -> ctx.setBody("len=" + ctx.requestBody().length()),
                b -> b.maxRequestBodySize(1 << 20).headerReceived(hook))) {
            try (var client = RawClient.connect(server.port())) {
                client.send("POST /big HTTP/1.1\r\nHost: a\r\nContent-Length: " + (2 << 20) + "\r\n\r\n" + twoMegabytes);
                assertEquals("len=" + (2 << 20), client.readResponse().body().toString(), "/big may have 4 MB");
                // The raised limit belongs to that request only: the next one on the connection has the default again.
                client.send("POST /other HTTP/1.1\r\nHost: a\r\nContent-Length: " + (2 << 20) + "\r\n\r\n");
                Response r = client.readResponse();
                assertEquals(413, r.statusCode());
                assertTrue(r.body().toString().contains("maxBodyBytes=1048576"), r.body().toString());
                assertTrue(client.awaitPeerClose());
            }
            try (var client = RawClient.connect(server.port())) {
                client.send("POST /big HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(2 << 20) + "\r\n" + twoMegabytes + "\r\n0\r\n\r\n");
                assertEquals("len=" + (2 << 20), client.readResponse().body().toString(), "/big may have 4 MB, chunked too");
            }
            try (var client = RawClient.connect(server.port())) {
                client.send("POST /tiny HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world");
                Response r = client.readResponse();
                assertEquals(413, r.statusCode());
                assertTrue(r.header().connectionClose());
                assertTrue(r.body().toString().contains("maxBodyBytes=10"), r.body().toString());
                assertTrue(client.awaitPeerClose());
            }
            try (var client = RawClient.connect(server.port())) {
                client.send("POST /tiny HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n");
                assertEquals(413, client.readResponse().statusCode());
                assertTrue(client.awaitPeerClose());
            }
        }
    }

    @Test
    @Timeout(10)
    void expectContinueOverTheBodyLimitGets413InsteadOf100() throws IOException {
        try (var server = TestServer.start(ECHO, b -> b.maxRequestBodySize(100));
             var client = RawClient.connect(server.port())) {
            client.send("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 101\r\n\r\n");
            Response r = client.readResponse();
            assertEquals(413, r.statusCode(), "the client must not be invited to send a body we will refuse");
            assertTrue(r.header().connectionClose());
            assertTrue(client.awaitPeerClose());
        }
    }
}
