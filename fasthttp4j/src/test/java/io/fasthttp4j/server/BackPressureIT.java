package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Response;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that pipelines requests and reads nothing is answered no faster than it reads (issue 13):
 * the server stops decoding its requests while their responses wait to be written, so what it holds
 * for that client stays bounded.
 */
class BackPressureIT {
    private static final int REQUESTS = 200;
    private static final int BODY = 256 * 1024;

    @Test
    @Timeout(30)
    void pipelinedRequestsAreNotDecodedFasterThanTheClientReads() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        byte[] body = new byte[BODY];
        try (var server = TestServer.start(ctx -> {
                 handled.incrementAndGet();
                 ctx.setBody(body);
             });
             var client = RawClient.connect(server.port())) {
            client.timeout(20_000);
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n".repeat(REQUESTS));
            Thread.sleep(1000);   // the client reads nothing meanwhile
            // The kernel's socket buffers hold a few MiB (~40 responses here); all 200 would be 50 MiB.
            int whileStalled = handled.get();
            assertTrue(whileStalled < REQUESTS / 2, whileStalled + " of " + REQUESTS + " handled while the client read nothing");
            assertTrue(server.server().bufferedBodyBytes() < 8L * BODY, "held " + server.server().bufferedBodyBytes());
            for (int i = 0; i < REQUESTS; i++) {
                Response r = client.readResponse();
                assertEquals(200, r.statusCode());
                assertEquals(BODY, r.body().length());
            }
            assertEquals(REQUESTS, handled.get());
        }
    }
}
