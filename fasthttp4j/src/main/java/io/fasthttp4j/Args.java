package io.fasthttp4j;

import io.fasthttp4j.internal.bytes.Numbers;
import io.fasthttp4j.internal.bytes.PercentCodec;
import io.fasthttp4j.pool.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An ordered multimap of query or {@code application/x-www-form-urlencoded} arguments, held
 * decoded in its own buffer. Keys are compared case-sensitively and as UTF-8 bytes, like fasthttp.
 *
 * <p>Reusable: {@link #reset()} empties it and keeps its arrays, so a reused {@code Args} stops
 * allocating once it has grown; lookups ({@link #peek}, the typed getters, {@link #visitAll}) never
 * allocate for ASCII keys. Views it returns are valid until this object is reset or changed; copy
 * what you need to keep. Not thread-safe.
 */
public final class Args {
    private final ByteBuf data = new ByteBuf(128);   // decoded keys and values, back to back
    private int[] bounds = new int[0];                // per argument: key from, key to, value from, value to, in data
    private int count;
    private ByteView[] keyViews = new ByteView[0];    // one per slot, created once, re-pointed on each access
    private ByteView[] valueViews = new ByteView[0];

    /** Empties this object; keeps its arrays. */
    public void reset() {
        data.reset();
        count = 0;
    }

    private static final String[] TRUE_WORDS = {"1", "true", "yes", "on"};
    private static final String[] FALSE_WORDS = {"0", "false", "no", "off"};
    private static final String MIN_LONG = "-9223372036854775808";

    /** An empty {@code Args}. */
    public Args() {
    }

    /**
     * Replaces the content with the arguments in {@code buf[from..to)}: pairs split on {@code '&'},
     * key and value on the first {@code '='} (a pair without one has an empty value), {@code '+'} read
     * as a space, {@code %XX} decoded. Empty pairs are skipped. A malformed escape such as {@code "%zz"}
     * is kept literally rather than rejected, as fasthttp does. The bytes are copied; {@code buf} may
     * be reused afterwards, but must not be this object's own view.
     */
    public void parse(byte[] buf, int from, int to) {
        reset();
        int start = from;
        while (start < to) {
            int end = indexOf(buf, start, to, (byte) '&');
            if (end > start) addEncoded(buf, start, end);
            start = end + 1;
        }
    }

    /** Replaces the content with the arguments in {@code encoded}; see {@link #parse(byte[], int, int)}. */
    public void parse(ByteView encoded) {
        parse(encoded.array(), encoded.offset(), encoded.offset() + encoded.length());
    }

    /** Replaces the content with the arguments in {@code encoded}, taken as UTF-8. Allocates. */
    public void parse(String encoded) {
        byte[] bytes = encoded.getBytes(StandardCharsets.UTF_8);
        parse(bytes, 0, bytes.length);
    }

    private void addEncoded(byte[] buf, int from, int to) {
        int eq = indexOf(buf, from, to, (byte) '=');
        int slot = newSlot();
        bounds[slot] = data.length();
        PercentCodec.decodeForm(buf, from, eq, data);
        bounds[slot + 1] = data.length();
        if (eq < to) PercentCodec.decodeForm(buf, eq + 1, to, data);
        bounds[slot + 2] = bounds[slot + 1];
        bounds[slot + 3] = data.length();
    }

    /** Number of arguments, repeated keys counted each time. */
    public int count() {
        return count;
    }

    /** The key of argument {@code i}. Valid until this object is reset or changed; copy what you need to keep. */
    public ByteView key(int i) {
        Objects.checkIndex(i, count);
        keyViews[i].set(data.array(), bounds[4 * i], bounds[4 * i + 1] - bounds[4 * i]);
        return keyViews[i];
    }

    /** The value of argument {@code i}. Valid until this object is reset or changed; copy what you need to keep. */
    public ByteView value(int i) {
        Objects.checkIndex(i, count);
        valueViews[i].set(data.array(), bounds[4 * i + 2], bounds[4 * i + 3] - bounds[4 * i + 2]);
        return valueViews[i];
    }

    /**
     * The first value of {@code key}, or null. Valid until this object is reset or changed; copy what
     * you need to keep. Does not allocate when {@code key} is ASCII.
     */
    public ByteView peek(String key) {
        int i = indexOfKey(key, 0);
        return i < 0 ? null : value(i);
    }

    /** The first value of {@code key} as a new string, or null. */
    public String get(String key) {
        ByteView value = peek(key);
        return value == null ? null : value.toString();
    }

    public boolean has(String key) {
        return indexOfKey(key, 0) >= 0;
    }

    /** Every value of {@code key}, in order, as new strings; empty when there is none. Allocates. */
    public List<String> getAll(String key) {
        List<String> values = new ArrayList<>();
        for (int i = indexOfKey(key, 0); i >= 0; i = indexOfKey(key, i + 1)) values.add(value(i).toString());
        return values;
    }

    /**
     * Calls {@code visitor} with each key and value, in order, without allocating. The views are valid
     * until this object is reset or changed; copy what you need to keep.
     */
    public void visitAll(ArgsVisitor visitor) {
        for (int i = 0; i < count; i++) visitor.visit(key(i), value(i));
    }

    /** The first value of {@code key} as an int ({@code -?[0-9]+}); else (absent, malformed, too large) the default. */
    public int getInt(String key, int defaultValue) {
        long value = getLong(key, Long.MIN_VALUE);
        boolean fits = value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
        return fits ? (int) value : defaultValue;
    }

    /** The first value of {@code key} as a long ({@code -?[0-9]+}); else (absent, malformed, too large) the default. */
    public long getLong(String key, long defaultValue) {
        ByteView v = peek(key);
        if (v == null) return defaultValue;
        long value = Numbers.parseLong(v.array(), v.offset(), v.offset() + v.length());
        if (value == Numbers.MALFORMED && !v.contentEquals(MIN_LONG)) return defaultValue;
        return value;
    }

    /**
     * The first value of {@code key} as a double ({@code -?digits[.digits][e[+-]digits]}, see
     * {@link Numbers#parseDouble}); {@code defaultValue} when absent, malformed or too large.
     * Allocates only for more than 15 significant digits or a large exponent.
     */
    public double getDouble(String key, double defaultValue) {
        ByteView v = peek(key);
        if (v == null) return defaultValue;
        double value = Numbers.parseDouble(v.array(), v.offset(), v.offset() + v.length());
        return Double.isNaN(value) ? defaultValue : value;
    }

    /**
     * The first value of {@code key} as a boolean: {@code 1, true, yes, on} or {@code 0, false, no, off},
     * ignoring ASCII case; {@code defaultValue} when absent or anything else.
     */
    public boolean getBoolean(String key, boolean defaultValue) {
        ByteView v = peek(key);
        if (v == null) return defaultValue;
        for (String word : TRUE_WORDS) if (v.equalsIgnoreCase(word)) return true;
        for (String word : FALSE_WORDS) if (v.equalsIgnoreCase(word)) return false;
        return defaultValue;
    }

    /** Appends an argument; earlier ones with the same key stay. */
    public void add(String key, String value) {
        int slot = newSlot();
        bounds[slot] = data.length();
        data.append(key);
        bounds[slot + 1] = data.length();
        bounds[slot + 2] = data.length();
        data.append(value);
        bounds[slot + 3] = data.length();
    }

    /** Gives {@code key} the one value {@code value}: replaces the first in place, deletes the rest, or adds it. */
    public void set(String key, String value) {
        int first = indexOfKey(key, 0);
        if (first < 0) {
            add(key, value);
            return;
        }
        bounds[4 * first + 2] = data.length();   // the old value's bytes stay behind until reset
        data.append(value);
        bounds[4 * first + 3] = data.length();
        deleteFrom(key, first + 1);
    }

    /** Deletes every argument with key {@code key}. */
    public void del(String key) {
        deleteFrom(key, 0);
    }

    private void deleteFrom(String key, int from) {
        int kept = from;
        for (int i = from; i < count; i++) {
            if (keyEquals(i, key)) continue;
            System.arraycopy(bounds, 4 * i, bounds, 4 * kept, 4);
            kept++;
        }
        count = kept;
    }

    /**
     * Appends the arguments as {@code application/x-www-form-urlencoded}: {@code key=value} joined by
     * {@code '&'} (the {@code '='} always written), space as {@code '+'}, unreserved bytes kept,
     * everything else upper-case {@code %XX}.
     */
    public void appendTo(ByteBuf out) {
        byte[] bytes = data.array();
        for (int i = 0; i < count; i++) {
            if (i > 0) out.append((byte) '&');
            PercentCodec.encodeForm(bytes, bounds[4 * i], bounds[4 * i + 1], out);
            out.append((byte) '=');
            PercentCodec.encodeForm(bytes, bounds[4 * i + 2], bounds[4 * i + 3], out);
        }
    }

    /** The arguments encoded as by {@link #appendTo(ByteBuf)}. Allocates. */
    @Override
    public String toString() {
        ByteBuf out = new ByteBuf();
        appendTo(out);
        return out.toString();
    }

    /** Makes {@code dst} an independent copy of this object, reusing {@code dst}'s arrays. */
    public void copyTo(Args dst) {
        dst.reset();
        dst.data.append(data.array(), 0, data.length());
        for (int i = 0; i < count; i++) {
            int slot = dst.newSlot();   // may grow dst.bounds: take the slot before reading the array
            System.arraycopy(bounds, 4 * i, dst.bounds, slot, 4);
        }
    }

    // Index of the next 4 bounds to fill; grows the arrays (and creates views) only past the largest count so far.
    private int newSlot() {
        if (count == keyViews.length) {
            int capacity = Math.max(8, count * 2);
            bounds = Arrays.copyOf(bounds, 4 * capacity);
            keyViews = Arrays.copyOf(keyViews, capacity);
            valueViews = Arrays.copyOf(valueViews, capacity);
            for (int i = count; i < capacity; i++) {
                keyViews[i] = new ByteView();
                valueViews[i] = new ByteView();
            }
        }
        return 4 * count++;
    }

    private int indexOfKey(String key, int from) {
        for (int i = from; i < count; i++) {
            if (keyEquals(i, key)) return i;
        }
        return -1;
    }

    // Compares the stored UTF-8 key with key's UTF-8 bytes; only a non-ASCII key is encoded (allocates).
    private boolean keyEquals(int i, String key) {
        int from = bounds[4 * i];
        int length = bounds[4 * i + 1] - from;
        byte[] bytes = data.array();
        for (int c = 0; c < key.length(); c++) {
            if (key.charAt(c) >= 0x80) {
                byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
                return Arrays.equals(bytes, from, from + length, utf8, 0, utf8.length);
            }
        }
        if (length != key.length()) return false;
        for (int c = 0; c < length; c++) {
            if (bytes[from + c] != key.charAt(c)) return false;
        }
        return true;
    }

    // Index of the first b in buf[from..to), or to.
    private static int indexOf(byte[] buf, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) return i;
        }
        return to;
    }
}
