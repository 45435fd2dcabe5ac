package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Args;
import io.fasthttp4j.ByteView;
import io.fasthttp4j.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The request side of {@link RequestCtx}, seen by handlers serving real loopback connections. */
class RequestApiIT {
    private static final String REQUEST_END = " HTTP/1.1\r\nHost: a\r\n\r\n";

    @Test
    @Timeout(10)
    void methodHelpersAnswerForExactlyTheRequestMethod() throws IOException {
        RequestHandler handler = ctx -> ctx.responseHeader().set("X-Flags", "[" + (ctx.isGet() ? "G" : "") + (ctx.isPost() ? "P" : "")
                + (ctx.isPut() ? "U" : "") + (ctx.isDelete() ? "D" : "") + (ctx.isPatch() ? "A" : "")
                + (ctx.isOptions() ? "O" : "") + (ctx.isHead() ? "H" : "") + "] " + ctx.method());
        try (var server = TestServer.start(handler);
             var client = RawClient.connect(server.port())) {
            String[][] cases = {{"GET", "G"}, {"POST", "P"}, {"PUT", "U"}, {"DELETE", "D"}, {"PATCH", "A"},
                    {"OPTIONS", "O"}, {"HEAD", "H"}, {"PROPFIND", ""}};
            for (String[] c : cases) {
                client.send(c[0] + " /" + REQUEST_END);
                Response r = client.readResponse(c[0].equals("HEAD"));
                assertEquals("[" + c[1] + "] " + c[0], r.header().get("X-Flags"), c[0]);
            }
        }
    }

    @Test
    @Timeout(10)
    void pathIsNormalisedAndPercentDecodedWhilePathOriginalKeepsTheBytesReceived() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody(ctx.path() + "|" + ctx.uri().pathOriginal()));
             var client = RawClient.connect(server.port())) {
            assertEquals("/a/c|/a//b/../c", get(client, "/a//b/../c"));
            assertEquals("/x y/é|/x%20y/%C3%A9", get(client, "/x%20y/%C3%A9"));
            assertEquals("/|/../..", get(client, "/../.."));   // never above the root
            assertEquals("/d/|/d/./", get(client, "/d/./"));   // a trailing slash is kept
            assertEquals("/a/%2F|/a/%252F", get(client, "/a/%252F"));   // decoded once only
        }
    }

    @Test
    @Timeout(10)
    void queryArgsHaveTypedGettersThatFallBackToTheDefault() throws IOException {
        RequestHandler handler = ctx -> {
            Args q = ctx.queryArgs();
            ctx.setBody(q.getInt("n", -1) + " " + q.getLong("big", -1) + " " + q.getDouble("d", -1) + " "
                    + q.getBoolean("b", false) + " " + q.getBoolean("off", true) + " " + q.get("s") + " " + q.getAll("m")
                    + " " + q.getInt("big", -7) + " " + q.getInt("s", -8) + " " + q.getInt("absent", -9) + " "
                    + q.has("empty") + ":" + q.get("empty") + " " + q.count());
        };
        try (var server = TestServer.start(handler);
             var client = RawClient.connect(server.port())) {
            String body = get(client, "/q?n=42&big=9000000000&d=2.5&b=true&off=no&s=a%20b+c&m=1&m=2&empty=");
            assertEquals("42 9000000000 2.5 true false a b c [1, 2] -7 -8 -9 true: 9", body);
        }
    }

    @Test
    @Timeout(10)
    void postArgsComeFromAFormUrlEncodedBodyOnly() throws IOException {
        RequestHandler handler = ctx -> ctx.setBody(ctx.postArgs().count() + " " + ctx.postArgs().get("name") + " "
                + ctx.postArgs().getInt("age", -1));
        try (var server = TestServer.start(handler);
             var client = RawClient.connect(server.port())) {
            String form = "name=J%C3%BCrgen+K&age=41";
            assertEquals("2 Jürgen K 41", post(client, "application/x-www-form-urlencoded", form));
            assertEquals("2 Jürgen K 41", post(client, "Application/X-WWW-Form-Urlencoded; charset=utf-8", form));
            assertEquals("0 null -1", post(client, "text/plain", form));
        }
    }

    @Test
    @Timeout(10)
    void formValuePrefersTheQueryAndFallsBackToTheFormBody() throws IOException {
        RequestHandler handler = ctx -> ctx.setBody(ctx.formValue("a") + " " + ctx.formValue("b") + " " + ctx.formValue("c"));
        try (var server = TestServer.start(handler);
             var client = RawClient.connect(server.port())) {
            String form = "a=fromForm&b=formOnly";
            client.send("POST /f?a=fromQuery HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + form.length() + "\r\n\r\n" + form);
            assertEquals("fromQuery formOnly null", client.readResponse().body().toString());
        }
    }

    @Test
    @Timeout(10)
    void requestBodyIsTheDecodedBodyForContentLengthAndChunkedFraming() throws IOException {
        RequestHandler handler = ctx -> ctx.setBody(ctx.requestHeader().isChunked() + " [" + ctx.requestBody() + "] "
                + ctx.request().trailers().get("X-Sum"));
        try (var server = TestServer.start(handler);
             var client = RawClient.connect(server.port())) {
            client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world");
            assertEquals("false [hello world] null", client.readResponse().body().toString());
            client.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n1;ext=1\r\n \r\n5\r\nworld\r\n0\r\nX-Sum: 42\r\n\r\n");
            assertEquals("true [hello world] 42", client.readResponse().body().toString());
            client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
            assertEquals("false [] null", client.readResponse().body().toString());
        }
    }

    @Test
    @Timeout(10)
    void headersAndCookiesAreFoundByName() throws IOException {
        RequestHandler handler = ctx -> ctx.setBody(ctx.host() + "|" + ctx.userAgent() + "|" + ctx.requestHeader().get("x-custom")
                + "|" + ctx.cookie("a") + "|" + ctx.cookie("b") + "|" + ctx.cookie("c") + "|" + ctx.cookie("d") + "|"
                + ctx.cookie("missing"));
        try (var server = TestServer.start(handler);
             var client = RawClient.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: it/1.0\r\nX-Custom: v1\r\n"
                    + "Cookie: a=1; b=two; c=3\r\nCookie: d=4\r\n\r\n");
            assertEquals("example.com:8080|it/1.0|v1|1|two|3|4|null", client.readResponse().body().toString());
        }
    }

    @Test
    @Timeout(10)
    void remoteAndLocalAddressesAreTheLoopbackEnds() throws IOException {
        RequestHandler handler = ctx -> {
            var remote = (InetSocketAddress) ctx.remoteAddress();
            var local = (InetSocketAddress) ctx.localAddress();
            ctx.setBody(remote.getAddress().getHostAddress() + " " + remote.getPort() + " "
                    + local.getAddress().getHostAddress() + " " + local.getPort());
        };
        try (var server = TestServer.start(handler);
             var client = RawClient.connect(server.port())) {
            String expected = "127.0.0.1 " + client.socket().getLocalPort() + " 127.0.0.1 " + server.port();
            assertEquals(expected, get(client, "/"));
        }
    }

    @Test
    @Timeout(10)
    void connIdIsStableOnAConnectionAndDiffersAcrossConnectionsWhileConnRequestNumCounts() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody(ctx.connId() + "/" + ctx.connRequestNum()))) {
            List<String> first = new ArrayList<>();
            List<String> second = new ArrayList<>();
            try (var a = RawClient.connect(server.port()); var b = RawClient.connect(server.port())) {
                for (int i = 0; i < 3; i++) {
                    first.add(get(a, "/"));
                    second.add(get(b, "/"));
                }
            }
            String idA = first.get(0).split("/")[0];
            String idB = second.get(0).split("/")[0];
            assertEquals(List.of(idA + "/1", idA + "/2", idA + "/3"), first);
            assertEquals(List.of(idB + "/1", idB + "/2", idB + "/3"), second);
            assertNotEquals(idA, idB);
        }
    }

    @Test
    @Timeout(10)
    void userValuesLastForOneRequestOnly() throws IOException {
        RequestHandler handler = ctx -> {
            Object before = ctx.userValue("user");
            if (ctx.path().contentEquals("/set")) {
                ctx.setUserValue("user", "alice");
                ctx.setUserValue("n", 1);
                ctx.setUserValue("n", 2);   // replaces
                for (int i = 0; i < 20; i++) ctx.setUserValue("k" + i, i);   // past the initial capacity
            }
            ctx.setBody(before + " " + ctx.userValue("user") + " " + ctx.userValue("n") + " " + ctx.userValue("k19"));
        };
        try (var server = TestServer.start(handler);
             var client = RawClient.connect(server.port())) {
            assertEquals("null alice 2 19", get(client, "/set"));
            assertEquals("null null null null", get(client, "/read"));
        }
    }

    @Test
    @Timeout(10)
    void malformedPercentEscapeInThePathGives400AndCloses() throws IOException {
        List<String> reached = new java.util.concurrent.CopyOnWriteArrayList<>();
        RequestHandler handler = ctx -> {
            reached.add("handler");
            ByteView path = ctx.path();   // parses the URI: throws BadRequestException(400)
            reached.add("after " + path);
            ctx.setBody("ok");
        };
        try (var server = TestServer.start(handler);
             var client = RawClient.connect(server.port())) {
            client.send("GET /a%zz/b" + REQUEST_END);
            Response r = client.readResponse();
            assertEquals(400, r.statusCode());
            assertTrue(r.body().toString().contains("percent-escape"), r.body().toString());
            assertTrue(r.header().connectionClose());
            assertTrue(client.awaitPeerClose());
            assertEquals(List.of("handler"), reached);
        }
    }

    @Test
    @Timeout(10)
    void truncatedPercentEscapeAtTheEndOfThePathGives400() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody(Objects.toString(ctx.path())));
             var client = RawClient.connect(server.port())) {
            client.send("GET /a%4" + REQUEST_END);
            assertEquals(400, client.readResponse().statusCode());
            assertTrue(client.awaitPeerClose());
        }
    }

    private static String get(RawClient client, String target) throws IOException {
        client.send("GET " + target + REQUEST_END);
        Response r = client.readResponse();
        assertEquals(200, r.statusCode(), () -> "GET " + target + ": " + r);
        assertFalse(r.header().connectionClose());
        return r.body().toString();
    }

    private static String post(RawClient client, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        client.send("POST /p HTTP/1.1\r\nHost: a\r\nContent-Type: " + contentType + "\r\nContent-Length: " + bytes.length + "\r\n\r\n");
        client.send(bytes);
        Response r = client.readResponse();
        assertEquals(200, r.statusCode(), () -> r.toString());
        return r.body().toString();
    }
}
