package io.fasthttp4j;

import io.fasthttp4j.internal.bytes.Ascii;
import io.fasthttp4j.pool.ByteBuf;

/**
 * An ordered list of header fields, names compared without regard to ASCII case: the storage under
 * {@link RequestHeader} and {@link ResponseHeader}, and the type of trailers. Parsed fields are views
 * into the bytes they were parsed from; fields set through the setters are copied into an array this
 * object owns. Lookups never allocate; {@code get} methods copy into a new {@code String}.
 *
 * <p>Setters refuse what would let a value break out of its line: CR, LF, NUL and the other control
 * bytes in a value, and anything but token characters in a name ({@link IllegalArgumentException}).
 * Not thread-safe.
 */
public final class HeaderFields {
    private ByteView[] names = new ByteView[0];
    private ByteView[] values = new ByteView[0];
    private int count;
    private int used;       // fields [0, used) may hold references that resetForNextInBuffer() kept and reset() must drop
    private int modCount;   // changes with every change of the fields: lets a holder know that a field it added is unchanged
    private final ByteBuf owned = new ByteBuf(128);   // bytes of fields set by code, and copied trailers

    /** Readies this list for reuse: empty, arrays kept, no reference to the bytes it viewed. */
    public void reset() {
        for (int i = 0, n = Math.max(count, used); i < n; i++) {
            names[i].reset();
            values[i].reset();
        }
        count = 0;
        used = 0;
        modCount++;
        owned.reset();
    }

    /**
     * Empties this list for the next section parsed from the same buffer: like {@link #reset} but the
     * views keep their references (to that buffer, or to this list's own bytes) until a reset. The
     * fields are gone all the same: {@link #count()} is 0 and no view of them is reachable.
     */
    void resetForNextInBuffer() {
        if (count > used) used = count;
        count = 0;
        modCount++;
        owned.reset();
    }

    /** Creates an empty field list; reuse it with {@link #reset()}. */
    public HeaderFields() {
    }

    /** Number of fields. */
    public int count() {
        return count;
    }

    /** Name of field {@code i}, as received or set. Valid until the handler returns; copy what you need to keep. */
    public ByteView nameAt(int i) {
        java.util.Objects.checkIndex(i, count);
        return names[i];
    }

    /** Value of field {@code i}, without surrounding whitespace. Valid until the handler returns; copy what you need to keep. */
    public ByteView valueAt(int i) {
        java.util.Objects.checkIndex(i, count);
        return values[i];
    }

    /** Index of the first field named {@code name} (any case) at or after {@code from}, or -1. */
    public int indexOf(CharSequence name, int from) {
        for (int i = Math.max(from, 0); i < count; i++) {
            ByteView n = names[i];
            if (Ascii.equalsIgnoreCase(n.array(), n.offset(), n.offset() + n.length(), name)) return i;
        }
        return -1;
    }

    /** Returns the first value of {@code name}, or null. A view: valid until the handler returns; copy what you need to keep. */
    public ByteView peek(CharSequence name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : values[i];
    }

    /** Returns the first value of {@code name} as a new string (UTF-8), or null. */
    public String get(CharSequence name) {
        ByteView value = peek(name);
        return value == null ? null : value.toString();
    }

    /** Returns every value of {@code name}, in order, as new strings. Allocates. */
    public java.util.List<String> getAll(CharSequence name) {
        java.util.List<String> all = new java.util.ArrayList<>();
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) all.add(values[i].toString());
        return all;
    }

    /** True when a field named {@code name} is present. */
    public boolean has(CharSequence name) {
        return indexOf(name, 0) >= 0;
    }

    /** Calls {@code visitor} for every field in order. Allocates nothing. */
    public void visitAll(HeaderVisitor visitor) {
        for (int i = 0; i < count; i++) visitor.visit(names[i], values[i]);
    }

    /** Adds a field after the existing ones; a name may repeat. */
    public void add(CharSequence name, CharSequence value) {
        int nameFrom = owned.length();
        owned.append(name);
        int valueFrom = owned.length();
        owned.append(value);
        checkOwned(nameFrom, valueFrom);
        addView(owned.array(), nameFrom, valueFrom, valueFrom, owned.length());
    }

    /** Adds a field whose name and value are given as bytes; both are copied. */
    public void add(byte[] name, byte[] value) {
        add(name, value, 0, value.length);
    }

    /** Adds a field named {@code name} with value {@code value[offset..offset+length)}; both are copied. */
    public void add(byte[] name, byte[] value, int offset, int length) {
        int nameFrom = owned.length();
        owned.append(name);
        int valueFrom = owned.length();
        owned.append(value, offset, length);
        checkOwned(nameFrom, valueFrom);
        addView(owned.array(), nameFrom, valueFrom, valueFrom, owned.length());
    }

    /** Replaces the value of the first field named {@code name} and removes the others; adds one if none. */
    public void set(CharSequence name, CharSequence value) {
        int first = indexOf(name, 0);
        if (first < 0) {
            add(name, value);
            return;
        }
        int valueFrom = owned.length();
        owned.append(value);
        try {
            checkValue(owned.array(), valueFrom, owned.length(), name);
        } catch (IllegalArgumentException e) {
            owned.setLength(valueFrom);
            throw e;
        }
        values[first].set(owned.array(), valueFrom, owned.length() - valueFrom);
        modCount++;
        for (int i = indexOf(name, first + 1); i >= 0; i = indexOf(name, i)) removeAt(i);
    }

    /** Removes every field named {@code name}; returns how many were removed. */
    public int del(CharSequence name) {
        int removed = 0;
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i)) {
            removeAt(i);
            removed++;
        }
        return removed;
    }

    /** Removes field {@code i}, keeping the order of the others. */
    public void removeAt(int i) {
        java.util.Objects.checkIndex(i, count);
        ByteView name = names[i];
        ByteView value = values[i];
        System.arraycopy(names, i + 1, names, i, count - i - 1);
        System.arraycopy(values, i + 1, values, i, count - i - 1);
        count--;
        modCount++;
        name.reset();
        value.reset();
        names[count] = name;    // the view objects are kept for reuse
        values[count] = value;
    }

    /** Copies every field into {@code dst}, after its own. */
    public void copyTo(HeaderFields dst) {
        for (int i = 0; i < count; i++) {
            ByteView n = names[i];
            ByteView v = values[i];
            int nameFrom = dst.owned.length();
            dst.owned.append(n.array(), n.offset(), n.length());
            int valueFrom = dst.owned.length();
            dst.owned.append(v.array(), v.offset(), v.length());
            dst.addView(dst.owned.array(), nameFrom, valueFrom, valueFrom, dst.owned.length());
        }
    }

    /** Appends a field viewing {@code buf}; no check, no copy: for the parser and for setters whose bytes are checked and kept. */
    void addView(byte[] buf, int nameFrom, int nameTo, int valueFrom, int valueTo) {
        if (count == names.length) grow();
        names[count].set(buf, nameFrom, nameTo - nameFrom);
        values[count].set(buf, valueFrom, valueTo - valueFrom);
        count++;
        modCount++;
    }

    /** A number that changes whenever the fields change (added, removed, replaced, reset). */
    int modCount() {
        return modCount;
    }

    private void grow() {
        int size = Math.max(16, names.length * 2);
        names = java.util.Arrays.copyOf(names, size);
        values = java.util.Arrays.copyOf(values, size);
        for (int i = count; i < size; i++) {
            names[i] = new ByteView();
            values[i] = new ByteView();
        }
    }

    private void checkOwned(int nameFrom, int valueFrom) {
        byte[] b = owned.array();
        try {
            checkName(b, nameFrom, valueFrom);
            checkValue(b, valueFrom, owned.length(), null);
        } catch (IllegalArgumentException e) {
            owned.setLength(nameFrom);   // a refused field leaves no bytes behind
            throw e;
        }
    }

    static void checkName(byte[] b, int from, int to) {
        if (from == to) throw new IllegalArgumentException("empty header name");
        for (int i = from; i < to; i++) {
            if (!Ascii.isTokenChar(b[i])) {
                throw new IllegalArgumentException(String.format("invalid byte 0x%02x in header name '%s'",
                        b[i] & 0xff, new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1)));
            }
        }
    }

    // CR or LF in a value would end the line early and let the rest pose as a new field (header injection).
    static void checkValue(byte[] b, int from, int to, CharSequence name) {
        for (int i = from; i < to; i++) {
            if (!Ascii.isFieldValueChar(b[i])) {
                throw new IllegalArgumentException(String.format("invalid byte 0x%02x in value of header %s",
                        b[i] & 0xff, name == null ? "field" : "'" + name + "'"));
            }
        }
    }

    /**
     * Parses field lines from {@code buf[from..to)} up to and including the empty line that ends
     * the section, adding each field as a view into {@code buf}. Returns the index after the final
     * CRLF, or -1 if the section is not complete yet (nothing is kept then: call again with more).
     *
     * @throws BadRequestException 400 for a malformed line (RFC 9112 §5), 431 past {@code maxCount} fields
     */
    public int parse(byte[] buf, int from, int to, int maxCount) {
        int start = count;
        int at = from;
        while (true) {
            if (at < to && buf[at] != Ascii.CR && buf[at] != Ascii.LF) {
                if (count - start >= maxCount) {
                    throw BadRequestException.of(431, "header section has more than maxHeaderCount=%d fields", maxCount);
                }
                int lineEnd = FieldLines.parseFieldLine(buf, at, to, this);
                if (lineEnd < 0) {
                    truncate(start);
                    return -1;
                }
                at = lineEnd + 2;
                continue;
            }
            int lineEnd = FieldLines.lineEnd(buf, at, to);   // the empty line that ends the section, or a bare CR or LF
            if (lineEnd < 0) {
                truncate(start);
                return -1;
            }
            return at + 2;
        }
    }

    /**
     * Like {@link #parse} but first copies the section into this object's own array, so the fields
     * stay valid after {@code buf} is reused (trailers, which arrive after the body).
     */
    public int parseCopy(byte[] buf, int from, int to, int maxCount) {
        int base = owned.length();
        owned.append(buf, from, to - from);
        int end = parse(owned.array(), base, owned.length(), maxCount);
        if (end < 0) owned.setLength(base);
        return end < 0 ? -1 : from + (end - base);
    }

    private void truncate(int newCount) {
        while (count > newCount) {
            count--;
            modCount++;
            names[count].reset();
            values[count].reset();
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) sb.append(names[i]).append(": ").append(values[i]).append("\r\n");
        return sb.toString();
    }
}
