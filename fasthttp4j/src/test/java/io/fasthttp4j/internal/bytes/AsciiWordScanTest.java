package io.fasthttp4j.internal.bytes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Ascii.skipFieldValue and equalsTokenIgnoreCase work on eight (or four) bytes at once: every length,
 * every position of the byte that decides, and every byte value must give what the byte-by-byte
 * definition gives.
 */
class AsciiWordScanTest {
    private static int skipFieldValueByteByByte(byte[] buf, int from, int to) {
        int i = from;
        while (i < to && Ascii.isFieldValueChar(buf[i])) i++;
        return i;
    }

    @Test
    void skipFieldValueStopsAtTheFirstByteThatIsNotAValueByteWhereverItIs() {
        for (int length = 0; length <= 40; length++) {
            for (int stop = 0; stop <= length; stop++) {
                for (int b = 0; b < 256; b++) {
                    byte[] buf = new byte[length + 3];
                    java.util.Arrays.fill(buf, (byte) 'v');
                    if (stop < length) buf[1 + stop] = (byte) b;
                    int expected = skipFieldValueByteByByte(buf, 1, 1 + length);
                    assertEquals(expected, Ascii.skipFieldValue(buf, 1, 1 + length), "length " + length + ", byte 0x" + Integer.toHexString(b) + " at " + stop);
                }
            }
        }
    }

    @Test
    void skipFieldValuePassesTabsAndHighBytesAndAgreesOnRandomValues() {
        SplittableRandom random = new SplittableRandom(42);
        byte[] alphabet = {'a', 'Z', '0', ' ', '\t', (byte) 0x80, (byte) 0xff, 0x7e, 0x21, 0x7f, 0x1f, 0, '\r', '\n'};
        for (int round = 0; round < 20_000; round++) {
            int length = random.nextInt(48);
            byte[] buf = new byte[length];
            boolean clean = random.nextInt(4) == 0;   // many runs without a stop byte, to pass whole words
            for (int i = 0; i < length; i++) buf[i] = alphabet[random.nextInt(clean ? 9 : alphabet.length)];
            int from = length == 0 ? 0 : random.nextInt(length);
            assertEquals(skipFieldValueByteByByte(buf, from, length), Ascii.skipFieldValue(buf, from, length), java.util.Arrays.toString(buf) + " from " + from);
        }
    }

    @Test
    void equalsTokenIgnoreCaseAgreesWithTheByteDefinitionForEveryLengthAndDifference() {
        byte[] tokenBytes = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int n = 0; n <= 24; n++) {
            byte[] lower = new byte[n];
            for (int i = 0; i < n; i++) lower[i] = (byte) "abcdefghijklmnopqrstuvwxyz0123456789-".charAt((i * 7) % 37);
            byte[] name = new byte[n + 2];
            for (int i = 0; i < n; i++) name[1 + i] = (i % 2 == 0 && lower[i] >= 'a') ? (byte) (lower[i] - 32) : lower[i];
            assertEquals(true, Ascii.equalsTokenIgnoreCase(name, 1, lower), "length " + n);
            for (int at = 0; at < n; at++) {
                byte kept = name[1 + at];
                for (byte t : tokenBytes) {
                    name[1 + at] = t;
                    boolean expected = true;
                    for (int i = 0; i < n; i++) if ((name[1 + i] | 0x20) != lower[i]) expected = false;
                    assertEquals(expected, Ascii.equalsTokenIgnoreCase(name, 1, lower), "length " + n + ", '" + (char) t + "' at " + at);
                }
                name[1 + at] = kept;
            }
        }
    }
}
