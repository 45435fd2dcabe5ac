package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The connection-edge settings on the server's builder: defaults and refused values. */
class EdgeConfigTest {
    private static Server.Builder builder() {
        return Server.builder(ctx -> { });
    }

    @Test
    void defaultsToNoDelayWithoutKeepAliveOrReusePort() {
        EdgeConfig edge = builder().build().config().edge();
        assertTrue(edge.tcpNoDelay());
        assertFalse(edge.tcpKeepAlive());
        assertNull(edge.tcpKeepAlivePeriod());
        assertFalse(edge.reusePort());
        assertNull(edge.tls());
        assertEquals(ProxyProtocolConfig.Mode.OFF, edge.proxyProtocol().mode());
    }

    @Test
    void refusesAKeepAlivePeriodWithoutKeepAlive() {
        var e = assertThrows(IllegalArgumentException.class, () -> builder().tcpKeepAlivePeriod(Duration.ofSeconds(30)).build());
        assertEquals("tcpKeepAlivePeriod=PT30S needs tcpKeepAlive(true)", e.getMessage());
    }

    @Test
    void refusesAKeepAlivePeriodThatIsNotWholeSecondsInRange() {
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMillis(1500), Duration.ofSeconds(32768), Duration.ofSeconds(-1)}) {
            var e = assertThrows(IllegalArgumentException.class, () -> builder().tcpKeepAlivePeriod(bad));
            assertEquals("tcpKeepAlivePeriod must be whole seconds from 1 s to 32767 s, was " + bad, e.getMessage());
        }
    }

    @Test
    void refusesAProxyProtocolWithoutAnyTrustedPeer() {
        var e = assertThrows(IllegalArgumentException.class, () -> ProxyProtocolConfig.builder(ProxyProtocolConfig.Mode.REQUIRED).build());
        assertTrue(e.getMessage().endsWith("or trustUnixPeers()"), e.getMessage());
        assertTrue(ProxyProtocolConfig.builder(ProxyProtocolConfig.Mode.REQUIRED).trustUnixPeers().build().trustsUnixPeers());
    }
}
