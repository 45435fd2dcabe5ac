package io.fasthttp4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.internal.codec.ParserHarness.Outcome;
import io.fasthttp4j.internal.codec.ParserHarness.ParsedRequest;
import java.util.List;

/**
 * Fuzz targets for {@link RequestParser}: any bytes, pipelined requests included, either parse or are
 * rejected with a {@link BadRequestException} whose status is 4xx or 5xx, and what comes of them does
 * not depend on how the bytes are cut into reads. Anything else thrown is a finding. Without
 * {@code JAZZER_FUZZ=1} only the seeds in {@code RequestParserFuzzTestInputs} run; docs/fuzzing.md
 * says how to run a campaign.
 */
class RequestParserFuzzTest {
    /** Limits small enough that short inputs reach every limit's check. */
    static final HttpLimits TIGHT = HttpLimits.builder().maxRequestLineBytes(64).maxHeaderBytes(256).maxHeaderCount(8)
            .maxBodyBytes(64).maxChunkExtensionBytes(16).maxTrailerBytes(64).build();

    static final List<HttpLimits> LIMITS = List.of(HttpLimits.defaults(), TIGHT);

    /** Longest input also fed one byte at a time. */
    private static final int MAX_BYTE_BY_BYTE = 512;

    @FuzzTest
    void parsesAnyBytesOrRejectsThemWithAStatus(byte[] input) {
        for (HttpLimits limits : LIMITS) {
            Outcome<ParsedRequest> outcome = ParserHarness.requestOutcome(input, limits, ParserHarness.wholeInput(input.length));
            for (ParsedRequest request : outcome.messages()) checkWithinLimits(request, limits);
        }
    }

    @FuzzTest
    void parsesTheSameHoweverTheBytesArrive(byte[] input) {
        for (HttpLimits limits : LIMITS) {
            Outcome<ParsedRequest> whole = ParserHarness.requestOutcome(input, limits, ParserHarness.wholeInput(input.length));
            for (int at : ParserHarness.splitPoints(input.length)) {
                ParserHarness.assertSameOutcome(whole, ParserHarness.requestOutcome(input, limits, ParserHarness.splitAt(input.length, at)),
                        () -> "split at " + at + " with " + limits);
            }
            if (input.length <= MAX_BYTE_BY_BYTE) {
                ParserHarness.assertSameOutcome(whole, ParserHarness.requestOutcome(input, limits, ParserHarness.byteByByte(input.length)),
                        () -> "one byte at a time with " + limits);
            }
        }
    }

    static void checkWithinLimits(ParsedRequest request, HttpLimits limits) {
        assertTrue(request.headers().size() <= limits.maxHeaderCount(), () -> "header fields past maxHeaderCount: " + request);
        assertTrue(request.trailers().size() <= limits.maxHeaderCount(), () -> "trailer fields past maxHeaderCount: " + request);
        assertTrue(request.body().length() <= limits.maxBodyBytes(), () -> "body past maxBodyBytes: " + request);
    }
}
