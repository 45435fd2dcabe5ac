package io.fasthttp4j.bench.helidon;

import io.fasthttp4j.bench.common.AllocProbe;
import io.fasthttp4j.bench.common.JsonItems;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.common.uri.UriQuery;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The load application on Helidon SE 4.5: its virtual-thread web server (a virtual thread per
 * connection, carriers = cores), HTTP routing with one handler per endpoint, blocking-style reads of
 * request bodies; header validation off, as in Helidon's own benchmark setup, and no
 * {@code Connection: keep-alive} on every response.
 */
public final class Main {
    private static final Header SERVER = HeaderValues.createCached(HeaderNames.SERVER, "bench");
    private static final Header TEXT_PLAIN = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "text/plain");
    private static final Header APPLICATION_JSON =
            HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json");
    private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

    private Main() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .backlog(8192)
                .addProtocol(Http1Config.builder()
                        .sendKeepAliveHeader(false) // persistent is HTTP/1.1's default
                        .validateRequestHeaders(false)
                        .validateResponseHeaders(false)
                        .build())
                .routing(Main::routing)
                .build()
                .start();
        AllocProbe.start(port);
        System.out.println("helidon listening on 127.0.0.1:" + server.port() + " ("
                + Runtime.getRuntime().availableProcessors() + " cores)");
    }

    static void routing(HttpRouting.Builder routing) {
        routing.get("/pipeline", (req, res) -> send(res, TEXT_PLAIN, OK))
                .get("/baseline11", (req, res) -> send(res, TEXT_PLAIN, ascii(querySum(req.query()))))
                .post("/baseline11", (req, res) -> {
                    long body = AllocProbe.parseLongLenient(req.content().as(String.class));
                    send(res, TEXT_PLAIN, ascii(querySum(req.query()) + body));
                })
                .post("/upload", (req, res) -> {
                    long count;
                    try (InputStream in = req.content().inputStream()) {
                        count = in.transferTo(OutputStream.nullOutputStream());
                    }
                    send(res, TEXT_PLAIN, ascii(count));
                })
                .get("/json/{count}", (req, res) -> {
                    int count = Integer.parseInt(req.path().pathParameters().get("count"));
                    int m = req.query().contains("m") ? Integer.parseInt(req.query().get("m")) : 1;
                    ByteArrayOutputStream json = new ByteArrayOutputStream(8192);
                    JsonItems.write(count, m, json);
                    send(res, APPLICATION_JSON, json.toByteArray());
                });
    }

    private static void send(ServerResponse res, Header contentType, byte[] body) {
        res.header(SERVER);
        res.header(contentType);
        res.send(body);
    }

    private static long querySum(UriQuery query) {
        long sum = 0;
        for (String name : query.names()) {
            for (String v : query.all(name)) sum += AllocProbe.parseLongLenient(v);
        }
        return sum;
    }

    private static byte[] ascii(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }
}
