package io.fasthttp4j.bench.undertow;

import io.fasthttp4j.bench.common.AllocProbe;
import io.fasthttp4j.bench.common.JsonItems;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.Map;

/**
 * The load application on Undertow 2.4: one {@code HttpHandler} that runs on the XNIO IO threads (one
 * per core, no dispatch to the worker pool), request bodies read with the non-blocking
 * {@code Receiver}, responses through the {@code Sender}; Undertow adds the Date header itself
 * (cached per second).
 */
public final class Main {
    private static final String TEXT_PLAIN = "text/plain";
    private static final String APPLICATION_JSON = "application/json";
    private static final ByteBuffer OK = ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    private Main() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int cores = Runtime.getRuntime().availableProcessors();
        Undertow server = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setIoThreads(cores)
                .setWorkerThreads(cores)
                // HTTP/1.1 is persistent by default: no "Connection: keep-alive" on every response.
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
                // Undertow's own per-second Date cache (the default, stated). Header order is its
                // HeaderMap's hash order: Date comes last, "Connection: close" first.
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, true)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 64L << 20)
                .setHandler(Main::handle)
                .build();
        server.start();
        AllocProbe.start(port);
        System.out.println("undertow listening on 127.0.0.1:" + port + " (" + cores + " IO threads)");
    }

    private static void handle(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        switch (path) {
            case "/pipeline" -> send(exchange, TEXT_PLAIN, OK.duplicate());
            case "/baseline11" -> {
                long sum = 0;
                for (Map.Entry<String, Deque<String>> e : exchange.getQueryParameters().entrySet()) {
                    for (String v : e.getValue()) sum += AllocProbe.parseLongLenient(v);
                }
                if (exchange.getRequestMethod().equals(Methods.POST)) {
                    long query = sum;
                    exchange.getRequestReceiver().receiveFullString((ex, body) ->
                            send(ex, TEXT_PLAIN, ascii(query + AllocProbe.parseLongLenient(body))));
                } else {
                    send(exchange, TEXT_PLAIN, ascii(sum));
                }
            }
            case "/upload" -> {
                long[] count = {0};
                exchange.getRequestReceiver().receivePartialBytes((ex, chunk, last) -> {
                    count[0] += chunk.length;
                    if (last) send(ex, TEXT_PLAIN, ascii(count[0]));
                });
            }
            default -> {
                int count = JsonItems.countFromPath(path);
                if (count < 0) {
                    exchange.setStatusCode(404).endExchange();
                    return;
                }
                Deque<String> m = exchange.getQueryParameters().get("m");
                Bytes json = new Bytes();
                try {
                    JsonItems.write(count, m == null ? 1 : Integer.parseInt(m.getFirst()), json);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                send(exchange, APPLICATION_JSON, json.asByteBuffer());
            }
        }
    }

    private static ByteBuffer ascii(long n) {
        return ByteBuffer.wrap(Long.toString(n).getBytes(StandardCharsets.US_ASCII));
    }

    private static void send(HttpServerExchange exchange, String contentType, ByteBuffer body) {
        exchange.getResponseHeaders()
                .put(Headers.SERVER, "bench")
                .put(Headers.CONTENT_TYPE, contentType)
                .put(Headers.CONTENT_LENGTH, body.remaining());
        exchange.getResponseSender().send(body);
    }

    /** The generator's output, handed to the Sender without a copy. */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes() {
            super(8192);
        }

        ByteBuffer asByteBuffer() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }
}
