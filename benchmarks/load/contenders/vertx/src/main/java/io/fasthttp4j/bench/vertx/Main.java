package io.fasthttp4j.bench.vertx;

import io.fasthttp4j.bench.common.AllocProbe;
import io.fasthttp4j.bench.common.JsonItems;
import io.netty.handler.codec.DateFormatter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The load application on Vert.x 5: one {@link HttpServer} verticle per core sharing the port, a plain
 * request handler (no vertx-web), native epoll, the Date header cached per second by a periodic timer
 * on each event loop (as Vert.x's own benchmarks do).
 */
public final class Main extends VerticleBase {
    private static final CharSequence SERVER = HttpHeaders.createOptimized("Server");
    private static final CharSequence DATE = HttpHeaders.createOptimized("Date");
    private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("Content-Type");
    private static final CharSequence CONTENT_LENGTH = HttpHeaders.createOptimized("Content-Length");
    private static final CharSequence BENCH = HttpHeaders.createOptimized("bench");
    private static final CharSequence TEXT_PLAIN = HttpHeaders.createOptimized("text/plain");
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final Buffer OK = Buffer.buffer("ok");

    private final int port;
    private CharSequence date;

    private Main(int port) {
        this.port = port;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        // What Vert.x's own benchmark configurations turn off; set here so that the JVM flags stay
        // identical across contenders.
        System.setProperty("vertx.disableHttpHeadersValidation", "true");
        System.setProperty("vertx.disableContextTimings", "true");
        System.setProperty("vertx.threadChecks", "false");
        System.setProperty("vertx.disableTCCL", "true");
        int cores = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setEventLoopPoolSize(cores).setPreferNativeTransport(true))
                .build();
        if (!vertx.isNativeTransportEnabled()) {
            System.err.println("vertx: native transport unavailable: " + vertx.unavailableNativeTransportCause());
        }
        vertx.deployVerticle(() -> new Main(port), new DeploymentOptions().setInstances(cores))
                .await();
        AllocProbe.start(port);
        String tls = System.getenv("TLS_CERT") == null ? "" : ", TLS: the JDK's SSLEngine";
        System.out.println("vertx listening on 127.0.0.1:" + port
                + " (" + cores + " event loops, native transport " + vertx.isNativeTransportEnabled() + tls + ")");
    }

    @Override
    public Future<?> start() {
        updateDate();
        vertx.setPeriodic(1000, id -> updateDate());
        HttpServerOptions options = new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setCompressionSupported(false)
                .setDecompressionSupported(false)
                .setHttp2ClearTextEnabled(false)
                .setHandle100ContinueAutomatically(true)
                .setTcpNoDelay(true)
                .setAcceptBacklog(8192);
        String cert = System.getenv("TLS_CERT");
        if (cert != null && !cert.isEmpty()) configureTls(options, cert, System.getenv("TLS_KEY"));
        return vertx.createHttpServer(options).requestHandler(this::handle).listen();
    }

    /**
     * The TLS settings every TLS contender uses, for the TLS profiles (the harness sets TLS_CERT and
     * TLS_KEY): TLS 1.3 only, TLS_AES_128_GCM_SHA256, ALPN http/1.1, the JDK's SSLEngine.
     */
    private static void configureTls(HttpServerOptions options, String certPath, String keyPath) {
        options.setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certPath).setKeyPath(keyPath))
                .setSslEngineOptions(new JdkSSLEngineOptions())
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
                .addEnabledCipherSuite("TLS_AES_128_GCM_SHA256")
                .setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_1_1));
    }

    private void updateDate() {
        date = HttpHeaders.createOptimized(DateFormatter.format(new Date()));
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        switch (path) {
            case "/pipeline" -> send(req.response(), TEXT_PLAIN, OK);
            case "/baseline11" -> {
                long sum = querySum(req.params());
                if (req.method() == HttpMethod.POST) {
                    req.body().onSuccess(body -> send(req.response(), TEXT_PLAIN,
                            Buffer.buffer(Long.toString(sum + AllocProbe.parseLongLenient(body.toString())))));
                } else {
                    send(req.response(), TEXT_PLAIN, Buffer.buffer(Long.toString(sum)));
                }
            }
            case "/upload" -> {
                long[] count = {0};
                req.handler(chunk -> count[0] += chunk.length());
                req.endHandler(v -> send(req.response(), TEXT_PLAIN, Buffer.buffer(Long.toString(count[0]))));
            }
            default -> {
                int count = JsonItems.countFromPath(path);
                if (count < 0) {
                    req.response().setStatusCode(404).end();
                    return;
                }
                String m = req.getParam("m");
                Buffer json = Buffer.buffer(8192);
                try {
                    JsonItems.write(count, m == null ? 1 : Integer.parseInt(m), new BufferOutputStream(json));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                send(req.response(), APPLICATION_JSON, json);
            }
        }
    }

    private void send(HttpServerResponse resp, CharSequence contentType, Buffer body) {
        resp.headers()
                .add(SERVER, BENCH)
                .add(DATE, date)
                .add(CONTENT_TYPE, contentType)
                .add(CONTENT_LENGTH, String.valueOf(body.length()));
        resp.end(body);
    }

    private static long querySum(MultiMap params) {
        long sum = 0;
        for (Map.Entry<String, String> e : params) sum += AllocProbe.parseLongLenient(e.getValue());
        return sum;
    }

    /** Jackson's generator writes its buffered chunks straight into the Vert.x buffer. */
    private static final class BufferOutputStream extends OutputStream {
        private final Buffer buffer;

        BufferOutputStream(Buffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public void write(int b) {
            buffer.appendByte((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            buffer.appendBytes(b, off, len);
        }
    }
}
