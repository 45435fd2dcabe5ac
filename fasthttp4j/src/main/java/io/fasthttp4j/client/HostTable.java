package io.fasthttp4j.client;

import io.fasthttp4j.internal.bytes.Ascii;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A {@link Client}'s host clients, keyed by host, port and TLS, looked up from the bytes of a URI or
 * Host field without allocating. Reads are lock-free on an immutable open-addressing table; adding
 * or removing a host (rare) copies the table under {@link #lock}.
 */
final class HostTable {
    /** One host: its key and its client. */
    record Entry(byte[] host, int port, boolean tls, int hash, HostClient client) {
    }

    private volatile Entry[] table = new Entry[16];   // replaced, never changed; load factor at most 1/2
    private int size;                                  // guarded by lock
    private final ReentrantLock lock = new ReentrantLock();

    /** The client for {@code host[from..to)} (lower-cased or not), {@code port} and {@code tls}, or null. */
    HostClient get(byte[] host, int from, int to, int port, boolean tls) {
        Entry[] t = table;
        int hash = hash(host, from, to, port, tls);
        for (int i = hash & (t.length - 1); ; i = (i + 1) & (t.length - 1)) {
            Entry e = t[i];
            if (e == null) return null;
            if (e.hash == hash && e.port == port && e.tls == tls && Ascii.equalsIgnoreCase(host, from, to, e.host)) return e.client;
        }
    }

    /** Returns the client for the key, creating it with {@code factory(addr, tls)} if there is none. */
    HostClient getOrCreate(byte[] host, int from, int to, int port, boolean tls, java.util.function.BiFunction<String, Boolean, HostClient> factory) {
        lock.lock();
        try {
            HostClient existing = get(host, from, to, port, tls);
            if (existing != null) return existing;
            byte[] lower = new byte[to - from];
            for (int i = from; i < to; i++) lower[i - from] = Ascii.lower(host[i]);
            String addr = new String(lower, StandardCharsets.ISO_8859_1) + ":" + port;
            HostClient client = factory.apply(addr, tls);
            List<Entry> all = entries();
            all.add(new Entry(lower, port, tls, hash(lower, 0, lower.length, port, tls), client));
            rebuild(all);
            return client;
        } finally {
            lock.unlock();
        }
    }

    /** Removes every client {@code remove} accepts; returns them. */
    List<HostClient> removeIf(Predicate<HostClient> remove) {
        lock.lock();
        try {
            List<Entry> all = entries();
            List<HostClient> removed = new ArrayList<>();
            all.removeIf(e -> {
                if (!remove.test(e.client)) return false;
                removed.add(e.client);
                return true;
            });
            if (!removed.isEmpty()) rebuild(all);
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Retires the clients idle for {@code maxIdleNanos} with no connection, and removes them. Allocates
     * nothing unless one is removed: it runs on callers' threads, once a second.
     */
    void removeIdle(long now, long maxIdleNanos) {
        boolean any = false;
        for (Entry e : table) if (e != null && e.client.retireIfIdle(now, maxIdleNanos)) any = true;
        if (any) removeIf(HostClient::isRetired);
    }

    /** A snapshot of the clients. */
    List<HostClient> clients() {
        List<HostClient> out = new ArrayList<>();
        for (Entry e : table) if (e != null) out.add(e.client);
        return out;
    }

    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    private List<Entry> entries() {
        List<Entry> all = new ArrayList<>();
        for (Entry e : table) if (e != null) all.add(e);
        return all;
    }

    private void rebuild(List<Entry> all) {
        int capacity = 16;
        while (capacity < all.size() * 2) capacity *= 2;
        Entry[] t = new Entry[capacity];
        for (Entry e : all) {
            int i = e.hash & (capacity - 1);
            while (t[i] != null) i = (i + 1) & (capacity - 1);
            t[i] = e;
        }
        size = all.size();
        table = t;
    }

    private static int hash(byte[] host, int from, int to, int port, boolean tls) {
        int h = tls ? 1 : 0;
        for (int i = from; i < to; i++) h = 31 * h + Ascii.lower(host[i]);
        h = 31 * h + port;
        return h ^ (h >>> 16);
    }
}
