package io.fasthttp4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.server.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** LBClient over two of our servers: balancing by calls in progress, and a penalty for failures. */
class LBClientIT {
    private final Request request = Client.acquireRequest();
    private final Response response = Client.acquireResponse();

    @AfterEach
    void releaseAndCheckPools() {
        Client.releaseRequest(request);
        Client.releaseResponse(response);
        assertEquals(0, Client.requestsInUse());
        assertEquals(0, Client.responsesInUse());
    }

    private String get(LBClient lb) throws IOException {
        request.reset();
        request.header().setRequestUri("/");
        lb.doRequest(request, response);
        return response.body().toString();
    }

    @Test
    @Timeout(10)
    void alternatesBetweenIdleMembers() throws IOException {
        try (var a = TestServer.start(ctx -> ctx.setBody("a")); var b = TestServer.start(ctx -> ctx.setBody("b"));
             var lb = new LBClient(List.of(HostClient.builder("127.0.0.1:" + a.port()).build(), HostClient.builder("127.0.0.1:" + b.port()).build()))) {
            StringBuilder seen = new StringBuilder();
            for (int i = 0; i < 4; i++) seen.append(get(lb));
            assertTrue(seen.toString().equals("abab") || seen.toString().equals("baba"), seen.toString());
        }
    }

    @Test
    @Timeout(10)
    void sendsToTheMemberWithFewerCallsInProgress() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (var slow = TestServer.start(ctx -> {
                 arrived.countDown();
                 HostClientIT.await(release);
                 ctx.setBody("slow");
             });
             var fast = TestServer.start(ctx -> ctx.setBody("fast"));
             var lb = new LBClient(List.of(HostClient.builder("127.0.0.1:" + slow.port()).build(), HostClient.builder("127.0.0.1:" + fast.port()).build()))) {
            Thread blocked = Thread.ofVirtual().start(() -> {
                Request r = Client.acquireRequest();
                Response s = Client.acquireResponse();
                try {
                    r.header().setRequestUri("/");
                    while (true) {   // until one call is stuck on the slow member
                        lb.doRequest(r, s);
                        if (s.body().toString().equals("slow")) return;
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                } finally {
                    Client.releaseRequest(r);
                    Client.releaseResponse(s);
                }
            });
            arrived.await();
            for (int i = 0; i < 10; i++) assertEquals("fast", get(lb));
            release.countDown();
            blocked.join();
        }
    }

    @Test
    @Timeout(10)
    void penalisesAMemberThatFails() throws IOException {
        try (var broken = RawServer.answering("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n");
             var good = TestServer.start(ctx -> ctx.setBody("good"));
             var lb = new LBClient(List.of(HostClient.builder(broken.addr()).build(), HostClient.builder("127.0.0.1:" + good.port()).build()),
                     LBClient.NO_ERROR, Duration.ofSeconds(2))) {
            int failures = 0;
            for (int i = 0; i < 10; i++) {
                try {
                    assertEquals("good", get(lb));
                } catch (HttpClientException.MalformedResponse e) {
                    failures++;
                }
            }
            assertEquals(1, failures, "after one failure the broken member carries a penalty and is avoided while idle ties go to the other");
            assertThrows(IllegalArgumentException.class, () -> new LBClient(List.of()));
        }
    }
}
