package io.fasthttp4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.internal.codec.ProxyHeader.Family;
import io.fasthttp4j.internal.codec.ProxyHeaderHarness.Outcome;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzz target for {@link ProxyHeaderParser}: any bytes either are a header, whose length is at most
 * the input's, or are rejected with a {@link BadRequestException} of status 400, or are a prefix of
 * one of these; the same however they are cut into reads; a header is exactly as long as the parser
 * says (its bytes alone parse the same, one byte fewer is incomplete); and a version 1 address the
 * parser accepts is the address the JDK reads from the same text. Anything else thrown is a finding.
 * Without {@code JAZZER_FUZZ=1} only the seeds in {@code ProxyHeaderParserFuzzTestInputs} run.
 */
class ProxyHeaderParserFuzzTest {
    /** The smallest limit, which short inputs can exceed, and the default. */
    private static final int[] MAX_HEADER_BYTES = {ProxyHeaderParser.MIN_MAX_HEADER_BYTES, 4096};

    /** Longest input also fed one byte at a time. */
    private static final int MAX_BYTE_BY_BYTE = 512;

    @FuzzTest
    void parsesAnyBytesTheSameHoweverTheyArriveOrRejectsThemWith400(byte[] input) {
        for (int max : MAX_HEADER_BYTES) {
            Outcome whole = ProxyHeaderHarness.whole(input, max);   // checks the status and that no more than the input is consumed
            for (int at : ParserHarness.splitPoints(input.length)) {
                ProxyHeaderHarness.assertSameOutcome(whole, ProxyHeaderHarness.splitAt(input, max, at), () -> "split at " + at + " with max " + max);
            }
            if (input.length <= MAX_BYTE_BY_BYTE) {
                ProxyHeaderHarness.assertSameOutcome(whole, ProxyHeaderHarness.byteByByte(input, max), () -> "one byte at a time with max " + max);
            }
            if (whole.header() != null) {
                checkExactLength(input, max, whole);
                if (whole.header().version() == 1 && whole.header().family() != Family.UNSPEC) checkV1AgainstJdk(input, whole);
            }
        }
    }

    private static void checkExactLength(byte[] input, int max, Outcome whole) {
        assertEquals(whole, ProxyHeaderHarness.whole(Arrays.copyOf(input, whole.consumed()), max), "the header's bytes alone");
        assertEquals(Outcome.INCOMPLETE, ProxyHeaderHarness.whole(Arrays.copyOf(input, whole.consumed() - 1), max), "one byte fewer");
    }

    /** "PROXY TCP4 src dst sport dport": the JDK must read the same addresses (literals: never looked up) and ports. */
    private static void checkV1AgainstJdk(byte[] input, Outcome whole) {
        String[] fields = new String(input, 0, whole.consumed() - 2, StandardCharsets.ISO_8859_1).split(" ", -1);
        assertEquals(6, fields.length, () -> "fields of " + Arrays.toString(fields));
        InetSocketAddress source = (InetSocketAddress) whole.header().source();
        InetSocketAddress destination = (InetSocketAddress) whole.header().destination();
        assertArrayEquals(jdk(fields[2]), source.getAddress().getAddress(), fields[2]);
        assertArrayEquals(jdk(fields[3]), destination.getAddress().getAddress(), fields[3]);
        assertEquals(Integer.parseInt(fields[4]), source.getPort(), fields[4]);
        assertEquals(Integer.parseInt(fields[5]), destination.getPort(), fields[5]);
    }

    /** The JDK's bytes for a literal, 16 for IPv6 text even where the JDK makes an IPv4-mapped address IPv4. */
    private static byte[] jdk(String literal) {
        try {
            byte[] address = InetAddress.getByName(literal).getAddress();
            if (!literal.contains(":") || address.length == 16) return address;
            return ProxyHeaderHarness.concat(new byte[10], new byte[] {(byte) 0xff, (byte) 0xff}, address);
        } catch (UnknownHostException e) {
            throw new AssertionError("the parser accepted " + literal + ", which the JDK does not read as a literal", e);
        }
    }
}
