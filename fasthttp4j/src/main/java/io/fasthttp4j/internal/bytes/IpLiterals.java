package io.fasthttp4j.internal.bytes;

/**
 * Strict parsing of IP address literals from bytes into their binary form, never a DNS lookup (which
 * {@code InetAddress.getByName} may do for text that is not a literal): IPv4 dotted decimal and IPv6
 * text (RFC 4291 §2.2). For addresses that arrive as text and must not be resolved: PROXY protocol
 * v1 lines and trusted-proxy CIDR blocks. Allocates nothing.
 */
public final class IpLiterals {
    private IpLiterals() {
    }

    /** Bytes of an IPv4 address. */
    public static final int IPV4_BYTES = 4;
    /** Bytes of an IPv6 address. */
    public static final int IPV6_BYTES = 16;

    /**
     * Parses {@code b[from..to)} as exactly four decimal numbers 0 to 255 separated by single dots,
     * into {@code out[at..at+4)}. No leading zero ({@code 010} reads as octal to some parsers, so
     * two readers could disagree on the address), no sign, no spaces. Returns false for anything else,
     * leaving {@code out} partly written.
     */
    public static boolean parseIpv4(byte[] b, int from, int to, byte[] out, int at) {
        int i = from;
        for (int part = 0; part < IPV4_BYTES; part++) {
            if (part > 0) {
                if (i == to || b[i] != '.') return false;
                i++;
            }
            int start = i;
            int value = 0;
            while (i < to && i - start < 3 && Ascii.isDigit(b[i])) value = value * 10 + (b[i++] - '0');
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && b[start] == '0')) return false;
            out[at + part] = (byte) value;
        }
        return i == to;
    }

    /**
     * Parses {@code b[from..to)} as an IPv6 address in RFC 4291 §2.2 text form into
     * {@code out[at..at+16)}: eight groups of 1 to 4 hex digits (either case) separated by single
     * colons; at most one {@code ::} standing for one or more zero groups; and optionally the last 32
     * bits as a dotted IPv4 address ({@code ::ffff:10.0.0.1}), as {@code inet_ntop} writes mapped
     * addresses. No zone ({@code %eth0}), no brackets. Returns false for anything else, leaving
     * {@code out} partly written.
     */
    public static boolean parseIpv6(byte[] b, int from, int to, byte[] out, int at) {
        int groups = 0;   // 16-bit groups written so far
        int gap = -1;     // how many groups stood before the "::", or -1 if none
        int i = from;
        if (to - from >= 2 && b[i] == ':' && b[i + 1] == ':') {
            gap = 0;
            i += 2;
        } else if (i < to && b[i] == ':') {
            return false;
        }
        while (i < to) {
            if (groups == 8) return false;
            int start = i;
            int value = 0;
            while (i < to && i - start < 4 && Ascii.hexValue(b[i]) >= 0) value = value << 4 | Ascii.hexValue(b[i++]);
            if (i == start) return false;
            if (i < to && b[i] == '.') {   // the last 32 bits as IPv4: nothing may follow them
                if (groups > 6 || !parseIpv4(b, start, to, out, at + 2 * groups)) return false;
                groups += 2;
                break;
            }
            out[at + 2 * groups] = (byte) (value >>> 8);
            out[at + 2 * groups + 1] = (byte) value;
            groups++;
            if (i == to) break;
            if (b[i++] != ':') return false;   // also a fifth hex digit
            if (i < to && b[i] == ':') {
                if (gap >= 0) return false;
                gap = groups;
                i++;
            } else if (i == to) {
                return false;   // a single trailing colon
            }
        }
        return gap < 0 ? groups == 8 : groups < 8 && expandGap(out, at, gap, groups);
    }

    /** Moves the groups written after the "::" to the end and zeroes the ones it stands for. */
    private static boolean expandGap(byte[] out, int at, int gap, int groups) {
        int tailBytes = 2 * (groups - gap);
        System.arraycopy(out, at + 2 * gap, out, at + IPV6_BYTES - tailBytes, tailBytes);
        for (int k = at + 2 * gap; k < at + IPV6_BYTES - tailBytes; k++) out[k] = 0;
        return true;
    }
}
