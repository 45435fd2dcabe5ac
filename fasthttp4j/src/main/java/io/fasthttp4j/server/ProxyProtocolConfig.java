package io.fasthttp4j.server;

import io.fasthttp4j.internal.bytes.IpLiterals;
import io.fasthttp4j.internal.codec.ProxyHeaderParser;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether a server reads the PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2)
 * that a load balancer sends before the client's bytes, and from which peers it believes one.
 * Immutable; build with {@link #builder(Mode)}, or use {@link #off()}.
 *
 * <p>A header tells the server the client's address, so a peer that may send one can make us log,
 * count and rate-limit connections under any address it likes. The spec requires the receiver to
 * accept headers only from trusted proxies: list them with {@link Builder#trust}. A malformed header
 * gets the connection closed.
 */
public final class ProxyProtocolConfig {
    /** How a server treats a connection's first bytes. */
    public enum Mode {
        /** No header is read: a connection's first bytes are HTTP. */
        OFF,
        /**
         * A trusted peer may start with a header or go straight to HTTP; an untrusted peer's bytes are
         * HTTP, whatever they start with. Risk: the spec says a receiver "MUST not try to guess whether
         * the protocol header is present", because a port shared by proxies and clients lets a client
         * pose as a proxy. Trusting only the proxies' own addresses keeps that out; use this mode while
         * moving a port behind a proxy, and REQUIRED once every connection comes through it.
         */
        OPTIONAL,
        /**
         * Every connection must start with a header, and only trusted peers are served: the
         * connection of an untrusted peer, or one whose first bytes are not a header, is closed.
         */
        REQUIRED
    }

    /** Default of {@link Builder#headerTimeout(Duration)}: 5 s. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(5);
    /** Default of {@link Builder#maxHeaderBytes(int)}. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 4096;
    /** Smallest {@link Builder#maxHeaderBytes(int)}: a version 2 header with UNIX addresses and no TLV. */
    public static final int MIN_MAX_HEADER_BYTES = ProxyHeaderParser.MIN_MAX_HEADER_BYTES;
    /** Largest {@link Builder#maxHeaderBytes(int)}: the most a version 2 length field can describe. */
    public static final int MAX_MAX_HEADER_BYTES = ProxyHeaderParser.MAX_HEADER_BYTES;

    private static final ProxyProtocolConfig OFF = builder(Mode.OFF).build();

    private final Mode mode;
    private final List<String> trustedSources;
    private final Cidr[] trusted;
    private final boolean trustsUnixPeers;
    private final Duration headerTimeout;
    private final int maxHeaderBytes;

    private ProxyProtocolConfig(Builder b) {
        mode = b.mode;
        trustsUnixPeers = b.trustsUnixPeers;
        trustedSources = List.copyOf(b.trustedSources);
        trusted = b.trusted.toArray(new Cidr[0]);
        headerTimeout = b.headerTimeout;
        maxHeaderBytes = b.maxHeaderBytes;
    }

    /** No PROXY protocol: the default of a server. */
    public static ProxyProtocolConfig off() {
        return OFF;
    }

    /** Returns a builder for {@code mode}, trusting no peer yet. */
    public static Builder builder(Mode mode) {
        return new Builder(Objects.requireNonNull(mode, "mode"));
    }

    public Mode mode() {
        return mode;
    }

    /** The trusted blocks as they were given, in order. */
    public List<String> trustedSources() {
        return trustedSources;
    }

    public Duration headerTimeout() {
        return headerTimeout;
    }

    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /**
     * True when {@code peer}, a connection's real remote address, is in a trusted block. An
     * IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1}) is matched as the IPv4 address it maps,
     * so one block covers a proxy whichever way the socket reports it.
     */
    public boolean trusts(InetAddress peer) {
        byte[] address = Cidr.unmapped(peer.getAddress());
        for (Cidr block : trusted) {
            if (block.contains(address)) return true;
        }
        return false;
    }

    /** True when peers on a Unix domain socket listener are trusted (they have no address to match a block). */
    public boolean trustsUnixPeers() {
        return trustsUnixPeers;
    }

    @Override
    public String toString() {
        return "ProxyProtocolConfig[mode=" + mode + ", trustedSources=" + trustedSources + ", trustsUnixPeers=" + trustsUnixPeers
                + ", headerTimeout=" + headerTimeout
                + ", maxHeaderBytes=" + maxHeaderBytes + "]";
    }

    /** Collects the settings; each setter rejects a bad value with {@link IllegalArgumentException}. */
    public static final class Builder {
        private final Mode mode;
        private final List<String> trustedSources = new ArrayList<>();
        private final List<Cidr> trusted = new ArrayList<>();
        private boolean trustsUnixPeers;
        private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;
        private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;

        private Builder(Mode mode) {
            this.mode = mode;
        }

        /**
         * Adds the blocks of peers whose header is believed, in CIDR notation: {@code "10.0.0.0/8"},
         * {@code "127.0.0.1/32"}, {@code "::1/128"}. The address must be the block's first (no bits set
         * past the prefix: {@code 10.0.0.1/8} is probably a typo, and rejected). {@code "0.0.0.0/0"}
         * and {@code "::/0"} together trust every peer, which is only safe where nothing but the
         * proxies can reach the port.
         */
        public Builder trust(String... cidrs) {
            for (String cidr : cidrs) {
                trusted.add(Cidr.parse(Objects.requireNonNull(cidr, "cidr")));
                trustedSources.add(cidr);
            }
            return this;
        }

        /**
         * Trusts every peer of a Unix domain socket listener ({@code "unix:/path"}). Such a peer has no
         * address, so no block can name it, and without this it is untrusted: with REQUIRED its
         * connections are refused. Who may connect is decided by the socket file's permissions, so
         * trust it when only the proxy can write to the file.
         */
        public Builder trustUnixPeers() {
            trustsUnixPeers = true;
            return this;
        }

        /**
         * Longest a connection may take to send its whole header, from when it is accepted. Default 5 s:
         * the spec suggests "a few seconds (at least 3 seconds to cover a TCP retransmit)". Past it the
         * connection is closed, so a peer cannot hold a connection open by sending nothing.
         */
        public Builder headerTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "headerTimeout");
            if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("headerTimeout must be positive, was " + timeout);
            headerTimeout = timeout;
            return this;
        }

        /**
         * Largest version 2 header accepted, TLVs included. Default {@value #DEFAULT_MAX_HEADER_BYTES};
         * from {@value #MIN_MAX_HEADER_BYTES} to {@value #MAX_MAX_HEADER_BYTES}. A header that declares
         * more is rejected as soon as its length arrives and the connection is closed: otherwise a peer
         * could make us buffer 64 KiB before the first byte of HTTP. (A version 1 line is at most 107 bytes.)
         */
        public Builder maxHeaderBytes(int bytes) {
            if (bytes < MIN_MAX_HEADER_BYTES || bytes > MAX_MAX_HEADER_BYTES) {
                throw new IllegalArgumentException("maxHeaderBytes must be from " + MIN_MAX_HEADER_BYTES + " to "
                        + MAX_MAX_HEADER_BYTES + ", was " + bytes);
            }
            maxHeaderBytes = bytes;
            return this;
        }

        /** @throws IllegalArgumentException for OPTIONAL or REQUIRED with no trusted block: no header would ever be believed */
        public ProxyProtocolConfig build() {
            if (mode != Mode.OFF && trusted.isEmpty() && !trustsUnixPeers) {
                throw new IllegalArgumentException("proxy protocol " + mode
                        + " needs at least one trusted source, such as \"10.0.0.0/8\", or trustUnixPeers()");
            }
            return new ProxyProtocolConfig(this);
        }
    }

    /** One block of addresses: the first address and the prefix length, IPv4-mapped IPv6 ones stored as IPv4. */
    private record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            byte[] chars = new byte[text.length()];
            for (int i = 0; i < chars.length; i++) {
                char c = text.charAt(i);
                if (c <= ' ' || c >= 0x7f) throw invalid(text, String.format("character U+%04X at index %d", (int) c, i));
                chars[i] = (byte) c;
            }
            int slash = text.indexOf('/');
            if (slash < 0) throw invalid(text, "no /prefix");
            byte[] address = new byte[IpLiterals.IPV6_BYTES];
            boolean v4 = text.indexOf(':') < 0;
            if (v4 ? !IpLiterals.parseIpv4(chars, 0, slash, address, 0) : !IpLiterals.parseIpv6(chars, 0, slash, address, 0)) {
                throw invalid(text, "not an IP address before the /");
            }
            byte[] network = java.util.Arrays.copyOf(address, v4 ? IpLiterals.IPV4_BYTES : IpLiterals.IPV6_BYTES);
            int prefix = parsePrefix(text, slash + 1, network.length * 8);
            if (!v4 && prefix >= 96 && isMapped(network)) {   // ::ffff:10.0.0.0/104 is 10.0.0.0/8
                network = java.util.Arrays.copyOfRange(network, 12, 16);
                prefix -= 96;
            }
            for (int bit = prefix; bit < network.length * 8; bit++) {
                if ((network[bit / 8] & (0x80 >>> (bit % 8))) != 0) throw invalid(text, "the address has bits set past the prefix");
            }
            return new Cidr(network, prefix);
        }

        private static int parsePrefix(String text, int from, int maxBits) {
            int digits = text.length() - from;
            boolean valid = digits >= 1 && digits <= 3 && (text.charAt(from) != '0' || digits == 1);
            int prefix = 0;
            for (int i = from; valid && i < text.length(); i++) {
                char c = text.charAt(i);
                valid = c >= '0' && c <= '9';
                prefix = prefix * 10 + (c - '0');
            }
            if (!valid || prefix > maxBits) throw invalid(text, "the prefix is not a number from 0 to " + maxBits);
            return prefix;
        }

        private static IllegalArgumentException invalid(String text, String why) {
            return new IllegalArgumentException("trusted source \"" + text + "\" is not a CIDR block like 10.0.0.0/8 or ::1/128: " + why);
        }

        static boolean isMapped(byte[] a) {
            if (a.length != IpLiterals.IPV6_BYTES || a[10] != (byte) 0xff || a[11] != (byte) 0xff) return false;
            for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
            return true;
        }

        /** The address, or the IPv4 address an IPv4-mapped IPv6 one stands for. */
        static byte[] unmapped(byte[] a) {
            return isMapped(a) ? java.util.Arrays.copyOfRange(a, 12, 16) : a;
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) return false;
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) if (address[i] != network[i]) return false;
            int rest = prefix % 8;
            return rest == 0 || ((address[whole] ^ network[whole]) & (0xff00 >>> rest) & 0xff) == 0;
        }
    }
}
