package io.fasthttp4j.internal.codec;

import static io.fasthttp4j.internal.codec.ProxyHeaderHarness.bytes;
import static io.fasthttp4j.internal.codec.ProxyHeaderHarness.concat;
import static io.fasthttp4j.internal.codec.ProxyHeaderHarness.hex;
import static io.fasthttp4j.internal.codec.ProxyHeaderHarness.ip;
import static io.fasthttp4j.internal.codec.ProxyHeaderHarness.ipBlock;
import static io.fasthttp4j.internal.codec.ProxyHeaderHarness.tlv;
import static io.fasthttp4j.internal.codec.ProxyHeaderHarness.unixBlock;
import static io.fasthttp4j.internal.codec.ProxyHeaderHarness.v2;
import static io.fasthttp4j.internal.codec.ProxyHeaderHarness.v2WithCrc;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fasthttp4j.internal.codec.ProxyHeader.Command;
import io.fasthttp4j.internal.codec.ProxyHeader.Family;
import io.fasthttp4j.internal.codec.ProxyHeaderHarness.Outcome;
import io.fasthttp4j.internal.codec.ProxyHeaderParser.Signature;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProxyHeaderParserTest {
    static final int MAX = 4096;

    /** What the client sends after the proxy's header: must be left unconsumed, for the HTTP parser. */
    static final byte[] HTTP = bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n");

    // ---- Headers HAProxy 2.6.12 (Debian 12) sent, captured on loopback: "server ... send-proxy" or
    // "send-proxy-v2 [proxy-v2-options ...]" in front of a listener that wrote the bytes it received.

    /** v1 from "send-proxy", client 127.0.0.1:59874 to frontend 127.0.0.1:18004. */
    static final byte[] HAPROXY_V1_TCP4 = bytes("PROXY TCP4 127.0.0.1 127.0.0.1 59874 18004\r\n");
    /** v1 from "send-proxy", client [::1]:43126 to frontend [::1]:18004: inet_ntop's compressed form. */
    static final byte[] HAPROXY_V1_TCP6 = bytes("PROXY TCP6 ::1 ::1 43126 18004\r\n");

    /**
     * v2 from "send-proxy-v2", client 127.0.0.1:51454 to frontend 127.0.0.1:18001, 28 bytes:
     * <pre>
     * 0d0a0d0a000d0a515549540a  signature (12 bytes)
     * 21                        version 2 (high nibble), command PROXY (low nibble)
     * 11                        family AF_INET (high nibble), transport STREAM (low nibble): TCP4
     * 000c                      length of what follows: 12 = 2 * 4 address bytes + 2 * 2 port bytes
     * 7f000001 7f000001         source, destination address
     * c8fe 4651                 source port 51454, destination port 18001
     * </pre>
     */
    static final byte[] HAPROXY_V2_TCP4 = hex("0d0a0d0a000d0a515549540a 21 11 000c 7f000001 7f000001 c8fe 4651");

    /**
     * v2 from "send-proxy-v2 proxy-v2-options crc32c,authority,unique-id,ssl,ssl-cipher,cert-sig,cert-key"
     * behind a TLS frontend ("bind ... ssl alpn h2,http/1.1", "unique-id-format %{+X}o\ %ci:%cp_%fi:%fp_%Ts_%rt:%pid"),
     * for curl --http1.1 to https://example.com:18002; 175 bytes:
     * <pre>
     * 0d0a0d0a000d0a515549540a 21 11 009f    signature, PROXY, TCP4, 159 bytes follow
     * 7f000001 7f000001 c3a4 4652            127.0.0.1:50084 to 127.0.0.1:18002
     * 03 0004 ac3aa05f                       CRC32C, 4 bytes: first, as HAProxy writes it
     * 01 0008 "http/1.1"                     ALPN
     * 02 000b "example.com"                  AUTHORITY (the SNI)
     * 05 002e "7F000001:C3A4_..."            UNIQUE_ID, 46 bytes
     * 20 003f                                SSL, 63 bytes:
     *   01 00000000                            client PP2_CLIENT_SSL, verify 0
     *   21 0007 "TLSv1.3"                      SSL_VERSION
     *   25 0007 "RSA2048"                      SSL_KEY_ALG
     *   24 000a "RSA-SHA256"                   SSL_SIG_ALG
     *   23 0016 "TLS_AES_256_GCM_SHA384"       SSL_CIPHER
     * </pre>
     */
    static final byte[] HAPROXY_V2_TLS = hex("0d0a0d0a000d0a515549540a2111009f7f0000017f000001c3a44652030004ac3aa05f010008687474702f312e31"
            + "02000b6578616d706c652e636f6d05002e37463030303030313a433341345f37463030303030313a343635325f3642313434"
            + "3344325f303030343a3637353820003f0100000000210007544c5376312e332500075253413230343824000a5253412d5348"
            + "4132353623001654 4c535f4145535f3235365f47434d5f534841333834");

    /** The same frontend for curl --http2: ALPN h2, another port, id and checksum. */
    static final byte[] HAPROXY_V2_TLS_H2 = hex("0d0a0d0a000d0a515549540a211100997f0000017f000001c3b4465203000495cb4592010002683202000b6578616d"
            + "706c652e636f6d05002e37463030303030313a433342345f37463030303030313a343635325f36423134343344325f3030"
            + "30353a3637353820003f0100000000210007544c5376312e332500075253413230343824000a5253412d53484132353623"
            + "0016544c535f4145535f3235365f47434d5f534841333834");

    /**
     * v2 from "send-proxy-v2 proxy-v2-options crc32c" for a client on [::1]:55612 to [::1]:18003, 59 bytes:
     * <pre>
     * 0d0a0d0a000d0a515549540a 21 21 002b    signature, PROXY, TCP6 (AF_INET6 + STREAM), 43 bytes follow
     * 00000000000000000000000000000001       source ::1
     * 00000000000000000000000000000001       destination ::1
     * d93c 4653                              ports 55612, 18003
     * 03 0004 5cf0be57                       CRC32C
     * </pre>
     */
    static final byte[] HAPROXY_V2_TCP6_CRC = hex("0d0a0d0a000d0a515549540a 21 21 002b 00000000000000000000000000000001"
            + "00000000000000000000000000000001 d93c 4653 030004 5cf0be57");

    /** v2 of a health check ("option httpchk", "server ... send-proxy-v2 check"): LOCAL, UNSPEC, nothing follows. */
    static final byte[] HAPROXY_V2_LOCAL = hex("0d0a0d0a000d0a515549540a 20 00 0000");

    static Stream<Arguments> valid() {
        return Stream.of(
                arguments("spec's v1 example", bytes("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"),
                        proxied(1, Family.TCP4, inet("192.168.0.1", 56324), inet("192.168.0.11", 443))),
                arguments("HAProxy v1 TCP4", HAPROXY_V1_TCP4, proxied(1, Family.TCP4, inet("127.0.0.1", 59874), inet("127.0.0.1", 18004))),
                arguments("HAProxy v1 TCP6", HAPROXY_V1_TCP6, proxied(1, Family.TCP6, inet("::1", 43126), inet("::1", 18004))),
                arguments("v1 TCP4 extremes", bytes("PROXY TCP4 255.255.255.255 0.0.0.0 65535 0\r\n"),
                        proxied(1, Family.TCP4, inet("255.255.255.255", 65535), inet("0.0.0.0", 0))),
                arguments("v1 TCP6 longest (104 bytes), upper case",
                        bytes("PROXY TCP6 FFFF:ffff:ffff:ffff:ffff:ffff:ffff:ffff 2001:0DB8:0000:0000:0000:0000:0000:0001 65535 65535\r\n"),
                        proxied(1, Family.TCP6, inet("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535), inet("2001:db8::1", 65535))),
                arguments("v1 TCP6 IPv4-mapped, as inet_ntop writes it", bytes("PROXY TCP6 ::ffff:10.0.0.1 2001:db8::8:800:200c:417a 1 2\r\n"),
                        proxied(1, Family.TCP6, inet6("::ffff:10.0.0.1", 1), inet("2001:db8::8:800:200c:417a", 2))),
                arguments("v1 UNKNOWN, short form", bytes("PROXY UNKNOWN\r\n"), new ProxyHeader(1, Command.PROXY, Family.UNSPEC, null, null, new byte[0])),
                arguments("v1 UNKNOWN, longest line (107 bytes), rest ignored",
                        bytes("PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n"),
                        new ProxyHeader(1, Command.PROXY, Family.UNSPEC, null, null, new byte[0])),
                arguments("v1 UNKNOWN, anything before the CRLF ignored (§2.1)", bytes("PROXY UNKNOWN \u0001not even addresses\r\n"),
                        new ProxyHeader(1, Command.PROXY, Family.UNSPEC, null, null, new byte[0])),
                arguments("HAProxy v2 TCP4", HAPROXY_V2_TCP4, proxied(2, Family.TCP4, inet("127.0.0.1", 51454), inet("127.0.0.1", 18001))),
                arguments("HAProxy v2 TCP4 with CRC32C, ALPN, authority, unique id, SSL", HAPROXY_V2_TLS,
                        proxied(2, Family.TCP4, inet("127.0.0.1", 50084), inet("127.0.0.1", 18002), Arrays.copyOfRange(HAPROXY_V2_TLS, 28, 175))),
                arguments("HAProxy v2 TCP4 TLS h2", HAPROXY_V2_TLS_H2,
                        proxied(2, Family.TCP4, inet("127.0.0.1", 50100), inet("127.0.0.1", 18002), Arrays.copyOfRange(HAPROXY_V2_TLS_H2, 28, 169))),
                arguments("HAProxy v2 TCP6 with CRC32C", HAPROXY_V2_TCP6_CRC,
                        proxied(2, Family.TCP6, inet("::1", 55612), inet("::1", 18003), hex("030004 5cf0be57"))),
                arguments("HAProxy v2 LOCAL health check", HAPROXY_V2_LOCAL, new ProxyHeader(2, Command.LOCAL, Family.UNSPEC, null, null, new byte[0])),
                arguments("v2 LOCAL with an address block, skipped unread", v2(0x20, 0x11, ipBlock("10.0.0.1", "10.0.0.2", 1, 2)),
                        new ProxyHeader(2, Command.LOCAL, Family.TCP4, null, null, new byte[0])),
                arguments("v2 LOCAL with bytes that are not TLVs, skipped unread", v2(0x20, 0x00, hex("ff ffff 01")),
                        new ProxyHeader(2, Command.LOCAL, Family.UNSPEC, null, null, new byte[0])),
                arguments("v2 PROXY UNSPEC: address information ignored", v2(0x21, 0x00, hex("0102030405")),
                        new ProxyHeader(2, Command.PROXY, Family.UNSPEC, null, null, new byte[0])),
                arguments("v2 UDP4", v2(0x21, 0x12, ipBlock("192.0.2.1", "198.51.100.7", 5353, 53)),
                        proxied(2, Family.UDP4, inet("192.0.2.1", 5353), inet("198.51.100.7", 53))),
                arguments("v2 TCP6, IPv4-mapped source", v2(0x21, 0x21, ipBlock("::ffff:192.0.2.1", "2001:db8::1", 40000, 443)),
                        proxied(2, Family.TCP6, inet6("::ffff:192.0.2.1", 40000), inet("2001:db8::1", 443))),
                arguments("v2 UDP6", v2(0x21, 0x22, ipBlock("2001:db8::2", "2001:db8::3", 1, 65535)),
                        proxied(2, Family.UDP6, inet("2001:db8::2", 1), inet("2001:db8::3", 65535))),
                arguments("v2 UNIX stream", v2(0x21, 0x31, unixBlock("/run/client.sock", "/run/haproxy/http.sock")),
                        proxied(2, Family.UNIX_STREAM, UnixDomainSocketAddress.of("/run/client.sock"), UnixDomainSocketAddress.of("/run/haproxy/http.sock"))),
                arguments("v2 UNIX datagram, a 108-byte path with no NUL and an abstract one",
                        v2(0x21, 0x32, bytes("/" + "p".repeat(107)), concat(new byte[] {0}, Arrays.copyOf(bytes("abstract"), 107))),
                        proxied(2, Family.UNIX_DGRAM, UnixDomainSocketAddress.of("/" + "p".repeat(107)), UnixDomainSocketAddress.of(""))),
                arguments("v2 with NOOP, a custom TLV (AWS's 0xEA) and the largest authority and unique id",
                        v2(0x21, 0x11, ipBlock("10.1.2.3", "10.0.0.1", 1234, 80), tlv(0x04, new byte[0]), tlv(0xea, hex("01") ),
                                tlv(0x02, "a".repeat(255)), tlv(0x05, new byte[128])),
                        proxied(2, Family.TCP4, inet("10.1.2.3", 1234), inet("10.0.0.1", 80),
                                concat(tlv(0x04, new byte[0]), tlv(0xea, hex("01")), tlv(0x02, "a".repeat(255)), tlv(0x05, new byte[128])))),
                arguments("v2 with a CRC32C placed as HAProxy places it, built here", v2WithCrc(0x21, 0x11, ipBlock("10.1.2.3", "10.0.0.1", 1234, 80)),
                        proxied(2, Family.TCP4, inet("10.1.2.3", 1234), inet("10.0.0.1", 80),
                                Arrays.copyOfRange(v2WithCrc(0x21, 0x11, ipBlock("10.1.2.3", "10.0.0.1", 1234, 80)), 28, 35))),
                arguments("v2 SSL TLV with no sub-TLV", v2(0x21, 0x11, ipBlock("10.1.2.3", "10.0.0.1", 1, 2), tlv(0x20, hex("00 00000001"))),
                        proxied(2, Family.TCP4, inet("10.1.2.3", 1), inet("10.0.0.1", 2), tlv(0x20, hex("00 00000001")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesAValidHeaderAndLeavesTheRestForHttp(String name, byte[] header, ProxyHeader expected) {
        byte[] input = concat(header, HTTP);
        assertEquals(new Outcome(header.length, expected, null), ProxyHeaderHarness.whole(input, MAX));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesTheSameAtEverySplitAndOneByteAtATime(String name, byte[] header, ProxyHeader expected) {
        byte[] input = concat(header, HTTP);
        Outcome whole = ProxyHeaderHarness.whole(input, MAX);
        for (int at = 1; at < input.length; at++) {
            int cut = at;
            ProxyHeaderHarness.assertSameOutcome(whole, ProxyHeaderHarness.splitAt(input, MAX, cut), () -> "split at " + cut);
        }
        ProxyHeaderHarness.assertSameOutcome(whole, ProxyHeaderHarness.byteByByte(input, MAX), () -> "one byte at a time");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void needsMoreUntilTheLastByteOfTheHeader(String name, byte[] header, ProxyHeader expected) {
        for (int length = 0; length < header.length; length++) {
            assertEquals(Outcome.INCOMPLETE, ProxyHeaderHarness.whole(Arrays.copyOf(header, length), MAX), "first " + length + " bytes");
        }
    }

    static Stream<Arguments> malformed() {
        byte[] tcp4 = ipBlock("10.1.2.3", "10.0.0.1", 1234, 80);
        byte[] crcHeader = v2WithCrc(0x21, 0x11, tcp4, tlv(0x01, "h2"));
        byte[] badCrc = crcHeader.clone();
        badCrc[badCrc.length - 1] ^= 1;   // the last byte of "h2": the checksum no longer matches
        return Stream.of(
                arguments("an HTTP request", HTTP, "connection does not start with a PROXY protocol header: it starts \"G\""),
                arguments("an empty line first", bytes("\r\nGET / HTTP/1.1\r\n"), "connection does not start with a PROXY protocol header: it starts \"\\x0d\\x0aG\""),
                arguments("lower case", bytes("proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n"), "connection does not start with a PROXY protocol header: it starts \"p\""),
                arguments("a tab after PROXY", bytes("PROXY\tTCP4 1.2.3.4 5.6.7.8 1 2\r\n"), "connection does not start with a PROXY protocol header: it starts \"PROXY\\x09\""),
                arguments("v1 lower-case protocol", bytes("PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n"), "PROXY v1 protocol \"tcp4\" is not TCP4, TCP6 or UNKNOWN"),
                arguments("v1 unknown protocol", bytes("PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n"), "PROXY v1 protocol \"UDP4\" is not TCP4, TCP6 or UNKNOWN"),
                arguments("v1 UNKNOWN with a suffix", bytes("PROXY UNKNOWNX\r\n"), "PROXY v1 protocol \"UNKNOWNX\" is not TCP4, TCP6 or UNKNOWN"),
                arguments("v1 two spaces after PROXY", bytes("PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n"), "PROXY v1 protocol \"\" is not TCP4, TCP6 or UNKNOWN"),
                arguments("v1 protocol alone", bytes("PROXY TCP4\r\n"), "PROXY v1 protocol \"TCP4\" is not TCP4, TCP6 or UNKNOWN"),
                arguments("v1 two spaces between addresses", bytes("PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n"), "PROXY v1 destination address is empty: fields are separated by exactly one space"),
                arguments("v1 empty source", bytes("PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n"), "PROXY v1 source address is empty: fields are separated by exactly one space"),
                arguments("v1 a port missing", bytes("PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n"), "PROXY v1 line ends in the source port: expected source and destination addresses and ports"),
                arguments("v1 addresses only", bytes("PROXY TCP4 1.2.3.4 5.6.7.8\r\n"), "PROXY v1 line ends in the destination address: expected source and destination addresses and ports"),
                arguments("v1 a field too many", bytes("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n"), "PROXY v1 destination port \"2 3\" is not a port: 0 to 65535 without leading zeros"),
                arguments("v1 a space before CRLF", bytes("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n"), "PROXY v1 destination port \"2 \" is not a port: 0 to 65535 without leading zeros"),
                arguments("v1 empty destination port", bytes("PROXY TCP4 1.2.3.4 5.6.7.8 1 \r\n"), "PROXY v1 destination port \"\" is not a port: 0 to 65535 without leading zeros"),
                arguments("v1 port with a leading zero", bytes("PROXY TCP4 1.2.3.4 5.6.7.8 080 2\r\n"), "PROXY v1 source port \"080\" is not a port: 0 to 65535 without leading zeros"),
                arguments("v1 port 65536", bytes("PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\r\n"), "PROXY v1 destination port \"65536\" is not a port: 0 to 65535 without leading zeros"),
                arguments("v1 port with six digits", bytes("PROXY TCP4 1.2.3.4 5.6.7.8 100000 1\r\n"), "PROXY v1 source port \"100000\" is not a port: 0 to 65535 without leading zeros"),
                arguments("v1 port with a sign", bytes("PROXY TCP4 1.2.3.4 5.6.7.8 +1 2\r\n"), "PROXY v1 source port \"+1\" is not a port: 0 to 65535 without leading zeros"),
                arguments("v1 port in hex", bytes("PROXY TCP4 1.2.3.4 5.6.7.8 0x50 2\r\n"), "PROXY v1 source port \"0x50\" is not a port: 0 to 65535 without leading zeros"),
                arguments("v1 three-part IPv4", bytes("PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n"), "PROXY v1 source address \"1.2.3\" is not an IPv4 address"),
                arguments("v1 five-part IPv4", bytes("PROXY TCP4 1.2.3.4.5 5.6.7.8 1 2\r\n"), "PROXY v1 source address \"1.2.3.4.5\" is not an IPv4 address"),
                arguments("v1 IPv4 part over 255", bytes("PROXY TCP4 1.2.3.4 5.6.7.256 1 2\r\n"), "PROXY v1 destination address \"5.6.7.256\" is not an IPv4 address"),
                arguments("v1 IPv4 with a leading zero (octal to some)", bytes("PROXY TCP4 010.2.3.4 5.6.7.8 1 2\r\n"), "PROXY v1 source address \"010.2.3.4\" is not an IPv4 address"),
                arguments("v1 IPv4 as one number", bytes("PROXY TCP4 16909060 5.6.7.8 1 2\r\n"), "PROXY v1 source address \"16909060\" is not an IPv4 address"),
                arguments("v1 host name", bytes("PROXY TCP4 localhost 5.6.7.8 1 2\r\n"), "PROXY v1 source address \"localhost\" is not an IPv4 address"),
                arguments("v1 TCP4 with IPv6", bytes("PROXY TCP4 ::1 5.6.7.8 1 2\r\n"), "PROXY v1 source address \"::1\" is not an IPv4 address"),
                arguments("v1 TCP6 with IPv4", bytes("PROXY TCP6 1.2.3.4 ::1 1 2\r\n"), "PROXY v1 source address \"1.2.3.4\" is not an IPv6 address"),
                arguments("v1 IPv6 with two ::", bytes("PROXY TCP6 1::2::3 ::1 1 2\r\n"), "PROXY v1 source address \"1::2::3\" is not an IPv6 address"),
                arguments("v1 IPv6 with nine groups", bytes("PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2\r\n"), "PROXY v1 source address \"1:2:3:4:5:6:7:8:9\" is not an IPv6 address"),
                arguments("v1 IPv6 with seven groups", bytes("PROXY TCP6 1:2:3:4:5:6:7 ::1 1 2\r\n"), "PROXY v1 source address \"1:2:3:4:5:6:7\" is not an IPv6 address"),
                arguments("v1 IPv6 group of five digits", bytes("PROXY TCP6 12345:: ::1 1 2\r\n"), "PROXY v1 source address \"12345::\" is not an IPv6 address"),
                arguments("v1 IPv6 with a zone", bytes("PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n"), "PROXY v1 source address \"fe80::1%eth0\" is not an IPv6 address"),
                arguments("v1 IPv6 in brackets", bytes("PROXY TCP6 [::1] ::1 1 2\r\n"), "PROXY v1 source address \"[::1]\" is not an IPv6 address"),
                arguments("v1 IPv6 with a short IPv4 tail", bytes("PROXY TCP6 ::ffff:1.2.3 ::1 1 2\r\n"), "PROXY v1 source address \"::ffff:1.2.3\" is not an IPv6 address"),
                arguments("v1 bare LF", bytes("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n"), "bare LF in PROXY v1 line at offset 30"),
                arguments("v1 bare CR", bytes("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX"), "bare CR in PROXY v1 line at offset 30"),
                arguments("v1 line of 108 bytes",
                        bytes("PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 655350\r\n"),
                        "PROXY v1 line has no CRLF in its first 107 bytes"),
                arguments("v1 line without end", bytes("PROXY UNKNOWN " + "x".repeat(200)), "PROXY v1 line has no CRLF in its first 107 bytes"),
                arguments("v2 version 1", v2(0x11, 0x11, tcp4), "PROXY v2 header has version 1, expected 2"),
                arguments("v2 version 3", v2(0x31, 0x11, tcp4), "PROXY v2 header has version 3, expected 2"),
                arguments("v2 command 2", v2(0x22, 0x11, tcp4), "PROXY v2 command 0x2 is neither LOCAL (0x0) nor PROXY (0x1)"),
                arguments("v2 command 0xf", v2(0x2f, 0x11, tcp4), "PROXY v2 command 0xf is neither LOCAL (0x0) nor PROXY (0x1)"),
                arguments("v2 family 4", v2(0x21, 0x41, tcp4), "PROXY v2 address family and protocol 0x41 is not one the spec defines"),
                arguments("v2 transport 3", v2(0x21, 0x13, tcp4), "PROXY v2 address family and protocol 0x13 is not one the spec defines"),
                arguments("v2 UNSPEC family with STREAM", v2(0x21, 0x01, tcp4), "PROXY v2 address family and protocol 0x01 is not one the spec defines"),
                arguments("v2 INET with UNSPEC transport", v2(0x21, 0x10, tcp4), "PROXY v2 address family and protocol 0x10 is not one the spec defines"),
                arguments("v2 LOCAL with an undefined family", v2(0x20, 0x14), "PROXY v2 address family and protocol 0x14 is not one the spec defines"),
                arguments("v2 TCP4 block short", v2(0x21, 0x11, Arrays.copyOf(tcp4, 11)), "PROXY v2 length 11 is too short for TCP4, whose addresses take 12 bytes"),
                arguments("v2 TCP6 block short", v2(0x21, 0x21, new byte[35]), "PROXY v2 length 35 is too short for TCP6, whose addresses take 36 bytes"),
                arguments("v2 TCP6 with IPv4 addresses", v2(0x21, 0x21, tcp4), "PROXY v2 length 12 is too short for TCP6, whose addresses take 36 bytes"),
                arguments("v2 UNIX block short", v2(0x21, 0x31, new byte[215]), "PROXY v2 length 215 is too short for UNIX_STREAM, whose addresses take 216 bytes"),
                arguments("v2 TLV cut short", v2(0x21, 0x11, tcp4, hex("0400")), "PROXY v2 TLV at offset 28 is cut short: 2 bytes left, a TLV takes at least 3"),
                arguments("v2 TLV longer than the block", v2(0x21, 0x11, tcp4, tlv(0x01, "h2"), hex("02 0005 6162")),
                        "PROXY v2 TLV 0x02 at offset 33 has length 5, but only 2 bytes follow"),
                arguments("v2 CRC32C wrong", badCrc, "PROXY v2 CRC32c is 0x%08x, but the header's bytes give 0x%08x".formatted(
                        ProxyHeaderHarness.crcIn(crcHeader, 31), crc32cWithZeroedField(badCrc, 31))),
                arguments("v2 CRC32C of 3 bytes", v2(0x21, 0x11, tcp4, hex("03 0003 000000")), "PROXY v2 CRC32c TLV has 3 bytes, expected 4"),
                arguments("v2 two CRC32C, the first right", v2WithCrc(0x21, 0x11, tcp4, hex("03 0004 00000000")), "PROXY v2 header has more than one CRC32c TLV"),
                arguments("v2 authority of 256 bytes", v2(0x21, 0x11, tcp4, tlv(0x02, "a".repeat(256))), "PROXY v2 authority TLV has 256 bytes, more than 255"),
                arguments("v2 unique id of 129 bytes", v2(0x21, 0x11, tcp4, tlv(0x05, new byte[129])), "PROXY v2 unique id TLV has 129 bytes, more than 128"),
                arguments("v2 SSL TLV of 4 bytes", v2(0x21, 0x11, tcp4, tlv(0x20, new byte[4])), "PROXY v2 SSL TLV has 4 bytes, fewer than the 5 of its client and verify fields"),
                arguments("v2 SSL sub-TLV longer than the SSL TLV", v2(0x21, 0x11, tcp4, tlv(0x20, hex("01 00000000 21 0008 544c5376312e33")), tlv(0x04, "pad")),
                        "PROXY v2 SSL sub-TLV 0x21 at offset 36 has length 8, but only 7 bytes follow"),
                arguments("v2 SSL sub-TLV cut short", v2(0x21, 0x11, tcp4, tlv(0x20, hex("01 00000000 2100"))),
                        "PROXY v2 SSL sub-TLV at offset 36 is cut short: 2 bytes left, a TLV takes at least 3"),
                arguments("v2 longer than maxHeaderBytes, rejected from its first 16 bytes", Arrays.copyOf(v2(0x21, 0x11, tcp4, new byte[MAX - 28 + 1]), 16),
                        "PROXY v2 header of 4097 bytes exceeds maxHeaderBytes=4096"),
                arguments("v2 of the largest length", hex("0d0a0d0a000d0a515549540a 21 11 ffff"), "PROXY v2 header of 65551 bytes exceeds maxHeaderBytes=4096"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsAMalformedHeaderWith400AndAMessageNamingTheFault(String name, byte[] input, String message) {
        assertEquals(new Outcome(0, null, message), ProxyHeaderHarness.whole(input, MAX));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsTheSameWayHoweverTheBytesArrive(String name, byte[] input, String message) {
        ProxyHeaderHarness.assertSameOutcome(new Outcome(0, null, message), ProxyHeaderHarness.byteByByte(input, MAX), () -> "one byte at a time");
        for (int at = 1; at < input.length; at++) {
            int cut = at;
            ProxyHeaderHarness.assertSameOutcome(new Outcome(0, null, message), ProxyHeaderHarness.splitAt(input, MAX, cut), () -> "split at " + cut);
        }
    }

    @Test
    void acceptsAV1LineOf107BytesAndNeedsMoreAt106WithoutCrlf() {
        byte[] longest = bytes("PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n");
        assertEquals(ProxyHeaderParser.V1_MAX_BYTES, longest.length);
        assertEquals(107, ProxyHeaderHarness.whole(longest, MAX).consumed());
        byte[] noEnd = bytes("PROXY UNKNOWN " + "x".repeat(200));
        assertEquals(Outcome.INCOMPLETE, ProxyHeaderHarness.whole(Arrays.copyOf(noEnd, 106), MAX));
        assertEquals("PROXY v1 line has no CRLF in its first 107 bytes", ProxyHeaderHarness.whole(Arrays.copyOf(noEnd, 107), MAX).error());
    }

    @Test
    void acceptsAV2HeaderOfExactlyMaxHeaderBytesAndRejectsOneByteMore() {
        int max = ProxyHeaderParser.MIN_MAX_HEADER_BYTES;
        byte[] addresses = ipBlock("10.1.2.3", "10.0.0.1", 1, 2);
        byte[] fits = v2(0x21, 0x11, addresses, tlv(0x04, new byte[max - 16 - 12 - 3]));
        assertEquals(max, fits.length);
        assertEquals(max, ProxyHeaderHarness.whole(fits, max).consumed());
        byte[] over = v2(0x21, 0x11, addresses, tlv(0x04, new byte[max - 16 - 12 - 2]));
        assertEquals("PROXY v2 header of 233 bytes exceeds maxHeaderBytes=232", ProxyHeaderHarness.whole(over, max).error());
    }

    @Test
    void refusesAMaxHeaderBytesOutsideWhatTheProtocolNeedsAndAllows() {
        var low = assertThrows(IllegalArgumentException.class, () -> new ProxyHeaderParser(231));
        assertEquals("maxHeaderBytes must be from 232 to 65551, was 231", low.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ProxyHeaderParser(65552));
        new ProxyHeaderParser(65551);
    }

    @Test
    void exposesTheTlvsHaproxySent() {
        ProxyHeader header = ProxyHeaderHarness.whole(HAPROXY_V2_TLS, MAX).header();
        assertEquals("http/1.1", header.alpn());
        assertEquals("example.com", header.authority());
        assertEquals("7F000001:C3A4_7F000001:4652_6B1443D2_0004:6758", new String(header.uniqueId(), StandardCharsets.US_ASCII));
        assertArrayEquals(hex("ac3aa05f"), header.tlv(ProxyHeader.TLV_CRC32C));
        assertNull(header.tlv(ProxyHeader.TLV_NETNS));
        assertEquals(new ProxyHeader.Ssl(ProxyHeader.Ssl.CLIENT_SSL, 0, "TLSv1.3", "TLS_AES_256_GCM_SHA384", "RSA-SHA256", "RSA2048", null), header.ssl());
        assertTrue(header.ssl().isTls());
        assertEquals(false, header.ssl().hasVerifiedClientCert());
        assertEquals("h2", ProxyHeaderHarness.whole(HAPROXY_V2_TLS_H2, MAX).header().alpn());
    }

    @Test
    void rejectsEverySingleBitFlipOfAHeaderWithACrc32c() {
        checkEveryBitFlipIsCaught(HAPROXY_V2_TLS, 28);
        checkEveryBitFlipIsCaught(HAPROXY_V2_TCP6_CRC, 52);
    }

    /**
     * Flips each bit of {@code header} but those of the CRC32c TLV's type byte at {@code crcTypeAt}:
     * flipped, it is another TLV, and a header without a checksum has nothing to check (the
     * protocol's limit, not the parser's). A flip of the command to LOCAL is accepted too: §2.2 says
     * to discard a LOCAL header's block unread.
     */
    private static void checkEveryBitFlipIsCaught(byte[] header, int crcTypeAt) {
        for (int bit = 0; bit < header.length * 8; bit++) {
            if (bit / 8 == crcTypeAt) continue;
            byte[] flipped = concat(header, HTTP);
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            Outcome outcome = ProxyHeaderHarness.whole(flipped, MAX);
            boolean local = outcome.header() != null && outcome.header().command() == Command.LOCAL;
            int at = bit;
            assertTrue(outcome.header() == null || local, () -> "bit " + at + " flipped, yet parsed: " + outcome);
        }
    }

    @Test
    void decodesAnSslTlvWithAVerifiedClientCertificate() {
        byte[] ssl = concat(hex("07 00000000"), tlv(0x21, "TLSv1.2"), tlv(0x22, "client.example"));
        ProxyHeader header = ProxyHeaderHarness.whole(v2(0x21, 0x11, ipBlock("10.1.2.3", "10.0.0.1", 1, 2), tlv(0x20, ssl)), MAX).header();
        assertEquals(new ProxyHeader.Ssl(7, 0, "TLSv1.2", null, null, null, "client.example"), header.ssl());
        assertTrue(header.ssl().hasVerifiedClientCert());
        assertNull(header.alpn());
        assertNull(header.authority());
        assertNull(header.uniqueId());
    }

    @Test
    void saysToUseTheRealAddressesForLocalAndUnknown() {
        for (byte[] header : new byte[][] {HAPROXY_V2_LOCAL, bytes("PROXY UNKNOWN\r\n"), v2(0x21, 0x00)}) {
            ProxyHeader decoded = ProxyHeaderHarness.whole(header, MAX).header();
            assertTrue(decoded.usesRealAddresses(), decoded::toString);
            assertNull(decoded.source());
            assertNull(decoded.destination());
        }
        assertEquals(false, ProxyHeaderHarness.whole(HAPROXY_V2_TCP4, MAX).header().usesRealAddresses());
    }

    @Test
    void keepsAnIpv4MappedTcp6AddressAsIpv6() {
        ProxyHeader header = ProxyHeaderHarness.whole(bytes("PROXY TCP6 ::ffff:10.0.0.1 ::1 1 2\r\n"), MAX).header();
        InetSocketAddress source = (InetSocketAddress) header.source();
        assertInstanceOf(Inet6Address.class, source.getAddress());
        assertArrayEquals(ip("::ffff:10.0.0.1"), source.getAddress().getAddress());
    }

    @Test
    void keepsTheHeaderUntilReset() {
        ProxyHeaderParser parser = new ProxyHeaderParser(MAX);
        assertNull(parser.header());
        assertEquals(HAPROXY_V2_TCP4.length, parser.parse(HAPROXY_V2_TCP4, 0, HAPROXY_V2_TCP4.length));
        assertEquals(Family.TCP4, parser.header().family());
        parser.reset();
        assertNull(parser.header());
        assertEquals(ProxyHeaderParser.NEED_MORE, parser.parse(HAPROXY_V2_TCP4, 0, 15));
        assertNull(parser.header());
    }

    static Stream<Arguments> signatures() {
        return Stream.of(
                arguments("nothing yet", "", Signature.INCOMPLETE),
                arguments("part of v1", "PROX", Signature.INCOMPLETE),
                arguments("v1 without its space yet", "PROXY", Signature.INCOMPLETE),
                arguments("v1", "PROXY ", Signature.V1),
                arguments("v1 with a bad protocol: still v1, the parser says what is wrong", "PROXY HTTP", Signature.V1),
                arguments("part of v2", "\r\n\r\n\u0000\r\nQUI", Signature.INCOMPLETE),
                arguments("v2", "\r\n\r\n\u0000\r\nQUIT\n", Signature.V2),
                arguments("an HTTP request", "GET / HTTP/1.1\r\n", Signature.NONE),
                arguments("an HTTP request after an empty line", "\r\nGET", Signature.NONE),
                arguments("a method that starts like PROXY", "PROXZ", Signature.NONE),
                arguments("PROXY then no space", "PROXY/", Signature.NONE),
                arguments("a TLS ClientHello", "\u0016\u0003\u0001", Signature.NONE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signatures")
    void tellsWhetherTheFirstBytesAreAHeader(String name, String first, Signature expected) {
        byte[] buf = concat(bytes("xx"), bytes(first), bytes("yy"));
        assertEquals(expected, ProxyHeaderParser.signature(buf, 2, 2 + first.length()));
    }

    @Test
    void usesTheCastagnoliCrcOfRfc4960() {
        CRC32C crc = new CRC32C();
        crc.update(bytes("123456789"));
        assertEquals(0xe3069283L, crc.getValue());   // the CRC-32C check value (RFC 3720 §B.4 and RFC 4960 App. B use the same polynomial)
    }

    // ---- expected values

    static ProxyHeader proxied(int version, Family family, SocketAddress source, SocketAddress destination) {
        return proxied(version, family, source, destination, new byte[0]);
    }

    static ProxyHeader proxied(int version, Family family, SocketAddress source, SocketAddress destination, byte[] tlvs) {
        return new ProxyHeader(version, Command.PROXY, family, source, destination, tlvs);
    }

    /** An address from the JDK's own parser of literals; IPv4-mapped IPv6 becomes IPv4 there, so use {@link #inet6} for those. */
    static InetSocketAddress inet(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static InetSocketAddress inet6(String literal, int port) {
        try {
            return new InetSocketAddress(Inet6Address.getByAddress(null, ip(literal), -1), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static int crc32cWithZeroedField(byte[] header, int at) {
        byte[] copy = header.clone();
        Arrays.fill(copy, at, at + 4, (byte) 0);
        CRC32C crc = new CRC32C();
        crc.update(copy);
        return (int) crc.getValue();
    }
}
