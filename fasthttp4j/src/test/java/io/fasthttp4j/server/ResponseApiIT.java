package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Cookie;
import io.fasthttp4j.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The response side of {@link RequestCtx}: what the bytes on the wire look like for each call. */
class ResponseApiIT {
    private static final String GET_END = " HTTP/1.1\r\nHost: a\r\n\r\n";

    @Test
    @Timeout(10)
    void statusContentTypeAndBodyPiecesAreWrittenWithTheirLength() throws IOException {
        RequestHandler handler = ctx -> ctx.setStatusCode(201).setContentType("application/json")
                .setBody("{\"a\":").appendBody("[1,").appendBody("2]}".getBytes(StandardCharsets.US_ASCII));
        try (var server = TestServer.start(handler);
             var conn = RawConnection.connect(server.port())) {
            conn.send("GET /" + GET_END);
            var head = conn.readHead();
            assertEquals("HTTP/1.1 201 Created", head.statusLine());
            assertEquals("application/json", head.field("Content-Type"));
            assertEquals(1, head.count("Content-Type"));
            assertEquals("11", head.field("Content-Length"));
            assertEquals("{\"a\":[1,2]}", new String(conn.readExactly(11), StandardCharsets.US_ASCII));
        }
    }

    @Test
    @Timeout(10)
    void setBodyReplacesWhatWasAppendedBefore() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.appendBody("first").setBody("second").appendBody("!"));
             var client = RawClient.connect(server.port())) {
            client.send("GET /" + GET_END);
            assertEquals("second!", client.readResponse().body().toString());
        }
    }

    @Test
    @Timeout(10)
    void defaultsAreTextPlainUtf8AndServerAndDateFields() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody("x"));
             var conn = RawConnection.connect(server.port())) {
            conn.send("GET /" + GET_END);
            var head = conn.readHead();
            assertEquals("HTTP/1.1 200 OK", head.statusLine());
            assertEquals("text/plain; charset=utf-8", head.field("Content-Type"));
            assertEquals("fasthttp4j", head.field("Server"));
            assertEquals(1, head.count("Date"));
            ZonedDateTime date = ZonedDateTime.parse(head.field("Date"), DateTimeFormatter.RFC_1123_DATE_TIME);
            assertTrue(head.field("Date").endsWith(" GMT"), head.field("Date"));
            long skew = Duration.between(date.toInstant(), java.time.Instant.now()).abs().toSeconds();
            assertTrue(skew < 300, "Date is " + skew + " s away from now");
            assertNull(head.field("Connection"));   // HTTP/1.1 keep-alive is the default: nothing to say
        }
    }

    @Test
    @Timeout(10)
    void headGetsTheSameFieldsAndTheRealContentLengthButNoBody() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setContentType("text/html").setBody("<p>hello world</p>"));
             var client = RawClient.connect(server.port())) {
            client.send("GET /" + GET_END);
            Response get = client.readResponse();
            client.send("HEAD /" + GET_END);
            Response head = client.readResponse(true);
            assertEquals(200, head.statusCode());
            assertEquals(18, head.header().contentLength());
            assertEquals(get.header().contentLength(), head.header().contentLength());
            assertEquals("text/html", head.header().contentType().toString());
            assertEquals(0, head.body().length());
            // Had the HEAD response carried its 18 body bytes, they would be read as the next status line.
            client.send("GET /next" + GET_END);
            Response next = client.readResponse();
            assertEquals(200, next.statusCode());
            assertEquals("<p>hello world</p>", next.body().toString());
        }
    }

    @Test
    @Timeout(10)
    void noContentAndNotModifiedCarryNeitherBodyNorLength() throws IOException {
        RequestHandler handler = ctx -> {
            if (ctx.path().contentEquals("/204")) ctx.setStatusCode(204).setBody("must not be sent");
            else if (ctx.path().contentEquals("/304")) ctx.setBody("must not be sent either").notModified();
            else ctx.setBody("after");
        };
        try (var server = TestServer.start(handler);
             var conn = RawConnection.connect(server.port())) {
            for (String status : new String[] {"204", "304"}) {
                conn.send("GET /" + status + GET_END);
                var head = conn.readHead();
                assertEquals(Integer.parseInt(status), head.status(), head.text());
                assertNull(head.field("Content-Length"), head.text());
                assertNull(head.field("Transfer-Encoding"), head.text());
                assertNull(head.field("Content-Type"), head.text());
            }
            // No body bytes between the two bodyless responses and this one.
            conn.send("GET /ok" + GET_END);
            var head = conn.readHead();
            assertEquals("HTTP/1.1 200 OK", head.statusLine());
            assertEquals("after", new String(conn.readExactly(5), StandardCharsets.US_ASCII));
        }
    }

    @Test
    @Timeout(10)
    void redirectResolvesTheLocationAgainstTheRequestUri() throws IOException {
        RequestHandler handler = ctx -> {
            String to = ctx.queryArgs().get("to");
            ctx.redirect(to, ctx.queryArgs().getInt("status", 302));
        };
        try (var server = TestServer.start(handler);
             var client = RawClient.connect(server.port())) {
            // origin-form request-target: no scheme or host to resolve against, so the Location is a path
            assertRedirect(client, "/dir/page?y=2&to=/other%3Fx%3D1", 302, "/other?x=1");
            assertRedirect(client, "/a/b/c?to=../x", 302, "/a/x");
            assertRedirect(client, "/a/b/c?to=sibling&status=301", 301, "/a/b/sibling");
            assertRedirect(client, "/a/b?to=https://example.com/z%3Fq%3D1&status=308", 308, "https://example.com/z?q=1");
            assertRedirect(client, "http://h.example:8080/a/b/c?to=../x&status=307", 307, "http://h.example:8080/a/x");
            assertRedirect(client, "/a/b/c?to=//cdn.example/p&status=303", 303, "//cdn.example/p");
        }
    }

    @Test
    @Timeout(10)
    void redirectRefusesCrLfInTheLocationAndANonRedirectStatus() throws IOException {
        RequestHandler handler = ctx -> {
            StringBuilder result = new StringBuilder();
            for (String location : new String[] {"/x\r\nSet-Cookie: evil=1", "/x\nX: y", "/x\r"}) {
                try {
                    ctx.redirect(location, 302);
                    result.append("accepted ");
                } catch (IllegalArgumentException e) {
                    result.append("refused ");
                }
            }
            try {
                ctx.redirect("/fine", 200);
                result.append("accepted");
            } catch (IllegalArgumentException e) {
                result.append("refused");
            }
            ctx.setBody(result.toString());
        };
        try (var server = TestServer.start(handler);
             var conn = RawConnection.connect(server.port())) {
            conn.send("GET /" + GET_END);
            var head = conn.readHead();
            assertEquals(200, head.status(), head.text());
            assertNull(head.field("Location"), head.text());
            assertNull(head.field("Set-Cookie"), head.text());
            assertEquals("refused refused refused refused", new String(conn.readExactly(31), StandardCharsets.US_ASCII));
        }
    }

    @Test
    @Timeout(10)
    void errorReplacesTheResponseWithAPlainTextMessage() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setContentType("application/json").setBody("{}").error("I'm a teapot, really", 418));
             var client = RawClient.connect(server.port())) {
            client.send("GET /" + GET_END);
            Response r = client.readResponse();
            assertEquals(418, r.statusCode());
            assertEquals("I'm a teapot, really", r.body().toString());
            assertEquals("text/plain; charset=utf-8", r.header().contentType().toString());
            assertFalse(r.header().connectionClose());   // an answer, not a broken request: keep-alive stays
        }
    }

    @Test
    @Timeout(10)
    void notFoundAnswers404() throws IOException {
        try (var server = TestServer.start(ctx -> ctx.setBody("page").notFound());
             var client = RawClient.connect(server.port())) {
            client.send("GET /nope" + GET_END);
            Response r = client.readResponse();
            assertEquals(404, r.statusCode());
            assertEquals("404 Page not found", r.body().toString());
            client.send("GET /again" + GET_END);
            assertEquals(404, client.readResponse().statusCode());
        }
    }

    @Test
    @Timeout(10)
    void setCookieWritesOneSetCookieLinePerCookieWithItsAttributes() throws IOException {
        RequestHandler handler = ctx -> {
            Cookie session = new Cookie();
            session.setKey("session");
            session.setValue("abc123");
            session.setDomain("example.com");
            session.setPath("/app");
            session.setMaxAge(3600);
            session.setSecure(true);
            session.setHttpOnly(true);
            session.setSameSite(Cookie.SameSite.LAX);
            ctx.setCookie(session);
            Cookie plain = new Cookie();
            plain.setKey("theme");
            plain.setValue("dark");
            plain.setExpires(java.time.Instant.parse("2030-01-02T03:04:05Z"));
            ctx.setCookie(plain);
            ctx.setBody("ok");
        };
        try (var server = TestServer.start(handler);
             var conn = RawConnection.connect(server.port())) {
            conn.send("GET /" + GET_END);
            String text = conn.readHead().text();
            assertTrue(text.contains("\r\nSet-Cookie: session=abc123; Domain=example.com; Path=/app; Max-Age=3600; Secure; HttpOnly; SameSite=Lax\r\n"), text);
            assertTrue(text.contains("\r\nSet-Cookie: theme=dark; Expires=Wed, 02 Jan 2030 03:04:05 GMT\r\n"), text);
        }
    }

    @Test
    @Timeout(10)
    void chunkedResponseCarriesTheTrailerFieldsAfterTheLastChunk() throws IOException {
        RequestHandler handler = ctx -> {
            ctx.responseHeader().setChunked(true);
            ctx.responseHeader().set("Trailer", "X-Checksum");
            ctx.response().trailers().add("X-Checksum", "sha1-abc");
            ctx.setBody("hello trailers");
        };
        try (var server = TestServer.start(handler)) {
            try (var conn = RawConnection.connect(server.port())) {
                conn.send("GET /" + GET_END);
                var head = conn.readHead();
                assertEquals("chunked", head.field("Transfer-Encoding"), head.text());
                assertNull(head.field("Content-Length"), head.text());
                StringBuilder body = new StringBuilder();
                for (byte[] chunk; (chunk = conn.readChunk()) != null; ) body.append(new String(chunk, StandardCharsets.US_ASCII));
                assertEquals("hello trailers", body.toString());
                assertEquals("X-Checksum: sha1-abc\r\n", conn.readTrailerSection());
            }
            try (var client = RawClient.connect(server.port())) {
                client.send("GET /" + GET_END);
                Response r = client.readResponse();
                assertEquals("hello trailers", r.body().toString());
                assertEquals("sha1-abc", r.trailers().get("X-Checksum"));
                client.send("HEAD /" + GET_END);
                Response head = client.readResponse(true);   // HEAD: chunked framing declared, no chunks sent
                assertEquals(0, head.body().length());
                client.send("GET /" + GET_END);
                assertEquals("hello trailers", client.readResponse().body().toString());
            }
        }
    }

    private static void assertRedirect(RawClient client, String target, int status, String location) throws IOException {
        client.send("GET " + target + GET_END);
        Response r = client.readResponse();
        assertEquals(status, r.statusCode(), target);
        assertEquals(location, r.header().get("Location"), target);
    }
}
