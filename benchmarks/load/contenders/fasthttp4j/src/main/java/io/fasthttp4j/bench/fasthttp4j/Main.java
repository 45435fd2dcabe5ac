package io.fasthttp4j.bench.fasthttp4j;

import io.fasthttp4j.ByteView;
import io.fasthttp4j.Status;
import io.fasthttp4j.bench.common.AllocProbe;
import io.fasthttp4j.bench.common.JsonItems;
import io.fasthttp4j.pool.ByteBuf;
import io.fasthttp4j.server.RequestCtx;
import io.fasthttp4j.server.Server;
import io.fasthttp4j.tls.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * fasthttp4j on its default transport (a virtual thread per connection, the JDK's scheduler with one
 * carrier per CPU) serving the load profiles: {@code start.sh PORT}.
 */
public final class Main {
    private Main() {
    }

    private static final byte[] OK = {'o', 'k'};

    static void handle(RequestCtx ctx) throws IOException {
        ByteView path = ctx.path();
        if (path.contentEquals("/baseline11")) {
            baseline(ctx);
        } else if (path.contentEquals("/pipeline")) {
            ctx.setContentType("text/plain").setBody(OK);
        } else if (path.contentEquals("/upload")) {
            upload(ctx);
        } else {
            int count = JsonItems.countFromPath(path);
            if (count < 0) {
                ctx.setContentType("text/plain").setStatusCode(Status.NOT_FOUND);
                return;
            }
            ctx.setContentType("application/json");
            JsonItems.write(count, ctx.queryArgs().getInt("m", 1), new BodyOutput(ctx.bodyBuffer()));
        }
    }

    private static void baseline(RequestCtx ctx) {
        long sum = 0;
        var args = ctx.queryArgs();
        for (int i = 0; i < args.count(); i++) sum += parseLong(args.value(i));
        if (ctx.isPost()) sum += parseLong(ctx.requestBody());
        ctx.setContentType("text/plain").bodyBuffer().appendDecimal(sum);
    }

    private static void upload(RequestCtx ctx) throws IOException {
        long total = 0;
        InputStream in = ctx.requestBodyStream();
        byte[] scratch = new byte[16384];   // per upload (500 KB and more): noise next to the body
        for (int n; (n = in.read(scratch)) > 0; ) total += n;
        ctx.setContentType("text/plain").bodyBuffer().appendDecimal(total);
    }

    /** Parses a decimal number, ignoring leading whitespace; 0 when there is none. */
    static long parseLong(ByteView v) {
        long n = 0;
        int i = 0;
        int len = v.length();
        while (i < len && Character.isWhitespace(v.byteAt(i))) i++;
        boolean negative = i < len && v.byteAt(i) == '-';
        if (negative) i++;
        for (; i < len; i++) {
            byte b = v.byteAt(i);
            if (b < '0' || b > '9') break;
            n = n * 10 + (b - '0');
        }
        return negative ? -n : n;
    }

    /** The response body buffer as an OutputStream for Jackson; close() does nothing. */
    private static final class BodyOutput extends OutputStream {
        private final ByteBuf out;

        BodyOutput(ByteBuf out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            out.append((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            out.append(b, off, len);
        }
    }

    /**
     * {@code PORT [--event-loop] [--conscrypt]}: the event-loop transport; Conscrypt as the TLS provider. With the
     * environment variables {@code TLS_CERT} and {@code TLS_KEY} (PEM files; the harness sets them for
     * the TLS profiles) it serves HTTPS: TLS 1.3 only, TLS_AES_128_GCM_SHA256, ALPN http/1.1, the JDK's
     * SSLEngine.
     */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        java.util.List<String> options = java.util.List.of(args).subList(1, args.length);
        boolean eventLoop = options.contains("--event-loop");
        TlsConfig tls = tlsFromEnvironment(options.contains("--conscrypt"));
        AllocProbe.start(port);
        // The handlers never block; /upload streams its body, which the event loop hands to a virtual thread.
        Server server = Server.builder(Main::handle)
                .name("bench")
                .streamRequestBody(true)
                .maxRequestBodySize(64L << 20)
                .eventLoop(eventLoop)
                .tls(tls)
                .build();
        System.out.println("fasthttp4j (" + (eventLoop ? "event loop" : "virtual threads") + ") on "
                + (tls == null ? "http" : "https") + "://127.0.0.1:" + port + ", "
                + Runtime.getRuntime().availableProcessors() + " CPU(s)");
        server.listenAndServe("127.0.0.1:" + port);
    }

    /**
     * The TLS settings every TLS contender uses, or null (plain HTTP) when TLS_CERT is not set;
     * {@code conscrypt}: Conscrypt's provider (BoringSSL) instead of the JDK's, as a user plugs it in.
     */
    private static TlsConfig tlsFromEnvironment(boolean conscrypt) throws IOException {
        String cert = System.getenv("TLS_CERT");
        if (cert == null || cert.isEmpty()) return null;
        TlsConfig.Builder builder = TlsConfig.builder();
        builder.certificate(Path.of(cert), Path.of(System.getenv("TLS_KEY"))).protocols("TLSv1.3").applicationProtocols("http/1.1");
        // BoringSSL's TLS 1.3 suites cannot be chosen (as for netty-boringssl): it follows the client's order,
        // and the harness's clients list TLS_AES_128_GCM_SHA256 first.
        if (conscrypt) builder.provider(org.conscrypt.Conscrypt.newProvider());
        else builder.cipherSuites("TLS_AES_128_GCM_SHA256");
        return builder.build();
    }
}
