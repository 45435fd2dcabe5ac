package io.fasthttp4j.internal.codec;

import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.internal.bytes.Ascii;
import io.fasthttp4j.internal.bytes.Bytes;
import io.fasthttp4j.internal.bytes.IpLiterals;
import io.fasthttp4j.internal.codec.ProxyHeader.Command;
import io.fasthttp4j.internal.codec.ProxyHeader.Family;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads the PROXY protocol header that a proxy sends before anything else on a connection, to tell
 * the server who the client is: version 1 (one text line) or version 2 (binary), as HAProxy's
 * proxy-protocol.txt defines them. Usage: call {@link #parse} with the connection's first bytes,
 * and again with the same bytes (they may have moved) and more after them each time more arrive,
 * until it returns the header's length; {@link #header()} then says what it held, and the bytes
 * after it are the client's. One per connection, or {@link #reset()} between connections; runs on
 * the connection's thread.
 *
 * <p>Strict: anything that does not match the spec throws {@link BadRequestException} with status
 * 400 and a message naming the field, and the connection must then be closed ("Any sequence which
 * does not exactly match the protocol must be discarded and cause the receiver to abort the
 * connection", §2.1). A header is parsed only once it is complete (§2.1 and §2.2 ask receivers not
 * to decode a partial one); until then only the signature and, for version 2, the fixed 16 bytes are
 * checked, so the outcome does not depend on how the bytes are cut into reads.
 *
 * <p>Allocates only the {@link ProxyHeader}, its addresses and a copy of its TLVs: once per connection.
 */
public final class ProxyHeaderParser {
    /** What {@link #parse} returns while the header is incomplete: nothing consumed. */
    public static final int NEED_MORE = 0;

    /** Longest version 1 line, CRLF included (§2.1): {@code PROXY UNKNOWN} with two full IPv6 addresses and ports. */
    public static final int V1_MAX_BYTES = 107;

    /** The fixed part of a version 2 header: signature, version and command, family, length. */
    public static final int V2_FIXED_BYTES = 16;

    /** Smallest {@code maxHeaderBytes}: a version 2 header with the largest address block (UNIX) and no TLV. */
    public static final int MIN_MAX_HEADER_BYTES = V2_FIXED_BYTES + 216;

    /** Largest version 2 header the protocol can describe: its length field is 16 bits. */
    public static final int MAX_HEADER_BYTES = V2_FIXED_BYTES + 0xffff;

    /** What a connection's first bytes are, for a server that accepts a header from some peers but does not require it. */
    public enum Signature {
        /** {@code "PROXY "}: a version 1 line. */
        V1,
        /** The 12-byte version 2 signature. */
        V2,
        /** Neither: no PROXY header (a plain HTTP request, for instance). */
        NONE,
        /** A prefix of a signature: wait for more bytes. */
        INCOMPLETE
    }

    static final byte[] V1_SIGNATURE = Bytes.ascii("PROXY ");
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private static final byte[] TCP4 = Bytes.ascii("TCP4 ");
    private static final byte[] TCP6 = Bytes.ascii("TCP6 ");
    private static final byte[] UNKNOWN = Bytes.ascii("UNKNOWN");
    private static final byte[] NO_TLVS = {};
    private static final byte[] ZERO_CRC = new byte[4];

    /** Longest authority HAProxy accepts (its HA_PP2_AUTHORITY_MAX); a DNS name is at most 253. */
    static final int MAX_AUTHORITY_BYTES = 255;
    /** Longest unique id, §2.2.5. */
    static final int MAX_UNIQUE_ID_BYTES = 128;

    private final int maxHeaderBytes;
    private final CRC32C crc = new CRC32C();
    private ProxyHeader header;

    /**
     * @param maxHeaderBytes largest version 2 header accepted, from {@value #MIN_MAX_HEADER_BYTES} to
     *                       {@value #MAX_HEADER_BYTES}; a larger one is rejected as soon as its length
     *                       field arrives, so a peer cannot make us buffer up to 64 KiB
     */
    public ProxyHeaderParser(int maxHeaderBytes) {
        if (maxHeaderBytes < MIN_MAX_HEADER_BYTES || maxHeaderBytes > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("maxHeaderBytes must be from " + MIN_MAX_HEADER_BYTES + " to "
                    + MAX_HEADER_BYTES + ", was " + maxHeaderBytes);
        }
        this.maxHeaderBytes = maxHeaderBytes;
    }

    /** Readies this parser for the next connection. */
    public void reset() {
        header = null;
    }

    /** The header the last {@link #parse} that returned more than {@link #NEED_MORE} read, or null. */
    public ProxyHeader header() {
        return header;
    }

    /** Says whether {@code buf[from..to)} starts with a version 1 or 2 signature, neither, or too few bytes to tell. */
    public static Signature signature(byte[] buf, int from, int to) {
        if (from == to) return Signature.INCOMPLETE;
        byte[] expected = buf[from] == V1_SIGNATURE[0] ? V1_SIGNATURE : buf[from] == V2_SIGNATURE[0] ? V2_SIGNATURE : null;
        if (expected == null) return Signature.NONE;
        int n = Math.min(to - from, expected.length);
        if (!Ascii.equalBytes(buf, from, expected, 0, n)) return Signature.NONE;
        if (n < expected.length) return Signature.INCOMPLETE;
        return expected == V1_SIGNATURE ? Signature.V1 : Signature.V2;
    }

    /**
     * Parses the header at the start of {@code buf[from..to)}. Returns {@link #NEED_MORE} until it is
     * complete, then its length in bytes, exactly: the bytes after it are not looked at.
     *
     * @throws BadRequestException (400) for bytes that are not a valid header, or a version 2 header
     *                             longer than {@code maxHeaderBytes}
     */
    public int parse(byte[] buf, int from, int to) {
        return switch (signature(buf, from, to)) {
            case V1 -> parseV1(buf, from, to);
            case V2 -> parseV2(buf, from, to);
            case INCOMPLETE -> NEED_MORE;
            case NONE -> throw BadRequestException.of(400, "connection does not start with a PROXY protocol header: it starts %s",
                    excerpt(buf, from, signatureMismatch(buf, from, to) + 1));
        };
    }

    /**
     * The index of the first byte that matches neither signature. The message shows the bytes up to
     * it and no further, so it is the same however many bytes have arrived.
     */
    private static int signatureMismatch(byte[] buf, int from, int to) {
        byte[] expected = buf[from] == V1_SIGNATURE[0] ? V1_SIGNATURE : V2_SIGNATURE;
        int i = from;
        while (i < to && i - from < expected.length && buf[i] == expected[i - from]) i++;
        return i;
    }

    // ---- version 1: "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n" (§2.1)

    private int parseV1(byte[] buf, int from, int to) {
        int cr = findV1LineEnd(buf, from, to);
        if (cr < 0) return NEED_MORE;
        header = parseV1Line(buf, from + V1_SIGNATURE.length, cr);
        return cr + 2 - from;
    }

    /** Returns the index of the CR of the line's CRLF, or -1 while it has not arrived. */
    private static int findV1LineEnd(byte[] buf, int from, int to) {
        int lastCr = from + V1_MAX_BYTES - 2;   // the longest line has its CR here and its LF at byte 107
        for (int i = from + V1_SIGNATURE.length; i < to; i++) {
            if (i > lastCr) throw BadRequestException.of(400, "PROXY v1 line has no CRLF in its first %d bytes", V1_MAX_BYTES);
            if (buf[i] == Ascii.LF) throw BadRequestException.of(400, "bare LF in PROXY v1 line at offset %d", i - from);
            if (buf[i] == Ascii.CR) {
                if (i + 1 == to) return -1;
                if (buf[i + 1] != Ascii.LF) throw BadRequestException.of(400, "bare CR in PROXY v1 line at offset %d", i - from);
                return i;
            }
        }
        return -1;
    }

    /** Parses what follows "PROXY " up to {@code end}, the CR. */
    private static ProxyHeader parseV1Line(byte[] buf, int at, int end) {
        if (startsWith(buf, at, end, UNKNOWN) && (at + UNKNOWN.length == end || buf[at + UNKNOWN.length] == Ascii.SP)) {
            // §2.1: "the receiver must ignore anything presented before the CRLF is found"
            return new ProxyHeader(1, Command.PROXY, Family.UNSPEC, null, null, NO_TLVS);
        }
        Family family = startsWith(buf, at, end, TCP4) ? Family.TCP4 : startsWith(buf, at, end, TCP6) ? Family.TCP6 : null;
        if (family == null) {
            int sp = indexOf(buf, at, end, Ascii.SP);
            throw BadRequestException.of(400, "PROXY v1 protocol %s is not TCP4, TCP6 or UNKNOWN", excerpt(buf, at, sp < 0 ? end : sp));
        }
        int sourceAt = at + TCP4.length;
        int destinationAt = fieldEnd(buf, sourceAt, end, "source address") + 1;
        int sourcePortAt = fieldEnd(buf, destinationAt, end, "destination address") + 1;
        int destinationPortAt = fieldEnd(buf, sourcePortAt, end, "source port") + 1;
        InetAddress source = v1Address(buf, sourceAt, destinationAt - 1, family, "source address");
        InetAddress destination = v1Address(buf, destinationAt, sourcePortAt - 1, family, "destination address");
        int sourcePort = v1Port(buf, sourcePortAt, destinationPortAt - 1, "source port");
        int destinationPort = v1Port(buf, destinationPortAt, end, "destination port");
        return new ProxyHeader(1, Command.PROXY, family, new InetSocketAddress(source, sourcePort),
                new InetSocketAddress(destination, destinationPort), NO_TLVS);
    }

    /** Returns the index of the single space that ends the field starting at {@code from}. */
    private static int fieldEnd(byte[] buf, int from, int end, String field) {
        int sp = indexOf(buf, from, end, Ascii.SP);
        if (sp < 0) {
            throw BadRequestException.of(400, "PROXY v1 line ends in the %s: expected source and destination addresses and ports", field);
        }
        if (sp == from) throw BadRequestException.of(400, "PROXY v1 %s is empty: fields are separated by exactly one space", field);
        return sp;
    }

    private static InetAddress v1Address(byte[] buf, int from, int to, Family family, String field) {
        boolean v4 = family == Family.TCP4;
        byte[] address = new byte[v4 ? IpLiterals.IPV4_BYTES : IpLiterals.IPV6_BYTES];
        if (v4 ? !IpLiterals.parseIpv4(buf, from, to, address, 0) : !IpLiterals.parseIpv6(buf, from, to, address, 0)) {
            throw BadRequestException.of(400, "PROXY v1 %s %s is not an %s address", field, excerpt(buf, from, to), v4 ? "IPv4" : "IPv6");
        }
        return inetAddress(address);
    }

    /** A decimal port 0 to 65535 without leading zero (§2.1: no confusion with octal). */
    private static int v1Port(byte[] buf, int from, int to, String field) {
        int port = 0;
        boolean valid = to > from && to - from <= 5 && (buf[from] != '0' || to - from == 1);
        for (int i = from; valid && i < to; i++) {
            valid = Ascii.isDigit(buf[i]);
            port = port * 10 + (buf[i] - '0');
        }
        if (!valid || port > 0xffff) {
            throw BadRequestException.of(400, "PROXY v1 %s %s is not a port: 0 to 65535 without leading zeros", field, excerpt(buf, from, to));
        }
        return port;
    }

    // ---- version 2: 16 fixed bytes, then the address block and TLVs (§2.2)

    private int parseV2(byte[] buf, int from, int to) {
        if (to - from < V2_FIXED_BYTES) return NEED_MORE;
        int versionAndCommand = buf[from + 12] & 0xff;
        if (versionAndCommand >>> 4 != 2) throw BadRequestException.of(400, "PROXY v2 header has version %d, expected 2", versionAndCommand >>> 4);
        Command command = switch (versionAndCommand & 0x0f) {
            case 0 -> Command.LOCAL;
            case 1 -> Command.PROXY;
            default -> throw BadRequestException.of(400, "PROXY v2 command 0x%x is neither LOCAL (0x0) nor PROXY (0x1)", versionAndCommand & 0x0f);
        };
        Family family = Family.ofCode(buf[from + 13] & 0xff);
        if (family == null) throw BadRequestException.of(400, "PROXY v2 address family and protocol 0x%02x is not one the spec defines", buf[from + 13] & 0xff);
        int length = u16(buf, from + 14);
        int total = V2_FIXED_BYTES + length;
        if (total > maxHeaderBytes) throw BadRequestException.of(400, "PROXY v2 header of %d bytes exceeds maxHeaderBytes=%d", total, maxHeaderBytes);
        if (to - from < total) return NEED_MORE;
        if (command == Command.LOCAL || family == Family.UNSPEC) {
            // §2.2: for LOCAL "discard the protocol block including the family"; for UNSPEC "ignore address information"
            header = new ProxyHeader(2, command, family, null, null, NO_TLVS);
            return total;
        }
        if (length < family.addressBytes) {
            throw BadRequestException.of(400, "PROXY v2 length %d is too short for %s, whose addresses take %d bytes", length, family, family.addressBytes);
        }
        int tlvsAt = from + V2_FIXED_BYTES + family.addressBytes;
        checkTlvs(buf, from, tlvsAt, from + total);
        header = new ProxyHeader(2, command, family, v2Address(buf, from + V2_FIXED_BYTES, family, true),
                v2Address(buf, from + V2_FIXED_BYTES, family, false), Arrays.copyOfRange(buf, tlvsAt, from + total));
        return total;
    }

    /** The source or destination of the address block at {@code at}: addresses first, then the ports (§2.2). */
    private static SocketAddress v2Address(byte[] buf, int at, Family family, boolean source) {
        return switch (family) {
            case TCP4, UDP4, TCP6, UDP6 -> {
                int size = family == Family.TCP4 || family == Family.UDP4 ? IpLiterals.IPV4_BYTES : IpLiterals.IPV6_BYTES;
                int addressAt = source ? at : at + size;
                int portAt = at + 2 * size + (source ? 0 : 2);
                yield new InetSocketAddress(inetAddress(Arrays.copyOfRange(buf, addressAt, addressAt + size)), u16(buf, portAt));
            }
            case UNIX_STREAM, UNIX_DGRAM -> unixAddress(buf, source ? at : at + 108, source ? "source" : "destination");
            case UNSPEC -> throw new IllegalArgumentException("UNSPEC has no addresses");
        };
    }

    /** The path in a 108-byte {@code sun_path}: up to its first NUL, as UTF-8. */
    private static SocketAddress unixAddress(byte[] buf, int at, String field) {
        int end = indexOf(buf, at, at + 108, (byte) 0);
        String path = new String(buf, at, (end < 0 ? at + 108 : end) - at, StandardCharsets.UTF_8);
        try {
            return UnixDomainSocketAddress.of(path);
        } catch (InvalidPathException e) {
            throw BadRequestException.of(400, "PROXY v2 %s path %s is not a path: %s", field, excerpt(buf, at, end < 0 ? at + 108 : end), e.getReason());
        }
    }

    /**
     * Checks the TLVs in {@code buf[from..to)} of the header at {@code header}: each a type byte, a
     * 2-byte length and that many bytes, filling the block exactly; a CRC32c that matches; lengths
     * within the spec's and HAProxy's limits; the SSL TLV's sub-TLVs as well formed as the rest.
     */
    private void checkTlvs(byte[] buf, int header, int from, int to) {
        boolean crcSeen = false;
        for (int i = from; i < to; ) {
            int end = tlvValueEnd(buf, header, i, to, "TLV");
            int valueAt = i + 3;
            int length = end - valueAt;
            switch (buf[i] & 0xff) {
                case ProxyHeader.TLV_CRC32C -> {
                    if (crcSeen) throw BadRequestException.of(400, "PROXY v2 header has more than one CRC32c TLV");
                    crcSeen = true;
                    checkCrc(buf, header, to, valueAt, length);
                }
                case ProxyHeader.TLV_AUTHORITY -> checkMaxLength("authority", length, MAX_AUTHORITY_BYTES);
                case ProxyHeader.TLV_UNIQUE_ID -> checkMaxLength("unique id", length, MAX_UNIQUE_ID_BYTES);
                case ProxyHeader.TLV_SSL -> checkSsl(buf, header, valueAt, length);
                default -> { }   // §2.2: a receiver may skip the TLVs it does not use
            }
            i = end;
        }
    }

    /** Returns the end of the value of the TLV at {@code at}, checking that its type, length and value fit before {@code to}. */
    private static int tlvValueEnd(byte[] buf, int header, int at, int to, String what) {
        if (to - at < 3) {
            throw BadRequestException.of(400, "PROXY v2 %s at offset %d is cut short: %d bytes left, a TLV takes at least 3", what, at - header, to - at);
        }
        int length = u16(buf, at + 1);
        if (length > to - at - 3) {
            throw BadRequestException.of(400, "PROXY v2 %s 0x%02x at offset %d has length %d, but only %d bytes follow",
                    what, buf[at] & 0xff, at - header, length, to - at - 3);
        }
        return at + 3 + length;
    }

    /** §2.2.3: the CRC32c of the whole header, computed with the checksum's own 4 bytes as zeros. */
    private void checkCrc(byte[] buf, int header, int end, int valueAt, int length) {
        if (length != 4) throw BadRequestException.of(400, "PROXY v2 CRC32c TLV has %d bytes, expected 4", length);
        crc.reset();
        crc.update(buf, header, valueAt - header);
        crc.update(ZERO_CRC, 0, 4);
        crc.update(buf, valueAt + 4, end - valueAt - 4);
        int computed = (int) crc.getValue();
        int sent = u16(buf, valueAt) << 16 | u16(buf, valueAt + 2);
        if (computed != sent) throw BadRequestException.of(400, "PROXY v2 CRC32c is 0x%08x, but the header's bytes give 0x%08x", sent, computed);
    }

    private static void checkMaxLength(String what, int length, int max) {
        if (length > max) throw BadRequestException.of(400, "PROXY v2 %s TLV has %d bytes, more than %d", what, length, max);
    }

    /** §2.2.6: a client byte and a 4-byte verify result, then sub-TLVs. */
    private static void checkSsl(byte[] buf, int header, int valueAt, int length) {
        if (length < ProxyHeader.Ssl.FIXED_BYTES) {
            throw BadRequestException.of(400, "PROXY v2 SSL TLV has %d bytes, fewer than the %d of its client and verify fields",
                    length, ProxyHeader.Ssl.FIXED_BYTES);
        }
        int end = valueAt + length;
        for (int i = valueAt + ProxyHeader.Ssl.FIXED_BYTES; i < end; ) i = tlvValueEnd(buf, header, i, end, "SSL sub-TLV");
    }

    // ---- bytes

    private static InetAddress inetAddress(byte[] address) {
        try {
            // Inet6Address keeps an IPv4-mapped address in its family; InetAddress.getByAddress would make it an Inet4Address.
            return address.length == IpLiterals.IPV4_BYTES ? InetAddress.getByAddress(address) : Inet6Address.getByAddress(null, address, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of 4 or 16 bytes is always valid", e);
        }
    }

    private static int u16(byte[] buf, int at) {
        return (buf[at] & 0xff) << 8 | (buf[at + 1] & 0xff);
    }

    private static boolean startsWith(byte[] buf, int from, int to, byte[] prefix) {
        return to - from >= prefix.length && Ascii.equalBytes(buf, from, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] buf, int from, int to, byte b) {
        for (int i = from; i < to; i++) if (buf[i] == b) return i;
        return -1;
    }

    /** Up to 40 bytes of {@code buf[from..to)} in quotes for a message, with any byte outside printable ASCII as {@code \xNN}. */
    static String excerpt(byte[] buf, int from, int to) {
        StringBuilder s = new StringBuilder("\"");
        for (int i = from; i < Math.min(to, from + 40); i++) {
            int b = buf[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') s.append((char) b);
            else s.append(String.format("\\x%02x", b));
        }
        return s.append(to - from > 40 ? "\"..." : "\"").toString();
    }
}
