package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Response;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * A handler that keeps its {@link RequestCtx} past its return (fasthttp's most reported pitfall): in
 * debug mode the stale context fails loudly, naming its request; without it, it silently serves
 * another request's data.
 */
class DebugContextsIT {
    private static final String GET_END = " HTTP/1.1\r\nHost: a\r\n\r\n";

    @Test
    @Timeout(10)
    void staleContextThrowsNamingItsRequestInDebugMode() throws IOException {
        assertStaleContextFails(b -> b.debugContexts(true));
    }

    @Test
    @Timeout(10)
    void systemPropertyTurnsOnDebugMode() throws IOException {
        String before = System.getProperty(Server.DEBUG_CONTEXTS_PROPERTY);
        System.setProperty(Server.DEBUG_CONTEXTS_PROPERTY, "true");
        try {
            assertStaleContextFails(b -> b);
        } finally {
            if (before == null) System.clearProperty(Server.DEBUG_CONTEXTS_PROPERTY);
            else System.setProperty(Server.DEBUG_CONTEXTS_PROPERTY, before);
        }
    }

    @Test
    @Timeout(10)
    void staleContextUsedDuringTheNextRequestOnTheConnectionThrowsInDebugMode() throws IOException {
        AtomicReference<RequestCtx> stash = new AtomicReference<>();
        RequestHandler handler = ctx -> {
            RequestCtx previous = stash.getAndSet(ctx);
            if (previous == null) {
                ctx.setBody("first");
                return;
            }
            assertNotEquals(previous, ctx, "debug mode gives each request a fresh context");
            try {
                previous.path();
                ctx.setBody("stale access allowed");
            } catch (IllegalStateException e) {
                ctx.setBody(e.getMessage());
            }
        };
        try (var server = TestServer.start(handler, b -> b.debugContexts(true));
             var client = RawClient.connect(server.port())) {
            client.send("GET /first-request" + GET_END);
            assertEquals("first", client.readResponse().body().toString());
            client.send("GET /second-request" + GET_END);
            String message = client.readResponse().body().toString();
            assertTrue(message.contains("/first-request") && !message.contains("/second-request"), message);
        }
    }

    /**
     * Why debug mode exists: without it, the same stale access does not throw. Used during the next
     * request on the connection, it reads that request's data as if it were its own.
     */
    @Test
    @Timeout(10)
    void staleContextSilentlyShowsTheNextRequestWithoutDebugMode() throws IOException {
        AtomicReference<RequestCtx> stash = new AtomicReference<>();
        List<String> seenThroughStale = new CopyOnWriteArrayList<>();
        RequestHandler handler = ctx -> {
            RequestCtx previous = stash.getAndSet(ctx);
            if (previous != null) seenThroughStale.add(previous.path().toString());
            ctx.setBody("ok");
        };
        try (var server = TestServer.start(handler);
             var client = RawClient.connect(server.port())) {
            client.send("GET /first-request" + GET_END);
            client.readResponse();
            client.send("GET /second-request" + GET_END);
            client.readResponse();
        }
        // the context kept by the first request now shows the second one: no error, wrong data
        assertEquals(List.of("/second-request"), seenThroughStale);
        // and after the connection ended, it is a pooled, reset context: still no error
        RequestCtx stale = stash.get();
        assertDoesNotThrow(() -> stale.path());
        assertNotEquals("/second-request", stale.path().toString());
    }

    /** Stashes the handler's context, then uses it from the test thread once the response has arrived. */
    private static void assertStaleContextFails(UnaryOperator<Server.Builder> configure) throws IOException {
        AtomicReference<RequestCtx> stash = new AtomicReference<>();
        try (var server = TestServer.start(ctx -> {
                 stash.set(ctx);
                 ctx.setBody("stashed " + ctx.path());
             }, configure);
             var client = RawClient.connect(server.port())) {
            client.send("GET /stash/me?x=1" + GET_END);
            Response r = client.readResponse();
            assertEquals("stashed /stash/me", r.body().toString());
            RequestCtx stale = stash.get();
            for (Executable use : List.<Executable>of(stale::path, stale::requestHeader, stale::connId,
                    () -> stale.setBody("late"), () -> stale.userValue("k"), stale::queryArgs)) {
                IllegalStateException e = assertThrows(IllegalStateException.class, use);
                assertTrue(e.getMessage().contains("/stash/me"), e.getMessage());
            }
            assertTrue(stale.toString().contains("/stash/me"), stale.toString());
            // the connection is unharmed
            client.send("GET /next" + GET_END);
            assertEquals("stashed /next", client.readResponse().body().toString());
        }
    }
}
