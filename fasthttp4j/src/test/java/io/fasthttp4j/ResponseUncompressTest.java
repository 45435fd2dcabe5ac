package io.fasthttp4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Response#bodyUncompressed}: the codings, stacked codings, and every way compressed bytes can be wrong. */
class ResponseUncompressTest {
    private static final byte[] TEXT = "fasthttp4j decodes gzip and deflate. ".repeat(500).getBytes(StandardCharsets.UTF_8);
    private static final byte[] RANDOM = new byte[100_000];

    static {
        new Random(42).nextBytes(RANDOM);
    }

    static byte[] gzip(byte[] data) {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] zlib(byte[] data) {
        var out = new ByteArrayOutputStream();
        try (var z = new DeflaterOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] rawDeflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        var out = new ByteArrayOutputStream();
        try (var z = new DeflaterOutputStream(out, deflater)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        return out.toByteArray();
    }

    /** gzip with FEXTRA, FNAME, FCOMMENT and FHCRC set, which GZIPOutputStream never writes. */
    static byte[] gzipWithAllHeaderFields(byte[] data) {
        var header = new ByteArrayOutputStream();
        header.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, (byte) 255});
        header.writeBytes(new byte[] {3, 0, 'a', 'b', 'c'});
        header.writeBytes("name.txt\0".getBytes(StandardCharsets.ISO_8859_1));
        header.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        byte[] h = header.toByteArray();
        var crc = new java.util.zip.CRC32();
        crc.update(h);
        byte[] plain = gzip(data);   // reuse its deflate data and trailer
        var all = new ByteArrayOutputStream();
        all.writeBytes(h);
        all.write((int) crc.getValue() & 0xff);
        all.write((int) (crc.getValue() >> 8) & 0xff);
        all.write(plain, 10, plain.length - 10);
        return all.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static Response response(String contentEncoding, byte[] body) {
        Response r = new Response();
        if (contentEncoding != null) r.header().add("Content-Encoding", contentEncoding);
        r.setBody(body);
        return r;
    }

    static Stream<Arguments> decodable() {
        return Stream.of(
                arguments("gzip", "gzip", gzip(TEXT), TEXT),
                arguments("gzip, incompressible", "gzip", gzip(RANDOM), RANDOM),
                arguments("x-gzip, upper case", "X-GZIP", gzip(TEXT), TEXT),
                arguments("gzip with every header field", "gzip", gzipWithAllHeaderFields(TEXT), TEXT),
                arguments("concatenated gzip members", "gzip", concat(gzip(TEXT), gzip(RANDOM), gzip(new byte[0])), concat(TEXT, RANDOM)),
                arguments("deflate as zlib", "deflate", zlib(TEXT), TEXT),
                arguments("deflate raw", "deflate", rawDeflate(TEXT), TEXT),
                arguments("deflate raw, incompressible", "deflate", rawDeflate(RANDOM), RANDOM),
                arguments("gzip then identity", "gzip, identity", gzip(TEXT), TEXT),
                arguments("deflate then gzip", "deflate, gzip", gzip(zlib(TEXT)), TEXT),
                arguments("three stacked", "gzip,deflate , gzip", gzip(zlib(gzip(TEXT))), TEXT),
                arguments("empty body with a coding (HEAD, 204, 304)", "gzip", new byte[0], new byte[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodable")
    void decodesTheBody(String name, String coding, byte[] body, byte[] expected) throws IOException {
        Response r = response(coding, body);
        assertArrayEquals(expected, r.bodyUncompressed().toBytes());
        assertArrayEquals(expected, r.bodyUncompressed().toBytes(), "a second call decodes the same");
    }

    @Test
    void decodesCodingsListedInSeparateFields() throws IOException {
        Response r = response("deflate", gzip(zlib(TEXT)));
        r.header().add("Content-Encoding", "gzip");
        assertArrayEquals(TEXT, r.bodyUncompressed().toBytes());
    }

    @Test
    void identityOrNoCodingIsTheBodyItselfWithoutACopy() throws IOException {
        for (String coding : new String[] {null, "identity", "Identity"}) {
            Response r = response(coding, TEXT);
            assertSame(r.body(), r.bodyUncompressed(), "coding " + coding);
        }
    }

    @Test
    void bodyGunzipAndBodyInflateIgnoreTheHeader() throws IOException {
        assertArrayEquals(TEXT, response(null, gzip(TEXT)).bodyGunzip(1 << 20).toBytes());
        assertArrayEquals(TEXT, response("br", zlib(TEXT)).bodyInflate(1 << 20).toBytes());
        assertArrayEquals(TEXT, response(null, rawDeflate(TEXT)).bodyInflate(1 << 20).toBytes());
    }

    @Test
    void aResetResponseDecodesTheNextBody() throws IOException {
        Response r = response("gzip", gzip(RANDOM));
        assertEquals(RANDOM.length, r.bodyUncompressed().length());
        r.reset();
        r.header().add("Content-Encoding", "gzip");
        r.setBody(gzip(TEXT));
        assertArrayEquals(TEXT, r.bodyUncompressed().toBytes());
    }

    static Stream<Arguments> undecodable() {
        byte[] gz = gzip(TEXT);
        byte[] corruptCrc = gz.clone();
        corruptCrc[corruptCrc.length - 8] ^= 1;
        byte[] corruptSize = gz.clone();
        corruptSize[corruptSize.length - 4] ^= 1;
        byte[] corruptData = gz.clone();
        corruptData[10] |= 0x06;   // the first deflate block's BTYPE (bits 1-2) becomes 11, which is reserved
        byte[] badMethod = gz.clone();
        badMethod[2] = 7;
        byte[] reservedFlag = gz.clone();
        reservedFlag[3] = (byte) 0x20;
        byte[] zl = zlib(TEXT);
        byte[] badAdler = zl.clone();
        badAdler[badAdler.length - 1] ^= 1;
        return Stream.of(
                arguments("unsupported coding", "br", gz, "unsupported Content-Encoding 'br' (supported: gzip, x-gzip, deflate, identity)"),
                arguments("unsupported coding in a list", "gzip, compress", gz, "unsupported Content-Encoding 'compress'"),
                arguments("empty coding in a list", "gzip,,", gz, "empty coding in Content-Encoding 'gzip,,'"),
                arguments("not gzip at all", "gzip", TEXT, "gzip body does not start with the gzip magic bytes 1f 8b (found 66 61)"),
                arguments("gzip header cut short", "gzip", Arrays.copyOf(gz, 6), "gzip body is truncated: it ends in the header of member 1"),
                arguments("gzip data cut short", "gzip", Arrays.copyOf(gz, gz.length / 2),
                        "gzip body is truncated: it ends after " + (gz.length / 2 - 10) + " compressed bytes"),
                arguments("gzip trailer cut short", "gzip", Arrays.copyOf(gz, gz.length - 3), "gzip body is truncated: it ends in a member's trailer"),
                arguments("gzip CRC mismatch", "gzip", corruptCrc, "gzip body fails its CRC-32 check: corrupt data"),
                arguments("gzip size mismatch", "gzip", corruptSize, "gzip body decodes to " + TEXT.length + " bytes but its trailer says"),
                arguments("gzip corrupt deflate data", "gzip", corruptData, "gzip body is corrupt after 1 compressed bytes: invalid block type"),
                arguments("gzip method not deflate", "gzip", badMethod, "gzip member 1 uses compression method 7, not deflate (8)"),
                arguments("gzip reserved flag", "gzip", reservedFlag, "gzip member 1 sets reserved flag bits 0x20"),
                arguments("garbage after a gzip member", "gzip", concat(gz, "junk".getBytes(StandardCharsets.US_ASCII)),
                        "gzip body has 4 bytes after member 1 (at offset " + gz.length + ") that are not a gzip member"),
                arguments("zlib checksum mismatch", "deflate", badAdler, "deflate body is corrupt after"),
                arguments("zlib cut short", "deflate", Arrays.copyOf(zl, zl.length / 2), "deflate body is truncated: it ends after"),
                arguments("bytes after a deflate stream", "deflate", concat(rawDeflate(TEXT), new byte[] {1, 2, 3}), "deflate body has 3 bytes after the end of its stream"),
                arguments("inner coding of a stack corrupt", "deflate, gzip", gzip(TEXT), "deflate body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("undecodable")
    void failsWithAPreciseMessage(String name, String coding, byte[] body, String messageStart) {
        Response r = response(coding, body);
        var e = assertThrows(ContentEncodingException.class, r::bodyUncompressed);
        assertTrue(e.getMessage().startsWith(messageStart), "message: " + e.getMessage());
    }

    @Test
    void aDecompressionBombFailsAtTheLimitInsteadOfFillingMemory() throws IOException {
        byte[] bomb = gzip(new byte[200 * 1024 * 1024]);   // 200 MiB of zeros in about 200 KB
        assertTrue(bomb.length < 1024 * 1024);
        Response r = response("gzip", bomb);
        var e = assertThrows(ContentEncodingException.class, () -> r.bodyUncompressed(1024 * 1024));
        assertTrue(e.getMessage().startsWith("gzip body decodes to more than maxBytes=1048576 (stopped after "), e.getMessage());
        var byDefault = assertThrows(ContentEncodingException.class, r::bodyUncompressed);
        assertTrue(byDefault.getMessage().startsWith("gzip body decodes to more than maxBytes=" + Response.DEFAULT_MAX_UNCOMPRESSED_BYTES), byDefault.getMessage());
        var deflated = response("deflate", zlib(new byte[8 * 1024 * 1024]));
        var d = assertThrows(ContentEncodingException.class, () -> deflated.bodyUncompressed(1024 * 1024));
        assertTrue(d.getMessage().startsWith("deflate body decodes to more than maxBytes=1048576"), d.getMessage());
    }

    @Test
    void aBodyOfExactlyTheLimitIsAccepted() throws IOException {
        Response r = response("gzip", gzip(TEXT));
        assertEquals(TEXT.length, r.bodyUncompressed(TEXT.length).length());
        assertThrows(ContentEncodingException.class, () -> r.bodyUncompressed(TEXT.length - 1));
    }

    @Test
    void refusesToDecodeAStreamedBody() {
        Response r = response("gzip", gzip(TEXT));
        r.setBodyStream(new ByteArrayInputStream(new byte[0]));
        assertThrows(IllegalStateException.class, r::bodyUncompressed);
    }
}
