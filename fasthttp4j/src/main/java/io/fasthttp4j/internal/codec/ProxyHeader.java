package io.fasthttp4j.internal.codec;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A decoded PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2): who the proxy
 * says the connection is from and to, and for version 2 the TLVs it added. Immutable; made once per
 * connection by {@link ProxyHeaderParser}, and owns copies of its bytes, so it may be kept for the
 * connection's life.
 *
 * <p>When {@link #usesRealAddresses()} is true (a LOCAL command, a proxy's own health check; or an
 * UNSPEC family, version 1's {@code UNKNOWN}) the header carries no addresses: use the socket's.
 */
public final class ProxyHeader {
    /** The version 2 command: what the connection is. Version 1 has only PROXY. */
    public enum Command {
        /** Opened by the proxy itself (a health check): the socket's addresses are the real ones. */
        LOCAL,
        /** Relayed for a client: the header's addresses are the real ones. */
        PROXY
    }

    /**
     * The address family and transport of the relayed connection: version 2's 14th byte, each valid
     * value of which has a constant here; version 1 has TCP4, TCP6 and {@code UNKNOWN}, read as UNSPEC.
     */
    public enum Family {
        UNSPEC(0x00, 0), TCP4(0x11, 12), UDP4(0x12, 12), TCP6(0x21, 36), UDP6(0x22, 36), UNIX_STREAM(0x31, 216), UNIX_DGRAM(0x32, 216);

        final int code;
        /** Bytes of the version 2 address block: two addresses, then two ports for IP. */
        final int addressBytes;

        Family(int code, int addressBytes) {
            this.code = code;
            this.addressBytes = addressBytes;
        }

        private static final Family[] BY_CODE = new Family[256];

        static {
            for (Family f : values()) BY_CODE[f.code] = f;
        }

        /** The family with version 2 code {@code code} (0 to 255), or null for a value the spec does not define. */
        static Family ofCode(int code) {
            return BY_CODE[code];
        }
    }

    /** TLV type: the protocol the client negotiated with the proxy by ALPN, such as {@code h2}. */
    public static final int TLV_ALPN = 0x01;
    /** TLV type: the host name the client asked for (TLS SNI), UTF-8. */
    public static final int TLV_AUTHORITY = 0x02;
    /** TLV type: CRC32c of the whole header, checked by the parser. */
    public static final int TLV_CRC32C = 0x03;
    /** TLV type: padding, ignored. */
    public static final int TLV_NOOP = 0x04;
    /** TLV type: an opaque id of the connection, at most 128 bytes, for correlating logs across proxies. */
    public static final int TLV_UNIQUE_ID = 0x05;
    /** TLV type: how the client reached the proxy over TLS; see {@link #ssl()}. */
    public static final int TLV_SSL = 0x20;
    /** TLV type: the proxy's network namespace, US-ASCII. */
    public static final int TLV_NETNS = 0x30;

    private static final byte[] NO_TLVS = {};

    private final int version;
    private final Command command;
    private final Family family;
    private final SocketAddress source;
    private final SocketAddress destination;
    private final byte[] tlvs;   // the TLV bytes as sent, already checked by the parser to be well formed

    ProxyHeader(int version, Command command, Family family, SocketAddress source, SocketAddress destination, byte[] tlvs) {
        this.version = version;
        this.command = command;
        this.family = family;
        this.source = source;
        this.destination = destination;
        this.tlvs = tlvs.length == 0 ? NO_TLVS : tlvs;
    }

    /** 1 for the text header, 2 for the binary one. */
    public int version() {
        return version;
    }

    public Command command() {
        return command;
    }

    public Family family() {
        return family;
    }

    /** True when the header names no addresses (LOCAL, or UNSPEC): use the socket's own. */
    public boolean usesRealAddresses() {
        return source == null;
    }

    /**
     * The client's address as the proxy saw it, or null when {@link #usesRealAddresses()}: an
     * {@code InetSocketAddress} for TCP and UDP (an {@code Inet6Address} for TCP6 and UDP6, even an
     * IPv4-mapped one), a {@code UnixDomainSocketAddress} for UNIX (the path up to its first NUL; the
     * name of an abstract socket, which starts with NUL, is not kept).
     */
    public SocketAddress source() {
        return source;
    }

    /** The address the client connected to, as {@link #source()}. */
    public SocketAddress destination() {
        return destination;
    }

    /** The value of the first TLV of type {@code type} (0 to 255), as a new array, or null if none. */
    public byte[] tlv(int type) {
        return Tlvs.value(tlvs, 0, tlvs.length, type);
    }

    /** The ALPN protocol ({@value #TLV_ALPN}) as ISO-8859-1 text (one char per byte), or null. */
    public String alpn() {
        byte[] value = tlv(TLV_ALPN);
        return value == null ? null : new String(value, StandardCharsets.ISO_8859_1);
    }

    /** The authority ({@value #TLV_AUTHORITY}), the name the client asked for, or null. */
    public String authority() {
        byte[] value = tlv(TLV_AUTHORITY);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** The unique id ({@value #TLV_UNIQUE_ID}), or null. */
    public byte[] uniqueId() {
        return tlv(TLV_UNIQUE_ID);
    }

    /** The SSL TLV ({@value #TLV_SSL}) decoded, or null if the proxy sent none. A new object each call. */
    public Ssl ssl() {
        byte[] value = tlv(TLV_SSL);
        return value == null ? null : Ssl.of(value);
    }

    /**
     * The PP2_TYPE_SSL TLV: how the client reached the proxy. {@code client} is a bit field of
     * {@link #CLIENT_SSL}, {@link #CLIENT_CERT_CONN} and {@link #CLIENT_CERT_SESS}; {@code verify} is 0
     * when the client's certificate was verified. The strings come from sub-TLVs and are null when absent.
     */
    public record Ssl(int client, int verify, String version, String cipher, String signatureAlgorithm,
                      String keyAlgorithm, String commonName) {
        /** The client connected over TLS. */
        public static final int CLIENT_SSL = 0x01;
        /** The client presented a certificate on this connection. */
        public static final int CLIENT_CERT_CONN = 0x02;
        /** The client presented a certificate at least once in this TLS session. */
        public static final int CLIENT_CERT_SESS = 0x04;

        static final int SUBTYPE_VERSION = 0x21;
        static final int SUBTYPE_CN = 0x22;
        static final int SUBTYPE_CIPHER = 0x23;
        static final int SUBTYPE_SIG_ALG = 0x24;
        static final int SUBTYPE_KEY_ALG = 0x25;
        /** The client and verify fields before the sub-TLVs. */
        static final int FIXED_BYTES = 5;

        static Ssl of(byte[] v) {
            int verify = (v[1] & 0xff) << 24 | (v[2] & 0xff) << 16 | (v[3] & 0xff) << 8 | (v[4] & 0xff);
            return new Ssl(v[0] & 0xff, verify, sub(v, SUBTYPE_VERSION, StandardCharsets.US_ASCII),
                    sub(v, SUBTYPE_CIPHER, StandardCharsets.US_ASCII), sub(v, SUBTYPE_SIG_ALG, StandardCharsets.US_ASCII),
                    sub(v, SUBTYPE_KEY_ALG, StandardCharsets.US_ASCII), sub(v, SUBTYPE_CN, StandardCharsets.UTF_8));
        }

        private static String sub(byte[] v, int type, java.nio.charset.Charset charset) {
            byte[] value = Tlvs.value(v, FIXED_BYTES, v.length, type);
            return value == null ? null : new String(value, charset);
        }

        /** True when the client connected to the proxy over TLS. */
        public boolean isTls() {
            return (client & CLIENT_SSL) != 0;
        }

        /** True when the client presented a certificate and the proxy verified it. */
        public boolean hasVerifiedClientCert() {
            return (client & (CLIENT_CERT_CONN | CLIENT_CERT_SESS)) != 0 && verify == 0;
        }
    }

    /** Walks TLVs (type, 2-byte length, value) already checked to be well formed. */
    static final class Tlvs {
        private Tlvs() {
        }

        /** The value of the first TLV of {@code type} in {@code b[from..to)}, copied, or null. */
        static byte[] value(byte[] b, int from, int to, int type) {
            for (int i = from; i + 3 <= to; ) {
                int length = (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff);
                if ((b[i] & 0xff) == type) return Arrays.copyOfRange(b, i + 3, i + 3 + length);
                i += 3 + length;
            }
            return null;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxyHeader h && version == h.version && command == h.command && family == h.family
                && Objects.equals(source, h.source) && Objects.equals(destination, h.destination) && Arrays.equals(tlvs, h.tlvs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, command, family, source, destination, Arrays.hashCode(tlvs));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ProxyHeader[v").append(version).append(' ').append(command).append(' ').append(family);
        if (source != null) s.append(' ').append(source).append(" -> ").append(destination);
        if (tlvs.length > 0) s.append(" tlvs=").append(java.util.HexFormat.of().formatHex(tlvs));
        return s.append(']').toString();
    }
}
