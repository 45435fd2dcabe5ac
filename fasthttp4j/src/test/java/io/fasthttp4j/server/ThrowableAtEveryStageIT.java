package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

/**
 * An OutOfMemoryError (or any Throwable) thrown at any stage of a request ends at most that request
 * and its connection (issue 13): the loop, the worker pool and the accept loop go on, and the
 * connection's context goes back (TestServer.close checks it).
 */
class ThrowableAtEveryStageIT {
    enum Stage { HEADER_RECEIVED, CONTINUE_HANDLER, HANDLER, ERROR_HANDLER, BODY_STREAM_WRITER, BODY_STREAM, CONN_STATE_LISTENER, STREAMED_BODY_HANDLER }

    /** Throws once, then lets everything pass: the next connection must be served normally. */
    private static final class Fault {
        final AtomicBoolean armed = new AtomicBoolean(true);

        void maybeThrow(Stage stage, Stage at) {
            if (stage == at && armed.compareAndSet(true, false)) throw new OutOfMemoryError("injected at " + at);
        }
    }

    private static RequestHandler handler(Stage stage, Fault fault) {
        return ctx -> {
            if (ctx.path().toString().equals("/ok")) {
                ctx.setBody("ok");
                return;
            }
            if (ctx.startBlocking()) return;
            fault.maybeThrow(stage, Stage.HANDLER);
            if (stage == Stage.ERROR_HANDLER) throw new IllegalStateException("handler fails, then the error handler");
            if (stage == Stage.STREAMED_BODY_HANDLER) {   // fails half-way through reading a streamed body
                ctx.requestBodyStream().readNBytes(1000);
                fault.maybeThrow(stage, Stage.STREAMED_BODY_HANDLER);
            }
            if (stage == Stage.BODY_STREAM_WRITER) {
                ctx.setBodyStreamWriter(out -> {
                    out.write("part".getBytes());
                    out.flush();
                    fault.maybeThrow(stage, Stage.BODY_STREAM_WRITER);
                });
            }
            if (stage == Stage.BODY_STREAM) {
                ctx.setBodyStream(new InputStream() {
                    @Override
                    public int read() {
                        fault.maybeThrow(stage, Stage.BODY_STREAM);
                        return -1;
                    }
                }, -1);
            }
        };
    }

    private static UnaryOperator<Server.Builder> configure(Stage stage, Fault fault) {
        return b -> b
                .headerReceived((h, config) -> fault.maybeThrow(stage, Stage.HEADER_RECEIVED))
                .continueHandler(h -> {
                    fault.maybeThrow(stage, Stage.CONTINUE_HANDLER);
                    return true;
                })
                .errorHandler((ctx, status, error) -> {
                    fault.maybeThrow(stage, Stage.ERROR_HANDLER);
                    ErrorHandler.DEFAULT.handle(ctx, status, error);
                })
                .connStateListener((id, remote, state) -> {
                    if (state == ConnState.ACTIVE) fault.maybeThrow(stage, Stage.CONN_STATE_LISTENER);
                })
                .streamRequestBody(stage == Stage.STREAMED_BODY_HANDLER);
    }

    @ParameterizedTest
    @EnumSource(Stage.class)
    @Timeout(20)
    void anErrorAtThisStageEndsOnlyItsRequest(Stage stage) throws IOException {
        Fault fault = new Fault();
        try (var server = TestServer.start(handler(stage, fault), configure(stage, fault))) {
            try (var client = RawClient.connect(server.port())) {
                String body = stage == Stage.STREAMED_BODY_HANDLER ? "x".repeat(100_000) : "hello";
                client.send("POST /fail HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
                // Whatever the stage allows: an error response, a truncated one, or just a close. Never a hang.
                client.timeout(5000);
                try {
                    client.readUntilClose();
                } catch (IOException ignored) {
                    // reset: also an end
                }
            }
            assertTrue(!fault.armed.get(), "the fault was injected at " + stage);
            for (int i = 0; i < 3; i++) {   // fresh connections are served
                try (var client = RawClient.connect(server.port())) {
                    client.send("GET /ok HTTP/1.1\r\nHost: a\r\n\r\n");
                    Response r = client.readResponse();
                    assertEquals(200, r.statusCode());
                    assertEquals("ok", r.body().toString());
                }
            }
        }
    }
}
