package io.fasthttp4j.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client's resolved addresses, per host name, kept for {@code dnsCacheDuration} and handed out
 * round-robin: each dial starts at the next address of the name. An IP literal is parsed, never
 * looked up or cached. Consulted only when dialing, never on a call that reuses a connection, so
 * it may allocate. Thread-safe; two dials that find the same entry expired may both look it up.
 */
final class DnsCache {
    /** Looks a name up: all its addresses. {@code InetAddress::getAllByName} outside tests. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Entries kept before expired ones are dropped: a client that talks to many hosts must not grow without bound. */
    private static final int PRUNE_ABOVE = 1024;

    private record Entry(InetAddress[] addresses, long expiresNanos, AtomicInteger next) {
    }

    private final long ttlNanos;   // 0: no caching, each dial looks the name up
    private final Resolver resolver;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    DnsCache(long ttlNanos, Resolver resolver) {
        this.ttlNanos = ttlNanos;
        this.resolver = resolver == null ? InetAddress::getAllByName : resolver;
    }

    /**
     * The addresses of {@code host} in the order a dial should try them: from the name's next
     * round-robin position on, wrapping around. A new array.
     *
     * @throws UnknownHostException when the name does not resolve
     */
    InetAddress[] addressesInTurn(String host) throws UnknownHostException {
        if (isIpLiteral(host)) return new InetAddress[] {InetAddress.getByName(host)};   // parsed, no lookup
        long now = System.nanoTime();
        Entry e = entries.get(host);
        if (e == null || now - e.expiresNanos >= 0) e = lookUp(host, now);
        InetAddress[] all = e.addresses;
        int start = Math.floorMod(e.next.getAndIncrement(), all.length);
        InetAddress[] inTurn = new InetAddress[all.length];
        for (int i = 0; i < all.length; i++) inTurn[i] = all[(start + i) % all.length];
        return inTurn;
    }

    private Entry lookUp(String host, long now) throws UnknownHostException {
        InetAddress[] addresses = resolver.resolve(host);
        if (addresses == null || addresses.length == 0) throw new UnknownHostException(host + ": no addresses");
        Entry old = entries.get(host);
        Entry fresh = new Entry(addresses.clone(), now + ttlNanos, old == null ? new AtomicInteger() : old.next);
        if (ttlNanos > 0) {
            if (entries.size() >= PRUNE_ABOVE) entries.values().removeIf(x -> now - x.expiresNanos >= 0);
            entries.put(host, fresh);
        }
        return fresh;
    }

    /** Names cached now, expired ones included until they are looked up again or pruned. */
    int size() {
        return entries.size();
    }

    /** An IPv6 literal (it has a colon) or a dotted IPv4 one: used as is, never looked up; no SNI either. */
    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) return true;
        int dots = 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '.') dots++;
            else if (c < '0' || c > '9') return false;
        }
        return dots == 3;
    }
}
