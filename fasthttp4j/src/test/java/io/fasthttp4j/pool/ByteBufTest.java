package io.fasthttp4j.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ByteBufTest {
    @Test
    void appendsGrowTheArrayAndKeepTheContent() {
        ByteBuf buf = new ByteBuf(0);
        for (int i = 0; i < 1000; i++) buf.append((byte) i);
        assertEquals(1000, buf.length());
        for (int i = 0; i < 1000; i++) assertEquals((byte) i, buf.array()[i]);
        assertTrue(buf.capacity() >= 1000);
    }

    @Test
    void resetKeepsTheArray() {
        ByteBuf buf = new ByteBuf(16);
        buf.append("hello, world, and more than sixteen bytes");
        byte[] array = buf.array();
        buf.reset();
        assertEquals(0, buf.length());
        assertTrue(buf.isEmpty());
        assertSame(array, buf.array());
    }

    @Test
    void appendsUtf8BeyondAscii() {
        ByteBuf buf = new ByteBuf();
        buf.append("a\u00e9\u4e2d\uD83D\uDE00");
        assertArrayEquals("a\u00e9\u4e2d\uD83D\uDE00".getBytes(StandardCharsets.UTF_8), buf.toBytes());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 9, 10, 99, 100, 12345, 999_999_999, 1_000_000_000, Long.MAX_VALUE, -1, -42, Long.MIN_VALUE})
    void appendsDecimalsAsTheJdkWritesThem(long value) {
        ByteBuf buf = new ByteBuf(0);
        buf.append((byte) '[').appendDecimal(value);
        assertEquals("[" + value, buf.toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 15, 16, 255, 4096, 0x7fffffffL, Long.MAX_VALUE})
    void appendsHexAsTheJdkWritesIt(long value) {
        assertEquals(Long.toHexString(value), new ByteBuf(0).appendHex(value).toString());
    }

    @Test
    void refusesNegativeHexAndLengths() {
        assertThrows(IllegalArgumentException.class, () -> new ByteBuf().appendHex(-1));
        assertThrows(IllegalArgumentException.class, () -> new ByteBuf().setLength(-1));
    }

    @Test
    void trimDropsOnlyAnArrayPastTheLimit() {
        ByteBuf buf = new ByteBuf(0);
        buf.setLength(100_000);
        buf.trimTo(200_000);
        assertEquals(0, buf.length());
        assertTrue(buf.capacity() >= 100_000, "under the limit: kept");
        buf.setLength(100_000);
        buf.trimTo(64 * 1024);
        assertEquals(4096, buf.capacity(), "past the limit: a small one instead");
    }

    @Test
    void discardFrontMovesTheRestToTheStart() {
        ByteBuf buf = new ByteBuf().append("0123456789");
        buf.discardFront(4);
        assertEquals("456789", buf.toString());
        assertThrows(IndexOutOfBoundsException.class, () -> buf.discardFront(7));
    }

    @Test
    void ensureSpaceReturnsTheArrayToWriteInto() {
        ByteBuf buf = new ByteBuf(4).append("ab");
        byte[] a = buf.ensureSpace(100);
        a[2] = 'c';
        buf.setLength(3);
        assertEquals("abc", buf.toString());
    }
}
