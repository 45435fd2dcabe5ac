package io.fasthttp4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.internal.codec.ParserHarness.Outcome;
import io.fasthttp4j.internal.codec.ParserHarness.ParsedResponse;

/**
 * Fuzz targets for {@link ResponseParser}, the client's half of the codec: any bytes from a server,
 * followed by its close, either parse or are rejected with a {@link BadRequestException} whose status
 * is 4xx or 5xx; the result is the same with {@link ResponseParser#setCopyHeader} (what the client
 * uses) as without, and however the bytes are cut into reads. Anything else thrown is a finding.
 * Without {@code JAZZER_FUZZ=1} only the seeds in {@code ResponseParserFuzzTestInputs} run.
 */
class ResponseParserFuzzTest {
    /** Longest input also fed one byte at a time. */
    private static final int MAX_BYTE_BY_BYTE = 512;

    @FuzzTest
    void parsesAnyResponseOrRejectsItWithAStatus(byte[] input) {
        for (HttpLimits limits : RequestParserFuzzTest.LIMITS) {
            for (boolean headResponse : new boolean[] {false, true}) {
                Outcome<ParsedResponse> viewed = outcome(input, limits, headResponse, false, ParserHarness.wholeInput(input.length));
                Outcome<ParsedResponse> copied = outcome(input, limits, headResponse, true, ParserHarness.wholeInput(input.length));
                ParserHarness.assertSameOutcome(viewed, copied, () -> "copyHeader changed the result, headResponse=" + headResponse + " with " + limits);
                for (ParsedResponse response : viewed.messages()) checkWithinLimits(response, limits);
            }
        }
    }

    @FuzzTest
    void parsesTheSameHoweverTheBytesArrive(byte[] input) {
        for (HttpLimits limits : RequestParserFuzzTest.LIMITS) {
            Outcome<ParsedResponse> whole = outcome(input, limits, false, true, ParserHarness.wholeInput(input.length));
            for (int at : ParserHarness.splitPoints(input.length)) {
                ParserHarness.assertSameOutcome(whole, outcome(input, limits, false, true, ParserHarness.splitAt(input.length, at)),
                        () -> "split at " + at + " with " + limits);
            }
            if (input.length <= MAX_BYTE_BY_BYTE) {
                ParserHarness.assertSameOutcome(whole, outcome(input, limits, false, true, ParserHarness.byteByByte(input.length)),
                        () -> "one byte at a time with " + limits);
            }
        }
    }

    private static Outcome<ParsedResponse> outcome(byte[] input, HttpLimits limits, boolean headResponse, boolean copyHeader, int[] cuts) {
        return ParserHarness.responseOutcome(input, limits, headResponse, copyHeader, cuts);
    }

    private static void checkWithinLimits(ParsedResponse response, HttpLimits limits) {
        assertTrue(response.headers().size() <= limits.maxHeaderCount(), () -> "header fields past maxHeaderCount: " + response);
        assertTrue(response.trailers().size() <= limits.maxHeaderCount(), () -> "trailer fields past maxHeaderCount: " + response);
        assertTrue(response.body().length() <= limits.maxBodyBytes(), () -> "body past maxBodyBytes: " + response);
    }
}
