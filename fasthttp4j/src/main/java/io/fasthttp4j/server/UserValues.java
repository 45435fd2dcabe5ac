package io.fasthttp4j.server;

import java.util.Arrays;
import java.util.Objects;

/**
 * The values handlers and middleware attach to one request ({@link RequestCtx#setUserValue}): a few
 * key-value pairs in one array, searched in order, emptied when the request ends. A request has a
 * handful at most, so a scan beats a map and allocates nothing once the array has grown.
 */
final class UserValues {
    private Object[] entries = new Object[8];   // key, value, key, value...
    private int count;

    void reset() {
        if (count == 0) return;
        Arrays.fill(entries, 0, count * 2, null);   // a kept value would pin the handler's objects
        count = 0;
    }

    Object get(String key) {
        for (int i = 0; i < count * 2; i += 2) {
            if (entries[i].equals(key)) return entries[i + 1];
        }
        return null;
    }

    void set(String key, Object value) {
        Objects.requireNonNull(key, "key");
        for (int i = 0; i < count * 2; i += 2) {
            if (entries[i].equals(key)) {
                entries[i + 1] = value;
                return;
            }
        }
        if (count * 2 == entries.length) entries = Arrays.copyOf(entries, entries.length * 2);
        entries[count * 2] = key;
        entries[count * 2 + 1] = value;
        count++;
    }
}
