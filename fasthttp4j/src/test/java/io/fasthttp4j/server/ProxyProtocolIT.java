package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.tls.TestCertificates;
import io.fasthttp4j.tls.TlsConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PROXY protocol in front of HTTP and HTTPS: the handler sees the client's address from the header. */
class ProxyProtocolIT {
    private static final RequestHandler ADDRESSES = ctx -> ctx.setBody(ctx.remoteAddress() + " -> " + ctx.localAddress());

    private static TestServer start(ProxyProtocolConfig.Mode mode, String trusted) {
        return TestServer.start(ADDRESSES, b -> b.proxyProtocol(ProxyProtocolConfig.builder(mode).trust(trusted).build()));
    }

    private static byte[] v2Tcp4(String src, int srcPort, String dst, int dstPort) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        b.put((byte) 0x21).put((byte) 0x11).putShort((short) 12);   // version 2, PROXY; TCP over IPv4; 12 address bytes
        b.put(java.net.InetAddress.getByName(src).getAddress()).put(java.net.InetAddress.getByName(dst).getAddress());
        b.putShort((short) srcPort).putShort((short) dstPort);
        return b.array();
    }

    private static String exchange(Socket socket, byte[] before, String request) throws IOException {
        socket.setSoTimeout(10_000);
        if (before != null) socket.getOutputStream().write(before);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return readAll(socket.getInputStream());
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static final String GET_CLOSE = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    @Test
    void takesTheClientAddressFromAVersion1Header() throws Exception {
        try (TestServer server = start(ProxyProtocolConfig.Mode.REQUIRED, "127.0.0.1/32");
             Socket socket = new Socket("127.0.0.1", server.port())) {
            String r = exchange(socket, "PROXY TCP4 203.0.113.7 192.0.2.1 51234 443\r\n".getBytes(StandardCharsets.US_ASCII), GET_CLOSE);
            assertTrue(r.startsWith("HTTP/1.1 200 OK"), r);
            assertTrue(r.endsWith("/203.0.113.7:51234 -> /192.0.2.1:443"), r);
        }
    }

    @Test
    void takesTheClientAddressFromAVersion2HeaderSentInPiecesWithTheRequest() throws Exception {
        try (TestServer server = start(ProxyProtocolConfig.Mode.REQUIRED, "127.0.0.0/8");
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setTcpNoDelay(true);
            byte[] header = v2Tcp4("198.51.100.9", 40001, "10.1.2.3", 8443);
            socket.getOutputStream().write(header, 0, 5);
            socket.getOutputStream().flush();
            Thread.sleep(50);
            byte[] rest = new byte[header.length - 5];
            System.arraycopy(header, 5, rest, 0, rest.length);
            String r = exchange(socket, rest, GET_CLOSE);
            assertTrue(r.endsWith("/198.51.100.9:40001 -> /10.1.2.3:8443"), r);
        }
    }

    @Test
    void readsTheHeaderBeforeTheTlsHandshake(@TempDir Path dir) throws Exception {
        TestCertificates ca = TestCertificates.newCa(dir);
        TestCertificates.Issued localhost = ca.issueLocalhost(TestCertificates.KeyType.EC);
        TlsConfig tls = TlsConfig.builder().certificate(localhost.chain(), localhost.key()).build();
        try (TestServer server = TestServer.start(ADDRESSES, b -> b.tls(tls)
                .proxyProtocol(ProxyProtocolConfig.builder(ProxyProtocolConfig.Mode.REQUIRED).trust("127.0.0.1/32").build()));
             Socket plain = new Socket("127.0.0.1", server.port())) {
            plain.getOutputStream().write(v2Tcp4("192.0.2.200", 5555, "192.0.2.1", 443));
            plain.getOutputStream().flush();
            try (SSLSocket socket = (SSLSocket) ca.clientContext().getSocketFactory().createSocket(plain, "localhost", server.port(), true)) {
                String r = exchange(socket, null, GET_CLOSE);
                assertTrue(r.startsWith("HTTP/1.1 200 OK"), r);
                assertTrue(r.endsWith("/192.0.2.200:5555 -> /192.0.2.1:443"), r);
            }
        }
    }

    @Test
    void servesATrustedPeerWithoutAHeaderWhenOptional() throws Exception {
        try (TestServer server = start(ProxyProtocolConfig.Mode.OPTIONAL, "127.0.0.1/32");
             Socket socket = new Socket("127.0.0.1", server.port())) {
            String r = exchange(socket, null, GET_CLOSE);
            assertTrue(r.startsWith("HTTP/1.1 200 OK"), r);
            assertTrue(r.contains("/127.0.0.1:" + socket.getLocalPort() + " -> "), r);
        }
    }

    @Test
    void closesAMalformedHeaderWithoutAnAnswer() throws Exception {
        try (TestServer server = start(ProxyProtocolConfig.Mode.REQUIRED, "127.0.0.1/32");
             Socket socket = new Socket("127.0.0.1", server.port())) {
            String r = exchange(socket, "PROXY TCP4 300.1.1.1 192.0.2.1 1 2\r\n".getBytes(StandardCharsets.US_ASCII), GET_CLOSE);
            assertEquals("", r);
        }
    }

    @Test
    void closesAConnectionWithoutAHeaderWhenRequired() throws Exception {
        try (TestServer server = start(ProxyProtocolConfig.Mode.REQUIRED, "127.0.0.1/32");
             Socket socket = new Socket("127.0.0.1", server.port())) {
            assertEquals("", exchange(socket, null, GET_CLOSE));
        }
    }

    @Test
    void refusesAnUntrustedPeerWhenRequired() throws Exception {
        try (TestServer server = start(ProxyProtocolConfig.Mode.REQUIRED, "10.0.0.0/8");
             Socket socket = new Socket("127.0.0.1", server.port())) {
            String r;
            try {
                r = exchange(socket, "PROXY TCP4 203.0.113.7 192.0.2.1 51234 443\r\n".getBytes(StandardCharsets.US_ASCII), GET_CLOSE);
            } catch (java.net.SocketException reset) {
                r = "";   // closed at accept with our bytes unread: the kernel answers them with a reset
            }
            assertEquals("", r, "an untrusted peer cannot choose its address");
        }
    }

    @Test
    void closesAConnectionThatSendsNoHeaderInTime() throws Exception {
        try (TestServer server = TestServer.start(ADDRESSES, b -> b.readTimeout(Duration.ofSeconds(10)).proxyProtocol(
                ProxyProtocolConfig.builder(ProxyProtocolConfig.Mode.REQUIRED).trust("127.0.0.1/32").headerTimeout(Duration.ofMillis(300)).build()));
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("PROXY TCP4 ".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            assertEquals(-1, socket.getInputStream().read(), "closed without an answer");
            assertTrue(System.nanoTime() - start < 4_000_000_000L, "closed at the header timeout, not the read timeout");
        }
    }
}
