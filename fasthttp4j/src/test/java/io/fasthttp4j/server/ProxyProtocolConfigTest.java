package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fasthttp4j.server.ProxyProtocolConfig.Mode;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProxyProtocolConfigTest {
    static Stream<Arguments> matches() {
        return Stream.of(
                arguments("10.0.0.0/8", "10.0.0.0", true),
                arguments("10.0.0.0/8", "10.255.255.255", true),
                arguments("10.0.0.0/8", "11.0.0.0", false),
                arguments("10.0.0.0/8", "9.255.255.255", false),
                arguments("127.0.0.1/32", "127.0.0.1", true),
                arguments("127.0.0.1/32", "127.0.0.2", false),
                arguments("192.168.0.0/23", "192.168.1.255", true),
                arguments("192.168.0.0/23", "192.168.2.0", false),
                arguments("172.16.0.0/12", "172.31.255.255", true),
                arguments("172.16.0.0/12", "172.32.0.0", false),
                arguments("0.0.0.0/0", "203.0.113.9", true),
                arguments("0.0.0.0/0", "::1", false),
                arguments("::/0", "2001:db8::1", true),
                arguments("::/0", "203.0.113.9", false),
                arguments("::1/128", "::1", true),
                arguments("::1/128", "::2", false),
                arguments("2001:db8::/32", "2001:db8:ffff:ffff::1", true),
                arguments("2001:db8::/32", "2001:db9::1", false),
                arguments("fe80::/10", "febf::1", true),
                arguments("fe80::/10", "fec0::1", false),
                arguments("10.0.0.0/8", "mapped ::ffff:10.1.2.3", true),
                arguments("10.0.0.0/8", "mapped ::ffff:11.1.2.3", false),
                arguments("::ffff:10.0.0.0/104", "10.1.2.3", true),
                arguments("::ffff:10.0.0.0/104", "11.1.2.3", false),
                arguments("::ffff:10.0.0.0/104", "mapped ::ffff:10.1.2.3", true),
                arguments("::ffff:0:0/96", "198.51.100.1", true),
                arguments("::ffff:0:0/96", "::1", false),
                arguments("::/0", "mapped ::ffff:10.1.2.3", false));
    }

    @ParameterizedTest(name = "{0} trusts {1}: {2}")
    @MethodSource("matches")
    void matchesPeersAgainstTheTrustedBlocks(String cidr, String peer, boolean trusted) {
        ProxyProtocolConfig config = ProxyProtocolConfig.builder(Mode.REQUIRED).trust(cidr).build();
        assertEquals(trusted, config.trusts(address(peer)));
    }

    @Test
    void trustsAPeerInAnyOfSeveralBlocks() {
        ProxyProtocolConfig config = ProxyProtocolConfig.builder(Mode.OPTIONAL).trust("10.0.0.0/8", "::1/128").trust("192.0.2.7/32").build();
        assertTrue(config.trusts(address("10.9.8.7")));
        assertTrue(config.trusts(address("::1")));
        assertTrue(config.trusts(address("192.0.2.7")));
        assertEquals(false, config.trusts(address("192.0.2.8")));
        assertEquals(List.of("10.0.0.0/8", "::1/128", "192.0.2.7/32"), config.trustedSources());
    }

    static Stream<Arguments> badCidrs() {
        return Stream.of(
                arguments("10.0.0.0", "no /prefix"),
                arguments("10.0.0.0/", "the prefix is not a number from 0 to 32"),
                arguments("10.0.0.0/33", "the prefix is not a number from 0 to 32"),
                arguments("10.0.0.0/08", "the prefix is not a number from 0 to 32"),
                arguments("10.0.0.0/-1", "the prefix is not a number from 0 to 32"),
                arguments("10.0.0.0/8/8", "the prefix is not a number from 0 to 32"),
                arguments("::1/129", "the prefix is not a number from 0 to 128"),
                arguments("::/1x", "the prefix is not a number from 0 to 128"),
                arguments("10.0.0.1/8", "the address has bits set past the prefix"),
                arguments("::1/64", "the address has bits set past the prefix"),
                arguments("::ffff:10.0.0.1/104", "the address has bits set past the prefix"),
                arguments("/8", "not an IP address before the /"),
                arguments("example.com/8", "not an IP address before the /"),
                arguments("010.0.0.0/8", "not an IP address before the /"),
                arguments("fe80::1%eth0/64", "not an IP address before the /"),
                arguments("[::1]/128", "not an IP address before the /"),
                arguments("", "no /prefix"),
                arguments("10.0.0.0/8 ", "character U+0020 at index 10"),
                arguments("10.0.0.0\u00a0/8", "character U+00A0 at index 8"),
                arguments("\ud83d\ude00/8", "character U+D83D at index 0"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("badCidrs")
    void rejectsABadCidrNamingIt(String cidr, String why) {
        var e = assertThrows(IllegalArgumentException.class, () -> ProxyProtocolConfig.builder(Mode.REQUIRED).trust(cidr));
        assertEquals("trusted source \"" + cidr + "\" is not a CIDR block like 10.0.0.0/8 or ::1/128: " + why, e.getMessage());
    }

    @Test
    void refusesToReadHeadersWhenNoPeerIsTrusted() {
        var e = assertThrows(IllegalArgumentException.class, () -> ProxyProtocolConfig.builder(Mode.REQUIRED).build());
        assertEquals("proxy protocol REQUIRED needs at least one trusted source, such as \"10.0.0.0/8\", or trustUnixPeers()", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProxyProtocolConfig.builder(Mode.OPTIONAL).build());
        assertEquals(Mode.OFF, ProxyProtocolConfig.builder(Mode.OFF).build().mode());
    }

    @Test
    void hasDefaultsAndIsOffByDefault() {
        ProxyProtocolConfig off = ProxyProtocolConfig.off();
        assertEquals(Mode.OFF, off.mode());
        assertEquals(List.of(), off.trustedSources());
        assertEquals(false, off.trusts(address("127.0.0.1")));
        assertEquals(Duration.ofSeconds(5), off.headerTimeout());
        assertEquals(4096, off.maxHeaderBytes());
    }

    @Test
    void checksTheTimeoutAndTheHeaderLimit() {
        ProxyProtocolConfig.Builder b = ProxyProtocolConfig.builder(Mode.REQUIRED).trust("10.0.0.0/8");
        assertEquals("headerTimeout must be positive, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> b.headerTimeout(Duration.ZERO)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.headerTimeout(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> b.headerTimeout(null));
        assertEquals("maxHeaderBytes must be from 232 to 65551, was 231",
                assertThrows(IllegalArgumentException.class, () -> b.maxHeaderBytes(231)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.maxHeaderBytes(65552));
        ProxyProtocolConfig config = b.headerTimeout(Duration.ofMillis(3500)).maxHeaderBytes(232).build();
        assertEquals(Duration.ofMillis(3500), config.headerTimeout());
        assertEquals(232, config.maxHeaderBytes());
    }

    @Test
    void isNotChangedByItsBuilderAfterwards() {
        ProxyProtocolConfig.Builder b = ProxyProtocolConfig.builder(Mode.REQUIRED).trust("10.0.0.0/8");
        ProxyProtocolConfig config = b.build();
        b.trust("0.0.0.0/0").headerTimeout(Duration.ofSeconds(1));
        assertEquals(List.of("10.0.0.0/8"), config.trustedSources());
        assertEquals(false, config.trusts(address("192.0.2.1")));
        assertEquals(Duration.ofSeconds(5), config.headerTimeout());
        assertThrows(UnsupportedOperationException.class, () -> config.trustedSources().add("0.0.0.0/0"));
    }

    /** A literal by the JDK; "mapped ::ffff:a.b.c.d" as an Inet6Address, which the JDK would otherwise make IPv4. */
    private static InetAddress address(String text) {
        try {
            if (text.startsWith("mapped ")) {
                byte[] v4 = InetAddress.getByName(text.substring("mapped ::ffff:".length())).getAddress();
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(v4, 0, mapped, 12, 4);
                return Inet6Address.getByAddress(null, mapped, -1);
            }
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new AssertionError(text, e);
        }
    }
}
