package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.Response;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A handler learns that its client has gone (issue 13; fasthttp's #965/#1350): isCancelled() and
 * onCancel when the client closes or resets, failing body reads and writes; and a client that stays
 * loses nothing, not even the pipelined request it sent while the handler ran.
 */
class CancellationIT {
    private static void resetAbruptly(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);   // close sends RST
        socket.close();
    }

    @Test
    @Timeout(10)
    void handlerSeesItsClientCloseTheConnection() throws Exception {
        CompletableFuture<Boolean> seen = new CompletableFuture<>();
        CountDownLatch started = new CountDownLatch(1);
        try (var server = TestServer.start(ctx -> {
            if (ctx.startBlocking()) return;
            boolean first = ctx.isCancelled();
            started.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!ctx.isCancelled() && System.nanoTime() < deadline) Thread.sleep(5);
            seen.complete(!first && ctx.isCancelled());
        })) {
            RawClient client = RawClient.connect(server.port());
            client.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(started.await(5, TimeUnit.SECONDS));
            client.close();
            assertTrue(seen.get(5, TimeUnit.SECONDS), "isCancelled() turned true after the client closed");
        }
    }

    @Test
    @Timeout(10)
    void onCancelRunsWhenTheClientResets() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        CountDownLatch handlerDone = new CountDownLatch(1);
        try (var server = TestServer.start(ctx -> {
            if (ctx.startBlocking()) return;
            CountDownLatch wake = new CountDownLatch(1);
            ctx.onCancel(() -> {
                cancelled.countDown();
                wake.countDown();   // what a handler does with it: stop waiting
            });
            wake.await(5, TimeUnit.SECONDS);
            handlerDone.countDown();
        })) {
            RawClient client = RawClient.connect(server.port());
            client.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            Thread.sleep(100);
            resetAbruptly(client.socket());
            assertTrue(cancelled.await(3, TimeUnit.SECONDS), "onCancel ran");
            assertTrue(handlerDone.await(3, TimeUnit.SECONDS));
        }
    }

    @Test
    @Timeout(10)
    void aClientThatStaysIsNotCancelledAndItsPipelinedRequestIsKept() throws Exception {
        CountDownLatch firstAsked = new CountDownLatch(1);
        try (var server = TestServer.start(ctx -> {
                 if (ctx.startBlocking()) return;
                 String path = ctx.path().toString();
                 if (path.equals("/first")) {
                     boolean c = ctx.isCancelled();
                     firstAsked.countDown();
                     Thread.sleep(300);   // the client sends its next request meanwhile
                     ctx.setBody("first cancelled=" + (c || ctx.isCancelled()));
                 } else {
                     ctx.setBody("second " + ctx.requestBody().toString());
                 }
             });
             var client = RawClient.connect(server.port())) {
            client.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(firstAsked.await(5, TimeUnit.SECONDS));
            client.send("POST /second HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
            Response first = client.readResponse();
            assertEquals("first cancelled=false", first.body().toString());
            assertEquals("second hello", client.readResponse().body().toString());
            client.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");   // and the connection goes on
            assertEquals("first cancelled=false", client.readResponse().body().toString());
        }
    }

    @Test
    @Timeout(10)
    void aBlockedBodyReadFailsWhenTheClientLeaves() throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        try (var server = TestServer.start(ctx -> {
            try {
                ctx.requestBodyStream().readAllBytes();
                outcome.complete("read to the end");
            } catch (IOException e) {
                outcome.complete("failed, cancelled=" + ctx.isCancelled());
            }
        }, b -> b.streamRequestBody(true))) {
            RawClient client = RawClient.connect(server.port());
            client.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n").send(new byte[100_000]);
            Thread.sleep(200);
            resetAbruptly(client.socket());
            assertEquals("failed, cancelled=true", outcome.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    @Timeout(15)
    void aStreamWriterFailsWhenTheClientResets() throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        byte[] piece = new byte[16 * 1024];
        try (var server = TestServer.start(ctx -> ctx.setBodyStreamWriter(out -> {
            try {
                for (int i = 0; i < 10_000; i++) {
                    out.write(piece);
                    out.flush();
                    Thread.sleep(2);
                }
                outcome.complete("wrote everything");
            } catch (IOException e) {
                outcome.complete("failed");
                throw e;
            } catch (InterruptedException e) {
                outcome.complete("interrupted");
            }
        }))) {
            RawClient client = RawClient.connect(server.port());
            client.send("GET /events HTTP/1.1\r\nHost: a\r\n\r\n");
            client.socket().getInputStream().readNBytes(64 * 1024);
            resetAbruptly(client.socket());
            assertEquals("failed", outcome.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    @Timeout(10)
    void isCancelledIsFalseInlineOnAnEventLoopAndCostsNothing() throws Exception {
        try (var server = TestServer.start(ctx -> ctx.setBody("cancelled=" + ctx.isCancelled()));
             var client = RawClient.connect(server.port())) {
            for (int i = 0; i < 3; i++) {
                client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertEquals("cancelled=false", client.readResponse().body().toString());
            }
            assertFalse(client.awaitPeerClose(100));
        }
    }
}
