package io.fasthttp4j;

import static io.fasthttp4j.UriParser.indexOf;
import static io.fasthttp4j.UriParser.lastIndexOf;

import io.fasthttp4j.internal.bytes.Ascii;
import io.fasthttp4j.internal.bytes.PercentCodec;
import io.fasthttp4j.pool.ByteBuf;

/**
 * A {@link Uri}'s path and its normal form: percent-decoded, with "." and ".." segments resolved and
 * empty ones dropped (RFC 3986 §5.2.4), and a reference's path merged with the base's (§5.2.3).
 */
final class UriPaths {
    private UriPaths() {
    }

    /**
     * Sets {@code uri}'s original path to {@code buf[from..to)} and its path to that decoded and
     * normalised; returns -1. Or changes nothing and returns the index of a bad percent-escape. A
     * rootless path ("h" in "g:h") is decoded only, unless {@code forceRoot} adds the leading '/'.
     */
    static int set(Uri uri, byte[] buf, int from, int to, boolean forceRoot) {
        ByteBuf path = uri.path;
        if (isPlainRootedPath(buf, from, to)) {   // the common case: nothing to decode or resolve
            uri.pathOriginal.reset();
            uri.pathOriginal.append(buf, from, to - from);
            path.reset();
            path.append(buf, from, to - from);
            return -1;
        }
        int bad = PercentCodec.indexOfBadEscape(buf, from, to);
        if (bad >= 0) return bad;
        uri.pathOriginal.reset();
        uri.pathOriginal.append(buf, from, to - from);
        path.reset();
        if (forceRoot && (from == to || buf[from] != '/')) path.append((byte) '/');
        PercentCodec.decodeStrict(buf, from, to, path);
        if (!path.isEmpty() && path.array()[0] == '/') removeDotSegments(path);
        return -1;
    }

    /**
     * RFC 3986 §5.2.3: sets {@code uri}'s path from the reference path {@code ref[0..to)}, which is not
     * empty. An absolute reference path replaces the path; a relative one replaces its last segment.
     */
    static void merge(Uri uri, byte[] ref, int to) {
        ByteBuf merged = uri.merged;
        ByteBuf path = uri.path;
        merged.reset();
        if (ref[0] != '/') {
            if (uri.hasAuthority && path.isEmpty()) {
                merged.append((byte) '/');
            } else {
                PercentCodec.encodePath(path.array(), 0, lastIndexOf(path.array(), 0, path.length(), '/') + 1, merged);
            }
        }
        merged.append(ref, 0, to);
        int bad = set(uri, merged.array(), 0, merged.length(), false);
        if (bad >= 0) throw BadRequestException.of(400, "invalid percent-escape in path at offset %d", bad);
    }

    /** True when every byte of {@code buf[from..to)} may appear in a request-target (parse would accept them). */
    static boolean areTargetChars(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) if (!Ascii.isTargetChar(buf[i])) return false;
        return true;
    }

    /**
     * True for "/" followed by visible ASCII bytes without '%' (nothing to decode) in which no '/' is
     * followed by '.' or '/' (no dot segment, no empty segment): such a path is its own normal form.
     */
    static boolean isPlainRootedPath(byte[] buf, int from, int to) {
        if (from == to || buf[from] != '/') return false;
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b == '%' || !Ascii.isTargetChar(b)) return false;
            if (b == '/' && i + 1 < to && (buf[i + 1] == '.' || buf[i + 1] == '/')) return false;
        }
        return true;
    }

    // RFC 3986 §5.2.4 in place, on a path that starts with '/': "." and ".." resolved (never above
    // the root), empty segments ("//") dropped, a trailing slash kept. Output never outruns input.
    private static void removeDotSegments(ByteBuf p) {
        byte[] a = p.array();
        int n = p.length();
        int w = 0;
        for (int r = 0; r < n; ) {                      // a[r] == '/'
            int s = r + 1;
            while (s < n && a[s] == '/') s++;
            int e = indexOf(a, s, n, '/');
            boolean dot = e - s == 1 && a[s] == '.';
            boolean dotDot = e - s == 2 && a[s] == '.' && a[s + 1] == '.';
            if (dotDot) w = Math.max(lastIndexOf(a, 0, w, '/'), 0);   // drop the last output segment
            if (dot || dotDot) {
                if (e == n) a[w++] = '/';
            } else {
                a[w++] = '/';
                System.arraycopy(a, s, a, w, e - s);
                w += e - s;
            }
            r = e;
        }
        p.setLength(w);
    }
}
