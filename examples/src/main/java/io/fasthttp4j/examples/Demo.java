package io.fasthttp4j.examples;

import io.fasthttp4j.ByteView;
import io.fasthttp4j.Status;
import io.fasthttp4j.server.RequestCtx;
import io.fasthttp4j.server.Server;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo server (the README's first command): the endpoints the benchmarks use, plus static files.
 *
 * <pre>
 *   /plaintext            Hello, World!
 *   /json                 {"message":"Hello, World!"}
 *   /pipeline             ok
 *   /baseline11?a=1&amp;b=2  GET: the sum of the query values; POST: the sum plus the numeric body
 *   /upload               POST: the number of body bytes read
 *   /echo                 the request body
 *   anything else         a file under --dir, if given
 * </pre>
 * Options: {@code --port N} (default 8080), {@code --host H} (default 127.0.0.1), {@code --dir PATH},
 * {@code --event-loop} (the event-loop transport; static files then move to a virtual thread by themselves).
 */
public final class Demo {
    private static final byte[] HELLO = "Hello, World!".getBytes();
    private static final byte[] JSON = "{\"message\":\"Hello, World!\"}".getBytes();
    private static final byte[] OK = "ok".getBytes();

    private final Path dir;

    Demo(Path dir) {
        this.dir = dir;
    }

    void handle(RequestCtx ctx) throws IOException {
        ByteView path = ctx.path();
        if (path.contentEquals("/plaintext")) {
            ctx.setBody(HELLO);
        } else if (path.contentEquals("/json")) {
            ctx.setContentType("application/json").setBody(JSON);
        } else if (path.contentEquals("/pipeline")) {
            ctx.setBody(OK);
        } else if (path.contentEquals("/baseline11")) {
            baseline(ctx);
        } else if (path.contentEquals("/upload")) {
            upload(ctx);
        } else if (path.contentEquals("/echo")) {
            ByteView body = ctx.requestBody();
            ctx.bodyBuffer().append(body.array(), body.offset(), body.length());
        } else {
            staticFile(ctx, path);
        }
    }

    private static void baseline(RequestCtx ctx) {
        long sum = 0;
        var args = ctx.queryArgs();
        for (int i = 0; i < args.count(); i++) sum += parseLong(args.value(i));
        if (ctx.isPost()) sum += parseLong(ctx.requestBody());
        ctx.bodyBuffer().appendDecimal(sum);
    }

    private static void upload(RequestCtx ctx) throws IOException {
        if (!ctx.isPost()) {
            ctx.error("POST a body to /upload", Status.METHOD_NOT_ALLOWED);
            return;
        }
        long total = 0;
        InputStream in = ctx.requestBodyStream();
        byte[] scratch = new byte[8192];
        for (int n; (n = in.read(scratch)) > 0; ) total += n;
        ctx.bodyBuffer().appendDecimal(total);
    }

    private void staticFile(RequestCtx ctx, ByteView path) {
        if (dir == null) {
            ctx.notFound();
            return;
        }
        // path() is normalised ("." and ".." resolved, never above "/"), so it stays under dir.
        Path file = dir.resolve(path.toString().substring(1)).normalize();
        if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
            ctx.notFound();
            return;
        }
        ctx.setContentType(contentType(file.getFileName().toString()));
        ctx.sendFile(file);
    }

    private static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        return switch (dot < 0 ? "" : name.substring(dot + 1)) {
            case "html", "htm" -> "text/html; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "json" -> "application/json";
            case "txt", "md" -> "text/plain; charset=utf-8";
            case "png" -> "image/png";
            case "jpg", "jpeg" -> "image/jpeg";
            case "svg" -> "image/svg+xml";
            default -> "application/octet-stream";
        };
    }

    /** Parses a decimal number from {@code v}, ignoring surrounding whitespace; 0 if it is not one. */
    static long parseLong(ByteView v) {
        long n = 0;
        boolean negative = false;
        int i = 0;
        int len = v.length();
        while (i < len && Character.isWhitespace(v.byteAt(i))) i++;
        if (i < len && v.byteAt(i) == '-') {
            negative = true;
            i++;
        }
        for (; i < len; i++) {
            byte b = v.byteAt(i);
            if (b < '0' || b > '9') break;
            n = n * 10 + (b - '0');
        }
        return negative ? -n : n;
    }

    public static void main(String[] args) throws IOException {
        int port = 8080;
        String host = "127.0.0.1";
        Path dir = null;
        boolean eventLoop = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--event-loop" -> eventLoop = true;
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--host" -> host = args[++i];
                case "--dir" -> dir = Path.of(args[++i]).toAbsolutePath().normalize();
                default -> {
                    System.err.println("usage: Demo [--port N] [--host H] [--dir PATH] [--event-loop]");
                    System.exit(2);
                }
            }
        }
        Demo demo = new Demo(dir);
        Server server = Server.builder(demo::handle)
                .streamRequestBody(true)
                .maxRequestBodySize(64L << 20)
                .eventLoop(eventLoop)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.shutdown(java.time.Duration.ofSeconds(5))));
        var bound = (java.net.InetSocketAddress) server.start(host + ":" + port);   // a host:port address: always an InetSocketAddress
        System.out.println("fasthttp4j demo (" + (eventLoop ? "event loops" : "virtual threads") + ") listening on http://"
                + bound.getHostString() + ":" + bound.getPort()
                + (dir == null ? "" : " serving files from " + dir) + " (Ctrl-C to stop)");
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
