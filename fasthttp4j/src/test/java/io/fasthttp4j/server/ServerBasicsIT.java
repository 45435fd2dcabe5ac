package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Response;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ServerBasicsIT {
    @Test
    @Timeout(10)
    void servesKeepAliveRequestsOnOneConnection() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody("hello " + ctx.connRequestNum()));
             var client = RawClient.connect(server.port())) {
            for (int i = 1; i <= 3; i++) {
                client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                Response r = client.readResponse();
                assertEquals(200, r.statusCode());
                assertEquals("hello " + i, r.body().toString());
                assertEquals("text/plain; charset=utf-8", r.header().contentType().toString());
                assertEquals("fasthttp4j", r.header().get("Server"));
                assertTrue(r.header().get("Date").endsWith(" GMT"));
            }
        }
    }

    @Test
    @Timeout(10)
    void answersOneHundredPipelinedRequestsInOrder() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody(ctx.path().toString()));
             var client = RawClient.connect(server.port())) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 100; i++) all.append("GET /r").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
            client.send(all.toString());
            List<Response> responses = client.readResponses(100);
            for (int i = 0; i < 100; i++) assertEquals("/r" + i, responses.get(i).body().toString());
        }
    }

    @Test
    @Timeout(10)
    void closesConnectionAfterMalformedContentLength() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody("ok"));
             var client = RawClient.connect(server.port())) {
            client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1a\r\n\r\n");
            Response r = client.readResponse();
            assertEquals(400, r.statusCode());
            assertTrue(r.header().connectionClose());
            assertTrue(client.awaitPeerClose());
        }
    }

    @Test
    @Timeout(10)
    void handlerExceptionGives500AndTheConnectionKeepsServing() throws IOException {
        try (var server = TestServer.start(ctx -> {
                 if (ctx.path().contentEquals("/boom")) throw new IllegalStateException("boom");
                 ctx.setBody("fine");
             });
             var client = RawClient.connect(server.port())) {
            client.send("GET /boom HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(500, client.readResponse().statusCode());
            client.send("GET /ok HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("fine", client.readResponse().body().toString());
            assertFalse(client.awaitPeerClose());
        }
    }
}
