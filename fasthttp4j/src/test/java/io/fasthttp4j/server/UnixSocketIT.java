package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Listening on a Unix domain socket ("unix:/path"), with and without the PROXY protocol. */
@Timeout(20)
class UnixSocketIT {
    private static final String GET_CLOSE = "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    private static final RequestHandler ADDRESSES = ctx -> ctx.setBody("from [" + ctx.remoteAddress() + "] to [" + ctx.localAddress() + "]");

    @TempDir
    Path dir;

    private static String exchange(Path socketFile, String before, String request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socketFile))) {
            channel.write(ByteBuffer.wrap((before + request).getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Channels.newInputStream(channel).transferTo(out);
            return out.toString(StandardCharsets.US_ASCII);
        }
    }

    private static ProxyProtocolConfig.Builder required() {
        return ProxyProtocolConfig.builder(ProxyProtocolConfig.Mode.REQUIRED);
    }

    @Test
    void servesAJdkClientAndDeletesTheSocketFileAtShutdown() throws IOException {
        Path socketFile = dir.resolve("http.sock");
        try (TestServer server = TestServer.startOn("unix:" + socketFile, ADDRESSES, b -> b)) {
            assertEquals(UnixDomainSocketAddress.of(socketFile), server.address());
            String r = exchange(socketFile, "", GET_CLOSE);
            assertTrue(r.startsWith("HTTP/1.1 200 OK"), r);
            assertTrue(r.endsWith("from [] to [" + socketFile + "]"), r);   // the client's socket is unnamed
        }
        assertFalse(Files.exists(socketFile), "the socket file is deleted when the listener closes");
    }

    @Test
    void servesCurl() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
        Path socketFile = dir.resolve("curl.sock");
        try (TestServer server = TestServer.startOn("unix:" + socketFile, ctx -> ctx.setBody("hello " + ctx.path()), b -> b)) {
            Process curl = new ProcessBuilder(List.of("curl", "-sS", "--max-time", "10", "--unix-socket", socketFile.toString(),
                    "http://localhost/over/unix")).redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(curl.waitFor(15, TimeUnit.SECONDS));
            assertEquals("hello /over/unix", out);
        }
    }

    @Test
    void refusesToListenWhereAFileExistsAlready() throws IOException {
        Path socketFile = Files.writeString(dir.resolve("taken.sock"), "not a socket");
        Server server = Server.builder(ADDRESSES).build();
        var e = assertThrows(BindException.class, () -> server.startUnix(socketFile));
        assertTrue(e.getMessage().startsWith("could not listen on unix:" + socketFile + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(a file exists there: another server's socket, or one left by a server that crashed)"), e.getMessage());
        assertEquals("not a socket", Files.readString(socketFile), "the file is left alone");
        server.shutdown();
    }

    @Test
    void takesTheClientAddressFromAProxyHeaderWhenUnixPeersAreTrusted() throws IOException {
        Path socketFile = dir.resolve("proxied.sock");
        try (TestServer server = TestServer.startOn("unix:" + socketFile, ADDRESSES,
                b -> b.proxyProtocol(required().trustUnixPeers().build()))) {
            String r = exchange(socketFile, "PROXY TCP4 203.0.113.7 192.0.2.1 51234 443\r\n", GET_CLOSE);
            assertTrue(r.startsWith("HTTP/1.1 200 OK"), r);
            assertTrue(r.endsWith("from [/203.0.113.7:51234] to [/192.0.2.1:443]"), r);
        }
    }

    @Test
    void refusesUnixPeersWhenTheProxyProtocolIsRequiredAndOnlyAddressesAreTrusted() throws IOException {
        Path socketFile = dir.resolve("untrusted.sock");
        try (TestServer server = TestServer.startOn("unix:" + socketFile, ADDRESSES,
                b -> b.proxyProtocol(required().trust("127.0.0.1/32").build()))) {
            String r;
            try {
                r = exchange(socketFile, "PROXY TCP4 203.0.113.7 192.0.2.1 51234 443\r\n", GET_CLOSE);
            } catch (IOException e) {
                r = "";   // closed at accept, before or while we wrote: a broken pipe or a reset, and no answer either
            }
            assertEquals("", r, "closed without an answer");
        }
    }

    @Test
    void doesNotCountUnixPeersAgainstMaxConnsPerIp() throws IOException {
        Path socketFile = dir.resolve("counted.sock");
        try (TestServer server = TestServer.startOn("unix:" + socketFile, ADDRESSES, b -> b.maxConnsPerIp(1));
             SocketChannel held = SocketChannel.open(UnixDomainSocketAddress.of(socketFile))) {
            assertTrue(exchange(socketFile, "", GET_CLOSE).startsWith("HTTP/1.1 200 OK"));
        }
    }
}
