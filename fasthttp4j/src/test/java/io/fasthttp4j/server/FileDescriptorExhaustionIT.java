package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Running out of file descriptors is a passing condition on a busy server (EMFILE from accept): the
 * server must keep its listener and accept again once descriptors are free, as Go's fasthttp does
 * (it sleeps and retries on temporary accept errors).
 */
class FileDescriptorExhaustionIT {
    @Test
    @Timeout(60)
    void theServerAcceptsAgainAfterRunningOutOfFileDescriptors() throws Exception {
        try (var server = TestServer.start(ctx -> ctx.setBody("ok"))) {
            // Warm up, so that nothing initialises lazily while descriptors are exhausted: the JDK creates
            // the virtual threads' epoll poller when the first one blocks on a socket, and if that fails its
            // class stays broken for the whole test JVM. So the worker must block in a read here (we wait
            // before sending), and so must a virtual thread of ours.
            try (var warm = RawClient.connect(server.port())) {
                LimitsIT.awaitTrue(() -> server.server().openConnections() == 1, "accepted");
                Thread.sleep(200);   // the worker is now parked in its first read
                var reader = Thread.ofVirtual().start(() -> {
                    try {
                        assertEquals(200, warm.readResponse().statusCode());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                Thread.sleep(100);
                warm.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                assertTrue(reader.join(java.time.Duration.ofSeconds(5)));
                assertTrue(warm.awaitPeerClose());
            }
            LimitsIT.awaitTrue(() -> server.server().openConnections() == 0, "the warm-up connection's descriptor is released");
            Path devNull = Path.of("/dev/null");
            List<FileChannel> fillers = new ArrayList<>();
            Socket pending = new Socket();
            try {
                try {
                    while (fillers.size() < 100_000) fillers.add(FileChannel.open(devNull, StandardOpenOption.READ));
                } catch (IOException expected) {
                    // "Too many open files": every descriptor is taken
                }
                assertTrue(fillers.size() > 100, "could not exhaust descriptors: " + fillers.size());
                fillers.removeLast().close();   // exactly one free: for the client's socket, none for the server's accept
                // Linux reserves the descriptor before accept() blocks, so the accept in progress takes this one;
                // the loop's next accept() fails at once with EMFILE ("Too many open files").
                pending.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
                Thread.sleep(300);   // lets the accept loop reach its next accept() while descriptors are still out
            } finally {
                for (FileChannel f : fillers) f.close();
            }
            try (pending) {
                pending.setSoTimeout(5000);
                pending.getOutputStream().write("GET /pending HTTP/1.1\r\nHost: a\r\n\r\n".getBytes());
                byte[] head = new byte[12];
                int n = pending.getInputStream().readNBytes(head, 0, head.length);
                assertEquals("HTTP/1.1 200", new String(head, 0, n), "a connection made while descriptors ran out is served");
            } catch (IOException e) {
                throw new AssertionError("the connection that arrived during EMFILE was dropped: " + e, e);
            }
            try (var after = RawClient.connect(server.port())) {
                after.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertEquals(200, after.readResponse().statusCode(), "new connections are served after EMFILE");
            } catch (java.net.ConnectException e) {
                throw new AssertionError("the listener is gone after one EMFILE from accept: " + e, e);
            }
        }
    }
}
