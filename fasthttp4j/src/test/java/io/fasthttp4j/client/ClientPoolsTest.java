package io.fasthttp4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shared Request and Response pools: reuse, reset on release, counted and checked. */
class ClientPoolsTest {
    @Test
    @Timeout(5)
    void releasedRequestComesBackResetAndCounted() {
        long before = Client.requestsInUse();
        Request r = Client.acquireRequest();
        r.header().setRequestUri("/kept");
        r.setBody("body");
        assertEquals(before + 1, Client.requestsInUse());
        Client.releaseRequest(r);
        assertEquals(before, Client.requestsInUse());
        Request again = Client.acquireRequest();
        try {
            assertSame(r, again, "LIFO: the most recently released object comes back");
            assertEquals(0, again.body().length());
            assertEquals(0, again.header().requestUri().length());
        } finally {
            Client.releaseRequest(again);
        }
    }

    @Test
    @Timeout(5)
    void releasingTwiceFailsInTests() {
        Response r = Client.acquireResponse();
        Client.releaseResponse(r);
        assertThrows(IllegalStateException.class, () -> Client.releaseResponse(r));
    }
}
