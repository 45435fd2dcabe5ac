package io.fasthttp4j.pool;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array: bodies, output buffers, the bytes a header owns. {@link #reset()} empties
 * it and keeps the array, so a reused {@code ByteBuf} stops allocating once it has grown to the
 * sizes its owner sees. Not thread-safe.
 */
public final class ByteBuf {
    private byte[] array;
    private int length;
    private MemoryBudget budget;   // null: growth is not charged
    private int budgetBase;        // capacity that was free when the budget was set; growth past it is charged
    private String budgetLabel;    // what this buffer holds, for BudgetExceededException's message

    /** Largest array a {@code ByteBuf} may hold: past it, appends fail instead of overflowing int. */
    public static final int MAX_CAPACITY = Integer.MAX_VALUE - 16;

    public ByteBuf() {
        this(64);
    }

    public ByteBuf(int initialCapacity) {
        array = new byte[Math.max(initialCapacity, 0)];
    }

    /** Empties this buffer; keeps its array. */
    public void reset() {
        length = 0;
    }

    /** The backing array; bytes {@code [0, length())} are the content. Changes when the buffer grows. */
    public byte[] array() {
        return array;
    }

    public int length() {
        return length;
    }

    public int capacity() {
        return array.length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /** Sets the content length; bytes past the old length keep whatever the array held. */
    public void setLength(int newLength) {
        if (newLength < 0) throw new IllegalArgumentException("negative length " + newLength);
        ensureCapacity(newLength);
        length = newLength;
    }

    /** Makes room for {@code extra} more bytes after the content and returns the (possibly new) array. */
    public byte[] ensureSpace(int extra) {
        ensureCapacity((long) length + extra);
        return array;
    }

    private void ensureCapacity(long needed) {
        if (needed > array.length) grow(needed);   // small enough to inline everywhere; growing is rare
    }

    private void grow(long needed) {
        if (needed > MAX_CAPACITY) throw new IllegalStateException("ByteBuf would exceed " + MAX_CAPACITY + " bytes");
        int grown = (int) Math.min(Math.max(needed, Math.max(64, (long) array.length * 2)), MAX_CAPACITY);
        if (budget != null) budget.reserve(charge(grown) - charge(array.length), budgetLabel);   // before allocating
        array = Arrays.copyOf(array, grown);
    }

    /**
     * Charges this buffer's capacity past {@code freeBytes} (or past its capacity now, if larger) to
     * {@code budget} (null: to none), and gives back what it had charged to an earlier budget. A
     * buffer that would grow past what the budget has left throws {@link BudgetExceededException}
     * instead, and keeps its content. Call {@code setBudget(null, 0, null)} before dropping a charged
     * buffer, or its charge is never given back.
     *
     * @param freeBytes capacity never charged: small buffers cost per owner, not per byte a peer sends,
     *                  and must stay usable when the budget is spent (an error response)
     * @param label     what the buffer holds, for the exception's message ("request body")
     */
    public void setBudget(MemoryBudget budget, int freeBytes, String label) {
        if (this.budget != null) this.budget.release(charge(array.length));
        this.budget = budget;
        this.budgetBase = Math.max(array.length, freeBytes);
        this.budgetLabel = label;
    }

    /** Bytes of this buffer charged to its budget now; 0 without one. */
    public long charged() {
        return budget == null ? 0 : charge(array.length);
    }

    private long charge(int capacity) {
        return Math.max(0, capacity - budgetBase);
    }

    public ByteBuf append(byte b) {
        ensureSpace(1);
        array[length++] = b;
        return this;
    }

    public ByteBuf append(byte[] bytes) {
        return append(bytes, 0, bytes.length);
    }

    public ByteBuf append(byte[] bytes, int offset, int count) {
        ensureSpace(count);
        System.arraycopy(bytes, offset, array, length, count);
        length += count;
        return this;
    }

    /** Appends {@code s} encoded as UTF-8; ASCII strings take the fast path without allocating. */
    public ByteBuf append(CharSequence s) {
        int n = s.length();
        ensureSpace(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return appendUtf8Tail(s, i);
            }
            array[length++] = (byte) c;
        }
        return this;
    }

    private ByteBuf appendUtf8Tail(CharSequence s, int from) {
        byte[] utf8 = s.subSequence(from, s.length()).toString().getBytes(StandardCharsets.UTF_8);
        return append(utf8);
    }

    /** Appends the decimal digits of {@code value} without allocating. */
    public ByteBuf appendDecimal(long value) {
        if (value >= 0 && value < 1_000_000_000L) return appendDecimal9((int) value);   // lengths, statuses: int arithmetic
        if (value == Long.MIN_VALUE) return append("-9223372036854775808");
        if (value < 0) {
            append((byte) '-');
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) digits++;
        ensureSpace(digits);
        for (int i = length + digits - 1; i >= length; i--) {
            array[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
        return this;
    }

    private static final byte[] DIGIT_PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    // 0 <= v < 10^9: two digits per division
    private ByteBuf appendDecimal9(int v) {
        int digits = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10_000 ? 4 : v < 100_000 ? 5
                : v < 1_000_000 ? 6 : v < 10_000_000 ? 7 : v < 100_000_000 ? 8 : 9;
        byte[] a = ensureSpace(digits);
        int i = length + digits;
        while (v >= 100) {
            int q = v / 100;
            int r = (v - q * 100) * 2;
            a[--i] = DIGIT_PAIRS[r + 1];
            a[--i] = DIGIT_PAIRS[r];
            v = q;
        }
        if (v >= 10) {
            a[--i] = DIGIT_PAIRS[2 * v + 1];
            a[--i] = DIGIT_PAIRS[2 * v];
        } else {
            a[--i] = (byte) ('0' + v);
        }
        length += digits;
        return this;
    }

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Appends {@code value} as lower-case hex digits without allocating (chunk sizes). */
    public ByteBuf appendHex(long value) {
        if (value < 0) throw new IllegalArgumentException("negative hex value " + value);
        int digits = 1;
        for (long v = value; v >= 16; v >>>= 4) digits++;
        ensureSpace(digits);
        for (int i = length + digits - 1; i >= length; i--) {
            array[i] = HEX_DIGITS[(int) (value & 15)];
            value >>>= 4;
        }
        length += digits;
        return this;
    }

    /** Empties this buffer, and drops its array for a small one if it grew past {@code maxCapacity}. */
    public void trimTo(int maxCapacity) {
        length = 0;
        if (array.length <= maxCapacity) return;
        int kept = Math.min(maxCapacity, 4096);
        if (budget != null) budget.release(charge(array.length) - charge(kept));
        array = new byte[kept];
    }

    /** Drops the first {@code count} bytes, moving the rest to the front. */
    public void discardFront(int count) {
        if (count < 0 || count > length) throw new IndexOutOfBoundsException(count);
        System.arraycopy(array, count, array, 0, length - count);
        length -= count;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(array, 0, length);
    }

    /** A copy of the content. Allocates. */
    public byte[] toBytes() {
        return Arrays.copyOf(array, length);
    }

    /** The content decoded as UTF-8. Allocates. */
    @Override
    public String toString() {
        return new String(array, 0, length, StandardCharsets.UTF_8);
    }
}
