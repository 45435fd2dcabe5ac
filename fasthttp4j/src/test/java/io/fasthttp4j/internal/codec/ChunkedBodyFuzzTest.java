package io.fasthttp4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.internal.codec.ParserHarness.Outcome;
import io.fasthttp4j.internal.codec.ParserHarness.ParsedRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzz target for the chunked body decoder ({@link BodyDecoder}, {@link ChunkExtensions}, {@link
 * Trailers}) behind a fixed request header: any body bytes either decode or are rejected with a
 * {@link BadRequestException} whose status is 4xx or 5xx, the same however they are cut into reads,
 * and a body that decodes decodes to the same bytes and trailers when sent again as one chunk.
 * Without {@code JAZZER_FUZZ=1} only the seeds in {@code ChunkedBodyFuzzTestInputs} run.
 */
class ChunkedBodyFuzzTest {
    private static final byte[] HEADER = ParserHarness.bytes("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");

    /** Room for the trailers written back with ": " after each name, which the original may have left out. */
    private static final HttpLimits ONE_CHUNK_LIMITS =
            HttpLimits.builder().maxTrailerBytes(2 * HttpLimits.DEFAULT_MAX_TRAILER_BYTES).build();

    /** Longest body also fed one byte at a time. */
    private static final int MAX_BYTE_BY_BYTE = 512;

    @FuzzTest
    void decodesAnyChunkedBodyTheSameHoweverItArrives(byte[] body) {
        byte[] input = concat(HEADER, body);
        for (HttpLimits limits : RequestParserFuzzTest.LIMITS) {
            Outcome<ParsedRequest> whole = ParserHarness.requestOutcome(input, limits, ParserHarness.wholeInput(input.length));
            for (ParsedRequest request : whole.messages()) RequestParserFuzzTest.checkWithinLimits(request, limits);
            for (int at : ParserHarness.splitPoints(body.length)) {
                ParserHarness.assertSameOutcome(whole, ParserHarness.requestOutcome(input, limits, ParserHarness.splitAt(input.length, HEADER.length + at)),
                        () -> "split at body offset " + at + " with " + limits);
            }
            if (body.length <= MAX_BYTE_BY_BYTE) {
                ParserHarness.assertSameOutcome(whole, ParserHarness.requestOutcome(input, limits, ParserHarness.byteByByte(input.length)),
                        () -> "one byte at a time with " + limits);
            }
            if (!whole.messages().isEmpty()) checkSameAsOneChunk(whole.messages().get(0));
        }
    }

    /** Sends the decoded body again as one chunk with the same trailers: it must decode to the same request. */
    private static void checkSameAsOneChunk(ParsedRequest decoded) {
        StringBuilder again = new StringBuilder(new String(HEADER, StandardCharsets.ISO_8859_1));
        if (!decoded.body().isEmpty()) {
            again.append(Integer.toHexString(decoded.body().length())).append("\r\n").append(decoded.body()).append("\r\n");
        }
        again.append("0\r\n");
        for (String trailer : decoded.trailers()) again.append(trailer).append("\r\n");
        again.append("\r\n");
        byte[] input = ParserHarness.bytes(again.toString());
        Outcome<ParsedRequest> outcome = ParserHarness.requestOutcome(input, ONE_CHUNK_LIMITS, ParserHarness.wholeInput(input.length));
        assertEquals(new Outcome<>(List.of(decoded), 0, false), outcome, "the decoded body sent again as one chunk");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
