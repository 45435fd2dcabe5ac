package io.fasthttp4j.internal.bytes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Ascii.equalBytes compares eight bytes at a time: every length and every differing position must still count. */
class AsciiEqualBytesTest {
    @Test
    void agreesWithAByteByByteComparisonForEveryLengthAndPosition() {
        byte[] a = new byte[64];
        for (int i = 0; i < a.length; i++) a[i] = (byte) ('a' + i % 26);
        for (int offset = 0; offset < 3; offset++) {
            for (int length = 0; length <= 40; length++) {
                byte[] b = new byte[length + 5];
                System.arraycopy(a, offset, b, 5, length);
                assertEquals(true, Ascii.equalBytes(a, offset, b, 5, length), "equal, length " + length);
                for (int diff = 0; diff < length; diff++) {
                    b[5 + diff] ^= 0x20;
                    assertEquals(false, Ascii.equalBytes(a, offset, b, 5, length), "length " + length + ", differing at " + diff);
                    b[5 + diff] ^= 0x20;
                }
            }
        }
    }
}
