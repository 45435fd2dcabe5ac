package io.fasthttp4j;

import io.fasthttp4j.internal.bytes.Bytes;
import io.fasthttp4j.internal.bytes.Ascii;
import io.fasthttp4j.pool.ByteBuf;
import io.fasthttp4j.pool.ObjectPool;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes a body's content codings (RFC 9110 §8.4.1) with the JDK's zlib: gzip (also x-gzip, any
 * number of concatenated members), deflate (zlib-wrapped as the RFC says, or raw as some servers
 * send and browsers accept) and identity. The output is bounded: past {@code maxBytes} decoding stops
 * with an error, so a small bomb cannot exhaust memory. Strict: a truncated stream, a bad checksum or
 * bytes after the end are errors, never silently dropped. Not the zero-allocation path: a call may
 * allocate a little (a CRC32, an exception), but Inflaters come from a pool and the output goes into
 * the caller's reusable buffer. Thread-safe.
 */
public final class ContentDecoder {
    private ContentDecoder() {
    }

    /** Most content codings in one message; more is an error (no real server stacks more than two). */
    static final int MAX_CODINGS = 8;

    private static final int GZIP = 1;
    private static final int DEFLATE = 2;

    // An Inflater holds native zlib state (~40 KB once used): shared pools keep a few warm instead of one per Response.
    private static final ObjectPool<Inflater> RAW = new ObjectPool<>("Inflater(nowrap)", 16, () -> new Inflater(true), Inflater::reset, false);
    private static final ObjectPool<Inflater> ZLIB = new ObjectPool<>("Inflater", 16, Inflater::new, Inflater::reset, false);

    /**
     * Decodes {@code body} by the codings the Content-Encoding fields of {@code fields} list, the last
     * applied first. Returns false when there is nothing to decode (no coding but identity, or an
     * empty body): then {@code dst} is untouched and the body is its own decoding. Otherwise the
     * decoded body replaces {@code dst}'s content; {@code scratch} holds intermediate results when
     * several codings are stacked.
     */
    public static boolean decode(HeaderFields fields, ByteView body, ByteBuf dst, ByteBuf scratch, long maxBytes)
            throws ContentEncodingException {
        int[] codings = new int[MAX_CODINGS];
        int count = codings(fields, codings);
        if (count == 0 || body.isEmpty()) return false;   // a 204, 304 or HEAD response may name a coding and have no body
        byte[] src = body.array();
        int from = body.offset();
        int length = body.length();
        for (int i = count - 1; i >= 0; i--) {
            ByteBuf target = i % 2 == 0 ? dst : scratch;   // so that the last step (i == 0) lands in dst
            target.reset();
            if (codings[i] == GZIP) gunzip(src, from, length, target, maxBytes);
            else inflate(src, from, length, target, maxBytes);
            src = target.array();
            from = 0;
            length = target.length();
        }
        return true;
    }

    /** Collects the non-identity codings in the order they were applied; returns how many. */
    private static int codings(HeaderFields fields, int[] codings) throws ContentEncodingException {
        int count = 0;
        for (int f = fields.indexOf("Content-Encoding", 0); f >= 0; f = fields.indexOf("Content-Encoding", f + 1)) {
            ByteView value = fields.valueAt(f);
            byte[] b = value.array();
            int end = value.offset() + value.length();
            for (int at = value.offset(); at <= end; ) {
                int itemEnd = at;
                while (itemEnd < end && b[itemEnd] != ',') itemEnd++;
                int from = Ascii.skipOws(b, at, itemEnd);
                int to = Ascii.trimOwsEnd(b, from, itemEnd);
                int coding = coding(b, from, to, value);
                if (coding != 0) {
                    if (count == MAX_CODINGS) throw new ContentEncodingException("more than " + MAX_CODINGS + " content codings in Content-Encoding");
                    codings[count++] = coding;
                }
                at = itemEnd + 1;
            }
        }
        return count;
    }

    private static int coding(byte[] b, int from, int to, ByteView value) throws ContentEncodingException {
        if (from == to) throw new ContentEncodingException("empty coding in Content-Encoding '" + value + "'");
        if (Ascii.equalsIgnoreCase(b, from, to, IDENTITY)) return 0;
        if (Ascii.equalsIgnoreCase(b, from, to, GZIP_NAME) || Ascii.equalsIgnoreCase(b, from, to, X_GZIP)) return GZIP;   // RFC 9110 §8.4.1.3
        if (Ascii.equalsIgnoreCase(b, from, to, DEFLATE_NAME)) return DEFLATE;
        throw new ContentEncodingException("unsupported Content-Encoding '" + new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1)
                + "' (supported: gzip, x-gzip, deflate, identity)");
    }

    private static final byte[] IDENTITY = Bytes.ascii("identity");
    private static final byte[] GZIP_NAME = Bytes.ascii("gzip");
    private static final byte[] X_GZIP = Bytes.ascii("x-gzip");
    private static final byte[] DEFLATE_NAME = Bytes.ascii("deflate");

    // ---- gzip (RFC 1952) ----

    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int FRESERVED = 0xe0;

    /** Appends the decoding of the gzip data {@code src[from, from+length)} (one or more members) to {@code dst}. */
    public static void gunzip(byte[] src, int from, int length, ByteBuf dst, long maxBytes) throws ContentEncodingException {
        int end = from + length;
        int start = dst.length();
        Inflater inflater = RAW.acquire();
        try {
            int at = from;
            for (int member = 1; ; member++) {
                at = skipGzipHeader(src, at, end, member, at - from);
                int memberStart = dst.length();
                at = inflateInto(inflater, src, at, end, dst, start, maxBytes, "gzip");
                at = checkGzipTrailer(src, at, end, dst, memberStart);
                if (at == end) return;
                inflater.reset();
            }
        } finally {
            RAW.release(inflater);
        }
    }

    /** Checks a member's header; returns the index of its deflate data. */
    private static int skipGzipHeader(byte[] b, int from, int end, int member, int offset) throws ContentEncodingException {
        if (end - from >= 2 && ((b[from] & 0xff) != 0x1f || (b[from + 1] & 0xff) != 0x8b)) {
            throw new ContentEncodingException(member == 1
                    ? String.format("gzip body does not start with the gzip magic bytes 1f 8b (found %02x %02x)", b[from] & 0xff, b[from + 1] & 0xff)
                    : "gzip body has " + (end - from) + " bytes after member " + (member - 1) + " (at offset " + offset + ") that are not a gzip member");
        }
        if (end - from < 10) throw truncated("gzip", "in the header of member " + member);
        if (b[from + 2] != 8) throw new ContentEncodingException("gzip member " + member + " uses compression method " + b[from + 2] + ", not deflate (8)");
        int flags = b[from + 3] & 0xff;
        if ((flags & FRESERVED) != 0) throw new ContentEncodingException(String.format("gzip member %d sets reserved flag bits 0x%02x", member, flags & FRESERVED));
        int at = from + 10;
        if ((flags & FEXTRA) != 0) {
            if (end - at < 2) throw truncated("gzip", "in the header of member " + member);
            at += 2 + ((b[at] & 0xff) | (b[at + 1] & 0xff) << 8);
        }
        if ((flags & FNAME) != 0) at = afterZero(b, at, end, member);
        if ((flags & FCOMMENT) != 0) at = afterZero(b, at, end, member);
        if ((flags & FHCRC) != 0) {
            if (end - at < 2) throw truncated("gzip", "in the header of member " + member);
            CRC32 crc = new CRC32();
            crc.update(b, from, at - from);
            int expected = (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
            if (((int) crc.getValue() & 0xffff) != expected) throw new ContentEncodingException("gzip member " + member + " has a wrong header checksum");
            at += 2;
        }
        if (at > end) throw truncated("gzip", "in the header of member " + member);
        return at;
    }

    private static int afterZero(byte[] b, int at, int end, int member) throws ContentEncodingException {
        while (at < end && b[at] != 0) at++;
        if (at == end) throw truncated("gzip", "in the header of member " + member);
        return at + 1;
    }

    /** Checks CRC-32 and size of the member decoded into {@code dst[memberStart..)}; returns the index after the trailer. */
    private static int checkGzipTrailer(byte[] b, int at, int end, ByteBuf dst, int memberStart) throws ContentEncodingException {
        if (end - at < 8) throw truncated("gzip", "in a member's trailer (CRC-32 and size)");
        CRC32 crc = new CRC32();
        crc.update(dst.array(), memberStart, dst.length() - memberStart);
        if ((int) crc.getValue() != littleEndianInt(b, at)) throw new ContentEncodingException("gzip body fails its CRC-32 check: corrupt data");
        if (dst.length() - memberStart != littleEndianInt(b, at + 4)) {   // ISIZE: the size modulo 2^32
            throw new ContentEncodingException("gzip body decodes to " + (dst.length() - memberStart) + " bytes but its trailer says "
                    + Integer.toUnsignedString(littleEndianInt(b, at + 4)));
        }
        return at + 8;
    }

    private static int littleEndianInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    // ---- deflate ----

    /**
     * Appends the decoding of the deflate data {@code src[from, from+length)} to {@code dst}: a zlib
     * stream (RFC 1950) when it starts with a valid zlib header, else raw deflate (RFC 1951).
     */
    public static void inflate(byte[] src, int from, int length, ByteBuf dst, long maxBytes) throws ContentEncodingException {
        boolean zlib = length >= 2 && isZlibHeader(src[from] & 0xff, src[from + 1] & 0xff);
        ObjectPool<Inflater> pool = zlib ? ZLIB : RAW;
        Inflater inflater = pool.acquire();
        try {
            int end = from + length;
            int at = inflateInto(inflater, src, from, end, dst, dst.length(), maxBytes, "deflate");
            if (at != end) throw new ContentEncodingException("deflate body has " + (end - at) + " bytes after the end of its stream");
        } finally {
            pool.release(inflater);
        }
    }

    // RFC 1950 §2.2: CM 8 (deflate), a window of at most 32 KiB, and CMF*256 + FLG a multiple of 31.
    private static boolean isZlibHeader(int cmf, int flg) {
        return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
    }

    /**
     * Inflates one deflate stream from {@code src[from..end)} onto {@code dst}, failing once the
     * output since {@code start} exceeds {@code maxBytes}; returns the index after the stream.
     */
    private static int inflateInto(Inflater inflater, byte[] src, int from, int end, ByteBuf dst, int start, long maxBytes,
                                   String coding) throws ContentEncodingException {
        long max = Math.min(maxBytes, ByteBuf.MAX_CAPACITY - 1L - start);
        inflater.setInput(src, from, end - from);
        try {
            while (!inflater.finished()) {
                long produced = dst.length() - start;
                long allowed = max - produced + 1;   // room for one byte past the limit: that byte proves the body is too large
                if (dst.capacity() == dst.length()) dst.ensureSpace((int) Math.min(Math.max(4096, 2L * (end - from)), allowed));
                int room = (int) Math.min(dst.capacity() - dst.length(), allowed);
                int n = inflater.inflate(dst.array(), dst.length(), room);
                dst.setLength(dst.length() + n);
                if (dst.length() - start > maxBytes) {
                    throw new ContentEncodingException(coding + " body decodes to more than maxBytes=" + maxBytes + " (stopped after "
                            + inflater.getBytesRead() + " of its compressed bytes)");
                }
                if (n == 0 && inflater.needsDictionary()) throw new ContentEncodingException(coding + " body needs a preset dictionary, which HTTP cannot supply");
                if (n == 0 && inflater.needsInput()) {
                    throw truncated(coding, "after " + (end - from) + " compressed bytes, " + (dst.length() - start) + " decoded");
                }
            }
        } catch (DataFormatException e) {
            throw new ContentEncodingException(coding + " body is corrupt after " + (inflater.getBytesRead()) + " compressed bytes: " + e.getMessage(), e);
        }
        return end - inflater.getRemaining();
    }

    private static ContentEncodingException truncated(String coding, String where) {
        return new ContentEncodingException(coding + " body is truncated: it ends " + where);
    }
}
