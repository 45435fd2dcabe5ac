package io.fasthttp4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.BadRequestException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * Feeds bytes to a {@link ProxyHeaderParser} as a server would, in reads cut where a test says, and
 * builds version 2 headers byte by byte for the tests.
 */
final class ProxyHeaderHarness {
    private ProxyHeaderHarness() {
    }

    /** What came of feeding some bytes: the header and its length, an error, or neither (still incomplete). */
    record Outcome(int consumed, ProxyHeader header, String error) {
        static final Outcome INCOMPLETE = new Outcome(0, null, null);
    }

    /**
     * Feeds {@code input} to a new parser in reads ending at each of {@code cuts} (ascending; the last
     * is usually the input's length), until it returns the header's length or throws. Each read puts
     * the bytes at a different offset of a fresh buffer with junk around them, as a server's buffer
     * moves and holds other bytes: the parser must read only {@code [from, to)}, wherever that is.
     */
    static Outcome outcome(byte[] input, int maxHeaderBytes, int[] cuts) {
        ProxyHeaderParser parser = new ProxyHeaderParser(maxHeaderBytes);
        for (int read = 0; read < cuts.length; read++) {
            int offset = 1 + read % 7;
            byte[] buf = new byte[offset + cuts[read] + 3];
            java.util.Arrays.fill(buf, (byte) '\n');
            System.arraycopy(input, 0, buf, offset, cuts[read]);
            int consumed;
            try {
                consumed = parser.parse(buf, offset, offset + cuts[read]);
            } catch (BadRequestException e) {
                assertEquals(400, e.status(), e.getMessage());
                return new Outcome(0, null, e.getMessage());
            }
            int available = cuts[read];
            assertTrue(consumed >= 0 && consumed <= available, () -> "consumed " + consumed + " of " + available + " bytes");
            if (consumed > 0) {
                assertTrue(parser.header() != null, "a header was consumed but none is returned");
                return new Outcome(consumed, parser.header(), null);
            }
        }
        return Outcome.INCOMPLETE;
    }

    static Outcome whole(byte[] input, int maxHeaderBytes) {
        return outcome(input, maxHeaderBytes, ParserHarness.wholeInput(input.length));
    }

    static Outcome splitAt(byte[] input, int maxHeaderBytes, int at) {
        return outcome(input, maxHeaderBytes, ParserHarness.splitAt(input.length, at));
    }

    static Outcome byteByByte(byte[] input, int maxHeaderBytes) {
        return outcome(input, maxHeaderBytes, ParserHarness.byteByByte(input.length));
    }

    static void assertSameOutcome(Outcome expected, Outcome actual, Supplier<String> how) {
        assertEquals(expected, actual, how);
    }

    // ---- building headers

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }

    /** One TLV: type, 2-byte length in network order, value (§2.2). */
    static byte[] tlv(int type, byte[] value) {
        return concat(new byte[] {(byte) type, (byte) (value.length >>> 8), (byte) value.length}, value);
    }

    static byte[] tlv(int type, String value) {
        return tlv(type, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A version 2 header (§2.2): the 12-byte signature; {@code versionAndCommand} (0x21 PROXY, 0x20
     * LOCAL); {@code family} (0x11 TCP4 ...); the length of what follows, 2 bytes in network order;
     * then {@code block}, the addresses and TLVs.
     */
    static byte[] v2(int versionAndCommand, int family, byte[]... block) {
        byte[] rest = concat(block);
        return concat(ProxyHeaderParser.V2_SIGNATURE,
                new byte[] {(byte) versionAndCommand, (byte) family, (byte) (rest.length >>> 8), (byte) rest.length}, rest);
    }

    /**
     * As {@link #v2}, with a CRC32c TLV first in the block, as HAProxy places it, holding the CRC32c
     * of the whole header computed with the checksum's bytes as zeros (§2.2.3).
     */
    static byte[] v2WithCrc(int versionAndCommand, int family, byte[] addresses, byte[]... tlvs) {
        byte[] header = v2(versionAndCommand, family, addresses, tlv(ProxyHeader.TLV_CRC32C, new byte[4]), concat(tlvs));
        int at = ProxyHeaderParser.V2_FIXED_BYTES + addresses.length + 3;
        CRC32C crc = new CRC32C();
        crc.update(header);
        int value = (int) crc.getValue();
        header[at] = (byte) (value >>> 24);
        header[at + 1] = (byte) (value >>> 16);
        header[at + 2] = (byte) (value >>> 8);
        header[at + 3] = (byte) value;
        return header;
    }

    /** The 4 bytes at {@code at} as a big-endian int: a CRC32c as the header carries it. */
    static int crcIn(byte[] header, int at) {
        return (header[at] & 0xff) << 24 | (header[at + 1] & 0xff) << 16 | (header[at + 2] & 0xff) << 8 | (header[at + 3] & 0xff);
    }

    /** An IPv4 or IPv6 address block: source address, destination address, source port, destination port. */
    static byte[] ipBlock(String source, String destination, int sourcePort, int destinationPort) {
        return concat(ip(source), ip(destination), port(sourcePort), port(destinationPort));
    }

    /** The bytes of an address literal, by the JDK (a literal is never looked up): an oracle independent of the parser's. */
    static byte[] ip(String literal) {
        try {
            byte[] address = java.net.InetAddress.getByName(literal).getAddress();
            if (literal.contains(":") && address.length == 4) {   // the JDK turns ::ffff:a.b.c.d into IPv4
                return concat(new byte[10], new byte[] {(byte) 0xff, (byte) 0xff}, address);
            }
            return address;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static byte[] port(int port) {
        return new byte[] {(byte) (port >>> 8), (byte) port};
    }

    /** A UNIX address block: two 108-byte {@code sun_path}s, each NUL-padded. */
    static byte[] unixBlock(String source, String destination) {
        return concat(sunPath(source), sunPath(destination));
    }

    static byte[] sunPath(String path) {
        return java.util.Arrays.copyOf(bytes(path), 108);
    }
}
