package io.fasthttp4j;

import io.fasthttp4j.internal.bytes.Ascii;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A read-only window on bytes someone else owns: a header value, a path, a query argument.
 * Obtaining one never allocates; {@link #toString()} and {@link #toBytes()} copy, and only they do.
 *
 * <p>Valid until the handler returns; copy what you need to keep. The owner reuses the window
 * (and the bytes under it) for the next request, so a kept {@code ByteView} silently changes.
 *
 * <p>As a {@link CharSequence} each byte is one char (ISO-8859-1), which lets ASCII text be compared
 * with {@code "gzip".contentEquals(view)} without allocating.
 */
public final class ByteView implements CharSequence {
    private byte[] array = EMPTY;
    private int offset;
    private int length;

    static final byte[] EMPTY = new byte[0];

    ByteView() {
    }

    /** Readies this view for reuse: empty, no reference to the old bytes. */
    void reset() {
        if (array == EMPTY) return;   // not set since the last reset (most views of a request are not): no stores
        array = EMPTY;
        offset = 0;
        length = 0;
    }

    /**
     * Empties this view and keeps its reference to the array, which {@link #reset} drops: for views that
     * are set again from the same buffer (the next request of a connection), whose holder calls
     * {@code reset} before the buffer could be dropped. One store instead of three and a card mark.
     */
    void resetForNextInBuffer() {
        length = 0;
    }

    void set(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    /** Returns a new view of a copy of {@code value}'s UTF-8 bytes; for tests and constants. */
    public static ByteView of(String value) {
        ByteView view = new ByteView();
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        view.set(bytes, 0, bytes.length);
        return view;
    }

    /** The array that holds the bytes. Read-only by contract: writing to it corrupts the owner. */
    public byte[] array() {
        return array;
    }

    /** Index of the first byte in {@link #array()}. */
    public int offset() {
        return offset;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public boolean isEmpty() {
        return length == 0;
    }

    /** Returns the byte at {@code index} (0-based within the view). */
    public byte byteAt(int index) {
        if (index < 0 || index >= length) throw new IndexOutOfBoundsException(index);
        return array[offset + index];
    }

    @Override
    public char charAt(int index) {
        return (char) (byteAt(index) & 0xff);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        java.util.Objects.checkFromToIndex(start, end, length);
        ByteView sub = new ByteView();
        sub.set(array, offset + start, end - start);
        return sub;
    }

    /** True when the bytes equal {@code s}'s chars, each char taken as one byte. */
    public boolean contentEquals(CharSequence s) {
        if (s.length() != length) return false;
        for (int i = 0; i < length; i++) {
            if ((array[offset + i] & 0xff) != s.charAt(i)) return false;
        }
        return true;
    }

    /** True when the bytes equal {@code bytes}. */
    public boolean contentEquals(byte[] bytes) {
        return Arrays.equals(array, offset, offset + length, bytes, 0, bytes.length);
    }

    /** True when the bytes equal {@code s} ignoring ASCII case; what header names and tokens need. */
    /**
     * True when this view, which holds a field name (token characters), equals {@code lowerName}
     * (lower-case letters, digits and '-') ignoring case; see {@link Ascii#equalsTokenIgnoreCase}.
     */
    boolean equalsToken(byte[] lowerName) {
        return length == lowerName.length && Ascii.equalsTokenIgnoreCase(array, offset, lowerName);
    }

    public boolean equalsIgnoreCase(CharSequence s) {
        if (s.length() != length) return false;
        for (int i = 0; i < length; i++) {
            if (Ascii.lower(array[offset + i]) != Ascii.lower((byte) s.charAt(i))) return false;
        }
        return true;
    }

    /** Index of the first {@code b} in this view at or after {@code from}, or -1. */
    public int indexOf(byte b, int from) {
        for (int i = Math.max(from, 0); i < length; i++) {
            if (array[offset + i] == b) return i;
        }
        return -1;
    }

    /** Copies the bytes into {@code dst} at {@code at}; returns the index after the last byte written. */
    public int copyTo(byte[] dst, int at) {
        System.arraycopy(array, offset, dst, at, length);
        return at + length;
    }

    /** Returns a copy of the bytes. Allocates. */
    public byte[] toBytes() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    /** Returns the bytes decoded as UTF-8. Allocates. */
    @Override
    public String toString() {
        return new String(array, offset, length, StandardCharsets.UTF_8);
    }
}
