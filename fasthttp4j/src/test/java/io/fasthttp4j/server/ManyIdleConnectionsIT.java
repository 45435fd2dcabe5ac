package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ten thousand idle keep-alive connections are held while fresh connections are still served.
 * The clients run in a child JVM ({@link IdleClients}): with the open-file hard limit at 20,000 on
 * these machines, 10,000 connections with both ends in one JVM need 20,000 descriptors plus the
 * JVM's own, which does not fit.
 */
class ManyIdleConnectionsIT {
    private static final int CONNECTIONS = 10_000;

    @Test
    @Timeout(90)
    void tenThousandIdleKeepAliveConnectionsAreHeldWhileNewRequestsAreServed() throws Exception {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            long free = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount();
            assertTrue(free > CONNECTIONS + 200, "this JVM may open only " + free + " more files (limit "
                    + unix.getMaxFileDescriptorCount() + "); the server needs one per connection: raise `ulimit -n`");
        }
        try (var server = TestServer.start(ctx -> ctx.setBody("ok"))) {
            Process child = startClients(server.port());
            try {
                var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
                Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.US_ASCII);

                String ready = readLine(out, 60, child);
                String[] parts = ready.split(" ", 4);
                assertEquals("READY", parts[0], ready);
                int ok = Integer.parseInt(parts[1]);
                if (ok != CONNECTIONS) {
                    fail("only " + ok + " of " + CONNECTIONS + " connections got a response (" + parts[2]
                            + " failed; first error: " + parts[3] + "); server has " + server.server().openConnections()
                            + " open. Too many open files points at `ulimit -n` (client and server need one descriptor each per connection)");
                }
                LimitsIT.awaitTrue(() -> server.server().openConnections() == CONNECTIONS, "all connections registered");

                for (int i = 0; i < 20; i++) {
                    try (var fresh = RawClient.connect(server.port())) {
                        fresh.send("GET /fresh HTTP/1.1\r\nHost: a\r\n\r\n");
                        assertEquals(200, fresh.readResponse().statusCode(), "a fresh connection next to 10,000 idle ones");
                    }
                }
                in.write("ping\n");
                in.flush();
                assertEquals("PINGED 100 0", readLine(out, 20, child), "idle connections still serve requests");

                in.write("close\n");
                in.flush();
                assertEquals("CLOSED", readLine(out, 20, child));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (server.server().openConnections() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
                assertEquals(0, server.server().openConnections(), "connections still counted after every client closed");
                assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            } finally {
                child.destroyForcibly();
            }
        }
    }

    private static Process startClients(int port) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classes;
        try {
            classes = Path.of(IdleClients.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        return new ProcessBuilder(java, "-Xmx512m", "-XX:+UseSerialGC", "-cp", classes, IdleClients.class.getName(),
                String.valueOf(port), String.valueOf(CONNECTIONS))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static String readLine(BufferedReader out, int seconds, Process child) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            String s = line.get(seconds, TimeUnit.SECONDS);
            if (s == null) fail("the client process ended early, exit " + child.waitFor());
            return s;
        } catch (TimeoutException e) {
            throw new AssertionError("no answer from the client process within " + seconds + " s", e);
        }
    }
}
