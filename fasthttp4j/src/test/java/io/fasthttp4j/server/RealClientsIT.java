package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients we did not write against the server: the JDK's HttpClient, Apache HttpClient 5, OkHttp 5
 * and curl. Each echoes the connection id in X-Conn-Id, so keep-alive reuse is visible.
 */
class RealClientsIT {
    private static final int MIB = 1024 * 1024;
    private static final byte[] BIG = pattern(MIB);

    /** /echo: the body back, with how it was framed; /big: 1 MiB; anything else: "hello". */
    private static final RequestHandler HANDLER = ctx -> {
        ctx.responseHeader().set("X-Conn-Id", Long.toString(ctx.connId()));
        ctx.responseHeader().set("X-Request-Num", Long.toString(ctx.connRequestNum()));
        if (ctx.path().contentEquals("/echo")) {
            ctx.responseHeader().set("X-Chunked", Boolean.toString(ctx.requestHeader().isChunked()));
            ctx.responseHeader().set("X-Method", ctx.method().toString());
            ctx.responseHeader().set("X-Form-A", String.valueOf(ctx.postArgs().get("a")));
            ctx.setBody(ctx.requestBody().toBytes());
        } else if (ctx.path().contentEquals("/big")) {
            ctx.setContentType("application/octet-stream").setBody(BIG);
        } else {
            ctx.setBody("hello");
        }
    };

    // ---- the JDK's HttpClient ----

    @Test
    @Timeout(20)
    void jdkHttpClientGetsPostsReusesTheConnectionAndSendsChunkedBodies() throws Exception {
        try (var server = TestServer.start(HANDLER);
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create(server.url("/"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, get.statusCode());
            assertEquals("hello", get.body());
            assertEquals("text/plain; charset=utf-8", get.headers().firstValue("content-type").orElseThrow());

            HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(server.url("/echo")))
                    .POST(HttpRequest.BodyPublishers.ofString("jdk body")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("jdk body", post.body());
            assertEquals("false", post.headers().firstValue("x-chunked").orElseThrow());
            assertEquals(connId(get), connId(post), "keep-alive: the second request reused the connection");

            byte[] streamed = pattern(300_000);
            HttpResponse<byte[]> chunked = client.send(HttpRequest.newBuilder(URI.create(server.url("/echo")))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(streamed))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals("true", chunked.headers().firstValue("x-chunked").orElseThrow());
            assertArrayEquals(streamed, chunked.body());

            HttpResponse<byte[]> big = client.send(HttpRequest.newBuilder(URI.create(server.url("/big"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(String.valueOf(MIB), big.headers().firstValue("content-length").orElseThrow());
            assertArrayEquals(BIG, big.body());
            assertEquals(connId(get), connId(big));
        }
    }

    private static String connId(HttpResponse<?> r) {
        return r.headers().firstValue("x-conn-id").orElseThrow();
    }

    // ---- Apache HttpClient 5 classic ----

    @Test
    @Timeout(20)
    void apacheHttpClientGetsPostsReusesTheConnectionAndSendsChunkedBodies() throws Exception {
        try (var server = TestServer.start(HANDLER);
             CloseableHttpClient client = HttpClients.createDefault()) {
            List<String> connIds = new ArrayList<>();
            String body = client.execute(new HttpGet(server.url("/")), r -> {
                connIds.add(r.getFirstHeader("X-Conn-Id").getValue());
                assertEquals(200, r.getCode());
                return EntityUtils.toString(r.getEntity());
            });
            assertEquals("hello", body);

            HttpPost post = new HttpPost(server.url("/echo"));
            post.setEntity(new StringEntity("a=1&b=2", ContentType.APPLICATION_FORM_URLENCODED));
            String echoed = client.execute(post, r -> {
                connIds.add(r.getFirstHeader("X-Conn-Id").getValue());
                assertEquals("false", r.getFirstHeader("X-Chunked").getValue());
                assertEquals("1", r.getFirstHeader("X-Form-A").getValue());
                return EntityUtils.toString(r.getEntity());
            });
            assertEquals("a=1&b=2", echoed);

            byte[] streamed = pattern(200_000);
            HttpPost chunkedPost = new HttpPost(server.url("/echo"));
            chunkedPost.setEntity(new ByteArrayEntity(streamed, ContentType.APPLICATION_OCTET_STREAM, true));
            byte[] chunkedEcho = client.execute(chunkedPost, (ClassicHttpResponse r) -> {
                connIds.add(r.getFirstHeader("X-Conn-Id").getValue());
                assertEquals("true", r.getFirstHeader("X-Chunked").getValue());
                return EntityUtils.toByteArray(r.getEntity());
            });
            assertArrayEquals(streamed, chunkedEcho);

            byte[] big = client.execute(new HttpGet(server.url("/big")), r -> {
                connIds.add(r.getFirstHeader("X-Conn-Id").getValue());
                assertEquals(MIB, r.getEntity().getContentLength());
                return EntityUtils.toByteArray(r.getEntity());
            });
            assertArrayEquals(BIG, big);
            assertEquals(1, connIds.stream().distinct().count(), "one connection for all requests: " + connIds);
        }
    }

    // ---- OkHttp 5 ----

    @Test
    @Timeout(20)
    void okHttpGetsPostsReusesTheConnectionAndSendsChunkedBodies() throws Exception {
        OkHttpClient client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
        try (var server = TestServer.start(HANDLER)) {
            List<String> connIds = new ArrayList<>();
            try (okhttp3.Response r = client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
                assertEquals(200, r.code());
                assertEquals("hello", r.body().string());
                connIds.add(r.header("X-Conn-Id"));
            }
            MediaType text = MediaType.get("text/plain; charset=utf-8");
            try (okhttp3.Response r = client.newCall(new Request.Builder().url(server.url("/echo"))
                    .post(RequestBody.create("ok body", text)).build()).execute()) {
                assertEquals("ok body", r.body().string());
                assertEquals("false", r.header("X-Chunked"));
                connIds.add(r.header("X-Conn-Id"));
            }
            byte[] streamed = pattern(250_000);
            RequestBody unknownLength = new RequestBody() {
                @Override
                public MediaType contentType() {
                    return MediaType.get("application/octet-stream");
                }

                @Override
                public long contentLength() {
                    return -1;   // unknown: OkHttp sends it chunked
                }

                @Override
                public void writeTo(BufferedSink sink) throws IOException {
                    for (int at = 0; at < streamed.length; at += 10_000) {
                        sink.write(streamed, at, Math.min(10_000, streamed.length - at));
                        sink.flush();
                    }
                }
            };
            try (okhttp3.Response r = client.newCall(new Request.Builder().url(server.url("/echo")).post(unknownLength).build()).execute()) {
                assertEquals("true", r.header("X-Chunked"));
                assertArrayEquals(streamed, r.body().bytes());
                connIds.add(r.header("X-Conn-Id"));
            }
            try (okhttp3.Response r = client.newCall(new Request.Builder().url(server.url("/big")).build()).execute()) {
                assertEquals(String.valueOf(MIB), r.header("Content-Length"));
                assertArrayEquals(BIG, r.body().bytes());
                connIds.add(r.header("X-Conn-Id"));
            }
            assertEquals(1, connIds.stream().distinct().count(), "one connection for all requests: " + connIds);
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    // ---- curl ----

    @Test
    @Timeout(20)
    void curlGetsAResponseWithItsHeaders() throws Exception {
        try (var server = TestServer.start(HANDLER)) {
            Curl r = curl("-sS", "-i", server.url("/"));
            assertEquals(0, r.exit, r.err);
            assertTrue(r.out.startsWith("HTTP/1.1 200 OK\r\n"), r.out);
            assertTrue(r.out.contains("\r\nContent-Length: 5\r\n"), r.out);
            assertTrue(r.out.endsWith("\r\n\r\nhello"), r.out);
        }
    }

    @Test
    @Timeout(20)
    void curlPostsAFormOverHttp11() throws Exception {
        try (var server = TestServer.start(HANDLER)) {
            Curl r = curl("-sS", "-i", "--http1.1", "-d", "a=42&b=x", server.url("/echo"));
            assertEquals(0, r.exit, r.err);
            assertTrue(r.out.startsWith("HTTP/1.1 200 OK\r\n"), r.out);
            assertTrue(r.out.contains("\r\nX-Method: POST\r\n"), r.out);
            assertTrue(r.out.contains("\r\nX-Form-A: 42\r\n"), r.out);
            assertTrue(r.out.endsWith("\r\n\r\na=42&b=x"), r.out);
        }
    }

    @Test
    @Timeout(20)
    void curlReusesOneConnectionForSeveralUrls() throws Exception {
        try (var server = TestServer.start(HANDLER)) {
            Curl r = curl("-sS", "-v", "-i", server.url("/one"), server.url("/two"), server.url("/three"));
            assertEquals(0, r.exit, r.err);
            Matcher m = Pattern.compile("X-Conn-Id: (\\d+)").matcher(r.out);
            List<String> ids = new ArrayList<>();
            while (m.find()) ids.add(m.group(1));
            assertEquals(3, ids.size(), r.out);
            assertEquals(1, ids.stream().distinct().count(), "connection ids " + ids + "\n" + r.err);
            assertTrue(r.out.contains("X-Request-Num: 3"), r.out);
            assertTrue(r.err.toLowerCase(java.util.Locale.ROOT).contains("re-using existing"), r.err);
        }
    }

    private record Curl(int exit, String out, String err) {}

    private static Curl curl(String... args) throws Exception {
        Assumptions.assumeTrue(onPath("curl"), "curl is not installed");
        List<String> command = new ArrayList<>(List.of("curl", "--max-time", "10"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        byte[][] streams = new byte[2][];
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                streams[1] = p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                streams[1] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        streams[0] = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "curl did not finish");
        reader.join(5000);
        assertNotNull(streams[1]);
        return new Curl(p.exitValue(), new String(streams[0], StandardCharsets.ISO_8859_1), new String(streams[1], StandardCharsets.ISO_8859_1));
    }

    private static boolean onPath(String program) {
        try {
            Process p = new ProcessBuilder("which", program).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + (i >>> 8));
        return b;
    }
}
