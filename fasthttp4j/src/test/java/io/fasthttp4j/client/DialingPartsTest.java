package io.fasthttp4j.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The dialer's parts without sockets: the DNS cache's order and expiry, and the proxy's address and CONNECT request. */
class DialingPartsTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void handsOutTheAddressesOfANameRoundRobin() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        InetAddress[] all = {ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.3")};
        DnsCache cache = new DnsCache(60_000_000_000L, host -> {
            lookups.incrementAndGet();
            return all;
        });
        assertArrayEquals(new InetAddress[] {all[0], all[1], all[2]}, cache.addressesInTurn("a.test"));
        assertArrayEquals(new InetAddress[] {all[1], all[2], all[0]}, cache.addressesInTurn("a.test"));
        assertArrayEquals(new InetAddress[] {all[2], all[0], all[1]}, cache.addressesInTurn("a.test"));
        assertArrayEquals(new InetAddress[] {all[0], all[1], all[2]}, cache.addressesInTurn("a.test"));
        assertEquals(1, lookups.get());
    }

    @Test
    void zeroTtlLooksUpEveryTimeAndKeepsNothing() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        InetAddress[] one = {ip("10.0.0.1")};
        DnsCache cache = new DnsCache(0, host -> {
            lookups.incrementAndGet();
            return one;
        });
        cache.addressesInTurn("a.test");
        cache.addressesInTurn("a.test");
        assertEquals(2, lookups.get());
        assertEquals(0, cache.size());
    }

    @Test
    void anEmptyAnswerIsAnUnknownHost() {
        DnsCache cache = new DnsCache(1, host -> new InetAddress[0]);
        assertThrows(java.net.UnknownHostException.class, () -> cache.addressesInTurn("a.test"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "::1", "fe80::1%eth0", "2001:db8::1"})
    void ipLiteralsAreNeverLookedUp(String host) throws Exception {
        DnsCache cache = new DnsCache(60_000_000_000L, h -> {
            throw new AssertionError("looked up " + h);
        });
        assertTrue(DnsCache.isIpLiteral(host));
        assertEquals(InetAddress.getByName(host), cache.addressesInTurn(host)[0]);
        assertEquals(0, cache.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "1.2.3", "1.2.3.4.example", "a1.2.3.4"})
    void namesAreNotIpLiterals(String host) {
        assertFalse(DnsCache.isIpLiteral(host));
    }

    static Stream<Arguments> proxies() {
        return Stream.of(
                arguments("proxy.test:3128", "proxy.test", 3128),
                arguments("10.0.0.1:8080", "10.0.0.1", 8080),
                arguments("[::1]:3128", "::1", 3128));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("proxies")
    void parsesAProxyAddress(String addr, String host, int port) {
        HttpProxy proxy = HttpProxy.of(addr, null, null);
        assertEquals(host, proxy.host());
        assertEquals(port, proxy.port());
        assertEquals(addr, proxy.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"proxy.test", "proxy.test:", ":3128", "proxy.test:0", "proxy.test:65536", "proxy.test:x", "::1:3128"})
    void rejectsAnInvalidProxyAddress(String addr) {
        assertThrows(IllegalArgumentException.class, () -> HttpProxy.of(addr, null, null));
    }

    @Test
    void writesConnectWithBasicCredentialsAndNeverShowsThem() {
        HttpProxy proxy = HttpProxy.of("proxy.test:3128", "Aladdin", "open sesame");
        assertEquals("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n"
                        + "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n",   // RFC 7617 §2's example
                new String(proxy.connectRequest("example.com:443"), StandardCharsets.ISO_8859_1));
        assertFalse(proxy.toString().contains("QWxh"), proxy.toString());
        assertThrows(IllegalArgumentException.class, () -> HttpProxy.of("proxy.test:3128", "a:b", "c"));
    }
}
