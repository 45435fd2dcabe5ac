package io.fasthttp4j.internal.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.internal.tls.TlsEchoServer.Mode;
import io.fasthttp4j.tls.ClientAuth;
import io.fasthttp4j.tls.TestCertificates;
import io.fasthttp4j.tls.TestCertificates.Issued;
import io.fasthttp4j.tls.TestCertificates.KeyType;
import io.fasthttp4j.tls.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLProtocolException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TlsServerChannel over real loopback sockets, in blocking and non-blocking mode, against the JDK's
 * SSLSocket, a hand-driven SSLEngine client and openssl s_client.
 */
@Timeout(60)
class TlsServerChannelIT {
    @TempDir
    static Path dir;
    static TestCertificates ca;
    static Issued localhost;
    static TlsConfig config;
    static SSLContext client;

    @BeforeAll
    static void makeCertificates() throws IOException {
        ca = TestCertificates.newCa(dir);
        localhost = ca.issueLocalhost(KeyType.EC);
        config = TlsConfig.builder().certificate(localhost.chain(), localhost.key()).build();
        client = ca.clientContext();
    }

    private static SSLSocket connect(TlsEchoServer server, SSLContext context) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static SSLSocket connect(TlsEchoServer server, SSLContext context, String sniHostName) throws IOException {
        SSLSocket socket = connect(server, context);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(sniHostName)));
        socket.setSSLParameters(parameters);
        return socket;
    }

    private static void assertEchoes(SSLSocket socket, String text) throws IOException {
        byte[] sent = text.getBytes(StandardCharsets.US_ASCII);
        socket.getOutputStream().write(sent);
        assertArrayEquals(sent, socket.getInputStream().readNBytes(sent.length));
    }

    private static void assertNoFailure(TlsEchoServer server) {
        assertNull(server.failures.peek(), () -> "server failed: " + server.failures.peek());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void echoesTwentyMegabytesBothWays(Mode mode) throws Exception {
        int size = 20 << 20;
        try (var server = TlsEchoServer.start(config, mode); SSLSocket socket = connect(server, client)) {
            socket.startHandshake();
            Future<byte[]> written;
            try (var writer = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                written = writer.submit(() -> {
                    MessageDigest digest = sha256();
                    Random random = new Random(14);
                    byte[] chunk = new byte[65536];
                    OutputStream out = socket.getOutputStream();
                    for (int sent = 0; sent < size; sent += chunk.length) {
                        random.nextBytes(chunk);
                        out.write(chunk);
                        digest.update(chunk);
                    }
                    return digest.digest();
                });
                MessageDigest digest = sha256();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[65536];
                for (int received = 0; received < size; ) {
                    int n = in.read(buffer);
                    assertTrue(n > 0, "the echo ended after " + received + " bytes");
                    digest.update(buffer, 0, n);
                    received += n;
                }
                assertArrayEquals(written.get(30, TimeUnit.SECONDS), digest.digest());
            }
            assertNoFailure(server);
        }
    }

    private static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void echoesPipelinedSmallWrites(Mode mode) throws IOException {
        try (var server = TlsEchoServer.start(config, mode); SSLSocket socket = connect(server, client)) {
            StringBuilder expected = new StringBuilder();
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 2000; i++) {   // one record each, written before any is read back
                String line = "GET /" + i + " HTTP/1.1\r\n";
                out.write(line.getBytes(StandardCharsets.US_ASCII));
                expected.append(line);
            }
            byte[] echoed = socket.getInputStream().readNBytes(expected.length());
            assertEquals(expected.toString(), new String(echoed, StandardCharsets.US_ASCII));
            assertNoFailure(server);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void readsRecordsDribbledOneByteAtATime(Mode mode) throws IOException {
        try (var server = TlsEchoServer.start(config, mode);
             var dribbler = EngineClient.connect(server.port(), client, "TLSv1.3", true)) {
            dribbler.handshake();
            byte[] message = "x".repeat(3000).getBytes(StandardCharsets.US_ASCII);
            dribbler.write(message);
            assertArrayEquals(message, dribbler.read(message.length));
            assertNoFailure(server);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void refusesGarbageInsteadOfClientHelloAndClosesTheSocket(Mode mode) throws Exception {
        try (var server = TlsEchoServer.start(config, mode);
             var raw = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            raw.setSoTimeout(10_000);
            raw.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            IOException failure = server.failures.poll(10, TimeUnit.SECONDS);
            assertInstanceOf(SSLException.class, failure);
            raw.getInputStream().readAllBytes();   // an alert at most, then the end: the socket was closed
            assertNull(server.established.peek());
        }
    }

    @Test
    void readReturnsZeroWhileTheClientStallsMidHandshake() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             var staller = EngineClient.connect(listener.socket().getLocalPort(), client, "TLSv1.3", false);
             SocketChannel socket = listener.accept();
             Selector selector = Selector.open()) {
            socket.configureBlocking(false);
            TlsServerChannel channel = new TlsServerChannel(socket, config.newEngine(socket.getRemoteAddress()));
            SelectionKey key = socket.register(selector, SelectionKey.OP_READ);
            ByteBuffer buffer = ByteBuffer.allocate(4096);

            byte[] hello = staller.clientHello();
            staller.sendRaw(hello, 0, hello.length / 2);
            assertEquals(1, selector.select(10_000));
            selector.selectedKeys().clear();
            for (int i = 0; i < 3; i++) assertEquals(0, channel.read(buffer), "half a ClientHello");
            assertFalse(channel.hasBufferedInput());
            assertTrue(channel.flushPending());
            assertEquals(0, selector.selectNow(), "nothing new: the loop would sleep, not spin");
            assertNull(channel.session());

            staller.sendRaw(hello, hello.length / 2, hello.length);
            assertEquals(1, selector.select(10_000));
            selector.selectedKeys().clear();
            assertEquals(0, channel.read(buffer), "the ClientHello is answered; the client's Finished is still to come");
            assertTrue(channel.flushPending());
            assertFalse(channel.isHandshakeComplete());

            staller.finishHandshake();
            staller.write("hi".getBytes(StandardCharsets.US_ASCII));
            int n = 0;
            while (n == 0) {
                selector.select(10_000);
                selector.selectedKeys().clear();
                n = channel.read(buffer);
                assertTrue(channel.flushPending());
            }
            assertEquals(2, n);
            assertTrue(channel.isHandshakeComplete());
            assertNotNull(channel.session());
            assertEquals("TLSv1.3", channel.session().getProtocol());
            assertTrue(key.isValid());
        }
    }

    /** A server channel in non-blocking mode over a connection from {@code client}, its handshake done. */
    private record Pair(TlsServerChannel channel, Selector selector, SelectionKey key) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            selector.close();
            channel.close();
        }
    }

    private static Pair handshakeNonBlocking(ServerSocketChannel listener, EngineClient peer) throws Exception {
        SocketChannel socket = listener.accept();
        socket.configureBlocking(false);
        TlsServerChannel channel = new TlsServerChannel(socket, config.newEngine(socket.getRemoteAddress()));
        Selector selector = Selector.open();
        SelectionKey key = socket.register(selector, SelectionKey.OP_READ);
        try (var clientSide = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> handshake = clientSide.submit(() -> {
                peer.handshake();
                return null;
            });
            ByteBuffer none = ByteBuffer.allocate(1);
            while (!channel.isHandshakeComplete()) {   // TLS 1.3: complete once the client's Finished is read
                selector.select(1000);
                selector.selectedKeys().clear();
                assertEquals(0, channel.read(none));
                assertTrue(channel.flushPending());
            }
            handshake.get(10, TimeUnit.SECONDS);
        }
        return new Pair(channel, selector, key);
    }

    private static ServerSocketChannel listen() throws IOException {
        return ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @Test
    void reportsWholeRecordsBufferedWhereTheSelectorCannotSeeThem() throws Exception {
        try (ServerSocketChannel listener = listen();
             var peer = EngineClient.connect(listener.socket().getLocalPort(), client, "TLSv1.3", false);
             Pair pair = handshakeNonBlocking(listener, peer)) {
            TlsServerChannel channel = pair.channel();
            byte[][] requests = {"GET /1 ".getBytes(StandardCharsets.US_ASCII), "GET /2 ".getBytes(StandardCharsets.US_ASCII), "GET /3 ".getBytes(StandardCharsets.US_ASCII)};
            peer.writeRecordsAtOnce(requests);
            ByteBuffer request = ByteBuffer.allocate(requests[0].length);
            for (byte[] expected : requests) {
                while (request.hasRemaining()) {
                    if (channel.read(request) == 0) {
                        pair.selector().select(1000);
                        pair.selector().selectedKeys().clear();
                    }
                }
                assertArrayEquals(expected, request.array());
                request.clear();
                if (expected != requests[requests.length - 1]) {
                    assertTrue(channel.hasBufferedInput(), "the next record is inside the channel");
                    assertEquals(0, pair.selector().selectNow(), "and the socket has nothing more: the selector would not wake");
                }
            }
            assertFalse(channel.hasBufferedInput());
            channel.releaseIdleBuffers();
            assertEquals(0, channel.heldBufferBytes(), "an idle connection holds no buffer");
        }
    }

    @Test
    void holdsAtMostOneRecordWhileTheClientDoesNotRead() throws Exception {
        try (ServerSocketChannel listener = listen();
             var peer = EngineClient.connect(listener.socket().getLocalPort(), client, "TLSv1.3", false);
             Pair pair = handshakeNonBlocking(listener, peer)) {
            TlsServerChannel channel = pair.channel();
            channel.releaseIdleBuffers();   // the handshake's input buffers: only the output one is left to watch
            byte[] block = new byte[1 << 20];
            new Random(3).nextBytes(block);
            ByteBuffer src = ByteBuffer.wrap(block);
            long taken = 0;
            while (channel.flushPending()) {   // until the socket's buffers are full
                assertTrue(taken < 1L << 30, "the socket never filled");
                if (!src.hasRemaining()) src.rewind();
                taken += channel.write(src);
            }
            int held = channel.heldBufferBytes();
            assertEquals(0, channel.write(src), "output pending: nothing more is taken");
            assertTrue(held <= 17 * 1024, "one record pending at most (16 KiB and its overhead): " + held);

            long total = taken;
            try (var reader = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                Future<?> drained = reader.submit(() -> {
                    peer.skip(total);
                    return null;
                });
                pair.key().interestOps(SelectionKey.OP_WRITE);
                while (!channel.flushPending()) {
                    pair.selector().select(1000);
                    pair.selector().selectedKeys().clear();
                }
                drained.get(30, TimeUnit.SECONDS);
            }
            channel.releaseIdleBuffers();
            assertEquals(0, channel.heldBufferBytes());
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void exchangesCloseNotifyBothWaysOnTls13(Mode mode) throws Exception {
        exchangesCloseNotify(mode, "TLSv1.3");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void exchangesCloseNotifyBothWaysOnTls12(Mode mode) throws Exception {
        exchangesCloseNotify(mode, "TLSv1.2");
    }

    private static void exchangesCloseNotify(Mode mode, String protocol) throws Exception {
        try (var server = TlsEchoServer.start(config, mode); var closer = EngineClient.connect(server.port(), client, protocol, false)) {
            closer.handshake();
            assertEquals(protocol, closer.protocol());
            closer.write("bye".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("bye".getBytes(StandardCharsets.US_ASCII), closer.read(3));
            closer.closeOutbound();
            assertTrue(closer.awaitCloseNotify(), "the server's close_notify");
            assertTrue(closer.awaitSocketEnd());
            assertEquals(1, server.ends.get(), "the server's read returned -1");
            assertNoFailure(server);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void refusesRenegotiationOnTls12(Mode mode) throws Exception {
        try (var server = TlsEchoServer.start(config, mode); var renegotiator = EngineClient.connect(server.port(), client, "TLSv1.2", false)) {
            renegotiator.handshake();
            renegotiator.write("one".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("one".getBytes(StandardCharsets.US_ASCII), renegotiator.read(3));
            assertThrows(IOException.class, renegotiator::renegotiate);
            IOException failure = server.failures.poll(10, TimeUnit.SECONDS);
            assertInstanceOf(SSLProtocolException.class, failure);
            assertEquals("TLS renegotiation refused", failure.getMessage());
            assertTrue(renegotiator.awaitSocketEnd());
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void answersKeyUpdatesOnTls13(Mode mode) throws IOException {
        try (var server = TlsEchoServer.start(config, mode); var updater = EngineClient.connect(server.port(), client, "TLSv1.3", false)) {
            updater.handshake();
            for (int i = 0; i < 3; i++) {
                byte[] message = ("before and after key update " + i).getBytes(StandardCharsets.US_ASCII);
                updater.write(message);
                assertArrayEquals(message, updater.read(message.length));
                updater.renegotiate();   // TLS 1.3: a KeyUpdate asking for the server's in return
            }
            byte[] last = "after".getBytes(StandardCharsets.US_ASCII);
            updater.write(last);
            assertArrayEquals(last, updater.read(last.length));
            assertNoFailure(server);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void selectsHttp11ByAlpnAndRefusesClientsOfferingOnlyOthers(Mode mode) throws Exception {
        try (var server = TlsEchoServer.start(config, mode)) {
            try (SSLSocket socket = connect(server, client)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
                socket.setSSLParameters(parameters);
                assertEchoes(socket, "alpn");
                assertEquals("http/1.1", socket.getApplicationProtocol());
                assertEquals("http/1.1", server.established.poll(10, TimeUnit.SECONDS).applicationProtocol());
            }
            try (SSLSocket socket = connect(server, client)) {
                assertEchoes(socket, "no alpn");
                assertEquals("", server.established.poll(10, TimeUnit.SECONDS).applicationProtocol(), "a client without ALPN is served");
            }
            try (SSLSocket socket = connect(server, client)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setApplicationProtocols(new String[] {"h2"});
                socket.setSSLParameters(parameters);
                var refused = assertThrows(SSLHandshakeException.class, socket::startHandshake);
                assertTrue(refused.getMessage().contains("no_application_protocol"), refused.getMessage());
                assertInstanceOf(SSLHandshakeException.class, server.failures.poll(10, TimeUnit.SECONDS));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void servesTheCertificateTheSniHostNameSelects(Mode mode) throws IOException {
        Issued wildcard = ca.issue("example.test", KeyType.RSA, "DNS:*.example.test");
        TlsConfig sni = TlsConfig.builder()
            .certificate(localhost.chain(), localhost.key())
            .certificate(wildcard.chain(), wildcard.key())
            .build();
        try (var server = TlsEchoServer.start(sni, mode)) {
            assertEquals(wildcard.leaf(), servedLeaf(server, "www.example.test"));
            assertEquals(localhost.leaf(), servedLeaf(server, "localhost"));
            assertEquals(localhost.leaf(), servedLeaf(server, "unknown.test"));
            assertNoFailure(server);
        }
    }

    private static X509Certificate servedLeaf(TlsEchoServer server, String hostName) throws IOException {
        // A new client context each time: the JDK client caches sessions by address, and a resumed session
        // keeps the certificate of the handshake that made it, whatever name is sent now.
        try (SSLSocket socket = connect(server, ca.clientContext(), hostName)) {
            assertEchoes(socket, hostName);
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void reloadServesNewConnectionsTheNewCertificateWhileAnOldOneGoesOn(Mode mode) throws IOException {
        Path chain = dir.resolve(mode + "-chain.pem");
        Path key = dir.resolve(mode + "-key.pem");
        Files.copy(localhost.chain(), chain, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(localhost.key(), key, StandardCopyOption.REPLACE_EXISTING);
        TlsConfig reloadable = TlsConfig.builder().certificate(chain, key).build();
        try (var server = TlsEchoServer.start(reloadable, mode); SSLSocket old = connect(server, client)) {
            assertEchoes(old, "before");
            assertEquals(localhost.leaf(), old.getSession().getPeerCertificates()[0]);

            Issued renewed = ca.issueLocalhost(KeyType.RSA);
            Files.copy(renewed.chain(), chain, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(renewed.key(), key, StandardCopyOption.REPLACE_EXISTING);
            reloadable.reload();

            try (SSLSocket fresh = connect(server, client)) {
                assertEchoes(fresh, "new");
                assertEquals(renewed.leaf(), fresh.getSession().getPeerCertificates()[0]);
            }
            assertEchoes(old, "the old connection goes on");
            assertNotEquals(renewed.leaf(), old.getSession().getPeerCertificates()[0]);
            assertNoFailure(server);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void requiresAClientCertificateWhenClientAuthIsNeed(Mode mode) throws Exception {
        Issued alice = ca.issue("alice", KeyType.EC);
        TlsConfig mutual = TlsConfig.builder()
            .certificate(localhost.chain(), localhost.key())
            .clientAuth(ClientAuth.NEED)
            .trustedCertificates(ca.caFile())
            .build();
        try (var server = TlsEchoServer.start(mutual, mode)) {
            try (SSLSocket socket = connect(server, ca.clientContext(alice))) {
                assertEchoes(socket, "with a certificate");
                TlsServerChannel channel = server.established.poll(10, TimeUnit.SECONDS);
                assertEquals(alice.leaf(), channel.session().getPeerCertificates()[0]);
            }
            try (SSLSocket socket = connect(server, client)) {
                // TLS 1.3: the client's handshake ends before the server checks its certificate; the refusal comes on the next read
                assertThrows(IOException.class, () -> assertEchoes(socket, "without"));
                assertInstanceOf(SSLHandshakeException.class, server.failures.poll(10, TimeUnit.SECONDS));
            }
            assertTrue(server.established.isEmpty(), "only the client with a certificate got through");
        }
    }

    @Test
    void servesClientsWithOrWithoutACertificateWhenClientAuthIsWant() throws Exception {
        Issued bob = ca.issue("bob", KeyType.RSA);
        TlsConfig wanting = TlsConfig.builder()
            .certificate(localhost.chain(), localhost.key())
            .clientAuth(ClientAuth.WANT)
            .trustedCertificates(ca.caFile())
            .build();
        try (var server = TlsEchoServer.start(wanting, Mode.BLOCKING)) {
            try (SSLSocket socket = connect(server, ca.clientContext(bob))) {
                assertEchoes(socket, "with");
                assertEquals(bob.leaf(), server.established.poll(10, TimeUnit.SECONDS).session().getPeerCertificates()[0]);
            }
            try (SSLSocket socket = connect(server, client)) {
                assertEchoes(socket, "without");
                var session = server.established.poll(10, TimeUnit.SECONDS).session();
                assertThrows(javax.net.ssl.SSLPeerUnverifiedException.class, session::getPeerCertificates);
            }
            assertNoFailure(server);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void opensslClientNegotiatesEachProtocolVersionAndAlpn(Mode mode) throws Exception {
        try (var server = TlsEchoServer.start(config, mode)) {
            for (String version : List.of("1_2", "1_3")) {
                String output = sClient(server.port(), "-tls" + version, "-alpn", "h2,http/1.1");
                String protocol = "TLSv" + version.replace('_', '.');
                assertTrue(output.contains("New, " + protocol + ", Cipher is"), output);
                assertTrue(output.contains("ALPN protocol: http/1.1"), output);
                assertTrue(output.contains("Verify return code: 0 (ok)"), output);
            }
            assertNoFailure(server);
        }
    }

    private static String sClient(int port, String... options) throws IOException, InterruptedException {
        Path input = Files.writeString(Files.createTempFile(dir, "s_client", ".in"), "hello\n");
        Path output = Files.createTempFile(dir, "s_client", ".out");
        List<String> command = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
            "-servername", "localhost", "-CAfile", ca.caFile().toString(), "-verify_return_error"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectInput(input.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("openssl s_client timed out:\n" + Files.readString(output));
        }
        return Files.readString(output);
    }

    @Test
    void sendsAFileEncryptedInBlockingMode() throws Exception {
        Path file = dir.resolve("body.bin");
        byte[] content = new byte[100_000];
        new Random(7).nextBytes(content);
        Files.write(file, content);
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), listener.socket().getLocalPort());
             SocketChannel accepted = listener.accept();
             var fileChannel = java.nio.channels.FileChannel.open(file)) {
            socket.setSoTimeout(10_000);
            TlsServerChannel channel = new TlsServerChannel(accepted, config.newEngine(accepted.getRemoteAddress()));
            Future<byte[]> received;
            try (var reader = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                received = reader.submit(() -> {
                    socket.getOutputStream().write('?');   // the server reads first, which runs the handshake
                    return socket.getInputStream().readNBytes(content.length - 1000);
                });
                assertEquals(1, channel.read(ByteBuffer.allocate(10)));
                assertEquals(content.length - 1000, channel.transferFrom(fileChannel, 1000, content.length));   // past the end: what is there
                assertArrayEquals(java.util.Arrays.copyOfRange(content, 1000, content.length), received.get(10, TimeUnit.SECONDS));
            }
            channel.releaseIdleBuffers();
            assertThrows(IllegalStateException.class, () -> {
                accepted.configureBlocking(false);
                channel.transferFrom(fileChannel, 0, 10);
            });
        }
    }
}
