package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The TCP socket options of the listener and of accepted connections, read back from real sockets. */
@Timeout(20)
class SocketOptionsIT {
    private static final String GET_CLOSE = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    /** Answers 101, then writes the accepted socket's options and closes: a hijack is the way to the socket. */
    private static final RequestHandler OPTIONS = ctx -> {
        ctx.setStatusCode(101);
        ctx.hijack(conn -> {
            SocketChannel s = conn.socketChannel();
            String options = "keepalive=" + s.getOption(StandardSocketOptions.SO_KEEPALIVE)
                    + " nodelay=" + s.getOption(StandardSocketOptions.TCP_NODELAY)
                    + " idle=" + s.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)
                    + " interval=" + s.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL) + "\n";
            OutputStream out = conn.outputStream();
            out.write(options.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        });
    };

    private static String get(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(GET_CLOSE.getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(out);
            return out.toString(StandardCharsets.US_ASCII);
        }
    }

    private static String optionsOf(TestServer server) throws IOException {
        String r = get(server.port());
        assertTrue(r.startsWith("HTTP/1.1 101"), r);
        return r.substring(r.indexOf("keepalive="));
    }

    @Test
    void setsNoDelayAndNoKeepAliveByDefault() throws IOException {
        try (TestServer server = TestServer.start(OPTIONS)) {
            assertTrue(optionsOf(server).startsWith("keepalive=false nodelay=true "));
        }
    }

    @Test
    void clearsNoDelayWhenAskedTo() throws IOException {
        try (TestServer server = TestServer.start(OPTIONS, b -> b.tcpNoDelay(false))) {
            assertTrue(optionsOf(server).startsWith("keepalive=false nodelay=false "));
        }
    }

    @Test
    void setsKeepAliveWithItsPeriodOnAcceptedSockets() throws IOException {
        try (TestServer server = TestServer.start(OPTIONS, b -> b.tcpKeepAlive(true).tcpKeepAlivePeriod(Duration.ofSeconds(37)))) {
            assertEquals("keepalive=true nodelay=true idle=37 interval=37\n", optionsOf(server));
        }
    }

    @Test
    void twoServersWithReusePortShareOnePortAndBothAccept() throws IOException {
        try (TestServer first = TestServer.start(ctx -> ctx.setBody("first"), b -> b.reusePort(true));
             TestServer second = TestServer.startOn("127.0.0.1:" + first.port(), ctx -> ctx.setBody("second"), b -> b.reusePort(true))) {
            assertEquals(first.port(), second.port());
            Set<String> answered = new HashSet<>();
            // The kernel picks a listener by a hash of each connection's addresses: a few dozen
            // connections from new ports reach both with near certainty (2^-63 that all go to one).
            for (int i = 0; i < 64 && answered.size() < 2; i++) {
                String r = get(first.port());
                answered.add(r.substring(r.lastIndexOf('\n') + 1));
            }
            assertEquals(Set.of("first", "second"), answered);
        }
    }

    @Test
    void refusesToBindAPortInUseWithoutReusePort() {
        try (TestServer first = TestServer.start(ctx -> ctx.setBody("first"), b -> b.reusePort(true))) {
            Server second = Server.builder(ctx -> ctx.setBody("second")).build();
            assertThrows(BindException.class, () -> second.start("127.0.0.1:" + first.port()));
            second.shutdown();
        }
    }
}
