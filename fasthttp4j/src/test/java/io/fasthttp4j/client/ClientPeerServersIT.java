package io.fasthttp4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HostClient against servers we did not write: the JDK's {@code com.sun.net.httpserver} and Jetty 12.
 * Each serves the same four paths: {@code /conn} (an id of the connection), {@code /chunked} (a body
 * of unknown length), {@code /echo} (the request body, upper-cased) and {@code /empty} (204).
 */
class ClientPeerServersIT {
    static final String CHUNKED_BODY = "chunk-".repeat(2000);

    /** A running peer server. */
    interface Peer extends AutoCloseable {
        String addr();

        @Override
        void close() throws Exception;
    }

    static Stream<String> peers() {
        return Stream.of("jdk-httpserver", "jetty-12");
    }

    static Peer start(String name) throws Exception {
        return name.equals("jetty-12") ? startJetty() : startJdk();
    }

    private final Request request = Client.acquireRequest();
    private final Response response = Client.acquireResponse();

    @AfterEach
    void releaseAndCheckPools() {
        Client.releaseRequest(request);
        Client.releaseResponse(response);
        assertEquals(0, Client.requestsInUse());
        assertEquals(0, Client.responsesInUse());
    }

    private String call(HostClient client, String method, String uri, String body) throws IOException {
        request.reset();
        request.header().setMethod(method);
        request.header().setRequestUri(uri);
        if (body != null) request.setBody(body);
        client.doRequest(request, response);
        return response.body().toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    @Timeout(20)
    void reusesOneKeepAliveConnection(String name) throws Exception {
        try (Peer peer = start(name); var client = HostClient.builder(peer.addr()).build()) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 20; i++) ids.add(call(client, "GET", "/conn", null));
            assertEquals(1, ids.size(), "connection ids: " + ids);
            assertEquals(1, client.connsCount());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    @Timeout(20)
    void readsABodyOfUnknownLength(String name) throws Exception {
        try (Peer peer = start(name); var client = HostClient.builder(peer.addr()).build()) {
            assertEquals(CHUNKED_BODY, call(client, "GET", "/chunked", null));
            assertTrue(response.header().isChunked(), response.header().toString());
            assertEquals(CHUNKED_BODY, call(client, "GET", "/chunked", null));
            assertEquals(1, client.connsCount());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    @Timeout(20)
    void postsABodyAndReadsTheEcho(String name) throws Exception {
        try (Peer peer = start(name); var client = HostClient.builder(peer.addr()).build()) {
            assertEquals("HELLO PEER", call(client, "POST", "/echo", "hello peer"));
            assertEquals("X".repeat(100_000), call(client, "PUT", "/echo", "x".repeat(100_000)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    @Timeout(20)
    void reads204AndHeadWithoutABody(String name) throws Exception {
        try (Peer peer = start(name); var client = HostClient.builder(peer.addr()).build()) {
            assertEquals("", call(client, "GET", "/empty", null));
            assertEquals(204, response.statusCode());
            assertEquals("", call(client, "HEAD", "/echo", null));
            assertEquals(200, response.statusCode());
            assertEquals("HELLO", call(client, "POST", "/echo", "hello"));
            assertEquals(1, client.connsCount());
        }
    }

    // ---- the JDK's server ----

    private static Peer startJdk() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        var executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", ClientPeerServersIT::jdkHandle);
        server.start();
        String addr = "127.0.0.1:" + server.getAddress().getPort();
        return new Peer() {
            public String addr() {
                return addr;
            }

            public void close() {
                server.stop(0);
                executor.close();
            }
        };
    }

    private static void jdkHandle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] in = exchange.getRequestBody().readAllBytes();
        byte[] body = switch (path) {
            case "/conn" -> Integer.toString(exchange.getRemoteAddress().getPort()).getBytes(StandardCharsets.US_ASCII);
            case "/chunked" -> CHUNKED_BODY.getBytes(StandardCharsets.US_ASCII);
            case "/echo" -> new String(in, StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8);
            default -> null;
        };
        if (body == null) {
            exchange.sendResponseHeaders(204, -1);
        } else if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
        } else {
            exchange.sendResponseHeaders(200, path.equals("/chunked") ? 0 : body.length);   // 0: chunked
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    // ---- Jetty 12 ----

    private static Peer startJetty() throws Exception {
        org.eclipse.jetty.server.Server server = new org.eclipse.jetty.server.Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response, Callback callback) throws Exception {
                jettyHandle(request, response, callback);
                return true;
            }
        });
        server.start();
        String addr = "127.0.0.1:" + connector.getLocalPort();
        return new Peer() {
            public String addr() {
                return addr;
            }

            public void close() throws Exception {
                server.stop();
            }
        };
    }

    private static void jettyHandle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response, Callback callback)
            throws IOException {
        String path = request.getHttpURI().getPath();
        String in = Content.Source.asString(request, StandardCharsets.UTF_8);
        switch (path) {
            case "/conn" -> Content.Sink.write(response, true, request.getConnectionMetaData().getId(), callback);
            case "/chunked" -> {
                ByteBuffer first = ByteBuffer.wrap(CHUNKED_BODY.substring(0, 6000).getBytes(StandardCharsets.US_ASCII));
                ByteBuffer rest = ByteBuffer.wrap(CHUNKED_BODY.substring(6000).getBytes(StandardCharsets.US_ASCII));
                response.write(false, first, Callback.from(() -> response.write(true, rest, callback), callback::failed));
            }
            case "/echo" -> Content.Sink.write(response, true, in.toUpperCase(), callback);
            default -> {
                response.setStatus(204);
                callback.succeeded();
            }
        }
    }
}
