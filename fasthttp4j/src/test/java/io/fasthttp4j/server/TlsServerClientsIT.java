package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.client.Client;
import io.fasthttp4j.client.HostClient;
import io.fasthttp4j.tls.TestCertificates;
import io.fasthttp4j.tls.TlsConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.RequestBody;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients we did not write, and our own, over HTTPS (issue 14): curl, the JDK's HttpClient, OkHttp,
 * Apache HttpClient 5, our Client and HostClient, and openssl s_client. Each response carries the
 * connection id, so keep-alive over TLS is visible, and the TLS protocol the handler saw.
 */
@Timeout(30)
class TlsServerClientsIT {
    private static final byte[] BODY = pattern(1 << 20);

    @TempDir
    static Path dir;
    static TestCertificates ca;
    static TlsConfig tls;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.newCa(dir);
        TestCertificates.Issued localhost = ca.issueLocalhost(TestCertificates.KeyType.EC);
        tls = TlsConfig.builder().certificate(localhost.chain(), localhost.key()).build();
    }

    /** POST: the body back; GET: "hello PATH". Headers: X-Conn-Id, X-Request-Num, X-Tls (the session's protocol). */
    private static final RequestHandler ECHO = ctx -> {
        ctx.responseHeader().set("X-Conn-Id", Long.toString(ctx.connId()));
        ctx.responseHeader().set("X-Request-Num", Long.toString(ctx.connRequestNum()));
        ctx.responseHeader().set("X-Tls", ctx.isTls() ? ctx.tlsSession().getProtocol() : "none");
        ctx.responseHeader().set("X-Form-A", String.valueOf(ctx.postArgs().get("a")));
        if (ctx.isPost()) ctx.setBody(ctx.requestBody().toBytes());
        else ctx.setBody("hello " + ctx.path());
    };

    private static TestServer start() {
        return TestServer.start(ECHO, b -> b.tls(tls));
    }

    private static String https(TestServer server, String path) {
        return "https://localhost:" + server.port() + path;
    }

    // ---- curl ----

    @Test
    void curlGetsAResponseOverHttpsTrustingTheCa() throws Exception {
        try (TestServer server = start()) {
            ExternalCommand.Result r = curl("-sS", "-i", https(server, "/c"));
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().startsWith("HTTP/1.1 200 OK\r\n"), r.out());
            assertTrue(r.out().contains("\r\nX-Tls: TLSv1.3\r\n"), r.out());
            assertTrue(r.out().endsWith("\r\n\r\nhello /c"), r.out());
        }
    }

    @Test
    void curlReusesOneTlsConnectionForSeveralUrls() throws Exception {
        try (TestServer server = start()) {
            ExternalCommand.Result r = curl("-sS", "-v", "-i", https(server, "/one"), https(server, "/two"), https(server, "/three"));
            assertEquals(0, r.exit(), r.err());
            Matcher m = Pattern.compile("X-Conn-Id: (\\d+)").matcher(r.out());
            List<String> ids = new ArrayList<>();
            while (m.find()) ids.add(m.group(1));
            assertEquals(3, ids.size(), r.out());
            assertEquals(1, ids.stream().distinct().count(), "connection ids " + ids + "\n" + r.err());
            assertTrue(r.out().contains("X-Request-Num: 3"), r.out());
            assertTrue(r.err().toLowerCase(Locale.ROOT).contains("re-using existing"), r.err());
            assertTrue(r.err().contains("ALPN: server accepted http/1.1"), "curl offers h2 and http/1.1; we pick http/1.1\n" + r.err());
        }
    }

    @Test
    void curlPostsAFormOverHttp11AndTls() throws Exception {
        try (TestServer server = start()) {
            ExternalCommand.Result r = curl("-sS", "-i", "--http1.1", "-d", "a=42&b=x", https(server, "/echo"));
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().startsWith("HTTP/1.1 200 OK\r\n"), r.out());
            assertTrue(r.out().contains("\r\nX-Form-A: 42\r\n"), r.out());
            assertTrue(r.out().endsWith("\r\n\r\na=42&b=x"), r.out());
        }
    }

    private static ExternalCommand.Result curl(String... args) throws Exception {
        Assumptions.assumeTrue(ExternalCommand.onPath("curl"), "curl is not installed");
        List<String> command = new ArrayList<>(List.of("curl", "--max-time", "15", "--cacert", ca.caFile().toString()));
        command.addAll(List.of(args));
        return ExternalCommand.run(command, new byte[0], Duration.ofSeconds(20));
    }

    // ---- openssl s_client ----

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void opensslClientGetsAResponseOverEachProtocolVersionWithAlpnAndSni(String version) throws Exception {
        Assumptions.assumeTrue(ExternalCommand.onPath("openssl"), "openssl is not installed");
        try (TestServer server = start()) {
            String expected = version.equals("-tls1_2") ? "TLSv1.2" : "TLSv1.3";
            byte[] request = "GET /s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            ExternalCommand.Result r = ExternalCommand.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.port(),
                    version, "-alpn", "http/1.1", "-servername", "localhost", "-CAfile", ca.caFile().toString(),
                    "-verify_return_error", "-ign_eof"), request, Duration.ofSeconds(20));
            String out = r.out();
            assertEquals(0, r.exit(), out + r.err());
            assertTrue(out.contains("Protocol  : " + expected), out);
            assertTrue(out.contains("ALPN protocol: http/1.1"), out);
            assertTrue(out.contains("Verify return code: 0 (ok)"), out);
            assertTrue(out.contains("HTTP/1.1 200 OK\r\n"), out);
            assertTrue(out.contains("X-Tls: " + expected + "\r\n"), "the handler saw the same session\n" + out);
            assertTrue(out.contains("\r\n\r\nhello /s"), out);
        }
    }

    // ---- the JDK's HttpClient ----

    @Test
    void jdkHttpClientPreferringHttp2IsServedHttp11ChosenByAlpn() throws Exception {
        try (TestServer server = start();
             HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext()).version(HttpClient.Version.HTTP_2).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(https(server, "/h2"))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(HttpClient.Version.HTTP_1_1, r.version());
            assertEquals("hello /h2", r.body());
            HttpResponse<String> again = client.send(HttpRequest.newBuilder(URI.create(https(server, "/again"))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(r.headers().firstValue("X-Conn-Id"), again.headers().firstValue("X-Conn-Id"), "keep-alive over TLS");
        }
    }

    // ---- OkHttp ----

    @Test
    void okHttpGetsAndPostsOverOneTlsConnectionWithHttp11ChosenByAlpn() throws Exception {
        OkHttpClient client = new OkHttpClient.Builder()
                .sslSocketFactory(ca.clientContext().getSocketFactory(), ca.trustManager())
                .callTimeout(Duration.ofSeconds(15)).build();
        try (TestServer server = start()) {
            List<String> connIds = new ArrayList<>();
            try (okhttp3.Response r = client.newCall(new okhttp3.Request.Builder().url(https(server, "/ok")).build()).execute()) {
                assertEquals(200, r.code());
                assertEquals(Protocol.HTTP_1_1, r.protocol(), "OkHttp offers h2 and http/1.1; we pick http/1.1");
                assertEquals("TLSv1.3", r.header("X-Tls"));
                assertEquals("hello /ok", r.body().string());
                connIds.add(r.header("X-Conn-Id"));
            }
            RequestBody body = RequestBody.create(BODY, MediaType.get("application/octet-stream"));
            try (okhttp3.Response r = client.newCall(new okhttp3.Request.Builder().url(https(server, "/echo")).post(body).build()).execute()) {
                assertArrayEquals(BODY, r.body().bytes());
                connIds.add(r.header("X-Conn-Id"));
            }
            assertEquals(1, connIds.stream().distinct().count(), "one connection for both requests: " + connIds);
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    // ---- Apache HttpClient 5 ----

    @Test
    void apacheHttpClientGetsAndPostsOverOneTlsConnection() throws Exception {
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(ca.clientContext()).buildClassic())
                .build();
        try (TestServer server = start();
             CloseableHttpClient client = HttpClients.custom().setConnectionManager(connections).build()) {
            List<String> connIds = new ArrayList<>();
            String hello = client.execute(new HttpGet(https(server, "/apache")), r -> {
                assertEquals(200, r.getCode());
                assertEquals("TLSv1.3", r.getFirstHeader("X-Tls").getValue());
                connIds.add(r.getFirstHeader("X-Conn-Id").getValue());
                return EntityUtils.toString(r.getEntity());
            });
            assertEquals("hello /apache", hello);
            HttpPost post = new HttpPost(https(server, "/echo"));
            post.setEntity(new ByteArrayEntity(BODY, ContentType.APPLICATION_OCTET_STREAM, true));   // chunked
            byte[] echoed = client.execute(post, r -> {
                connIds.add(r.getFirstHeader("X-Conn-Id").getValue());
                return EntityUtils.toByteArray(r.getEntity());
            });
            assertArrayEquals(BODY, echoed);
            assertEquals(1, connIds.stream().distinct().count(), "one connection for both requests: " + connIds);
        }
    }

    // ---- our own client ----

    @Test
    void ourClientGetsAndPostsOverOneTlsConnection() throws Exception {
        Request request = Client.acquireRequest();
        Response response = Client.acquireResponse();
        try (TestServer server = start(); Client client = Client.builder().sslContext(ca.clientContext()).build()) {
            List<String> connIds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                request.reset();
                request.header().setRequestUri(https(server, "/c" + i));
                client.doRequest(request, response);
                assertEquals(200, response.statusCode());
                assertEquals("hello /c" + i, response.body().toString());
                assertEquals("TLSv1.3", response.header().get("X-Tls"));
                connIds.add(response.header().get("X-Conn-Id"));
            }
            request.reset();
            request.header().setMethod("POST");
            request.header().setRequestUri(https(server, "/echo"));
            request.setBody(BODY);
            client.doRequest(request, response);
            assertArrayEquals(BODY, response.body().toBytes());
            connIds.add(response.header().get("X-Conn-Id"));
            assertEquals(1, connIds.stream().distinct().count(), "one connection for all requests: " + connIds);
        } finally {
            Client.releaseRequest(request);
            Client.releaseResponse(response);
        }
    }

    @Test
    void ourHostClientSendsRequestsOverOneKeptAliveTlsConnection() throws Exception {
        Request request = Client.acquireRequest();
        Response response = Client.acquireResponse();
        try (TestServer server = start();
             HostClient client = HostClient.builder("localhost:" + server.port()).tls(true).sslContext(ca.clientContext()).build()) {
            for (int i = 1; i <= 5; i++) {
                request.reset();
                request.header().setRequestUri("/h" + i);
                client.doRequest(request, response);
                assertEquals("hello /h" + i, response.body().toString());
                assertEquals(Integer.toString(i), response.header().get("X-Request-Num"), "keep-alive over TLS");
            }
            assertEquals(1, client.connsCount());
        } finally {
            Client.releaseRequest(request);
            Client.releaseResponse(response);
        }
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + (i >>> 8));
        return b;
    }
}
