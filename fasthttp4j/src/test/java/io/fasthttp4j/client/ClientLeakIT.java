package io.fasthttp4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.server.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nothing is left out after close: many concurrent callers through one Client, with successes,
 * timeouts, server-side closes and malformed responses mixed, and then every connection, pending
 * call, pooled request and pooled response is accounted for.
 */
class ClientLeakIT {
    @Test
    @Timeout(60)
    void closeLeavesNoConnectionRequestOrResponseOut() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        try (var server = TestServer.start(ctx -> {
                 switch (ctx.path().toString()) {
                     case "/slow" -> sleep(300);
                     case "/close" -> ctx.setConnectionClose();
                     default -> { }
                 }
                 ctx.setBody("ok");
             });
             var malformed = RawServer.answering("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n")) {
            Client client = Client.builder().maxConns(4).maxConnWaitTimeout(Duration.ofSeconds(5)).build();
            String[] urls = {server.url("/"), server.url("/slow"), server.url("/close"), malformed.url("/")};
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int id = t;
                callers.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 50; i++) {
                        Request request = Client.acquireRequest();
                        Response response = Client.acquireResponse();
                        try {
                            request.header().setRequestUri(urls[(id + i) % urls.length]);
                            client.doTimeout(request, response, Duration.ofMillis(100));
                        } catch (IOException e) {
                            failures.incrementAndGet();
                        } finally {
                            Client.releaseRequest(request);
                            Client.releaseResponse(response);
                        }
                    }
                }));
            }
            for (Thread t : callers) t.join();
            assertTrue(failures.get() > 0, "the mix must include failures");
            assertEquals(0, client.pendingRequests());
            client.close();
            assertEquals(0, client.connsCount(), "connections still open after close");
            assertEquals(0, Client.requestsInUse(), "Request acquired but not released");
            assertEquals(0, Client.responsesInUse(), "Response acquired but not released");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
