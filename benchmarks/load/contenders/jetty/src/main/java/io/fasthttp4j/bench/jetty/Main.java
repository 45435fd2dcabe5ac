package io.fasthttp4j.bench.jetty;

import io.fasthttp4j.bench.common.AllocProbe;
import io.fasthttp4j.bench.common.JsonItems;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The load application on Jetty 12.1's core API: one non-blocking {@link Handler} (no servlets), so
 * that Jetty's adaptive execution strategy may run it on the selector thread that read the request;
 * one acceptor, one selector per core. Bodies are read with Jetty's demand/read loop, never blocking.
 * Jetty's own Server and Date headers are off; the handler adds {@code Server: bench} and Jetty's
 * per-second cached Date field ({@link Server#getDateField()}), pre-encoded fields as Jetty's own
 * benchmarks do.
 */
public final class Main extends Handler.Abstract.NonBlocking {
    private static final HttpField SERVER = new PreEncodedHttpField(HttpHeader.SERVER, "bench");
    private static final HttpField TEXT_PLAIN = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain");
    private static final HttpField APPLICATION_JSON =
            new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");
    private static final ByteBuffer OK = ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    private final Server server;

    private Main(Server server) {
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int cores = Runtime.getRuntime().availableProcessors();
        // The acceptor and the selectors each hold a thread for good; the rest serve what the
        // selectors hand off.
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(16, 8 * cores), Math.max(4, cores + 2));
        threads.setName("jetty");
        Server server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        config.setSendDateHeader(false); // added by the handler after Server, from the same cache
        ServerConnector connector = new ServerConnector(server, 1, cores, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(8192);
        server.addConnector(connector);
        server.setHandler(new Main(server));
        server.start();
        AllocProbe.start(port);
        System.out.println("jetty " + Server.getVersion() + " listening on 127.0.0.1:" + port + " (1 acceptor, "
                + cores + " selectors, " + threads.getMaxThreads() + " threads at most)");
        server.join();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        switch (path) {
            case "/pipeline" -> send(response, callback, TEXT_PLAIN, OK.slice());
            case "/baseline11" -> {
                long sum = 0;
                for (Fields.Field field : Request.extractQueryParameters(request)) {
                    for (String v : field.getValues()) sum += AllocProbe.parseLongLenient(v);
                }
                if (HttpMethod.POST.is(request.getMethod())) {
                    long query = sum;
                    Content.Source.asString(request, StandardCharsets.UTF_8, new Promise<>() {
                        @Override
                        public void succeeded(String body) {
                            send(response, callback, TEXT_PLAIN, ascii(query + AllocProbe.parseLongLenient(body)));
                        }

                        @Override
                        public void failed(Throwable failure) {
                            callback.failed(failure);
                        }
                    });
                } else {
                    send(response, callback, TEXT_PLAIN, ascii(sum));
                }
            }
            case "/upload" -> new Counter(request, response, callback).run();
            default -> {
                int count = JsonItems.countFromPath(path);
                if (count < 0) return false; // 404
                String m = Request.extractQueryParameters(request).getValue("m");
                Bytes json = new Bytes();
                try {
                    JsonItems.write(count, m == null ? 1 : Integer.parseInt(m), json);
                } catch (IOException e) {
                    callback.failed(e);
                    return true;
                }
                send(response, callback, APPLICATION_JSON, json.asByteBuffer());
            }
        }
        return true;
    }

    private void send(Response response, Callback callback, HttpField contentType, ByteBuffer body) {
        HttpFields.Mutable headers = response.getHeaders();
        headers.add(SERVER);
        headers.add(server.getDateField());
        headers.add(contentType);
        headers.put(HttpHeader.CONTENT_LENGTH, body.remaining());
        response.write(true, body, callback);
    }

    private static ByteBuffer ascii(long n) {
        return ByteBuffer.wrap(Long.toString(n).getBytes(StandardCharsets.US_ASCII));
    }

    /** Counts the upload's bytes with Jetty's read/demand loop. */
    private final class Counter implements Runnable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private long count;

        Counter(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    callback.failed(chunk.getFailure());
                    return;
                }
                count += chunk.remaining();
                chunk.release();
                if (chunk.isLast()) {
                    send(response, callback, TEXT_PLAIN, ascii(count));
                    return;
                }
            }
        }
    }

    /** The generator's output, handed to Jetty without a copy. */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes() {
            super(8192);
        }

        ByteBuffer asByteBuffer() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }
}
