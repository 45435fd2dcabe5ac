package io.fasthttp4j.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.tls.TestCertificates;
import io.fasthttp4j.tls.TlsConfig;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the channel does when its connection ends, without a peer. */
class TlsServerChannelTest {
    @TempDir
    Path dir;

    @Test
    void closesItsEngineAndGivesBackEveryBufferWhenTheConnectionEnds() throws Exception {
        TestCertificates ca = TestCertificates.newCa(dir);
        TestCertificates.Issued localhost = ca.issueLocalhost(TestCertificates.KeyType.EC);
        SSLEngine engine = TlsConfig.builder().certificate(localhost.chain(), localhost.key()).build().newEngine(null);
        TlsBuffers buffers = new TlsBuffers(engine);
        try (SocketChannel socket = SocketChannel.open()) {
            TlsServerChannel channel = new TlsServerChannel(socket, engine, buffers);
            channel.unread(java.nio.ByteBuffer.wrap(new byte[] {22, 3, 1}));   // takes a pooled buffer
            assertEquals(1, buffers.outstanding());
            channel.releaseBuffers();
            assertEquals(0, buffers.outstanding(), "every buffer back, whatever it held");
            // A provider with native state (Conscrypt) frees it when the engine closes, not when it is collected.
            assertTrue(engine.isOutboundDone() && engine.isInboundDone(), "engine closed");
        }
    }
}
