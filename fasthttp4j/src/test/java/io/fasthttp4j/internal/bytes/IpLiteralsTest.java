package io.fasthttp4j.internal.bytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Checked against the JDK's parser of address literals, which never looks a literal up. */
class IpLiteralsTest {
    static Stream<Arguments> validIpv4() {
        return Stream.of(
                arguments("zeros", "0.0.0.0"),
                arguments("ones", "255.255.255.255"),
                arguments("loopback", "127.0.0.1"),
                arguments("mixed widths", "10.20.100.9"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validIpv4")
    void parsesIpv4AsTheJdkDoes(String name, String text) {
        byte[] out = new byte[4];
        assertTrue(IpLiterals.parseIpv4(bytes(text), 0, text.length(), out, 0));
        assertArrayEquals(jdk(text), out);
    }

    static Stream<Arguments> invalidIpv4() {
        return Stream.of(
                arguments("empty", ""),
                arguments("three parts", "1.2.3"),
                arguments("five parts", "1.2.3.4.5"),
                arguments("a part over 255", "1.2.3.256"),
                arguments("a four-digit part", "1.2.3.1000"),
                arguments("a leading zero, octal to inet_aton", "1.2.3.04"),
                arguments("a double zero", "1.2.00.4"),
                arguments("an empty part", "1..3.4"),
                arguments("a trailing dot", "1.2.3.4."),
                arguments("a leading dot", ".1.2.3"),
                arguments("one number, which inet_aton accepts", "16909060"),
                arguments("hex, which inet_aton accepts", "0x7f.0.0.1"),
                arguments("a space", "1.2.3.4 "),
                arguments("a sign", "+1.2.3.4"),
                arguments("IPv6", "::1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidIpv4")
    void rejectsMalformedIpv4(String name, String text) {
        assertFalse(IpLiterals.parseIpv4(bytes(text), 0, text.length(), new byte[4], 0));
    }

    static Stream<Arguments> validIpv6() {
        return Stream.of(
                arguments("unspecified", "::"),
                arguments("loopback", "::1"),
                arguments("full", "2001:0db8:0000:0000:0000:ff00:0042:8329"),
                arguments("upper case", "2001:DB8::FF00:42:8329"),
                arguments("gap in the middle", "2001:db8::ff00:42:8329"),
                arguments("gap at the end", "fe80::"),
                arguments("gap for one group", "1:2:3:4:5:6:7::"),
                arguments("gap for one group at the start", "::2:3:4:5:6:7:8"),
                arguments("IPv4-mapped", "::ffff:192.0.2.128"),
                arguments("IPv4-compatible", "::192.0.2.128"),
                arguments("IPv4 tail after six groups", "1:2:3:4:5:6:10.0.0.1"),
                arguments("IPv4 tail after a gap in the middle", "64:ff9b::1:192.0.2.33"),
                arguments("all ones", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validIpv6")
    void parsesIpv6AsTheJdkDoes(String name, String text) {
        byte[] out = new byte[20];
        Arrays.fill(out, (byte) 0x5a);
        assertTrue(IpLiterals.parseIpv6(bytes(text), 0, text.length(), out, 2));
        assertArrayEquals(jdk6(text), Arrays.copyOfRange(out, 2, 18));
        assertArrayEquals(new byte[] {0x5a, 0x5a}, Arrays.copyOfRange(out, 0, 2), "wrote before its range");
        assertArrayEquals(new byte[] {0x5a, 0x5a}, Arrays.copyOfRange(out, 18, 20), "wrote past its range");
    }

    static Stream<Arguments> invalidIpv6() {
        return Stream.of(
                arguments("empty", ""),
                arguments("one colon", ":"),
                arguments("three colons", ":::"),
                arguments("two gaps", "1::2::3"),
                arguments("a leading single colon", ":1:2:3:4:5:6:7"),
                arguments("a trailing single colon", "1:2:3:4:5:6:7:"),
                arguments("seven groups", "1:2:3:4:5:6:7"),
                arguments("nine groups", "1:2:3:4:5:6:7:8:9"),
                arguments("eight groups and a gap", "1:2:3:4:5:6:7:8::"),
                arguments("a gap and eight groups", "::1:2:3:4:5:6:7:8"),
                arguments("five hex digits", "12345::"),
                arguments("not hex", "g::1"),
                arguments("a zone", "fe80::1%eth0"),
                arguments("brackets", "[::1]"),
                arguments("IPv4 alone", "1.2.3.4"),
                arguments("IPv4 tail not last", "::1.2.3.4:5"),
                arguments("IPv4 tail too many groups", "1:2:3:4:5:6:7:1.2.3.4"),
                arguments("IPv4 tail with a leading zero", "::ffff:01.2.3.4"),
                arguments("IPv4 tail of three parts", "::ffff:1.2.3"),
                arguments("a space", ":: 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidIpv6")
    void rejectsMalformedIpv6(String name, String text) {
        assertFalse(IpLiterals.parseIpv6(bytes(text), 0, text.length(), new byte[16], 0));
    }

    @Test
    void parsesRandomAddressesInFullAndCompressedFormAsTheJdkDoes() {
        Random random = new Random(42);
        for (int n = 0; n < 2000; n++) {
            int[] groups = new int[8];
            for (int g = 0; g < 8; g++) groups[g] = random.nextInt(3) == 0 ? 0 : random.nextInt(0x10000);
            String full = String.join(":", Arrays.stream(groups).mapToObj(Integer::toHexString).toList());
            String compressed = compress(groups);
            for (String text : new String[] {full, compressed}) {
                byte[] out = new byte[16];
                assertTrue(IpLiterals.parseIpv6(bytes(text), 0, text.length(), out, 0), text);
                assertArrayEquals(jdk6(text), out, text);
            }
        }
    }

    /** Replaces the longest run of zero groups (two or more, else any) with "::". */
    private static String compress(int[] groups) {
        int bestAt = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength) {
                bestAt = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        if (bestLength == 0) return String.join(":", Arrays.stream(groups).mapToObj(Integer::toHexString).toList());
        String head = String.join(":", Arrays.stream(groups, 0, bestAt).mapToObj(Integer::toHexString).toList());
        String tail = String.join(":", Arrays.stream(groups, bestAt + bestLength, 8).mapToObj(Integer::toHexString).toList());
        return head + "::" + tail;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] jdk(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new AssertionError(literal, e);
        }
    }

    /** The JDK's 16 bytes; it turns an IPv4-mapped address into IPv4, so map it back. */
    private static byte[] jdk6(String literal) {
        byte[] address = jdk(literal);
        if (address.length == 16) return address;
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(address, 0, mapped, 12, 4);
        return mapped;
    }
}
