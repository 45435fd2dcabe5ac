package io.fasthttp4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Args;
import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.server.TestServer;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Client against our server over loopback: hosts chosen from the URI, redirects, get and post. */
class ClientIT {
    private final Response response = Client.acquireResponse();

    @AfterEach
    void releaseAndCheckPools() {
        Client.releaseResponse(response);
        assertEquals(0, Client.requestsInUse(), "Request acquired but not released");
        assertEquals(0, Client.responsesInUse(), "Response acquired but not released");
    }

    /** Describes the request it got: "METHOD /path?query body". */
    private static TestServer echoServer() {
        return TestServer.start(ctx -> {
            String path = ctx.path().toString();
            switch (path) {
                case "/relative" -> ctx.redirect("target?from=relative", 302);
                case "/absolute" -> ctx.redirect("http://127.0.0.1:" + ctx.localAddress().toString().replaceAll(".*:", "") + "/target?from=absolute", 301);
                case "/see-other" -> ctx.redirect("/target", 303);
                case "/temporary" -> ctx.redirect("/target", 307);
                case "/permanent" -> ctx.redirect("/target", 308);
                case "/loop" -> ctx.redirect("/loop", 302);
                default -> ctx.setBody(ctx.method() + " " + ctx.requestHeader().requestUri() + " " + ctx.requestBody());
            }
        });
    }

    @Test
    @Timeout(10)
    void getFollowsRelativeAndAbsoluteRedirects() throws IOException {
        try (var server = echoServer(); var client = Client.builder().build()) {
            assertEquals(200, client.get(server.url("/relative"), response));
            assertEquals("GET /target?from=relative ", response.body().toString());
            assertEquals(200, client.get(server.url("/absolute"), response));
            assertEquals("GET /target?from=absolute ", response.body().toString());
            assertEquals(1, client.hostClientsCount());
            assertEquals(1, client.connsCount(), "every hop reused the one connection");
        }
    }

    @Test
    @Timeout(10)
    void followsARedirectToAnotherHost() throws IOException {
        try (var target = echoServer();
             var origin = TestServer.start(ctx -> ctx.redirect(target.url("/target?from=origin"), 302));
             var client = Client.builder().build()) {
            assertEquals(200, client.get(origin.url("/start"), response));
            assertEquals("GET /target?from=origin ", response.body().toString());
            assertEquals(2, client.hostClientsCount());
        }
    }

    @Test
    @Timeout(10)
    void seeOtherContinuesAsGetWithoutTheBody() throws IOException {
        try (var server = echoServer(); var client = Client.builder().build()) {
            assertEquals(200, client.post(server.url("/see-other"), "text/plain", "payload".getBytes(), response));
            assertEquals("GET /target ", response.body().toString());
        }
    }

    @Test
    @Timeout(10)
    void temporaryAndPermanentRedirectsKeepTheMethodAndBody() throws IOException {
        try (var server = echoServer(); var client = Client.builder().build()) {
            client.post(server.url("/temporary"), "text/plain", "payload".getBytes(), response);
            assertEquals("POST /target payload", response.body().toString());
            Args form = new Args();
            form.add("a", "1 2");
            client.post(server.url("/permanent"), form, response);
            assertEquals("POST /target a=1+2", response.body().toString());
        }
    }

    @Test
    @Timeout(10)
    void aRedirectLoopEndsWithTooManyRedirects() throws IOException {
        try (var server = echoServer(); var client = Client.builder().build()) {
            var e = assertThrows(HttpClientException.TooManyRedirects.class, () -> client.get(server.url("/loop"), response));
            assertTrue(e.getMessage().contains("maxRedirects=16"), e.getMessage());
        }
    }

    @Test
    @Timeout(10)
    void doRedirectsStopsAtTheGivenLimitAndLeavesTheRequestAsItWas() throws IOException {
        try (var server = echoServer(); var client = Client.builder().build()) {
            Request request = Client.acquireRequest();
            try {
                request.header().setRequestUri(server.url("/relative"));
                assertThrows(HttpClientException.TooManyRedirects.class, () -> client.doRedirects(request, response, 0));
                client.doRedirects(request, response, 1);
                assertEquals("GET /target?from=relative ", response.body().toString());
                assertEquals(server.url("/relative"), request.header().requestUri().toString());
                client.doRequest(request, response);
                assertEquals(302, response.statusCode(), "doRequest does not follow redirects");
            } finally {
                Client.releaseRequest(request);
            }
        }
    }

    @Test
    @Timeout(10)
    void routesAnOriginFormRequestByItsHostField() throws IOException {
        try (var server = echoServer(); var client = Client.builder().build()) {
            Request request = Client.acquireRequest();
            try {
                request.header().setRequestUri("/by-host");
                request.header().setHost("127.0.0.1:" + server.port());
                client.doTimeout(request, response, Duration.ofSeconds(5));
                assertEquals("GET /by-host ", response.body().toString());
                request.reset();
                request.header().setRequestUri("/no-host");
                assertThrows(IllegalArgumentException.class, () -> client.doRequest(request, response));
            } finally {
                Client.releaseRequest(request);
            }
        }
    }

    @Test
    @Timeout(10)
    void treatsHostNamesWithoutRegardToCaseAndTheDefaultPortAsTheSameHost() throws IOException {
        try (var server = echoServer(); var client = Client.builder().build()) {
            client.get("http://127.0.0.1:" + server.port() + "/a", response);
            client.get("http://LOCALHOST:" + server.port() + "/a", response);
            client.get("http://localhost:" + server.port() + "/a", response);
            assertEquals(2, client.hostClientsCount());
        }
    }

    @Test
    @Timeout(10)
    void closeClosesEveryConnectionAndRefusesNewCalls() throws IOException {
        try (var a = echoServer(); var b = echoServer()) {
            Client client = Client.builder().build();
            client.get(a.url("/"), response);
            client.get(b.url("/"), response);
            assertEquals(2, client.connsCount());
            client.close();
            assertEquals(0, client.connsCount());
            assertEquals(0, client.hostClientsCount());
            assertThrows(HttpClientException.ConnectionClosed.class, () -> client.get(a.url("/"), response));
        }
    }

    @Test
    @Timeout(10)
    void removesAHostClientOnceItHasBeenIdleWithNoConnectionLeft() throws Exception {
        try (var idle = echoServer(); var busy = echoServer();
             var client = Client.builder().maxIdleConnDuration(Duration.ofMillis(50)).build()) {
            client.get(idle.url("/"), response);
            assertEquals(1, client.hostClientsCount());
            do {   // the idle host goes; the busy one stays
                client.get(busy.url("/"), response);
                Thread.sleep(20);
            } while (client.hostClientsCount() == 2);
            assertEquals(1, client.hostClientsCount());
            client.get(idle.url("/"), response);   // comes back on demand
            assertEquals(2, client.hostClientsCount());
        }
    }

    @Test
    @Timeout(10)
    void theDefaultClientIsSharedAndWorks() throws IOException {
        try (var server = echoServer()) {
            assertTrue(Client.defaultClient() == Client.defaultClient());
            assertEquals(200, Client.defaultClient().get(server.url("/x"), response));
            Client.defaultClient().closeIdleConnections();
        }
    }
}
